"""Changes as Markdown (people), CSV (spreadsheets) or JSON (programs), written as they come.

Each renderer takes an iterable and writes every change before asking for the next one, so
the audit of a long history needs memory for one change, not for the whole report.
"""

from __future__ import annotations

import csv
import json
import shutil
import tempfile
from collections.abc import Callable, Iterable
from typing import TextIO

from weibao.audit.changes import ACTIONS, Change
from weibao.audit.diff import describe


def _when(date: str) -> str:
    return date[:16].replace("T", " ")


def _details(change: Change) -> list[str]:
    lines = []
    if change.old_path:
        lines.append(f"改名：{change.old_path} → {change.path}")
    if change.error:
        lines.append(f"⚠ {change.error}")
    lines += [describe(d) for d in change.differences]
    return lines


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def render_md(changes: Iterable[Change], out: TextIO, title: str) -> None:
    out.write(f"# {title}\n\n")
    # the count comes before the table: rows wait in a temporary file, not in memory
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as rows:
        count = 0
        for c in changes:
            count += 1
            details = "<br>".join(_cell(line) for line in _details(c)) or "（内容未变）"
            rows.write(
                f"| {_when(c.date)} | {c.commit[:12]} | {_cell(c.author)} | {_cell(c.merge)} "
                f"| {ACTIONS[c.action]} | {c.collection}/{c.record_id} | {details} |\n"
            )
        if not count:
            out.write("没有找到修改。\n")
            return
        out.write(
            f"共 {count} 处修改。日期为提交作者的日期；“合并”列为带入修改的合并请求或合并提交。\n\n"
        )
        out.write("| 日期 | 提交 | 作者 | 合并 | 操作 | 记录 | 修改内容 |\n")
        out.write("| --- | --- | --- | --- | --- | --- | --- |\n")
        rows.seek(0)
        shutil.copyfileobj(rows, out)


COLUMNS = [
    "date",
    "commit",
    "author",
    "email",
    "merge",
    "action",
    "collection",
    "record_id",
    "path",
    "old_path",
    "subject",
    "changes",
]


def render_csv(changes: Iterable[Change], out: TextIO, title: str) -> None:
    out.write("\ufeff")  # Excel opens Chinese CSV correctly only with a BOM
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for c in changes:
        writer.writerow(
            [
                c.date,
                c.commit,
                c.author,
                c.email,
                c.merge,
                c.action,
                c.collection,
                c.record_id,
                c.path,
                c.old_path or "",
                c.subject,
                "\n".join(_details(c)),
            ]
        )


def render_json(changes: Iterable[Change], out: TextIO, title: str) -> None:
    """One JSON array, element by element: the same bytes as json.dump(indent=2) of a list."""
    separator = "[\n"
    for c in changes:
        item = json.dumps(c.as_dict(), ensure_ascii=False, indent=2)
        out.write(separator + "  " + item.replace("\n", "\n  "))
        separator = ",\n"
    out.write("[]\n" if separator == "[\n" else "\n]\n")


RENDERER_BY_NAME: dict[str, Callable[[Iterable[Change], TextIO, str], None]] = {
    "md": render_md,
    "csv": render_csv,
    "json": render_json,
}
