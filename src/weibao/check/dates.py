"""Per-record date rules from the schemas' annotations: x-not-before (a sibling field) and
x-not-future (a verification date cannot be later than today)."""

from __future__ import annotations

import re
from typing import TypeGuard

from weibao.check.annotations import Annotated, values_at
from weibao.load.lines import format_path, locate
from weibao.result import Error

# only well-formed dates and months are compared; any other text is the schema's format error
# ("2026年12月1日" sorts after "2026-11-24" as text, and is not "later than today")
_ISO = re.compile(r"[0-9]{4}-[0-9]{2}(?:-[0-9]{2})?\Z")


def _iso(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and bool(_ISO.match(value))


def date_errors(rel: str, text: str, record: dict, notes: list[Annotated], today: str) -> list[Error]:
    out = []
    for note in notes:
        if note.key == "x-not-before":
            for parent_path, parent in values_at(record, note.path[:-1]):
                if not isinstance(parent, dict):
                    continue
                value, other = parent.get(note.path[-1]), parent.get(str(note.value))
                if _iso(value) and _iso(other) and value < other:
                    path = (*parent_path, note.path[-1])
                    line, col = locate(text, path)
                    out.append(Error(rel, line, col, format_path(path), "date-order",
                                     f"{note.path[-1]}（{value}）早于 {note.value}（{other}）："
                                     "请检查这两个日期。"))
        elif note.key == "x-not-future":
            for path, value in values_at(record, note.path):
                if _iso(value) and value > today:
                    line, col = locate(text, path)
                    out.append(Error(rel, line, col, format_path(path), "date-future",
                                     f"日期 {value} 晚于今天（{today}）：请写实际核实的日期。"))
    return out
