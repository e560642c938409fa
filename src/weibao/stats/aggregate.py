"""Validated records → raw tables per period (true values, before any suppression).

A family is the tables over the same records, measure and `when`; they share units. How
families and periods are linked for the audit is weibao.stats.joint's job.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
from collections import defaultdict
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

from weibao.stats import StatsError
from weibao.stats.definitions import Definitions, Dimension, TableDef
from weibao.stats.model import TOTAL, Cell, Table
from weibao.stats.periods import Period, is_closed, period_of, periods_between


@dataclass
class Unit:
    """One counted thing: a record, or one item of a record's list (`each`)."""

    rid: str
    record: dict
    item: dict | None
    month: str | None = None  # when: <field>
    start: str | None = None  # when: [start, end]
    end: str | None = None

    @property
    def key(self) -> str:
        """The record's id, or for a list item the id and the item as written (items have no id)."""
        if self.item is None:
            return self.rid
        return f"{self.rid}#{json.dumps(self.item, ensure_ascii=False, sort_keys=True, default=str)}"

    def count_from(self, first: str, before: str) -> None:
        """A record the frozen periods did not count: its months before `first` become `first`."""
        if self.month is not None and self.month <= before:
            self.month = first
        if self.start is not None and self.start <= before:
            self.start = first
        if self.end is not None and self.end <= before:
            self.end = first

    def get(self, name: str) -> Any:
        if self.item is not None and name in self.item:
            return self.item[name]
        return self.record.get(name)


@dataclass
class Vocab:
    """Vocabulary order and sensitive terms, and region names, for labels and thresholds."""

    order: dict[str, list[str]] = field(default_factory=dict)
    sensitive: dict[str, set[str]] = field(default_factory=dict)
    regions: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_records(cls, records: dict[str, list[dict]]) -> Vocab:
        v = cls()
        for rec in records.get("vocabularies", []):
            terms = [t for t in rec.get("terms", []) if isinstance(t, dict) and "term" in t]
            v.order[str(rec["id"])] = [str(t["term"]) for t in terms]
            v.sensitive[str(rec["id"])] = {str(t["term"]) for t in terms if t.get("sensitive")}
        v.regions = {str(r["id"]): str(r.get("name", r["id"])) for r in records.get("regions", [])}
        return v


