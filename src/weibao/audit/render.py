"""Changes as Markdown (people), CSV (spreadsheets) or JSON (programs)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
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


def render_md(changes: list[Change], out: TextIO, title: str) -> None:
    out.write(f"# {title}\n\n")
    if not changes:
        out.write("没有找到修改。\n")
        return
    out.write(
        f"共 {len(changes)} 处修改。日期为提交作者的日期；“合并”列为带入修改的合并请求或合并提交。\n\n"
    )
    out.write("| 日期 | 提交 | 作者 | 合并 | 操作 | 记录 | 修改内容 |\n")
    out.write("| --- | --- | --- | --- | --- | --- | --- |\n")
    for c in changes:
        details = "<br>".join(_cell(line) for line in _details(c)) or "（内容未变）"
        out.write(
            f"| {_when(c.date)} | {c.commit[:12]} | {_cell(c.author)} | {_cell(c.merge)} "
            f"| {ACTIONS[c.action]} | {c.collection}/{c.record_id} | {details} |\n"
        )


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


def render_csv(changes: list[Change], out: TextIO, title: str) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
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
    out.write("\ufeff")  # Excel opens Chinese CSV correctly only with a BOM
    out.write(buffer.getvalue())


def render_json(changes: list[Change], out: TextIO, title: str) -> None:
    json.dump([c.as_dict() for c in changes], out, ensure_ascii=False, indent=2)
    out.write("\n")


RENDERER_BY_NAME: dict[str, Callable[[list[Change], TextIO, str], None]] = {
    "md": render_md,
    "csv": render_csv,
    "json": render_json,
}
