"""E-mail addresses."""

from __future__ import annotations

import re

from . import mask
from .data import message
from .finding import Finding

KIND = "email"

_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
    r"\.[A-Za-z]{2,}(?![A-Za-z0-9-])"
)


def find(text: str) -> list[Finding]:
    if "@" not in text:
        return []
    out = []
    for m in _EMAIL.finditer(text):
        masked = mask.email(m.group())
        out.append(Finding(KIND, m.start(), m.end(), masked, message(KIND, masked)))
    return out
