"""Frozen periods: once a closed period is published, its figures come from a committed snapshot.

`weibao stats` writes statistics/frozen/<table>/<period>.json (the same JSON as the download) the
first time a period is published; commit it. From then on the period's figures are read from that
file, never recomputed, so editing an old record cannot change a published figure and two builds
cannot be subtracted to reveal one new case. The records are still recomputed and compared: a
difference is reported as a warning naming the table, period and cell (never the new figure).
To correct a published period on purpose, delete its snapshot and run `weibao stats` again.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from weibao.stats import StatsError
from weibao.stats.model import MARK_HIDDEN, MARK_NONE, TOTAL, Cell, Table

FROZEN_DIR = Path("statistics") / "frozen"


def snapshot_path(root: Path, table_id: str, period_key: str) -> Path:
    return root / FROZEN_DIR / table_id / f"{period_key}.json"


def frozen_periods(root: Path, table_id: str) -> dict[str, Path]:
    """Period key → snapshot file, for every frozen period of a table."""
    folder = root / FROZEN_DIR / table_id
    if not folder.is_dir():
        return {}
    return {p.stem: p for p in sorted(folder.glob("*.json"))}


def read_snapshot(path: Path, rel: str) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        assert isinstance(data, dict) and isinstance(data["cells"], list)
    except (OSError, ValueError, AssertionError, KeyError) as err:
        raise StatsError(f"{rel}: 冻结文件无法读取（{err}）。请从 git 恢复它；确需重算时删除它后重新运行 weibao stats。") from err
    return data


def _cell(display: Any, threshold: int) -> Cell:
    if isinstance(display, str) and display.startswith("<"):
        return Cell(None, "small", int(display[1:]), fixed=True)
    if display == MARK_HIDDEN:
        return Cell(None, "hidden", threshold, fixed=True)
    if display == MARK_NONE:
        return Cell(None, "none", threshold, fixed=True)
    return Cell(float(display), "value", threshold, fixed=True)


def table_from_snapshot(data: dict[str, Any], like: Table) -> Table:
    """The frozen table, laid out like the recomputed one (rows that were absent are zeros then)."""
    cells = {(c["row"], c["column"] if like.col_dim else TOTAL): c for c in data["cells"]}
    rows = list(dict.fromkeys([*data["rows"]["keys"], *like.rows]))
    cols = list(dict.fromkeys([*(data["columns"] or {}).get("keys", []), *like.cols])) if like.col_dim else []
    out = Table(like.tid, like.period, like.kind, like.row_dim, like.col_dim, rows, cols,
                months=like.months, frozen=True, title=like.title, order=like.order,
                zeros_hidden=bool(data.get("zeros_hidden")))
    for key in out.cell_keys():
        c = cells.get(key)
        if c is None:
            zero = Cell(None, "none", 0, fixed=True) if like.kind == "median" else Cell(0.0, "value", 0, fixed=True)
            out.cells[key] = zero
        else:
            out.cells[key] = _cell(c["value"], int(c.get("threshold", 0)))
    return out


def differences(frozen: Table, raw: Table) -> list[tuple[str | None, str | None]]:
    """Cells whose frozen figure no longer matches the records (changes within "<t" are not)."""
    out = []
    for key in frozen.cell_keys():
        f = frozen.cells[key]
        r = raw.cells.get(key)
        if raw.kind == "median":
            n = r.n if r else 0
            ok = {"none": n == 0, "small": 0 < n < f.threshold}.get(
                f.state, r is not None and n >= f.threshold and r.value == f.value)
        else:
            v = r.value if r else 0.0
            t = f.threshold
            ok = {"value": v == f.value, "small": (0 if frozen.zeros_hidden else 1) <= (v or 0) < t,
                  "hidden": raw.kind == "sum" or (v or 0) >= t}.get(f.state, True)
        if not ok:
            out.append(key)
    return out


# ---- what the frozen periods counted -------------------------------------------------------
# A record entered after its period was frozen (a late case) is not in the frozen figures. If
# later periods counted it where it belongs, they would contradict the frozen ones (in care last
# year − closed + new ≠ in care this year) — and the difference would be that one child. So each
# population keeps the keys of the records its frozen periods counted; a record not among them
# whose month falls in frozen time counts from the first month after it, like a new entry.
# The file holds opaque record ids (and list items as written in the records), nothing the
# records do not hold; it stays in the repository and never reaches the site.
LEDGER_DIR = FROZEN_DIR / "_counted"


def ledger_path(root: Path, name: str) -> Path:
    return root / LEDGER_DIR / f"{name}.tsv"


def read_ledger(root: Path, name: str) -> set[str] | None:
    """The keys counted by a population's frozen periods; None when no ledger was kept."""
    path = ledger_path(root, name)
    if not path.is_file():
        return None
    return {line for line in path.read_text(encoding="utf-8").splitlines() if line}


def write_ledger(root: Path, name: str, keys: set[str]) -> Path:
    path = ledger_path(root, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{k}\n" for k in sorted(keys)), encoding="utf-8", newline="\n")
    return path
