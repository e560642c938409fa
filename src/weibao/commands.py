"""`weibao validate`: run the validation pipeline and print the result with the chosen reporter."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from weibao.errors import UsageError
from weibao.repo import Repository
from weibao.report import REPORTER_BY_NAME
from weibao.validate import validate


def parse_today(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as err:
        raise UsageError(f"--today {value}: 日期应写成 YYYY-MM-DD。") from err


def run_validate(repo: Repository, args: argparse.Namespace) -> int:
    result = validate(repo, args.paths, today=parse_today(args.today))
    if args.commits:
        from weibao.check.commits import scan_commits

        result.errors.extend(scan_commits(repo.root, args.commits))
    REPORTER_BY_NAME[args.format](result, sys.stdout)
    return result.exit_code
