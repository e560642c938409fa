"""`weibao audit` and `weibao history`: the audit trail on the command line."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

from weibao.audit.changes import (
    Change,
    iter_changes,
    name_matcher,
    record_of,
    renames,
    touched_by,
)
from weibao.audit.gitlog import is_repository
from weibao.audit.render import RENDERER_BY_NAME
from weibao.errors import UsageError
from weibao.repo import Repository


def _require_git(repo: Repository) -> None:
    if not is_repository(repo.root):
        raise UsageError(f"{repo.root} 不在 git 仓库中：审计记录来自 git 历史。")


def _day(value: str | None, option: str) -> str | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError as err:
        raise UsageError(f"{option} {value}: 日期应写成 YYYY-MM-DD。") from err


def _split_range(
    repo: Repository, rev_range: str | None, paths: list[Path]
) -> tuple[str | None, list[Path]]:
    """argparse puts the first path into REV_RANGE when no range is given: move it back."""
    if rev_range is not None and (
        (Path.cwd() / rev_range).exists() or "records" in Path(rev_range).parts
    ):
        return None, [Path(rev_range), *paths]
    return rev_range, paths


def _path_filter(
    repo: Repository, rev_range: str | None, paths: list[Path]
) -> Callable[[Change], bool]:
    """Whether a change is to a record under the given files or folders (a file's earlier
    names included: renames are read first, without contents)."""
    prefixes: list[str] = []
    matchers: list[Callable[[tuple[str, str]], bool]] = []
    moves: list | None = None
    for raw in paths:
        path = (raw if raw.is_absolute() else Path.cwd() / raw).resolve()
        try:
            rel = path.relative_to(repo.root).as_posix()
        except ValueError as err:
            raise UsageError(f"{raw}: 不在数据仓 {repo.root} 中。") from err
        collection, record_id = record_of(rel)
        if collection is not None and record_id is not None:
            if moves is None:
                moves = list(renames(repo.root, rev_range))
            matchers.append(name_matcher(moves, collection, record_id))
        else:
            prefixes.append("" if rel == "." else rel.rstrip("/") + "/")
    if not paths:
        return lambda c: True
    return lambda c: (
        any(touched_by(c, m) for m in matchers)
        or any(p.startswith(pre) for pre in prefixes for p in (c.path, c.old_path or ""))
    )


def run_audit(repo: Repository, args: argparse.Namespace) -> int:
    _require_git(repo)
    since, until = _day(args.since, "--since"), _day(args.until, "--until")
    rev_range, paths = _split_range(repo, args.rev_range, list(args.paths))
    wanted = _path_filter(repo, rev_range, paths)
    changes = (
        c
        for c in iter_changes(repo.root, rev_range)
        if wanted(c)
        and (since is None or c.date[:10] >= since)
        and (until is None or c.date[:10] <= until)
    )
    RENDERER_BY_NAME[args.format](changes, sys.stdout, "记录修改审计")
    return 0


def run_history(repo: Repository, args: argparse.Namespace) -> int:
    _require_git(repo)
    collection, _, record_id = args.record_id.rpartition("/")
    matches = name_matcher(renames(repo.root), collection or None, record_id)
    # one record's changes only are kept: its life story is told oldest first
    life = [c for c in iter_changes(repo.root) if touched_by(c, matches)]
    if not life:
        raise UsageError(
            f"git 历史中没有编号为“{args.record_id}”的记录：请检查编号（即文件名，不含 .yaml）。"
        )
    life.reverse()
    RENDERER_BY_NAME[args.format](life, sys.stdout, f"记录 {args.record_id} 的修改历史")
    return 0
