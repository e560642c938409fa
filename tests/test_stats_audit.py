"""The disclosure audit: small-cell suppression alone is breakable; the project's suppression is not."""

from __future__ import annotations

import random

import pytest

from weibao.stats import StatsError
from weibao.stats.audit import Audit, Space, small_width
from weibao.stats.model import TOTAL, Cell, Table
from weibao.stats.suppress import primary, protect


def grid(matrix: list[list[int]], t: int = 5, tid: str = "t", months: tuple[str, ...] = ()) -> Table:
    """A count table with row, column and grand totals from a matrix of true counts."""
    rows = [f"r{i}" for i in range(len(matrix))]
    cols = [f"c{j}" for j in range(len(matrix[0]))]
    table = Table(tid, "2024", "count", "R", "C", rows, cols, months=months, title=tid)
    for i, r in enumerate(rows):
        for j, c in enumerate(cols):
            table.cells[(r, c)] = Cell(matrix[i][j], threshold=t)
        table.cells[(r, TOTAL)] = Cell(sum(matrix[i]), threshold=t)
    for j, c in enumerate(cols):
        table.cells[(TOTAL, c)] = Cell(sum(row[j] for row in matrix), threshold=t)
    table.cells[(TOTAL, TOTAL)] = Cell(sum(map(sum, matrix)), threshold=t)
    return table


def column(values: list[int], tid: str, months: tuple[str, ...], t: int = 5) -> Table:
    """A one-way count table over R with its total."""
    rows = [f"r{i}" for i in range(len(values))]
    table = Table(tid, tid, "count", "R", None, rows, [], months=months, title=tid)
    for r, v in zip(rows, values, strict=True):
        table.cells[(r, TOTAL)] = Cell(v, threshold=t)
    table.cells[(TOTAL, TOTAL)] = Cell(sum(values), threshold=t)
    return table


def space_for(table: Table) -> Space:
    return Space({"R": tuple(table.rows), "C": tuple(table.cols)})


def describe(table: Table, key) -> str:
    return f"{table.tid} {table.name(key)}"


MATRIX = [[2, 10, 12], [8, 3, 15], [20, 9, 7]]


def test_small_cells_alone_are_recovered_by_subtraction() -> None:
    """Hiding only the small cells of a 3×3 table with margins: the audit finds them exactly."""
    table = grid(MATRIX)
    primary(table)
    assert table.cells[("r0", "c0")].display() == "<5"
    found = {f.key: (f.low, f.high) for f in Audit(space_for(table), [table]).findings()}
    assert found[("r0", "c0")] == pytest.approx((2, 2))
    assert found[("r1", "c1")] == pytest.approx((3, 3))


def test_own_suppression_passes_the_audit_on_the_same_table() -> None:
    """After secondary suppression no small cell can be narrowed below half of 1..4."""
    table = grid(MATRIX)
    primary(table)
    audit = Audit(space_for(table), [table])
    added = protect(audit, describe)
    assert added, "secondary suppression must withhold something here"
    assert audit.findings() == []
    low, high = audit.range_of(table, ("r0", "c0"))
    assert high - low >= small_width(5)
    assert all(table.cells[k].state == "hidden" for _, k in added)


@pytest.mark.parametrize("seed", range(12))
def test_random_tables_pass_the_audit_after_protection(seed: int) -> None:
    """Seeded random tables full of small counts and zeros: protected, audited clean, nothing small shown."""
    rng = random.Random(seed)
    n_rows, n_cols = rng.randint(2, 4), rng.randint(2, 4)
    matrix = [[rng.choice([0, 1, 2, 3, 4, 5, 7, 9, 12, 20]) for _ in range(n_cols)] for _ in range(n_rows)]
    table = grid(matrix)
    primary(table)
    audit = Audit(space_for(table), [table])
    protect(audit, describe)
    assert audit.findings() == []
    for cell in table.cells.values():
        if cell.state == "value":
            assert cell.value == 0 or cell.value >= cell.threshold


