"""Workbooks and CSV files → cells, headers first (so a refused file has no row read).

python-calamine (Rust) reads .xlsx, .xls, .xlsb and .ods, fast and typed (numbers, dates, times,
booleans come back as such, which is how Excel's changes are recognised). CSV is read with the
standard library after the encoding is found by weibao.load.encoding.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from weibao.errors import UsageError
from weibao.load.encoding import DecodeProblem, decode_table

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


@dataclass
class Source:
    """An opened spreadsheet: sheet names, then header rows, then all rows on request."""

    path: Path
    is_csv: bool
    names: list[str]
    _book: object = None
    _csv_rows: list[list[object]] | None = None
    encoding: str = ""

    def header(self, name: str) -> list[object]:
        rows = self.rows(name, nrows=1)
        return rows[0] if rows else []

    def rows(self, name: str, nrows: int | None = None) -> list[list[object]]:
        """Rows from A1 (row 1 is index 0), cells as python-calamine types or CSV strings."""
        if self.is_csv:
            assert self._csv_rows is not None
            return self._csv_rows[:nrows] if nrows else self._csv_rows
        sheet = self._book.get_sheet_by_name(name)  # type: ignore[attr-defined]
        if nrows:
            return sheet.to_python(skip_empty_area=False, nrows=nrows)
        return sheet.to_python(skip_empty_area=False)

    def where(self, name: str, row: int, col: int | None) -> str:
        """How the user finds the cell: 个案!D17 (row is 1-based, col 0-based)."""
        cell = f"{column_letter(col)}{row}" if col is not None else f"{row}"
        sheet = self.path.name if self.is_csv else name
        return f"{sheet}!{cell}" if col is not None else f"{sheet} 第 {row} 行"


def open_source(path: Path, main_sheet: str) -> Source:
    if not path.is_file():
        raise UsageError(f"{path}: 文件不存在。")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        decoded = decode_table(path.read_bytes())
        if isinstance(decoded, DecodeProblem):
            raise UsageError(f"{path.name}: {decoded.message}")
        text, encoding = decoded
        rows: list[list[object]] = [list(r) for r in csv.reader(io.StringIO(text, newline=""))]
        return Source(path, True, [main_sheet], _csv_rows=rows, encoding=encoding)
    if suffix not in WORKBOOK_SUFFIXES:
        raise UsageError(f"{path.name}: 只能导入 .xlsx、.xls、.ods 或 .csv 文件。")
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as err:  # calamine reports broken files with its own exception types
        raise UsageError(f"{path.name}: 无法读取这个表格文件（{err}）：请用 Excel 或 WPS 打开后另存为 .xlsx。") from err
    return Source(path, False, list(book.sheet_names), _book=book)
