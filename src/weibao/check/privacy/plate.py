"""Licence plates: 鲁F12345, 陕E·A1234, new-energy 京AD12345 / 京A12345D."""

from __future__ import annotations

import re
from functools import cache

from . import mask
from .data import char_class, data, message
from .finding import Finding

KIND = "plate"

_CH = "[A-HJ-NP-Z0-9]"  # no I or O on plates


@cache
def _pattern() -> re.Pattern[str]:
    d = data()
    return re.compile(
        rf"(?P<p>{char_class(d['plate_provinces'])}[A-Z]){char_class(d['plate_separators'])}?"
        rf"(?P<n>[DF]{_CH}\d{{4}}|\d{{5}}[DF]|{_CH}{{5}})(?![A-Za-z0-9])"
    )


def find(text: str) -> list[Finding]:
    out = []
    for m in _pattern().finditer(text):
        number = m.group("n")
        if sum(c.isdigit() for c in number) < 3:  # 京AB CDE… is not a plate
            continue
        masked = mask.plate(m.group("p") + number)
        out.append(Finding(KIND, m.start(), m.end(), masked, message(KIND, masked)))
    return out
