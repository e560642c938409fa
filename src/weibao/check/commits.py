"""Commit messages of a pull request scanned with the same privacy detectors as records."""

from __future__ import annotations

import subprocess
from pathlib import Path

from weibao.check.privacy import scan
from weibao.errors import UsageError
from weibao.result import Error

_SEP = "\x1e"


def scan_commits(root: Path, rev_range: str) -> list[Error]:
    """An error for every identifier found in the messages of the commits in rev_range."""
    proc = subprocess.run(
        ["git", "log", f"--format=%H%n%B{_SEP}", rev_range, "--"],
        cwd=root, capture_output=True, text=True, encoding="utf-8",
    )
    if proc.returncode != 0:
        raise UsageError(f"--commits {rev_range}: git 无法列出这些提交：{proc.stderr.strip()}")
    errors = []
    for chunk in proc.stdout.split(_SEP):
        chunk = chunk.strip("\n")
        if not chunk:
            continue
        sha, _, message = chunk.partition("\n")
        for f in scan(message, strict_names=True):
            line = message.count("\n", 0, f.start) + 1
            errors.append(
                Error(f"commit {sha[:12]}", line, 0, "", f"privacy-{f.kind}",
                      f"提交说明中{f.message} 请用 git commit --amend 或交互式 rebase 改写说明后再推送。")
            )
    return errors
