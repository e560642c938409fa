"""Which CJK font the PDF is set in: installed font packages, WEIBAO_FONT_PATH, system fonts."""

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


class FontMissing(WeibaoError):
    """No CJK font on this machine: a PDF would show boxes instead of Chinese (exit 2)."""


@dataclass(frozen=True)
class FontSetup:
    fonts: typst.Fonts
    family: str
    paths: tuple[str, ...]


def _extra_paths() -> list[str]:
    paths = [p for p in os.environ.get(FONT_PATH_VARIABLE, "").split(os.pathsep) if p]
    for name in settings()["font_packages"]:
        spec = importlib.util.find_spec(name)
        if spec and spec.submodule_search_locations:
            paths += list(spec.submodule_search_locations)
    return [p for p in paths if Path(p).is_dir()]


@cache
def font_setup() -> FontSetup:
    """The first CJK family of policy.yaml that is installed; FontMissing (in Chinese) if none."""
    paths = _extra_paths()
    fonts = typst.Fonts(include_system_fonts=True, font_paths=paths)
    available = set(fonts.families())
    for family in settings()["cjk_fonts"]:
        if family in available:
            return FontSetup(fonts, family, tuple(paths))
    raise FontMissing(
        "找不到中文字体，无法生成 PDF（否则中文会显示成方框）。请安装一种中文字体："
        "Debian/Ubuntu 运行 sudo apt-get install fonts-noto-cjk；"
        "或 pip install manimgx-fonts-cjk；"
        f"或把字体文件所在的文件夹写进环境变量 {FONT_PATH_VARIABLE}。"
        f"可用的字体：{'、'.join(settings()['cjk_fonts'])}。"
    )
