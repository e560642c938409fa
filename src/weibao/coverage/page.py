"""The public page 覆盖情况 (coverage/index.md): per county a bar for each level with the figures
in text, the towns without a station, and the reported figures quoted beside (never merged).

Reads only regions, orgs, indicators, sources and vocabularies, so the page is the same whether
or not the repository holds program records. The bars are decoration (aria-hidden): every
figure is in the sentence above its bar, for screen readers and for narrow phones.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import sys
from pathlib import Path

from weibao.coverage.commands import coverage_of
from weibao.coverage.compute import County
from weibao.repo import Repository
from weibao.site.context import DIRECTORY
from weibao.stats.pages import md_escape, reported_section

PAGE = "coverage/index.md"
NAV_TITLE = "覆盖情况"
COLLECTIONS = ("regions", "orgs", "indicators", "sources", "vocabularies")  # all the page may read
BAR = ('<div aria-hidden="true" style="background:#e8eaf6;border-radius:4px;height:12px;'
       'margin:0 0 1rem;max-width:100%"><div style="width:{pct}%;height:100%;background:#3949ab;'
       'border-radius:4px"></div></div>')

# paragraphs are single lines: a line break inside Chinese text would show as a space
INTRO = """# 覆盖情况

未成年人保护的“三级阵地”：县级有未成年人保护中心，每个乡镇（街道）有未成年人保护工作站和儿童督导员，每个村（居）有儿童主任。本页按县级地区列出这张网的乡镇、村两级已覆盖多少、哪些乡镇还没有工作站，帮助大家看到哪里的帮助还缺。

本页的数字由本站的行政区划记录（{year} 年统计用区划代码，包括每个乡镇的村（居）委会数）和[服务机构](../{directory})目录计算：某个乡镇有一个类型为{kinds}的机构，就算有工作站；儿童督导员、儿童主任的人数取自这些机构登记的工作队伍人数。目录中还没有收录的工作站，这里会显示为缺口。如发现遗漏，请联系当地民政部门更正。报告中公布的数字（如工作站个数、覆盖率）另列在每个地区的下方，按原文照录，不与本站计算的数字合并。
"""


def _pct(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def _figure(label: str, part: int, whole: int, unit: str, extra: str = "") -> list[str]:
    pct = _pct(part, whole)
    return [f"{label}：**{part} / {whole}** {unit}（{pct}%）{extra}", "", BAR.format(pct=pct), ""]


def _names(towns) -> str:
    return "、".join(md_escape(t.name) for t in towns)


def county_section(c: County, reported: str) -> list[str]:
    n = len(c.towns)
    out = [f"## {md_escape(c.name)}", ""]
    if not n:
        return [*out, "本站还没有这个地区的乡镇（街道）记录。", ""]
    out += _figure("有未成年人保护工作站的乡镇（街道）", c.with_station, n, "个")
    out += _figure("有儿童督导员的乡镇（街道）", c.with_supervisor, n, "个")
    out += _figure("儿童主任人数达到村（居）数的乡镇（街道）", c.directors_complete, n, "个",
                   f"；登记的儿童主任共 {c.directors} 人，村（居）委会共 {c.villages} 个")
    missing = [t for t in c.without_station() if "工作站" not in t.expected]
    known = [t for t in c.without_station() if "工作站" in t.expected]
    out += [f"### 没有工作站的乡镇（街道）（{len(missing) + len(known)} 个）", ""]
    if not missing and not known:
        out += ["每个乡镇（街道）都有未成年人保护工作站。", ""]
    if missing:
        out += [_names(missing) + "。", ""]
    if known:
        out += ["其中已知原因、正在解决的：", ""]
        for t in known:
            e = t.expected["工作站"]
            out.append(f"- {md_escape(t.name)}：{md_escape(e.reason)}（预计 {e.until.isoformat()} 前）")
        out.append("")
    if reported:
        out += [reported, ""]
    return out


def _demote(section: str) -> str:
    """reported_section's headings (HTML h2 and h3) one level down, under a county heading."""
    return re.sub(r"<(/?)h([23])\b", lambda m: f"<{m[1]}h{int(m[2]) + 1}", section)


def generate(repo: Repository, records: dict[str, list[dict]], today: dt.date) -> str | None:
    """The page's Markdown, or None when the repository has no town records at all."""
    records = {c: records.get(c, []) for c in COLLECTIONS}
    if not any(r.get("level") == "乡级" for r in records["regions"]):
        return None
    cov = coverage_of(repo, records, today)
    for e in cov.problems:
        print(f"警告：{e.file}:{e.line}:{e.column}: {e.message}", file=sys.stderr)
    from weibao.gazetteer import load

    kinds = "、".join(f"“{html.escape(k)}”" for k in cov.settings.station_kinds)
    out = [INTRO.format(year=load().year, kinds=kinds, directory=DIRECTORY), ""]
    names = {str(r["id"]): str(r.get("name", r["id"])) for r in records["regions"]}
    sources = {str(s["id"]): s for s in records["sources"]}
    metrics = set(cov.settings.reported_metrics)
    for c in cov.counties:
        quoted = [i for i in records["indicators"]
                  if str(i.get("region", "")).startswith(c.code) and i.get("metric") in metrics]
        reported = _demote(reported_section(quoted, sources, names)) if quoted else ""
        out += county_section(c, reported)
    return "\n".join(out)


def contribute(repo: Repository, records_by_collection: dict[str, list[dict]], docs_dir: Path,
               extras: dict) -> None:
    """Site contributor (weibao.site.build.CONTRIBUTORS): docs/coverage/index.md and its nav entry."""
    today = extras.get("today") or repo.today()
    text = generate(repo, records_by_collection, today)
    if text is None:
        return
    path = docs_dir / PAGE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    extras.setdefault("nav", []).append({NAV_TITLE: PAGE})