class Aggregator:
    def __init__(self, defs: Definitions, records: dict[str, list[dict]], threshold: int,
                 vocab: Vocab | None = None) -> None:
        self.defs = defs
        self.records = records
        self.threshold = threshold
        self.vocab = vocab or Vocab.from_records(records)

    # ---- dimensions -------------------------------------------------------------------------
    def value(self, dim: Dimension, unit: Unit, at: str) -> str | tuple[str, ...]:
        """A unit's value of a dimension; `at` is the month the value is taken at (risk level)."""
        if dim.of:
            base = self.value(self.defs.dims[dim.of], unit, at)
            if isinstance(base, tuple):
                raise StatsError(f"维度 {dim.name} 不能由可多选的维度 {dim.of} 归并。")
            return dim.coarse(base)
        raw = unit.get(dim.field or "")
        if dim.derive == "county" and raw is not None:
            raw = str(raw)[:6]
        elif dim.derive == "latest_level":
            past = [r for r in raw or [] if isinstance(r, dict) and str(r.get("month", "")) <= at]
            raw = max(past, key=lambda r: str(r["month"]))["level"] if past else None
        if isinstance(raw, list):
            return tuple(sorted({self._text(dim, v) for v in raw}))
        return self._text(dim, raw)

    @staticmethod
    def _text(dim: Dimension, raw: Any) -> str:
        if raw is None or raw == "":
            return dim.missing
        if isinstance(raw, bool):
            return "true" if raw else "false"
        return str(raw)

    def sort_values(self, dim: Dimension, values: set[str]) -> list[str]:
        order = list(dim.order) or self.vocab.order.get(dim.vocabulary or "", [])
        rank = {v: i for i, v in enumerate(order)}
        return sorted(values, key=lambda v: (v == dim.missing, rank.get(v, len(rank)), v))

    def label(self, dim_name: str, value: str) -> str:
        dim = self.defs.dims[dim_name]
        if dim.derive == "county" or (dim.of and self.defs.dims[dim.of].derive == "county"):
            return self.vocab.regions.get(value, value)
        return {"true": "是", "false": "否"}.get(value, value)

    def cell_threshold(self, table: TableDef, fixed: dict[str, str]) -> int:
        t = max(self.threshold, table.threshold or 0)
        for dim_name, value in fixed.items():
            dim = self.defs.dims[dim_name]
            if value in dim.sensitive or value in self.vocab.sensitive.get(dim.vocabulary or "", set()):
                t = max(t, self.defs.sensitive_threshold)
        return t

    # ---- units ------------------------------------------------------------------------------
    def units(self, family: tuple) -> list[Unit]:
        collection, each, when, _ = family
        out = []
        for rec in self.records.get(collection, []):
            items = rec.get(each) or [] if each else [None]
            for item in items:
                u = Unit(str(rec.get("id")), rec, item)
                if len(when) == 1:
                    m = u.get(when[0])
                    if not m:
                        continue
                    u.month = str(m)[:7]
                else:
                    s = u.get(when[0])
                    if not s:
                        continue
                    u.start = str(s)[:7]
                    e = u.get(when[1])
                    u.end = str(e)[:7] if e else None
                out.append(u)
        return out

    # ---- periods ----------------------------------------------------------------------------
    def closed_periods(self, table: TableDef, units: list[Unit], today: dt.date, lag: int,
                       extra: AbstractSet[str] = frozenset()) -> list[Period]:
        """Closed periods from the first with records; `extra` adds periods already frozen."""
        firsts = [first for u in units if (first := u.month or u.start)]
        last_month = f"{today.year:04d}-{today.month:02d}"
        found = periods_between(min(firsts), last_month, table.grain) if firsts else []
        known = {p.key for p in found}
        for key in extra - known:
            found.append(period_of(_first_month(key), table.grain))
        return sorted((p for p in found if is_closed(p, today, lag) or p.key in extra),
                      key=lambda p: p.months)

    # ---- tables -----------------------------------------------------------------------------
    def compute(self, table: TableDef, period: Period, units: list[Unit],
                domains: dict[str, list[str]]) -> Table:
        """The raw table (true values, no suppression yet) of one period."""
        at = period.last
        sums: dict[tuple, float] = defaultdict(float)
        who: dict[tuple, set[str]] = defaultdict(set)
        values: dict[tuple, list[float]] = defaultdict(list)
        rdim = self.defs.dims[table.rows]
        cdim = self.defs.dims[table.columns] if table.columns else None
        for u in units:
            if not _in_period(u, period):
                continue
            at_u = u.month if u.month else at
            rv = _as_tuple(self.value(rdim, u, at_u))
            cv = _as_tuple(self.value(cdim, u, at_u)) if cdim else ()
            w = 1.0
            if table.measure.kind == "sum":
                raw = u.get(table.measure.field or "")
                w = float(raw) if isinstance(raw, (int, float)) and not isinstance(raw, bool) else 0.0
            keys: set[tuple[str | None, str | None]] = {(r, c) for r in rv for c in cv}
            keys |= {(r, TOTAL) for r in rv}
            keys |= {(TOTAL, c) for c in cv} | {(TOTAL, TOTAL)}
            for k in keys:
                sums[k] += w
                who[k].add(u.rid)
                if table.measure.kind == "median":
                    m = u.get(table.measure.field or "")
                    if isinstance(m, (int, float)) and not isinstance(m, bool):
                        values[k].append(float(m))
        out = Table(table.id, period.key, table.measure.kind, table.rows, table.columns,
                    list(domains[table.rows]), list(domains[table.columns]) if table.columns else [],
                    months=period.months, title=table.title, order=self.defs.tables.index(table))
        for k in out.cell_keys():
            fixed = out.fixed_values(k)
            t = self.cell_threshold(table, fixed)
            if table.measure.kind == "median":
                # the values make the median, not the group: a record without the field adds
                # nothing to it, so t records of which fewer than t have a value are "<t"
                vals = values.get(k, [])
                med = statistics.median(vals) if vals else None
                out.cells[k] = Cell(med, threshold=t, n=len(vals))
            else:
                out.cells[k] = Cell(sums.get(k, 0.0), threshold=t, contributors=len(who.get(k, ())))
        return out

    def domains(self, tables: list[TableDef], units: list[Unit], periods: dict[str, list[Period]],
                frozen_values: dict[str, set[str]]) -> dict[str, list[str]]:
        """Values of every dimension the family uses, over all its published periods."""
        seen: dict[str, set[str]] = defaultdict(set)
        dims = {d for t in tables for d in t.dims}
        bases = {self.defs.base(d) for d in dims} | dims
        every = list({p.key: p for ps in periods.values() for p in ps}.values())
        for u in units:
            ats = [u.month] if u.month else [p.last for p in every if _in_period(u, p)]
            for name in bases:
                dim = self.defs.dims[name]
                if dim.of:
                    continue
                for at in ats:
                    seen[name].update(_as_tuple(self.value(dim, u, at)))
        for name, vals in frozen_values.items():
            if name in bases and not self.defs.dims[name].of:
                seen[name] |= vals
        for name in bases:
            dim = self.defs.dims[name]
            if dim.of:
                seen[name] = {dim.coarse(v) for v in seen[self.defs.base(name)]}
        return {name: self.sort_values(self.defs.dims[name], seen[name]) for name in bases}

    def is_list(self, dim_name: str, units: list[Unit]) -> bool:
        dim = self.defs.dims[dim_name]
        return any(isinstance(u.get(dim.field or ""), list) for u in units[:200]) and dim.derive is None


def _first_month(period_key: str) -> str:
    if "-Q" in period_key:
        return f"{period_key[:4]}-{3 * int(period_key[-1]) - 2:02d}"
    return period_key if len(period_key) == 7 else f"{period_key}-01"


def _as_tuple(v: str | tuple[str, ...]) -> tuple[str, ...]:
    return v if isinstance(v, tuple) else (v,)


def _in_period(u: Unit, p: Period) -> bool:
    if u.month is not None:
        return u.month in p.months
    if not u.start:
        return False
    return u.start <= p.last and (u.end is None or u.end >= p.first)
