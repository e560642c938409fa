"""One spreadsheet cell → one record value, or the reason it cannot be read without guessing.

Excel changes what people type: 0535 becomes the number 535, 370682 becomes 370682.0, 2025-11
becomes the date 2025-11-01 and 6-11 (an age band) becomes the 11th of June. A cell is read
only when its meaning is certain; otherwise it is refused with the fix, never silently changed:
- a whole number in a text column is read as its digits only when the column's pattern shows no
  leading 0 can have been lost (a 6-digit region code); otherwise refused;
- a date in a month column is read when it is the 1st of the month (how Excel stores 2025-11);
- a date in any other text column is refused (Excel turned the text into a date).
CSV cells are text: 2025/11 and 2025年11月 are read as 2025-11, 2025/11/5 as 2025-11-05.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TypeGuard

from weibao.sheets.layout import Column
from weibao.sheets.settings import settings

TEXT_FIX = "请把这一列的单元格格式设为“文本”后重新输入（模板中已设好），或在内容前加英文单引号 '。"
_MONTH_TEXT = re.compile(r"(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*月?")
_DATE_TEXT = re.compile(r"(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?")
_INT_TEXT = re.compile(r"[-+]?\d+(?:\.0+)?")
_NUM_TEXT = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)")
_TIME_TEXT = re.compile(r"(\d{1,2})[:：](\d{2})")
TRUE_WORDS = {"是", "true", "真", "y", "yes"}
FALSE_WORDS = {"否", "false", "假", "n", "no"}


@dataclass(frozen=True)
class CellProblem:
    rule: str
    message: str


Empty = object()  # an empty cell: the field is left out


def _is_number(raw: object) -> TypeGuard[int | float]:
    return isinstance(raw, int | float) and not isinstance(raw, bool)


def _digits(raw: float | int) -> str | None:
    if isinstance(raw, float) and not raw.is_integer():
        return None
    return str(int(raw))


def _number_as_text(raw: float | int, col: Column) -> str | CellProblem:
    digits = _digits(raw)
    if digits is not None and col.pattern and re.search(col.pattern, digits) and not re.search(
        col.pattern, "0" + digits
    ):
        return digits  # e.g. a region code: no value of this column starts with 0
    shown = digits if digits is not None else repr(raw)
    return CellProblem(
        "sheet-number-as-text",
        f"这一格是数字 {shown}，这一列要的是文字（号码、代码、编号）：Excel 会去掉开头的 0、"
        f"把长数字变成科学计数法，所以不能确定原来写的是什么。{TEXT_FIX}",
    )


def _date_in_text_column(raw: dt.date, col: Column) -> CellProblem:
    return CellProblem(
        "sheet-date-in-text",
        f"这一格被 Excel 当成了日期 {raw.isoformat()}，这一列要的是文字"
        f"{'（如年龄段 6-11）' if col.vocabulary == 'age_bands' else ''}：Excel 会把 6-11、3-5 这样的"
        f"写法自动变成日期。{TEXT_FIX}",
    )


def _month(raw: object) -> object:
    if isinstance(raw, dt.datetime) and raw.time() != dt.time():
        return CellProblem("sheet-month", f"月份只写年和月，这里是日期时间 {raw.isoformat(' ')}：请写成 2025-11。")
    if isinstance(raw, dt.date):
        if raw.day != 1:
            return CellProblem(
                "sheet-month",
                f"这里是具体日期 {raw.isoformat()}，这一列只写月份：儿童相关记录不记录具体日期，"
                f"请写成 {raw.strftime('%Y-%m')}（设为文本格式，或直接输入 {raw.strftime('%Y-%m')}）。",
            )
        return raw.strftime("%Y-%m")
    if isinstance(raw, str):
        m = _MONTH_TEXT.fullmatch(raw)
        if m:
            return f"{m[1]}-{int(m[2]):02d}"
        m = _DATE_TEXT.fullmatch(raw)
        if m and int(m[3]) == 1:  # how Excel saves a month to CSV: 2025/11/1
            return f"{m[1]}-{int(m[2]):02d}"
        if m:
            return CellProblem(
                "sheet-month",
                f"这里是具体日期 {raw}，这一列只写月份：儿童相关记录不记录具体日期，请写成 "
                f"{m[1]}-{int(m[2]):02d}。",
            )
        return raw
    if _is_number(raw):
        return CellProblem(
            "sheet-month",
            f"这一格是数字 {_digits(raw) or raw}，不是月份（可能是 Excel 日期的内部序号）：请写成 2025-11。",
        )
    return raw


def _date(raw: object) -> object:
    if isinstance(raw, dt.datetime):
        if raw.time() != dt.time():
            return CellProblem("sheet-date", f"日期不带时间，这里是 {raw.isoformat(' ')}：请写成 {raw.date().isoformat()}。")
        return raw.date().isoformat()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    if isinstance(raw, str):
        m = _DATE_TEXT.fullmatch(raw)
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
            except ValueError:
                return CellProblem("sheet-date", f"“{raw}”不是存在的日期：请核对年、月、日。")
        return raw
    if _is_number(raw):
        return CellProblem(
            "sheet-date",
            f"这一格是数字 {_digits(raw) or raw}，不是日期（可能是 Excel 日期的内部序号）：请写成 2024-08-06，"
            "或把单元格格式设为日期。",
        )
    return raw


def _time(raw: object) -> object:
    if isinstance(raw, dt.time | dt.datetime):
        t = raw.time() if isinstance(raw, dt.datetime) else raw
        if t.second or t.microsecond:
            return CellProblem("sheet-time", f"时间只写到分钟，这里是 {t.isoformat()}：请写成 {t.strftime('%H:%M')}。")
        return t.strftime("%H:%M")
    if isinstance(raw, str):
        m = _TIME_TEXT.fullmatch(raw)
        return f"{int(m[1]):02d}:{m[2]}" if m else raw
    if _is_number(raw):
        return CellProblem("sheet-time", f"这一格是数字 {raw}，不是时间：请写成 08:30。")
    return raw


def _integer(raw: object) -> object:
    if _is_number(raw):
        if isinstance(raw, float) and not raw.is_integer():
            return CellProblem("sheet-integer", f"这里要写整数，这一格是 {raw}：请改成整数。")
        return int(raw)
    if isinstance(raw, str):
        if _INT_TEXT.fullmatch(raw):
            return int(float(raw)) if "." in raw else int(raw)
        return CellProblem("sheet-integer", f"这里要写整数（阿拉伯数字，如 3），这一格是“{raw}”。")
    return _wrong_type(raw, "整数（如 3）")


def _number(raw: object) -> object:
    if _is_number(raw):
        return int(raw) if isinstance(raw, float) and raw.is_integer() else raw
    if isinstance(raw, str):
        if _NUM_TEXT.fullmatch(raw):
            value = float(raw)
            return int(value) if value.is_integer() and "." not in raw else value
        return CellProblem("sheet-number", f"这里要写数字（如 4 或 2.5），这一格是“{raw}”。")
    return _wrong_type(raw, "数字（如 4 或 2.5）")


def _boolean(raw: object) -> object:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str):
        word = raw.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        return CellProblem("sheet-boolean", f"这里只能填“是”或“否”，这一格是“{raw}”。")
    return _wrong_type(raw, "“是”或“否”")


def _wrong_type(raw: object, want: str) -> CellProblem:
    if isinstance(raw, dt.date | dt.time):
        return CellProblem("sheet-type", f"这里要写{want}，这一格被 Excel 当成了日期或时间 {raw}。{TEXT_FIX}")
    return CellProblem("sheet-type", f"这里要写{want}，这一格是 {raw!r}。")


def _text(raw: object, col: Column) -> object:
    if isinstance(raw, str):
        return raw
    if isinstance(raw, bool):
        return CellProblem("sheet-type", f"这里要写文字，这一格是逻辑值 {'TRUE' if raw else 'FALSE'}。{TEXT_FIX}")
    if _is_number(raw):
        return _number_as_text(raw, col)
    if isinstance(raw, dt.date | dt.datetime):
        return _date_in_text_column(raw, col)
    return CellProblem("sheet-type", f"这里要写文字，这一格是 {type(raw).__name__}。{TEXT_FIX}")


def _scalar(raw: object, col: Column) -> object:
    if col.kind == "month":
        value = _month(raw)
    elif col.kind == "date":
        value = _date(raw)
    elif col.kind == "time":
        value = _time(raw)
    elif col.kind == "integer":
        return _integer(raw)
    elif col.kind == "number":
        return _number(raw)
    elif col.kind == "boolean":
        return _boolean(raw)
    else:
        return _text(raw, col)
    if isinstance(value, dt.date | bool) or _is_number(value):
        return _text(value, col)
    return value


def split_list(text: str) -> list[str]:
    parts = [text]
    for sep in settings().separators:
        parts = [p for part in parts for p in part.split(sep)]
    return [p.strip() for p in parts if p.strip()]


def convert(raw: object, col: Column) -> object:
    """The value for a record, Empty, or a CellProblem."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return Empty
    if isinstance(raw, str):
        raw = raw.strip()
    if not col.is_list:
        return _scalar(raw, col)
    items = split_list(raw) if isinstance(raw, str) else [raw]  # one number or date: one item
    out = []
    for item in items:
        value = _scalar(item, col)
        if isinstance(value, CellProblem):
            return value
        out.append(value)
    return out


def display(value: object, col: Column) -> object:
    """A record value as it goes into a cell (export, examples): lists joined, booleans 是/否."""
    if isinstance(value, list):
        return settings().separators[0].join(str(display(v, col)) for v in value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return value
