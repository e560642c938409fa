"""Bank card numbers: 16–19 digits passing the Luhn check, optionally in groups of 4 separated
by spaces or dashes; never a valid resident ID number (those are id-number findings)."""

from __future__ import annotations

import re

from stdnum import luhn

from . import mask
from .data import message
from .finding import Finding
from .id_number import valid_18

KIND = "bank-card"

_CARD = re.compile(r"(?<![\d-])(?:\d{4}[ -]?){3}\d{4}(?:[ -]?\d{1,3})?(?![\d])")


def find(text: str) -> list[Finding]:
    out = []
    for m in _CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if not 16 <= len(digits) <= 19 or not luhn.is_valid(digits):
            continue
        if len(digits) == 18 and valid_18(digits):
            continue
        masked = mask.bank_card(digits)
        out.append(Finding(KIND, m.start(), m.end(), masked, message(KIND, masked)))
    return out
