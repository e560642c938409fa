"""Masking: enough of an identifier to find it in the record, never the whole of it."""

from __future__ import annotations


def keep(value: str, head: int, tail: int) -> str:
    """value with all but the first head and last tail characters replaced by *.

    At least one character is always masked, also for short values.
    """
    n = len(value)
    excess = head + tail - (n - 1)  # shown characters beyond "all but one"
    if excess > 0:
        cut = min(tail, excess)
        tail, head = tail - cut, max(head - (excess - cut), 0)
    return value[:head] + "*" * (n - head - tail) + value[n - tail :]


def id_number(compact: str) -> str:
    return keep(compact, 4, 4)


def mobile(digits: str) -> str:
    return keep(digits, 3, 4)


def landline(area: str, local: str) -> str:
    masked = keep(local, 0, 4 if len(local) >= 7 else 2)
    return f"{area}-{masked}" if area else masked


def email(address: str) -> str:
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}"


def bank_card(digits: str) -> str:
    return keep(digits, 4, 4)


def plate(compact: str) -> str:
    return keep(compact, 2, 0)


def date(year: str) -> str:
    return f"{year}-**-**"


def head(value: str, n: int) -> str:
    """The first n characters, then one * per remaining character."""
    return keep(value, n, 0)
