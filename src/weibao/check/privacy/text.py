"""NFKC normalisation that remembers where each normalised character came from.

Detectors match the normalised text (full-width １２３ＡＢＣ：（） become ASCII), findings are
reported with offsets into the original text. Each character is normalised on its own, so a
normalised character always comes from exactly one original character.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from functools import cache

# no character above this changes under NFKC (Unicode 15: the last are the CJK compatibility
# ideographs supplement at U+2F800–U+2FA1F)
_LAST_CHANGING = 0x2FFFF


@cache
def _changing() -> re.Pattern[str]:
    """One character that NFKC changes."""
    ranges: list[list[int]] = []
    for c in range(0x80, _LAST_CHANGING + 1):
        if unicodedata.normalize("NFKC", chr(c)) != chr(c):
            if ranges and ranges[-1][1] == c - 1:
                ranges[-1][1] = c
            else:
                ranges.append([c, c])
    parts = (re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges)
    return re.compile("[" + "".join(parts) + "]")


class Normalized:
    __slots__ = ("_changed", "_norm", "_orig", "original", "text")

    def __init__(self, original: str) -> None:
        self.original = original
        # segment starts: normalised offset, original offset, and whether the segment is one
        # changed character (all its normalised characters map to it) or unchanged text
        self._norm: list[int] = [0]
        self._orig: list[int] = [0]
        self._changed: list[bool] = [False]
        if original.isascii() or unicodedata.is_normalized("NFKC", original):
            self.text = original
            return
        parts: list[str] = []
        pos = last = 0  # normalised length so far, end of the last changed character
        for m in _changing().finditer(original):
            i = m.start()
            parts.append(original[last:i])
            pos += i - last
            n = unicodedata.normalize("NFKC", m.group())
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