def test_tables_sharing_margins_are_audited_together() -> None:
    """A year table safe alone is broken by quarterly tables of the same records; the joint audit sees it."""
    quarters = ("Q1", "Q2", "Q3", "Q4")
    year = column([2, 30], "year", quarters)
    primary(year)
    year.cells[("r1", TOTAL)].state = "hidden"  # a complement: the year table alone is safe
    space = Space({"R": ("r0", "r1")}, months=quarters)
    assert Audit(space, [year]).findings() == []
    by_quarter = [column(v, q, (q,)) for v, q in zip([[1, 10], [1, 8], [0, 7], [0, 5]], quarters, strict=True)]
    for q in by_quarter:
        primary(q)
        q.cells[("r1", TOTAL)].state = "value"  # published quarter by quarter: r1 adds up to 30
        q.cells[("r0", TOTAL)].state = "small" if q.cells[("r0", TOTAL)].value else "value"
    joint = Audit(space, [year, *by_quarter])
    assert any(f.table == "year" for f in joint.findings())


def test_joint_protection_clears_tables_sharing_margins() -> None:
    """Protecting all of a year's tables together leaves no cell an attacker can narrow down."""
    quarters = ("Q1", "Q2", "Q3", "Q4")
    tables = [column([2, 30], "year", quarters)]
    tables += [column(v, q, (q,)) for v, q in zip([[1, 10], [1, 8], [0, 7], [0, 5]], quarters, strict=True)]
    for t in tables:
        primary(t)
    audit = Audit(Space({"R": ("r0", "r1")}, months=quarters), tables)
    protect(audit, describe)
    assert audit.findings() == []


def test_list_dimension_counts_a_child_once_per_category() -> None:
    """Categories (a list): cells may add up to more than the total, and the audit models exactly that."""
    space = Space({}, multi="K", multi_values=("a", "b"))
    table = Table("cat", "2024", "count", "K", None, ["a", "b"], [], title="cat")
    table.cells[("a", TOTAL)] = Cell(6, threshold=5)
    table.cells[("b", TOTAL)] = Cell(6, threshold=5)
    table.cells[(TOTAL, TOTAL)] = Cell(8, threshold=5)  # 4 children are in both
    audit = Audit(space, [table])
    table.cells[("a", TOTAL)].state = "hidden"
    audit.invalidate()
    low, high = audit.range_of(table, ("a", TOTAL))
    # a ≤ total (8) and a + b ≥ total (a ≥ 2), and "×" means at least 5
    assert (low, high) == pytest.approx((5, 8))


def test_a_cell_nothing_can_protect_stops_publishing() -> None:
    """A frozen table that gives a small cell away cannot be fixed: a Chinese error names the cell."""
    table = column([2, 30], "frozen-table", ())
    for cell in table.cells.values():
        cell.fixed = True
    table.frozen = True
    table.cells[("r0", TOTAL)].state = "small"
    with pytest.raises(StatsError, match=r"frozen-table r0.*不公布统计"):
        protect(Audit(Space({"R": ("r0", "r1")}), [table]), describe)


def test_sum_from_few_records_is_withheld_and_audited() -> None:
    """A sum made by fewer than t records is withheld, and must stay uncertain by at least t."""
    table = Table("s", "2024", "sum", "R", None, ["r0", "r1"], [], title="s")
    table.cells[("r0", TOTAL)] = Cell(37, threshold=5, contributors=1)
    table.cells[("r1", TOTAL)] = Cell(120, threshold=5, contributors=30)
    table.cells[(TOTAL, TOTAL)] = Cell(157, threshold=5, contributors=31)
    primary(table)
    assert table.cells[("r0", TOTAL)].display() == "×"
    audit = Audit(Space({"R": ("r0", "r1")}), [table])
    assert [f.key for f in audit.findings()] == [("r0", TOTAL)]
    protect(audit, describe)
    assert audit.findings() == []


def test_zero_shown_as_small_in_a_frozen_table_needs_no_protection() -> None:
    """A frozen "<5" that the totals prove to be 0 is no child: rebuilding from snapshots passes."""
    table = column([0, 12], "frozen-zeros", ())
    table.frozen = table.zeros_hidden = True
    for cell in table.cells.values():
        cell.fixed = True
    table.cells[("r0", TOTAL)] = Cell(None, "small", 5, fixed=True)
    assert Audit(Space({"R": ("r0", "r1")}), [table]).findings() == []
