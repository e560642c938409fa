"""Job-summary Markdown: every error grouped by file, for $GITHUB_STEP_SUMMARY (or any Markdown page).

GitHub shows at most 10 annotations per step and Gitea/Forgejo show none; the summary page shows
every error. Messages echo record values, which anyone can write, so every cell goes through one
escaping function: no HTML, no links, no mentions, no table breakout survives it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import TextIO

from weibao.reporters import shown_errors
from weibao.result import Error, Result

# GitHub refuses a step summary larger than 1 MiB; stay below with room for the closing note
BUDGET_BYTES = 1_000_000
_PUNCT = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>&~@$^=\"'])")
_SPACE = re.compile(r"\s+")
# GFM's autolink extension links bare URLs and e-mail addresses even when escaped: a zero-width
# space after "://", "www" and before "@" keeps them readable but unlinked
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\\\.)|(?=\\@)", re.I)
ZWSP = "\u200b"


def md_text(value: str) -> str:
    """Plain text inside Markdown: one line, every active ASCII punctuation backslash-escaped
    (CommonMark lets any ASCII punctuation be escaped; the GFM table parser honours `\\|`)."""
    escaped = _PUNCT.sub(r"\\\1", _SPACE.sub(" ", value).strip())
    return _AUTOLINK.sub(ZWSP, escaped)


def _where(err: Error) -> str:
    if err.line and err.column:
        return f"{err.line}:{err.column}"
    return str(err.line) if err.line else "整个文件"


def _row(err: Error) -> str:
    field = md_text(err.path) if err.path else "—"
    return f"| {_where(err)} | {field} | {md_text(err.message)} | {md_text(err.rule)} |\n"


def report_summary(result: Result, out: TextIO, root: Path | None = None) -> None:
    errors = shown_errors(result)
    if not errors:
        out.write(f"### 记录校验：全部通过\n\n共检查 {result.checked} 个文件，没有发现错误。\n")
        return
    by_file: dict[str, list[Error]] = defaultdict(list)
    for err in errors:
        by_file[err.file].append(err)
    parts = [
        f"### 记录校验：发现 {len(errors)} 个错误（{len(by_file)} 个文件）\n\n",
        f"共检查 {result.checked} 个文件。每条错误写明行:列、字段、哪里不对和怎样改；"
        "改好后再次推送，这里会重新检查。\n",
    ]
    used = sum(len(p.encode("utf-8")) for p in parts)
    shown = 0
    for file, file_errors in by_file.items():
        head = (f"\n#### {md_text(file)}（{len(file_errors)} 个错误）\n\n"
                "| 行:列 | 字段 | 问题和改法 | 规则 |\n| --- | --- | --- | --- |\n")
        rows = [_row(e) for e in file_errors]
        size = len(head.encode("utf-8")) + sum(len(r.encode("utf-8")) for r in rows)
        if used + size > BUDGET_BYTES:
            break
        parts.append(head)
        parts.extend(rows)
        used += size
        shown += len(file_errors)
    if shown < len(errors):
        parts.append(
            f"\n**还有 {len(errors) - shown} 个错误没有列出**（摘要页最多 1 MiB）："
            "完整列表见这次运行的日志，或在本机运行 `weibao validate`。\n"
        )
    out.write("".join(parts))
