"""statistics/tables.yaml → typed table definitions, so a bureau adds a table by editing data.

Every problem is collected and reported together, each with file:line and what to write instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from weibao.load.document import load_settings
from weibao.load.lines import format_path, locate
from weibao.stats import StatsError

GRAINS = ("month", "quarter", "year")
DERIVES = ("county", "latest_level")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}[a-z0-9]$")


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
        measure = "count" if self.measure.kind == "median" else self.measure.label
        return (self.collection, self.each, self.when, measure)


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


class _Problems:
    def __init__(self, rel: str, text: str) -> None:
        self.rel, self.text = rel, text
        self.items: list[str] = []

    def add(self, path: list, message: str) -> None:
        line, col = locate(self.text, path)
        where = format_path(path)
        self.items.append(f"{self.rel}:{line}:{col}: {where + '：' if where else ''}{message}")


def load_definitions(path: Path, rel: str | None = None) -> Definitions:
    """Definitions from a tables.yaml; StatsError listing every problem if it is not usable."""
    rel = rel or path.name
    if not path.is_file():
        raise StatsError(f"{rel}: 找不到统计表定义文件：请创建它，或在 weibao.yaml 的 statistics.tables 中写对路径。")
    value, text = load_settings(path, rel, StatsError)
    out = _Problems(rel, text)
    defs = _build(path, value if isinstance(value, dict) else {}, out)
    if out.items:
        raise StatsError("统计表定义有误：\n" + "\n".join(out.items))
    return defs


def _build(path: Path, doc: dict[str, Any], out: _Problems) -> Definitions:
    defs = Definitions(path)
    unknown = set(doc) - {"settings", "groups", "dimensions", "tables"}
    for key in sorted(unknown):
        out.add([key], "不认识的项：只能有 settings、groups、dimensions、tables。")
    settings = doc.get("settings") or {}
    st = settings.get("sensitive_threshold", 10)
    if not isinstance(st, int) or isinstance(st, bool) or st < 2:
        out.add(["settings", "sensitive_threshold"], "应为不小于 2 的整数，如 10。")
    else:
        defs.sensitive_threshold = st
    rr = settings.get("sum_relative_range", 0.2)
    if not isinstance(rr, (int, float)) or isinstance(rr, bool) or not 0 <= rr <= 1:
        out.add(["settings", "sum_relative_range"], "应为 0 到 1 之间的小数，如 0.2。")
    else:
        defs.sum_relative_range = float(rr)
    for i, g in enumerate(doc.get("groups") or []):
        if not isinstance(g, dict) or not _ID.match(str(g.get("id", ""))) or not g.get("title"):
            out.add(["groups", i], "每组要有 id（小写英文、数字、连字符）和 title（中文名称）。")
            continue
        defs.groups.append(Group(g["id"], str(g["title"]), str(g.get("description", ""))))
    for name, d in (doc.get("dimensions") or {}).items():
        dim = _dimension(name, d, out)
        if dim:
            defs.dims[name] = dim
    for name, dim in defs.dims.items():
        if dim.of and dim.of not in defs.dims:
            out.add(["dimensions", name, "of"], f"没有名为“{dim.of}”的维度。")
    groups = {g.id for g in defs.groups}
    seen: set[str] = set()
    for i, t in enumerate(doc.get("tables") or []):
        table = _table(i, t, defs, groups, out)
        if table is None:
            continue
        if table.id in seen:
            out.add(["tables", i, "id"], f"表编号“{table.id}”重复：每张表的 id 必须不同。")
        seen.add(table.id)
        defs.tables.append(table)
    return defs


def _dimension(name: str, d: Any, out: _Problems) -> Dimension | None:
    where = ["dimensions", name]
    if not isinstance(d, dict) or not d.get("title"):
        out.add(where, "每个维度要写 title（中文名称）和 field（记录中的字段）或 of（由哪个维度归并）。")
        return None
    if bool(d.get("field")) == bool(d.get("of")):
        out.add(where, "field 和 of 必须写且只写一个。")
        return None
    derive = d.get("derive")
    if derive is not None and derive not in DERIVES:
        out.add([*where, "derive"], f"derive 只能是 {'、'.join(DERIVES)}。")
        return None
    mapping = d.get("map") or {}
    return Dimension(
        name=name,
        title=str(d["title"]),
        field=d.get("field"),
        derive=derive,
        vocabulary=d.get("vocabulary"),
        order=tuple(str(v) for v in d.get("order") or ()),
        sensitive=tuple(str(v) for v in d.get("sensitive") or ()),
        missing=str(d.get("missing", "未填写")),
        of=d.get("of"),
        mapping=tuple((str(k), str(v)) for k, v in mapping.items()),
        other=None if d.get("other") is None else str(d["other"]),
    )


def _measure(raw: Any) -> Measure | None:
    if raw == "count":
        return Measure("count")
    if isinstance(raw, dict) and len(raw) == 1:
        kind, fld = next(iter(raw.items()))
        if kind in ("sum", "median") and isinstance(fld, str) and fld:
            return Measure(kind, fld)
    return None


def _table(i: int, t: Any, defs: Definitions, groups: set[str], out: _Problems) -> TableDef | None:
    where = ["tables", i]
    if not isinstance(t, dict):
        out.add(where, "每张表是一个“字段: 值”的映射。")
        return None
    ok = True
    required = ("id", "title", "group", "collection", "when", "rows", "measure", "grain")
    for key in required:
        if t.get(key) in (None, ""):
            out.add(where, f"缺少 {key}。")
            ok = False
    if not ok:
        return None
    if not _ID.match(str(t["id"])):
        out.add([*where, "id"], "id 只用小写英文字母、数字和连字符，如 cases-region-risk。")
        ok = False
    if t["group"] not in groups:
        out.add([*where, "group"], f"没有名为“{t['group']}”的分组：请先在 groups 中定义。")
        ok = False
    when = t["when"]
    when = (when,) if isinstance(when, str) else tuple(when) if isinstance(when, list) else ()
    if len(when) not in (1, 2) or not all(isinstance(w, str) for w in when):
        out.add([*where, "when"], "when 写一个月份字段（如 received），或 [开始字段, 结束字段]。")
        ok = False
    for key in ("rows", "columns"):
        if t.get(key) is not None and t[key] not in defs.dims:
            out.add([*where, key], f"没有名为“{t[key]}”的维度：可用的有 {'、'.join(defs.dims)}。")
            ok = False
    if t.get("columns") is not None and t.get("columns") == t["rows"]:
        out.add([*where, "columns"], "行和列不能是同一个维度。")
        ok = False
    measure = _measure(t["measure"])
    if measure is None:
        out.add([*where, "measure"], "measure 写 count，或 {sum: 字段}，或 {median: 字段}。")
        ok = False
    if t["grain"] not in GRAINS:
        out.add([*where, "grain"], f"grain 只能是 {'、'.join(GRAINS)}。")
        ok = False
    threshold = t.get("threshold")
    if threshold is not None and (not isinstance(threshold, int) or isinstance(threshold, bool) or threshold < 2):
        out.add([*where, "threshold"], "threshold 应为不小于 2 的整数（只能比 weibao.yaml 中的阈值更严）。")
        ok = False
    if not ok:
        return None
    assert measure is not None
    return TableDef(
        id=t["id"],
        title=str(t["title"]),
        group=t["group"],
        collection=str(t["collection"]),
        when=when,
        rows=t["rows"],
        columns=t.get("columns"),
        measure=measure,
        grain=t["grain"],
        each=t.get("each"),
        threshold=threshold,
        unit=str(t.get("unit", "")),
        chart=t.get("chart"),
        description=str(t.get("description", "")),
    )
