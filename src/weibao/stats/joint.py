"""The attacker's unknowns for a whole population: every table and every period in one system.

A population is the records one measure counts (a collection, or the items of one of its lists),
with every period published of every table over it, frozen ones included. What links them:

- time: the months of all periods are cut into slots (the coarsest cut that every period is a
  union of). A record counted "in care during a period" (`when: [start, end]`) is an interval:
  its unknown is indexed by (start slot, end slot), so in-care, newly opened (by start) and
  closed (by end) tables share unknowns: in care(year) − closed(year) + new(next) = in care(next)
  holds exactly, and a quarter is linked to its year. Other records are points in one slot, so a
  year is the sum of its quarters and months.
- dimensions: dimensions that appear together in a table share unknowns (a component: every
  combination of their values, per time state); components are tied by the population's total
  per time state, so sibling tables share their margins.
- a list dimension (a child in several categories) adds z[k] per value with z[k] ≤ x and
  Σ z[k] ≥ x: the child counts once in a total and once in each of its categories.
- a level that changes over time (the risk level at the end of the period) gets its own unknowns
  per table and period, adding up to that period's in-care count of the same cell.

The system has no record in it, only the published figures' structure: its size depends on the
number of slots and dimension values, not on the number of records.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise, product

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix

from weibao.stats import StatsError
from weibao.stats.definitions import Definitions, TableDef
from weibao.stats.model import Table

Key = tuple[str | None, str | None]


def populations(tables: Sequence[TableDef]) -> list[list[TableDef]]:
    """Tables over the same records and measure whose time fields describe the same events.

    A table by the start or end field of an in-care table joins it (new = by start, closed =
    by end); a table by another field is a population of its own.
    """
    spans = {t.counted: t.when for t in tables if t.span}
    out: dict[tuple, list[TableDef]] = {}
    for t in tables:
        span = spans.get(t.counted)
        joined = span if span and (t.span or t.when[0] in span) else t.when
        out.setdefault((*t.counted, joined), []).append(t)
    return list(out.values())


def slots_of(tables: Sequence[Table]) -> list[tuple[str, ...]]:
    """Consecutive months grouped while every table either covers all of them or none."""
    every = sorted({m for tb in tables for m in tb.months})
    if not every:
        return []
    months = _month_range(every[0], every[-1])
    covers = [frozenset(tb.months) for tb in tables]
    out: list[list[str]] = []
    last_sig: tuple[bool, ...] | None = None
    for m in months:
        sig = tuple(m in c for c in covers)
        if sig != last_sig or not out:
            out.append([])
        out[-1].append(m)
        last_sig = sig
    return [tuple(s) for s in out]


def _month_range(first: str, last: str) -> list[str]:
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


@dataclass
class _Component:
    """Dimensions used together: an unknown per combination of their values and coarse time state."""

    singles: list[str]
    list_dim: str | None
    combos: list[tuple[str, ...]]
    x: int  # first index of x[state, combo]
    z: int  # first index of z[state, combo, list value]
    k: int  # number of list values
    coarse: list[int]  # fine slot → this component's slot
    states: list[tuple[int, int]]


class JointSpace:
    """Unknowns and structural constraints of one population; the tables' cells map onto them.

    Each component keeps only the time detail its own tables need (a component shown only by
    year has one unknown per year-state, not per quarter-state), tied to the population's total
    per fine state by sums. This projection is exact for the linear relaxation: any values of
    the coarse unknowns that add up split back into fine ones in proportion to the totals.
    """

    def __init__(self, defs: Definitions, members: Sequence[tuple[TableDef, Table]],
                 domains: dict[str, list[str]], is_list: Callable[[str], bool]) -> None:
        self.defs = defs
        self.domains = domains
        self.is_list = is_list
        tables = [t for _, t in members]
        self.span = next((d.when for d, _ in members if d.span), None)
        self.slots = slots_of(tables)
        slot_of = {m: i for i, s in enumerate(self.slots) for m in s}
        self._where: dict[int, tuple[str, int, int]] = {}  # table → (role, first slot, last slot)
        for tdef, table in members:
            idx = [slot_of[m] for m in table.months]
            role = "span" if tdef.span else "end" if self.span and tdef.when[0] == self.span[1] else "start"
            self._where[id(table)] = (role, min(idx), max(idx))
        n = len(self.slots)
        self.states = self._states(n)
        self.n_vars = len(self.states)  # the population's total per fine state comes first
        self._rows: list[tuple[np.ndarray, np.ndarray, float, float]] = []
        self._build_components(members)

    def _states(self, n: int) -> list[tuple[int, int]]:
        if self.span:  # (start slot, end slot); -1: began before the first slot, n: not ended by the last
            return [(a, b) for a in range(-1, n) for b in range(max(a, 0), n + 1)]
        return [(a, a) for a in range(n)]

    def _select(self, table: Table, states: list[tuple[int, int]], coarse: list[int] | None) -> np.ndarray:
        """Indices of the states a table's period counts (states over coarse slots if given)."""
        role, lo, hi = self._where[id(table)]
        if coarse is not None:
            lo, hi = coarse[lo], coarse[hi]
        starts = np.array([a for a, _ in states])
        ends = np.array([b for _, b in states])
        if role == "span":
            ok = (starts <= hi) & (ends >= lo)
        elif role == "end":
            ok = (ends >= lo) & (ends <= hi)
        else:
            ok = (starts >= lo) & (starts <= hi)
        return np.flatnonzero(ok)

    # ---- unknowns ---------------------------------------------------------------------------
    def _varies(self, dim: str) -> bool:
        return self.defs.dims[self.defs.base(dim)].derive == "latest_level"

    def _coarse_slots(self, tables: list[Table]) -> list[int]:
        """Fine slot → coarse slot: consecutive slots merged while these tables cannot tell them apart."""
        covers = []
        for t in tables:
            _, lo, hi = self._where[id(t)]
            covers.append((lo, hi))
        out: list[int] = []
        last: tuple[bool, ...] | None = None
        for i in range(len(self.slots)):
            sig = tuple(lo <= i <= hi for lo, hi in covers)
            out.append(out[-1] + (sig != last) if out else 0)
            last = sig
        return out

    def _build_components(self, members: Sequence[tuple[TableDef, Table]]) -> None:
        parent: dict[str, str] = {}

        def find(x: str) -> str:
            while parent.setdefault(x, x) != x:
                x = parent[x]
            return x

        for tdef, _ in members:
            static = [self.defs.base(d) for d in tdef.dims if not self._varies(d)]
            for x in static:
                find(x)
            for x, y in pairwise(static):
                parent[find(x)] = find(y)
        comps: dict[str, list[str]] = defaultdict(list)
        for x in sorted(parent):
            comps[find(x)].append(x)
        n = len(self.slots)
        self._comp_of: dict[str, _Component] = {}
        for root, members_ in comps.items():
            singles = [x for x in members_ if not self.is_list(x)]
            lists = [x for x in members_ if self.is_list(x)]
            if len(lists) > 1:
                raise StatsError(f"维度 {'、'.join(lists)} 都可多选，不能出现在同一批记录的相关表中：请分开定义。")
            mine = [t for d, t in members
                    if any(find(self.defs.base(x)) == root for x in d.dims if not self._varies(x))]
            coarse = self._coarse_slots(mine)
            m = (coarse[-1] + 1) if coarse else 0
            cstates = self._states(m)
            where = {st: i for i, st in enumerate(cstates)}
            combos = list(product(*(self.domains.get(x) or ["?"] for x in singles)))
            k = len(self.domains.get(lists[0]) or []) if lists else 0
            c, S = len(combos), len(cstates)
            comp = _Component(singles, lists[0] if lists else None, combos, self.n_vars, self.n_vars + S * c, k,
                              coarse, cstates)
            self.n_vars += S * c * (1 + k)
            for x in members_:
                self._comp_of[x] = comp
            # the component's counts per coarse state add up to the fine totals it merges
            fine_of: dict[int, list[int]] = defaultdict(list)
            for i, (a, b) in enumerate(self.states):
                ca = coarse[a] if a >= 0 else -1
                cb = coarse[b] if b < n else m
                fine_of[where[(ca, cb) if self.span else (ca, ca)]].append(i)
            for si in range(S):
                xs = comp.x + si * c + np.arange(c)
                fine = np.array(fine_of.get(si, []), dtype=int)
                self._rows.append((np.concatenate([xs, fine]), np.concatenate([np.ones(c), -np.ones(len(fine))]),
                                   0.0, 0.0))
            if k:
                x_all = comp.x + np.arange(S * c)
                z_all = comp.z + (np.arange(S * c)[:, None] * k + np.arange(k)[None, :])
                for xi, zs in zip(x_all, z_all, strict=True):
                    for z in zs:  # a child counts at most once per category
                        self._rows.append((np.array([z, xi]), np.array([1.0, -1.0]), -np.inf, 0.0))
                    # and in at least one
                    self._rows.append((np.append(zs, xi), np.append(np.ones(k), -1.0), 0.0, np.inf))
        self._varying: dict[int, dict] = {}
        for tdef, table in members:
            tv = [d for d in tdef.dims if self._varies(d)]
            if not tv:
                continue
            st = [d for d in tdef.dims if not self._varies(d)]
            st_vals = [self._values_of(table, d) for d in st]
            tv_vals = [self._values_of(table, d) for d in tv]
            index: dict[tuple, int] = {}
            for sc in product(*st_vals):
                fixed = {self.defs.base(d): self._base_values(d, v) for d, v in zip(st, sc, strict=True)}
                base_terms = self.static_terms(fixed, table)
                vs = []
                for tc in product(*tv_vals):
                    index[(sc, tc)] = self.n_vars
                    vs.append(self.n_vars)
                    self.n_vars += 1
                self._rows.append((np.concatenate([vs, base_terms]).astype(int),
                                   np.concatenate([np.ones(len(vs)), -np.ones(len(base_terms))]), 0.0, 0.0))
            self._varying[id(table)] = {"st": st, "tv": tv, "index": index}

    def _values_of(self, table: Table, dim: str) -> list[str]:
        return list(table.rows) if dim == table.row_dim else list(table.cols)

    def _base_values(self, dim: str, value: str) -> list[str]:
        d = self.defs.dims[dim]
        if not d.of:
            return [value]
        return [v for v in self.domains.get(self.defs.base(dim), []) if d.coarse(v) == value]

    def static_terms(self, fixed: dict[str, list[str]], table: Table) -> np.ndarray:
        """Unknowns whose sum counts the table's records (its period) with these static values."""
        if not fixed:
            return self._select(table, self.states, None)
        comp = self._comp_of[next(iter(fixed))]
        states = self._select(table, comp.states, comp.coarse)
        singles, combos = comp.singles, comp.combos
        keep = [i for i, c in enumerate(combos)
                if all(c[singles.index(b)] in vals for b, vals in fixed.items() if b in singles)]
        c = len(combos)
        base = comp.x + (states[:, None] * c + np.array(keep, dtype=int)[None, :]).ravel()
        lst = comp.list_dim
        if lst is None or lst not in fixed:
            return base.astype(int)
        ks = [self.domains[lst].index(v) for v in fixed[lst] if v in self.domains[lst]]
        rel = base - comp.x
        return (comp.z + rel[:, None] * comp.k + np.array(ks, dtype=int)[None, :]).ravel().astype(int)

    def terms(self, table: Table, key: Key) -> np.ndarray:
        """Unknowns whose sum is the cell's true value."""
        fixed = table.fixed_values(key)
        varying = self._varying.get(id(table))
        if varying:
            return np.array(sorted(i for (sc, tc), i in varying["index"].items()
                                   if all(fixed.get(d, v) == v for d, v in zip(varying["st"], sc, strict=True))
                                   and all(fixed.get(d, v) == v for d, v in zip(varying["tv"], tc, strict=True))),
                            dtype=int)
        base: dict[str, list[str]] = {}
        for d, v in fixed.items():
            base[self.defs.base(d)] = self._base_values(d, v)
        return self.static_terms(base, table)

    def structure(self) -> tuple[csr_matrix, np.ndarray, np.ndarray]:
        """The structural constraints as lo ≤ A·x ≤ hi."""
        rows, cols, data, lo, hi = [], [], [], [], []
        for i, (idx, coef, a, b) in enumerate(self._rows):
            rows.append(np.full(len(idx), i))
            cols.append(idx)
            data.append(coef)
            lo.append(a)
            hi.append(b)
        if not self._rows:
            return csr_matrix((0, self.n_vars)), np.zeros(0), np.zeros(0)
        m = coo_matrix((np.concatenate(data), (np.concatenate(rows), np.concatenate(cols))),
                       shape=(len(self._rows), self.n_vars)).tocsr()
        return m, np.array(lo), np.array(hi)


__all__ = ["JointSpace", "populations", "slots_of"]
