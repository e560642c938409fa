"""Copy a freshly generated tree over the live docs folder, touching only files that changed.

`mkdocs serve` rebuilds on every file event, so rewriting unchanged pages would rebuild forever.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def _files(root: Path) -> set[str]:
    out = set()
    for folder, _, names in os.walk(root):
        for name in names:
            out.add(os.path.relpath(os.path.join(folder, name), root))
    return out


def sync_tree(src: Path, dst: Path) -> int:
    """Make dst equal to src; returns how many files were written or removed."""
    dst.mkdir(parents=True, exist_ok=True)
    new, old = _files(src), _files(dst)
    changed = 0
    for rel in new:
        a, b = src / rel, dst / rel
        if rel in old and a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes():
            continue
        b.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(a, b)
        changed += 1
    for rel in old - new:
        (dst / rel).unlink()
        changed += 1
    return changed
