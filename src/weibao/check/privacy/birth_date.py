"""Exact dates of birth.

Dates are legitimate in records (the date of an activity), so a day-precise date counts only
near a birth cue (出生, 生日, born, dob, …), or as a bare 8-digit YYYYMMDD between the configured
years that is not part of a longer digit run or a file name (the form copied out of ID numbers
and forms) and not next to an activity word (活动日期20240512). Dates inside URLs are left alone.
Month precision (2015年3月出生) is allowed here; the schemas decide where it belongs.
"""

from __future__ import annotations

import datetime
import re
from functools import cache

from . import mask
from .data import data, message
from .finding import Finding

KIND = "birth-date"

_DATE = re.compile(
    r"(?<![\d.])(?P<y>(?:19|20)\d{2})"
    r"(?:(?P<s>[-/.])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})"
    r"|[ ]?年[ ]?(?P<m2>\d{1,2})[ ]?月[ ]?(?P<d2>\d{1,2})[ ]?[日号]?)"
    r"(?![\d])"
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


def find(text: str) -> list[Finding]:
    out = []
    lower = text.lower()
    for m in _DATE.finditer(text):
        month, day = m.group("m") or m.group("m2"), m.group("d") or m.group("d2")
        if _is_date(m.group("y"), month, day) and _near_cue(lower, m.start(), m.end()):
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
