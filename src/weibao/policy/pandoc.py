"""Run the pandoc binary that ships in the pypandoc-binary wheel (no system install needed)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from weibao.errors import WeibaoError


class PandocError(WeibaoError):
    """pandoc could not convert a document (exit 2: the input or the machine is at fault)."""


@cache
def pandoc_path() -> str:
    import pypandoc  # imported late: only policy commands need it

    try:
        return str(pypandoc.get_pandoc_path())
    except OSError as err:
        raise PandocError(
            "找不到 pandoc：请重新安装本项目的依赖（pip install -e .，其中的 pypandoc-binary 自带 pandoc）。"
        ) from err


@cache
def pandoc_version() -> str:
    out = subprocess.run([pandoc_path(), "--version"], capture_output=True, text=True, check=True)
    return out.stdout.split("\n", 1)[0]


def run(args: Sequence[str | Path], data: bytes | None = None, epoch: int | None = None) -> bytes:
    """pandoc's stdout for these arguments; epoch pins the timestamps written into .docx files."""
    env = dict(os.environ)
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = str(epoch)
    proc = subprocess.run(
        [pandoc_path(), *map(str, args)], input=data, capture_output=True, env=env, check=False
    )
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip()
        raise PandocError(f"pandoc 转换失败（退出码 {proc.returncode}）：{detail}")
    return proc.stdout
