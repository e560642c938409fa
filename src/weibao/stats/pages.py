"""Pages of the statistics section: index, one page per group, methodology.

Built like every generated page (weibao.site.pages.common.page, values through esc()): HTML
tables with a caption and header scopes, in a focusable scroll region, bars beside them.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources
from typing import Any

from weibao.site.pages.common import page
from weibao.site.text import esc, region
from weibao.stats.charts import bar_chart
from weibao.stats.definitions import Definitions, Group
from weibao.stats.model import TOTAL

NOTE = ("数字中的 <strong>&lt;{t}</strong> 表示 1 至 {t1}（敏感分组用更严的阈值，如 &lt;{s}），"
        "<strong>×</strong> 表示为防止推算而隐藏的数（不小于阈值），0 就是 0。"
        '规则见<a href="methodology.html">统计方法与隐私保护</a>。')


# older callers (coverage page) escape through the same one function
md_escape = esc


def table_html(data: dict[str, Any]) -> str:
    """An accessible HTML table of a published table's JSON payload (one block, no blank lines)."""
    values = {(c["row"], c["column"]): c["value"] for c in data["cells"]}
    rows, cols = data["rows"], data["columns"]
    unit = f"（单位：{data['unit']}）" if data["unit"] else ""
    caption = f"{data['title']}，{data['period_label']}{unit}"
    e = esc
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
    lines = ['<table class="weibao-stats wb-table">', f"<caption>{e(caption)}</caption>",
             f"<thead><tr>{''.join(head)}</tr></thead>", "<tbody>"]
    for key, label in [*zip(rows["keys"], rows["labels"], strict=True), (TOTAL, "合计")]:
        tds = "".join(f'<td class="wb-num">{e(str(values.get((key, c), "")))}</td>' for c in col_keys)
        lines.append(f'<tr><th scope="row">{e(label)}</th>{tds}</tr>')
    lines += ["</tbody>", "</table>"]
    return "\n".join(lines)


def _chart(data: dict[str, Any]) -> str:
    """HTML bars of the row totals, drawn from the published (suppressed) cells."""
    values = {(c["row"], c["column"]): c["value"] for c in data["cells"]}
    nums: list[float | None] = []
    marks: list[str] = []
    for key in data["rows"]["keys"]:
        v = values.get((key, None))
        nums.append(float(v) if isinstance(v, (int, float)) else None)
        marks.append("" if isinstance(v, (int, float)) else str(v))
    what = "合计" if data["columns"] else {"count": "数量", "sum": "合计", "median": "中位数"}[data["measure"]]
    title = f"条形图：{data['title']}（{data['period_label']}），各{data['rows']['title']}的{what}"
    return bar_chart(title, data["rows"]["labels"], nums, marks, data["unit"] or "")


def group_page(group: Group, entries: list[dict[str, Any]], threshold: int, sensitive: int = 10) -> str:
    """entries: {"def", "periods": [{"data", "csv", "json", "chart", "frozen"}...]} newest first."""
    out: list[str] = []
    if group.description:
        out.append(f"<p>{esc(group.description)}</p>")
    out.append(f"<p>{NOTE.format(t=threshold, t1=threshold - 1, s=sensitive)}</p>")
    if not entries:
        out.append("<p>暂无已结束并公布的时期。</p>")
    for n, entry in enumerate(entries):
        tdef = entry["def"]
        out.append(f'<h2 id="t-{n}">{esc(tdef.title)}</h2>')
        if tdef.description:
            out.append(f"<p>{esc(tdef.description)}</p>")
        if not entry["periods"]:
            out.append("<p>暂无已结束并公布的时期。</p>")
        for k, p in enumerate(entry["periods"]):
            data = p["data"]
            frozen = "（已冻结）" if p["frozen"] else ""
            out.append(f'<h3 id="t-{n}-{k}">{esc(data["period_label"])}{frozen}</h3>')
            if p.get("chart"):
                out.append(_chart(data))
            out.append(region(table_html(data), f"{data['title']}，{data['period_label']}"))
            if data.get("zeros_hidden"):
                out.append("<p>这张表的 0 也显示为 &lt;阈值（只公布 0 会让别人算出旁边的小数字），"
                           "所以这里的 &lt;阈值 表示 0 至阈值减 1。</p>")
            out.append(f'<p>下载：<a href="{esc(p["csv"])}">CSV</a> · <a href="{esc(p["json"])}">JSON</a></p>')
    return page(group.title, "\n\n".join(out))


