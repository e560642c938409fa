"""`weibao template <collection> --out FILE.xlsx`: a blank ledger a staff member fills in.

First sheet 填写说明 (how to fill it, and for program records why there is no column for a name
or any identifier); then one sheet per layout sheet with Chinese headers, the schema description
as each header's comment, text format on text columns (so Excel keeps 0535 and 6-11 as typed),
drop-downs from vocabularies, enums, region codes and record ids (long lists live on a hidden
sheet _lists), and an example row marked 示例 that import skips.
"""

from __future__ import annotations

import string
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from weibao.errors import WeibaoError
from weibao.load import load_file
from weibao.load.yaml_strict import parse
from weibao.repo import RECORD_SUFFIX, Repository
from weibao.scaffold import _values, template
from weibao.sheets.cells import display
from weibao.sheets.layout import Column, Layout, Sheet, layout
from weibao.sheets.read import column_letter
from weibao.sheets.settings import settings

REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
EXAMPLE_FONT = Font(italic=True, color="808080")
LISTS = "_lists"


def choices(repo: Repository, col: Column) -> list[str]:
    """The values a drop-down offers for a column (empty: free input)."""
    out = [str(display(v, col)) for v in col.enum]
    if col.kind == "boolean":
        return ["是", "否"]
    if col.vocabulary:
        path = repo.records_dir / "vocabularies" / f"{col.vocabulary}{RECORD_SUFFIX}"
        record = load_file(path, repo.rel(path), 1 << 24).value if path.is_file() else None
        out += [t["term"] for t in (record or {}).get("terms") or [] if isinstance(t, dict) and "term" in t]
    if col.ref == "regions":
        ids = sorted(repo.ids("regions"))
        if col.pattern == "^[0-9]{6}$":
            ids = [i for i in ids if len(i) == 6]
        out += ids
    elif col.ref:
        out += sorted(repo.ids(col.ref))
    return out


def region_names(repo: Repository) -> list[tuple[str, str]]:
    out = []
    for path in repo.record_files("regions"):
        value = load_file(path, repo.rel(path), 1 << 20).value or {}
        out.append((str(value.get("id", path.stem)), str(value.get("name", ""))))
    return sorted(out)


def example_record(repo: Repository, collection: str) -> dict:
    """The record `weibao new` would write, as the example row (it passes validation)."""
    try:
        text = template(f"{collection}{RECORD_SUFFIX}")
        values = _values(repo, text, repo.today())
    except (FileNotFoundError, WeibaoError):
        return {}
    values["id"] = "example"
    value, problems = parse(string.Template(text).safe_substitute(values))
    return value if isinstance(value, dict) and not problems else {}


def _get(record: object, path: tuple[str, ...]) -> object:
    for step in path:
        if not isinstance(record, dict):
            return None
        record = record.get(step)
    return record


