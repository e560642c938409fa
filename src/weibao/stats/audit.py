"""The attacker's audit: how precisely can each withheld cell be worked out from everything published?

The unknowns are the true counts (or sums) of records in every combination of the dimensions the
family's tables use, per month when tables of several grains are published (so a year is the sum
of its months). Every published figure of every table of the family becomes a constraint:

- a number → equality; "<t" → between 1 and t-1; "×" in a count table → at least t (every count
  below t is already "<t" and zeros are published), "×" in a sum table → at least 0;
- a median shown → its group has at least t records; a median withheld as "<t" → 1..t-1 records.

A list dimension (a child in several categories) adds, per combination a, variables z[a, y] with
0 ≤ z ≤ x[a] and Σ_y z ≥ x[a]: exactly the counts a list field allows.

For each withheld cell, scipy's HiGHS solver minimises and maximises it. The cell is safe when
- "<t": the range still covers at least half of 1..t-1 (see small_width): never an exact figure;
- a sum withheld because fewer than t records make it: the range is at least t wide and at least
  sum_relative_range of the value.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

from weibao.stats import StatsError
from weibao.stats.model import TOTAL, Cell, Table

EPS = 1e-6
MAX_VARIABLES = 400_000


class InconsistentError(StatsError):
    """The published figures contradict each other (frozen figures differ from the records)."""


@dataclass
class Space:
    """The attacker's unknowns for one family and block (a year, or one period)."""

    dims: dict[str, tuple[str, ...]]  # single-valued base dimensions → their values
    months: tuple[str, ...] = ()
    multi: str | None = None  # the one list dimension, if any
    multi_values: tuple[str, ...] = ()
    coarse: dict[str, tuple[str, dict[str, tuple[str, ...]]]] = field(default_factory=dict)

    @cached_property
    def names(self) -> list[str]:
        return list(self.dims)

    @cached_property
    def shape(self) -> tuple[int, ...]:
        return (max(len(self.months), 1), *(len(v) for v in self.dims.values()))

    @cached_property
    def n_atoms(self) -> int:
        return int(np.prod(self.shape))

    @cached_property
    def n_vars(self) -> int:
        return self.n_atoms * (1 + len(self.multi_values))

    @cached_property
    def coords(self) -> tuple[np.ndarray, ...]:
        return np.unravel_index(np.arange(self.n_atoms), self.shape)

    def base_values(self, dim: str, value: str) -> tuple[str, str | tuple[str, ...]]:
        """(base dimension, its values) that a (possibly coarsened) dimension value stands for."""
        if dim in self.coarse:
            base, groups = self.coarse[dim]
            return base, groups.get(value, ())
        return dim, (value,)

    def terms(self, table: Table, key: tuple[str | None, str | None]) -> np.ndarray:
        """Variable indices whose sum is the cell's true value."""
        mask = np.ones(self.n_atoms, dtype=bool)
        if self.months:
            wanted = [i for i, m in enumerate(self.months) if m in set(table.months)]
            mask &= np.isin(self.coords[0], wanted)
        multi_value = None
        for dim, value in table.fixed_values(key).items():
            base, values = self.base_values(dim, value)
            if base == self.multi:
                multi_value = self.multi_values.index(value)
                continue
            axis = self.names.index(base) + 1
            domain = self.dims[base]
            mask &= np.isin(self.coords[axis], [domain.index(v) for v in values if v in domain])
        atoms = np.flatnonzero(mask)
        if multi_value is None:
            return atoms
        return self.n_atoms + atoms * len(self.multi_values) + multi_value


def small_width(t: int) -> float:
    """How wide the range of a "<t" cell must stay: half of 1..t-1 (t=5: three of the four values).

    "<t" already tells a reader 1..t-1, so no range can be t wide; half of it means nobody can
    single a child out (a 1) or pin the figure down, while a county with few cases can still be
    published as "<t" instead of blanking whole tables.
    """
    return (t - 2) / 2


def knowledge(table: Table, cell: Cell) -> tuple[float, float]:
    """What a reader knows about a cell's true value (for a median table: its group size)."""
    t = cell.threshold
    if table.kind == "median":
        return {"value": (t, math.inf), "small": (1, t - 1), "none": (0, 0)}.get(cell.state, (0, math.inf))
    if cell.state == "value":
        assert cell.value is not None
        return float(cell.value), float(cell.value)
    if cell.state == "small":
        return (0 if table.zeros_hidden else 1), t - 1
    return (t, math.inf) if table.kind == "count" else (0, math.inf)


