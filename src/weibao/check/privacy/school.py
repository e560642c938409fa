"""A child's school and class: 三年级二班, 初二(3)班, 良乡中心小学三年级二班; and in program
records and commit messages a named school after a study word (就读于莱阳市第一实验小学,
在良乡中心小学就读).

A school *type* is not a school: 小学, 中小学校, 在当地小学就读 and 学校保护 pass. A school's
name is the run of Han characters before the school word, stopping at words such as 在/于/的
(patterns.yaml school.name_stop), and never one of the generic names (当地, 寄宿制, …).
"""

from __future__ import annotations

import re
from functools import cache

from . import mask
from .data import alternation, char_class, data, message
from .finding import Finding

KIND = "school"

_N = r"(?:[0-9]{1,2}|[一二三四五六七八九十]{1,3})"
_HAN = r"[\u4e00-\u9fff]"


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    s = data()["school"]
    grade = (
        rf"(?:{_N}(?:{alternation(s['grade_words'])})|(?:{alternation(s['grade_short'])})[一二三123]"
        rf"|{alternation(s['kindergarten_grades'])})"
    )
    klass = rf"[(]?[ ]?{_N}[ ]?[)]?{re.escape(s['class_word'])}"
    word = alternation(s["words"])
    return {
        # 三年级二班, 初二(3)班, 大班2班 — a grade directly followed by a class
        "class": re.compile(rf"{grade}[ ]?(?:{klass})"),
        "word": re.compile(rf"(?:{word})"),
        "before": re.compile(rf"(?:{alternation(s['study_before'])})$"),
        "after": re.compile(rf"[ ]?(?:{alternation(s['study_after'])})"),
        "stop": re.compile(char_class(s["name_stop"])),
    }


def _name_start(text: str, end: int) -> int:
    """Start of the school name that ends at end (the school word's start)."""
    s = data()["school"]
    stop = _patterns()["stop"]
    i = end
    while i > 0 and end - i < s["name_max"] and re.match(_HAN, text[i - 1]):
        if stop.match(text[i - 1]):
            break
        i -= 1
    return i


def _named(text: str, start: int, end: int) -> bool:
    name = text[start:end]
    return len(name) >= 2 and name not in data()["school"]["generic_names"]


def find(text: str, *, strict: bool = False) -> list[Finding]:
    has_class = data()["school"]["class_word"] in text
    if not has_class and not strict:  # outside case records a school counts only with a class
        return []
    pat = _patterns()
    spans = []
    class_starts = {}
    for m in pat["class"].finditer(text) if has_class else ():
        spans.append((m.start(), m.end()))
        class_starts[m.start()] = len(spans) - 1
    for m in pat["word"].finditer(text):
        start = _name_start(text, m.start())
        i = class_starts.get(m.end())
        if i is not None:  # 莱阳市第一实验小学三年级二班: the school belongs to the finding
            spans[i] = (start if _named(text, start, m.start()) else m.start(), spans[i][1])
            continue
        if not strict or not _named(text, start, m.start()):
            continue
        # 就读于莱阳一中 / 在良乡中心小学就读
        before = text[max(0, start - 6) : start]
        if pat["before"].search(before) or (
            before.endswith("在") and pat["after"].match(text, m.end())
        ):
            spans.append((start, m.end()))
    out = []
    for start, end in sorted(spans):
        masked = mask.head(text[start:end], 2 if end - start > 4 else 0)
        out.append(Finding(KIND, start, end, masked, message(KIND, masked)))
    return out
