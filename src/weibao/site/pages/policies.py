"""Policies: a list by date with status badges and filters, and a page per policy."""

from __future__ import annotations

from weibao.site.context import POLICIES, SiteContext, policy_page
from weibao.site.pages.common import changed_html, history_html, meta_table, page, source_html
from weibao.site.sanitize import render_body
from weibao.site.text import esc, rel_link

STATUS_CSS = {"现行有效": "valid", "已修订": "amended", "已废止": "repealed"}


def status_badge(status: str) -> str:
    return f'<span class="wb-badge wb-status wb-status--{STATUS_CSS.get(status, "other")}">{esc(status)}</span>'


def _scope(ctx: SiteContext, policy: dict) -> str:
    scope = policy.get("scope")
    return "全国" if scope == "全国" else ctx.region_full_name(scope)


def latest(ctx: SiteContext, n: int) -> list[dict]:
    return sorted(ctx.of("policies"), key=lambda p: (str(p.get("issued")), p["id"]), reverse=True)[:n]


def policy_item(ctx: SiteContext, p: dict, from_page: str) -> str:
    number = f'<span class="wb-docnum">{esc(p["doc_number"])}</span>' if p.get("doc_number") else ""
    return (
        f'<li class="wb-policy-item" data-wb-item data-issuer="{esc("|".join(p.get("issuers") or []))}" '
        f'data-tag="{esc("|".join(p.get("tags") or []))}">'
        f'<p class="wb-policy-item__title"><a href="{esc(rel_link(from_page, policy_page(p["id"])))}">'
        f'{esc(p["title"])}</a></p>'
        f'<p class="wb-policy-item__meta">{status_badge(p.get("status", ""))} '
        f'<time>{esc(p.get("issued"))}</time> {esc("、".join(p.get("issuers") or []))} {number}</p></li>'
    )


def list_page(ctx: SiteContext) -> str:
    policies = latest(ctx, len(ctx.of("policies")))
    issuers = sorted({i for p in policies for i in p.get("issuers") or []})
    tags = sorted({t for p in policies for t in p.get("tags") or []})

    def select(name: str, label: str, values: list[str]) -> str:
        opts = "".join(f'<option value="{esc(v)}">{esc(v)}</option>' for v in values)
        return (f'<label class="wb-filter__field">{label}<select name="{name}">'
                f'<option value="">全部</option>{opts}</select></label>')

    blocks = [
        f'<p class="wb-lead">共 {len(policies)} 份文件，按成文日期从新到旧排列。</p>',
        '<form class="wb-filter" data-wb-filter="wb-policies" hidden aria-label="筛选政策">'
        + select("issuer", "发文机关", issuers) + select("tag", "保护领域", tags)
        + '<p class="wb-filter__count" aria-live="polite"></p></form>',
        '<ul class="wb-list" id="wb-policies">'
        + "".join(policy_item(ctx, p, POLICIES) for p in policies) + "</ul>",
    ]
    if not policies:
        blocks.append("<p>暂无政策文件。</p>")
    return page("政策文件", "\n\n".join(blocks), search=False)


def _links(ctx: SiteContext, here: str, ids: list[str]) -> str:
    out = []
    for pid in ids:
        other = ctx.policies.get(pid)
        if other:
            out.append(f'<a href="{esc(rel_link(here, policy_page(pid)))}">{esc(other["title"])}</a>')
        else:
            out.append(esc(pid))
    return "<br>".join(out)


def detail_page(ctx: SiteContext, p: dict) -> str:
    here = policy_page(p["id"])
    superseded_by = [o["id"] for o in ctx.of("policies") if p["id"] in (o.get("supersedes") or [])]
    amended_by = [o["id"] for o in ctx.of("policies") if p["id"] in (o.get("amends") or [])]
    rows = [
        ("文号", esc(p.get("doc_number") or "无")),
        ("效力状态", status_badge(p.get("status", ""))),
        ("发文机关", esc("、".join(p.get("issuers") or []))),
        ("成文日期", f"<time>{esc(p.get('issued'))}</time>"),
        ("施行日期", f"<time>{esc(p['effective'])}</time>" if p.get("effective") else ""),
        ("文件层级", esc(p.get("level") or "")),
        ("适用范围", esc(_scope(ctx, p))),
        ("保护领域", esc("、".join(p.get("tags") or []))),
        ("取代", _links(ctx, here, p.get("supersedes") or [])),
        ("被以下文件取代", _links(ctx, here, superseded_by)),
        ("修订", _links(ctx, here, p.get("amends") or [])),
        ("被以下文件修订", _links(ctx, here, amended_by)),
        ("来源", source_html(ctx, p.get("source"))),
        ("最近修改", changed_html(ctx, "policies", p["id"])),
    ]
    blocks = [
        f'<p class="wb-back"><a href="{esc(rel_link(here, POLICIES))}">← 返回政策文件列表</a></p>',
        meta_table(rows, "文件信息"),
    ]
    downloads = ctx.extras.get("downloads", {}).get(p["id"]) or {}
    if downloads:
        items = "".join(
            f'<li><a href="{esc(rel_link(here, path))}" download>{esc(fmt.upper())} 文件</a></li>'
            for fmt, path in sorted(downloads.items())
        )
        blocks.append(f'<section class="wb-downloads" aria-labelledby="h-downloads"><h2 id="h-downloads">下载</h2><ul>{items}</ul></section>')
    blocks.append(f'<section class="wb-policy-body" aria-labelledby="h-body"><h2 id="h-body">正文</h2>\n<div class="wb-body">{render_body(p.get("body", ""))}</div>\n</section>')
    blocks.append(history_html(ctx, "policies", p["id"]))
    return page(p["title"], "\n\n".join(b for b in blocks if b))


def generate(ctx: SiteContext) -> dict[str, str]:
    out = {POLICIES: list_page(ctx)}
    for p in ctx.of("policies"):
        out[policy_page(p["id"])] = detail_page(ctx, p)
    return out
