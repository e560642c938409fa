"""Primary suppression (small cells) and secondary suppression driven by the audit.

Secondary suppression is greedy and audit-led: while a withheld cell can be narrowed down, withhold
one more published cell — first in the same row or column of the same table (the smallest that
leaves enough room), then anywhere in the tables audited together — and audit again. Withholding
only ever widens what an attacker can deduce, so cells already found safe stay safe. If no cell is
left to withhold, publishing stops: we never publish a table the audit cannot clear.
"""

from __future__ import annotations

from collections.abc import Callable

from weibao.stats import StatsError
from weibao.stats.audit import Audit, audited
from weibao.stats.model import Table

Key = tuple[str | None, str | None]


def primary(table: Table) -> None:
    """Mark small cells: counts 1..t-1 as "<t"; sums from 1..t-1 records as "×"; medians of small groups."""
    for cell in table.cells.values():
        if cell.fixed:
            continue
        t = cell.threshold
        if table.kind == "count":
            cell.state = "small" if 1 <= (cell.value or 0) < t else "value"
        elif table.kind == "sum":
            cell.state = "hidden" if 1 <= cell.contributors < t else "value"
            cell.primary = cell.state == "hidden"
        else:
            cell.state = "none" if cell.n == 0 else "small" if cell.n < t else "value"


def protect(audit: Audit, describe: Callable[[Table, Key], str]) -> list[tuple[Table, Key]]:
    """Withhold more cells until every withheld cell passes the audit; returns those withheld.

    When no choice of cells can protect a cell (say four 1s under a "<5" total: published zeros
    tell that each is exactly 1), the zeros of its table are shown as "<t" too, once, and the
    search goes on. Raises StatsError naming the cell when even that cannot protect it.
    """
    added: list[tuple[Table, Key]] = []
    restart = True
    while restart:
        restart = False
        queue = [(t, k) for t in audit.tables for k in t.cell_keys() if k in t.cells and audited(t, t.cells[k])]
        i = 0
        while i < len(queue):
            table, key = queue[i]
            finding = audit.check(table, key) if audited(table, table.cells[key]) else None
            if finding is None:
                i += 1
                continue
            if not _fixable(audit, table, key):
                if _hide_zeros(audit, table):
                    restart = True
                    break
                raise StatsError(
                    f"{describe(table, key)}：别人可以从已公布的数字推算出它在 {finding.range_text()} 之间，"
                    "再隐藏其他格也无法保护它，所以不公布统计。"
                    "请把这张表改粗（如按年而不按季度、去掉一个维度），或提高阈值后重试。"
                )
            choices = _rectangle(table, key) or _binding(audit, table, key, finding) or _complement(audit, table, key)
            for ct, ck in choices:
                ct.cells[ck].state = "hidden"
                queue.append((ct, ck))
                added.append((ct, ck))
            audit.invalidate()
    return _release(audit, added)


def _fixable(audit: Audit, table: Table, key: Key) -> bool:
    """Would withholding every cell still published protect this one?"""
    opened = [c for t in audit.tables for k in t.cell_keys() if _eligible(t, k) and (c := t.cells[k])]
    for c in opened:
        c.state = "hidden"
    audit.invalidate()
    try:
        return audit.check(table, key) is None
    finally:
        for c in opened:
            c.state = "value"
        audit.invalidate()


def _hide_zeros(audit: Audit, table: Table) -> bool:
    """Show the zeros of the cell's table (else of another count table) as "<t"; False if none left."""
    candidates = [table] + [t for t in audit.tables if t is not table]
    for t in candidates:
        if t.kind == "count" and not t.frozen and not t.zeros_hidden:
            t.zeros_hidden = True
            for c in t.cells.values():
                if c.state == "value" and c.value == 0:
                    c.state = "small"
                    c.primary = True
            audit.invalidate()
            return True
    return False


def _release(audit: Audit, added: list[tuple[Table, Key]], budget: int = 120) -> list[tuple[Table, Key]]:
    """Publish again, largest first, any withheld cell the audit does not need (greedy overshoots).

    Each try re-audits the block, so it is skipped when that would cost more than `budget` checks.
    """
    n_audited = sum(audited(t, c) for t in audit.tables for c in t.cells.values())
    if len(added) * n_audited > budget:
        return added
    kept = []
    for table, key in sorted(added, key=lambda tk: -float(tk[0].cells[tk[1]].value or 0)):
        table.cells[key].state = "value"
        audit.invalidate()
        if audit.first_finding() is not None:
            table.cells[key].state = "hidden"
            audit.invalidate()
            kept.append((table, key))
    return kept


