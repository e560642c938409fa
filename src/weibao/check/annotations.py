"""Reads the x- annotations of the schemas once: which fields are references, vocabulary terms,
dates with order rules, or public contact fields. The rules live in the schemas (data), not code."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

Path = tuple[str, ...]  # "*" stands for every item of an array

KEYS = ("x-ref", "x-vocabulary", "x-not-before", "x-not-future", "x-contact")


@dataclass(frozen=True)
class Annotated:
    path: Path
    key: str
    value: object
    # constants a sibling oneOf/anyOf branch accepts (scope: "全国"): the note does not apply to them
    unless: frozenset = frozenset()


def _resolve(node: dict, shared: dict[str, dict], here: dict) -> tuple[dict, dict]:
    ref = node.get("$ref")
    if not ref:
        return node, here
    file, _, pointer = ref.partition("#")
    doc = shared[file] if file else here
    target = doc
    for part in pointer.strip("/").split("/"):
        if part:
            target = target[part]
    merged = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return merged, doc


def annotated_locations(schema: dict, shared: dict[str, dict]) -> list[Annotated]:
    """Every annotated location in a collection schema, with $refs followed."""
    out: list[Annotated] = []

    def walk(node: dict, path: Path, doc: dict, unless: frozenset = frozenset()) -> None:
        node, doc = _resolve(node, shared, doc)
        for key in KEYS:
            if key in node:
                out.append(Annotated(path, key, node[key], unless))
        for name, sub in node.get("properties", {}).items():
            walk(sub, (*path, name), doc)
        if isinstance(node.get("items"), dict):
            walk(node["items"], (*path, "*"), doc)
        alts = node.get("oneOf", []) + node.get("anyOf", [])
        consts = frozenset(a["const"] for a in alts if isinstance(a, dict) and isinstance(a.get("const"), str))
        for alt in alts:
            if "$ref" in alt:
                walk(alt, path, doc, unless | consts)

    walk(schema, (), schema)
    return out


def values_at(record: object, path: Path, prefix: tuple = ()) -> Iterator[tuple[tuple, object]]:
    """(concrete path, value) for every value at a path pattern in a record."""
    if not path:
        yield prefix, record
        return
    head, rest = path[0], path[1:]
    if head == "*":
        if isinstance(record, list):
            for i, item in enumerate(record):
                yield from values_at(item, rest, (*prefix, i))
    elif isinstance(record, dict) and head in record:
        yield from values_at(record[head], rest, (*prefix, head))
