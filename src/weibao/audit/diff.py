"""Field-level differences between two versions of a record, with paths like phones[0].number."""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass

from weibao.load.lines import format_path

_LOOKS_TYPED = re.compile(
    r"[-+]?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?\Z|true\Z|false\Z|null\Z|~?\Z|\s.*|.*\s\Z"
)

# a text longer than this (or with a line break) is summarised, not printed in full
LONG_TEXT = 80


@dataclass(frozen=True)
class Difference:
    op: str  # "added", "removed", "changed"
    path: str  # "phones[0].number"
    old: object = None
    new: object = None
    summary: str | None = None  # set for long texts instead of printing them

    @property
    def field(self) -> str:
        """The top-level field the difference is in."""
        return self.path.split(".", 1)[0].split("[", 1)[0]

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"op": self.op, "path": self.path}
        if self.summary:
            out["summary"] = self.summary
        else:
            if self.op != "added":
                out["old"] = self.old
            if self.op != "removed":
                out["new"] = self.new
        return out


def _key(value: object) -> str:
    # 1 == True == 1.0 in Python; in a record they are different values
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def same(a: object, b: object) -> bool:
    """a and b are the same record value: what _key(a) == _key(b) says, without serialising
    both whole records at every level of the comparison (it was a third of the audit's time)."""
    if type(a) is not type(b):  # 1, True and 1.0 differ in a record
        return False
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(v, b[k]) for k, v in a.items())
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, float):
        return repr(a) == repr(b)  # as JSON writes them: nan is nan, -0.0 is not 0.0
    return a == b


def is_long(value: object) -> bool:
    return isinstance(value, str) and ("\n" in value.rstrip("\n") or len(value) > LONG_TEXT)


def line_counts(old: str, new: str) -> tuple[int, int]:
    """Lines added and removed between two texts."""
    a, b = old.splitlines(), new.splitlines()
    added = removed = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag in ("replace", "delete"):
            removed += i2 - i1
        if tag in ("replace", "insert"):
            added += j2 - j1
    return added, removed


def _difference(op: str, path: tuple, old: object = None, new: object = None) -> Difference:
    where = format_path(path)
    if (
        op == "changed"
        and (is_long(old) or is_long(new))
        and isinstance(old, str)
        and isinstance(new, str)
    ):
        added, removed = line_counts(old, new)
        return Difference(op, where, summary=f"正文已修改（+{added}/−{removed} 行）")
    value = new if op == "added" else old
    if is_long(value):
        text = str(value)
        chars = len("".join(text.split()))  # characters a reader sees, not line breaks
        return Difference(op, where, summary=f"{len(text.splitlines())} 行文字，{chars} 字")
    return Difference(op, where, old, new)


def diff(old: object, new: object, path: tuple = ()) -> list[Difference]:
    """Every difference from old to new; lists are aligned so an insertion is one difference."""
    if isinstance(old, dict) and isinstance(new, dict):  # equal fields add nothing below
        out: list[Difference] = []
        for k in old:
            if k in new:
                out += diff(old[k], new[k], (*path, k))
            else:
                out.append(_difference("removed", (*path, k), old=old[k]))
        out += [_difference("added", (*path, k), new=new[k]) for k in new if k not in old]
        return out
    if same(old, new):
        return []
    if isinstance(old, list) and isinstance(new, list):
        return _diff_lists(old, new, path)
    return [_difference("changed", path, old, new)]


def _diff_lists(old: list, new: list, path: tuple) -> list[Difference]:
    out: list[Difference] = []
    matcher = difflib.SequenceMatcher(
        None, [_key(v) for v in old], [_key(v) for v in new], autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        paired = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for k in range(paired):  # same position, changed in place: say what changed inside
            out += diff(old[i1 + k], new[j1 + k], (*path, j1 + k))
        out += [_difference("removed", (*path, i), old=old[i]) for i in range(i1 + paired, i2)]
        out += [_difference("added", (*path, j), new=new[j]) for j in range(j1 + paired, j2)]
    return out


def show(value: object) -> str:
    """A value as staff would write it: text as is, lists and mappings in YAML flow style."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        # "370682" and 370682 are different values: quote text that would read as a number
        return json.dumps(value, ensure_ascii=False) if _LOOKS_TYPED.match(value) else value
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def describe(d: Difference) -> str:
    """One difference in words: 修改 phones[0].number：0535-1 → 0535-2."""
    where = d.path or "（整条记录）"
    if d.op == "changed":
        return (
            f"修改 {where}：{d.summary}"
            if d.summary
            else f"修改 {where}：{show(d.old)} → {show(d.new)}"
        )
    verb = "新增" if d.op == "added" else "删除"
    value = f"（{d.summary}）" if d.summary else show(d.new if d.op == "added" else d.old)
    return f"{verb} {where}：{value}"
