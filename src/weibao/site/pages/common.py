"""Pieces every generated page uses: front matter, the h1, source, verification and history."""

from __future__ import annotations

import json

from weibao.site.context import SiteContext, record_file
from weibao.site.text import esc, ext_link, safe_title


def page(title: str, body: str, *, search: bool = True, boost: float | None = None,
         hide: tuple[str, ...] = (), h1: str | None = None) -> str:
    """A Markdown page: front matter (title, search, hide), one h1, then raw HTML blocks."""
    meta = [f"title: {json.dumps(safe_title(title), ensure_ascii=False)}"]
    if not search:
        meta.append("search:\n  exclude: true")
    elif boost is not None:
        meta.append(f"search:\n  boost: {boost}")
    if hide:
        meta.append("hide:\n" + "".join(f"  - {h}\n" for h in hide).rstrip("\n"))
    heading = h1 if h1 is not None else esc(title)
    return "---\n" + "\n".join(meta) + "\n---\n\n" + f"<h1>{heading}</h1>\n\n" + body.strip() + "\n"


def source_html(ctx: SiteContext, source: dict | None) -> str:
    """Where the information comes from: a source document (with its URL) and/or a URL."""
    if not source:
        return "未注明"
    parts = []
    doc = ctx.sources.get(source.get("document") or "")
    if doc:
        label = f"{doc.get('publisher', '')}：{doc.get('title', '')}".strip("：")
        if doc.get("published"):
            label += f"（{doc['published']}）"
        parts.append(ext_link(doc.get("url"), label))
    elif source.get("document"):
        parts.append(esc(source["document"]))
    if source.get("url"):
        parts.append(ext_link(source["url"], "原文网址"))
    if source.get("note"):
        parts.append(f'<span class="wb-note">{esc(source["note"])}</span>')
    return "<br>".join(parts)


def verified_html(ctx: SiteContext, verified: str | None) -> str:
    """The date a person last checked the entry, flagged for staff when it is too old."""
    text = f"<time>{esc(verified)}</time>" if verified else "未核实"
    if ctx.is_stale(verified):
        text += f' <span class="wb-badge wb-badge--stale">{esc(ctx.stale_words())}</span>'
    return text


def changed_html(ctx: SiteContext, collection: str, record_id: str) -> str:
    day = ctx.last_changed.get(record_file(collection, record_id))
    return f"<time>{esc(day)}</time>" if day else ""


def history_html(ctx: SiteContext, collection: str, record_id: str) -> str:
    """修改记录 from extras["history"] (filled by a contributor); empty when there is none."""
    entries = ctx.extras.get("history", {}).get(record_file(collection, record_id)) or []
    if not entries:
        return ""
    items = "".join(
        f"<li><time>{esc(e.get('date'))}</time> {esc(e.get('summary'))}</li>" for e in entries
    )
    return f'<section class="wb-history" aria-labelledby="h-history">\n<h2 id="h-history">修改记录</h2>\n<ul>{items}</ul>\n</section>'


def meta_table(rows: list[tuple[str, str]], caption: str = "") -> str:
    """A two-column table of already-escaped HTML values; empty values are left out."""
    body = "".join(f"<tr><th scope=\"row\">{k}</th><td>{v}</td></tr>" for k, v in rows if v)
    cap = f"<caption>{caption}</caption>" if caption else ""
    return f'<table class="wb-meta">{cap}<tbody>{body}</tbody></table>'
