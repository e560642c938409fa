"""`weibao coverage [--format text|json|csv]`: the coverage of every county for staff.

Exit codes: 0 computed (gaps are facts, not errors); 1 the records do not validate, or an
expected gap in the settings is past its date or already filled; 2 the settings file is broken.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
from typing import TextIO

from weibao.coverage.compute import County, Coverage, Town, compute
from weibao.coverage.settings import load_coverage_settings
from weibao.repo import Repository
from weibao.report import report_text

CSV_HEADER = ["县级代码", "县级名称", "乡镇代码", "乡镇名称", "类型", "村（居）委会数", "工作站",
              "儿童督导员", "儿童主任", "儿童主任配齐", "缺口", "已知缺口", "已知缺口原因", "预计解决日期"]


def coverage_of(repo: Repository, records: dict[str, list[dict]], today: dt.date) -> Coverage:
    towns = {str(r["id"]) for r in records.get("regions", []) if r.get("level") == "乡级"}
    kinds = {str(t.get("term")) for v in records.get("vocabularies", []) if v.get("id") == "org_kinds"
             for t in v.get("terms", [])}
    settings = load_coverage_settings(repo.root, towns, kinds)
    return compute(records, settings, list(repo.config.jurisdiction.regions), today)


def _pct(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "—"


def _unexpected(t: Town) -> list[str]:
    return [g for g in t.gaps() if g not in t.expected]


def town_dict(t: Town) -> dict:
    return {
        "code": t.code, "name": t.name, "town_type": t.town_type, "villages": t.villages,
        "stations": t.stations, "child_supervisors": t.supervisors, "child_directors": t.directors,
        "directors_complete": t.directors_complete, "gaps": _unexpected(t),
        "expected_gaps": [{"missing": m, "reason": e.reason, "until": e.until.isoformat()}
                          for m, e in t.expected.items()],
    }


def county_dict(c: County) -> dict:
    return {
        "code": c.code, "name": c.name, "towns": len(c.towns), "towns_with_station": c.with_station,
        "towns_with_supervisor": c.with_supervisor, "towns_directors_complete": c.directors_complete,
        "villages": c.villages, "child_directors": c.directors,
        "town_list": [town_dict(t) for t in c.towns],
    }


def write_text(cov: Coverage, out: TextIO) -> None:
    for c in cov.counties:
        n = len(c.towns)
        out.write(f"{c.name}（{c.code}）：{n} 个乡镇（街道）\n")
        if not n:
            out.write(f"  records/regions/ 中没有它的乡镇：请运行 weibao regions add {c.code}\n\n")
            continue
        out.write(f"  有未成年人保护工作站：{c.with_station}/{n}（{_pct(c.with_station, n)}）\n")
        out.write(f"  有儿童督导员：{c.with_supervisor}/{n}（{_pct(c.with_supervisor, n)}）\n")
        out.write(f"  儿童主任人数达到村（居）数：{c.directors_complete}/{n}"
                  f"（儿童主任共 {c.directors} 人，村（居）委会共 {c.villages} 个）\n")
        missing = [t for t in c.towns if _unexpected(t)]
        if missing:
            out.write("  缺口：\n")
            for t in missing:
                out.write(f"    {t.code} {t.name}：缺{'、'.join(_unexpected(t))}\n")
        known = [t for t in c.towns if t.expected]
        if known:
            out.write("  已知缺口：\n")
            for t in known:
                for m, e in t.expected.items():
                    out.write(f"    {t.code} {t.name}：缺{m}（{e.reason}，预计 {e.until} 前）\n")
        out.write("\n")


def write_csv(cov: Coverage, out: TextIO) -> None:
    out.write("\ufeff")  # Excel on Windows opens UTF-8 with a BOM as Chinese
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for c in cov.counties:
        for t in c.towns:
            known = list(t.expected.items())
            writer.writerow([
                c.code, c.name, t.code, t.name, t.town_type or "", "" if t.villages is None else t.villages,
                "、".join(t.stations), "" if t.supervisors is None else t.supervisors,
                "" if t.directors is None else t.directors, "是" if t.directors_complete else "否",
                "、".join(_unexpected(t)), "、".join(m for m, _ in known), "；".join(e.reason for _, e in known),
                "；".join(e.until.isoformat() for _, e in known),
            ])


def run(repo: Repository, args: argparse.Namespace) -> int:
    from weibao.validate import load_records  # late: the validator loads every check module

    today = getattr(args, "today", None) or repo.today()
    result, records = load_records(repo, today)
    if not result.ok:
        report_text(result, sys.stderr)
        print("数据有错误，没有计算覆盖情况：请先改正上面的错误。", file=sys.stderr)
        return 1
    cov = coverage_of(repo, records, today)
    if args.format == "json":
        doc = {"counties": [county_dict(c) for c in cov.counties],
               "problems": [e.as_dict() for e in cov.problems]}
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif args.format == "csv":
        write_csv(cov, sys.stdout)
    else:
        write_text(cov, sys.stdout)
    for e in cov.problems:
        print(f"{e.file}:{e.line}:{e.column}: {e.message} [{e.rule}]", file=sys.stderr)
    if cov.problems:
        print(f"{len(cov.problems)} 个已知缺口需要更新：请修改 {cov.settings.file}。", file=sys.stderr)
        return 1
    return 0
