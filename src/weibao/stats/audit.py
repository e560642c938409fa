"""The attacker's audit: how precisely can each withheld cell be worked out from everything published?

The unknowns come from a space: weibao.stats.joint.JointSpace puts every table and every period
of one population (frozen ones included) into one system — see there for how periods, the
in-care flow, shared margins, list dimensions and changing levels are linked. Every published
figure becomes a constraint on the sum of its cell's unknowns:

- a number → equality; "<t" → between 1 and t-1 (0..t-1 where zeros are shown as "<t" too);
  "×" in a count table → at least t (every count below t is already "<t" and zeros are
  published), "×" in a sum table → at least 0;
- a median shown → its group has at least t records; a median withheld as "<t" → 1..t-1.

Every figure is a whole number, so the attacker's question is an integer one. The audit answers
it in two steps, because the linear relaxation is fast but can only ever say "too narrow":
1. HiGHS minimises and maximises the cell over the linear relaxation, rounded inwards. If even
   that range is too narrow, the cell is exposed (the integer range lies inside it).
2. Otherwise the audit needs whole-number witnesses: two solutions in integers, consistent with
   everything published, whose values for the cell are far enough apart. A relaxation optimum
   that is already integral is one; for a fractional one, HiGHS solves the integer program
   (see Witnesses). Witnesses are kept: a later cell whose range they already span costs
   nothing. If no witnesses far enough apart are found, the cell counts as exposed.
The cell is safe when
- "<t": the range is at least half of 1..t-1 wide (see small_width), or the cell is provably 0;
- "×" in a sum table: the range is at least t wide and at least sum_relative_range of the value;
  "×" in a count table (at least t, withheld to protect others): never worked out exactly.

The space may merge time detail that a component's tables never show (weibao.stats.joint); the
whole-number range over it is still the attacker's: given whole coarse counts and whole fine
totals that agree, the records can be dealt out to the fine time slots one by one (a
transportation problem with equal totals always has a whole-number solution), and each carries
its categories with it, so every witness here is a witness in the fully detailed system too.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol

import highspy
import numpy as np
from scipy.sparse import csr_matrix, vstack

from weibao.stats import StatsError
from weibao.stats.model import TOTAL, Cell, Table

EPS = 1e-6
MAX_VARIABLES = 400_000
# Work limits of one integer solve. Nodes, not seconds, decide when it stops, so two runs of the
# same commit withhold the same cells on any machine; the time limit only catches a pathological
# system (a cell not certified in time counts as exposed, so more is withheld, never less).
MILP_NODES = 5_000
MILP_SECONDS = 60.0
POOL_SIZE = 256  # integer solutions kept as witnesses


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

    def structure(self) -> tuple[csr_matrix, np.ndarray, np.ndarray]:
        """lo ≤ A·x ≤ hi: the list dimension's links (a record counts once or more across values)."""
        if not self.multi:
            return csr_matrix((0, self.n_vars)), np.zeros(0), np.zeros(0)
        m, _ = _list_links(self)
        return m, np.full(m.shape[0], -np.inf), np.zeros(m.shape[0])


def small_width(t: int) -> float:
    """How wide the range of a "<t" cell must stay: half of 1..t-1 (t=5: 1–3, 2–4 or wider).

    Not all of 1..t-1: a total shown as "<t" bounds its parts (a county of 3 children, 1 boy and
    2 girls: each part is at most 3 whatever else is withheld), so no publication could keep that
    promise. Half of it means no small cell is pinned to one value or shown to be a single child.
    """
    return (t - 1) / 2


def knowledge(table: Table, cell: Cell) -> tuple[float, float]:
    """What a reader knows about a cell's true value (for a median table: its group size)."""
    t = cell.threshold
    if table.kind == "median":
        if table.loose:  # the threshold counts values, and some records may have none
            return {"value": (t, math.inf), "small": (1, math.inf)}.get(cell.state, (0, math.inf))
        return {"value": (t, math.inf), "small": (1, t - 1), "none": (0, 0)}.get(cell.state, (0, math.inf))
    if cell.state == "value":
        assert cell.value is not None
        return float(cell.value), float(cell.value)
    if cell.state == "small":
        return (0 if table.zeros_hidden else 1), t - 1
    return (t, math.inf) if table.kind == "count" else (0, math.inf)


