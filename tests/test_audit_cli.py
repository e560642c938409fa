"""`weibao audit` and `weibao history` on a real git repository built from a scenario."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
from pathlib import Path

import pytest

from weibao.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "audit"
EXPECTED = FIXTURES / "expected"
UPDATE = os.environ.get("WEIBAO_UPDATE_GOLDEN") == "1"


def _gitrepo():
    spec = importlib.util.spec_from_file_location("audit_gitrepo", FIXTURES / "gitrepo.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def history_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The scenario played once: adds, edits, a squash PR, a rename merged by PR, a delete."""
    return _gitrepo().build(tmp_path_factory.mktemp("audit") / "repo")


def run(
    root: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch, *argv: str
) -> tuple[int, str]:
    monkeypatch.chdir(root)
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out or out.err


def golden(name: str, text: str) -> None:
    path = EXPECTED / name
    if UPDATE:
        path.write_text(text, encoding="utf-8", newline="")
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["md", "csv", "json"])
def test_audit_reports_every_change_exactly(history_repo, capsys, monkeypatch, fmt):
    """Adds, edits, renames, deletions and unparsable versions match the golden report."""
    code, out = run(history_repo, capsys, monkeypatch, "audit", "--format", fmt)
    assert code == 0
    golden(f"audit.{fmt}", out)


def test_audit_json_rows(history_repo, capsys, monkeypatch):
    """The facts a reader checks: actions, merges and field paths of each change."""
    _, out = run(history_repo, capsys, monkeypatch, "audit", "--format", "json")
    rows = [(r["action"], r["collection"], r["record_id"], r["merge"]) for r in json.loads(out)]
    assert rows == [
        ("modified", "orgs", "broken", ""),
        ("deleted", "orgs", "laiyang-station", ""),
        ("added", "cases", "c-0k2m9q4x3d", ""),
        ("added", "orgs", "broken", ""),
        ("renamed", "hotlines", "laiyang-child-hotline", "#4"),
        ("modified", "orgs", "laiyang-centre", "#3"),
        ("modified", "policies", "ly-2024", "#3"),
        ("added", "hotlines", "laiyang-12349", ""),
        ("added", "orgs", "laiyang-centre", ""),
        ("added", "orgs", "laiyang-station", ""),
        ("added", "policies", "ly-2024", ""),
    ]
    centre = next(
        r
        for r in json.loads(out)
        if r["record_id"] == "laiyang-centre" and r["action"] == "modified"
    )
    assert {
        "op": "changed",
        "path": "phones[0].number",
        "old": "0535-7211234",
        "new": "0535-7215678",
    } in centre["differences"]
    assert {"op": "added", "path": "services[1]", "new": "临时照料"} in centre["differences"]


def test_history_follows_a_rename(history_repo, capsys, monkeypatch):
    """A record's history includes its life under its old id, oldest first."""
    code, out = run(history_repo, capsys, monkeypatch, "history", "laiyang-child-hotline")
    assert code == 0
    golden("history.md", out)


def test_history_of_unknown_record_is_a_usage_error(history_repo, capsys, monkeypatch):
    """An id that never existed exits 2 and says so."""
    code, err = run(history_repo, capsys, monkeypatch, "history", "no-such-record")
    assert code == 2
    assert "no-such-record" in err


def test_audit_path_follows_renames(history_repo, capsys, monkeypatch):
    """Auditing one file also shows the changes made under its earlier name."""
    _, out = run(
        history_repo,
        capsys,
        monkeypatch,
        "audit",
        "records/hotlines/laiyang-child-hotline.yaml",
        "--format",
        "json",
    )
    assert [(r["action"], r["record_id"]) for r in json.loads(out)] == [
        ("renamed", "laiyang-child-hotline"),
        ("added", "laiyang-12349"),
    ]


def test_audit_folder_and_deleted_file(history_repo, capsys, monkeypatch):
    """A folder selects its records; a deleted file can still be audited by path."""
    _, out = run(history_repo, capsys, monkeypatch, "audit", "records/policies", "--format", "json")
    assert {r["record_id"] for r in json.loads(out)} == {"ly-2024"}
    _, out = run(
        history_repo,
        capsys,
        monkeypatch,
        "audit",
        "records/orgs/laiyang-station.yaml",
        "--format",
        "json",
    )
    assert [r["action"] for r in json.loads(out)] == ["deleted", "added"]


def test_audit_since_until(history_repo, capsys, monkeypatch):
    """--since and --until keep the changes made on those days and between them."""
    _, out = run(
        history_repo,
        capsys,
        monkeypatch,
        "audit",
        "--since",
        "2026-02-10",
        "--until",
        "2026-03-01",
        "--format",
        "json",
    )
    assert [(r["date"][:10], r["record_id"]) for r in json.loads(out)] == [
        ("2026-03-01", "laiyang-child-hotline"),
        ("2026-02-10", "laiyang-centre"),
        ("2026-02-10", "ly-2024"),
    ]


def test_audit_rev_range(history_repo, capsys, monkeypatch):
    """A revision range limits the audit to the commits in it, keeping pull request numbers."""
    _, out = run(
        history_repo,
        capsys,
        monkeypatch,
        "audit",
        "v1..HEAD",
        "records/hotlines",
        "--format",
        "json",
    )
    assert [(r["action"], r["merge"]) for r in json.loads(out)] == [("renamed", "#4")]


@pytest.mark.parametrize(
    "argv", [["audit", "--since", "2026/01/01"], ["audit", "no-such-rev..HEAD"]]
)
def test_audit_bad_arguments_exit_2(history_repo, capsys, monkeypatch, argv):
    """A malformed date or an unknown revision is a usage error, not a crash."""
    code, err = run(history_repo, capsys, monkeypatch, *argv)
    assert code == 2
    assert err.startswith("weibao: ")


def test_audit_outside_git_is_a_usage_error(make_repo, capsys, monkeypatch):
    """A data repository that is not in git cannot be audited: exit 2 with a reason."""
    root = make_repo()
    if subprocess.run(["git", "rev-parse"], cwd=root, capture_output=True).returncode == 0:
        pytest.skip("the temporary folder is inside a git work tree")
    code, err = run(root, capsys, monkeypatch, "audit")
    assert code == 2
    assert "git" in err
