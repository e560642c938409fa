"""Table definitions are data: statistics/tables.yaml is read, checked and explained in Chinese."""

from __future__ import annotations

import copy
import random
from pathlib import Path

import pytest
import yaml

from weibao.repo import Repository
from weibao.stats import StatsError, tables_check
from weibao.stats.definitions import load_definitions, read_definitions
from weibao.stats.rules import Rules

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "stats" / "tables.yaml"
RULES = Rules.of(Repository(ROOT))
TEST_TABLES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "tests").rglob("*tables*.yaml")
                     if "tables-bad" not in p.parts)


def test_custom_tables_file_defines_the_tables() -> None:
    """A bureau's own tables.yaml gives tables, dimensions and groups without code."""
    defs = load_definitions(FIXTURE, rules=RULES)
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


@pytest.mark.parametrize("rel", ["statistics/tables.yaml", *TEST_TABLES], ids=lambda r: r)
def test_committed_tables_files_load_cleanly(rel: str) -> None:
    """The shipped statistics/tables.yaml and every test's tables file pass the schema and every
    check, and every table names a defined group."""
    defs, errors = read_definitions(ROOT / rel, rel, RULES)
    assert errors == []
    assert defs is not None and defs.tables
    groups = {g.id for g in defs.groups}
    assert all(t.group in groups for t in defs.tables)


def test_missing_tables_file_says_where_to_configure(tmp_path: Path) -> None:
    """Without a tables file the message points at statistics.tables in weibao.yaml."""
    with pytest.raises(StatsError, match=r"statistics\.tables"):
        load_definitions(tmp_path / "none.yaml", rules=RULES)


def _paths(node: object, at: tuple = ()) -> list[tuple]:
    out = [at]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*at, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*at, i))
    return out


def _mutated(doc: object, path: tuple, value: object) -> object:
    doc = copy.deepcopy(doc)
    parent = doc
    for step in path[:-1]:
        parent = parent[step]  # type: ignore[index]
    if value is _DELETE:
        del parent[path[-1]]  # type: ignore[union-attr]
    else:
        parent[path[-1]] = value  # type: ignore[index]
    return doc


_DELETE = object()
ODD = [_DELETE, None, [], {}, 7, -1, 2.5, True, "x", "region", [{"a": 1}], {"of": "region"}, ["risk", "x"]]


def test_no_edit_of_the_shipped_file_crashes(tmp_path: Path) -> None:
    """Adversary: any node of the shipped tables.yaml replaced by a value of another type, a
    name of something else, or deleted — the answer is definitions or located errors, never an
    exception (a crash would exit 3 and tell staff nothing)."""
    shipped = (ROOT / "statistics" / "tables.yaml").read_text(encoding="utf-8")
    doc = yaml.safe_load(shipped)
    rng = random.Random(13)
    trials = [(p, v) for p in _paths(doc)[1:] for v in ODD]
    path = tmp_path / "tables.yaml"
    refused = 0
    for where, value in rng.sample(trials, 200):
        text = yaml.safe_dump(_mutated(doc, where, value), allow_unicode=True, sort_keys=False)
        path.write_text(text, encoding="utf-8")
        defs, errors = read_definitions(path, "statistics/tables.yaml", RULES)
        assert (defs is None) == bool(errors), where
        for e in errors:
            assert e.line >= 1 and e.column >= 1 and e.message, (where, value, e)
        if defs is not None:
            for name in defs.dims:
                defs.base(name)  # a dimension chain that ends
        refused += defs is None
    assert refused > 120  # most edits are wrong: the check is not vacuous


def test_fullwidth_colon_inside_a_block_is_text(tmp_path: Path) -> None:
    """A description written as a | block may say “CSV：…” or “title：…”; only a key typed with a
    full-width colon is refused."""
    block = "    unit: 人\n    description: |\n      CSV：可下载\n      title：说明\n"
    path = tmp_path / "tables.yaml"
    path.write_text(FIXTURE.read_text(encoding="utf-8").replace("    unit: 人\n", block, 1), encoding="utf-8")
    defs, errors = read_definitions(path, "statistics/tables.yaml", RULES)
    assert errors == [] and defs is not None
    assert defs.tables[0].description == "CSV：可下载\ntitle：说明\n"
    path.write_text(path.read_text(encoding="utf-8").replace("    grain: year\n", "    grain：year\n", 1),
                    encoding="utf-8")
    _, errors = read_definitions(path, "statistics/tables.yaml", RULES)
    assert errors[0].rule == "yaml-fullwidth-colon" and "请改成“grain: ”" in errors[0].message


@pytest.mark.parametrize(("kind", "refused"), [("integer", False), (["number", "null"], False),
                                               (None, False), ("string", True), (["string", "null"], True)])
def test_sum_field_type_as_the_schema_says(kind: object, refused: bool) -> None:
    """A sum or median needs a number field; a schema without `type` is not second-guessed."""
    prop = {"title": "数", "description": "数"} | ({} if kind is None else {"type": kind})
    rules = Rules(RULES.schema, {"things": {"properties": {"n": prop, "month": {"type": "string"}}}}, {}, 5)
    doc = {"groups": [{"id": "g", "title": "组"}], "dimensions": {"m": {"title": "月", "field": "month"}},
           "tables": [{"id": "t1", "title": "表", "group": "g", "collection": "things", "when": "month",
                       "rows": "m", "measure": {"sum": "n"}, "grain": "year"}]}
    errors = tables_check.check(doc, rules, "statistics/tables.yaml", yaml.safe_dump(doc, allow_unicode=True))
    assert [e.rule for e in errors] == (["tables-not-a-number"] if refused else [])
