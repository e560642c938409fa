"""Charts as static SVG drawn by matplotlib: text stays text (svg.fonttype none), so files are small,
Chinese is selectable and readable by screen readers, and nothing loads from a CDN.

A CJK font is registered only so matplotlib can measure the labels; the browser draws them with
the font-family list below. Without a CJK font the chart is still drawn (labels measured with the
default font), never a crash or a warning.
"""

from __future__ import annotations

import glob
import warnings
from functools import cache
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib import pyplot as plt

FONT_GLOBS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/**/NotoSansCJK*Regular*.tt[cf]",
    "/usr/share/fonts/**/NotoSansSC*.[ot]tf",
    "/usr/share/fonts/**/wqy-*.tt[cf]",
    "C:/Windows/Fonts/msyh.tt[cf]",
    "/System/Library/Fonts/PingFang.ttc",
)
FALLBACK = ["sans-serif"]
BROWSER_FONTS = "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei'"
COLOR = "#3f51b5"


@cache
def cjk_family() -> str | None:
    """The family name of an installed CJK font, registered with matplotlib; None if there is none."""
    for pattern in FONT_GLOBS:
        for path in sorted(glob.glob(pattern, recursive=True)):
            try:
                font_manager.fontManager.addfont(path)
                return font_manager.FontProperties(fname=path).get_name()
            except (OSError, RuntimeError, ValueError):
                continue
    return None


def bar_chart(path: Path, title: str, labels: list[str], values: list[float | None],
              marks: list[str], unit: str) -> None:
    """Horizontal bars; a withheld value gets no bar, only its mark ("<5", "×") as text."""
    family = cjk_family()
    rc: Any = {  # matplotlib types the keys as literals
        "svg.fonttype": "none",
        "svg.hashsalt": "weibao",  # stable ids: the same figures give the same file
        "font.family": [family, *FALLBACK] if family else ["DejaVu Sans"],
        "font.size": 11,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    with matplotlib.rc_context(rc), warnings.catch_warnings():
        # without a CJK font matplotlib warns about every missing glyph; the SVG keeps the text anyway
        warnings.filterwarnings("ignore", message=r".*[Gg]lyph.*missing")
        warnings.filterwarnings("ignore", message=r"findfont")
        height = 1.2 + 0.38 * max(len(labels), 1)
        fig, ax = plt.subplots(figsize=(7.5, height))
        y = list(range(len(labels)))[::-1]
        shown = [v if v is not None else 0 for v in values]
        ax.barh(y, shown, color=COLOR, height=0.6)
        top = max(shown, default=0) or 1
        for yi, v, mark in zip(y, values, marks, strict=True):
            text = mark if v is None else f"{v:g}"
            ax.text((v or 0) + top * 0.01, yi, text, va="center", fontsize=10)
        ax.set_yticks(y, labels)
        ax.set_xlim(0, top * 1.15)
        ax.set_xlabel(unit)
        ax.set_title(title, fontsize=12, loc="left")
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        fig.tight_layout()
        fig.savefig(path, format="svg", metadata={"Date": None, "Creator": None})
        plt.close(fig)
    if family:
        # browsers draw the text: ask for Simplified Chinese faces first (the .ttc registers as JP)
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(f"'{family}'", f"{BROWSER_FONTS}, '{family}'"), encoding="utf-8")
