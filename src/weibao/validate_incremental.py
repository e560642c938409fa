"""Validation for a live preview (`weibao serve`): per-file checks re-run only for changed files.

A file's per-file result (errors, facts, record) is reused while its bytes are the same; the
checks' inputs (schemas, weibao.yaml limits, today) are part of the key, so editing any of them
checks every file again. A file whose size, mtime, ctime and inode are unchanged is not even read
(as git does). The cross-record checks (references, vocabularies, duplicate ids) always run over
the facts of every file, so an edit that breaks a reference elsewhere is still caught.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import os
import pickle
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from weibao.check.refs import Facts
from weibao.repo import Repository
from weibao.result import Error, Result
from weibao.validate import (
    _WORKER,
    CHUNK,
    Checks,
    _Context,
    _cross_check,
    _layout_errors,
    _start_worker,
    _workers,
    check_file,
)

Checked = tuple[list[Error], "Facts | None", "dict | None"]


def _check_each(items: list[tuple[str, str]]) -> list[Checked]:
    """In a worker process: check_file of each (path, collection)."""
    return [check_file(_WORKER["context"], Path(p), c) for p, c in items]


@dataclasses.dataclass
class _Entry:
    stat: tuple[int, int, int, int]
    digest: bytes
    errors: list[Error]
    facts: Facts | None
    record: dict | None


def _stat_key(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


class RecordCache:
    """One per preview; load() is called on every rebuild."""

    def __init__(self) -> None:
        self._spec_key = b""
        self._context: _Context | None = None
        self._files: dict[str, _Entry] = {}
        self.rechecked = 0  # files checked again by the last load (the serve log says how many)

    def _checks_for(self, repo: Repository, today: str) -> Checks:
        """This run's checks; their compiled schemas are reused while the inputs are the same."""
        checks = Checks(repo, today)
        key = hashlib.blake2b(pickle.dumps(checks.spec)).digest()
        if key != self._spec_key:  # schemas, limits or the date changed: check every file again
            self._spec_key, self._context, self._files = key, None, {}
        if self._context is None:
            self._context = checks.context()
        checks._context = self._context
        return checks

    def _stale(self, path: Path) -> tuple[tuple[int, int, int, int], bytes] | None:
        """(stat, digest) of a file whose bytes differ from the cached ones, else None."""
        old = self._files.get(str(path))
        try:
            stat = _stat_key(path.stat())
        except OSError:
            stat = (-1, -1, -1, -1)
        if old is not None and old.stat == stat:
            return None
        try:
            digest = hashlib.blake2b(path.read_bytes()).digest()
        except OSError:
            digest = b""
        if old is not None and old.digest == digest and digest:
            old.stat = stat
            return None
        return stat, digest

    def _check(self, repo: Repository, checks: Checks, items: list[tuple[Path, str]]) -> None:
        """Check the stale files among items (on every core when there are many)."""
        todo = []
        for path, collection in items:
            key = self._stale(path)
            if key is not None:
                todo.append((path, collection, key))
        self.rechecked = len(todo)
        workers = _workers(repo, len(todo))
        if workers == 1:
            ctx = checks.context()
            results: list[Checked] = [check_file(ctx, p, c) for p, c, _ in todo]
        else:
            chunks = [[(str(p), c) for p, c, _ in todo[i : i + CHUNK]]
                      for i in range(0, len(todo), CHUNK)]
            with ProcessPoolExecutor(max_workers=workers, initializer=_start_worker,
                                     initargs=(checks.spec,)) as pool:
                results = [r for chunk in pool.map(_check_each, chunks) for r in chunk]
        for (path, _, (stat, digest)), (errors, facts, record) in zip(todo, results, strict=True):
            self._files[str(path)] = _Entry(stat, digest, errors, facts, record)

    def load(self, repo: Repository) -> tuple[Result, dict[str, list[dict]]]:
        """Like validate.load_records: every error, and the valid records by collection."""
        checks = self._checks_for(repo, repo.today().isoformat())
        layout, items = _layout_errors(repo)
        errors: list[Error] = list(layout)
        facts: list[Facts] = []
        by_collection: dict[str, list[dict]] = {c: [] for c in repo.collections}
        gc.disable()  # as in load_records: records arrive without cycles
        try:
            self._check(repo, checks, items)
        finally:
            gc.enable()
        seen = {str(path) for path, _ in items}
        for gone in set(self._files) - seen:
            del self._files[gone]
        for path, collection in items:
            entry = self._files[str(path)]
            errors += entry.errors
            if entry.facts is not None:
                facts.append(entry.facts)
                if not entry.errors and entry.record is not None:
                    by_collection[collection].append(entry.record)
        errors += _cross_check(repo, checks, facts, seen, {})
        return Result(checked=len(items), errors=errors), by_collection
