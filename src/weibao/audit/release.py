"""`weibao release [2026-Q3]`: archive an edition's published statistics and tag it in git.

An edition is a quarter. The statistics the site publishes are written to
editions/<edition>/statistics/, committed as "发布 <edition> 版统计" and tagged with an
annotated tag edition-<edition> whose message names the release date and the data commit,
so an auditor can cite "the 2026-Q3 edition" and find exactly what was published.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import re
import shutil
import subprocess
from pathlib import Path

from weibao.audit.gitlog import git, is_repository
from weibao.errors import UsageError
from weibao.repo import Repository
from weibao.stats.freeze import FROZEN_DIR

_EDITION = re.compile(r"(\d{4})-Q([1-4])\Z")
STATS_RUNNER = "weibao.stats.publish:run"


def quarter_end(year: int, quarter: int) -> dt.date:
    month = quarter * 3
    first_of_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_of_next - dt.timedelta(days=1)


def default_edition(today: dt.date) -> str:
    """The last quarter that has ended before today."""
    quarter = (today.month - 1) // 3  # the current quarter's index; 0 means last year's Q4
    return f"{today.year - 1}-Q4" if quarter == 0 else f"{today.year}-Q{quarter}"


def publish_statistics(repo: Repository, out: Path, today: dt.date | None) -> int:
    """Run the statistics publisher into out (the same tables the site publishes)."""
    module, _, function = STATS_RUNNER.partition(":")
    try:
        runner = getattr(importlib.import_module(module), function)
    except (ImportError, AttributeError) as err:
        raise UsageError(f"统计模块 {STATS_RUNNER} 不可用（{err}）：无法归档统计。") from err
    return int(runner(repo, argparse.Namespace(out=out, today=today)))


def _check(repo: Repository, edition: str, today: dt.date) -> str:
    m = _EDITION.match(edition)
    if not m:
        raise UsageError(f"版本名“{edition}”不对：请写成 年-Q季度，如 2026-Q3。")
    if quarter_end(int(m[1]), int(m[2])) >= today:
        raise UsageError(f"{edition} 还没有结束（今天是 {today}）：季度结束后才能发布这一版。")
    if not is_repository(repo.root):
        raise UsageError(f"{repo.root} 不在 git 仓库中：版本以 git 标签记录。")
    tag = f"edition-{edition}"
    if str(git(repo.root, "tag", "--list", tag)).strip():
        raise UsageError(f"版本标签 {tag} 已经存在：已发布的版本不能覆盖。要查看它：git show {tag}")
    if (repo.root / "editions" / edition).exists():
        raise UsageError(f"editions/{edition}/ 已经存在：已发布的版本不能覆盖。")
    dirty = str(git(repo.root, "status", "--porcelain", "--", ".")).splitlines()
    if dirty:
        shown = "、".join(line[3:] for line in dirty[:5])
        raise UsageError(
            f"工作区有未提交的修改（{shown}）：请先提交或撤销，发布的统计必须对应一个提交。"
        )
    return tag


def _remove(folder: Path) -> None:
    """Undo a failed release: the edition's folder, and editions/ if it is left empty."""
    shutil.rmtree(folder, ignore_errors=True)
    if folder.parent.is_dir() and not any(folder.parent.iterdir()):
        folder.parent.rmdir()


def run(repo: Repository, args: argparse.Namespace) -> int:
    today = args.today or repo.today()
    edition = args.edition or default_edition(today)
    tag = _check(repo, edition, today)
    data_commit = str(git(repo.root, "rev-parse", "HEAD")).strip()
    folder = repo.root / "editions" / edition
    rc = publish_statistics(repo, folder / "statistics", args.today)
    if rc != 0:
        _remove(folder)
        print(f"统计未能生成（退出码 {rc}）：请先修正上面的错误。没有发布 {edition} 版。")
        return rc
    (folder / "README.md").write_text(
        f"# 未保数据仓 {edition} 版\n\n"
        f"- 发布日期：{today.isoformat()}\n"
        f"- 数据提交：{data_commit}\n"
        f"- 标签：{tag}\n\n"
        "statistics/ 中是这一版网站公布的统计表，发布后不再修改。"
        "引用时请写“未保数据仓 " + edition + " 版”。\n",
        encoding="utf-8",
    )
    rel = folder.relative_to(repo.root).as_posix()
    # periods frozen by this run are part of what was published: commit them with the edition
    paths = [rel] + ([FROZEN_DIR.as_posix()] if (repo.root / FROZEN_DIR).is_dir() else [])
    git(repo.root, "add", "--", *paths)
    try:
        git(
            repo.root,
            "commit",
            "-q",
            "-m",
            f"发布 {edition} 版统计",
            "-m",
            f"数据提交 {data_commit}，发布日期 {today.isoformat()}。",
            "--",
            *paths,
        )
    except UsageError:
        subprocess.run(["git", "reset", "-q", "--", *paths], cwd=repo.root, check=False)
        _remove(folder)
        raise
    git(
        repo.root,
        "tag",
        "-a",
        tag,
        "-m",
        f"未保数据仓 {edition} 版：发布日期 {today.isoformat()}，数据提交 {data_commit}。",
    )
    archive = str(git(repo.root, "rev-parse", "HEAD")).strip()
    print(f"已发布 {edition} 版：统计归档在 {rel}/statistics/，提交 {archive[:12]}，标签 {tag}。")
    print(f"请推送：git push origin HEAD {tag}")
    return 0
