"""Frictionless Data Package descriptors for the site's downloads.

Statistics: each published table's CSV (as `weibao stats` writes it, with its notes under the
table) is one resource; the notes rows are declared as comment rows so the table itself is typed.
Suppressed cells ("<5", "×", "—") are declared missing values: a reader's tool gets no number
there, which is what they are. Directory: one CSV per public collection, columns titled in
Chinese from our schemas.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

from weibao.repo import Repository
from weibao.stats.downloads import csv_text as stats_csv_text

PROFILE = "tabular-data-package"
METHODOLOGY = "../methodology.html"  # relative to statistics/downloads/


def licences(repo: Repository) -> list[dict[str, str]]:
    od = repo.config.open_data
    return [{"name": od.licence_name, "title": od.licence_title, "path": od.licence_url}]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-") or "resource"


def write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


# --- statistics ------------------------------------------------------------------------------

def _header_and_rows(data: dict[str, Any]) -> tuple[list[str], int]:
    """The CSV's header and how many lines the table proper has (header, rows, total)."""
    text = stats_csv_text(data)
    rows = list(csv.reader(io.StringIO(text)))
    table_lines = 1 + len(data["rows"]["keys"]) + 1
    return rows[0], table_lines if len(rows) >= table_lines else len(rows)


def stats_resource(data: dict[str, Any], path: str) -> dict[str, Any]:
    """One statistics CSV (path relative to the package) as a tabular data resource."""
    header, table_lines = _header_and_rows(data)
    total_lines = len(list(csv.reader(io.StringIO(stats_csv_text(data)))))
    value_type = "number" if data["measure"] == "median" else "integer"
    missing = sorted({str(c["value"]) for c in data["cells"]
                      if not isinstance(c["value"], (int, float))} | {""})
    rows_title = data["rows"]["title"]
    fields = [{"name": header[0], "type": "string", "title": rows_title,
               "description": f"行：{rows_title}；最后一行“合计”为各行之和。"}]
    for name in header[1:]:
        fields.append({"name": name, "type": value_type, "title": name,
                       "description": f"{data['title']}（{data['unit'] or '计数'}）；"
                       "<阈值、×、— 见本资源的说明，读作缺失值。"})
    return {
        "name": _slug(f"{data['table']}-{data['period']}"),
        "path": path,
        "profile": "tabular-data-resource",
        "title": f"{data['title']}，{data['period_label']}",
        "description": " ".join(data["notes"]),
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8-sig",
        # the notes under the table (a blank line, then one note per line) are not data
        "dialect": {"commentRows": list(range(table_lines + 1, total_lines + 1))},
        "schema": {"fields": fields, "missingValues": missing},
        "sources": [{"title": "数据来源提交", "path": f"git:{data['commit']}"}],
    }


def stats_package(repo: Repository, downloads: Path, commit: str) -> dict[str, Any] | None:
    """datapackage.json for every <table>/<period>.csv under downloads (beside its .json)."""
    resources = []
    days = []
    for payload in sorted(downloads.glob("*/*.json")):
        csv_path = payload.with_suffix(".csv")
        if not csv_path.is_file():
            continue
        data = json.loads(payload.read_text(encoding="utf-8"))
        resources.append(stats_resource(data, csv_path.relative_to(downloads).as_posix()))
        days.append(str(data.get("frozen_on") or ""))
    if not resources:
        return None
    return {
        "name": "weibao-statistics",
        "profile": PROFILE,
        "version": max(days),  # the newest period's publication (freezing) date
        "title": "未保数据仓统计表（经小数抑制）",
        "description": "由去标识化的工作记录计算、经过小数抑制和线性规划审计的统计表。每张表一个 CSV："
                       "第一行是表头，最后一行“合计”，表下的说明行是注释。统计方法见 methodology 链接。",
        "homepage": METHODOLOGY,
        "sources": [{"title": "统计方法说明", "path": METHODOLOGY},
                    {"title": "数据来源提交", "path": f"git:{commit}"}],
        "licenses": licences(repo),
        "keywords": ["未成年人保护", "统计", "小数抑制"],
        "resources": resources,
    }


# --- directory ---------------------------------------------------------------------------------

# columns of the public directory CSVs: (field, how to turn the record's value into text)
DIRECTORY_COLUMNS = {
    "orgs": ["id", "name", "short_name", "kind", "region", "region_name", "address", "phones",
             "email", "website", "wechat_account", "hours", "services", "parent", "operator",
             "description", "verified", "hsds_id"],
    "hotlines": ["id", "number", "name", "scope", "region", "region_name", "twenty_four_seven",
                 "hours", "channels", "topics", "audience", "emergency", "operator", "description",
                 "verified", "hsds_id"],
}
EXTRA_TITLES = {"region_name": "地区名称", "twenty_four_seven": "24 小时",
                "hsds_id": "HSDS UUID"}
BOOLEAN = {"twenty_four_seven", "emergency"}


def _hours_text(hours: dict | None) -> str:
    if not hours:
        return ""
    if hours.get("twenty_four_seven"):
        text = "24 小时"
    else:
        days = "一二三四五六日"
        text = "；".join(
            "、".join("周" + days[d - 1] for d in p["days"]) + f" {p['open']}–{p['close']}"
            for p in hours.get("periods") or [])
    return "；".join(t for t in (text, str(hours.get("note") or "")) if t)


def directory_row(collection: str, record: dict, region_name: str, hsds_id: str) -> list[str]:
    out = []
    for col in DIRECTORY_COLUMNS[collection]:
        if col == "region_name":
            value: object = region_name
        elif col == "hsds_id":
            value = hsds_id
        elif col == "twenty_four_seven":
            value = bool((record.get("hours") or {}).get("twenty_four_seven"))
        elif col == "hours":
            value = _hours_text(record.get("hours"))
        elif col == "phones":
            value = "；".join(f"{p['number']}（{p['label']}）" if p.get("label") else str(p["number"])
                             for p in record.get("phones") or [])
        else:
            value = record.get(col)
        if col in BOOLEAN:
            value = "true" if value else "false"
        elif isinstance(value, list):
            value = "；".join(str(v) for v in value)
        out.append("" if value is None else str(value))
    return out


def directory_resource(repo: Repository, collection: str, path: str, title: str) -> dict[str, Any]:
    props = repo.schemas.get(collection, {}).get("properties", {})
    fields = []
    for col in DIRECTORY_COLUMNS[collection]:
        prop = props.get(col, {})
        ftype = "boolean" if col in BOOLEAN else "date" if col == "verified" else "string"
        field: dict[str, Any] = {"name": col, "type": ftype,
                                 "title": EXTRA_TITLES.get(col) or prop.get("title") or col}
        if prop.get("description"):
            field["description"] = prop["description"]
        if col in ("id", "hsds_id"):
            field["constraints"] = {"required": True, "unique": True}
        if col == "hsds_id":
            field["format"] = "uuid"
            field["description"] = "本记录在 HSDS 导出中的 UUID（由编号按固定命名空间生成，每次相同）。"
        if ftype == "boolean":
            field["trueValues"], field["falseValues"] = ["true"], ["false"]
        fields.append(field)
    return {"name": collection, "path": path, "profile": "tabular-data-resource", "title": title,
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8-sig",
            "schema": {"fields": fields, "primaryKey": ["id"]}}


def directory_csv(collection: str, rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(DIRECTORY_COLUMNS[collection])
    w.writerows(rows)
    return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")  # BOM: Excel reads the Chinese
