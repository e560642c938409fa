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
