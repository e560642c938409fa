"""`weibao release`: archive an edition's statistics in a commit and tag it."""

from __future__ import annotations

import datetime as dt
import subprocess
import textwrap
from pathlib import Path

import pytest

from weibao.audit import release
from weibao.cli import main

# stands in for weibao.stats.publish (another module's job): writes one table into --out
FAKE_STATS = textwrap.dedent("""
    from pathlib import Path

    def run(repo, args):
        Path(args.out).mkdir(parents=True, exist_ok=True)
        (Path(args.out) / "cases_by_region.csv").write_text("region,count\\n370682,<5\\n", encoding="utf-8")
        return 0

    def freezing(repo, args):
        run(repo, args)
        frozen = repo.root / "statistics" / "frozen" / "cases-by-region"
        frozen.mkdir(parents=True, exist_ok=True)
        (frozen / "2026-Q3.json").write_text("{}", encoding="utf-8")
        return 0

    def fail(repo, args):
        Path(args.out).mkdir(parents=True, exist_ok=True)
        return 1
""")


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=root, check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture
def repo(make_repo, tmp_path, monkeypatch) -> Path:
    """A committed data repository and a stand-in statistics publisher."""
    root = make_repo()
    git(root, "init", "-q", "-b", "main")
    for key, value in [
        ("user.name", "发布员"),
        ("user.email", "release@example.invalid"),
        ("commit.gpgsign", "false"),
        ("tag.gpgsign", "false"),
    ]:
        git(root, "config", key, value)
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "数据")
    (tmp_path / "fake_stats.py").write_text(FAKE_STATS, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(release, "STATS_RUNNER", "fake_stats:run")
    monkeypatch.chdir(root)
    return root


def test_release_commits_archive_and_tags_it(repo, capsys):
    """The archive is committed as 发布 2026-Q3 版统计 and tagged with date and data commit."""
    data_commit = git(repo, "rev-parse", "HEAD").strip()
    assert main(["release", "2026-Q3", "--today", "2026-10-20"]) == 0
    assert (repo / "editions/2026-Q3/statistics/cases_by_region.csv").is_file()
    assert git(repo, "log", "-1", "--format=%s").strip() == "发布 2026-Q3 版统计"
    assert git(repo, "cat-file", "-t", "edition-2026-Q3").strip() == "tag"  # annotated
    message = git(repo, "tag", "-l", "--format=%(contents)", "edition-2026-Q3")
    assert "2026-10-20" in message and data_commit in message
    assert (
        git(repo, "rev-list", "-n", "1", "edition-2026-Q3").strip()
        == git(repo, "rev-parse", "HEAD").strip()
    )
    assert git(repo, "status", "--porcelain") == ""
    assert "edition-2026-Q3" in capsys.readouterr().out


def test_release_commits_the_periods_it_froze(repo, monkeypatch):
    """Publishing an edition freezes newly closed periods: those files are in the same commit."""
    monkeypatch.setattr(release, "STATS_RUNNER", "fake_stats:freezing")
    assert main(["release", "2026-Q3", "--today", "2026-10-20"]) == 0
    assert git(repo, "status", "--porcelain") == ""
    files = git(repo, "show", "--name-only", "--format=", "HEAD").split()
    assert "statistics/frozen/cases-by-region/2026-Q3.json" in files


def test_default_edition_is_the_last_finished_quarter(repo):
    """Without a name, the quarter that ended most recently is released."""
    assert main(["release", "--today", "2026-01-15"]) == 0
    assert git(repo, "tag", "-l").split() == ["edition-2025-Q4"]


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        ("2026-01-01", "2025-Q4"),
        ("2026-03-31", "2025-Q4"),
        ("2026-04-01", "2026-Q1"),
        ("2026-12-31", "2026-Q3"),
    ],
)
def test_default_edition_dates(today, expected):
    """Quarter boundaries: the first day of a quarter releases the one before it."""
    assert release.default_edition(dt.date.fromisoformat(today)) == expected


def test_existing_edition_is_never_overwritten(repo, capsys):
    """Releasing the same edition twice exits 2 and leaves the first release alone."""
    assert main(["release", "2026-Q3", "--today", "2026-10-20"]) == 0
    head = git(repo, "rev-parse", "HEAD")
    capsys.readouterr()
    assert main(["release", "2026-Q3", "--today", "2026-10-21"]) == 2
    assert "edition-2026-Q3 已经存在" in capsys.readouterr().err
    assert git(repo, "rev-parse", "HEAD") == head


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["release", "2026-Q5"], "版本名"),
        (["release", "2026-Q4", "--today", "2026-11-01"], "还没有结束"),
    ],
)
def test_bad_edition_exits_2(repo, capsys, argv, message):
    """A malformed or unfinished edition is refused with a reason."""
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_uncommitted_changes_are_refused(repo, capsys):
    """Statistics must match a commit: a dirty work tree is refused, nothing is tagged."""
    (repo / "records/orgs/laiyang-civil-affairs.yaml").write_text("id: x\n", encoding="utf-8")
    assert main(["release", "2026-Q3", "--today", "2026-10-20"]) == 2
    assert "未提交的修改" in capsys.readouterr().err
    assert git(repo, "tag", "-l") == ""


def test_failed_statistics_leave_nothing_behind(repo, monkeypatch, capsys):
    """When the publisher reports errors, no folder, commit or tag is left."""
    monkeypatch.setattr(release, "STATS_RUNNER", "fake_stats:fail")
    head = git(repo, "rev-parse", "HEAD")
    assert main(["release", "2026-Q3", "--today", "2026-10-20"]) == 1
    assert not (repo / "editions").exists()
    assert git(repo, "rev-parse", "HEAD") == head and git(repo, "tag", "-l") == ""
