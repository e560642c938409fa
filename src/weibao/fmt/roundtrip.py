"""Canonical form for an existing file, comments kept: ruamel.yaml round-trip with our rules.

Every result is verified before it is returned: the strict loader must read exactly the same
value from the new text as from the old, and every comment must still be there. A file the
strict loader cannot read is not touched (its errors are for `weibao validate` to explain).
"""

from __future__ import annotations

import io
from collections import Counter

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

from weibao.fmt.canonical import (
    INDENT,
    Emitter,
    Schemas,
    display_width,
    fits,
    flow_list,
    flow_map,
    key_order,
    literal_ok,
    plain_ok,
)
from weibao.load import load_text

BOM = "\ufeff"


class FormatError(Exception):
    """The file cannot be formatted safely."""


class NotLoadable(FormatError):
    """The strict loader refuses the file: a data error, `weibao validate` explains it."""


class Unsafe(FormatError):
    """Formatting would change a value or lose a comment: a bug in weibao, nothing is written."""


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.indent(mapping=INDENT, sequence=2 * INDENT, offset=INDENT)
    y.width = 1 << 16  # never fold a long line: folding is a change the author did not make
    y.allow_unicode = True
    y.preserve_quotes = False
    return y


def _has_comments(node: object) -> bool:
    ca = getattr(node, "ca", None)
    if ca is not None and (ca.items or ca.comment or getattr(ca, "end", None)):
        return True
    if isinstance(node, dict):
        return any(_has_comments(v) for v in node.values())
    if isinstance(node, list):
        return any(_has_comments(v) for v in node)
    return False


def _plain_value(v: object) -> bool:
    return not isinstance(v, dict | list) and not (isinstance(v, str) and "\n" in v)


def _string(value: str) -> str:
    if literal_ok(value):
        return LiteralScalarString(value)
    return str(value) if plain_ok(value) else DoubleQuotedScalarString(value)


def _restyle(
    node: object, value: object, schema: dict, doc: dict, schemas: Schemas, col: int, key_width: int
) -> object:
    """node (ruamel's reading) restyled; scalars are replaced by the strict loader's value, which
    is the truth (ruamel reads 2024-05-01 as a date, the strict loader as text).
    col is the column of the key that holds node (of the mapping's keys at the top)."""
    if isinstance(node, CommentedMap) and isinstance(value, dict):
        keys = key_order(schema, list(node))
        for key in keys:
            node.move_to_end(key)
        for key in keys:
            sub, sub_doc = schemas.prop(schema, doc, key)
            inner = col if key_width < 0 else col + INDENT
            node[key] = _restyle(
                node[key], value.get(key), sub, sub_doc, schemas, inner, display_width(key)
            )
        node.fa.set_block_style()
        return node
    if isinstance(node, CommentedSeq) and isinstance(value, list) and len(value) == len(node):
        item, item_doc = schemas.items(schema, doc)
        for i, v in enumerate(node):
            node[i] = _restyle(v, value[i], item, item_doc, schemas, col + 2 * INDENT, -1)
        if (
            value
            and all(_plain_value(v) for v in value)
            and not _has_comments(node)
            and fits(col + key_width + 2, flow_list(value))
        ):
            node.fa.set_flow_style()
        else:
            node.fa.set_block_style()
            for v, plain in zip(node, value, strict=True):
                if (
                    isinstance(v, CommentedMap)
                    and isinstance(plain, dict)
                    and plain
                    and all(_plain_value(x) for x in plain.values())
                    and not _has_comments(v)
                    and fits(col + INDENT + 2, flow_map(plain, key_order(item, list(plain))))
                ):
                    v.fa.set_flow_style()
        return node
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, dict | list):  # pragma: no cover - ruamel and libyaml disagree on structure
        raise Unsafe("ruamel.yaml 与严格读取器对这个文件的结构理解不同，没有整理。")
    return value


def _comments(node: object, out: Counter) -> Counter:
    """Every comment's text, for checking nothing was lost."""
    ca = getattr(node, "ca", None)
    if ca is not None:
        tokens: list = []

        def collect(x: object) -> None:
            if x is None:
                return
            if isinstance(x, list):
                for y in x:
                    collect(y)
            elif hasattr(x, "value"):
                tokens.append(x.value)

        collect(ca.comment)
        for v in ca.items.values():
            collect(v)
        collect(getattr(ca, "end", None))
        for t in tokens:
            for line in str(t).splitlines():
                if line.strip():
                    out[line.strip()] += 1
    if isinstance(node, dict):
        for v in node.values():
            _comments(v, out)
    elif isinstance(node, list):
        for v in node:
            _comments(v, out)
    return out


def format_text(text: str, schema: dict, schemas: Schemas, name: str = "") -> str:
    """The canonical text of one record file. Raises FormatError rather than change a value."""
    bom = text.startswith(BOM)
    body = text[1:] if bom else text
    crlf = "\r\n" in body
    if crlf:
        body = body.replace("\r\n", "\n")
    before = load_text(name, body)
    if before.errors or before.value is None:
        first = before.errors[0] if before.errors else None
        where = f"{first.line}:{first.column}: {first.message}" if first else "不是一条记录（映射）"
        raise NotLoadable(f"不能整理：{where}（请先按 weibao validate 的提示修改）")
    header, rest = _split_header(body)
    if "#" not in rest:  # no comment below the header: the fast emitter gives the same form
        out = "".join(header) + Emitter(schemas).render(before.value, schema)
        after = load_text(name, out)
        if after.errors or after.value != before.value:  # pragma: no cover - an emitter bug
            raise Unsafe("整理后的内容与原来不同，没有写入（这是 weibao 的缺陷，请报告）。")
        return _finish(out, crlf, bom)
    y = _yaml()
    data = y.load(body)
    kept = _comments(data, Counter())
    data = _restyle(data, before.value, schema, schema, schemas, 0, -1)
    buf = io.StringIO()
    y.dump(data, buf)
    out = buf.getvalue()
    out = out.rstrip("\n") + "\n"
    after = load_text(name, out)
    if after.errors or after.value != before.value:
        raise Unsafe("整理后的内容与原来不同，没有写入（这是 weibao 的缺陷，请报告）。")
    if _comments(_yaml().load(out), Counter()) != kept:
        raise Unsafe("整理会丢失注释，没有写入（这是 weibao 的缺陷，请报告）。")
    return _finish(out, crlf, bom)


def _split_header(body: str) -> tuple[list[str], str]:
    """The comment lines before the first key (kept exactly), and the rest."""
    lines = body.splitlines(keepends=True)
    n = 0
    while n < len(lines) and lines[n].lstrip().startswith("#"):
        n += 1
    header = [line if line.endswith("\n") else line + "\n" for line in lines[:n]]
    return header, "".join(lines[n:])


def _finish(out: str, crlf: bool, bom: bool) -> str:
    if crlf:
        out = out.replace("\n", "\r\n")
    return (BOM if bom else "") + out


def width_of(text: str) -> int:  # re-exported for tests that check the line width rule
    return max((display_width(line) for line in text.splitlines()), default=0)
