"""The privacy guard applied to one record: which text is scanned, and how strictly.

- Program records (cases, clues, activities): the whole raw file, comments included, with the
  strictest rules (pseudonyms like 凡凡(化名) and 张某 count as names).
- Other records: every string value, where public contact fields (annotated x-contact in the
  schema: organisation phones, hotline numbers, the contact line of an official document) may
  hold phone numbers and e-mail addresses; and every YAML comment, strictly.
"""

from __future__ import annotations

import re
from functools import cache

from weibao.check.annotations import values_at
from weibao.check.privacy import Finding, scan, scan_cached
from weibao.check.privacy.numerals import digit_class
from weibao.load.lines import format_path, locate_in_value
from weibao.result import Error

_COMMENT = re.compile(r"(?:^|[ \t])#(.*)$", re.MULTILINE)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _error(rel: str, line: int, col: int, path: str, f: Finding) -> Error:
    return Error(rel, line, col, path, f"privacy-{f.kind}", f.message)


# Program records repeat the same lines endlessly (`level: 蓝`, the synthetic-data comment);
# their schemas allow no multi-line value, so scanning line by line finds exactly what a scan of
# the whole text finds, and each distinct line is scanned once per process (scan_cached).
def _scan_line(line: str) -> tuple[Finding, ...]:
    return scan_cached(line, strict_names=True)


@cache
def _split_number() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A line ending in a digit, and the next line's text starting with one (after # and -)."""
    digit = digit_class()
    return re.compile(rf"{digit}[ \t]*$"), re.compile(rf"[ \t#-]*(?={digit})")


def _across_lines(rel: str, lines: list[str]) -> list[Error]:
    """A number broken over two lines (# 电话 138 / # 1234 5678): each such pair is scanned
    joined, and what only the joined text shows is reported at its first line."""
    tail, head = _split_number()
    out = []
    for i in range(len(lines) - 1):
        first, m = lines[i], head.match(lines[i + 1])
        if not m or not tail.search(first):
            continue
        joined = first + " " + lines[i + 1][m.end() :]
        for f in scan(joined, strict_names=True):
            if f.start < len(first) < f.end:
                out.append(_error(rel, i + 1, f.start + 1, "", f))
    return out


def scan_program_text(rel: str, text: str) -> list[Error]:
    out = []
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        for f in _scan_line(line):
            out.append(_error(rel, number, f.start + 1, "", f))
    return out + _across_lines(rel, lines)


def _strings(value: object, path: tuple = ()):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, (*path, i))


def scan_public_record(
    rel: str, text: str, record: dict, contact_paths: list[tuple[str, ...]]
) -> list[Error]:
    contact = {p for pattern in contact_paths for p, _ in values_at(record, pattern)}
    out = []
    for path, value in _strings(record):
        findings = scan_cached(value, allow_contact=path in contact)
        if not findings:
            continue
        for f in findings:
            line, col = locate_in_value(text, path, value, f.start)
            out.append(_error(rel, line, col, format_path(path), f))
    if "#" in text:
        for m in _COMMENT.finditer(text):
            for f in scan_cached(m.group(1)):
                line, col = _line_col(text, m.start(1) + f.start)
                out.append(_error(rel, line, col, "", f))
    return out
