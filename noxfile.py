"""The single entry point: every task a person or CI runs is a nox session.

    python -m pip install nox
    python -m nox -s build      # set up, validate the records and build the site into public/
    python -m nox -s tests      # the test suite (what .ci/run and CI run)
"""

from __future__ import annotations

import os
import subprocess

import nox

nox.options.sessions = ["validate", "build", "lint", "tests"]
nox.options.reuse_venv = "yes"
nox.options.error_on_missing_interpreters = True


def _install(session: nox.Session, extras: str = "") -> None:
    session.install("-e", f".{extras}")


@nox.session
def validate(session: nox.Session) -> None:
    """Validate every record (schemas, references, privacy); pass --format github in CI."""
    _install(session)
    session.run("weibao", "validate", *session.posargs)


@nox.session
def validate_changed(session: nox.Session) -> None:
    """Validate only the records changed since a base revision (default origin/main)."""
    base = session.posargs[0] if session.posargs else "origin/main"
    # -z: file names with spaces or Chinese characters come through unquoted
    names = subprocess.run(
        ["git", "diff", "-z", "--name-only", "--diff-filter=d", f"{base}...HEAD", "--",
         "records/*/*.yaml"],
        capture_output=True, text=True, check=True, encoding="utf-8",
    ).stdout.split("\0")
    out = [n for n in names if n]
    if not out:
        session.log("没有修改的记录文件。")
        return
    _install(session)
    session.run("weibao", "validate", "--format", "github", *out)


@nox.session(default=False)
def correction(session: nox.Session) -> None:
    """Turn a labelled public correction issue (the event file) into a change to its record."""
    _install(session)
    session.run("python", "-m", "weibao.correction", *session.posargs)


@nox.session(default=False)
def fmt(session: nox.Session) -> None:
    """Record files in the canonical form; CI passes --check (lists files, writes nothing)."""
    _install(session)
    session.run("weibao", "fmt", *session.posargs)


@nox.session
def build(session: nox.Session) -> None:
    """Build the public site (with statistics) into public/. `weibao build` validates every
    record itself and refuses to build, with the same report, when any is wrong: running
    `weibao validate` first would pay for the whole validation twice."""
    _install(session)
    session.run("weibao", "build", *session.posargs)


@nox.session(default=False)
def serve(session: nox.Session) -> None:
    """Live preview of the site while records are edited (http://127.0.0.1:8000)."""
    _install(session)
    session.run("weibao", "serve", *session.posargs)


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite, browser tests included (needs Debian's chromium)."""
    _install(session, "[test]")
    session.run("pytest", *session.posargs, env={"PYTHONHASHSEED": "0"})


@nox.session(default=False)
def attack(session: nox.Session) -> None:
    """The independent attacker over the sample and 20 seeded random repositories (issue 11).

    `WEIBAO_ATTACK_MILP=3 nox -s attack` also solves in integers where the relaxation is fractional.
    """
    _install(session, "[test]")
    session.run("pytest", "tests/test_stats_attacker.py", *session.posargs,
                env={"PYTHONHASHSEED": "0", "WEIBAO_ATTACK_SEEDS": "20"})


@nox.session
def lint(session: nox.Session) -> None:
    """Lint with ruff and type-check with mypy (settings in pyproject.toml)."""
    # mypy reads the installed libraries' types, so the package and its dependencies come too
    _install(session)
    session.install("ruff>=0.6", "mypy>=1.11")
    session.run("ruff", "check", "src", "tests", "scripts", "noxfile.py")
    session.run("mypy")


@nox.session(default=False)
def stale(session: nox.Session) -> None:
    """List hotlines and organisations whose last verification is too old."""
    _install(session)
    session.run("python", "-m", "weibao.audit.stale", *session.posargs)


@nox.session(default=False)
def schemas(session: nox.Session) -> None:
    """Regenerate schemas/bundled/ (for editors) after changing schemas/."""
    session.run("python", "scripts/bundle_schemas.py")


@nox.session(default=False)
def release(session: nox.Session) -> None:
    """Tag a dated edition (e.g. 2026-Q3) and archive its published statistics."""
    _install(session)
    session.run("weibao", "release", *session.posargs)


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Benchmark every scale target at 10,000 and 100,000 records (slow; see scripts/bench.py)."""
    _install(session, "[test]")
    session.run("python", "scripts/bench.py", *session.posargs, env={"OMP_NUM_THREADS": "1", **os.environ})
