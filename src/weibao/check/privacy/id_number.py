"""Resident ID numbers (GB 11643): 18 digits with a valid checksum and birth date, 15-digit
old numbers with a known area code and a valid date; any 18/15-digit number after a 身份证 label."""

from __future__ import annotations

import datetime
import re
from functools import cache

from stdnum import numdb
from stdnum.cn import ric

from weibao import clock

from . import mask
from .data import alternation, data, message
from .finding import Finding

KIND = "id-number"

# groups of 6 8 4 (or 6 6 3) may be separated by one space or dash
_ID18 = re.compile(r"(?<!\d)(\d{6})[ -]?(\d{8})[ -]?(\d{3}[0-9Xx])(?![0-9])")
_ID15 = re.compile(r"(?<!\d)(\d{6})[ -]?(\d{6})[ -]?(\d{3})(?![0-9Xx])")


@cache
def _label() -> re.Pattern[str]:
    d = data()
    return re.compile(rf"(?:{alternation(d['id_labels'])})[^\d\n]{{0,{d['id_label_gap']}}}$")


def valid_18(number: str) -> bool:
    """Checksum and birth date of an 18-character compact number (the area is not checked:
    a made-up area code does not make a real person's number harmless)."""
    number = number.upper()
    if not number[:17].isdigit() or number[17] != ric.calc_check_digit(number):
        return False
    try:
        born = ric.get_birth_date(number)
    except Exception:
        return False
    return 1900 <= born.year <= clock.now_utc().year + 1  # a year of slack: any zone will do


def _valid_15(number: str) -> bool:
    try:
        datetime.date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))
    except ValueError:
        return False
    return any(props for _, props in numdb.get("cn/loc").info(number[:6])[1:])


def _labelled(text: str, start: int) -> bool:
    return bool(_label().search(text, max(0, start - 20), start))


def find(text: str) -> list[Finding]:
    out = []
    for pattern, check in ((_ID18, valid_18), (_ID15, _valid_15)):
        for m in pattern.finditer(text):
            number = "".join(m.groups()).upper()
            if check(number) or _labelled(text, m.start()):
                masked = mask.id_number(number)
                out.append(Finding(KIND, m.start(), m.end(), masked, message(KIND, masked)))
    return out
