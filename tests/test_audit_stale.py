"""The weekly list of hotlines and organisations due for verification."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from weibao.audit.stale import main, stale_records
from weibao.repo import Repository

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "audit" / "stale"


@pytest.fixture
def root(make_repo) -> Path:
    """Base records (an org verified 2024-08-06) plus a fresh and an unverified hotline."""
    return make_repo(
        {
            f"records/hotlines/{name}": (FIXTURES / name).read_text(encoding="utf-8")
            for name in ("laiyang-12349.yaml", "laiyang-night-line.yaml")
        }
    )


def test_stale_list_matches_golden(root, capsys, monkeypatch):
    """Unverified first, then the oldest verification; fresh records are left out."""
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    assert main(["--root", str(root), "--today", "2026-03-01"]) == 0
    assert capsys.readouterr().out == (FIXTURES / "expected.md").read_text(encoding="utf-8")


def test_written_to_the_job_summary(root, tmp_path, capsys, monkeypatch):
    """In CI the list is appended to $GITHUB_STEP_SUMMARY as well."""
    summary = tmp_path / "summary.md"
    summary.write_text("前面的内容\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    main(["--root", str(root), "--today", "2026-03-01"])
    assert summary.read_text(encoding="utf-8") == "前面的内容\n" + capsys.readouterr().out


@pytest.mark.parametrize(
    ("max_age", "today", "expected"),
    [
        (365, "2025-08-06", []),  # exactly 365 days: still in time
        (365, "2025-08-07", ["laiyang-civil-affairs"]),
        (30, "2026-02-10", ["laiyang-civil-affairs"]),
        (30, "2024-09-05", []),
    ],
)
def test_threshold_comes_from_config(make_repo, max_age, today, expected):
    """verification.max_age_days decides; a record exactly at the limit is not yet due."""
    root = make_repo()
    (root / "weibao.yaml").write_text(
        f"jurisdiction:\n  name: 测试\nverification:\n  max_age_days: {max_age}\n", encoding="utf-8"
    )
    found = stale_records(Repository(root), dt.date.fromisoformat(today))
    assert [s.record_id for s in found] == expected


def test_nothing_due(make_repo, capsys):
    """When everything is fresh the summary says so."""
    root = make_repo()
    main(["--root", str(root), "--today", "2024-09-01"])
    assert "全部热线和机构都在期限内核实过" in capsys.readouterr().out
