"""Command line: parse arguments, run one stage, hand its result to a reporter. Nothing else.

Exit codes: 0 success; 1 the data has errors (here is where); 2 the command was used wrong;
3 weibao itself failed (a bug: any exception not raised on purpose ends here, never as exit 1).
"""

from __future__ import annotations

import argparse
import importlib
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from weibao import __version__
from weibao.clock import date_argument
from weibao.errors import WeibaoError

# subcommand → "module:function"; each function is run(repo, args) -> exit code
COMMANDS = {
    "validate": "weibao.commands:run_validate",
    "build": "weibao.site.build:run",
    "serve": "weibao.site.build:run_serve",
    "stats": "weibao.stats.publish:run",
    "privacy-report": "weibao.privacy_report:run",
    "audit": "weibao.audit.commands:run_audit",
    "history": "weibao.audit.commands:run_history",
    "release": "weibao.audit.release:run",
    "new": "weibao.scaffold:run",
    "policy": "weibao.policy.commands:run",
    "regions": "weibao.gazetteer.add:run",
    "coverage": "weibao.coverage.commands:run",
    "fmt": "weibao.fmt.command:run",
    "template": "weibao.sheets.command:run_template",
    "import": "weibao.sheets.command:run_import",
    "export": "weibao.sheets.command:run_export",
}


BUG_MESSAGE = ("weibao: 这是 weibao 的缺陷，请报告（把下面的全部文字发给维护者；"
               "你的数据不一定有错，也没有被修改）：")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse exits 2 on usage errors; keep it, in Chinese
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: 用法错误：{message}\n")


