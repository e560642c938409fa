"""`weibao export hsds --out DIR` and the open-data files the site publishes.

Layout of one HSDS export (DIR on the command line, opendata/hsds/ on the site):
  organizations.json          HSDS 3.0 JSON: a list of organisations, each valid against the
                              standard's compiled organization schema, with nested metadata
  tabular/datapackage.json    the HSDS tabular data package (the standard's own descriptor)
  tabular/<object>.csv        one CSV per HSDS object
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from weibao.opendata import hsds, metadata, packages, tabular
from weibao.repo import Repository
from weibao.site.gitinfo import commit as short_commit

HSDS_JSON = "organizations.json"
TABULAR = "tabular"


@dataclass
class HsdsExport:
    organizations: int
    services: int
    hotlines: int
    metadata_rows: int
    resources: list[str]
    updated: str  # the newest change to an organisation or hotline ("" without git history)


def about(repo: Repository, commit: str, today: str) -> dict[str, Any]:
    """Our title, licence and provenance on top of the standard's descriptor."""
    return {
        "name": "weibao-hsds",
        "title": "未保数据仓服务目录（Open Referral HSDS 3.0）",
        "description": f"{repo.config.jurisdiction.name}的未成年人保护服务机构和求助热线，"
                       "按 Open Referral 人类服务数据规范（HSDS）3.0 的表格格式发布。热线是带虚拟地点的服务；"
                       "HSDS 没有字段的信息（24 小时、渠道、话题、地区代码、来源等）以属性（attribute）保存。"
                       f"数据来源提交 {commit}，生成日期 {today}。",
        "version": today,
        "licenses": packages.licences(repo),
        "sources": [{"title": "数据来源提交", "path": f"git:{commit}"},
                    {"title": "数据结构：Open Referral HSDS 3.0（CC BY-SA 4.0）",
                     "path": "https://docs.openreferral.org/en/v3.0/"}],
    }


def _public(records: dict[str, list[dict]]) -> tuple[list[dict], list[dict], list[dict]]:
    # only the public directory: program records are never passed on
    return records.get("orgs") or [], records.get("hotlines") or [], records.get("regions") or []


def write_hsds(repo: Repository, records: dict[str, list[dict]], out: Path,
               today: str) -> HsdsExport:
    orgs_in, hotlines_in, regions = _public(records)
    orgs = hsds.organizations(orgs_in, hotlines_in, regions)
    published = {"orgs": {str(o["id"]) for o in orgs_in},
                 "hotlines": {str(h["id"]) for h in hotlines_in}}
    log = metadata.change_log(repo.root, published)
    rows: list[dict] = []
    for org in orgs:  # each change log goes on its resource: the organisation or the service
        if log.get(org["id"]):
            org["metadata"] = log[org["id"]]
        for service in org.get("services", []):
            if log.get(service["id"]):
                service["metadata"] = log[service["id"]]
    for entries in log.values():
        rows += entries
    out.mkdir(parents=True, exist_ok=True)
    (out / HSDS_JSON).write_text(json.dumps(orgs, ensure_ascii=False, separators=(",", ":")) + "\n",
                                 encoding="utf-8")
    commit = short_commit(repo.root)
    resources = tabular.write(out / TABULAR, orgs, [], about(repo, commit, today))
    services = sum(len(o.get("services", [])) for o in orgs)
    updated = max((str(r["last_action_date"]) for r in rows), default="")
    return HsdsExport(len(orgs), services, len(hotlines_in), len(rows), resources, updated)


def write_directory(repo: Repository, records: dict[str, list[dict]], out: Path,
                    today: str) -> dict[str, Any]:
    """The public directory as CSV (orgs.csv, hotlines.csv) with its datapackage.json."""
    orgs_in, hotlines_in, regions_list = _public(records)
    regions = {str(r["id"]): r for r in regions_list}
    titles = {"orgs": "服务机构", "hotlines": "求助热线"}
    kinds = {"orgs": ("organization", "orgs/{}"), "hotlines": ("service", "hotlines/{}")}
    resources = []
    for collection, recs in (("orgs", orgs_in), ("hotlines", hotlines_in)):
        kind, key = kinds[collection]
        rows = [packages.directory_row(
            collection, r, hsds.region_name(regions, r.get("region")),
            hsds.stable_uuid(kind, key.format(r["id"]))) for r in sorted(recs, key=lambda r: r["id"])]
        path = f"{collection}.csv"
        out.mkdir(parents=True, exist_ok=True)
        (out / path).write_bytes(packages.directory_csv(collection, rows))
        resources.append(packages.directory_resource(repo, collection, path, titles[collection]))
    pkg = {
        "name": "weibao-directory", "profile": packages.PROFILE,
        "title": "未保数据仓服务目录（CSV）",
        "description": "服务机构和求助热线，每条记录一行；列名是记录的字段名，中文名称见 title。"
                       "多个值用“；”分隔。同一目录的 HSDS 格式见 opendata/hsds/。",
        "version": today, "licenses": packages.licences(repo),
        "sources": [{"title": "数据来源提交", "path": f"git:{short_commit(repo.root)}"}],
        "resources": resources,
    }
    packages.write_json(out / "datapackage.json", pkg)
    return pkg


def run(repo: Repository, args: argparse.Namespace) -> int:
    """weibao export hsds --out DIR: exit 1 (nothing written) when the records do not validate."""
    from weibao.report import report_text
    from weibao.validate import load_records

    today = getattr(args, "today", None) or repo.today()
    result, records = load_records(repo, today)
    if not result.ok:
        report_text(result, sys.stderr)
        print("数据有错误，没有导出：请先改正上面的错误（weibao validate 可以再次检查）。", file=sys.stderr)
        return 1
    done = write_hsds(repo, records, Path(args.out), today.isoformat())
    print(f"已导出 HSDS 3.0 到 {args.out}：{done.organizations} 个机构（organization），"
          f"{done.services} 项服务（其中热线 {done.hotlines} 条），{done.metadata_rows} 条字段修改记录（metadata）。")
    return 0
