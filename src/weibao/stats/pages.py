"""Markdown pages of the statistics section: index, one page per group, methodology.

Links are relative Markdown links to files written next to the pages (MkDocs checks them in
--strict builds); tables are plain HTML with a caption and header scopes, for screen readers.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from importlib import resources
from typing import Any

from weibao.stats.definitions import Definitions, Group
from weibao.stats.model import TOTAL

NOTE = ("数字中的 **&lt;{t}** 表示 1 至 {t1}（敏感分组用更严的阈值，如 &lt;{s}），"
        "**×** 表示为防止推算而隐藏的数（不小于阈值），0 就是 0。规则见[统计方法与隐私保护](methodology.md)。")


def table_html(data: dict[str, Any]) -> str:
    """An accessible HTML table of a published table's JSON payload (one block, no blank lines)."""
    values = {(c["row"], c["column"]): c["value"] for c in data["cells"]}
    rows, cols = data["rows"], data["columns"]
    unit = f"（单位：{data['unit']}）" if data["unit"] else ""
    caption = f"{data['title']}，{data['period_label']}{unit}"
    e = html.escape
    head = [f'<th scope="col">{e(rows["title"])}</th>']
    col_keys: list[str | None]
    if cols:
        head += [f'<th scope="col">{e(label)}</th>' for label in cols["labels"]]
        head.append('<th scope="col">合计</th>')
        col_keys = [*cols["keys"], None]
    else:
        name = {"count": "数量", "sum": "合计", "median": "中位数"}[data["measure"]]
        head.append(f'<th scope="col">{e(name)}{e("（" + data["unit"] + "）" if data["unit"] else "")}</th>')
        col_keys = [None]
    lines = ['<table class="weibao-stats">', f"<caption>{e(caption)}</caption>",
             f"<thead><tr>{''.join(head)}</tr></thead>", "<tbody>"]
    for key, label in [*zip(rows["keys"], rows["labels"], strict=True), (TOTAL, "合计")]:
        tds = "".join(f"<td>{e(str(values.get((key, c), '')))}</td>" for c in col_keys)
        lines.append(f'<tr><th scope="row">{e(label)}</th>{tds}</tr>')
    lines += ["</tbody>", "</table>"]
    return "\n".join(lines)


def md_escape(text: str) -> str:
    return html.escape(text).replace("|", "&#124;").replace("*", "&#42;").replace("_", "&#95;")


def group_page(group: Group, entries: list[dict[str, Any]], threshold: int, sensitive: int = 10) -> str:
    """entries: {"def", "periods": [{"data", "csv", "json", "chart", "alt"}...]} newest first."""
    out = [f"# {md_escape(group.title)}", ""]
    if group.description:
        out += [md_escape(group.description), ""]
    out += [NOTE.format(t=threshold, t1=threshold - 1, s=sensitive), ""]
    if not entries:
        out += ["暂无已结束并公布的时期。", ""]
    for entry in entries:
        tdef = entry["def"]
        out += [f"## {md_escape(tdef.title)}", ""]
        if tdef.description:
            out += [md_escape(tdef.description), ""]
        if not entry["periods"]:
            out += ["暂无已结束并公布的时期。", ""]
        for p in entry["periods"]:
            data = p["data"]
            frozen = "（已冻结）" if p["frozen"] else ""
            out += [f"### {data['period_label']}{frozen}", ""]
            if p.get("chart"):
                out += [f"![{md_escape(p['alt'])}]({p['chart']})", ""]
            out += [table_html(data), ""]
            if data.get("zeros_hidden"):
                out += ["这张表的 0 也显示为 &lt;阈值（只公布 0 会让别人算出旁边的小数字），所以这里的 &lt;阈值 表示 0 至阈值减 1。", ""]
            out += [f"下载：[CSV]({p['csv']}) · [JSON]({p['json']})", ""]
    return "\n".join(out)


