"""The directory: organisations by region (county → town) with filters, and a page per org.

Org pages are kept out of the navigation: every page renders the whole nav, so thousands of
pages in it make the build quadratic (see README, site build times).
"""

from __future__ import annotations

from functools import partial

from weibao.site.context import DIRECTORY, SiteContext, org_page, record_file
from weibao.site.pages.common import (
    changed_html,
    history_html,
    meta_table,
    page,
    source_html,
    verified_html,
)
from weibao.site.pages.hotlines import org_link
from weibao.site.pages.memo import cached
from weibao.site.text import esc, ext_link, hours_in_words, rel_link, tel_link

TOWN_LEVEL = "乡级"
# organisations per directory page; a larger directory is split by county into pages this size
# (about 150 KB of HTML each, light on a phone)
PAGE_SIZE = 200


def directory_part(county: str, n: int) -> str:
    return f"directory/{county or 'none'}-{n}.md"


def _area(ctx: SiteContext, org: dict) -> tuple[str, str]:
    """(county-or-higher code, town code or "") an org is listed under."""
    code = str(org.get("region") or "")
    region = ctx.regions.get(code, {})
    if region.get("level") == TOWN_LEVEL and region.get("parent"):
        return str(region["parent"]), code
    return code, ""


def _phones(org: dict) -> str:
    out = []
    for p in org.get("phones") or []:
        label = f'<span class="wb-note">{esc(p["label"])}</span> ' if p.get("label") else ""
        if p.get("type") == "fax":
            out.append(f"{label}传真 {esc(p['number'])}")
        else:
            out.append(label + tel_link(p["number"]))
    return "<br>".join(out)


def _contacts(org: dict) -> list[tuple[str, str]]:
    email = org.get("email")
    return [
        ("电话", _phones(org)),
        ("电子邮箱", f'<a href="mailto:{esc(email)}">{esc(email)}</a>' if email else ""),
        ("网站", ext_link(org.get("website"), org.get("website")) if org.get("website") else ""),
        ("微信公众号", esc(org.get("wechat_account") or "")),
    ]


def _card(ctx: SiteContext, here: str, org: dict) -> str:
    """One organisation in the directory list, with data-* attributes the filter reads."""
    county, town = _area(ctx, org)
    services = org.get("services") or []
    rows = [
        ("服务", esc("、".join(services))),
        ("地址", esc(org.get("address") or "")),
        ("开放时间", esc(hours_in_words(org["hours"])) if org.get("hours") else ""),
        *_contacts(org),
    ]
    details = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows if v)
    return (
        f'<li class="wb-org" data-wb-item data-region="{esc(county)} {esc(town)}" '
        f'data-kind="{esc(org.get("kind"))}" data-service="{esc("|".join(services))}">'
        f'<p class="wb-org__name"><a href="{esc(rel_link(here, org_page(org["id"])))}">'
        f'{esc(org["name"])}</a> <span class="wb-badge">{esc(org.get("kind"))}</span></p>'
        f'<dl class="wb-dl">{details}</dl></li>'
    )


def _select(name: str, label: str, options: list[tuple[str, str]]) -> str:
    opts = "".join(f'<option value="{esc(v)}">{esc(t)}</option>' for v, t in options)
    return (
        f'<label class="wb-filter__field">{esc(label)}'
        f'<select name="{name}"><option value="">全部</option>{opts}</select></label>'
    )


