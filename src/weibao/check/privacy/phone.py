"""Phone numbers: mobiles (1[3-9]x, 11 digits) and landlines with an area code, found by
phonenumbers' matcher plus patterns for what it misses in Chinese text (numbers it considers
invalid such as 029-8765432 or 0913-12345, and bare local numbers after a 电话 label).

Short service numbers (110, 12345, 12349, 12355, 95598) are never flagged, nor landlines inside
an ASCII record id (weinan-0913-12345: the id of a hotline record).
"""

from __future__ import annotations

import re
from functools import cache

import phonenumbers

from . import mask
from .data import alternation, char_class, data, message
from .finding import Finding

KIND = "phone"

_AREA = r"0(?:10|2\d|[3-9]\d{2})"


@cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    d = data()
    dash = char_class(d["phone_dashes"])
    sep = rf"(?:[ ]?{dash}[ ]?|[ ])"
    mobile = re.compile(
        rf"(?<![\d+])(?:(?:\+|00)?86[ ]?{dash}?[ ]?|\(\+?86\)[ ]?)?"
        rf"(1[3-9]\d(?:{sep}?\d{{4}}){{2}})(?!\d)"
    )
    landline = re.compile(
        rf"(?<![\d+])(?:(?:\+|00)?86[ ]?{dash}?[ ]?)?"
        rf"(?:\(({_AREA})\)[ ]?|({_AREA}){sep}|({_AREA})(?=\d{{7,8}}(?!\d)))"
        rf"(\d{{3,4}}{sep}?\d{{4}}|\d{{5,8}})(?!\d)"
    )
    labelled = re.compile(
        rf"(?:{alternation(d['phone_labels'])})[^\d\n]{{0,{d['phone_label_gap']}}}"
        r"(?<![\d+])([2-9]\d{2,3}[ -]?\d{4})(?!\d)"
    )
    return mobile, landline, labelled


def _digits(s: str) -> str:
    return re.sub(r"\D", "", s)


def _finding(start: int, end: int, masked: str, key: str) -> Finding:
    return Finding(KIND, start, end, masked, message(key, masked))


_SLUG = re.compile(r"(?:[A-Za-z0-9]+[-_]|[A-Za-z_])$")


def _in_slug(text: str, start: int) -> bool:
    """A landline inside an ASCII record id (weinan-0913-12345) names a hotline, not a person."""
    return bool(_SLUG.search(text, max(0, start - 40), start))


def _classify(text: str, start: int, end: int, national: str) -> Finding | None:
    if len(national) == 11 and re.fullmatch(r"1[3-9]\d{9}", national):
        return _finding(start, end, mask.mobile(national), "mobile")
    if _in_slug(text, start):
        return None
    m = re.fullmatch(rf"({_AREA})(\d{{5,8}})", national)
    if m:
        return _finding(start, end, mask.landline(*m.groups()), "landline")
    if national.startswith(("400", "800")) and len(national) == 10:
        return _finding(start, end, mask.landline(national[:3], national[3:]), "landline")
    return None


# a run of digits and phone punctuation: the matcher is run on these only (it is slow on long
# texts full of dates and counts)
_RUN = re.compile(r"[+(]?\d[\d \-()—–‐.]*\d")
# a date and time (2024.10.28 10:15) is not a phone number, whatever the matcher thinks
_DATE_FIRST = re.compile(r"(?:19|20)\d{2}[./-]\d{1,2}[./-]\d{1,2}(?!\d)")


def _matcher(text: str) -> list[Finding]:
    out = []
    for run in _RUN.finditer(text):
        if len(_digits(run.group())) < 7:
            continue
        lo, hi = max(0, run.start() - 3), min(len(text), run.end() + 3)
        for m in phonenumbers.PhoneNumberMatcher(text[lo:hi], "CN"):
            if _DATE_FIRST.match(m.raw_string):
                continue
            number = m.number
            national = str(number.national_number)
            if number.country_code != 86 or len(national) < 7:  # service numbers
                continue
            mobile = len(national) == 11 and national.startswith("1")
            if not mobile and not national.startswith(("400", "800")):
                national = "0" + national  # the trunk prefix: 0913…, 010…
            f = _classify(text, lo + m.start, lo + m.end, national)
            if f:
                out.append(f)
    return out


def find(text: str) -> list[Finding]:
    out = _matcher(text)
    mobile, landline, labelled = _patterns()
    for m in mobile.finditer(text):
        out.append(_finding(m.start(), m.end(), mask.mobile(_digits(m.group(1))), "mobile"))
    for m in landline.finditer(text):
        if _in_slug(text, m.start()):
            continue
        area = m.group(1) or m.group(2) or m.group(3)
        masked = mask.landline(area, _digits(m.group(4)))
        out.append(_finding(m.start(), m.end(), masked, "landline"))
    for m in labelled.finditer(text):
        masked = mask.landline("", _digits(m.group(1)))
        out.append(_finding(m.start(1), m.end(), masked, "landline"))
    return _dedupe(out)


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """The longest of overlapping phone findings (the matcher and the patterns find the same)."""
    kept: list[Finding] = []
    for f in sorted(findings, key=lambda f: (f.start, -(f.end - f.start))):
        if kept and f.start < kept[-1].end:
            continue
        kept.append(f)
    return kept
