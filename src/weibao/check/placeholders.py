"""Placeholders `weibao new` writes must not reach the site: "新机构（请修改名称）", a link to
https://example.invalid/…, a temporary new-org-xxxxxx id, a "# 请修改" note left on a line.

What counts as a placeholder is read from the templates themselves (scaffold_templates/), so a
changed template needs no change here; each message repeats the template's hint for the field.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from weibao.load.lines import format_path, locate
from weibao.load.yaml_strict import parse
from weibao.result import Error

NOTE = "# 请修改"
_NOTE = re.compile(r"#\s*请修改[：:]\s*(.*)$")  # the note itself, not a mention of it in quotes
_SENTINEL = "\ue000"  # (private use) stands for every $value the scaffold fills in, so only literals remain


@dataclass(frozen=True)
class Placeholders:
    values: frozenset[str]  # literal texts of the templates, stripped ("新机构（请修改名称）")
    hints: dict[tuple[str, str], str]  # (collection, field) → what to write, from "# 请修改：…"
    temporary_id: re.Pattern[str]  # new-org-xxxxxx and the other slug prefixes


def _strings(node: object, at: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(node, str):
        yield at, node
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from _strings(v, (*at, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _strings(v, (*at, i))


@cache
def placeholders() -> Placeholders:
    from weibao.scaffold import ALPHABET, EDIT_NOTE, SLUG_SUFFIX_LENGTH, kinds, template

    values: set[str] = set()
    hints: dict[tuple[str, str], str] = {}
    prefixes: list[str] = []
    for collection, kind in kinds().items():
        if kind["id"] == "slug":
            prefixes.append(re.escape(kind["prefix"]))
        text = template(f"{collection}.yaml")
        filled = string.Template(text).safe_substitute(_AnyValue())
        value, _ = parse(filled)
        values.update(s.strip() for _, s in _strings(value) if _SENTINEL not in s and "请" in s)
        for line in text.splitlines():
            if m := EDIT_NOTE.match(line):
                hints.setdefault((collection, m[1]), m[2])
    temporary = re.compile(rf"(?:{'|'.join(prefixes)})[{ALPHABET}]{{{SLUG_SUFFIX_LENGTH}}}\Z")
    return Placeholders(frozenset(values), hints, temporary)


class _AnyValue(dict):
    def __missing__(self, key: str) -> str:
        return _SENTINEL


def _hint(p: Placeholders, collection: str, path: tuple[str | int, ...]) -> str:
    key = next((s for s in reversed(path) if isinstance(s, str)), "")
    hint = p.hints.get((collection, key), "")
    return f"请按模板的提示填写：{hint}" if hint else "请填写真实内容"


def placeholder_errors(rel: str, text: str, record: dict, collection: str) -> list[Error]:
    """Every placeholder value, temporary id and leftover "# 请修改" note in one record."""
    p = placeholders()
    errors: list[Error] = []
    lines: set[int] = set()
    for path, value in _strings(record):
        where = format_path(path)
        if path == ("id",) and p.temporary_id.match(value):
            message = (f"“{value}”是 weibao new 生成的临时编号：请改为有意义的编号（小写英文字母、数字和连字符，"
                       "如 laiyang-protection-centre），并把文件改成同名。")
        elif value.strip() in p.values:
            message = f"“{value.strip()}”是 weibao new 写的占位内容，不能发布：{_hint(p, collection, path)}。"
        else:
            continue
        line, column = locate(text, path)
        lines.add(line)
        errors.append(Error(rel, line, column, where, "placeholder", message))
    if "请修改" not in text:
        return errors
    for n, line_text in enumerate(text.splitlines(), start=1):
        m = _NOTE.search(line_text)
        if m and n not in lines:
            what = f"（{m[1]}）" if m[1] else ""
            errors.append(Error(rel, n, m.start() + 1, "", "placeholder-note",
                                f"这一行还留着 weibao new 的“{NOTE}”提示{what}：确认或改成真实内容后，删去这条提示。"))
    return errors
