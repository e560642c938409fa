"""Map a path inside a record (["phones", 1]) back to a line and column of the file.

Only files that failed a check are composed again for this: the fast path keeps no marks.
"""

from __future__ import annotations

from collections.abc import Sequence

import yaml

from weibao.load.yaml_strict import compose


def locate(text: str, path: Sequence[str | int], key: bool = False) -> tuple[int, int]:
    """Line and column (1-based) of the node at path; the key's position when key=True.

    Falls back to the deepest node that exists, so a missing field points at its parent.
    """
    try:
        node = compose(text)
    except yaml.YAMLError:
        return 0, 0
    if node is None:
        return 1, 1
    mark = node.start_mark
    for step in path:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == step:
                    mark = k.start_mark if key and step == path[-1] else v.start_mark
                    node = v
                    break
            else:
                break
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
            mark = node.start_mark
        else:
            break
    return mark.line + 1, mark.column + 1


def format_path(path: Sequence[str | int]) -> str:
    """`["phones", 1, "number"]` → `phones[1].number`."""
    out = ""
    for step in path:
        if isinstance(step, int):
            out += f"[{step}]"
        else:
            out += f".{step}" if out else str(step)
    return out


def _node_at(text: str, path: Sequence[str | int]) -> yaml.Node | None:
    try:
        node = compose(text)
    except yaml.YAMLError:
        return None
    for step in path:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == step), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
        else:
            return None
    return node


def _offset(lines: list[str], line0: int, column0: int) -> int:
    return sum(len(s) + 1 for s in lines[:line0]) + column0


def locate_in_value(text: str, path: Sequence[str | int], value: str, start: int) -> tuple[int, int]:
    """Line and column (1-based, in characters) in the file of value[start], whatever the style
    of the scalar: plain, quoted, or a `|` / `>` block spanning many lines.

    The text from start to the next whitespace is looked up in the scalar's own source (the
    same occurrence as in the value); folded or escaped text that cannot be found falls back to
    the start of the value.
    """
    node = _node_at(text, path)
    if not isinstance(node, yaml.ScalarNode):
        return locate(text, path)
    lines = text.split("\n")
    begin = _offset(lines, node.start_mark.line, node.start_mark.column)
    end = _offset(lines, node.end_mark.line, node.end_mark.column)
    source = text[begin:end]
    word = value[start:].split(maxsplit=1)[0] if value[start:].strip() else ""
    at = -1
    if word and not value[start].isspace():
        at = source.find(word)
        for _ in range(value.count(word, 0, start)):
            at = source.find(word, at + 1) if at >= 0 else -1
    if at < 0:
        return node.start_mark.line + 1, node.start_mark.column + 1
    offset = begin + at
    line = text.count("\n", 0, offset)
    return line + 1, offset - _offset(lines, line, 0) + 1