def audited(table: Table, cell: Cell) -> bool:
    """Cells the audit must show to be protected: every withheld one (see Audit.check)."""
    if table.kind == "median":
        return cell.state == "small"
    return cell.state in ("small", "hidden")


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


class Unknowns(Protocol):
    """What the audit needs of a space: how many unknowns, a cell's unknowns, the structure."""

    n_vars: int

    def terms(self, table: Table, key: tuple[str | None, str | None]) -> np.ndarray: ...

    def structure(self) -> tuple[csr_matrix, np.ndarray, np.ndarray]: ...


class Audit:
    """All published tables of one family and block, as one linear system."""

    def __init__(self, space: Unknowns, tables: list[Table], sum_relative_range: float = 0.2) -> None:
        if space.n_vars > MAX_VARIABLES:
            names = "、".join(sorted({t.tid for t in tables}))
            raise StatsError(
                f"统计表 {names} 的维度组合太多（{space.n_vars} 个未知数），审计无法在合理时间内完成："
                "请减少同一批记录上的表所用的维度，或改用更粗的分组。"
            )
        self.space = space
        self.tables = tables
        self.rel = sum_relative_range
        self._highs: highspy.Highs | None = None
        self._cell_rows: list[tuple[Table, tuple[str | None, str | None]]] = []
        self._stale = True
        self._terms: dict[tuple[int, tuple], np.ndarray] = {}
        self.duals: dict[bool, np.ndarray] = {}  # last solve's duals of the cell rows: True = minimum
        self.witnesses = Witnesses()
        self.integer_solves = 0
        self._milp: highspy.Highs | None = None
        self._milp_stale = True
        self._lp: highspy.HighsLp | None = None
        self._matrix: csr_matrix | None = None  # every row: published cells, then the structure
        self._bounds: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None  # row lo, row hi, column hi

    def binding(self, table: Table, key: tuple[str | None, str | None], low_side: bool) -> list[tuple[Table, tuple]]:
        """Published cells whose figures hold the cell's minimum (low_side) or maximum where it is.

        Read from the duals of the last range_of(table, key): withholding one of these is what can
        move that bound, so complementary suppression looks here first.
        """
        self.range_of(table, key)
        duals = self.duals.get(low_side)
        if duals is None:
            return []
        return [self._cell_rows[i] for i in np.flatnonzero(np.abs(duals) > 1e-9)]

    def invalidate(self) -> None:
        """Call after a cell's state changed: the bounds are refreshed before the next solve."""
        self._stale = True

    def terms(self, table: Table, key: tuple[str | None, str | None]) -> np.ndarray:
        k = (id(table), key)
        if k not in self._terms:
            self._terms[k] = np.asarray(self.space.terms(table, key), dtype=int)
        return self._terms[k]

    def _cells(self) -> list[tuple[Table, tuple[str | None, str | None]]]:
        return [(t, k) for t in self.tables for k in t.cell_keys() if k in t.cells]

    def _model(self) -> highspy.Highs:
        """One HiGHS model for the whole system: a row per published cell, then the structure.

        Built once; a change of a cell's state only changes bounds, and every range is a new
        objective on the same model, so the solver starts from the last basis (milliseconds).
        """
        if self._highs is not None:
            return self._highs
        s = self.space
        cells = self._cells()
        rows = [self.terms(t, k) for t, k in cells]
        known = _rows([(r, 0) for r in rows], [1.0] * len(rows), s.n_vars)
        struct, s_lo, s_hi = s.structure()
        a = vstack([known, struct]).tocsc() if struct.shape[0] else known.tocsc()
        lp = highspy.HighsLp()
        lp.num_col_ = s.n_vars
        lp.num_row_ = a.shape[0]
        lp.col_cost_ = np.zeros(s.n_vars)
        lp.col_lower_ = np.zeros(s.n_vars)
        lp.col_upper_ = np.full(s.n_vars, highspy.kHighsInf)
        lo = np.concatenate([np.zeros(len(rows)), s_lo])
        hi = np.concatenate([np.full(len(rows), highspy.kHighsInf), s_hi])
        lp.row_lower_ = np.where(np.isinf(lo), -highspy.kHighsInf, lo)
        lp.row_upper_ = np.where(np.isinf(hi), highspy.kHighsInf, hi)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = a.indptr
        lp.a_matrix_.index_ = a.indices
        lp.a_matrix_.value_ = a.data
        h = _new_highs()
        h.passModel(lp)
        self._highs, self._cell_rows, self._stale = h, cells, True
        self._lp, self._matrix = lp, a.tocsr()
        return h

    def _milp_model(self) -> highspy.Highs:
        """The same system with whole-number unknowns, in its own HiGHS instance (with presolve,
        which the relaxation's warm starts do without), under the current bounds."""
        self._refresh()
        if self._milp is None:
            assert self._lp is not None
            h: Any = _new_highs()
            h.setOptionValue("presolve", "on")
            h.setOptionValue("mip_max_nodes", MILP_NODES)
            h.setOptionValue("time_limit", MILP_SECONDS)
            h.setOptionValue("mip_abs_gap", 1 - EPS)  # the objective is a whole number
            h.passModel(self._lp)
            nv = self.space.n_vars
            h.changeColsIntegrality(nv, np.arange(nv, dtype=np.int32),
                                    np.full(nv, highspy.HighsVarType.kInteger.value, dtype=np.uint8))
            self._milp, self._milp_stale = h, True
        if self._milp_stale:
            assert self._bounds is not None
            row_lo, row_hi, col_hi = self._bounds
            m: Any = self._milp
            m.changeRowsBounds(len(row_lo), np.arange(len(row_lo), dtype=np.int32), row_lo, row_hi)
            nv = self.space.n_vars
            m.changeColsBounds(nv, np.arange(nv, dtype=np.int32), np.zeros(nv), col_hi)
            self._milp_stale = False
        return self._milp

    def _keep(self, point: np.ndarray) -> bool:
        """Keep a solution as a witness if it is whole and satisfies every current bound exactly."""
        if not np.allclose(point, np.rint(point), atol=1e-7, rtol=0):
            return False
        x = np.rint(point)
        assert self._matrix is not None and self._bounds is not None
        row_lo, row_hi, col_hi = self._bounds
        ax = self._matrix @ x
        if (x < 0).any() or (x > col_hi).any() or (ax < row_lo - EPS).any() or (ax > row_hi + EPS).any():
            return False
        self.witnesses.add(x)
        return True

    def _refresh(self) -> None:
        """Bounds from what every cell now shows; a variable in a cell published as 0 is 0."""
        h: Any = self._model()  # highspy's stubs lack the plural change*s methods
        if not self._stale:
            return
        n = len(self._cell_rows)
        lo, hi = np.zeros(n), np.zeros(n)
        upper = np.full(self.space.n_vars, highspy.kHighsInf)
        for i, (table, key) in enumerate(self._cell_rows):
            low, high = knowledge(table, table.cells[key])
            idx = self.terms(table, key)
            if len(idx) == 0 and low > 0:
                raise InconsistentError(f"统计表 {table.tid} {table.period} 的“{table.name(key)}”格不可能非零。")
            if low == high == 0:
                upper[idx] = 0
            lo[i], hi[i] = low, (highspy.kHighsInf if math.isinf(high) else high)
        h.changeRowsBounds(n, np.arange(n, dtype=np.int32), lo, hi)
        nv = self.space.n_vars
        h.changeColsBounds(nv, np.arange(nv, dtype=np.int32), np.zeros(nv), upper)
        self._stale, self._milp_stale = False, True
        lp = self._lp
        assert lp is not None and self._matrix is not None
        n_struct = self._matrix.shape[0] - n
        row_lo = np.concatenate([lo, np.asarray(lp.row_lower_)[n:n + n_struct]])
        row_hi = np.concatenate([hi, np.asarray(lp.row_upper_)[n:n + n_struct]])
        self._bounds = (row_lo, row_hi, upper)
        self.witnesses.recheck(self._feasible)

    def _feasible(self, points: np.ndarray) -> np.ndarray:
        """Which kept solutions (rows) satisfy every current bound."""
        assert self._matrix is not None and self._bounds is not None
        row_lo, row_hi, col_hi = self._bounds
        ax = (self._matrix @ points.T).T
        return ((points <= col_hi).all(axis=1) & (ax >= row_lo - EPS).all(axis=1) & (ax <= row_hi + EPS).all(axis=1))

    def range_of(self, table: Table, key: tuple[str | None, str | None]) -> tuple[float, float]:
        """Smallest and largest whole value consistent with everything published."""
        self._refresh()
        h = self._model()
        nv = self.space.n_vars
        idx = self.terms(table, key)
        if len(idx) == 0:
            return 0.0, 0.0
        cost = np.zeros(nv)
        np.add.at(cost, idx, 1.0)
        h.changeColsCost(nv, np.arange(nv, dtype=np.int32), cost)
        out = []
        for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
            h.changeObjectiveSense(sense)
            h.run()
            status = h.getModelStatus()
            if status == highspy.HighsModelStatus.kUnbounded:
                out.append(math.inf)
                continue
            if status != highspy.HighsModelStatus.kOptimal:
                if status in (highspy.HighsModelStatus.kInfeasible, highspy.HighsModelStatus.kUnboundedOrInfeasible):
                    raise InconsistentError(
                        f"统计表 {table.tid} 所在的一组已公布数字互相矛盾，审计无法进行。"
                        "通常是已冻结的数字与按现有记录重新计算的数字不一致（见上面的提示）。"
                    )
                raise StatsError(f"统计表 {table.tid} {table.period} 的审计求解失败：{h.modelStatusToString(status)}")
            best = h.getInfo().objective_function_value
            self._keep(np.asarray(h.getSolution().col_value))
            self.duals[sense == highspy.ObjSense.kMinimize] = np.asarray(h.getSolution().row_dual)[:len(self._cell_rows)]
            # the figures are whole numbers: an attacker rounds the relaxation's bounds inwards
            rounded = math.ceil(best - EPS) if sense == highspy.ObjSense.kMinimize else math.floor(best + EPS)
            out.append(rounded + 0.0)  # + 0.0: no "-0" in messages
        return out[0], out[1]

    def need(self, table: Table, cell: Cell) -> float:
        """How wide a withheld cell's range must stay (see the module docstring)."""
        if cell.state == "small":
            return small_width(cell.threshold)
        # a "×" sum (few records behind it) needs room like a small count; a "×" count is at
        # least t and withheld to protect others: it only must not be worked out exactly
        # (a "×" made of two "<5" parts lies in 5..8 whatever else is withheld)
        if table.kind == "sum":
            return max(float(cell.threshold), self.rel * float(cell.value or 0))
        return 1.0

    def check(self, table: Table, key: tuple[str | None, str | None]) -> Finding | None:
        """A Finding when the cell can be narrowed down more than its rule allows, else None."""
        cell = table.cells[key]
        need = self.need(table, cell)
        idx = self.terms(table, key)
        self._refresh()  # re-checks the witnesses against what is published now
        if self.witnesses.spread(idx) >= need - EPS:
            return None  # whole-number solutions already found are that far apart
        low, high = self.range_of(table, key)
        if cell.state == "small" and high <= EPS:
            return None  # provably 0 (a zero shown as "<t", read back from a frozen table)
        if high - low < need - EPS:
            return Finding(table.tid, table.period, key, low, high, cell.state, cell.threshold)
        w_low, w_high = self.integer_range(idx, low, high, need)
        if w_high - w_low >= need - EPS:
            return None
        if not (math.isfinite(w_low) and w_high > w_low - EPS):
            w_low, w_high = low, high  # no whole-number solution found in time: say what is proven
        return Finding(table.tid, table.period, key, w_low, w_high, cell.state, cell.threshold)

    def integer_range(self, idx: np.ndarray, low: float, high: float, need: float) -> tuple[float, float]:
        """Values of the cell reached by whole-number solutions: the kept witnesses, plus integer
        solves for the ends of the relaxation's range [low, high] they do not reach. A solve stops
        as soon as its solution is far enough from the other end (need), so the result can be
        narrower than the true integer range but never wider."""
        w_low, w_high = self.witnesses.extent(idx)
        if math.isinf(high):
            if not math.isfinite(w_low):
                w_low = self._integer_optimum(idx, minimise=True, target=low)
            # the integer hull of a rational polyhedron has the relaxation's recession cone:
            # given one whole-number solution, the cell grows without bound in integers too
            return w_low, (math.inf if math.isfinite(w_low) else -math.inf)
        if w_high < high - EPS:
            base = w_low if math.isfinite(w_low) else low
            w_high = max(w_high, self._integer_optimum(idx, minimise=False, target=min(high, base + need)))
        if w_high - w_low < need - EPS and w_low > low + EPS:
            w_low = min(w_low, self._integer_optimum(idx, minimise=True, target=max(low, w_high - need)))
        return w_low, w_high

    def _integer_optimum(self, idx: np.ndarray, minimise: bool, target: float) -> float:
        """The cell's value at a whole-number solution as small (large) as HiGHS finds, stopping
        once it reaches target; the solution is kept as a witness. ±inf if none is found."""
        h: Any = self._milp_model()
        nv = self.space.n_vars
        cost = np.zeros(nv)
        np.add.at(cost, idx, 1.0)
        h.changeColsCost(nv, np.arange(nv, dtype=np.int32), cost)
        h.changeObjectiveSense(highspy.ObjSense.kMinimize if minimise else highspy.ObjSense.kMaximize)
        h.setOptionValue("objective_target", target + (EPS if minimise else -EPS))
        start = self.witnesses.best(idx, minimise)
        if start is not None:  # an incumbent from the first node on prunes most of the search
            sol = highspy.HighsSolution()
            sol.col_value = list(start)
            h.setSolution(sol)
        h.run()
        if h.getModelStatus() == highspy.HighsModelStatus.kInfeasible:
            # the relaxation is feasible, so this is presolve going wrong (seen in older HiGHS
            # releases on such systems): solve again without it before believing it
            h.setOptionValue("presolve", "off")
            h.run()
            h.setOptionValue("presolve", "on")
        self.integer_solves += 1
        if h.getInfo().primal_solution_status == 2:  # a feasible solution, optimal or not
            point = np.asarray(h.getSolution().col_value)
            if self._keep(point):
                return float(np.rint(point)[idx].sum())
        return math.inf if minimise else -math.inf

    def _iter_findings(self) -> Iterator[Finding]:
        """Unprotected withheld cells, lazily: each one costs up to two linear programs (and two
        integer ones where the relaxation's optimum is fractional and no witness reaches it)."""
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


