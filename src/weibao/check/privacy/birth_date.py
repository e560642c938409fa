"""Exact dates of birth.

Dates are legitimate in records (the date of an activity), so a day-precise date counts only
near a birth cue (出生, 生日, born, dob, …), or as a bare 8-digit YYYYMMDD between the configured
years that is not part of a longer digit run or a file name (the form copied out of ID numbers
and forms) and not next to an activity word (活动日期20240512). Dates inside URLs are left alone.
Month precision (2015年3月出生) is allowed here; the schemas decide where it belongs.

Also with a two-digit year or in Chinese numerals (15年3月12日, 二〇一五年三月十二日, 2015年三月
十二日) near a birth cue, and any of these forms directly followed by 生/出生 (15年3月12日生,
but not 2024年5月12日生效).
"""

from __future__ import annotations

import datetime
import re
from functools import cache

from . import mask
from .data import alternation, char_class, data, message
from .finding import Finding
from .numerals import small_number, to_digits

KIND = "birth-date"

_DATE = re.compile(
    r"(?<![\d.])(?P<y>(?:19|20)\d{2})"
    r"(?:(?P<s>[-/.])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})"
    r"|[ ]?年[ ]?(?P<m2>\d{1,2})[ ]?月[ ]?(?P<d2>\d{1,2})[ ]?[日号]?)"
    r"(?![\d])"
)
_YEAR_CHARS = "〇零一二三四五六七八九"
_SMALL = r"[一二三四五六七八九十〇零]{1,3}|\d{1,2}"
# a year of two or four digits or numerals, month and day in digits or numerals (mixed too)
_SPELLED = re.compile(
    rf"(?<![\d{_YEAR_CHARS}])(?P<y>\d{{2}}|\d{{4}}|[{_YEAR_CHARS}]{{2}}|[{_YEAR_CHARS}]{{4}})[ ]?年[ ]?"
    rf"(?P<m>{_SMALL})[ ]?月[ ]?(?P<d>{_SMALL})[ ]?[日号]?"
)
# not inside names like IMG_20240512_0930.jpg or t20240512_123.html
_BARE = re.compile(
    r"(?<![A-Za-z0-9_.])(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})(?![\d]|\.\d|[A-Za-z_])"
)


@cache
def _cues(key: str) -> tuple[str, ...]:
    return tuple(c.lower() for c in data()[key])


def _is_date(y: str, m: str, d: str) -> bool:
    try:
        datetime.date(int(y), int(m), int(d))
    except ValueError:
        return False
    return True


def _near_cue(lower: str, start: int, end: int, key: str = "birth_cues") -> bool:
    """A cue within the window before or after the date; spaces and punctuation between them
    do not count (birth_date: 2015-03-12, 出生日期：2015-03-12)."""
    cues, window = _cues(key), int(data()["birth_cue_window"])
    longest = max(map(len, cues))
    reach = 3 * window + longest
    before = lower[max(0, start - reach) : start]
    after = lower[end : end + reach]
    for cue in cues:
        i = before.rfind(cue)
        if i >= 0 and _gap(before[i + len(cue) :]) <= window:
            return True
        j = after.find(cue)
        if j >= 0 and _gap(after[:j]) <= window:
            return True
    return False


def _gap(between: str) -> int:
    return sum(ch.isalnum() for ch in between)


def _year(written: str) -> int | None:
    digits = to_digits(written)
    if len(digits) != len(written):
        return None
    year = int(digits)
    if len(digits) == 2:  # 15年 is 2015, 98年 is 1998 (the pivot is data)
        year += 2000 if year < int(data()["two_digit_year_pivot"]) else 1900
    return year


@cache
def _suffix() -> re.Pattern[str]:
    d = data()
    return re.compile(
        rf"[ ]?(?:{alternation(d['birth_suffixes'])})(?!{char_class(d['birth_suffix_not_before'])})"
    )


def _born_after(text: str, end: int) -> bool:
    """The date is directly followed by 生/出生 (15年3月12日生), not by 生效."""
    return bool(_suffix().match(text, end))


def _spelled(text: str, lower: str) -> list[Finding]:
    out = []
    for m in _SPELLED.finditer(text):
        y = m.group("y")
        if y.isascii() and len(y) == 4 and m.group("m").isascii() and m.group("d").isascii():
            continue  # 2015年3月12日: the ordinary pattern's
        year, month, day = _year(y), small_number(m.group("m")), small_number(m.group("d"))
        if year is None or month is None or day is None or not _is_date(str(year), str(month), str(day)):
            continue
        if _near_cue(lower, m.start(), m.end()) or _born_after(text, m.end()):
            masked = mask.date(str(year))
            out.append(Finding(KIND, m.start(), m.end(), masked, message(KIND, masked)))
    return out


def find(text: str) -> list[Finding]:
    out = []
    lower = text.lower()
    if "年" in text:
        out += _spelled(text, lower)
    for m in _DATE.finditer(text):
        month, day = m.group("m") or m.group("m2"), m.group("d") or m.group("d2")
        if _is_date(m.group("y"), month, day) and (
            _near_cue(lower, m.start(), m.end()) or _born_after(text, m.end())
        ):
            masked = mask.date(m.group("y"))
            out.append(Finding(KIND, m.start(), m.end(), masked, message(KIND, masked)))
    low, high = data()["bare_date_years"]
    for m in _BARE.finditer(text):
        y, mo, d = m.group("y", "m", "d")
        if not _is_date(y, mo, d):
            continue
        if _near_cue(lower, m.start(), m.end()) or (
            low <= int(y) <= high and not _near_cue(lower, m.start(), m.end(), "other_date_cues")
        ):
            masked = mask.date(y)
            out.append(Finding(KIND, m.start(), m.end(), masked, message(KIND, masked)))
    return out
