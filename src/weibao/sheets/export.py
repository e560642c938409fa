"""`weibao export <collection> --format xlsx|csv`: public records in the import layout.

The workbook has the same sheets and headers as the template, so a reviewed export can be
imported back. Program records are never exported (only suppressed statistics are published).
Policies are exported without their full text (正文). CSV holds the main sheet only, with a
UTF-8 BOM so Excel on Windows opens Chinese correctly; list-of-object sheets (电话, 开放时段) are
named on the screen as left out.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from weibao.errors import UsageError
from weibao.load import load_file
from weibao.repo import Repository
from weibao.sheets.cells import display
from weibao.sheets.layout import Column, Sheet, layout

LEFT_OUT = {"policies": {("body",)}}  # metadata only: the full text stays in YAML and on the site


def _get(record: object, path: tuple[str, ...]) -> object:
    for step in path:
        if not isinstance(record, dict):
            return None
        record = record.get(step)
    return record


def _columns(collection: str, sheet: Sheet) -> list[Column]:
    return [c for c in sheet.columns if c.path not in LEFT_OUT.get(collection, set())]


def _rows(records: list[dict], sheet: Sheet, columns: list[Column]) -> list[list[object]]:
    rows = []
    for record in records:
        listed = _get(record, sheet.list_path) if sheet.list_path else None
        items = [record] if sheet.list_path is None else (listed if isinstance(listed, list) else [])
        for item in items:
            row = []
            for col in columns:
                value = record.get("id") if col.key else _get(item, col.path)
                row.append(None if value is None else display(value, col))
            rows.append(row)
    return rows


def export(repo: Repository, collection: str, fmt: str, out: Path | None) -> Path:
    if collection not in repo.schemas:
        raise UsageError(f"没有名为“{collection}”的集合：可用的集合有 {'、'.join(repo.collections)}。")
    if repo.is_program(collection):
        raise UsageError(f"{collection} 是去标识化的工作记录，不能导出：公开的只有经过小数抑制的统计。")
    lay = layout(repo, collection)
    records = []
    for path in repo.record_files(collection):
        loaded = load_file(path, repo.rel(path), repo.config.validation.max_file_bytes)
        if loaded.value is None:
            raise UsageError(f"{repo.rel(path)} 无法读取：请先运行 weibao validate 修正。")
        records.append(loaded.value)
    target = out or Path(f"{collection}.{fmt}")
    if fmt == "csv":
        columns = _columns(collection, lay.main)
        buf = io.StringIO(newline="")
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow([c.header for c in columns])
        writer.writerows(_rows(records, lay.main, columns))
        target.write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))
        for sheet in lay.sheets[1:]:
            print(f"注意：CSV 只有一张表，“{sheet.name}”（{sheet.description}）没有导出；需要时请用 --format xlsx。")
        return target
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in lay.sheets:
        ws = wb.create_sheet(sheet.name)
        columns = _columns(collection, sheet)
        ws.append([c.header for c in columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in _rows(records, sheet, columns):
            ws.append(row)
        for i, col in enumerate(columns):
            letter = ws.cell(row=1, column=i + 1).column_letter
            ws.column_dimensions[letter].width = max(10, min(40, 2 * len(col.header) + 4))
            if col.kind != "integer" and col.kind != "number" and col.kind != "boolean":
                for (cell,) in ws.iter_rows(min_row=2, min_col=i + 1, max_col=i + 1):
                    cell.number_format = "@"
        ws.freeze_panes = "B2"
    target.parent.mkdir(parents=True, exist_ok=True)
    wb.save(target)
    return target
