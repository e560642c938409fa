"""Hotlines and organisations whose last verification by a person is older than configured.

Read-only: prints a Markdown list (and appends it to the CI job summary when
$GITHUB_STEP_SUMMARY is set). Run weekly by .github/workflows/stale.yml via `nox -s stale`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from weibao import clock
from weibao.errors import WeibaoError
from weibao.load import load_file
from weibao.repo import Repository, find_root

COLLECTIONS = {"hotlines": "热线", "orgs": "机构"}


@dataclass(frozen=True)
class Stale:
    collection: str
    record_id: str
    name: str
    verified: str | None  # None: missing or not a date
    age_days: int | None
    file: str


def stale_records(repo: Repository, today: dt.date) -> list[Stale]:
    """Records due for verification, never verified first, then the oldest verification first."""
    max_age = repo.config.verification.max_age_days
    max_bytes = repo.config.validation.max_file_bytes
    out = []
    for collection in COLLECTIONS:
        for path in repo.record_files(collection):
            rel = repo.rel(path)
            record = load_file(path, rel, max_bytes).value or {}
            verified = record.get("verified")
            try:
                age = (today - dt.date.fromisoformat(str(verified))).days
            except ValueError:
                age = None
            if age is None or age > max_age:
                out.append(
                    Stale(
                        collection,
                        path.stem,
                        str(record.get("name") or path.stem),
                        str(verified) if age is not None else None,
                        age,
                        rel,
                    )
                )
    return sorted(out, key=lambda s: (s.age_days is not None, -(s.age_days or 0), s.file))


def render(stale: list[Stale], max_age: int, today: dt.date) -> str:
    lines = [
        "# 需要重新核实的热线和机构",
        "",
        f"核实期限 {max_age} 天（weibao.yaml 中的 verification.max_age_days），今天是 {today.isoformat()}。",
        "",
    ]
    if not stale:
        return "\n".join([*lines, "全部热线和机构都在期限内核实过。", ""])
    lines += [
        f"共 {len(stale)} 条。请打电话或查官方网站核实后，修改记录并把 verified 改为核实当天的日期。",
        "",
        "| 类型 | 名称 | 最近核实 | 已过天数 | 文件 |",
        "| --- | --- | --- | --- | --- |",
    ]
    for s in stale:
        lines.append(
            f"| {COLLECTIONS[s.collection]} | {s.name.replace('|', '/')} | {s.verified or '（未写或格式有误）'} "
            f"| {s.age_days if s.age_days is not None else '—'} | {s.file} |"
        )
    return "\n".join([*lines, ""])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m weibao.audit.stale", description=__doc__)
    parser.add_argument("--root", type=Path, default=None)
    parser.add_argument("--today", type=clock.date_argument, help="YYYY-MM-DD（测试用）")
    args = parser.parse_args(argv)
    try:
        repo = Repository(args.root or find_root(Path.cwd()))
        today = args.today or repo.today()
    except WeibaoError as err:
        print(f"weibao: {err}", file=sys.stderr)
        return 2
    text = render(stale_records(repo, today), repo.config.verification.max_age_days, today)
    sys.stdout.write(text)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as out:
            out.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
