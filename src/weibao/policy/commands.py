"""`weibao policy …` subcommands: argument handling and what is printed for staff."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from weibao.policy.importer import Imported, import_file
from weibao.policy.record import FIELD_NAMES
from weibao.repo import Repository
from weibao.report import report_text


def run(repo: Repository, args: argparse.Namespace) -> int:
    if args.policy_command == "import":
        return run_import(repo, args)
    raise AssertionError(args.policy_command)  # argparse allows no other


def print_summary(repo: Repository, imported: Imported, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    rec = imported.draft.record
    out.write(f"已写入 {repo.rel(imported.path)}\n")
    for key in ("title", "doc_number", "issuers", "issued", "effective"):
        if key in imported.found_from and key in rec:
            value = "、".join(rec[key]) if isinstance(rec[key], list) else rec[key]
            out.write(f"  {FIELD_NAMES[key]}（{key}）：{value}（取自{imported.found_from[key]}）\n")
    notes = list(imported.notes)
    if "doc_number" not in rec:
        notes.append("没有找到文号：如果文件有文号，请加上 doc_number（如 民函〔2014〕240号）。")
    if notes:
        out.write("说明：\n")
        for note in notes:
            out.write(f"  - {note}\n")
    out.write("需要补充/核对的字段（已填入下面的值，文件中也用“# 待核对”标出）：\n")
    for t in imported.draft.todo:
        out.write(f"  - {t.field}（{FIELD_NAMES[t.field]}）：{t.value} —— {t.why}\n")


def run_import(repo: Repository, args: argparse.Namespace) -> int:
    imported = import_file(repo, args.file, args.record_id, args.force)
    print_summary(repo, imported)
    from weibao.validate import validate  # late: the validator loads every check module

    result = validate(repo, [imported.path])
    if result.ok:
        out = "校验通过。修改上面列出的字段后，请再运行 weibao validate。\n"
        sys.stdout.write(out)
        return 0
    sys.stdout.write("校验发现问题（记录已写入，请按提示修改）：\n")
    report_text(result, sys.stdout)
    return result.exit_code