def audited(table: Table, cell: Cell) -> bool:
    """Cells the audit must show to be protected: the small ones, not those withheld to protect them.

    A "×" count is at least t: how precisely it can be narrowed matters only through the small
    cells it protects, and those are audited themselves.
    """
    if table.kind == "median":
        return cell.state == "small"
    if cell.state == "small":
        return cell.value != 0  # a zero shown as "<t" protects others; 0 children need no protection
    return table.kind == "sum" and cell.state == "hidden" and (cell.primary or table.frozen)


@dataclass(frozen=True)
class Finding:
    """A withheld cell that can be narrowed down: what was found and what was required."""

    table: str
    period: str
    key: tuple[str | None, str | None]
    low: float
    high: float
    state: str
    threshold: int

    def range_text(self) -> str:
        hi = "∞" if math.isinf(self.high) else f"{self.high:g}"
        return f"[{self.low:g}, {hi}]"


class Audit:
    """All published tables of one family and block, as one linear system."""

    def __init__(self, space: Space, tables: list[Table], sum_relative_range: float = 0.2) -> None:
        if space.n_vars > MAX_VARIABLES:
            names = "、".join(sorted({t.tid for t in tables}))
            raise StatsError(
                f"统计表 {names} 的维度组合太多（{space.n_vars} 个未知数），审计无法在合理时间内完成："
                "请减少同一批记录上的表所用的维度，或改用更粗的分组。"
            )
        self.space = space
        self.tables = tables
        self.rel = sum_relative_range
        self._system: tuple | None = None
        self._terms: dict[tuple[int, tuple], np.ndarray] = {}

    def invalidate(self) -> None:
        """Call after a cell's state changed."""
        self._system = None

    def terms(self, table: Table, key: tuple[str | None, str | None]) -> np.ndarray:
        k = (id(table), key)
        if k not in self._terms:
            self._terms[k] = self.space.terms(table, key)
        return self._terms[k]

    def system(self) -> tuple:
        if self._system is not None:
            return self._system
        s = self.space
        upper = np.full(s.n_vars, np.inf)
        eq_rows: list[np.ndarray] = []
        eq_rhs: list[float] = []
        ub_rows: list[tuple[np.ndarray, float]] = []  # (indices with sign folded in below)
        ub_rhs: list[float] = []
        ub_sign: list[float] = []
        for table in self.tables:
            for key in table.cell_keys():
                cell = table.cells.get(key)
                if cell is None:
                    continue
                lo, hi = knowledge(table, cell)
                idx = self.terms(table, key)
                if lo == hi == 0:
                    upper[idx] = 0
                    continue
                if len(idx) == 0:
                    if lo > 0:
                        raise InconsistentError(f"统计表 {table.tid} {table.period} 的“{table.name(key)}”格不可能非零。")
                    continue
                if lo == hi:
                    eq_rows.append(idx)
                    eq_rhs.append(lo)
                    continue
                if lo > 0:
                    ub_rows.append((idx, 0))
                    ub_sign.append(-1.0)
                    ub_rhs.append(-lo)
                if not math.isinf(hi):
                    ub_rows.append((idx, 0))
                    ub_sign.append(1.0)
                    ub_rhs.append(hi)
        a_ub_parts = [_rows(ub_rows, ub_sign, s.n_vars)]
        b_ub = list(ub_rhs)
        if s.multi:
            a_link, b_link = _list_links(s)
            a_ub_parts.append(a_link)
            b_ub += b_link
        from scipy.sparse import vstack

        a_ub = vstack([p for p in a_ub_parts if p.shape[0]]) if any(p.shape[0] for p in a_ub_parts) else None
        a_eq = _rows([(r, 0) for r in eq_rows], [1.0] * len(eq_rows), s.n_vars) if eq_rows else None
        # variables a published 0 fixes are dropped: far smaller problems for HiGHS
        free = np.flatnonzero(upper > 0)
        if a_ub is not None:
            a_ub = a_ub.tocsc()[:, free].tocsr()
        if a_eq is not None:
            a_eq = a_eq.tocsc()[:, free].tocsr()
        bounds = np.column_stack([np.zeros(len(free)), upper[free]])
        self._free = free
        self._system = (a_ub, np.array(b_ub) if a_ub is not None else None, a_eq,
                        np.array(eq_rhs) if eq_rows else None, bounds)
        return self._system

    def range_of(self, table: Table, key: tuple[str | None, str | None]) -> tuple[float, float]:
        """Smallest and largest true value consistent with everything published."""
        a_ub, b_ub, a_eq, b_eq, bounds = self.system()
        full = np.zeros(self.space.n_vars)
        full[self.terms(table, key)] = 1.0
        c = full[self._free]
        if not c.any():
            return 0.0, 0.0
        out = []
        for sign in (1.0, -1.0):
            res = linprog(sign * c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
            if res.status == 2:
                raise InconsistentError(
                    f"统计表 {table.tid} 所在的一组已公布数字互相矛盾，审计无法进行。"
                    "通常是已冻结的数字与按现有记录重新计算的数字不一致（见上面的提示）。"
                )
            if res.status == 3:  # unbounded: no upper limit (a minimum is always bounded by 0)
                out.append(math.inf if sign < 0 else -math.inf)
                continue
            if res.status != 0:
                raise StatsError(f"统计表 {table.tid} {table.period} 的审计求解失败：{res.message}")
            out.append(sign * res.fun + 0.0)  # + 0.0: no "-0" in messages
        return out[0], out[1]

    def check(self, table: Table, key: tuple[str | None, str | None]) -> Finding | None:
        """A Finding when the cell can be narrowed down more than its rule allows, else None."""
        cell = table.cells[key]
        low, high = self.range_of(table, key)
        t = cell.threshold
        if cell.state == "small":
            # provably 0 (a zero shown as "<t", read back from a frozen table): no child to protect
            ok = high - low >= small_width(t) - EPS or high <= EPS
        else:
            need = float(t)
            if table.kind == "sum" and cell.value is not None:
                need = max(need, self.rel * float(cell.value))
            ok = high - low >= need - EPS
        return None if ok else Finding(table.tid, table.period, key, low, high, cell.state, t)

    def _iter_findings(self) -> Iterator[Finding]:
        """Unprotected withheld cells, lazily: each one costs two linear programs."""
        for table in self.tables:
            for key in table.cell_keys():
                cell = table.cells.get(key)
                if cell is not None and audited(table, cell):
                    finding = self.check(table, key)
                    if finding:
                        yield finding

    def first_finding(self) -> Finding | None:
        """The first unprotected withheld cell, or None (stops early: used while searching)."""
        return next(self._iter_findings(), None)

    def findings(self) -> list[Finding]:
        """Every withheld cell of every table that is not protected."""
        return list(self._iter_findings())


def _rows(rows: list[tuple[np.ndarray, float]], signs: list[float], n: int) -> csr_matrix:
    if not rows:
        return csr_matrix((0, n))
    indptr = np.cumsum([0, *(len(r) for r, _ in rows)])
    indices = np.concatenate([r for r, _ in rows]) if rows else np.array([], dtype=int)
    data = np.concatenate([np.full(len(r), s) for (r, _), s in zip(rows, signs, strict=True)])
    return csr_matrix((data, indices, indptr), shape=(len(rows), n))


def _list_links(s: Space) -> tuple[csr_matrix, list[float]]:
    """z[a,y] - x[a] ≤ 0 and x[a] - Σ_y z[a,y] ≤ 0: a record counts once or more across list values."""
    n, k = s.n_atoms, len(s.multi_values)
    atoms = np.arange(n)
    z = n + atoms[:, None] * k + np.arange(k)[None, :]
    # rows 0..n*k-1: z - x ≤ 0
    r1 = np.repeat(np.arange(n * k), 2)
    c1 = np.column_stack([z.ravel(), np.repeat(atoms, k)]).ravel()
    d1 = np.tile([1.0, -1.0], n * k)
    # rows n*k..n*k+n-1: x - Σ z ≤ 0
    r2 = np.concatenate([n * k + atoms, np.repeat(n * k + atoms, k)])
    c2 = np.concatenate([atoms, z.ravel()])
    d2 = np.concatenate([np.ones(n), -np.ones(n * k)])
    from scipy.sparse import coo_matrix

    m = coo_matrix(
        (np.concatenate([d1, d2]), (np.concatenate([r1, r2]), np.concatenate([c1, c2]))),
        shape=(n * k + n, s.n_vars),
    ).tocsr()
    return m, [0.0] * (n * k + n)


__all__ = ["TOTAL", "Audit", "Finding", "InconsistentError", "Space", "audited", "knowledge"]
