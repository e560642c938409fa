"""`weibao validate`: run the validation pipeline and print the result with the chosen reporter."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from weibao.errors import UsageError
from weibao.repo import Repository
from weibao.report import REPORTER_BY_NAME
from weibao.result import Result
from weibao.validate import validate


def run_validate(repo: Repository, args: argparse.Namespace) -> int:
    result = validate(repo, args.paths, today=args.today)
    if args.commits:
        from weibao.check.commits import scan_commits

        result.errors.extend(scan_commits(repo, args.commits))
    write_reports(result, args.format or [("text", None)], repo)
    return result.exit_code


def write_reports(result: Result, formats: list[tuple[str, Path | None]],
                  repo: Repository) -> None:
    """One validation, many outputs: at most one format to standard output, the rest to files."""
    if sum(1 for _, file in formats if file is None) > 1:
        raise UsageError("只能有一种 --format 输出到屏幕；其余请写成 格式=文件名。")
    for name, file in formats:
        if file is None:
            REPORTER_BY_NAME[name](result, sys.stdout, repo.root)
            continue
        try:
            with open(file, "w", encoding="utf-8", newline="\n") as out:
                REPORTER_BY_NAME[name](result, out, repo.root)
        except OSError as err:
            raise UsageError(f"--format {name}={file}：不能写入（{err.strerror}）。") from err
