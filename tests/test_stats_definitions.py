"""Table definitions are data: statistics/tables.yaml is read, checked and explained in Chinese."""

from __future__ import annotations

from pathlib import Path

import pytest

from weibao.stats import StatsError
from weibao.stats.definitions import load_definitions

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "stats" / "tables.yaml"


def test_custom_tables_file_defines_the_tables() -> None:
    """A bureau's own tables.yaml gives tables, dimensions and groups without code."""
    defs = load_definitions(FIXTURE)
    assert [t.id for t in defs.tables][:2] == ["cases-by-region", "cases-by-risk"]
    by_id = {t.id: t for t in defs.tables}
    assert by_id["clues-by-region"].columns == "transferred"
    assert by_id["services-by-mode"].measure.kind == "sum"
    assert by_id["services-by-mode"].measure.field == "count"
    assert by_id["cases-by-region"].span
    assert defs.base("transferred") == "transferred_to"
    assert defs.dims["risk"].sensitive == ("红",)
    # a median publishes group sizes, so it is audited with the counts of the same records
    assert by_id["clues-response"].family == by_id["clues-by-region"].family


def test_project_tables_file_is_valid() -> None:
    """The shipped statistics/tables.yaml loads and every table names a defined group."""
    defs = load_definitions(ROOT / "statistics" / "tables.yaml")
    groups = {g.id for g in defs.groups}
    assert defs.tables and all(t.group in groups for t in defs.tables)


GOOD = FIXTURE.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        ("rows: risk\n", "rows: colour\n", "没有名为“colour”的维度"),
        ("grain: quarter", "grain: week", "grain 只能是"),
        ("measure: {sum: count}", "measure: total", "measure 写 count"),
        ("id: cases-by-risk", "id: cases-by-region", "重复"),
        ("group: clues\n    collection: clues\n    when: received\n    rows: region\n    columns",
         "group: nowhere\n    collection: clues\n    when: received\n    rows: region\n    columns",
         "没有名为“nowhere”的分组"),
        ("    unit: 人\n    chart: bar\n", "    unit: 人\n    chart: bar\n    threshold: 1\n", "threshold 应为"),
    ],
    ids=["unknown-dimension", "bad-grain", "bad-measure", "duplicate-id", "unknown-group", "loose-threshold"],
)
def test_bad_definitions_are_refused_with_file_and_line(tmp_path: Path, old: str, new: str, fragment: str) -> None:
    """A wrong table definition is named with file:line and how to fix it, never guessed."""
    assert old in GOOD
    path = tmp_path / "tables.yaml"
    path.write_text(GOOD.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(StatsError, match=fragment) as err:
        load_definitions(path, "statistics/tables.yaml")
    assert "statistics/tables.yaml:" in str(err.value)


def test_missing_tables_file_says_where_to_configure(tmp_path: Path) -> None:
    """Without a tables file the message points at statistics.tables in weibao.yaml."""
    with pytest.raises(StatsError, match=r"statistics\.tables"):
        load_definitions(tmp_path / "none.yaml")
