"""`weibao validate`: run the validation pipeline and print the result with the chosen reporter."""

from __future__ import annotations

import argparse
import sys

from weibao.repo import Repository
from weibao.report import REPORTER_BY_NAME
from weibao.validate import validate


def run_validate(repo: Repository, args: argparse.Namespace) -> int:
    result = validate(repo, args.paths, today=args.today)
    if args.commits:
        from weibao.check.commits import scan_commits

        result.errors.extend(scan_commits(repo, args.commits))
    REPORTER_BY_NAME[args.format](result, sys.stdout)
    return result.exit_code