def _listing(ctx: SiteContext, here: str, orgs: list[dict], lead: str) -> list[str]:
    """The filterable list of orgs grouped by county and town, as page blocks."""
    groups: dict[str, dict[str, list[dict]]] = {}
    for org in orgs:
        county, town = _area(ctx, org)
        groups.setdefault(county, {}).setdefault(town, []).append(org)
    counties = sorted(groups, key=lambda c: (ctx.region_full_name(c), c))
    kinds = sorted({o.get("kind", "") for o in orgs})
    services = sorted({s for o in orgs for s in o.get("services") or []})
    region_opts: list[tuple[str, str]] = []
    for c in counties:
        region_opts.append((c, ctx.region_full_name(c)))
        region_opts += [(t, f"　{ctx.region_name(t)}") for t in sorted(groups[c]) if t]
    form = (
        '<form class="wb-filter" data-wb-filter="wb-directory" hidden aria-label="筛选机构">'
        + _select("region", "地区", region_opts)
        + _select("kind", "机构类型", [(k, k) for k in kinds])
        + _select("service", "服务", [(s, s) for s in services])
        + '<p class="wb-filter__count" aria-live="polite"></p></form>'
    )
    jump = "".join(
        f'<li><a href="#county-{esc(c)}">{esc(ctx.region_full_name(c) or "地区未注明")}</a></li>'
        for c in counties
    )
    blocks = [
        lead,
        f'<nav class="wb-jump" aria-label="按地区跳转"><ul>{jump}</ul></nav>' if len(counties) > 1 else "",
        form,
        '<div id="wb-directory">',
    ]
    for c in counties:
        blocks.append(
            f'<section class="wb-group" data-wb-group aria-labelledby="county-{esc(c)}">'
            f'<h2 id="county-{esc(c)}">{esc(ctx.region_full_name(c) or "地区未注明")}</h2>'
        )
        for t in sorted(groups[c], key=lambda t: (t != "", ctx.region_name(t), t)):
            if t:
                head = f'<h3 id="town-{esc(t)}">{esc(ctx.region_name(t))}</h3>'
            elif len(groups[c]) > 1:
                head = f'<h3 id="county-{esc(c)}-own">{esc(ctx.region_name(c))}本级</h3>'
            else:
                head = ""
            cards = "".join(_card(ctx, here, o) for o in groups[c][t])
            blocks.append(f'<div data-wb-group>{head}<ul class="wb-list">{cards}</ul></div>')
        blocks.append("</section>")
    blocks.append("</div>")
    return blocks


def directory_page(ctx: SiteContext, orgs: list[dict]) -> str:
    """All organisations on one page (a directory of at most PAGE_SIZE)."""
    lead = (f'<p class="wb-lead">共 {len(orgs)} 个机构，按所在地区（县 → 乡镇街道）排列。'
            "点机构名称查看详细信息。</p>")
    blocks = _listing(ctx, DIRECTORY, orgs, lead)
    if not orgs:
        blocks.append("<p>暂无机构信息。</p>")
    return page("服务机构", "\n\n".join(b for b in blocks if b), search=False)


def split_directory(ctx: SiteContext, orgs: list[dict]) -> dict[str, str]:
    """A large directory: an overview of areas, and pages of at most PAGE_SIZE organisations
    per county, so no page a phone loads grows with the size of the whole directory."""
    by_county: dict[str, list[dict]] = {}
    for org in orgs:
        by_county.setdefault(_area(ctx, org)[0], []).append(org)
    # a listing page reads its orgs and the regions (weibao serve reuses it while they are equal)
    memo = ctx.memo.section("directory", tuple(ctx.of("regions"))) if ctx.memo else None
    out: dict[str, str] = {}
    items = []
    for county in sorted(by_county, key=lambda c: (ctx.region_full_name(c), c)):
        members = sorted(by_county[county], key=lambda o: (ctx.region_name(_area(ctx, o)[1]), o["name"]))
        chunks = [members[i:i + PAGE_SIZE] for i in range(0, len(members), PAGE_SIZE)]
        name = ctx.region_full_name(county) or "地区未注明"
        links = []
        for n, chunk in enumerate(chunks, 1):
            here = directory_part(county, n)
            label = f"第 {n} 页" if len(chunks) > 1 else "查看"
            towns = [ctx.region_name(_area(ctx, o)[1]) or "县本级" for o in (chunk[0], chunk[-1])]
            span = towns[0] if towns[0] == towns[1] else f"{towns[0]}—{towns[1]}"
            links.append(f'<li><a href="{esc(rel_link(DIRECTORY, here))}">{esc(label)}</a>（{esc(span)}，'
                         f"{len(chunk)} 个）</li>")
            part = f"（第 {n} / {len(chunks)} 页）" if len(chunks) > 1 else ""
            lead = (f'<p class="wb-back"><a href="{esc(rel_link(here, DIRECTORY))}">← 全部地区</a></p>'
                    f'<p class="wb-lead">{esc(name)}共 {len(members)} 个机构{esc(part)}。点机构名称查看详细信息。</p>')
            title = f"服务机构：{name}{part}"

            def make(here: str = here, chunk: list[dict] = chunk, lead: str = lead,
                     title: str = title) -> str:
                return page(title, "\n\n".join(b for b in _listing(ctx, here, chunk, lead) if b),
                            search=False)

            out[here] = cached(memo, here, (title, lead, tuple(chunk)), make)
        items.append(f'<li><strong>{esc(name)}</strong>（{len(members)} 个机构）<ul>{"".join(links)}</ul></li>')
    body = (f'<p class="wb-lead">共 {len(orgs)} 个机构。请先选择所在地区；每页最多列出 {PAGE_SIZE} 个，'
            "也可以用“搜索”直接找机构名称。</p>"
            f'<ul class="wb-areas">{"".join(items)}</ul>')
    out[DIRECTORY] = page("服务机构", body, search=False)
    return out


