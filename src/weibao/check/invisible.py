"""Invisible format characters (Unicode category Cf) are refused wherever they stand in a record:
a right-to-left override makes 热线‮94321‬号 show as 热线12349号, a zero-width space splits a
phone number so that no search finds it, and neither can be seen in an editor or a review.

Chinese text needs none of them. The only Cf character ordinary text carries is the zero-width
joiner inside emoji sequences (👨‍👩‍👧), and emoji have no place in official records; scripts that
do need joiners (Arabic-script Uyghur, Mongolian) are outside these records. A repository that
needs one lists it in patterns.yaml `format_chars_allowed`.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from weibao.check.privacy.data import data
from weibao.check.privacy.text import format_chars
from weibao.result import Error

RULE = "invisible-char"


@cache
def _allowed() -> frozenset[str]:
    return frozenset(data().get("format_chars_allowed") or ())


def invisible_errors(rel: str, text: str) -> list[Error]:
    """One located error per invisible format character in text (file:line:column)."""
    pattern = format_chars()
    if text.isascii() or not pattern.search(text):
        return []
    out = []
    for m in pattern.finditer(text):
        ch = m.group()
        if ch in _allowed():
            continue
        start = m.start()
        line = text.count("\n", 0, start) + 1
        col = start - (text.rfind("\n", 0, start) + 1) + 1
        name = unicodedata.name(ch, "FORMAT CHARACTER")
        out.append(Error(rel, line, col, "", RULE,
                         f"这里有一个看不见的格式字符 U+{ord(ch):04X}（{name}）：它会改变文字的显示顺序"
                         "或把号码、姓名拆开躲过检查。请删除它（可删掉这一段后重新输入）。"))
    return out
