"""JSON Schema check: a compiled fast validator for every record, rich Chinese messages for failures.

jsonschema-rs answers "valid?" for every record (the hot path at 100,000 records); only the records
that fail go through the Python `jsonschema` library, whose errors carry the keyword, the schema
and the path we need to write a message a staff member can act on.
"""

from __future__ import annotations

import difflib
from typing import Any

import jsonschema
import jsonschema_rs
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource

from weibao.check.conceal import conceal, conceal_key
from weibao.load.lines import format_path, locate
from weibao.policy.cndate import iso_date_guess
from weibao.result import Error

_TYPE_NAMES = {
    "string": "文字",
    "integer": "整数",
    "number": "数字",
    "boolean": "true 或 false",
    "array": "列表（每项以“- ”开头）",
    "object": "“字段: 值”的映射",
    "null": "空值",
}


def _type_of(value: object) -> str:
    if value is None:
        return "空值"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "整数"
    if isinstance(value, float):
        return "数字"
    if isinstance(value, str):
        return "文字"
    if isinstance(value, list):
        return "列表"
    return "映射"


def _show(value: object, limit: int = 40) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class SchemaChecker:
    """Validators for every collection, compiled once per process."""

    def __init__(self, schemas: dict[str, dict], shared: dict[str, dict]) -> None:
        base = "https://weibao.invalid/schemas/"
        resources = [(base + name, Resource.from_contents(s)) for name, s in shared.items()]
        registry = Registry().with_resources(resources)
        rs_registry = jsonschema_rs.Registry([(base + name, s) for name, s in shared.items()])
        self._fast = {
            name: jsonschema_rs.validator_for(schema, registry=rs_registry, validate_formats=True)
            for name, schema in schemas.items()
        }
        self._schemas = schemas
        self._registry = registry
        self._slow: dict[str, jsonschema.protocols.Validator] = {}

    def _slow_validator(self, collection: str) -> jsonschema.protocols.Validator:
        if collection not in self._slow:
            cls = jsonschema.validators.validator_for(self._schemas[collection])
            self._slow[collection] = cls(
                self._schemas[collection],
                registry=self._registry,
                format_checker=cls.FORMAT_CHECKER,
            )
        return self._slow[collection]

    def check(
        self, collection: str, record: dict, rel: str, text: str, secret: bool = False
    ) -> list[Error]:
        """Errors of one record; secret=True conceals echoed values (program records)."""
        if self._fast[collection].is_valid(record):
            return []
        errors = []
        validator = self._slow_validator(collection)
        for err in validator.iter_errors(record):
            errors.extend(self._errors_for(err, rel, text, secret))
        if not errors:  # the two libraries disagree: report, never pass silently
            errors.append(Error(rel, 1, 1, "", "schema", "记录不符合格式要求（校验库之间不一致，请报告此问题）。"))
        # `format: date` and its `pattern` say the same thing about the same value: say it once
        unique: dict[tuple[str, str], Error] = {}
        for e in errors:
            unique.setdefault((e.path, e.message), e)
        return list(unique.values())

    def _errors_for(
        self, err: ValidationError, rel: str, text: str, secret: bool
    ) -> list[Error]:
        path = list(err.absolute_path)
        schema: dict[str, Any] = err.schema if isinstance(err.schema, dict) else {}
        kw = err.validator
        if kw == "additionalProperties":
            allowed = list(schema.get("properties", {}))
            out = []
            for key in sorted(set(err.instance) - set(allowed)):
                line, col = locate(text, [*path, key], key=True)
                close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
                hint = f"您是不是要写“{close[0]}”？" if close else f"允许的字段有：{'、'.join(allowed)}。"
                shown = conceal_key(key) if secret else key
                out.append(
                    Error(rel, line, col, format_path([*path, shown]), "schema-unknown-key",
                          f"不认识的字段“{shown}”：{hint}")
                )
            return out
        if kw == "required":
            missing = [m for m in err.validator_value if m not in err.instance]
            out = []
            line, col = locate(text, path)
            for name in missing:
                prop = schema.get("properties", {}).get(name, {})
                title = prop.get("title", "")
                desc = prop.get("description", "")
                out.append(
                    Error(rel, line, col, format_path([*path, name]), "schema-required",
                          f"缺少必填字段“{name}”（{title}）：{desc}")
                )
            return out
        line, col = locate(text, path)
        where = format_path(path)
        return [Error(rel, line, col, where, f"schema-{kw}", self._message(err, schema, secret))]

    @staticmethod
    def _message(err: ValidationError, schema: dict[str, Any], secret: bool) -> str:
        kw, expected = err.validator, err.validator_value
        raw = err.instance  # its type is named from this, before anything is concealed
        value = conceal(raw) if secret and not isinstance(raw, dict | list) else raw
        title = schema.get("title", "")
        hint = schema.get("x-hint") or schema.get("description", "")
        label = f"（{title}）" if title else ""
        if "x-message" in schema:
            return str(schema["x-message"])
        if kw == "type":
            want = _TYPE_NAMES.get(expected, str(expected))
            extra = ""
            if expected == "string" and isinstance(raw, int | float) and not isinstance(raw, bool):
                extra = ("数字形式的号码、代码请把原来的数字写在半角引号中。" if secret
                         else f'数字形式的号码、代码请加引号，如 "{value}"。')
            return f"{label}应为{want}，这里是{_type_of(raw)} {_show(value)}。{extra or hint}"
        if kw in ("pattern", "format"):
            guess = iso_date_guess(raw) if not secret else None
            better = f"这里应写成 {guess}。" if guess else ""
            return f"“{_show(value)}”格式不对{label}：{hint}{better}"
        if kw == "enum":
            options = "、".join(str(o) for o in expected)
            close = difflib.get_close_matches(str(value), [str(o) for o in expected], n=1, cutoff=0.3)
            guess = f"您是不是要写“{close[0]}”？" if close else ""
            return f"“{_show(value)}”不是允许的值{label}：只能是 {options}。{guess}"
        if kw == "const":
            return f"{label}只能是 {expected!r}：{hint}".replace("True", "true")
        if kw in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            word = "不能小于" if "inimum" in kw else "不能大于"
            return f"{_show(value)} {word} {expected}{label}。"
        if kw == "minLength":
            return f"{label}太短：至少 {expected} 个字符。{hint}"
        if kw == "maxLength":
            return f"{label}太长：最多 {expected} 个字符（现有 {len(value)} 个）。"
        if kw == "minItems":
            return f"{label}至少要写 {expected} 项。{hint}"
        if kw == "maxItems":
            return f"{label}最多写 {expected} 项。"
        if kw == "uniqueItems":
            return f"{label}列表中有重复的项：请删除重复。"
        if kw == "anyOf" and "required" in str(expected):
            fields = "、".join(s["required"][0] for s in expected if "required" in s)
            return f"{label}至少要写 {fields} 之一。"
        if kw in ("oneOf", "anyOf"):
            return f"“{_show(value)}”不符合{label}的要求：{hint}"
        if kw == "not":
            return f"{label}这里不应写这个字段。{hint}"
        return f"{label}不符合格式要求（{err.message}）。"
