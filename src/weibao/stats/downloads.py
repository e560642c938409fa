"""A published table as data: the JSON payload (also the frozen snapshot) and its CSV form.

Only published figures go out: "<t", "×" and "—" stay as they are shown on the site.
The CSV is UTF-8 with a byte-order mark, so Excel opens the Chinese headers correctly.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path
from typing import Any

from weibao.stats.definitions import Definitions, TableDef
from weibao.stats.model import MARK_HIDDEN, MARK_NONE, TOTAL, Table
from weibao.stats.periods import Period

MEASURES = {"count": "计数", "sum": "合计", "median": "中位数"}


def commit_of(root: Path) -> str:
    """The commit the records were read at, or "unknown" outside git."""
    try:
        out = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True,
                             text=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    sha = out.stdout.strip()
    return sha if out.returncode == 0 and sha else "unknown"


def notes(table: Table) -> list[str]:
    ts = sorted({c.threshold for c in table.cells.values()})
    out = []
    low = 0 if table.zeros_hidden else 1
    for t in ts:
        out.append(f"<{t}：{low} 至 {t - 1}（数字太小，不公布确切数）。")
    if table.zeros_hidden:
        out.append("这张表的 0 也显示为 <阈值：只公布 0 会让别人算出旁边的小数字。")
    out.append(f"{MARK_HIDDEN}：为防止由合计推算出小数字而隐藏的数。")
    if table.kind == "median":
        out.append(f"{MARK_NONE}：没有可计算的数值。中位数只在组内有这个数值的记录不少于阈值时计算，否则显示 <阈值"
                   "（没有填写这个数值的记录不计入）。")
    return out


def payload(defs: Definitions, tdef: TableDef, period: Period, table: Table, labels, commit: str,
            frozen_on: str) -> dict[str, Any]:
    """The JSON form of one published table; labels(dim, value) gives display names."""

    def axis(dim: str | None, keys: list[str]) -> dict | None:
        if dim is None:
            return None
        return {"dimension": dim, "title": defs.dims[dim].title,
                "keys": keys, "labels": [labels(dim, k) for k in keys]}

    cells = []
    for key in table.cell_keys():
        cell = table.cells[key]
        cells.append({"row": key[0], "column": key[1] if table.col_dim else None,
                      "value": cell.display(), "threshold": cell.threshold})
    return {
        "table": tdef.id,
        "title": tdef.title,
        "period": period.key,
        "period_label": period.label,
        "grain": period.grain,
        "measure": table.kind,
        "field": tdef.measure.field,
        "unit": tdef.unit,
        "rows": axis(table.row_dim, table.rows),
        "columns": axis(table.col_dim, table.cols),
        "cells": cells,
        "zeros_hidden": table.zeros_hidden,
        "notes": notes(table),
        "synthetic_note": "本站示例数据为程序生成的合成数据时，数字不代表真实儿童。",
        "commit": commit,
        "frozen_on": frozen_on,
    }


def write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def csv_text(data: dict[str, Any]) -> str:
    """The table as CSV text (without BOM): header, rows, the total row, then the notes."""
    values = {(c["row"], c["column"]): c["value"] for c in data["cells"]}
    rows, cols = data["rows"], data["columns"]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    value_title = f"{MEASURES[data['measure']]}（{data['unit']}）" if data["unit"] else MEASURES[data["measure"]]
    if cols:
        w.writerow([f"{rows['title']} \\ {cols['title']}", *cols["labels"], "合计"])
    else:
        w.writerow([rows["title"], value_title])
    col_keys = [*cols["keys"], None] if cols else [None]
    for key, label in zip(rows["keys"], rows["labels"], strict=True):
        w.writerow([label, *(values.get((key, c), "") for c in col_keys)])
    w.writerow(["合计", *(values.get((TOTAL, c), "") for c in col_keys)])
    w.writerow([])
    w.writerow([f"{data['title']}，{data['period_label']}"])
    for note in data["notes"]:
        w.writerow([note])
    w.writerow([f"数据来源提交：{data['commit']}"])
    return buf.getvalue()


def write_csv(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\xef\xbb\xbf" + csv_text(data).encode("utf-8"))


def write_datapackage(repo: Any, downloads: Path, commit: str) -> None:
    """downloads/datapackage.json: every CSV above as a Frictionless tabular resource."""
    from weibao.opendata.packages import stats_package
    from weibao.opendata.packages import write_json as write_descriptor

    package = stats_package(repo, downloads, commit)
    if package is not None:
        write_descriptor(downloads / "datapackage.json", package)
