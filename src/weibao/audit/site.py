"""The site's "最近更新" page and the short change history on policy and organisation pages.

Only public collections are read from the history: program records (cases, clues, activities)
are never looked at here, so nothing about them can reach the site. Author names and commit
messages are not published either; only the date and which fields changed.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path
from typing import Any

from weibao.audit.changes import Change, collect, lineages, record_of
from weibao.audit.gitlog import is_repository
from weibao.repo import Repository
from weibao.site.pages.common import page
from weibao.site.text import esc, region, rel_link

PUBLIC = ("policies", "orgs", "hotlines")
LABELS = {"policies": "政策", "orgs": "机构", "hotlines": "热线"}
CHANGES = "changes.md"
RECENT = 100  # rows on the 最近更新 page
PER_RECORD = 10  # entries in a record page's history


def page_of(collection: str, record_id: str) -> str:
    """The page of a record, relative to the docs root (the site's layout)."""
    return "hotlines.md" if collection == "hotlines" else f"{collection}/{record_id}.md"


def _title(schema: dict, field: str) -> str:
    prop = schema.get("properties", {}).get(field, {})
    return str(prop.get("title") or field)


def summary(change: Change, schema: dict) -> str:
    """What changed, in words, without values: 修改了名称、电话。"""
    if change.action == "added":
        return "新增"
    if change.action == "deleted":
        return "删除"
    if change.error:
        return "修改（当时的文件格式有误）"
    fields: list[str] = []
    for d in change.differences:
        if d.field not in fields and d.field != "id":
            fields.append(d.field)
    words = []
    if change.action == "renamed":
        words.append(f"编号由 {change.old_id} 改为 {change.record_id}")
    if fields == ["verified"] and change.action != "renamed":
        return "重新核实"
    if fields:
        words.append("修改了" + "、".join(_title(schema, f) for f in fields))
    return "；".join(words) or "格式调整（内容未变）"


def _name(record: dict | None, change: Change) -> str:
    if record:
        return str(record.get("name") or record.get("title") or change.record_id)
    for d in change.differences:  # a record no longer published: its name at the time
        value = d.old if d.op == "removed" else d.new
        if d.path in ("name", "title") and isinstance(value, str):
            return value
    return change.record_id


def _shallow(root: Path) -> bool:
    proc = subprocess.run(
        ["git", "rev-parse", "--is-shallow-repository"], cwd=root, capture_output=True, text=True
    )
    return proc.stdout.strip() == "true"


def _sort_key(change: Change) -> dt.datetime:
    return dt.datetime.fromisoformat(change.date)


def contribute(
    repo: Repository,
    records_by_collection: dict[str, list[dict]],
    docs_dir: Path,
    extras: dict[str, Any],
) -> None:
    """Write docs_dir/changes.md, fill extras["history"], add the page to extras["nav"]."""
    current = {c: {str(r.get("id")): r for r in records_by_collection.get(c, [])} for c in PUBLIC}
    changes: list[Change] = []
    note = ""
    if not is_repository(repo.root):
        note = "本网站不是从 git 仓库生成的，没有修改记录。"
    else:
        changes = sorted(collect(repo.root, collections=PUBLIC), key=_sort_key, reverse=True)
        if _shallow(repo.root):
            note = "（生成网站时只取得了部分 git 历史，更早的修改未列出。）"
    schemas = {c: repo.schemas.get(c, {}) for c in PUBLIC}

    blocks = [
        "<p>热线、服务机构和政策文件最近的修改，最新的在前。每条修改都经过审核后合并；"
        "发现信息有误，请在本站的“如何提交修改”中查看纠错方法。</p>",
    ]
    if note:
        blocks.append(f"<p>{esc(note)}</p>")
    roots = lineages(changes)
    # each record's lineage → its current (published) name, so old rows link to today's page
    published = {
        roots[(c, i)]: (c, i, r) for c in PUBLIC for i, r in current[c].items() if (c, i) in roots
    }
    if changes:
        rows = []
        for c in changes[:RECENT]:
            now = published.get(roots[(c.collection, c.record_id)])
            if now and c.action != "deleted":
                href = rel_link(CHANGES, page_of(now[0], now[1]))
                link = f'<a href="{esc(href)}">{esc(_name(now[2], c))}</a>'
            else:
                link = esc(_name(None, c))
            rows.append(
                f'<tr><td><time datetime="{esc(c.date[:10])}">{esc(c.date[:10])}</time></td>'
                f"<td>{esc(LABELS[c.collection])}</td><td>{link}</td>"
                f"<td>{esc(summary(c, schemas[c.collection]))}</td></tr>"
            )
        table = ('<table class="wb-table"><caption>最近的修改</caption><thead><tr><th scope="col">日期</th>'
                 '<th scope="col">类型</th><th scope="col">名称</th><th scope="col">修改</th></tr></thead>'
                 f'<tbody>{"".join(rows)}</tbody></table>')
        blocks.append(region(table, "最近的修改"))
    elif not note:
        blocks.append("<p>还没有修改记录。</p>")
    docs_dir.mkdir(parents=True, exist_ok=True)
    (docs_dir / CHANGES).write_text(page("最近更新", "\n\n".join(blocks)), encoding="utf-8")

    history = extras.setdefault("history", {})
    by_root: dict[tuple[str, str], list[Change]] = {}
    for c in changes:  # newest first already
        by_root.setdefault(roots[(c.collection, c.record_id)], []).append(c)
    for collection in PUBLIC:
        for record_id in current[collection]:
            life = by_root.get(roots.get((collection, record_id), ("", "")), [])
            if life:
                history[f"records/{collection}/{record_id}.yaml"] = [
                    {"date": c.date[:10], "summary": summary(c, schemas[collection])}
                    for c in life[:PER_RECORD]
                ]
    extras.setdefault("nav", []).append({"最近更新": CHANGES})


__all__ = ["contribute", "page_of", "record_of", "summary"]
