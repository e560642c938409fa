"""The checks that catch issue-13 defects early are switched on and run in CI."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_ruff_refuses_naive_dates_and_global_state() -> None:
    """DTZ (no naive date/time) and PLW0603 (no `global`) are selected."""
    select = _pyproject()["tool"]["ruff"]["lint"]["select"]
    assert "DTZ" in select and "PLW0603" in select


def test_mypy_checks_every_function_body_of_the_package() -> None:
    """mypy is configured for src/ with check_untyped_defs (run by `nox -s lint`)."""
    mypy = _pyproject()["tool"]["mypy"]
    assert mypy["files"] == ["src"] and mypy["check_untyped_defs"] is True


def test_ci_runs_lint_and_type_check_before_the_tests() -> None:
    """.ci/run runs the lint session, and the lint session runs both ruff and mypy."""
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "nox -s lint tests" in ci
    noxfile = (ROOT / "noxfile.py").read_text(encoding="utf-8")
    lint = noxfile[noxfile.index("def lint("):]
    lint = lint[: lint.index("@nox.session", 1)] if "@nox.session" in lint else lint
    assert 'session.run("ruff"' in lint and 'session.run("mypy")' in lint


def test_site_workflow_requires_the_pdfs() -> None:
    """The published site must have its PDFs: the Pages workflow builds with --require-pdf."""
    workflow = (ROOT / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8")
    assert "--require-pdf" in workflow
