"""Numbers spelled out or spread out to get past the other detectors: Chinese numerals
(一三八一二三四五六七八, 幺三八 幺二三四 五六七八, 壹叁捌…), one digit at a time (1 3 8 1 2 …),
odd separators (138.1234.5678, 138·1234·5678, 1、3、8…), one group per line, and mixtures
(1三8一…). The digits are read off the run and judged by what they are:

- 11 digits of a mobile (1[3-9]…, optionally after 86) → phone;
- 18 digits with a valid check character (or 15/18 after a 身份证 label) → ID number;
- an area code and a local number → phone; 7–8 digits after a 电话 label → phone;
- 16–19 digits passing the Luhn check → bank card;
- 5–11 digits after a QQ label, or a mobile/QQ after a 微信 label → account.

Runs in the ordinary spelling (plain digits in groups of three or more, separated by a space or
a dash) are left to the other detectors, which know their exceptions (record ids, URLs,
service numbers).
"""

from __future__ import annotations

import re
from functools import cache

from stdnum import luhn

from . import mask
from .data import alternation, char_class, data, message
from .finding import Finding
from .id_number import valid_18
from .numerals import digit_class, digit_map, to_digits

_AREA = re.compile(r"0(?:10|2\d|[3-9]\d{2})")
_PLAIN = re.compile(r"\d{3,}(?:[ -]\d{3,})*")


@cache
def _run() -> re.Pattern[str]:
    d = data()
    digit, sep = digit_class(), char_class(d["digit_separators"])
    return re.compile(rf"{digit}(?:{sep}{{0,{d['digit_gap']}}}{digit})*(?:{sep}?[Xx](?![A-Za-z]))?")


@cache
def _labels() -> dict[str, re.Pattern[str]]:
    d, im = data(), data()["im"]
    gap = r"[^\d\n]{0,8}$"
    return {
        "id": re.compile(rf"(?:{alternation(d['id_labels'])}){gap}"),
        "phone": re.compile(rf"(?:{alternation(d['phone_labels'])}){gap}"),
        "qq": re.compile(rf"(?:{alternation(im['qq_labels'])}){gap}"),
        "wechat": re.compile(rf"(?:{alternation(im['wechat_labels'])}){gap}"),
    }


def _label(text: str, start: int) -> set[str]:
    before = text[max(0, start - 24) : start]
    return {k for k, p in _labels().items() if p.search(before)}


def _odd(run: str) -> bool:
    """Spelled out, or one digit at a time: a list such as 05、06、07 is neither."""
    numerals = digit_map()
    if any(c in numerals or (c.isdigit() and not c.isascii()) for c in run):
        return True
    return sum(len(g) == 1 for g in re.split(r"\D+", run)) >= 4


def _judge(digits: str, x: bool, labels: set[str], odd: bool) -> tuple[str, str, str] | None:
    """(kind, message key, masked) for the digits of one run, or None.

    Mobiles and checksummed ID numbers are specific enough in any spelling; a landline or a
    card number counts only when spelled oddly or after its label."""
    n = len(digits)
    if x:  # a trailing X belongs only to an ID number
        number = digits + "X"
        if n == 17 and (valid_18(number) or "id" in labels):
            return "id-number", "id-number", mask.id_number(number)
        return None
    mobile = digits[2:] if n == 13 and digits.startswith("86") else digits
    if len(mobile) == 11 and re.fullmatch(r"1[3-9]\d{9}", mobile):
        kind = "im-account" if "wechat" in labels else "phone"
        return kind, "wechat" if kind == "im-account" else "mobile", mask.mobile(mobile)
    if n == 18 and (valid_18(digits) or "id" in labels):
        return "id-number", "id-number", mask.id_number(digits)
    if n == 15 and "id" in labels:
        return "id-number", "id-number", mask.id_number(digits)
    if 16 <= n <= 19 and odd and luhn.is_valid(digits):
        return "bank-card", "bank-card", mask.bank_card(digits)
    area = _AREA.match(digits)
    if area and 7 <= n - area.end() <= 8 and (odd or "phone" in labels):
        return "phone", "landline", mask.landline(area.group(), digits[area.end():])
    if "phone" in labels and 7 <= n <= 8 and digits[0] in "23456789":
        return "phone", "landline", mask.landline("", digits)
    if ("qq" in labels or "wechat" in labels) and 5 <= n <= 11 and digits[0] != "0":
        key = "qq" if "qq" in labels else "wechat"
        return "im-account", key, mask.head(digits, 2)
    return None


def find(text: str) -> list[Finding]:
    out = []
    for m in _run().finditer(text):
        run = m.group()
        if len(run) < 5 or (run.isascii() and _PLAIN.fullmatch(run)):
            continue
        x = run[-1] in "Xx"
        digits = to_digits(run)
        if len(digits) < 5:
            continue
        judged = _judge(digits, x, _label(text, m.start()), _odd(run))
        if judged:
            kind, key, masked = judged
            out.append(Finding(kind, m.start(), m.end(), masked, message(key, masked)))
    return out
