"""Golden cases: each folder under tests/cases/ is a set of files laid over a small repository,
with the exact report `weibao validate` must print. Set WEIBAO_UPDATE_GOLDEN=1 to rewrite them
(then read the diff: every line is a message a staff member will see)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from weibao.cli import main

CASES = Path(__file__).parent / "cases"
UPDATE = os.environ.get("WEIBAO_UPDATE_GOLDEN") == "1"


def _run_case(case: Path, make_repo, capsys) -> tuple[int, str]:
    root = make_repo()
    shutil.copytree(case / "files", root, dirs_exist_ok=True)
    rc = main(["--root", str(root), "validate", "--today", "2026-11-24"])
    return rc, capsys.readouterr().out


def _cases(kind: str) -> list[Path]:
    return sorted((CASES / kind).iterdir())


@pytest.mark.parametrize("case", _cases("invalid"), ids=lambda p: p.name)
def test_invalid_case_reports_exact_errors(case: Path, make_repo, capsys) -> None:
    """A bad record is reported with file, line, column, field, the fix, and exit code 1."""
    rc, out = _run_case(case, make_repo, capsys)
    golden = case / "expected.txt"
    if UPDATE:
        golden.write_text(out, encoding="utf-8")
    assert out == golden.read_text(encoding="utf-8")
    assert rc == 1


@pytest.mark.parametrize("case", _cases("valid"), ids=lambda p: p.name)
def test_valid_case_passes(case: Path, make_repo, capsys) -> None:
    """The passing twin of a check is accepted with exit code 0."""
    rc, out = _run_case(case, make_repo, capsys)
    assert rc == 0, out
    assert out.endswith("全部通过。\n")
