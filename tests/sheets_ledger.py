"""Builds real spreadsheets for the import tests with openpyxl (never by hand).

Headers are written literally here, as a staff member's ledger would have them, independent of
the code that generates templates."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook

CASE_HEADERS = ["台账编号", "县级地区", "建档月份", "结案月份", "年龄段", "性别", "儿童类别",
                "发现途径", "负责机构", "状态", "结案原因"]
RISK_HEADERS = ["台账编号", "评估月份", "等级"]
SERVICE_HEADERS = ["台账编号", "月份", "服务类型", "方式", "次数"]
AGES = ["0-2", "3-5", "6-11", "12-13", "14-15", "16-17"]
CLUE_HEADERS = ["台账编号", "接收月份", "县级地区", "渠道", "类别", "处置机构", "是否移送",
                "移送部门", "首次响应天数", "结果"]


def case_row(i: int) -> list[object]:
    closed = i % 5 == 0
    return [
        f"T-{i:05d}", "370682", "2025-11", "2026-03" if closed else None, AGES[i % len(AGES)],
        "男" if i % 2 else "女", "留守儿童、低保家庭儿童" if i % 3 else "孤儿", "强制报告",
        "laiyang-civil-affairs", "已结案" if closed else "在管", "风险解除" if closed else None,
    ]


def cases_ledger(
    path: Path, n: int, edit: Callable[[int, list[object]], list[object]] | None = None,
    headers: list[str] | None = None, write_only: bool = False,
) -> Path:
    """A ledger of n cases with one risk row each and a service row for every other case.

    edit(row_number, row) may change the main-sheet row (row_number as Excel shows it: 2 = first).
    """
    wb = Workbook(write_only=write_only)
    if not write_only:
        wb.remove(wb.active)
    main, risk, services = (wb.create_sheet(n) for n in ("个案", "风险等级", "服务"))
    main.append(headers or CASE_HEADERS)
    risk.append(RISK_HEADERS)
    services.append(SERVICE_HEADERS)
    for i in range(1, n + 1):
        row = case_row(i)
        if edit:
            row = edit(i + 1, row)
        main.append(row)
        risk.append([f"T-{i:05d}", "2025-11", ["红", "黄", "蓝", "绿"][i % 4]])
        if i % 2:
            services.append([f"T-{i:05d}", "2025-12", "个案管理", "入户走访", 2])
    wb.save(path)
    return path


def clue_rows(n: int) -> list[list[object]]:
    return [
        [f"X-{i:04d}", "2025-10", "370682", "强制报告", "监护缺失", "laiyang-civil-affairs",
         "否", "", str(i % 3), "提供咨询"]
        for i in range(1, n + 1)
    ]


def clues_csv(path: Path, rows: list[list[object]], encoding: str) -> Path:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows([CLUE_HEADERS, *rows])
    data = buf.getvalue().encode("utf-8" if encoding == "utf-8-sig" else encoding)
    if encoding == "utf-8-sig":
        data = b"\xef\xbb\xbf" + data
    path.write_bytes(data)
    return path
