"""The audit answers the attacker's question in whole numbers, not only in the relaxation.

The attacker here is independent of the audit: scipy's `milp` (exact, presolve off) over the
published figures, built from the test's own index arithmetic.
"""

from __future__ import annotations

import math
import random
from pathlib import Path

import numpy as np
import pytest
import yaml
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix

from weibao.stats.audit import Audit, Space, audited, small_width
from weibao.stats.model import TOTAL, Cell, Table
from weibao.stats.suppress import primary, protect

CASES = yaml.safe_load((Path(__file__).parent / "fixtures" / "stats" / "integer_gaps.yaml").read_text("utf-8"))
STATES = {"<5": "small", "×": "hidden"}


class Sums:
    """Unknowns where figure i is the sum of the unknowns listed in sums[i]."""

    def __init__(self, sums: list[list[int]], n: int) -> None:
        self.sums, self.n_vars = sums, n

    def terms(self, table: Table, key: tuple) -> np.ndarray:
        return np.array(self.sums[int(key[0][1:])])

    def structure(self) -> tuple[csr_matrix, np.ndarray, np.ndarray]:
        return csr_matrix((0, self.n_vars)), np.zeros(0), np.zeros(0)


def figures(case: dict) -> Table:
    table = Table("t", "2024", "count", "R", None, [f"r{i}" for i in range(len(case["sums"]))], [], title="t")
    for i, (idx, shown) in enumerate(zip(case["sums"], case["shown"], strict=True)):
        value = sum(case["truth"][j] for j in idx)
        if not isinstance(shown, str):
            assert shown == value, "the fixture's published figure must be the truth's sum"
        table.cells[(f"r{i}", TOTAL)] = Cell(value, state=STATES.get(str(shown), "value"))
    return table


def known(table: Table, key: tuple) -> tuple[float, float]:
    """What a reader knows of a count cell from its display alone."""
    cell = table.cells[key]
    if cell.state == "small":
        return (0 if table.zeros_hidden else 1), cell.threshold - 1
    if cell.state == "hidden":
        return cell.threshold, math.inf
    return float(cell.value or 0), float(cell.value or 0)


def integer_range(rows: list[np.ndarray], lo: list[float], hi: list[float], target: np.ndarray) -> tuple[float, float]:
    a = np.array(rows)
    out = []
    for sign in (1.0, -1.0):
        res = milp(sign * target, constraints=LinearConstraint(a, lo, hi), integrality=np.ones(a.shape[1]),
                   bounds=Bounds(0, np.inf), options={"presolve": False})
        if res.status == 0:
            out.append(sign * res.fun)
        else:
            assert sign < 0 and res.status == 3, res.message  # only a maximum may be unbounded
            out.append(math.inf)
    return out[0], out[1]


def exposed(width: float, high: float, cell: Cell) -> bool:
    if cell.state == "small":
        return width < small_width(cell.threshold) - 1e-9 and high > 0
    return width < 1 - 1e-9


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_whole_numbers_narrow_a_cell_the_relaxation_leaves_wide(case: dict) -> None:
    table = figures(case)
    key = (f"r{case['cell']}", TOTAL)
    n = len(case["truth"])
    rows = [np.bincount(idx, minlength=n).astype(float) for idx in case["sums"]]
    bounds = [known(table, k) for k in table.cell_keys() if k in table.cells]
    exact = integer_range(rows, [b[0] for b in bounds], [b[1] for b in bounds], rows[case["cell"]])
    assert exact == tuple(case["integers"])  # the fixture's claim, checked independently
    audit = Audit(Sums(case["sums"], n), [table])
    relaxation = audit.range_of(table, key)
    assert relaxation == tuple(case["relaxation"])
    assert relaxation[1] - relaxation[0] >= small_width(5), "a relaxation-only audit would pass this cell"
    finding = audit.check(table, key)
    assert finding is not None, "the cell can be narrowed in whole numbers and must be reported"
    assert (finding.low, finding.high) == tuple(case["integers"])


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_protection_holds_against_an_integer_attacker(case: dict) -> None:
    table = figures(case)
    n = len(case["truth"])
    audit = Audit(Sums(case["sums"], n), [table])
    protect(audit, lambda t, k: t.name(k))
    rows = [np.bincount(idx, minlength=n).astype(float) for idx in case["sums"]]
    keys = [k for k in table.cell_keys() if k in table.cells]
    bounds = [known(table, k) for k in keys]
    for i, key in enumerate(keys):
        cell = table.cells[key]
        if audited(table, cell):
            low, high = integer_range(rows, [b[0] for b in bounds], [b[1] for b in bounds], rows[i])
            assert not exposed(high - low, high, cell), f"{key}: {low}..{high}"


def random_sums(seed: int) -> tuple[list[list[int]], int, Table]:
    """Seeded random figures over a few unknowns, each the sum of two or three of them."""
    rng = random.Random(seed)
    n, m = rng.randint(4, 7), rng.randint(4, 8)
    truth = [rng.choice([0, 1, 1, 2, 3]) for _ in range(n)]
    sums = [sorted(rng.sample(range(n), rng.randint(2, 3))) for _ in range(m)]
    table = Table("t", "2024", "count", "R", None, [f"r{i}" for i in range(m)], [], title="t")
    for i, idx in enumerate(sums):
        table.cells[(f"r{i}", TOTAL)] = Cell(sum(truth[j] for j in idx))
    primary(table)
    return sums, n, table


