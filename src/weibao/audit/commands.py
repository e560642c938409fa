"""`weibao audit` and `weibao history`: the audit trail on the command line."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from weibao.audit.changes import Change, collect, lineage, record_of, touches
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


def _path_filter(repo: Repository, paths: list[Path], changes: list[Change]) -> list[Change]:
    """Changes to records under the given files or folders, following renames of a file."""
    if not paths:
        return changes
    prefixes: list[str] = []
    names: set[tuple[str, str]] = set()
    for raw in paths:
        path = (raw if raw.is_absolute() else Path.cwd() / raw).resolve()
        try:
            rel = path.relative_to(repo.root).as_posix()
        except ValueError as err:
            raise UsageError(f"{raw}: 不在数据仓 {repo.root} 中。") from err
        collection, record_id = record_of(rel)
        if collection is not None and record_id is not None:
            names |= lineage(changes, collection, record_id)
        else:
            prefixes.append("" if rel == "." else rel.rstrip("/") + "/")
    return [
        c
        for c in changes
        if touches(c, names)
        or any(p.startswith(pre) for pre in prefixes for p in (c.path, c.old_path or ""))
    ]


def run_audit(repo: Repository, args: argparse.Namespace) -> int:
    _require_git(repo)
    since, until = _day(args.since, "--since"), _day(args.until, "--until")
    rev_range, paths = _split_range(repo, args.rev_range, list(args.paths))
    changes = _path_filter(repo, paths, collect(repo.root, rev_range))
    changes = [
        c
        for c in changes
        if (since is None or c.date[:10] >= since) and (until is None or c.date[:10] <= until)
    ]
    RENDERER_BY_NAME[args.format](changes, sys.stdout, "记录修改审计")
    return 0


def run_history(repo: Repository, args: argparse.Namespace) -> int:
    _require_git(repo)
    collection, _, record_id = args.record_id.rpartition("/")
    changes = collect(repo.root)
    names = lineage(changes, collection or None, record_id)
    if not names:
        raise UsageError(
            f"git 历史中没有编号为“{args.record_id}”的记录：请检查编号（即文件名，不含 .yaml）。"
        )
    life = [c for c in reversed(changes) if touches(c, names)]  # oldest first: a life story
    RENDERER_BY_NAME[args.format](life, sys.stdout, f"记录 {args.record_id} 的修改历史")
    return 0