class Witnesses:
    """Whole-number solutions found so far, each still consistent with what is published now.

    A cell whose values at these solutions are far enough apart is protected without solving
    anything: every one of them is a possible truth that the attacker cannot rule out. Solutions
    are re-checked when a cell's state changes (publishing a cell again can rule one out).
    """

    def __init__(self, size: int = POOL_SIZE) -> None:
        self.size = size
        self.points: np.ndarray | None = None
        self.valid = np.zeros(0, dtype=bool)
        self._seen: set[bytes] = set()

    def add(self, point: np.ndarray) -> None:
        key = point.astype(np.int64).tobytes()
        if key in self._seen:
            return
        self._seen.add(key)
        row = point[None, :]
        if self.points is None:
            self.points, self.valid = row, np.ones(1, dtype=bool)
        else:
            self.points = np.vstack([self.points, row])[-self.size:]
            self.valid = np.append(self.valid, True)[-self.size:]

    def recheck(self, feasible: Callable[[np.ndarray], np.ndarray]) -> None:
        if self.points is not None and len(self.points):
            self.valid = np.asarray(feasible(self.points), dtype=bool)

    def extent(self, idx: np.ndarray) -> tuple[float, float]:
        """Smallest and largest value of the cell over valid witnesses ((inf, -inf) if none)."""
        if self.points is None or not self.valid.any():
            return math.inf, -math.inf
        values = self.points[self.valid][:, idx].sum(axis=1)
        return float(values.min()), float(values.max())

    def best(self, idx: np.ndarray, minimise: bool) -> np.ndarray | None:
        """The valid witness with the smallest (largest) value of the cell, if any."""
        if self.points is None or not self.valid.any():
            return None
        points = self.points[self.valid]
        values = points[:, idx].sum(axis=1)
        return points[int(np.argmin(values) if minimise else np.argmax(values))]

    def spread(self, idx: np.ndarray) -> float:
        low, high = self.extent(idx)
        return high - low if math.isfinite(low) else -math.inf


def _new_highs() -> highspy.Highs:
    """A silent HiGHS instance (the library prints a banner on stdout when the first is made)."""
    sys.stdout.flush()
    saved, devnull = os.dup(1), os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        h = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)
    h.setOptionValue("output_flag", False)
    # every solve after the first starts from the previous basis; presolve would throw it away
    h.setOptionValue("presolve", "off")
    h.setOptionValue("solver", "simplex")
    return h


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