def output_format(value: str) -> tuple[str, Path | None]:
    """`NAME` (to standard output) or `NAME=FILE`; '=' and not ':' so Windows paths stay whole."""
    from weibao.report import REPORTER_BY_NAME

    name, sep, file = value.partition("=")
    if name not in REPORTER_BY_NAME:
        raise argparse.ArgumentTypeError(
            f"不认识的格式“{name}”，可用：{'、'.join(REPORTER_BY_NAME)}")
    if sep and not file:
        raise argparse.ArgumentTypeError(f"--format {value}：等号后面要写文件名。")
    return name, Path(file) if sep else None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="weibao", description="未保数据仓：校验记录、生成网站和统计。")
    parser.add_argument("--version", action="version", version=f"weibao {__version__}")
    parser.add_argument("--root", type=Path, default=None,
                        help="数据仓根目录（含 weibao.yaml），默认为当前目录或其上级")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("validate", help="校验记录（格式、引用、隐私）")
    p.add_argument("paths", nargs="*", type=Path, help="只校验这些文件或目录（其引用仍对照全库）")
    p.add_argument("--format", type=output_format, action="append", metavar="格式[=文件]",
                   help="text、json、github、summary（运行摘要 Markdown）、rdjson（reviewdog）或 sarif；"
                        "可以写多次，如 --format github --format summary=摘要.md，一次校验写出多种格式")
    p.add_argument("--commits", metavar="BASE..HEAD", help="同时检查这些提交加入的内容、提交说明和作者中有无个人信息")
    p.add_argument("--today", type=date_argument, help=argparse.SUPPRESS)  # tests pin the date

    p = sub.add_parser("build", help="校验后生成公开网站")
    p.add_argument("--out", type=Path, default=None, help="输出目录，默认 public/")
    p.add_argument("--no-admin", action="store_true", help="不生成网页编辑器 /admin/")
    p.add_argument("--require-pdf", action="store_true",
                   help="缺少中文字体、无法生成政策 PDF 时报错（默认只警告并省去 PDF 下载）")
    p.add_argument("--today", type=date_argument, help=argparse.SUPPRESS)

    p = sub.add_parser("serve", help="本地预览网站，修改记录后自动刷新")
    p.add_argument("--addr", default="127.0.0.1:8000")

    p = sub.add_parser("stats", help="计算统计表（含小数抑制和审计）")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--today", type=date_argument, help=argparse.SUPPRESS)

    p = sub.add_parser("privacy-report", help="列出准标识符组合过小的个案分组")
    p.add_argument("--format", choices=["text", "json"], default="text")

    p = sub.add_parser("audit", help="从 git 历史列出每条记录的字段级修改")
    p.add_argument("rev_range", nargs="?", default=None, metavar="REV_RANGE")
    p.add_argument("paths", nargs="*", type=Path)
    p.add_argument("--since")
    p.add_argument("--until")
    p.add_argument("--format", choices=["md", "csv", "json"], default="md")

    p = sub.add_parser("history", help="一条记录的修改历史")
    p.add_argument("record_id")
    p.add_argument("--format", choices=["md", "csv", "json"], default="md")

    p = sub.add_parser("release", help="打一个带日期的版本标签并归档统计")
    p.add_argument("edition", nargs="?", help="版本名，如 2026-Q3；默认为上一个已结束的季度")
    p.add_argument("--today", type=date_argument, help=argparse.SUPPRESS)

    p = sub.add_parser("new", help="新建一条记录（生成编号和必填字段）")
    p.add_argument("collection")
    p.add_argument("--id", dest="record_id")

    # one export command: `hsds` (open data, weibao.opendata) or a public collection as a table
    p = sub.add_parser("export", help="导出开放数据（hsds：Open Referral HSDS 3.0），或把公开集合导出为表格")
    p.add_argument("target", metavar="hsds|集合",
                   help="hsds：服务目录的 HSDS 3.0 JSON 和表格数据包；orgs、hotlines、policies 等：表格")
    p.add_argument("--format", choices=["xlsx", "csv"], default="xlsx", help="表格格式（集合）")
    p.add_argument("--out", type=Path, default=None,
                   help="hsds：输出目录（必填）；集合：输出文件，默认 <集合>.xlsx / <集合>.csv")
    p.add_argument("--today", type=date_argument, help=argparse.SUPPRESS)

    p = sub.add_parser("policy", help="政策文件的导入")
    psub = p.add_subparsers(dest="policy_command", required=True, parser_class=_Parser)
    pi = psub.add_parser("import", help="从 .docx / .html / .md 导入一份政策")
    pi.add_argument("file", type=Path)
    pi.add_argument("--id", dest="record_id")
    pi.add_argument("--force", action="store_true", help="覆盖已有的同编号记录")

    p = sub.add_parser("regions", help="行政区划记录（从所带的统计用区划代码表生成）")
    rsub = p.add_subparsers(dest="regions_command", required=True, parser_class=_Parser)
    ra = rsub.add_parser("add", help="为一个县级地区的每个乡镇（街道）写一条记录")
    ra.add_argument("county", help="县级代码（6 位），如 370682")

    p = sub.add_parser("coverage", help="三级阵地覆盖：哪些乡镇有工作站、儿童督导员、儿童主任")
    p.add_argument("--format", choices=["text", "json", "csv"], default="text")
    p.add_argument("--today", type=date_argument, help=argparse.SUPPRESS)

    p = sub.add_parser("fmt", help="把记录文件整理成统一格式（不改变任何值，保留注释）")
    p.add_argument("paths", nargs="*", type=Path, help="只整理这些文件或目录，默认全部记录")
    p.add_argument("--check", action="store_true", help="只检查，不写入；有需要整理的文件时退出码为 1")
    p = sub.add_parser("template", help="生成批量录入用的 Excel 模板")
    p.add_argument("collection")
    p.add_argument("--out", type=Path, required=True, help="保存为这个 .xlsx 文件")

    p = sub.add_parser("import", help="从 Excel/WPS 表格或 CSV 批量导入记录（全有或全无）")
    p.add_argument("collection")
    p.add_argument("file", type=Path, help=".xlsx、.xls、.ods 或 .csv 文件")
    p.add_argument("--dry-run", action="store_true", help="只检查，不写入任何文件")
    p.add_argument("--today", type=date_argument, help=argparse.SUPPRESS)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # Windows consoles: make sure Chinese messages print whatever the code page
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    from weibao.repo import Repository, find_root

    try:
        root = args.root if args.root else find_root(Path.cwd())
        repo = Repository(root)
        module, _, function = COMMANDS[args.command].partition(":")
        return int(getattr(importlib.import_module(module), function)(repo, args))
    except WeibaoError as err:
        print(f"weibao: {err}", file=sys.stderr)
        return 2
    except Exception:  # the one place where a bug becomes exit 3, so it never reads as bad data
        sys.stdout.flush()
        print(BUG_MESSAGE, file=sys.stderr)
        traceback.print_exc(file=sys.stderr)
        return 3


if __name__ == "__main__":
    raise SystemExit(main())
