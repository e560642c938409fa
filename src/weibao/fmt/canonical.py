"""The canonical form of a record file, and a fast emitter for records without comments.

Rules (docs: README "记录文件的统一格式"):
- keys in the order of the schema's properties (nested too); keys the schema does not know last,
  in their original order;
- a string is written plain unless plain would be read back as something else by the strict
  loader, or it looks like a number, code, date or time ("370682", "2024-05", "08:30", "6-11"):
  those are double-quoted, so no YAML tool anywhere turns them into numbers or dates;
- multi-line strings are literal blocks (`|`);
- lists of plain values are one flow line `[a, b]` when it fits in WIDTH columns;
- lists of mappings are block lists (`  - `); an item whose values are all plain is one flow line
  `- {month: "2025-11", level: 蓝}` when it fits; other mappings are block mappings;
- two spaces of indentation, list dashes indented under their key; one newline at the end.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache

from weibao.check.annotations import _resolve
from weibao.load.yaml_strict import parse

WIDTH = 100
INDENT = 2
# digits with the punctuation of codes, dates, times, ranges and phone numbers
_NUMERIC_LOOKING = re.compile(r"[-+.]?[0-9][0-9_:./+\-]*\Z")
# plain for certain, no parse needed (the common case at import speed): a letter then letters,
# digits, _ or -, with a digit or - somewhere (so not a YAML word like yes/null), or any run of
# CJK text with letters and digits (never a YAML number, boolean or null)
_SAFE_WORD = re.compile(
    r"(?:[A-Za-z](?=[A-Za-z0-9_]*[0-9-])[A-Za-z0-9_-]*"
    r"|(?=.*[\u4e00-\u9fff])[\u4e00-\u9fff\uff08\uff09A-Za-z0-9_-]+)\Z"
)


class Schemas:
    """Follows $refs to find the schema node of any key path (for the key order)."""

    def __init__(self, shared: dict[str, dict]) -> None:
        self.shared = shared

    def resolve(self, node: object, doc: dict) -> tuple[dict, dict]:
        if not isinstance(node, dict):
            return {}, doc
        return _resolve(node, self.shared, doc)

    def prop(self, node: dict, doc: dict, key: str) -> tuple[dict, dict]:
        props = node.get("properties")
        if isinstance(props, dict) and key in props:
            return self.resolve(props[key], doc)
        return {}, doc

    def items(self, node: dict, doc: dict) -> tuple[dict, dict]:
        return self.resolve(node.get("items"), doc)


def key_order(node: dict, keys: list[str]) -> list[str]:
    """Schema order first, then unknown keys as they were."""
    props = node.get("properties")
    known = list(props) if isinstance(props, dict) else []
    present = set(keys)
    return [k for k in known if k in present] + [k for k in keys if k not in set(known)]


def display_width(text: str) -> int:
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


@lru_cache(maxsize=65536)
def plain_ok(value: str) -> bool:
    """True when `value` can be written without quotes, in block and in flow context alike."""
    if not value or value != value.strip() or "\n" in value or "\r" in value:
        return False
    if _NUMERIC_LOOKING.match(value):
        return False
    if value[0] in "-?:,[]{}#&*!|>'\"%@`" or any(c in value for c in ",[]{}\t\\"):
        return False
    if not value.isprintable():
        return False
    return bool(_SAFE_WORD.match(value)) or plain_by_parse(value)


def plain_by_parse(value: str) -> bool:
    """The reference answer: the strict loader reads `value` back unchanged in every context."""
    for text in (f"k: {value}\n", f"k: [{value}]\n", f"k: {{a: {value}}}\n"):
        try:
            got, problems = parse(text)
        except Exception:  # any parser complaint means: quote it
            return False
        if problems or not isinstance(got, dict):
            return False
        inner = got.get("k")
        if isinstance(inner, list):
            inner = inner[0] if len(inner) == 1 else None
        elif isinstance(inner, dict):
            inner = inner.get("a")
        if inner != value or not isinstance(inner, str):
            return False
    return True


def quoted(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def scalar(value: object) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    assert isinstance(value, str)
    return value if plain_ok(value) else quoted(value)


def is_block_string(value: object) -> bool:
    return isinstance(value, str) and "\n" in value


def literal_ok(value: str) -> bool:
    """A multi-line string a literal block (`|`) carries exactly; others are double-quoted."""
    if "\n" not in value or value.startswith("\n") or not value.strip():
        return False
    for line in value.split("\n"):
        if line and (not line.strip() or line[0] == "\t"):
            return False  # whitespace-only or tab-indented lines do not survive a block
        if not all(c.isprintable() or c == "\t" for c in line):
            return False
    return True


def _is_plain(value: object) -> bool:
    return not isinstance(value, dict | list) and not is_block_string(value)


def flow_list(values: list) -> str:
    return "[" + ", ".join(scalar(v) for v in values) + "]"


def flow_map(value: dict, keys: list[str]) -> str:
    return "{" + ", ".join(f"{k}: {scalar(value[k])}" for k in keys) + "}"


def fits(prefix_width: int, text: str) -> bool:
    return prefix_width + display_width(text) <= WIDTH


def _literal(value: str, indent: int) -> list[str]:
    """A literal block; chomping says how many newlines end the value."""
    stripped = value.rstrip("\n")
    trailing = len(value) - len(stripped)
    chomp = "-" if trailing == 0 else ("" if trailing == 1 else "+")
    lead = str(INDENT) if stripped[:1] in (" ", "\t") or stripped.startswith("\n") else ""
    pad = " " * indent
    lines = [pad + line if line else "" for line in stripped.split("\n")]
    lines += [""] * (trailing - 1 if trailing > 1 else 0)
    return [f"|{lead}{chomp}", *lines]


class Emitter:
    """Renders plain values (dicts, lists, scalars) in the canonical form."""

    def __init__(self, schemas: Schemas) -> None:
        self.schemas = schemas

    def render(self, record: dict, schema: dict) -> str:
        lines: list[str] = []
        self._mapping(record, schema, schema, 0, lines)
        return "\n".join(lines) + "\n"

    def _value_lines(self, head: str, value: object, node: dict, doc: dict, indent: int, lines: list[str]) -> None:
        """`head` is `key:` (or `- key:`) at `indent`; value follows on the line or below it."""
        pad = " " * indent
        if isinstance(value, dict):
            if not value:
                lines.append(f"{pad}{head} {{}}")
                return
            lines.append(f"{pad}{head}")
            self._mapping(value, node, doc, indent + INDENT, lines)
        elif isinstance(value, list):
            self._list(head, value, node, doc, indent, lines)
        elif isinstance(value, str) and literal_ok(value):
            first, *rest = _literal(str(value), indent + INDENT)
            lines.append(f"{pad}{head} {first}")
            lines.extend(rest)
        else:
            lines.append(f"{pad}{head} {scalar(value)}")

    def _mapping(self, value: dict, node: dict, doc: dict, indent: int, lines: list[str]) -> None:
        for key in key_order(node, list(value)):
            sub, sub_doc = self.schemas.prop(node, doc, key)
            self._value_lines(f"{key}:", value[key], sub, sub_doc, indent, lines)

    def _list(self, head: str, value: list, node: dict, doc: dict, indent: int, lines: list[str]) -> None:
        pad = " " * indent
        if not value:
            lines.append(f"{pad}{head} []")
            return
        if all(_is_plain(v) for v in value):
            flow = flow_list(value)
            if fits(indent + display_width(head) + 1, flow):
                lines.append(f"{pad}{head} {flow}")
                return
        lines.append(f"{pad}{head}")
        item, item_doc = self.schemas.items(node, doc)
        dash = " " * (indent + INDENT) + "- "
        for v in value:
            if isinstance(v, dict) and v:
                keys = key_order(item, list(v))
                if all(_is_plain(x) for x in v.values()):
                    flow = flow_map(v, keys)
                    if fits(len(dash), flow):
                        lines.append(dash + flow)
                        continue
                sub_lines: list[str] = []
                self._mapping(v, item, item_doc, indent + 2 * INDENT, sub_lines)
                sub_lines[0] = dash + sub_lines[0].lstrip(" ")
                lines.extend(sub_lines)
            elif isinstance(v, list | dict) or is_block_string(v):
                sub_lines = []
                self._value_lines("-", v, item, item_doc, indent + INDENT, sub_lines)
                lines.extend(sub_lines)
            else:
                lines.append(dash + scalar(v))
