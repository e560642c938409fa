"""What a live preview (`weibao serve`) keeps between rebuilds, so one edit costs little.

- Records: per-file checks are re-run only for changed files (validate_incremental).
- Contributors that read the whole git history or write every export (ONCE) run once, when the
  preview starts; later rebuilds reuse their pages and downloads, and the serve log says so.
- Pages: written into the live docs folder only when their text changed, so MkDocs' dirty build
  (which compares file times) renders only the pages an edit touched.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from weibao.validate_incremental import RecordCache

# contributor → what the preview shows as of its start (said in the serve log); a full
# `weibao build` always regenerates them
ONCE: dict[str, str] = {
    "weibao.audit.site:contribute": "“最近更新”页和各记录的修改记录（来自 git 历史）",
    "weibao.opendata.site:contribute": "“开放数据”页的下载文件（HSDS、CSV 数据包）",
}
_EXTRA_DICTS = ("history", "downloads")


@dataclass
class _Saved:
    folder: Path  # the files the contributor wrote, relative to the docs folder
    nav: list[Any]
    added: dict[str, dict[str, Any]]


def _files(root: Path) -> set[str]:
    out = set()
    for folder, _, names in os.walk(root):
        for name in names:
            out.add(Path(os.path.relpath(os.path.join(folder, name), root)).as_posix())
    return out


@dataclass
class Preview:
    work: Path
    records: RecordCache = field(default_factory=RecordCache)
    saved: dict[str, _Saved] = field(default_factory=dict)
    written: dict[str, str] = field(default_factory=dict)  # page → text last written to docs
    last_sync: tuple[int, int] = (0, 0)  # files (written, removed) by the last sync

    def contribute(self, spec: str, function: Callable[..., None], repo: Any, public: Any,
                   docs: Path, extras: dict[str, Any]) -> None:
        """Run a contributor, or for ONCE ones replay what its first run wrote."""
        if spec not in ONCE:
            function(repo, public, docs, extras)
            return
        saved = self.saved.get(spec)
        if saved is None:
            before = _files(docs)
            nav_len = len(extras.get("nav", []))
            keys = {k: set(extras.get(k, {})) for k in _EXTRA_DICTS}
            function(repo, public, docs, extras)
            folder = self.work / "once" / str(len(self.saved))
            for rel in sorted(_files(docs) - before):
                (folder / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(docs / rel, folder / rel)
            added = {k: {i: v for i, v in extras.get(k, {}).items() if i not in keys[k]}
                     for k in _EXTRA_DICTS}
            self.saved[spec] = _Saved(folder, list(extras.get("nav", [])[nav_len:]), added)
            return
        if saved.folder.is_dir():
            shutil.copytree(saved.folder, docs, dirs_exist_ok=True)
        extras.setdefault("nav", []).extend(saved.nav)
        for k, items in saved.added.items():
            extras.setdefault(k, {}).update(items)

    def sync(self, staging: Path, pages: dict[str, str], docs: Path) -> tuple[int, int]:
        """Make docs equal to staging plus pages (pages win); returns (written, removed).

        Unchanged files keep their modification time, which is all MkDocs' dirty build looks at."""
        docs.mkdir(parents=True, exist_ok=True)
        new, old = _files(staging), _files(docs)
        written = removed = 0
        for rel in new - pages.keys():
            a, b = staging / rel, docs / rel
            if rel in old and a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes():
                continue
            b.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(a, b)
            written += 1
        for rel, text in pages.items():
            if rel in old and self.written.get(rel) == text:
                continue
            path = docs / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            self.written[rel] = text
            written += 1
        for rel in old - new - pages.keys():
            (docs / rel).unlink()
            self.written.pop(rel, None)
            removed += 1
        self.last_sync = (written, removed)
        return written, removed

    def left_out(self) -> list[str]:
        return [ONCE[spec] for spec in ONCE if spec in self.saved]
