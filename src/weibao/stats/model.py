"""What a published table is made of: cells with a true value and a published state.

A cell's state is what a reader (and an attacker) sees:
- "value": the number itself (0 stays 0; see the methodology page for why);
- "small": a count 1..t-1, shown as "<t";
- "hidden": withheld to protect another cell (or a sum from fewer than t records), shown as "×";
- "none": a median table's group with no value to compute it from, shown as "—".
"""

from __future__ import annotations

from dataclasses import dataclass, field

TOTAL = None  # row or column key of a margin

MARK_HIDDEN = "×"
MARK_NONE = "—"


@dataclass
class Cell:
    value: float | None  # the true figure; None when read back from a frozen snapshot
    state: str = "value"
    threshold: int = 5
    contributors: int = 0  # distinct records behind a sum
    n: int = 0  # how many values a median is computed from (records without the field not counted)
    fixed: bool = False  # published earlier and frozen: never changed again
    primary: bool = False  # withheld for its own sake (small), not to protect another cell

    def display(self) -> int | float | str:
        if self.state == "small":
            return f"<{self.threshold}"
        if self.state == "hidden":
            return MARK_HIDDEN
        if self.state == "none":
            return MARK_NONE
        assert self.value is not None
        return int(self.value) if float(self.value).is_integer() else round(float(self.value), 1)


@dataclass
class Table:
    """One table for one period: rows × columns plus margins; key (TOTAL, TOTAL) is the grand total."""

    tid: str
    period: str
    kind: str  # count | sum | median
    row_dim: str
    col_dim: str | None
    rows: list[str]
    cols: list[str]
    months: tuple[str, ...] = ()  # the months it covers (empty: the family has no month axis)
    cells: dict[tuple[str | None, str | None], Cell] = field(default_factory=dict)
    frozen: bool = False
    zeros_hidden: bool = False  # this table's zeros are shown as "<t" too, so "<t" means 0..t-1
    title: str = ""
    order: int = 0  # position in tables.yaml, for stable choices

    def cell_keys(self) -> list[tuple[str | None, str | None]]:
        """Every cell key: interior first, then row totals, column totals, grand total."""
        cols: list[str | None] = list(self.cols) if self.col_dim else []
        out: list[tuple[str | None, str | None]] = [(r, c) for r in self.rows for c in cols]
        out += [(r, TOTAL) for r in self.rows]
        out += [(TOTAL, c) for c in cols]
        out.append((TOTAL, TOTAL))
        return out

    def fixed_values(self, key: tuple[str | None, str | None]) -> dict[str, str]:
        """The dimension values a cell is restricted to (none for the grand total)."""
        out = {}
        if key[0] is not TOTAL:
            out[self.row_dim] = key[0]
        if key[1] is not TOTAL and self.col_dim:
            out[self.col_dim] = key[1]
        return out

    def name(self, key: tuple[str | None, str | None], labels: dict[str, dict[str, str]] | None = None) -> str:
        """A cell's name for messages: 行／列, with 合计 for margins."""
        labels = labels or {}

        def one(dim: str | None, v: str | None) -> str:
            if v is TOTAL:
                return "合计"
            return labels.get(dim or "", {}).get(v, v)

        if not self.col_dim:
            return one(self.row_dim, key[0])
        return f"{one(self.row_dim, key[0])}／{one(self.col_dim, key[1])}"
