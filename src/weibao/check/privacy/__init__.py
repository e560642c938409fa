"""The privacy guard's detectors: identifiers of children and their families in free text.

Pure functions, no I/O. One module per kind of identifier; the words they look for (labels,
surnames, address words) and the messages live in patterns.yaml. Text is NFKC-normalised before
matching (full-width digits and letters), offsets are reported in the original text.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from . import (
    address,
    bank_card,
    birth_date,
    email,
    id_number,
    im_account,
    person_name,
    phone,
    plate,
    school,
    spelled,
)
from .finding import Finding
from .text import Normalized, url_spans

__all__ = ["KINDS", "Finding", "scan", "scan_cached"]

# most specific first: when findings overlap, the one of the earlier kind is kept
KINDS = (
    "id-number",
    "bank-card",
    "email",
    "im-account",
    "phone",
    "plate",
    "birth-date",
    "person-name",
    "school",
    "address",
)
# an organisation's public contact fields: its phone, e-mail and office address (路12号)
CONTACT_KINDS = frozenset({"phone", "email", "address"})
# digits inside URLs (article ids, dates in paths) are not these
URL_EXEMPT_KINDS = frozenset({"phone", "bank-card", "birth-date"})
_RANK = {kind: i for i, kind in enumerate(KINDS)}


def _dedupe(findings: list[Finding]) -> list[Finding]:
    kept: list[Finding] = []
    for f in sorted(findings, key=lambda f: (_RANK[f.kind], -(f.end - f.start), f.start)):
        if all(f.end <= k.start or f.start >= k.end for k in kept):
            kept.append(f)
    return sorted(kept, key=lambda f: (f.start, f.end))


def scan(text: str, *, allow_contact: bool = False, strict_names: bool = False) -> list[Finding]:
    """All identifiers found in text, in order of position.

    Overlapping findings are deduplicated, keeping the most specific kind (an ID number over the
    birth date inside it, an e-mail over the phone number in its local part).

    allow_contact=True: the text is a public contact field of an organisation or hotline, where
    phone numbers, e-mail and office addresses are allowed (kinds "phone", "email" and "address"
    are not reported; every other kind still is).
    strict_names=True: the text belongs to a program record (a case) or a commit message, where
    pseudonyms count as names too (凡凡(化名), 凡凡（化名）, 张某, 张某某) and a named school after
    a study word is a child's school (就读于莱阳市第一实验小学).
    """
    norm = Normalized(text)
    t = norm.text
    found: list[Finding] = [
        *id_number.find(t),
        *bank_card.find(t),
        *email.find(t),
        *im_account.find(t),
        *phone.find(t),
        *plate.find(t),
        *birth_date.find(t),
        *spelled.find(t),
        *person_name.find(t, strict=strict_names),
        *school.find(t, strict=strict_names),
        *address.find(t),
    ]
    urls = url_spans(t)
    if urls:
        found = [
            f
            for f in found
            if f.kind not in URL_EXEMPT_KINDS
            or not any(s <= f.start and f.end <= e for s, e in urls)
        ]
    out = []
    for f in _dedupe(found):
        if allow_contact and f.kind in CONTACT_KINDS:
            continue
        start, end = norm.span(f.start, f.end)
        out.append(replace(f, start=start, end=end))
    return out


@lru_cache(maxsize=200_000)
def scan_cached(text: str, *, allow_contact: bool = False, strict_names: bool = False) -> tuple[Finding, ...]:
    """scan, remembered per process: records repeat the same values and lines endlessly (a
    case's `level: 蓝`, an organisation's 办公电话 and opening hours), so each distinct text is
    scanned once. Bounded, so a long-running process (weibao serve) does not grow without end."""
    return tuple(scan(text, allow_contact=allow_contact, strict_names=strict_names))
