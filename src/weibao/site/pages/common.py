"""Pieces every generated page uses: front matter, the h1, source, verification and history."""

from __future__ import annotations

import json

from weibao.site.context import SiteContext, record_file
from weibao.site.text import esc, ext_link, safe_title


def page(title: str, body: str, *, search: bool = True, boost: float | None = None,
         hide: tuple[str, ...] = (), h1: str | None = None, markdown: bool = False) -> str:
    """Every generated page goes through here: front matter (title made inert by safe_title),
    one h1, then the body. The body is HTML built with esc() and wrapped in one <div>, which
    Markdown passes through untouched; markdown=True only for the package's own Markdown text
    (whose record values were still inserted with esc())."""
    meta = [f"title: {json.dumps(safe_title(title), ensure_ascii=False)}"]
    if not search:
        meta.append("search:\n  exclude: true")
    elif boost is not None:
        meta.append(f"search:\n  boost: {boost}")
    if hide:
        meta.append("hide:\n" + "".join(f"  - {h}\n" for h in hide).rstrip("\n"))
    heading = h1 if h1 is not None else esc(title)
    if markdown:
        return "---\n" + "\n".join(meta) + "\n---\n\n" + f"<h1>{heading}</h1>\n\n" + body.strip() + "\n"
    return ("---\n" + "\n".join(meta) + "\n---\n\n"
            + f'<div class="wb-page">\n<h1>{heading}</h1>\n\n{body.strip()}\n</div>\n')


def source_html(ctx: SiteContext, source: dict | None) -> str:
    """Where the information comes from: the source document (linked when its address is known)
    and/or a URL. The staff note (source.note, x-internal in the schema) is never published."""
    if not source:
        return "未注明"
    parts = []
    doc = ctx.sources.get(source.get("document") or "")
    if doc:
        label = f"{doc.get('publisher', '')}：{doc.get('title', '')}".strip("：")
        if doc.get("published"):
            label += f"（{doc['published']}）"
        parts.append(ext_link(doc.get("url"), label) if doc.get("url") else f"{esc(label)}（原文网址未知）")
    if source.get("url"):
        parts.append(ext_link(source["url"], "原文网址"))
    return "<br>".join(parts) or "未注明"


def verified_html(ctx: SiteContext, verified: str | None) -> str:
    """The date a person last checked the entry. Whether that is too long ago is for staff
    (the weekly stale-records job), never a badge on an emergency number."""
    return f'<time datetime="{esc(verified)}">{esc(verified)}</time>' if verified else "未注明"


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
