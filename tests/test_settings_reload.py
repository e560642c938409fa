"""Settings are read per run: editing weibao.yaml takes effect in the same process (`weibao serve`)."""

from __future__ import annotations

from weibao.repo import Repository
from weibao.validate import validate

BIG_ORG_NOTE = "# " + "说明" * 400 + "\n"


def test_changed_max_file_bytes_is_used_in_the_same_process(make_repo) -> None:
    """A second validation after weibao.yaml changes uses the new limit, not a cached one."""
    root = make_repo()
    org = root / "records" / "orgs" / "laiyang-civil-affairs.yaml"
    org.write_text(BIG_ORG_NOTE + org.read_text(encoding="utf-8"), encoding="utf-8")
    assert validate(Repository(root)).ok
    config = root / "weibao.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "validation:\n  max_file_bytes: 1024\n",
                      encoding="utf-8")
    rules = {e.rule for e in validate(Repository(root)).errors}
    assert "file-too-large" in rules, rules


def test_changed_timezone_is_used_in_the_same_process(make_repo, monkeypatch) -> None:
    """The clock reads the zone of the Repository it is asked about, every time."""
    import datetime as dt

    from weibao import clock

    monkeypatch.setattr(clock, "now_utc", lambda: dt.datetime(2026, 12, 1, 16, 30, tzinfo=dt.UTC))
    root = make_repo()
    assert Repository(root).today() == dt.date(2026, 12, 2)
    config = root / "weibao.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "timezone: UTC\n", encoding="utf-8")
    assert Repository(root).today() == dt.date(2026, 12, 1)
