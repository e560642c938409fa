"""Checks of statistics/tables.yaml that its JSON Schema cannot express: names that must refer to
something (groups, dimensions, collections, record fields, vocabularies), `of` chains without
cycles, unique ids, thresholds no looser than weibao.yaml's.

Works on a document whose shape may still be wrong (the schema check reports that): anything of
an unexpected type is skipped here, never guessed at.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from weibao.load.lines import format_path, locate
from weibao.result import Error
from weibao.stats.rules import Rules

NUMBERS = ("integer", "number")


class Findings:
    """Located errors of one tables.yaml."""

    def __init__(self, rel: str, text: str) -> None:
        self.rel, self.text = rel, text
        self.errors: list[Error] = []
        self.said: set[tuple] = set()  # a dimension's field, checked by every table that uses it

    def add(self, path: list[str | int], rule: str, message: str, key: bool = False) -> None:
        line, col = locate(self.text, path, key=key)
        self.errors.append(Error(self.rel, line, col, format_path(path), rule, message))


def _guess(word: str, options: Iterable[str], what: str) -> str:
    options = sorted(options)
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if close:
        return f"您是不是要写“{close[0]}”？"
    return f"可用的{what}有 {'、'.join(options)}。" if options else ""


def _numeric(schema: dict) -> bool | None:
    """Whether a field holds numbers; None when its schema does not say (no `type`)."""
    kind = schema.get("type")
    if kind is None:
        return None
    kinds = kind if isinstance(kind, list) else [kind]
    return any(k in NUMBERS for k in kinds)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def check(doc: dict[str, Any], rules: Rules, rel: str, text: str) -> list[Error]:
    out = Findings(rel, text)
    settings = doc.get("settings")
    if isinstance(settings, dict):
        st = settings.get("sensitive_threshold")
        if isinstance(st, int) and not isinstance(st, bool) and st < rules.threshold:
            out.add(["settings", "sensitive_threshold"], "tables-threshold",
                    f"敏感分组的阈值 {st} 小于 weibao.yaml 中的 statistics.threshold（{rules.threshold}）："
                    f"敏感分组只能更严，请改为不小于 {rules.threshold} 的整数。")
    groups = _groups(doc.get("groups"), out)
    raw_dims = doc.get("dimensions")
    dims: dict[str, Any] = raw_dims if isinstance(raw_dims, dict) else {}
    _dimensions(dims, rules, out)
    tables = doc.get("tables")
    first: dict[str, int] = {}
    for i, t in enumerate(tables if isinstance(tables, list) else []):
        if not isinstance(t, dict):
            continue
        tid = _text(t.get("id"))
        if tid is not None and tid in first:
            line = locate(text, ["tables", first[tid], "id"])[0]
            out.add(["tables", i, "id"], "tables-duplicate-id",
                    f"表编号“{tid}”与第 {line} 行的表重复：每张表的 id 必须不同（它也是下载文件"
                    "和冻结文件的名称），请改一个。")
        elif tid is not None:
            first[tid] = i
        _table(i, t, groups, dims, rules, out)
    return out.errors


def _groups(raw: Any, out: Findings) -> set[str]:
    first: dict[str, int] = {}
    for i, g in enumerate(raw if isinstance(raw, list) else []):
        gid = _text(g.get("id")) if isinstance(g, dict) else None
        if gid is not None and gid in first:
            line = locate(out.text, ["groups", first[gid], "id"])[0]
            out.add(["groups", i, "id"], "tables-duplicate-id",
                    f"分组编号“{gid}”与第 {line} 行的分组重复：请改一个，或把两组合并。")
        elif gid is not None:
            first[gid] = i
    return set(first)


def _dimensions(dims: dict[str, Any], rules: Rules, out: Findings) -> None:
    for name, d in dims.items():
        if not isinstance(d, dict):
            continue
        where: list[str | int] = ["dimensions", name]
        if bool(d.get("field")) == bool(d.get("of")):
            out.add(where, "tables-field-or-of",
                    "field 和 of 必须写且只写一个：field 写记录中的字段，of 写由哪个维度归并。")
        if d.get("of") is None and (d.get("map") is not None or d.get("other") is not None):
            out.add(where, "tables-map-without-of",
                    "map 和 other 只用于由另一个维度归并（of）的维度：请加上 of，或删除 map 和 other。")
        vocab = _text(d.get("vocabulary"))
        if vocab and rules.vocabularies is not None and vocab not in rules.vocabularies:
            out.add([*where, "vocabulary"], "tables-unknown-vocabulary",
                    f"没有编号为“{vocab}”的词表（records/vocabularies/{vocab}.yaml 不存在）："
                    + _guess(vocab, rules.vocabularies, "词表"))
        of = _text(d.get("of"))
        if of is not None and of not in dims:
            out.add([*where, "of"], "tables-unknown-dimension",
                    f"没有名为“{of}”的维度：of 要写 dimensions 中另一个维度的名称。" + _guess(of, dims, "维度"))
    reported: set[str] = set()
    for name in dims:
        cycle = _cycle(name, dims)
        if cycle and not reported & set(cycle):
            reported.update(cycle)
            if len(cycle) == 1:
                message = f"维度“{name}”由它自己归并（of: {name}）：of 要写另一个维度的名称，或改用 field。"
            else:
                chain = "，".join(f"“{a}”由“{b}”归并" for a, b in zip(cycle, [*cycle[1:], cycle[0]], strict=True))
                message = f"{chain}，绕成了一个圈：请让其中一个维度改用 field（记录中的字段）。"
            out.add(["dimensions", name, "of"], "tables-of-cycle", message)


def _cycle(start: str, dims: dict[str, Any]) -> list[str]:
    """The dimensions of the `of` cycle start is on, from start; [] when its chain ends."""
    chain = [start]
    while True:
        d = dims.get(chain[-1])
        of = _text(d.get("of")) if isinstance(d, dict) else None
        if of is None or of not in dims:
            return []
        if of in chain:
            return chain if of == start else []
        chain.append(of)


def _base(name: str, dims: dict[str, Any]) -> tuple[str, dict] | None:
    """The dimension a (possibly coarsened) dimension is computed from; None on a broken chain."""
    seen = set()
    while name in dims and name not in seen:
        seen.add(name)
        d = dims[name]
        if not isinstance(d, dict):
            return None
        of = _text(d.get("of"))
        if of is None:
            return name, d
        name = of
    return None


def _table(i: int, t: dict[str, Any], groups: set[str], dims: dict[str, Any], rules: Rules,
           out: Findings) -> None:
    where: list[str | int] = ["tables", i]
    group = _text(t.get("group"))
    if group is not None and group not in groups:
        out.add([*where, "group"], "tables-unknown-group",
                f"没有名为“{group}”的分组：请先在 groups 中定义它。" + _guess(group, groups, "分组"))
    for key in ("rows", "columns"):
        dim = _text(t.get(key))
        if dim is not None and dim not in dims:
            out.add([*where, key], "tables-unknown-dimension",
                    f"没有名为“{dim}”的维度：请先在 dimensions 中定义它。" + _guess(dim, dims, "维度"))
    if _text(t.get("columns")) and t.get("columns") == t.get("rows"):
        out.add([*where, "columns"], "tables-rows-columns",
                f"行和列不能是同一个维度“{t['rows']}”：请换一个列维度，或删除 columns。")
    threshold = t.get("threshold")
    if isinstance(threshold, int) and not isinstance(threshold, bool) and threshold < rules.threshold:
        out.add([*where, "threshold"], "tables-threshold",
                f"阈值 {threshold} 小于 weibao.yaml 中的 statistics.threshold（{rules.threshold}）："
                f"这里只能为这张表设更严的阈值，请改为不小于 {rules.threshold} 的整数，或删除 threshold。")
    collection = _text(t.get("collection"))
    if collection is None:
        return
    if collection not in rules.collections:
        out.add([*where, "collection"], "tables-unknown-collection",
                f"没有名为“{collection}”的记录集合（schemas/{collection}.schema.json 不存在）："
                + _guess(collection, rules.collections, "集合"))
        return
    _fields(where, t, collection, dims, rules, out)


def _fields(where: list[str | int], t: dict[str, Any], collection: str, dims: dict[str, Any],
            rules: Rules, out: Findings) -> None:
    """Every record field the table reads exists in the collection's schema (or its `each` items)."""
    records = f"集合 {collection} 的记录"
    each = _text(t.get("each"))
    if each is not None:
        prop = rules.fields(collection, None).get(each, {})
        item = rules.resolve(prop.get("items"))
        if prop.get("type") != "array" or not rules.properties(item):
            lists = [k for k, v in rules.fields(collection, None).items()
                     if v.get("type") == "array" and rules.properties(rules.resolve(v.get("items")))]
            out.add([*where, "each"], "tables-unknown-field",
                    f"{records}中没有每项是“字段: 值”的列表字段“{each}”：each 写这样的列表字段。"
                    + _guess(each, lists, "列表字段"))
            return
    fields = rules.fields(collection, each)
    when = t.get("when")
    names = [when] if isinstance(when, str) else when if isinstance(when, list) else []
    for j, name in enumerate(names):
        if isinstance(name, str) and name not in fields:
            path = [*where, "when"] if isinstance(when, str) else [*where, "when", j]
            out.add(path, "tables-unknown-field",
                    f"{records}中没有字段“{name}”：when 写记录中的月份字段。" + _guess(name, fields, "字段"))
    measure = t.get("measure")
    if isinstance(measure, dict) and len(measure) == 1:
        kind, name = next(iter(measure.items()))
        word = {"sum": "合计", "median": "中位数"}.get(kind)
        if word and isinstance(name, str):
            numbers = [k for k, v in fields.items() if _numeric(v)]
            if name not in fields:
                out.add([*where, "measure", kind], "tables-unknown-field",
                        f"{records}中没有字段“{name}”：{word}只能用记录中的数字字段。"
                        + _guess(name, numbers, "数字字段"))
            elif _numeric(fields[name]) is False:
                out.add([*where, "measure", kind], "tables-not-a-number",
                        f"字段“{name}”不是数字：{word}只能用数字字段。" + _guess(name, numbers, "数字字段"))
    for key in ("rows", "columns"):
        dim = _text(t.get(key))
        found = _base(dim, dims) if dim else None
        if found is None:
            continue
        base, d = found
        name = _text(d.get("field"))
        if name is not None and name not in fields:
            if (base, collection, each) in out.said:
                continue
            out.said.add((base, collection, each))
            out.add(["dimensions", base, "field"], "tables-unknown-field",
                    f"{records}中没有字段“{name}”（表“{t.get('id')}”的{'行' if key == 'rows' else '列'}用到维度"
                    f"“{base}”）：field 写记录中的字段。" + _guess(name, fields, "字段"))
        elif name is not None and dim != base and fields[name].get("type") == "array" and not d.get("derive"):
            out.add([*where, key], "tables-of-list",
                    f"维度“{dim}”由可多选的维度“{base}”归并（{records}中的 {name} 是列表）：一个记录会落入"
                    f"多个分组，不能归并。请直接用“{base}”，或改用单选的字段。")
