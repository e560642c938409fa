"""The site's 开放数据 page and its downloads (a build contributor).

Writes docs/opendata/hsds/ (HSDS 3.0 JSON and tabular package), docs/opendata/directory/ (the
directory CSV with its datapackage.json) and docs/opendata.md, which lists every download with
its format, licence and update date, including the statistics' data package when the statistics
contributor (run before this one) published one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from weibao.opendata.export import HSDS_JSON, TABULAR, write_directory, write_hsds
from weibao.repo import Repository
from weibao.site.pages.common import page
from weibao.site.text import esc

PAGE = "opendata.md"
FOLDER = "opendata"
STATS_PACKAGE = "statistics/downloads/datapackage.json"
MAPPING = Path(__file__).with_name("mapping.md")


def _row(name: str, formats: str, links: list[tuple[str, str]], updated: str, note: str) -> str:
    """One download as a card (a 5-column table does not fit a 360 px phone)."""
    files = "<br>".join(f'<a href="{esc(href)}" download>{esc(label)}</a>' for label, href in links)
    rows = [("格式", esc(formats)), ("文件", files), ("更新日期", esc(updated) or "—"),
            ("说明", esc(note))]
    details = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
    return f'<section class="wb-download"><h3>{esc(name)}</h3><dl class="wb-dl">{details}</dl></section>'


def page_text(repo: Repository, today: str, directory_day: str, stats: dict[str, Any] | None,
              hsds_summary: str) -> str:
    od = repo.config.open_data
    rows = [
        _row("服务目录：HSDS 3.0 JSON", "JSON",
             [("organizations.json", f"{FOLDER}/hsds/{HSDS_JSON}")], directory_day,
             f"Open Referral HSDS 3.0 的机构列表（含服务、地点、电话、时间、服务地区和修改记录）。{hsds_summary}"),
        _row("服务目录：HSDS 表格数据包", "CSV + datapackage.json",
             [("datapackage.json", f"{FOLDER}/hsds/{TABULAR}/datapackage.json"),
              ("organizations.csv", f"{FOLDER}/hsds/{TABULAR}/organizations.csv"),
              ("services.csv", f"{FOLDER}/hsds/{TABULAR}/services.csv"),
              ("phones.csv", f"{FOLDER}/hsds/{TABULAR}/phones.csv"),
              ("schedules.csv", f"{FOLDER}/hsds/{TABULAR}/schedules.csv"),
              ("metadata.csv（修改记录）", f"{FOLDER}/hsds/{TABULAR}/metadata.csv")],
             directory_day, "每种 HSDS 对象一个 CSV，共 21 个（全部文件见 datapackage.json）；列和类型与标准的 datapackage.json 完全一致。"),
        _row("服务目录：CSV", "CSV（UTF-8，Excel 可直接打开）+ datapackage.json",
             [("orgs.csv（服务机构）", f"{FOLDER}/directory/orgs.csv"),
              ("hotlines.csv（求助热线）", f"{FOLDER}/directory/hotlines.csv"),
              ("datapackage.json", f"{FOLDER}/directory/datapackage.json")],
             directory_day, "每条记录一行，列的中文名称和说明见 datapackage.json。"),
    ]
    if stats:
        rows.append(_row("统计表", "CSV、JSON + datapackage.json",
                         [("datapackage.json", STATS_PACKAGE),
                          ("统计页面（逐表下载）", "statistics/index.html")],
                         stats.get("version") or today,
                         f"{len(stats['resources'])} 张已公布的统计表（经小数抑制和审计）；"
                         "小于阈值的数（如 <5）和为防反推而隐藏的数（×）在数据包中声明为缺失值。"))
    table = '<h2 id="downloads">下载</h2>\n\n' + "\n".join(rows)
    licence = (f'<p>全部数据按<a href="{esc(od.licence_url)}" rel="noopener noreferrer">'
               f'{esc(od.licence_title)}</a>发布：可以自由使用、转载和改编，请注明出处“'
               f'{esc(repo.config.site.title)}”。HSDS 的数据结构本身属于 Open Referral，'
               "采用 CC BY-SA 4.0。</p>")
    body = "\n\n".join([
        "<p class=\"wb-lead\">本站公布的服务目录和统计表都可以下载，供转介平台、研究人员和上级部门直接使用，"
        "无需抓取网页。每个表格下载都附有 Frictionless 数据包描述（datapackage.json：每列的名称、类型和中文说明、"
        "数据来源提交、许可），可用 <code>frictionless validate datapackage.json</code> 校验。</p>",
        table,
        f"<p>“更新日期”是机构和热线记录最近一次修改的日期；本页生成于 <time>{esc(today)}</time>。"
        "儿童个案、线索和活动记录从不公开，统计表只公布汇总数字。</p>",
        "<h2 id=\"licence\">许可</h2>\n\n" + licence,
    ])
    mapping = MAPPING.read_text(encoding="utf-8")
    return page("开放数据", body) + "\n" + mapping


def contribute(repo: Repository, records_by_collection: dict[str, list[dict]], docs_dir: Path,
               extras: dict[str, Any]) -> None:
    today = extras.get("today") or repo.today()
    day = today.isoformat() if isinstance(today, dt.date) else str(today)
    done = write_hsds(repo, records_by_collection, docs_dir / FOLDER / "hsds", day)
    write_directory(repo, records_by_collection, docs_dir / FOLDER / "directory", day)
    stats = None
    stats_path = docs_dir / STATS_PACKAGE
    if stats_path.is_file():
        import json

        stats = json.loads(stats_path.read_text(encoding="utf-8"))
    directory_day = done.updated  # from the change log: no second pass over git history
    summary = (f"{done.organizations} 个机构、{done.services} 项服务（其中热线 {done.hotlines} 条）、"
               f"{done.metadata_rows} 条修改记录。")
    (docs_dir / PAGE).write_text(page_text(repo, day, directory_day, stats, summary),
                                 encoding="utf-8")
    extras.setdefault("nav", []).append({"开放数据": PAGE})
