"""数据字段说明: a page per schema for staff, from the schemas' Chinese titles and descriptions."""

from __future__ import annotations

from collections.abc import Iterator

from weibao.site.context import FIELDS, SiteContext, fields_page
from weibao.site.pages.common import page
from weibao.site.text import esc, rel_link

TYPES = {"string": "文字", "integer": "整数", "number": "数字", "boolean": "是/否",
         "array": "列表", "object": "分组"}


def _resolve(node: dict, shared: dict[str, dict]) -> dict:
    """Merge a $ref target under the node's own keywords (the node's title wins)."""
    ref = node.get("$ref")
    if not ref:
        return node
    file, _, pointer = ref.partition("#")
    target: dict = shared.get(file, {})
    for part in [p for p in pointer.split("/") if p]:
        target = target.get(part, {})
    return {**_resolve(target, shared), **{k: v for k, v in node.items() if k != "$ref"}}


def _fields(node: dict, shared: dict[str, dict], prefix: str = "") -> Iterator[tuple[str, dict, bool]]:
    required = set(node.get("required") or [])
    for name, sub in (node.get("properties") or {}).items():
        sub = _resolve(sub, shared)
        path = f"{prefix}{name}"
        yield path, sub, name in required
        if sub.get("type") == "object":
            yield from _fields(sub, shared, path + ".")
        items = _resolve(sub.get("items") or {}, shared) if sub.get("type") == "array" else {}
        if items.get("type") == "object":
            yield from _fields(items, shared, path + "[].")


def _type(sub: dict) -> str:
    t = sub.get("type")
    words = TYPES.get(t, "见说明") if isinstance(t, str) else "见说明"
    if sub.get("enum"):
        words += "：" + "、".join(str(v) for v in sub["enum"])
    if sub.get("x-vocabulary"):
        words += f"（词表 {sub['x-vocabulary']}）"
    if sub.get("x-ref"):
        words += f"（引用 {sub['x-ref']} 的编号）"
    return words


def schema_page(ctx: SiteContext, collection: str, schema: dict) -> str:
    rows = "".join(
        f"<tr><td><code>{esc(path)}</code></td><td>{esc(sub.get('title', ''))}</td>"
        f"<td>{'必填' if req else '选填'}</td><td>{esc(_type(sub))}</td>"
        f"<td>{esc(sub.get('description', ''))}</td></tr>"
        for path, sub, req in _fields(schema, ctx.repo.shared_schemas)
    )
    kind = "关于儿童的工作记录：只在内部数据仓中，不在公开网站上发布。" if schema.get("x-program-record") else ""
    body = (
        f'<p class="wb-back"><a href="{esc(rel_link(fields_page(collection), FIELDS))}">← 全部集合</a></p>'
        f"<p>{esc(schema.get('description', ''))}</p>"
        f"<p>文件位置：<code>records/{esc(collection)}/&lt;编号&gt;.yaml</code>。{esc(kind)}</p>"
        '<div class="wb-table-wrap"><table><thead><tr><th scope="col">字段</th><th scope="col">名称</th>'
        '<th scope="col">必填</th><th scope="col">取值</th><th scope="col">说明</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></div>"
    )
    return page(f"数据字段说明：{schema.get('title', collection)}", body, boost=0.3)


def generate(ctx: SiteContext) -> dict[str, str]:
    schemas = ctx.repo.schemas
    items = "".join(
        f'<li><a href="{esc(rel_link(FIELDS, fields_page(c)))}">{esc(s.get("title", c))}</a>'
        f"（<code>{esc(c)}</code>）：{esc(s.get('description', ''))}</li>"
        for c, s in schemas.items()
    )
    out = {FIELDS: page("数据字段说明", "<p>给工作人员：每类记录有哪些字段、怎样填写。"
                        "内容由数据仓的 schema 自动生成。</p>"
                        f"<ul>{items}</ul>")}
    for c, s in schemas.items():
        out[fields_page(c)] = schema_page(ctx, c, s)
    return out
