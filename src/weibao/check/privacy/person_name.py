"""Personal names.

- After a label (姓名/父亲/母亲/联系人/…, optionally followed by ：/是/叫): a common surname and
  one or two more Han characters (母亲：李秀英, 父亲王芳因病 → 王芳). After the weak labels
  儿童/孩子/学生 with a separator (孩子叫李明), or directly when every character after the
  surname is a common given-name character (儿童张小明, 儿童欧阳娜娜由奶奶照顾), since 儿童关爱
  is an ordinary phrase.
- Before a relation word, with the same given-name characters: 李思雨妈妈, 张小明的奶奶.
- With strict=True (program records), pseudonyms too: 凡凡(化名), 凡凡（化名）, 张某, 张某某.
"""

from __future__ import annotations

import re
from functools import cache

from . import mask
from .data import alternation, data, message
from .finding import Finding

KIND = "person-name"

_HAN = r"[\u4e00-\u9fff]"


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    n = data()["names"]
    surname = alternation(n["surnames"])
    sep = rf"[ ]*(?:{alternation(n['separators'])})[ ]*"
    name = rf"(?P<name>(?P<surname>{surname}){_HAN}{{0,3}})"
    return {
        "strong": re.compile(rf"(?:{alternation(n['labels'])})(?:{sep}|[ ]*){name}"),
        "weak": re.compile(rf"(?:{alternation(n['weak_labels'])}){sep}{name}"),
        "weak_direct": re.compile(rf"(?:{alternation(n['weak_labels'])}){name}"),
        "relation": re.compile(
            rf"(?P<surname>{surname})(?P<given>{_HAN}{{1,2}}?)(?:{alternation(n['relation_after'])})"
        ),
        "mark": re.compile(rf"\([ ]*(?P<word>{alternation(n['pseudonym_words'])})[ ]*\)"),
        "mou": re.compile(
            rf"(?P<surname>{surname})某{{1,2}}(?!{'|'.join(map(re.escape, n['mou_not_before']))})"
        ),
    }


def _labelled(text: str, m: re.Match[str]) -> Finding | None:
    n = data()["names"]
    start, surname = m.start("name"), m.group("surname")
    if any(text.startswith(w, start) for w in n["not_names"]):
        return None
    given = m.group("name")[len(surname) :][:2]
    for i, ch in enumerate(given):
        if ch in n["end_stop"]:
            given = given[:i]
            break
    if not given or set(given) == {"某"}:  # 张某: a pseudonym, see strict
        return None
    name = surname + given
    masked = mask.head(name, 1)
    return Finding(KIND, start, start + len(name), masked, message(KIND, masked))


@cache
def _given_chars() -> frozenset[str]:
    return frozenset("".join(data()["names"]["given_name_chars"].split()))


def _direct(text: str, m: re.Match[str]) -> Finding | None:
    """A name right after a child word: only given-name characters after the surname."""
    n = data()["names"]
    start, surname = m.start("name"), m.group("surname")
    if any(text.startswith(w, start) for w in n["not_names"]):
        return None
    given = ""
    for ch in m.group("name")[len(surname) :][:2]:
        if ch not in _given_chars():
            break
        given += ch
    if not given:
        return None
    name = surname + given
    masked = mask.head(name, 1)
    return Finding(KIND, start, start + len(name), masked, message(KIND, masked))


def _relation(text: str, m: re.Match[str]) -> Finding | None:
    n = data()["names"]
    start = m.start()
    if any(text.startswith(w, start) for w in n["not_names"]):
        return None
    if not set(m.group("given")) <= _given_chars():
        return None
    name = m.group("surname") + m.group("given")
    masked = mask.head(name, 1)
    return Finding(KIND, start, start + len(name), masked, message(KIND, masked))


def _name_char(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or (ch.isascii() and ch.isalpha())


def _pseudonyms(text: str) -> list[Finding]:
    n = data()["names"]
    pat = _patterns()
    out = []
    for m in pat["mark"].finditer(text):
        i = m.start()
        while i > 0 and m.start() - i < n["pseudonym_max"] and _name_char(text[i - 1]):
            i -= 1
        while i < m.start() and text[i] in n["pseudonym_stop"]:
            i += 1
        if i == m.start():
            continue
        masked = mask.head(text[i : m.start()], 1) + f"({m.group('word')})"
        out.append(Finding(KIND, i, m.end(), masked, message("pseudonym", masked)))
    for m in pat["mou"].finditer(text):
        if any(text.endswith(w, 0, m.end("surname")) for w in n["mou_word_ends"]):
            continue
        masked = mask.head(m.group(), 1)
        out.append(Finding(KIND, m.start(), m.end(), masked, message("pseudonym", masked)))
    return out


def find(text: str, *, strict: bool = False) -> list[Finding]:
    pat = _patterns()
    out = []
    for key in ("strong", "weak"):
        for m in pat[key].finditer(text):
            f = _labelled(text, m)
            if f:
                out.append(f)
    for key, judge in (("weak_direct", _direct), ("relation", _relation)):
        for m in pat[key].finditer(text):
            f = judge(text, m)
            if f:
                out.append(f)
    if strict:
        out.extend(_pseudonyms(text))
    return out
