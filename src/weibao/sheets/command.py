"""The spreadsheet commands: template, import, export (argument handling and output only)."""

from __future__ import annotations

import argparse
import sys

from weibao.errors import UsageError
from weibao.repo import Repository


def run_template(repo: Repository, args: argparse.Namespace) -> int:
    from weibao.sheets.template import write_template

    if args.collection not in repo.schemas:
        raise UsageError(f"没有名为“{args.collection}”的集合：可用的集合有 {'、'.join(repo.collections)}。")
    if args.out.suffix.lower() != ".xlsx":
        raise UsageError(f"{args.out}: 模板只能保存为 .xlsx 文件。")
    lay = write_template(repo, args.collection, args.out)
    print(f"已生成模板 {args.out}（工作表：填写说明、{'、'.join(s.name for s in lay.sheets)}）")
    return 0


def run_import(repo: Repository, args: argparse.Namespace) -> int:
    from weibao.sheets.importer import import_ledger

    out = import_ledger(repo, args.collection, args.file, dry_run=args.dry_run, today=args.today)
    name = args.file.name
    for p in out.problems:
        print(f"{name} {p.text()}")
    if out.problems:
        print(f"没有写入任何文件：{name} 中有 {len(out.problems)} 处问题。请修改表格后重新导入。",
              file=sys.stderr)
        return 1
    if out.encoding:
        print(f"CSV 编码：{out.encoding}")
    if out.examples:
        print(f"跳过示例行：{'、'.join(out.examples)}")
    verb = "检查通过（--dry-run，没有写入）" if args.dry_run else "已导入"
    print(f"{verb} {out.rows} 行：新建 {len(out.created)} 条，更新 {len(out.updated)} 条，"
          f"未变 {len(out.unchanged)} 条（records/{args.collection}/）。")
    return 0


def run_export(repo: Repository, args: argparse.Namespace) -> int:
    """`weibao export hsds --out DIR` is the open-data export; any other target is a collection."""
    if args.target == "hsds":
        from weibao.opendata.export import run

        if args.out is None:
            raise UsageError("weibao export hsds 需要 --out 输出目录。")
        return run(repo, args)
    from weibao.sheets.export import export

    path = export(repo, args.target, args.format, args.out)
    print(f"已导出 {path}")
    return 0
