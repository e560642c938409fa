"""Provenance from git: the commit built, and each file's last change in one pass over history."""

from __future__ import annotations

import subprocess
from pathlib import Path

UNKNOWN = "未知"
_MARK = "\x00"  # %x00 in the format; cannot occur in a path


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                              encoding="utf-8", check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def commit(root: Path) -> str:
    """Short sha of HEAD, or 未知 when the root is not in a git repository."""
    out = _git(root, "rev-parse", "--short", "HEAD")
    return out.strip() if out and out.strip() else UNKNOWN


def last_changed(root: Path, folder: str = "records") -> dict[str, str]:
    """{path relative to root: YYYY-MM-DD of its newest commit}, from one `git log` call."""
    out = _git(root, "log", "--relative", "--name-only", "--no-renames",
               "--format=%x00%cI", "--", folder)
    if not out:
        return {}
    dates: dict[str, str] = {}
    day = ""
    for line in out.split("\n"):  # not splitlines(): it also splits on \x1c-\x1e
        if line.startswith(_MARK):
            day = line[1:11]
        elif line and line not in dates:
            dates[line] = day  # newest first: the first sighting is the last change
    return dates
