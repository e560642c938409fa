"""The benchmark (scripts/bench.py) measures what it says: its generated history is the workload
it claims, and its report marks each target met or not met from the figures, at the boundary too.

The benchmark itself is slow (`nox -s bench`); these tests run its parts at a tiny size.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import bench  # noqa: E402
from bench_repo import add_history, make_repo  # noqa: E402


@pytest.fixture(scope="module")
def small_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = tmp_path_factory.mktemp("bench") / "repo"
    make_repo(repo, 40, orgs=6, policies=1, seed=7)
    add_history(repo, 6)
    return repo


def _weibao(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "weibao", "--root", str(repo), *args],
                          capture_output=True, text=True, encoding="utf-8")


def test_the_history_is_small_edits_to_valid_records(small_repo):
    """Each edit commit changes one field of one clue or organisation, and the result validates."""
    count = subprocess.run(["git", "rev-list", "--count", "HEAD"], cwd=small_repo,
                           capture_output=True, text=True, check=True).stdout.strip()
    assert count == "7"  # every record, then six edits
    assert subprocess.run(["git", "status", "--porcelain"], cwd=small_repo, capture_output=True,
                          text=True, check=True).stdout == ""
    audit = _weibao(small_repo, "audit", "HEAD~6..HEAD", "--format", "json")
    assert audit.returncode == 0, audit.stderr
    changes = json.loads(audit.stdout)
    changes = changes["changes"] if isinstance(changes, dict) else changes
    assert len(changes) == 6
    assert {c["collection"] for c in changes} == {"clues", "orgs"}
    assert all(len(c["differences"]) == 1 and c["differences"][0]["op"] == "changed" for c in changes)
    assert {c["differences"][0]["path"] for c in changes} == {"days_to_first_response", "verified"}
    check = _weibao(small_repo, "validate")
    assert check.returncode == 0, check.stdout[-2000:]


def test_the_bare_parse_reads_every_record_file(small_repo):
    files = sum(1 for _ in (small_repo / "records").rglob("*.yaml"))
    assert bench.bare_parse(small_repo, 1) == files == bench.bare_parse(small_repo, 2)


def _run(wall: float, peak: float = 50.0, cpu: float | None = None) -> dict:
    return {"wall": wall, "peak_mib": peak, "cpu": wall if cpu is None else cpu}


def _result(**over: dict) -> dict:
    r = {
        "size": 10_000, "files": 15_375, "parse": _run(10.0), "validate": _run(15.0),
        "changed": _run(0.4), "build": _run(25.0, 600.0), "stats": _run(9.0),
        "audit_edits": _run(3.0), "gitlog_edits": _run(1.0), "audit_whole": _run(6.0),
        "gitlog_whole": _run(2.0), "first_load_kb": 100.0,
        "serve": {"wall": 2.0, "walls": [1.9, 2.0, 2.1], "start_s": 60.0, "orgs": 5000},
    }
    return {**r, **over}


def _report(*results: dict, imported: dict | None = None) -> str:
    args = type("Args", (), {"runs": 3, "history": 2000})()
    return bench.table(list(results), imported, args, (1.0, 2.0))


def _row(report: str, start: str) -> str:
    return next(line for line in report.splitlines() if line.startswith(f"| {start}"))


def test_targets_met_exactly_at_the_limit():
    report = _report(_result())
    for start in ("`weibao validate`, whole", "`weibao build`", "`weibao validate` of one",
                  "`weibao audit --format json`, the", "`weibao audit --format json`, whole",
                  "home page", "`weibao serve`"):
        row = _row(report, start)
        assert "— met" in row and "not met" not in row, row
        assert row.rstrip().endswith("|") and "≤" in row.rsplit("|", 2)[1], row  # the target is shown


@pytest.mark.parametrize(("key", "value", "row"), [
    ("validate", _run(15.1), "`weibao validate`, whole"),
    ("build", _run(25.1, 10.0), "`weibao build`"),
    ("build", _run(10.0, 601.0), "`weibao build`"),  # fast enough, too much memory
    ("changed", _run(2.01), "`weibao validate` of one"),
    ("audit_whole", _run(6.1), "`weibao audit --format json`, whole"),
    ("first_load_kb", 100.1, "home page"),
    ("serve", {"wall": 2.01, "walls": [2.01], "start_s": 60.0, "orgs": 5000}, "`weibao serve`"),
])
def test_a_figure_past_its_target_is_not_met(key, value, row):
    report = _report(_result(**{key: value}))
    assert "**not met**" in _row(report, row)
    others = [line for line in report.splitlines() if "**not met**" in line]
    assert len(others) == 1  # only the row whose figure moved


def test_each_size_gets_its_own_column_and_the_import_its_row():
    imported = {"rows": 10_000, "import_s": 10.5, "import_cpu_s": 9.0, "peak_mib": 200.0}
    report = _report(_result(), _result(size=100_000, files=105_375, validate=_run(16.0)),
                     imported=imported)
    assert "10,000 program records (15,375 files)" in report
    assert "100,000 program records (105,375 files)" in report
    row = _row(report, "`weibao validate`, whole")
    assert row.count("— met") == 1 and row.count("**not met**") == 1
    assert "**not met**" in _row(report, "import of 10,000 spreadsheet rows")


def test_statistics_refused_by_the_audit_are_said_so():
    """`weibao stats` exiting 1 (nothing may be published safely) is reported, not timed as done."""
    assert "refused" not in _row(_report(_result(stats={**_run(9.0), "rc": 0})), "`weibao stats`")
    assert "refused to publish" in _row(_report(_result(stats={**_run(9.0), "rc": 1})), "`weibao stats`")


def test_an_import_of_fewer_rows_than_the_target_speaks_of_is_not_judged():
    small = {"rows": 500, "import_s": 1.0, "import_cpu_s": 0.7, "peak_mib": 70.0}
    row = _row(_report(_result(), imported=small), "import of 500")
    assert "too few rows to judge" in row and "met" not in row


def test_serve_is_measured_at_one_size_only():
    """The other column says "–", not a verdict on a figure that was not measured."""
    second = {k: v for k, v in _result(size=100_000).items() if k != "serve"}
    row = _row(_report(_result(), second), "`weibao serve`")
    assert row.count("— met") == 1 and "| – |" in row, row


def test_the_serve_measurement_waits_for_the_served_change_and_restores_the_file(small_repo):
    from bench_serve import serve_edit

    done = serve_edit(small_repo, edits=1)
    assert done["orgs"] == 6 and len(done["walls"]) == 1 and done["wall"] > 0
    assert subprocess.run(["git", "status", "--porcelain"], cwd=small_repo, capture_output=True,
                          text=True, check=True).stdout == ""
