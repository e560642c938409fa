"""Time `weibao import` of a spreadsheet ledger of program records (default 10,000 cases).

    python scripts/bench_import.py [--rows 10000] [--keep DIR]

Builds a temporary repository (the sample's schemas, vocabularies, regions, orgs, sources and
policies), writes a real .xlsx ledger with openpyxl (个案, 风险等级 and 服务 sheets), then times
the whole import (read, convert, validate, write) and, separately, reading the workbook with
python-calamine and with openpyxl. Prints one JSON line, for `nox -s bench` to collect.
Target (issue 15): 10,000 case rows in under 10 s.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook, load_workbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from weibao.load import load_file  # noqa: E402
from weibao.repo import Repository  # noqa: E402
from weibao.sheets.importer import import_ledger  # noqa: E402

AGES = ["0-2", "3-5", "6-11", "12-13", "14-15", "16-17"]
CATEGORIES = ["留守儿童", "留守儿童、低保家庭儿童", "孤儿", "事实无人抚养儿童", "残疾儿童"]


def make_repo(target: Path) -> tuple[str, str]:
    shutil.copytree(ROOT / "schemas", target / "schemas")
    for name in ("vocabularies", "regions", "orgs", "sources", "policies"):
        shutil.copytree(ROOT / "records" / name, target / "records" / name)
    shutil.copy(ROOT / "weibao.yaml", target / "weibao.yaml")
    repo = Repository(target)
    county = next(
        p.stem for p in repo.record_files("regions")
        if (load_file(p, p.name, 1 << 20).value or {}).get("level") == "县级"
    )
    return county, sorted(repo.ids("orgs"))[0]


def make_ledger(path: Path, rows: int, county: str, org: str) -> None:
    wb = Workbook(write_only=True)
    main, risk, services = (wb.create_sheet(n) for n in ("个案", "风险等级", "服务"))
    main.append(["台账编号", "县级地区", "建档月份", "年龄段", "性别", "儿童类别", "发现途径", "负责机构", "状态"])
    risk.append(["台账编号", "评估月份", "等级"])
    services.append(["台账编号", "月份", "服务类型", "方式", "次数"])
    for i in range(1, rows + 1):
        key = f"B-{i:06d}"
        month = f"20{24 + i % 3}-{1 + i % 12:02d}"
        main.append([key, county, month, AGES[i % 6], "男" if i % 2 else "女",
                     CATEGORIES[i % len(CATEGORIES)], "强制报告", org, "在管"])
        risk.append([key, month, ["红", "黄", "蓝", "绿"][i % 4]])
        if i % 2:
            services.append([key, month, "个案管理", "入户走访", 1 + i % 4])
    wb.save(path)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="build the repository here and keep it")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="weibao-bench-import-"))
    try:
        root = work / "repo"
        county, org = make_repo(root)
        ledger = work / "ledger.xlsx"
        make_ledger(ledger, args.rows, county, org)

        from python_calamine import CalamineWorkbook

        t = time.perf_counter()
        book = CalamineWorkbook.from_path(str(ledger))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()
        calamine_s = time.perf_counter() - t
        t = time.perf_counter()
        wb = load_workbook(ledger, read_only=True)
        for ws in wb.worksheets:
            for _ in ws.iter_rows(values_only=True):
                pass
        openpyxl_s = time.perf_counter() - t

        t = time.perf_counter()
        cpu = time.process_time() + _children_cpu()
        out = import_ledger(Repository(root), "cases", ledger)
        import_s = time.perf_counter() - t
        import_cpu_s = time.process_time() + _children_cpu() - cpu
        if out.problems:
            print("\n".join(p.text() for p in out.problems[:20]), file=sys.stderr)
            return 1
        written = len(list((root / "records" / "cases").glob("*.yaml")))
        print(json.dumps({
            "rows": args.rows, "records_written": written, "import_s": round(import_s, 2),
            "rows_per_s": round(args.rows / import_s),
            "import_cpu_s": round(import_cpu_s, 2), "load_average": round(os.getloadavg()[0], 1), "read_calamine_s": round(calamine_s, 2),
            "read_openpyxl_s": round(openpyxl_s, 2), "target_s": 10,
        }))
        return 0
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
