"""Where `weibao build` may write: MkDocs empties its output folder first, so --out must be a
folder that holds nothing anyone could lose.

Allowed: a folder that does not exist yet, an empty one, or one a previous build made (it holds
MARKER). Never: the root, records/, schemas/, site/ or anything above them, or any folder inside
the repository in which git tracks a file (statistics/ with its frozen snapshots, for example).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from weibao.errors import UsageError
from weibao.repo import Repository

# left in every built site; MkDocs keeps dot-files when it empties the folder
MARKER = ".weibao-build"
MARKER_TEXT = "这个目录由 weibao build 生成，下次构建时会被清空重建。请不要在这里存放其他文件。\n"

_SOURCES = ("site", "records", "schemas")


def _refuse(out: Path, why: str) -> UsageError:
    return UsageError(f"--out {out}：{why}请换一个新的或空的目录（默认 public/）。没有删除或修改任何文件。")


def _tracked(root: Path, folder: Path) -> str | None:
    """A file git tracks under folder (inside the repository at root), or None."""
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "ls-files", "-z", "--", folder.relative_to(root).as_posix() or "."],
            capture_output=True, text=True, encoding="utf-8", check=False, timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    names = [n for n in done.stdout.split("\0") if n] if done.returncode == 0 else []
    return names[0] if names else None


def check_out(repo: Repository, out: Path) -> None:
    """Raise UsageError (exit 2) unless building into out can destroy nothing."""
    out = out.resolve()
    for forbidden in (repo.root / name for name in _SOURCES):
        if out == forbidden or forbidden in out.parents or out in forbidden.parents:
            raise _refuse(out, f"不能输出到 {forbidden.name}/、其中或其上级目录（那里是数据仓的源文件）。")
    if out.exists() and not out.is_dir():
        raise _refuse(out, "这是一个文件，不是目录。")
    if repo.root in out.parents:
        tracked = _tracked(repo.root, out)
        if tracked:
            raise _refuse(out, f"git 管理着其中的文件（如 {tracked}），构建会先清空这个目录。")
    if out.is_dir() and not (out / MARKER).is_file() and any(out.iterdir()):
        raise _refuse(out, f"目录不是空的，也不是以前 weibao build 生成的（其中没有 {MARKER}），构建会先清空它。")


def mark(out: Path) -> None:
    """Claim out as a build folder (it was checked to be new, empty or a previous build)."""
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