def _eligible(table: Table, key: Key) -> bool:
    c = table.cells.get(key)
    return bool(c is not None and not c.fixed and not table.frozen and table.kind != "median"
                and c.state == "value" and c.value)


def _rectangle(table: Table, key: Key) -> list[tuple[Table, Key]]:
    """The cheapest rectangle through the cell in the table with its margins (the hypercube method).

    Moving the cell by d and the opposite corner by d, the two other corners by -d, keeps every
    row, column and total: so the cell can take any value the corners' slack allows.
    """
    if not table.col_dim or table.kind == "median":
        return []
    cell = table.cells[key]
    rows: list[str | None] = [*table.rows, None]
    cols: list[str | None] = [*table.cols, None]
    t = cell.threshold
    up_need = (t - 1) - (cell.value or 0) if cell.state == "small" else t
    down_need = (cell.value or 0) - 1 if cell.state == "small" else 0
    best = None
    for k in rows:
        if k == key[0]:
            continue
        for lc in cols:
            if lc == key[1]:
                continue
            corners = [(key[0], lc), (k, key[1]), (k, lc)]  # decrease, decrease, increase
            cost, new, ok = 0.0, [], True
            slack_down = slack_up = float("inf")
            for pos, ck in enumerate(corners):
                c = table.cells.get(ck)
                if c is None or not c.value:
                    ok = False
                    break
                if c.state == "value":
                    if not _eligible(table, ck):
                        ok = False
                        break
                    cost += float(c.value)
                    new.append(ck)
                floor = 1 if c.state == "small" else c.threshold if table.kind == "count" else 0
                ceil = c.threshold - 1 if c.state == "small" else float("inf")
                v = float(c.value)
                if pos < 2:  # moves opposite to the cell
                    slack_up = min(slack_up, v - floor)
                    slack_down = min(slack_down, ceil - v)
                else:
                    slack_up = min(slack_up, ceil - v)
                    slack_down = min(slack_down, v - floor)
            if not ok or not new:
                continue
            short = slack_up < up_need or slack_down < down_need
            rank = (short, cost, len(new))
            if best is None or rank < best[0]:
                best = (rank, new)
    if best is None:
        return []
    return [(table, k) for k in best[1]]


def _binding(audit: Audit, table: Table, key: Key, finding) -> list[tuple[Table, Key]]:
    """The cheapest published cell among those that hold the cell's range too narrow (LP duals).

    A "<t" cell held above 1 needs its minimum freed; one held below t-1 (or a "×" too narrow)
    its maximum: the side that fails is freed first. Smallest value first, same table first.
    """
    t = finding.threshold
    sides = []
    if finding.state == "small":
        if finding.low > 1:
            sides.append(True)
        if finding.high < t - 1:
            sides.append(False)
    else:
        sides = [True, False]
    for low_side in sides:
        found = [(ct, ck) for ct, ck in audit.binding(table, key, low_side)
                 if _eligible(ct, ck) and not (ct is table and ck == key)]
        if found:
            found.sort(key=lambda c: (c[0] is not table, float(c[0].cells[c[1]].value or 0), c[0].order, str(c[1])))
            return [found[0]]
    return []


def _complement(audit: Audit, table: Table, key: Key, tries: int = 4) -> list[tuple[Table, Key]]:
    """One more cell to withhold: of the few best-ranked, the first that clears the cell, else the
    one that widens its range most; [] when none is left."""
    cell = table.cells[key]
    ranked = []
    for other in audit.tables:
        for pos, k in enumerate(other.cell_keys()):
            if not _eligible(other, k) or (other is table and k == key):
                continue
            c = other.cells[k]
            same_line = other is table and (k[0] == key[0] or k[1] == key[1])
            need = c.threshold + cell.threshold - 1 if other.kind == "count" else 0
            value = c.value or 0.0  # None only in snapshots read back, never audited again
            ranked.append(((0 if same_line else 1, value < need, value, other.order, pos), other, k))
    ranked.sort(key=lambda r: r[0])
    best = None
    for _, other, k in ranked[:tries]:
        c = other.cells[k]
        c.state = "hidden"
        audit.invalidate()
        try:
            if audit.check(table, key) is None:
                return [(other, k)]
            low, high = audit.range_of(table, key)
        finally:
            c.state = "value"
            audit.invalidate()
        if best is None or high - low > best[0] + 1e-9:
            best = (high - low, other, k)
    return [] if best is None else [(best[1], best[2])]
