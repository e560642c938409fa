"""NFKC normalisation that remembers where each normalised character came from.

Detectors match the normalised text (full-width １２３ＡＢＣ：（） become ASCII), findings are
reported with offsets into the original text. Each character is normalised on its own, so a
normalised character always comes from exactly one original character.

Invisible format characters (Unicode category Cf: zero-width space, joiners, bidi controls, soft
hyphen) are removed, so 1\u200b3\u200b8… is matched as 138…: they are refused in records anyway,
but commit messages and history are scanned with the same detectors.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from functools import cache

# no character above this changes under NFKC (Unicode 15: the last are the CJK compatibility
# ideographs supplement at U+2F800–U+2FA1F)
_LAST_CHANGING = 0x2FFFF


def _char_class(codes: list[int]) -> re.Pattern[str]:
    ranges: list[list[int]] = []
    for c in codes:
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1][1] = c
        else:
            ranges.append([c, c])
    parts = (re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges)
    return re.compile("[" + "".join(parts) + "]")


@cache
def _format_codes() -> list[int]:
    # format characters live in planes 0–2 and in plane 14 (tags); planes 3–13 hold ideographs
    # or nothing, 15–16 private use
    planes = (*range(0, _LAST_CHANGING + 1), *range(0xE0000, 0xE1000))
    return [c for c in planes if unicodedata.category(chr(c)) == "Cf"]


@cache
def format_chars() -> re.Pattern[str]:
    """One invisible format character (Unicode general category Cf)."""
    return _char_class(_format_codes())


def _normalize_char(ch: str) -> str:
    return "" if unicodedata.category(ch) == "Cf" else unicodedata.normalize("NFKC", ch)


@cache
def _changing() -> re.Pattern[str]:
    """One character that NFKC changes, or a format character (removed)."""
    fmt = set(_format_codes())
    changing = [
        c for c in range(0x80, _LAST_CHANGING + 1)
        if c in fmt or unicodedata.normalize("NFKC", chr(c)) != chr(c)
    ]
    return _char_class(changing + [c for c in _format_codes() if c > _LAST_CHANGING])


class Normalized:
    __slots__ = ("_changed", "_norm", "_orig", "original", "text")

    def __init__(self, original: str) -> None:
        self.original = original
        # segment starts: normalised offset, original offset, and whether the segment is one
        # changed character (all its normalised characters map to it) or unchanged text
        self._norm: list[int] = [0]
        self._orig: list[int] = [0]
        self._changed: list[bool] = [False]
        if original.isascii() or (
            unicodedata.is_normalized("NFKC", original) and not format_chars().search(original)
        ):
            self.text = original
            return
        parts: list[str] = []
        pos = last = 0  # normalised length so far, end of the last changed character
        for m in _changing().finditer(original):
            i = m.start()
            parts.append(original[last:i])
            pos += i - last
            n = _normalize_char(m.group())
            parts.append(n)
            self._add(pos, i, True)
            pos += len(n)
            last = i + 1
            self._add(pos, last, False)
        parts.append(original[last:])
        self.text = "".join(parts)

    def _add(self, norm: int, orig: int, changed: bool) -> None:
        if self._norm[-1] == norm:  # replaces an empty segment
            self._orig[-1], self._changed[-1] = orig, changed
        else:
            self._norm.append(norm)
            self._orig.append(orig)
            self._changed.append(changed)

    def _offset(self, pos: int) -> int:
        k = bisect_right(self._norm, pos) - 1
        if self._changed[k]:
            return self._orig[k]
        return self._orig[k] + pos - self._norm[k]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original (start, end) of the normalised text[start:end]."""
        if end <= start:
            o = self._offset(start)
            return o, o
        return self._offset(start), self._offset(end - 1) + 1


_URL = re.compile(r"(?:https?://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=%]+", re.IGNORECASE)


def url_spans(text: str) -> list[tuple[int, int]]:
    """Where URLs are: their digits are article ids and dates, not phones or birth dates."""
    if "http" not in text.lower() and "www." not in text.lower():
        return []
    return [m.span() for m in _URL.finditer(text)]
