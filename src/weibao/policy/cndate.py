"""Dates as Chinese documents write them: 2014年6月20日 or 二〇一四年六月二十日 → 2014-06-20."""

from __future__ import annotations

import datetime as dt
import re

_DIGITS = {"〇": 0, "○": 0, "零": 0, "O": 0, "o": 0, "Ｏ": 0, "0": 0,
           "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_PART = r"[0-9０-９〇○零OoＯ一二三四五六七八九十]{1,4}"
# the whole line is a date, maybe with a note in brackets after it: 2024年3月1日（此件公开发布）
DATE_LINE = re.compile(
    rf"^\s*({_PART})\s*年\s*({_PART})\s*月\s*({_PART})\s*日\s*(?:[（(][^）)]*[）)])?\s*$"
)


def _number(text: str) -> int | None:
    """12, １２, 十二, 二十一, 二〇一四 → int; None if it is not a number."""
    text = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        if "十" in ones or len(tens) > 1 or len(ones) > 1:
            return None
        t = _DIGITS.get(tens, -1) if tens else 1
        o = _DIGITS.get(ones, -1) if ones else 0
        return None if t < 0 or o < 0 else t * 10 + o
    if all(c in _DIGITS for c in text):  # digit by digit, as years are written: 二〇一四
        return int("".join(str(_DIGITS[c]) for c in text))
    return None


def parse_date_line(line: str) -> str | None:
    """ISO date if the line is just a date (as in a 落款), else None."""
    m = DATE_LINE.match(line)
    if not m:
        return None
    year, month, day = (_number(g) for g in m.groups())
    if year is None or month is None or day is None or year < 1949:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


_OTHER_FORMS = re.compile(r"\s*([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})\s*日?\s*\Z")


def iso_date_guess(value: object) -> str | None:
    """The YYYY-MM-DD a staff member meant by 2026年12月1日, 2026/12/1, 2026.12.1 or 2026-12-1
    (None if it is none of these, or not a real date): for "这里应写成 …" in error messages."""
    if not isinstance(value, str):
        return None
    line = value.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    m = _OTHER_FORMS.match(line)
    iso = None
    if m:
        try:
            iso = dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            return None
    else:
        iso = parse_date_line(line)
    return iso if iso != value else None
