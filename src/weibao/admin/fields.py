"""One JSON Schema property → one Decap CMS field, with the schema's Chinese title and description.

Selects come from `enum` and `x-vocabulary` (the terms of records/vocabularies/), relations from
`x-ref` to an offered collection, options from the records themselves for `x-ref: regions`
(regions are not edited in the browser). A reference into program records is never offered:
such a field becomes plain text and lists nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

DATE_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


@dataclass
class FieldContext:
    """What a field needs to know beyond its own schema."""

    shared: dict[str, dict]  # schema file name → schema, for $ref
    vocabularies: dict[str, list[str]]  # vocabulary id → its terms
    offered: list[str]  # collections the editor offers (relations may point here)
    ref_options: dict[str, list[dict[str, str]]]  # x-ref target not offered → select options
    summary_fields: list[str]
    multiline_over: int
    weekdays: list[str]
    collection_schemas: dict[str, dict]


def resolve(node: dict, ctx: FieldContext) -> dict:
    """node with its $ref merged in; the property's own keywords (title, description) win."""
    seen = 0
    while "$ref" in node and seen < 20:
        file, _, pointer = node["$ref"].partition("#")
        target: Any = ctx.shared[file]
        for part in [p for p in pointer.split("/") if p]:
            target = target[part]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        seen += 1
    return node


def _hint(node: dict) -> str | None:
    text = node.get("description", "")
    return text or None


def _base(name: str, node: dict, required: bool) -> dict:
    field: dict[str, Any] = {"name": name, "label": node.get("title", name)}
    hint = _hint(node)
    if hint:
        field["hint"] = hint
    field["required"] = required
    return field


def _pattern(node: dict) -> list[str] | None:
    if "pattern" not in node:
        return None
    message = node.get("x-hint") or f"格式不对：{node.get('description', '')}".rstrip("：")
    return [node["pattern"], message]


def _display_field(collection: str, ctx: FieldContext) -> str:
    props = ctx.collection_schemas.get(collection, {}).get("properties", {})
    return next((f for f in ctx.summary_fields if f in props), "id")


def _choices(node: dict, ctx: FieldContext) -> list[Any] | None:
    """The allowed values of a scalar as select options, or None if it is free text."""
    if "enum" in node:
        return list(node["enum"])
    if "const" in node:
        return [node["const"]]
    if "x-vocabulary" in node:
        return list(ctx.vocabularies.get(node["x-vocabulary"], []))
    ref = node.get("x-ref")
    if ref and ref not in ctx.offered and ref in ctx.ref_options:
        return list(ctx.ref_options[ref])
    for key in ("oneOf", "anyOf"):
        if key in node:
            options: list[Any] = []
            for branch in node[key]:
                got = _choices(resolve(branch, ctx), ctx)
                if got is None:
                    return None
                options += [o for o in got if o not in options]
            return options
    return None


def _scalar(name: str, node: dict, required: bool, ctx: FieldContext) -> dict:
    field = _base(name, node, required)
    kind = node.get("type")
    ref = node.get("x-ref")
    if ref and ref in ctx.offered:
        field.update(widget="relation", collection=ref, value_field="id",
                     search_fields=["id", _display_field(ref, ctx)],
                     display_fields=[_display_field(ref, ctx)])
        return field
    choices = _choices(node, ctx)
    if choices is not None and kind != "boolean":
        field.update(widget="select", options=choices)
        return field
    if kind == "boolean":
        field["widget"] = "boolean"
    elif kind in ("integer", "number"):
        field.update(widget="number", value_type="int" if kind == "integer" else "float")
        if "minimum" in node:
            field["min"] = node["minimum"]
        if "maximum" in node:
            field["max"] = node["maximum"]
    elif node.get("format") == "date" or node.get("pattern") == DATE_PATTERN:
        # a date picker that stores the plain YYYY-MM-DD text the schema asks for
        # (no picker_utc: a date has no time zone, and the "UTC" label would only confuse)
        field.update(widget="datetime", format="YYYY-MM-DD", date_format="YYYY-MM-DD",
                     time_format=False)
    elif node.get("contentMediaType") == "text/markdown":
        # raw Markdown only: the rich-text mode re-serialises the text (tables, numbering) and
        # would silently rewrite a policy that staff did not touch
        field.update(widget="markdown", modes=["raw"], sanitize_preview=True, editor_components=[])
    else:
        long = node.get("maxLength", 0) > ctx.multiline_over
        field["widget"] = "text" if long else "string"
        pattern = _pattern(node)
        if pattern:
            field["pattern"] = pattern
    return field


def _list(name: str, node: dict, required: bool, ctx: FieldContext) -> dict:
    items = resolve(node.get("items", {}), ctx)
    field = _base(name, node, required)
    if "minItems" in node and node["minItems"] > 0:
        field["min"] = node["minItems"]
    if "maxItems" in node:
        field["max"] = node["maxItems"]
    ref = items.get("x-ref")
    choices = None if (ref and ref in ctx.offered) else _choices(items, ctx)
    if ref and ref in ctx.offered:
        inner = _scalar(name, items, True, ctx)
        for key in ("widget", "collection", "value_field", "search_fields", "display_fields"):
            field[key] = inner[key]
        field["multiple"] = True
    elif choices is not None:
        field.update(widget="select", multiple=True, options=choices)
    elif items.get("type") == "integer" and items.get("minimum") == 1 and items.get("maximum") == 7:
        # days of the week: labelled 周一…周日, stored as the numbers 1…7 the schema asks for
        field.update(widget="select", multiple=True,
                     options=[{"label": d, "value": i} for i, d in enumerate(ctx.weekdays, 1)])
    elif items.get("type") == "object":
        field.update(widget="list", collapsed=False, fields=object_fields(items, ctx))
        summary = next((f for f in ("number", "label", "open") if f in items.get("properties", {})), None)
        if summary:
            field["summary"] = "{{fields." + summary + "}}"
    else:
        field.update(widget="list", field=_scalar(name, items, True, ctx))
    return field


def to_field(name: str, node: dict, required: bool, ctx: FieldContext) -> dict:
    node = resolve(node, ctx)
    if node.get("type") == "array":
        return _list(name, node, required, ctx)
    if node.get("type") == "object":
        field = _base(name, node, required)
        # Decap checks a required child even when the optional object around it is left empty,
        # so inside an optional object nothing is required in the form (the validator still
        # requires the children once the object is written)
        field.update(widget="object", collapsed=False,
                     fields=object_fields(node, ctx, inside_optional=not required))
        return field
    return _scalar(name, node, required, ctx)


def object_fields(schema: dict, ctx: FieldContext, *, inside_optional: bool = False) -> list[dict]:
    """Fields of an object schema in the schema's own order (staff see the order they know)."""
    required = set() if inside_optional else set(schema.get("required", []))
    return [to_field(name, prop, name in required, ctx)
            for name, prop in schema.get("properties", {}).items()]