def reported_section(indicators: Iterable[dict], sources: dict[str, dict], region_names: dict[str, str]) -> str:
    """Figures quoted from reports, one block per source document, never mixed with ours."""
    by_source: dict[str, list[dict]] = {}
    for ind in indicators:
        by_source.setdefault(str(ind.get("source")), []).append(ind)
    if not by_source:
        return ""
    out = ["## 报告中的数字", "",
           "下面的数字不是本站计算的，而是各单位公开报告中的原文，只供对照，不与本站的统计相加或比较。", ""]
    for sid in sorted(by_source, key=lambda s: (str(sources.get(s, {}).get("published", "")), s)):
        src = sources.get(sid, {})
        title = str(src.get("title", sid))
        meta = "，".join(str(x) for x in (src.get("publisher"), src.get("published")) if x)
        out += [f"### 《{md_escape(title)}》", ""]
        out += [f"以下数字摘自《{md_escape(title)}》（来源文件：{md_escape(sid)}{'，' + md_escape(meta) if meta else ''}），"
                "按原文照录，未与本站计算的统计合并。", ""]
        out += ["| 指标 | 数值 | 时期 | 地区 | 原文 |", "| --- | --- | --- | --- | --- |"]
        for ind in sorted(by_source[sid], key=lambda i: str(i.get("id"))):
            value = f"{ind.get('value'):g}" if isinstance(ind.get("value"), (int, float)) else str(ind.get("value"))
            value += str(ind.get("qualifier", "")) + str(ind.get("unit", ""))
            period = (ind.get("period") or {}).get("label", "")
            region = region_names.get(str(ind.get("region")), str(ind.get("region", "")))
            cells = [ind.get("metric", ""), value, period, region, f"“{ind.get('quote', '')}”"]
            out.append("| " + " | ".join(md_escape(str(c)).replace("\n", " ") for c in cells) + " |")
        out.append("")
    return "\n".join(out)


def index_page(defs: Definitions, groups: list[tuple[Group, int]], threshold: int, lag_days: int,
               latest: str, synthetic: bool, reported: str, commit: str) -> str:
    out = ["# 统计", ""]
    out += ["本栏目的数字由本数据仓中去标识化的个案、线索和活动记录自动计算，"
            "不再需要逐级手工汇总。一个时期结束后才公布，公布后数字冻结不变。", ""]
    if synthetic:
        out += ["> **示例数据**：目前的记录是程序生成的合成数据，数字不代表真实儿童。", ""]
    out += [NOTE.format(t=threshold, t1=threshold - 1, s=defs.sensitive_threshold), ""]
    out += [f"- 公布规则：时期结束 {lag_days} 天后公布；小于 {threshold} 的数不公布确切数。",
            f"- 最近公布的时期：{latest or '暂无'}。",
            f"- 数字来自数据仓提交 `{commit[:12]}`。", ""]
    out += ["## 统计表", ""]
    for group, n in groups:
        desc = f"：{md_escape(group.description)}" if group.description else ""
        out.append(f"- [{md_escape(group.title)}]({group.id}.md)（{n} 张表）{desc}")
    out += ["", "每张表都可以下载 CSV（Excel 可直接打开）和 JSON，链接在表的下方。", ""]
    out += ["## 统计方法与隐私保护", "",
            "怎样计数、哪些数字不公布、怎样防止由合计推算，见[统计方法与隐私保护](methodology.md)。", ""]
    if reported:
        out += [reported]
    return "\n".join(out)


def methodology_page(defs: Definitions, threshold: int, lag_days: int, tables_file: str,
                     sensitive: list[str], synthetic: bool) -> str:
    template = resources.files("weibao.stats").joinpath("methodology.txt").read_text(encoding="utf-8")
    stricter = [t for t in defs.tables if t.threshold and t.threshold > threshold]
    table_lines = "".join(f"- 表“{md_escape(t.title)}”整表使用阈值 {t.threshold}。\n" for t in stricter)
    synthetic_text = ("\n> **示例数据**：目前的记录是程序生成的合成数据，数字不代表真实儿童。\n"
                      if synthetic else "")
    return template.format(
        threshold=threshold,
        threshold_minus_one=threshold - 1,
        sensitive_threshold=defs.sensitive_threshold,
        sensitive_minus_one=defs.sensitive_threshold - 1,
        sensitive_list="、".join(md_escape(s) for s in sensitive) or "无",
        table_thresholds=table_lines,
        sum_percent=round(defs.sum_relative_range * 100),
        lag_days=lag_days,
        tables_file=tables_file,
        synthetic=synthetic_text,
    )