def org_detail(ctx: SiteContext, org: dict) -> str:
    here = org_page(org["id"])
    children = sorted(ctx.children.get(org["id"], []), key=lambda o: o["name"])
    operated = sorted(ctx.operated.get(org["id"], []), key=lambda o: o["name"])
    hotlines = ctx.hotlines_by_operator.get(org["id"], [])
    wf = org.get("workforce") or {}
    workforce = "、".join(
        f"{label} {wf[key]} 人"
        for key, label in (("child_supervisors", "儿童督导员"), ("child_directors", "儿童主任"),
                           ("social_workers", "社工"))
        if key in wf
    )
    if workforce and wf.get("as_of"):
        workforce += f"（{wf['as_of']}）"
    rows = [
        ("机构类型", esc(org.get("kind"))),
        ("简称", esc(org.get("short_name") or "")),
        ("所在地区", esc(ctx.region_full_name(org.get("region")))),
        ("办公地址", esc(org.get("address") or "")),
        *_contacts(org),
        ("开放时间", esc(hours_in_words(org["hours"])) if org.get("hours") else ""),
        ("服务", esc("、".join(org.get("services") or []))),
        ("上级机构", org_link(ctx, here, org.get("parent")) if org.get("parent") else ""),
        ("运营机构", org_link(ctx, here, org.get("operator")) if org.get("operator") else ""),
        ("下属机构", "、".join(org_link(ctx, here, o["id"]) for o in children)),
        ("受托运营", "、".join(org_link(ctx, here, o["id"]) for o in operated)),
        ("接听热线", "<br>".join(f"{esc(h['name'])} {tel_link(h['number'])}" for h in hotlines)),
        ("工作队伍", esc(workforce)),
        ("来源", source_html(ctx, org.get("source"))),
        ("最近核实", verified_html(ctx, org.get("verified"))),
        ("最近修改", changed_html(ctx, "orgs", org["id"])),
    ]
    blocks = [
        f'<p class="wb-back"><a href="{esc(rel_link(here, DIRECTORY))}">← 返回服务机构目录</a></p>',
        f'<p class="wb-lead">{esc(org["description"])}</p>' if org.get("description") else "",
        meta_table(rows),
        history_html(ctx, "orgs", org["id"]),
    ]
    return page(org["name"], "\n\n".join(b for b in blocks if b))


def org_inputs(ctx: SiteContext, org: dict) -> tuple:
    """Everything org_detail reads apart from the regions and sources: the org, the records it
    names or is named by, its dates and history. A new input of org_detail must be added here
    (weibao serve reuses an org page while these are equal; tests/test_serve.py checks)."""
    oid = org["id"]
    record = record_file("orgs", oid)
    return (org, ctx.orgs.get(org.get("parent") or ""), ctx.orgs.get(org.get("operator") or ""),
            tuple(ctx.children.get(oid, [])), tuple(ctx.operated.get(oid, [])),
            tuple(ctx.hotlines_by_operator.get(oid, [])), ctx.last_changed.get(record),
            ctx.extras.get("history", {}).get(record))


def generate(ctx: SiteContext) -> dict[str, str]:
    orgs = sorted(ctx.of("orgs"), key=lambda o: o["name"])
    if len(orgs) <= PAGE_SIZE:
        out = {DIRECTORY: directory_page(ctx, orgs)}
    else:
        out = split_directory(ctx, orgs)
    shared = (ctx.today, tuple(ctx.of("regions")), tuple(ctx.of("sources")))
    memo = ctx.memo.section("orgs", shared) if ctx.memo else None
    for org in ctx.of("orgs"):
        here = org_page(org["id"])
        out[here] = cached(memo, here, org_inputs(ctx, org), partial(org_detail, ctx, org))
    return out
