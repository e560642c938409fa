"""statistics/tables.yaml → typed table definitions, so a bureau adds a table by editing data.

Its shape is schemas/tables.schema.json; every problem is an Error value with file:line:column
and what to write instead, reported together (by `weibao validate`, `stats` and `build` alike).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from weibao.check.schema import SchemaChecker
from weibao.load import load_file
from weibao.result import Error
from weibao.stats import StatsError, tables_check
from weibao.stats.rules import MAX_BYTES, SCHEMA_NAME, Rules

if TYPE_CHECKING:
    from weibao.repo import Repository


@dataclass(frozen=True)
class Dimension:
    """A row or column of tables: a record field (or one derived from it) and its display order."""

    name: str
    title: str
    field: str | None = None
    derive: str | None = None
    vocabulary: str | None = None
    order: tuple[str, ...] = ()
    sensitive: tuple[str, ...] = ()
    missing: str = "未填写"
    of: str | None = None  # a coarser grouping of another dimension
    mapping: tuple[tuple[str, str], ...] = ()
    other: str | None = None

    def coarse(self, value: str) -> str:
        return dict(self.mapping).get(value, self.other if self.other is not None else value)


@dataclass(frozen=True)
class Measure:
    kind: str  # count | sum | median
    field: str | None = None

    @property
    def label(self) -> str:
        return self.kind if self.field is None else f"{self.kind}:{self.field}"


@dataclass(frozen=True)
class TableDef:
    id: str
    title: str
    group: str
    collection: str
    when: tuple[str, ...]  # one month field, or [start, end] for "in care during the period"
    rows: str
    columns: str | None
    measure: Measure
    grain: str
    each: str | None = None
    threshold: int | None = None
    unit: str = ""
    chart: str | None = None
    description: str = ""

    @property
    def span(self) -> bool:
        return len(self.when) == 2

    @property
    def dims(self) -> tuple[str, ...]:
        return (self.rows,) if self.columns is None else (self.rows, self.columns)

    @property
    def family(self) -> tuple[str, str | None, tuple[str, ...], str]:
        """Tables over the same records and measure share margins: they are audited together.

        A median table publishes group sizes, so it joins the count family of its records.
        """
        collection, each, measure = self.counted
        return (collection, each, self.when, measure)

    @property
    def counted(self) -> tuple[str, str | None, str]:
        """What the table counts: collection, list, measure (a median counts its group's records)."""
        measure = "count" if self.measure.kind == "median" else self.measure.label
        return (self.collection, self.each, measure)


@dataclass(frozen=True)
class Group:
    id: str
    title: str
    description: str = ""


@dataclass
class Definitions:
    path: Path
    sensitive_threshold: int = 10
    sum_relative_range: float = 0.2
    groups: list[Group] = field(default_factory=list)
    dims: dict[str, Dimension] = field(default_factory=dict)
    tables: list[TableDef] = field(default_factory=list)

    def base(self, dim: str) -> str:
        """The dimension a (possibly coarsened) dimension is computed from."""
        d = self.dims[dim]
        return self.base(d.of) if d.of else dim


def read_definitions(path: Path, rel: str, rules: Rules) -> tuple[Definitions | None, list[Error]]:
    """Definitions from a tables.yaml, or every problem found, each a located Error value.

    The file goes through the loader records go through (encoding, duplicate keys, YAML 1.1
    traps, full-width colons), then its JSON Schema, then the checks of tables_check.
    """
    if not path.is_file():
        return None, [Error(rel, 0, 0, "", "tables-missing",
                            "找不到统计表定义文件：请创建它，或在 weibao.yaml 的 statistics.tables 中写对路径。")]
    loaded = load_file(path, rel, MAX_BYTES)
    if loaded.errors or loaded.value is None:
        return None, [_reworded(e) for e in loaded.errors]
    doc, text = loaded.value, loaded.text or ""
    if rules.schema is None:
        return None, [Error(rel, 0, 0, "", "tables-schema-missing",
                            f"数据仓中没有 schemas/{SCHEMA_NAME}，无法检查统计表定义："
                            "请从 weibao 的 schemas/ 复制这个文件并提交。")]
    errors = SchemaChecker({"tables": rules.schema}, dict(rules.shared)).check("tables", doc, rel, text)
    # a value the schema check already reported would only repeat as a follow-up error
    shown = {e.path for e in errors}
    errors += [e for e in tables_check.check(doc, rules, rel, text) if not _within(e.path, shown)]
    if errors:
        return None, sorted(errors)
    return _build(path, doc), []


def load_definitions(path: Path, rel: str | None = None, rules: Rules | None = None) -> Definitions:
    """Definitions from a tables.yaml; StatsError listing every located problem if not usable.

    rules: what to check against; by default those of the repository holding path."""
    rel = rel or path.name
    defs, errors = read_definitions(path, rel, rules or Rules.near(path))
    if defs is None:
        raise StatsError("统计表定义有误：\n" + "\n".join(_line(e) for e in errors))
    return defs


def _line(e: Error) -> str:
    where = f"{e.file}:{e.line}:{e.column}" if e.line else e.file
    return f"{where}: {e.path + '：' if e.path else ''}{e.message}"


def _within(path: str, shown: set[str]) -> bool:
    return any(path == s or path.startswith((f"{s}.", f"{s}[")) for s in shown)


_EMPTY = "统计表定义文件是空的：请写入统计表定义（至少一行 tables: []）。"


def _reworded(e: Error) -> Error:
    """The loader speaks of records; an empty tables.yaml needs its own fix."""
    if e.rule == "file-empty":
        return Error(e.file, e.line, e.column, e.path, e.rule, _EMPTY)
    return e


def _build(path: Path, doc: dict[str, Any]) -> Definitions:
    """Typed definitions from a document that passed the schema and every check."""
    settings = doc.get("settings") or {}
    defs = Definitions(
        path,
        sensitive_threshold=int(settings.get("sensitive_threshold", 10)),
        sum_relative_range=float(settings.get("sum_relative_range", 0.2)),
    )
    defs.groups = [Group(g["id"], g["title"], g.get("description", "")) for g in doc.get("groups") or []]
    defs.dims = {name: _dimension(name, d) for name, d in (doc.get("dimensions") or {}).items()}
    defs.tables = [_table(t) for t in doc.get("tables") or []]
    return defs


def _dimension(name: str, d: dict[str, Any]) -> Dimension:
    return Dimension(
        name=name,
        title=d["title"],
        field=d.get("field"),
        derive=d.get("derive"),
        vocabulary=d.get("vocabulary"),
        order=tuple(d.get("order") or ()),
        sensitive=tuple(d.get("sensitive") or ()),
        missing=d.get("missing", "未填写"),
        of=d.get("of"),
        mapping=tuple((d.get("map") or {}).items()),
        other=d.get("other"),
    )


def _measure(raw: str | dict[str, str]) -> Measure:
    if isinstance(raw, str):
        return Measure(raw)
    kind, fld = next(iter(raw.items()))
    return Measure(kind, fld)


def _table(t: dict[str, Any]) -> TableDef:
    when = t["when"]
    return TableDef(
        id=t["id"],
        title=t["title"],
        group=t["group"],
        collection=t["collection"],
        when=(when,) if isinstance(when, str) else tuple(when),
        rows=t["rows"],
        columns=t.get("columns"),
        measure=_measure(t["measure"]),
        grain=t["grain"],
        each=t.get("each"),
        threshold=t.get("threshold"),
        unit=t.get("unit", ""),
        chart=t.get("chart"),
        description=t.get("description", ""),
    )


def repository_errors(repo: Repository) -> tuple[bool, list[Error]]:
    """Whether the repository has a tables file, and its problems (for validate, stats, build)."""
    rel = repo.config.statistics.tables
    path = repo.root / rel
    if not path.is_file() and not path.is_symlink():
        return False, []
    return True, read_definitions(path, rel, Rules.of(repo))[1]
