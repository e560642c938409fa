"""Which CJK font the PDF is set in: installed font packages, WEIBAO_FONT_PATH, system fonts.

WEIBAO_SYSTEM_FONTS=0 looks only in WEIBAO_FONT_PATH (no system fonts, no font packages): how to
see what a fresh machine without Chinese fonts does.
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import typst

from weibao.errors import WeibaoError
from weibao.policy.settings import settings

FONT_PATH_VARIABLE = "WEIBAO_FONT_PATH"
SYSTEM_FONTS_VARIABLE = "WEIBAO_SYSTEM_FONTS"


class FontMissing(WeibaoError):
    """No CJK font on this machine: a PDF would show boxes instead of Chinese (exit 2)."""


@dataclass(frozen=True)
class FontSetup:
    fonts: typst.Fonts
    family: str
    paths: tuple[str, ...]


def _extra_paths(font_path: str, system: bool) -> list[str]:
    paths = [p for p in font_path.split(os.pathsep) if p]
    for name in settings()["font_packages"] if system else ():
        spec = importlib.util.find_spec(name)
        if spec and spec.submodule_search_locations:
            paths += list(spec.submodule_search_locations)
    return [p for p in paths if Path(p).is_dir()]


def font_setup() -> FontSetup:
    """The first CJK family of policy.yaml that is installed; FontMissing (in Chinese) if none."""
    return _font_setup(os.environ.get(FONT_PATH_VARIABLE, ""),
                       os.environ.get(SYSTEM_FONTS_VARIABLE, "1") != "0",
                       tuple(settings()["cjk_fonts"]))


def has_cjk_font() -> bool:
    try:
        font_setup()
    except FontMissing:
        return False
    return True


@cache  # by everything the answer depends on: scanning the system fonts takes a while
def _font_setup(font_path: str, system: bool, families: tuple[str, ...]) -> FontSetup:
    paths = _extra_paths(font_path, system)
    fonts = typst.Fonts(include_system_fonts=system, font_paths=paths)
    available = set(fonts.families())
    for family in families:
        if family in available:
            return FontSetup(fonts, family, tuple(paths))
    raise FontMissing(
        "找不到中文字体，无法生成 PDF（否则中文会显示成方框）。请安装一种中文字体："
        "Debian/Ubuntu 运行 sudo apt-get install fonts-noto-cjk；"
        "或 pip install manimgx-fonts-cjk；"
        f"或把字体文件所在的文件夹写进环境变量 {FONT_PATH_VARIABLE}。"
        f"可用的字体：{'、'.join(settings()['cjk_fonts'])}。"
    )
