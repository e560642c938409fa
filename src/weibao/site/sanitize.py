"""Policy bodies: Markdown → HTML → sanitised with nh3, so a record can never carry a script."""

from __future__ import annotations

import functools
import re

import markdown
import nh3

# what policy texts need: structure, emphasis, tables, links; nothing that runs or embeds
TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s",
    "sub", "sup", "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "code", "pre",
    "table", "thead", "tbody", "tr", "th", "td", "caption", "a", "span", "div",
}
ATTRIBUTES = {"a": {"href", "title"}, "th": {"align", "colspan", "rowspan"},
              "td": {"align", "colspan", "rowspan"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

_HEADING = re.compile(r"<(/?)h([1-6])\b")


@functools.lru_cache(maxsize=1024)  # weibao serve renders the same policies on every edit
def render_body(text: str, top: int = 3) -> str:
    """Safe HTML of a Markdown body; headings shifted to start at h<top> (one h1 per page)."""
    raw = markdown.markdown(text or "", extensions=["tables", "sane_lists"], output_format="html")
    clean = nh3.clean(
        raw,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    levels = [int(m[2]) for m in _HEADING.finditer(clean) if not m[1]]
    shift = top - min(levels) if levels else 0
    if shift > 0:
        clean = _HEADING.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + shift, 6)}", clean)
    return clean
