"""One clock: "today" is the date in the repository's time zone, whatever the machine's zone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from weibao import clock
from weibao.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures"

# 2026-12-01 16:30 UTC is 2026-12-02 00:30 in Beijing
BEIJING_HALF_PAST_MIDNIGHT = dt.datetime(2026, 12, 1, 16, 30, tzinfo=dt.UTC)


def _hotline(verified: str) -> str:
    text = (FIXTURES / "audit" / "stale" / "laiyang-12349.yaml").read_text(encoding="utf-8")
    return text.replace("verified: 2026-01-10", f"verified: {verified}")


@pytest.fixture
def beijing_half_past_midnight(monkeypatch) -> None:
    monkeypatch.setattr(clock, "now_utc", lambda: BEIJING_HALF_PAST_MIDNIGHT)


def test_verified_today_in_beijing_passes_while_utc_is_yesterday(
    make_repo, capsys, beijing_half_past_midnight
) -> None:
    """A hotline verified at 00:30 Beijing time is not "in the future" on a UTC machine."""
    root = make_repo({"records/hotlines/laiyang-12349.yaml": _hotline("2026-12-02")})
    assert main(["--root", str(root), "validate"]) == 0, capsys.readouterr().out


def test_tomorrow_in_beijing_is_still_the_future(make_repo, capsys, beijing_half_past_midnight) -> None:
    """The zone moves "today", it does not switch the future check off."""
    root = make_repo({"records/hotlines/laiyang-12349.yaml": _hotline("2026-12-03")})
    assert main(["--root", str(root), "validate"]) == 1
    assert "date-future" in capsys.readouterr().out


def test_timezone_is_configurable(make_repo, capsys, beijing_half_past_midnight) -> None:
    """A repository in UTC sees 2026-12-01 at the same instant, so 12-02 is in the future."""
    root = make_repo({"records/hotlines/laiyang-12349.yaml": _hotline("2026-12-02")})
    config = root / "weibao.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "timezone: UTC\n", encoding="utf-8")
    assert main(["--root", str(root), "validate"]) == 1
    assert "date-future" in capsys.readouterr().out


@pytest.mark.parametrize("command", ["validate", "build", "stats", "release"])
def test_bad_today_is_a_usage_error(make_repo, capsys, command: str) -> None:
    """Every --today is parsed the same way: a wrong date is exit 2 with the format to use."""
    root = make_repo()
    extra = ["--out", str(root / "out")] if command == "stats" else []
    with pytest.raises(SystemExit) as stop:
        main(["--root", str(root), command, *extra, "--today", "2026/12/01"])
    assert stop.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_no_naive_clock_outside_the_clock_module() -> None:
    """Nothing but weibao.clock asks the machine for the date (ruff DTZ enforces it too)."""
    src = Path(__file__).resolve().parent.parent / "src" / "weibao"
    offenders = [
        p.relative_to(src).as_posix()
        for p in src.rglob("*.py")
        if p.name != "clock.py"
        and any(s in p.read_text(encoding="utf-8") for s in ("date.today()", "datetime.now(", "time.localtime("))
    ]
    assert offenders == []
