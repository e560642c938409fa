"""E-mail addresses, also written to dodge a search for @: li2015 at qq dot com,
li2015(at)qq(dot)com, li2015 艾特 qq 点 com (words in patterns.yaml)."""

from __future__ import annotations

import re
from functools import cache

from . import mask
from .data import data, message
from .finding import Finding

KIND = "email"

_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
    r"\.[A-Za-z]{2,}(?![A-Za-z0-9-])"
)
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"


def _words(words: list[str]) -> str:
    """Latin words (at, dot) stand apart from the address by spaces or brackets."""
    parts = []
    for w in sorted(words, key=len, reverse=True):
        if w.isascii() and w.isalpha():
            parts.append(rf"[ ]+{re.escape(w)}[ ]+")
        else:
            parts.append(rf"[ ]*{re.escape(w)}[ ]*")
    return "(?:" + "|".join(parts) + ")"


@cache
def _obfuscated() -> re.Pattern[str]:
    o = data()["email_obfuscated"]
    at, dot = _words(o["at_words"]), _words(o["dot_words"])
    tlds = "|".join(map(re.escape, o["tlds"]))
    return re.compile(
        rf"(?<![A-Za-z0-9._%+-])(?P<local>[A-Za-z0-9][A-Za-z0-9._%+-]*){at}"
        rf"(?P<domain>{_LABEL}(?:{dot}{_LABEL})*?{dot}(?P<tld>{tlds}))(?![A-Za-z0-9-])",
        re.IGNORECASE,
    )


def find(text: str) -> list[Finding]:
    out = []
    if "@" in text:
        for m in _EMAIL.finditer(text):
            masked = mask.email(m.group())
            out.append(Finding(KIND, m.start(), m.end(), masked, message(KIND, masked)))
    lower = text.lower()
    if any(w in lower for w in data()["email_obfuscated"]["at_words"]):
        for m in _obfuscated().finditer(text):
            labels = re.findall(_LABEL, m.group("domain"))
            words = {w.lower() for w in data()["email_obfuscated"]["dot_words"]}
            domain = ".".join(x for x in labels if x.lower() not in words)
            masked = mask.email(f"{m.group('local')}@{domain}")
            out.append(Finding(KIND, m.start(), m.end(), masked, message(KIND, masked)))
    return out
