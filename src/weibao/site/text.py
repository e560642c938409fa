"""The one escaping path of the public site, and small helpers built on it: links, hours in words.

Every generated page (weibao.site.pages, the statistics section, 最近更新) puts record and
settings text into HTML only through esc(); pages are raw HTML blocks that Markdown leaves
alone (see pages.common.page), so no Markdown, attribute-list or template syntax in a record
is ever interpreted.
"""

from __future__ import annotations

import functools
import html
import posixpath
import re
from urllib.parse import quote

WEEKDAYS = {1: "周一", 2: "周二", 3: "周三", 4: "周四", 5: "周五", 6: "周六", 7: "周日"}

CHANNELS = {"voice": "电话", "sms": "短信", "webchat": "网页咨询", "wechat": "微信", "app": "手机应用"}

# characters that could open markup in places MkDocs/Material print without escaping
_TITLE_SAFE = str.maketrans({"<": "＜", ">": "＞", "&": "＆", '"': "＂", "'": "＇", "{": "｛", "}": "｝"})

_URL_OK = re.compile(r"^https?://[^\s\"'<>`]+$", re.IGNORECASE)


# beyond HTML: characters that open Markdown links/code, attribute lists and templates
_MARKUP_OPENERS = str.maketrans({"{": "&#123;", "}": "&#125;", "[": "&#91;", "]": "&#93;",
                                 "`": "&#96;", "|": "&#124;"})


def esc(value: object) -> str:
    """Escape any record or settings value for HTML text and attributes (quotes too), and the
    characters Markdown and templates treat as syntax, so it reads the same wherever it lands."""
    return html.escape("" if value is None else str(value), quote=True).translate(_MARKUP_OPENERS)


def region(body: str, label: str, css: str = "wb-table-wrap") -> str:
    """A horizontally scrollable block (wide table): focusable and named, so keyboard and
    screen-reader users can reach and scroll it (axe scrollable-region-focusable)."""
    return f'<div class="{css}" role="region" aria-label="{esc(label)}" tabindex="0">{body}</div>'


def safe_title(value: object) -> str:
    """A page title for front matter: Material prints titles unescaped, so markup characters
    become their harmless full-width look-alikes."""
    return " ".join(str(value).split()).translate(_TITLE_SAFE)


def safe_url(value: object) -> str | None:
    """An http(s) URL fit for href, or None (javascript:, data: and friends never get linked)."""
    if not isinstance(value, str) or not _URL_OK.match(value.strip()):
        return None
    return value.strip()


def ext_link(url: object, text: object) -> str:
    """A link to an outside page (official source): no referrer, so the site visited is hidden."""
    ok = safe_url(url)
    if ok is None:
        return esc(text)
    return f'<a href="{esc(ok)}" rel="noopener noreferrer">{esc(text)}</a>'


def tel_href(number: str) -> str:
    """tel: URI of a public number; separators dropped so every phone dials it."""
    return "tel:" + quote(re.sub(r"[^0-9+]", "", number), safe="+")


def tel_link(number: str, css: str = "wb-tel") -> str:
    return f'<a class="{css}" href="{esc(tel_href(number))}">{esc(number)}</a>'


@functools.lru_cache(maxsize=65536)  # the same few links on thousands of pages
def rel_link(from_page: str, to_page: str) -> str:
    """Relative URL from one generated page to another (.md paths; built with .html URLs)."""
    target = to_page[:-3] + ".html" if to_page.endswith(".md") else to_page
    base = posixpath.dirname(from_page)
    return posixpath.relpath(target, base or ".")


def _day_ranges(days: list[int]) -> str:
    days = sorted(set(days))
    if days == list(range(1, 8)):
        return "每天"
    parts: list[str] = []
    start = prev = days[0]
    for d in [*days[1:], None]:
        if d is not None and d == prev + 1:
            prev = d
            continue
        if prev - start >= 2:
            parts.append(f"{WEEKDAYS[start]}至{WEEKDAYS[prev]}")
        elif prev != start:
            parts.append(f"{WEEKDAYS[start]}、{WEEKDAYS[prev]}")
        else:
            parts.append(WEEKDAYS[start])
        if d is not None:
            start = prev = d
    return "、".join(parts)


def hours_in_words(hours: dict | None) -> str:
    """`{twenty_four_seven, periods, note}` as Chinese words: "周一至周五 08:30–17:30"."""
    if not hours:
        return "未注明"
    if hours.get("twenty_four_seven"):
        words = "24 小时，全年无休"
    else:
        periods = [
            f"{_day_ranges(p['days'])} {p['open']}–{p['close']}" for p in hours.get("periods") or []
        ]
        words = "；".join(periods) if periods else "时间未注明"
    if hours.get("note"):
        words += f"（{hours['note']}）"
    return words

