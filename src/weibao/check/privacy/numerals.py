"""Digits spelled out: Chinese numerals (一/幺/壹 → 1), and small numbers written with 十 (二十一).

The map comes from patterns.yaml; every digit character Python's re treats as \\d (including
other scripts' digits) keeps its value.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from .data import data


@cache
def digit_map() -> dict[str, str]:
    """Numeral character → ASCII digit."""
    return {ch: digit for digit, chars in data()["digits"].items() for ch in chars}


@cache
def digit_class() -> str:
    """A regex character class of every character that stands for one digit."""
    return "[0-9" + "".join(re.escape(c) for c in digit_map()) + "]"


def to_digits(s: str) -> str:
    """The ASCII digits s spells, dropping everything that is not a digit (separators)."""
    m = digit_map()
    out = []
    for ch in s:
        if ch in m:
            out.append(m[ch])
        elif ch.isdigit():
            out.append(str(unicodedata.digit(ch, 0)))
    return "".join(out)


def small_number(s: str) -> int | None:
    """1–99 written as digits (12, 一二), or with 十 (十二, 二十, 二十一, 三十); None if not."""
    if not s:
        return None
    if "十" not in s:
        d = to_digits(s)
        return int(d) if d and len(d) == len(s) else None
    tens, _, ones = s.partition("十")
    t = 1 if not tens else small_number(tens)
    o = 0 if not ones else small_number(ones)
    if t is None or o is None or t > 9 or o > 9:
        return None
    return t * 10 + o