# 160, 620 and 1029 left cells pinned when the audit solved only the relaxation
@pytest.mark.parametrize("seed", [160, 620, 1029, 1, 2, 5])
def test_random_linked_figures_survive_an_integer_attacker(seed: int) -> None:
    sums, n, table = random_sums(seed)
    protect(Audit(Sums(sums, n), [table]), lambda t, k: t.name(k))
    rows = [np.bincount(idx, minlength=n).astype(float) for idx in sums]
    keys = [k for k in table.cell_keys() if k in table.cells]
    lo, hi = zip(*(known(table, k) for k in keys), strict=True)
    withheld = [i for i, k in enumerate(keys) if audited(table, table.cells[k])]
    assert withheld
    for i in withheld:
        low, high = integer_range(rows, list(lo), list(hi), rows[i])
        assert not exposed(high - low, high, table.cells[keys[i]]), f"{keys[i]}: {low}..{high}"


def three_way(seed: int) -> tuple[np.ndarray, list[Table]]:
    """Seeded random counts over three dimensions, published as the three two-way tables."""
    rng = random.Random(seed)
    shape = tuple(rng.randint(2, 3) for _ in range(3))
    counts = np.array([rng.choice([0, 0, 1, 1, 2, 3, 4, 6, 8]) for _ in range(int(np.prod(shape)))]).reshape(shape)
    tables = []
    for d1, d2 in ((0, 1), (1, 2), (0, 2)):
        m = counts.sum(axis=({0, 1, 2} - {d1, d2}).pop())
        rows, cols = [f"{'ABC'[d1]}{i}" for i in range(shape[d1])], [f"{'ABC'[d2]}{j}" for j in range(shape[d2])]
        t = Table("ABC"[d1] + "ABC"[d2], "2024", "count", "ABC"[d1], "ABC"[d2], rows, cols, title="t")
        for i, r in enumerate(rows):
            for j, c in enumerate(cols):
                t.cells[(r, c)] = Cell(int(m[i, j]))
            t.cells[(r, TOTAL)] = Cell(int(m[i].sum()))
        for j, c in enumerate(cols):
            t.cells[(TOTAL, c)] = Cell(int(m[:, j].sum()))
        t.cells[(TOTAL, TOTAL)] = Cell(int(m.sum()))
        tables.append(t)
    return counts, tables


def indicator(shape: tuple[int, ...], table: Table, key: tuple) -> np.ndarray:
    """Which of the three-way counts (C order) a two-way cell adds up, from the labels alone."""
    mask = np.ones(shape, dtype=bool)
    for dim, value in ((table.row_dim, key[0]), (table.col_dim, key[1])):
        if value is not TOTAL:
            axis, i = "ABC".index(dim), int(value[1:])
            sel = [slice(None)] * 3
            sel[axis] = np.arange(shape[axis]) != i
            mask[tuple(sel)] = False
    return mask.ravel().astype(float)


@pytest.mark.parametrize("seed", [3, 17, 88, 141, 340, 403])
def test_three_linked_tables_survive_an_integer_attacker(seed: int) -> None:
    """Every two-way table of a three-way count: the integer attacker narrows no withheld cell."""
    counts, tables = three_way(seed)
    for t in tables:
        primary(t)
    space = Space({d: tuple(f"{d}{i}" for i in range(n)) for d, n in zip("ABC", counts.shape, strict=True)})
    protect(Audit(space, tables), lambda t, k: t.name(k))
    cells = [(t, k) for t in tables for k in t.cell_keys()]
    rows = [indicator(counts.shape, t, k) for t, k in cells]
    assert all(r @ counts.ravel() == t.cells[k].value for r, (t, k) in zip(rows, cells, strict=True))
    lo, hi = zip(*(known(t, k) for t, k in cells), strict=True)
    withheld = [(i, t, k) for i, (t, k) in enumerate(cells) if audited(t, t.cells[k])]
    assert withheld
    for i, t, k in withheld:
        low, high = integer_range(rows, list(lo), list(hi), rows[i])
        assert not exposed(high - low, high, t.cells[k]), f"{t.tid} {k}: {low}..{high}"


def test_a_solution_ruled_out_by_a_figure_published_again_is_not_a_witness() -> None:
    """Witnesses found while a cell was withheld must not vouch for its neighbours once it is shown."""
    case = CASES[0]
    table = figures(case)
    key = (f"r{case['cell']}", TOTAL)
    audit = Audit(Sums(case["sums"], len(case["truth"])), [table])
    shown = [k for k in table.cell_keys() if k in table.cells and table.cells[k].state == "value"]
    for k in shown:
        table.cells[k].state = "hidden"
    audit.invalidate()
    table.cells[key].state = "small"
    assert audit.check(table, key) is None  # with so much withheld the cell is wide open
    assert audit.witnesses.points is not None and len(audit.witnesses.points) > 0
    for k in shown:
        table.cells[k].state = "value"
    audit.invalidate()
    finding = audit.check(table, key)
    assert finding is not None and (finding.low, finding.high) == tuple(case["integers"])
