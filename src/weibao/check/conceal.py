"""Values echoed in error messages of program records are concealed: CI logs can be public,
and a value in the wrong field of a case record may be exactly what must not be published."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from weibao.check.privacy import scan
from weibao.result import Error

_ASCII_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")


def conceal(value: object) -> str:
    """First character (or two digits) kept, the rest starred: `张**`, `13*********`."""
    text = value if isinstance(value, str) else repr(value)
    if isinstance(value, bool) or value is None:
        return text
    if isinstance(value, int | float) and len(text) <= 4:
        return text  # counts and small numbers identify nobody
    keep = 2 if text[:2].isdigit() else 1
    return text[:keep] + "*" * max(len(text) - keep, 1)


def conceal_key(key: str) -> str:
    """Field names are shown as written unless they are not field names at all (`张三:`)."""
    return key if _ASCII_NAME.match(key) else conceal(key)


@lru_cache(maxsize=1 << 16)
def redact(text: str) -> str:
    """text with every identifier the guard finds replaced by its masked form.

    The last line of defence, applied by every reporter to every message: a check that quotes
    a wrong value (a schema error, a broken reference) cannot publish an ID number or a phone."""
    findings = scan(text)
    if not findings:
        return text
    parts, last = [], 0
    for f in findings:
        parts += [text[last : f.start], f.masked]
        last = f.end
    return "".join(parts) + text[last:]


def redacted(err: Error) -> Error:
    message, path = redact(err.message), redact(err.path)
    if message is err.message and path is err.path:
        return err
    return replace(err, message=message, path=path)
