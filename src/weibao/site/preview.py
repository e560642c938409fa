"""What a live preview (`weibao serve`) keeps between rebuilds, so one edit costs little.

- Records: per-file checks are re-run only for changed files (validate_incremental).
- Contributors that read the whole git history or write every export (ONCE) run once, when the
  preview starts; later rebuilds reuse their pages and downloads, and the serve log says so.
- The statistics section is computed again only when its inputs changed (reuse(): the program
  records, regions, sources, indicators, statistics/ files, settings, date and commit).
- Pages: made again only when their inputs changed (pages/memo.py), and written into the live
  docs folder only when their text changed, so MkDocs' dirty build (which compares file times)
  renders only the pages an edit touched.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from weibao.site.pages.memo import PageMemo
from weibao.validate_incremental import RecordCache

# contributor → what the preview shows as of its start (said in the serve log); a full
# `weibao build` always regenerates them
ONCE: dict[str, str] = {
    "weibao.policy.export:contribute": "政策文件的 .docx 和 PDF 下载文件",
    "weibao.audit.site:contribute": "“最近更新”页和各记录的修改记录（来自 git 历史）",
    "weibao.opendata.site:contribute": "“开放数据”页的下载文件（HSDS、CSV 数据包）",
}
_EXTRA_DICTS = ("history", "downloads")


@dataclass
class _Saved:
    nav: list[Any]
    added: dict[str, dict[str, Any]]
    key: Any = None
    folder: Path | None = None  # copies of the files written (reuse), or None (ONCE: kept in docs)


def _files(root: Path) -> set[str]:
    out = set()
    for folder, _, names in os.walk(root):
        for name in names:
            out.add(Path(os.path.relpath(os.path.join(folder, name), root)).as_posix())
    return out


def _capture(docs: Path, extras: dict[str, Any], run: Callable[[], None]) -> tuple[set[str], _Saved]:
    """The files run() writes into docs, and what it adds to extras."""
    before = _files(docs)
    nav_len = len(extras.get("nav", []))
    keys = {k: set(extras.get(k, {})) for k in _EXTRA_DICTS}
    run()
    added = {k: {i: v for i, v in extras.get(k, {}).items() if i not in keys[k]}
             for k in _EXTRA_DICTS}
    return _files(docs) - before, _Saved(list(extras.get("nav", [])[nav_len:]), added)


def _replay(saved: _Saved, docs: Path, extras: dict[str, Any]) -> None:
    if saved.folder is not None and saved.folder.is_dir():
        shutil.copytree(saved.folder, docs, dirs_exist_ok=True)
    extras.setdefault("nav", []).extend(saved.nav)
    for k, items in saved.added.items():
        extras.setdefault(k, {}).update(items)


@dataclass
class Preview:
    work: Path
    records: RecordCache = field(default_factory=RecordCache)
    memo: PageMemo = field(default_factory=PageMemo)
    saved: dict[str, _Saved] = field(default_factory=dict)
    written: dict[str, str] = field(default_factory=dict)  # page → text last written to docs
    kept: set[str] = field(default_factory=set)  # files of ONCE contributors, left in docs
    present: set[str] | None = None  # what docs holds after the last sync
    last_sync: tuple[int, int] = (0, 0)  # files (written, removed) by the last sync

    def contribute(self, spec: str, function: Callable[..., None], repo: Any, public: Any,
                   docs: Path, extras: dict[str, Any]) -> None:
        """Run a contributor, or for ONCE ones replay what its first run wrote."""
        if spec not in ONCE:
            function(repo, public, docs, extras)
            return
        saved = self.saved.get(spec)
        if saved is None:
            files, self.saved[spec] = _capture(docs, extras,
                                               lambda: function(repo, public, docs, extras))
            self.kept |= files
            return
        _replay(saved, docs, extras)

    def reuse(self, name: str, key: Any, run: Callable[[], None], docs: Path,
              extras: dict[str, Any]) -> None:
        """run() (it writes into docs and extras), or a replay of what it wrote last time when
        key, every input of run, equals the last key."""
        saved = self.saved.get(name)
        if saved is not None and saved.key == key:
            _replay(saved, docs, extras)
            return
        files, captured = _capture(docs, extras, run)
        folder = self.work / "reuse" / name
        if folder.exists():
            shutil.rmtree(folder)
        for rel in files:
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(docs / rel, folder / rel)
        captured.key, captured.folder = key, folder
        self.saved[name] = captured

    def sync(self, staging: Path, pages: dict[str, str], docs: Path) -> tuple[int, int]:
        """Make docs equal to staging plus pages (pages win) plus the kept files of ONCE
        contributors; returns (files written, files removed).

        Unchanged files keep their modification time, which is all MkDocs' dirty build looks at."""
        docs.mkdir(parents=True, exist_ok=True)
        new = _files(staging)
        old = _files(docs) if self.present is None else self.present
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
        for rel in old - new - pages.keys() - self.kept:
            (docs / rel).unlink()
            self.written.pop(rel, None)
            removed += 1
        self.present = new | pages.keys() | self.kept
        self.last_sync = (written, removed)
        return written, removed

    def left_out(self) -> list[str]:
        return [ONCE[spec] for spec in ONCE if spec in self.saved]
