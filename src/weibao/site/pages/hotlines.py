"""The hotlines page: grouped by scope (全国 → 县级) and region, hours in words, verification."""

from __future__ import annotations

import json

from weibao.site.context import DEFAULT_TIME_ZONE, HOTLINES, SiteContext, org_page
from weibao.site.pages.common import page, source_html, verified_html
from weibao.site.text import CHANNELS, esc, hours_in_words, rel_link, tel_link

SCOPES = ("全国", "省级", "市级", "县级")


def hours_badge(hours: dict | None, time_zone: str = DEFAULT_TIME_ZONE) -> str:
    """Hours in words; a 24-hour line says so, and a line with opening periods gets a slot that
    weibao.js fills with 现在可拨打 / 已下班 computed in the repository's time zone."""
    if hours and hours.get("twenty_four_seven"):
        note = f'<span class="wb-hours">{esc(hours["note"])}</span>' if hours.get("note") else ""
        return f'<span class="wb-badge wb-badge--247">24 小时 · 现在可拨打</span> {note}'.strip()
    words = f'<span class="wb-hours">{esc(hours_in_words(hours))}</span>'
    periods = [{"days": p["days"], "open": p["open"], "close": p["close"]}
               for p in (hours or {}).get("periods") or []]
    if not periods:
        return words
    data = json.dumps(periods, separators=(",", ":"))
    return (f'{words} <span class="wb-open" data-wb-hours="{esc(data)}" data-wb-tz="{esc(time_zone)}" '
            'hidden></span>')


def org_link(ctx: SiteContext, from_page: str, org_id: str | None) -> str:
    org = ctx.orgs.get(org_id or "")
    if not org:
        return esc(org_id or "")
    return f'<a href="{esc(rel_link(from_page, org_page(org["id"])))}">{esc(org["name"])}</a>'


def hotline_card(ctx: SiteContext, h: dict, from_page: str, level: int) -> str:
    """One hotline: name, the number as a big tel: link, hours, and details."""
    rows = [
        ("渠道", esc("、".join(CHANNELS.get(c, c) for c in h.get("channels") or []))),
        ("可以反映", esc("、".join(h.get("topics") or []))),
        ("面向", esc("、".join(h.get("audience") or []))),
        ("服务地区", esc(ctx.region_full_name(h.get("region"))) if h.get("region") else "全国"),
        ("接听机构", org_link(ctx, from_page, h.get("operator")) if h.get("operator") else ""),
        ("说明", esc(h.get("description") or "")),
        ("来源", source_html(ctx, h.get("source"))),
        ("最近核实", verified_html(ctx, h.get("verified"))),
    ]
    details = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows if v)
    return (
        f'<article class="wb-hotline" id="hotline-{esc(h["id"])}">'
        f'<h{level} class="wb-hotline__name">{esc(h["name"])}</h{level}>'
        f'<p class="wb-hotline__number">{tel_link(h["number"], "wb-tel wb-tel--big")}</p>'
        f'<p class="wb-hotline__hours">{hours_badge(h.get("hours"), ctx.time_zone)}</p>'
        f'<dl class="wb-dl">{details}</dl>'
        "</article>"
    )


def generate(ctx: SiteContext) -> dict[str, str]:
    hotlines = ctx.of("hotlines")
    blocks: list[str] = [
        '<p class="wb-lead">遇到危险请先拨打 <a class="wb-tel" href="tel:110">110</a>。'
        "下列热线按范围和地区排列；点号码即可拨打。</p>"
    ]
    toc = []
    for scope in SCOPES:
        group = [h for h in hotlines if h.get("scope") == scope]
        if not group:
            continue
        sid = f"scope-{SCOPES.index(scope)}"
        toc.append(f'<li><a href="#{sid}">{esc(scope)}（{len(group)}）</a></li>')
        blocks.append(f'<section aria-labelledby="{sid}"><h2 id="{sid}">{esc(scope)}热线</h2>')
        if scope == "全国":
            for h in sorted(group, key=lambda h: (len(h["number"]), h["number"])):
                blocks.append(hotline_card(ctx, h, HOTLINES, 3))
        else:
            by_region: dict[str, list[dict]] = {}
            for h in group:
                by_region.setdefault(str(h.get("region") or ""), []).append(h)
            for code in sorted(by_region, key=lambda c: (ctx.region_full_name(c), c)):
                blocks.append(f'<h3 id="region-{esc(scope)}-{esc(code)}">{esc(ctx.region_full_name(code) or "地区未注明")}</h3>')
                for h in sorted(by_region[code], key=lambda h: h["number"]):
                    blocks.append(hotline_card(ctx, h, HOTLINES, 4))
        blocks.append("</section>")
    if not toc:
        blocks.append("<p>暂无热线信息。</p>")
    else:
        blocks.insert(1, f'<nav class="wb-jump" aria-label="按范围跳转"><ul>{"".join(toc)}</ul></nav>')
    return {HOTLINES: page("求助热线", "\n\n".join(blocks), boost=3)}