def reported_section(indicators: Iterable[dict], sources: dict[str, dict], region_names: dict[str, str]) -> str:
    """Figures quoted from reports, one block per source document, never mixed with ours."""
    by_source: dict[str, list[dict]] = {}
    for ind in indicators:
        by_source.setdefault(str(ind.get("source")), []).append(ind)
    if not by_source:
        return ""
    out = ['<h2 id="reported">报告中的数字</h2>',
           "<p>下面的数字不是本站计算的，而是各单位公开报告中的原文，只供对照，不与本站的统计相加或比较。</p>"]
    for n, sid in enumerate(sorted(by_source, key=lambda s: (str(sources.get(s, {}).get("published", "")), s))):
        src = sources.get(sid, {})
        title = str(src.get("title", "来源文件"))
        meta = "，".join(str(x) for x in (src.get("publisher"), src.get("published")) if x)
        out.append(f'<h3 id="reported-{n}">《{esc(title)}》</h3>')
        out.append(f"<p>以下数字摘自《{esc(title)}》{'（' + esc(meta) + '）' if meta else ''}，"
                   "按原文照录，未与本站计算的统计合并。</p>")
        rows = []
        for ind in sorted(by_source[sid], key=lambda i: str(i.get("id"))):
            value = f"{ind.get('value'):g}" if isinstance(ind.get("value"), (int, float)) else str(ind.get("value"))
            value += str(ind.get("qualifier", "")) + str(ind.get("unit", ""))
            period = (ind.get("period") or {}).get("label", "")
            region_name = region_names.get(str(ind.get("region")), str(ind.get("region", "")))
            rows.append(f'<tr><th scope="row">{esc(ind.get("metric", ""))}</th><td class="wb-num">{esc(value)}</td>'
                        f"<td>{esc(period)}</td><td>{esc(region_name)}</td>"
                        f'<td class="wb-quote">“{esc(ind.get("quote", ""))}”</td></tr>')
        table = ('<table class="wb-table"><caption>《' + esc(title) + '》中的数字</caption><thead><tr>'
                 '<th scope="col">指标</th><th scope="col">数值</th><th scope="col">时期</th>'
                 '<th scope="col">地区</th><th scope="col">原文</th></tr></thead><tbody>'
                 + "".join(rows) + "</tbody></table>")
        out.append(region(table, f"《{title}》中的数字"))
    return "\n\n".join(out)


def index_page(defs: Definitions, groups: list[tuple[Group, int]], threshold: int, lag_days: int,
               latest: str, synthetic: bool, reported: str, commit: str) -> str:
    out = ["<p>本栏目的数字由本数据仓中去标识化的个案、线索和活动记录自动计算，"
           "不再需要逐级手工汇总。一个时期结束后才公布，公布后数字冻结不变。</p>"]
    if synthetic:
        out.append('<p class="wb-callout"><strong>示例数据</strong>：目前的记录是程序生成的合成数据，数字不代表真实儿童。</p>')
    out.append(f"<p>{NOTE.format(t=threshold, t1=threshold - 1, s=defs.sensitive_threshold)}</p>")
    out.append(f"<ul><li>公布规则：时期结束 {lag_days} 天后公布；小于 {threshold} 的数不公布确切数。</li>"
               f"<li>最近公布的时期：{esc(latest or '暂无')}。</li>"
               f"<li>数字来自数据仓提交 <code>{esc(commit[:12])}</code>。</li></ul>")
    out.append('<h2 id="tables">统计表</h2>')
    items = "".join(
        f'<li><a href="{esc(group.id)}.html">{esc(group.title)}</a>（{n} 张表）'
        f'{"：" + esc(group.description) if group.description else ""}</li>'
        for group, n in groups
    )
    out.append(f"<ul>{items}</ul>")
    out.append("<p>每张表都可以下载 CSV（Excel 可直接打开）和 JSON，链接在表的下方。</p>")
    out.append('<h2 id="method">统计方法与隐私保护</h2>'
               '<p>怎样计数、哪些数字不公布、怎样防止由合计推算，见<a href="methodology.html">统计方法与隐私保护</a>。</p>')
    if reported:
        out.append(reported)
    return page("统计", "\n\n".join(out))


def methodology_page(defs: Definitions, threshold: int, lag_days: int, tables_file: str,
                     sensitive: list[str], synthetic: bool) -> str:
    """The package's own Markdown text (trusted); every value from the repository goes in through esc()."""
    template = resources.files("weibao.stats").joinpath("methodology.txt").read_text(encoding="utf-8")
    title, _, template = template.partition("\n")
    stricter = [t for t in defs.tables if t.threshold and t.threshold > threshold]
    table_lines = "".join(f"- 表“{esc(t.title)}”整表使用阈值 {t.threshold}。\n" for t in stricter)
    synthetic_text = ("\n> **示例数据**：目前的记录是程序生成的合成数据，数字不代表真实儿童。\n"
                      if synthetic else "")
    body = template.format(
        threshold=threshold,
        threshold_minus_one=threshold - 1,
        sensitive_threshold=defs.sensitive_threshold,
        sensitive_minus_one=defs.sensitive_threshold - 1,
        sensitive_list="、".join(esc(s) for s in sensitive) or "无",
        table_thresholds=table_lines,
        sum_percent=round(defs.sum_relative_range * 100),
        lag_days=lag_days,
        tables_file=esc(tables_file),
        synthetic=synthetic_text,
    )
    return page(title.lstrip("# ").strip(), body, markdown=True)
