"""The schemas document themselves in Chinese and are valid JSON Schema 2020-12."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

SCHEMAS = sorted((Path(__file__).resolve().parent.parent / "schemas").glob("*.schema.json"))
HAN = re.compile(r"[\u4e00-\u9fff]")
# subschemas that state conditions about properties rather than define them
CONDITIONS = ("if", "not")


def _properties(node: object, path: str = ""):
    if isinstance(node, dict):
        for name, sub in (node.get("properties") or {}).items():
            yield f"{path}.{name}".lstrip("."), sub
        for key, value in node.items():
            if key not in CONDITIONS:
                yield from _properties(value, path if key == "properties" else f"{path}.{key}")
    elif isinstance(node, list):
        for item in node:
            yield from _properties(item, path)


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_schema_is_valid_draft_2020_12(path: Path) -> None:
    """Each schema passes the 2020-12 meta-schema."""
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_every_property_has_chinese_title_and_description(path: Path) -> None:
    """Staff read field help in Chinese: every property has a Chinese title and description."""
    schema = json.loads(path.read_text(encoding="utf-8"))
    missing = [
        name
        for name, sub in _properties(schema)
        if not (HAN.search(sub.get("title", "")) and HAN.search(sub.get("description", "")))
    ]
    assert missing == []


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_objects_refuse_unknown_keys(path: Path) -> None:
    """Every object schema sets additionalProperties: false, so a misspelt key is an error."""
    schema = json.loads(path.read_text(encoding="utf-8"))
    open_objects = []

    def walk(node: object, where: str) -> None:
        if isinstance(node, dict):
            if "properties" in node and node.get("additionalProperties") is not False:
                open_objects.append(where)
            for k, v in node.items():
                if k not in CONDITIONS:
                    walk(v, f"{where}/{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{where}/{i}")

    walk(schema, "")
    assert open_objects == []