def _comment(col: Column, options: list[str]) -> Comment:
    parts = [col.description or col.header]
    if col.hint and col.hint not in parts[0]:
        parts.append(col.hint)
    parts.append("必填。" if col.required else "可不填。")
    if col.is_list:
        parts.append(f"可写多项，用“{settings().separators[0]}”分开。")
    if options and len(options) <= 12:
        parts.append("可选：" + "、".join(options))
    text = "\n".join(parts)
    comment = Comment(text, "weibao")
    comment.width = 320
    comment.height = 40 + 18 * (len(text) // 18 + text.count("\n"))
    return comment


class _Lists:
    """Drop-down sources on the hidden sheet, one column per distinct list."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.refs: dict[tuple[str, ...], str] = {}

    def ref(self, values: list[str]) -> str:
        key = tuple(values)
        if key not in self.refs:
            col = len(self.refs) + 1
            for row, value in enumerate(values, start=1):
                self.ws.cell(row=row, column=col, value=value)
            letter = column_letter(col - 1)
            self.refs[key] = f"'{LISTS}'!${letter}$1:${letter}${len(values)}"
        return self.refs[key]


def _data_sheet(wb: Workbook, repo: Repository, sheet: Sheet, lists: _Lists, example: dict, rows: int) -> None:
    ws = wb.create_sheet(sheet.name)
    ws.freeze_panes = "B2"
    listed = _get(example, sheet.list_path) if sheet.list_path else None
    items = [example] if sheet.list_path is None else (listed if isinstance(listed, list) else [])[:2]
    marker = settings().example_marker
    for i, col in enumerate(sheet.columns):
        letter = column_letter(i)
        cell = ws.cell(row=1, column=i + 1, value=col.header)
        cell.font = Font(bold=True)
        cell.fill = REQUIRED_FILL if col.required else HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        options = [] if col.key else choices(repo, col)
        cell.comment = _comment(col, options)
        width = max(10, min(40, 2 * len(col.header) + 4))
        ws.column_dimensions[letter].width = width
        if col.kind in ("text", "month", "date", "time") or col.is_list or col.key:
            ws.column_dimensions[letter].number_format = "@"  # keeps 0535, 6-11, 2025-11 as typed
        if options and not col.is_list:
            dv = DataValidation(type="list", formula1=lists.ref(options), allow_blank=True)
            dv.error = f"请从下拉列表中选择“{col.header}”。"
            dv.errorTitle = "不在可选范围内"
            dv.showErrorMessage = True
            ws.add_data_validation(dv)
            dv.add(f"{letter}2:{letter}{rows + 1}")
        for r, item in enumerate(items, start=2):
            value = marker if col.key else _get(item, col.path)
            if value is None:
                continue
            c = ws.cell(row=r, column=i + 1, value=display(value, col))
            c.font = EXAMPLE_FONT
            c.number_format = ws.column_dimensions[letter].number_format or "General"
    ws.row_dimensions[1].height = 30


def _rules_sheet(ws: Worksheet, repo: Repository, lay: Layout) -> None:
    s = settings()
    lines: list[tuple[str, ...]] = [
        (f"{lay.title}：批量录入模板",),
        (f"用法：填好后运行  weibao import {lay.collection} 本文件.xlsx  （先加 --dry-run 只检查不写入）。",),
        ("导入是“全有或全无”的：任何一格有问题，一个文件也不写，屏幕上会列出每个问题所在的格子（如 "
         f"{lay.main.name}!D17）和改法。",),
        ("",),
    ]
    if lay.program:
        lines += [
            ("为什么没有姓名、身份证号、电话、住址、学校、出生日期这些列？",),
            ("这是去标识化的工作记录：数据仓和公开网站只保存年龄段、月份、县级地区和随机编号，"
             "任何能认出一个孩子的信息都不能进入。表头里出现“姓名”“身份证”“电话”“住址”“学校”“出生”"
             "等列时，整个文件会在读取任何一行之前被拒绝；每一格还会经过隐私检查。",),
            (f"“{s.key_header}”是本台账自己的行编号（如 {s.key_example}），只用于再次导入同一台账时"
             "认出同一条记录（更新而不是重复）。它不写进记录，数据仓只保存它的指纹。只能用字母、数字和"
             f"连字符，连续数字不超过 {s.key_max_digit_run} 位；各单位请用自己的前缀，不同台账的编号不能相同。",),
            ("记录编号（c-…、x-…、a-…）在导入时随机生成。",),
        ]
    else:
        lines += [(f"“{lay.key.header}”就是记录的编号（文件名）：{lay.key.description}",),
                  ("再次导入同一编号会更新这条记录。",)]
    lines += [
        ("",),
        ("填写规则",),
        (f"· 每条记录一行（“{lay.main.name}”表）。标为橙色的列必填；把鼠标停在表头上可看到说明。",),
        (f"· 一格写多项时用“{s.separators[0]}”分开（也可用逗号、分号）。",),
        ("· 月份写 2025-11，日期写 2024-08-06，时间写 08:30。模板中这些列已设为文本格式，"
         "请不要改成“常规”或“数字”，否则 Excel 会把 0535 变成 535、把 6-11 变成日期。",),
        (f"· “{s.key_header if lay.program else lay.key.header}”写“{s.example_marker}”的行是示例，导入时跳过；可以删除。",),
    ]
    for sheet in lay.sheets[1:]:
        lines.append((f"· “{sheet.name}”表：{sheet.description} 每行一项，第一列写所属记录在“"
                      f"{lay.main.name}”表中的{lay.key.header}；同一记录的多行按表中顺序保存。",))
    for path, value in lay.fixed.items():
        lines.append((f"· 字段 {'.'.join(path)} 固定为 {value!r}（schema 规定），导入时自动写入，表中没有这一列。"
                      .replace("True", "true"),))
    for name in lay.unsupported:
        lines.append((f"· “{name}”不能用表格填写：请在导入后直接编辑 YAML 文件。",))
    lines += [("",), ("各列说明",), ("工作表", "列", "必填", "说明")]
    for sheet in lay.sheets:
        for col in sheet.columns:
            lines.append((sheet.name, col.header, "是" if col.required else "", col.description))
    regions = region_names(repo)
    if regions:
        lines += [("",), ("行政区划代码",), ("代码", "名称")]
        lines += [(code, name) for code, name in regions]
    for r, row in enumerate(lines, start=1):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            # prose (one cell) runs on to the right; table rows wrap their description
            cell.alignment = Alignment(wrap_text=len(row) > 1 and c == 4, vertical="top")
        if row[0] in ("填写规则", "各列说明", "行政区划代码") or row[0].startswith("为什么"):
            ws.cell(row=r, column=1).font = Font(bold=True)
    ws["A1"].font = Font(bold=True, size=14)
    for letter, width in (("A", 14), ("B", 24), ("C", 6), ("D", 80)):
        ws.column_dimensions[letter].width = width


def write_template(repo: Repository, collection: str, out: Path) -> Layout:
    lay = layout(repo, collection)
    rows = settings().template_rows
    wb = Workbook()
    rules = wb.active
    rules.title = "填写说明"
    lists_ws = wb.create_sheet(LISTS)
    lists_ws.sheet_state = "hidden"
    lists = _Lists(lists_ws)
    example = example_record(repo, collection)
    for sheet in lay.sheets:
        _data_sheet(wb, repo, sheet, lists, example, rows)
    _rules_sheet(rules, repo, lay)
    wb.move_sheet(LISTS, offset=len(wb.sheetnames))
    wb.active = 1
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return lay
