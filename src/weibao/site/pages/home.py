"""Home: emergency numbers first, then how to report, the newest policies and where to go next."""

from __future__ import annotations

from pathlib import Path

from weibao.site.context import DIRECTORY, HOME, HOTLINES, POLICIES, STATISTICS, SiteContext
from weibao.site.pages.common import page
from weibao.site.pages.hotlines import SCOPES, hours_badge
from weibao.site.pages.policies import latest, policy_item
from weibao.site.text import esc, rel_link, tel_href

NEWEST = 5


def emergency(ctx: SiteContext) -> list[dict]:
    """Hotlines flagged `emergency`, plus those named in site.emergency_hotlines, widest first."""
    wanted = set(ctx.site.emergency_hotlines)
    chosen = [h for h in ctx.of("hotlines") if h.get("emergency") or h["id"] in wanted]
    return sorted(chosen, key=lambda h: (SCOPES.index(h["scope"]) if h.get("scope") in SCOPES else 9,
                                         len(h["number"]), h["number"]))


def _button(ctx: SiteContext, h: dict) -> str:
    where = "" if h.get("scope") == "全国" else ctx.region_name(h.get("region"))
    # "渭南市 渭南困境儿童热线" says the place twice: name it only when the line's name does not
    place = where.removesuffix("市").removesuffix("县").removesuffix("区") if where else ""
    label = h["name"] if place and place in h["name"] else f"{where} {h['name']}".strip()
    return (
        f'<li><a class="wb-call" href="{esc(tel_href(h["number"]))}">'
        f'<span class="wb-call__number">{esc(h["number"])}</span>'
        f'<span class="wb-call__name">{esc(label)}</span></a>'
        f'<span class="wb-call__hours">{hours_badge(h.get("hours"), ctx.time_zone)}</span></li>'
    )


def generate(ctx: SiteContext, docs_dir: Path, report_md: str) -> dict[str, str]:
    calls = "".join(_button(ctx, h) for h in emergency(ctx))
    blocks = [
        '<section class="wb-emergency" aria-labelledby="h-emergency">'
        '<h2 id="h-emergency">紧急求助电话</h2>'
        '<p>孩子正在受到伤害或面临危险，请立即拨打。点号码即可拨打。</p>'
        f'<ul class="wb-calls">{calls}</ul>'
        f'<p><a href="{esc(rel_link(HOME, HOTLINES))}">查看全部求助热线 →</a></p></section>',
        report_md.strip(),
    ]
    newest = latest(ctx, NEWEST)
    if newest:
        blocks.append(
            '<section aria-labelledby="h-policies"><h2 id="h-policies">最新政策</h2>'
            '<ul class="wb-list">' + "".join(policy_item(ctx, p, HOME) for p in newest) + "</ul>"
            f'<p><a href="{esc(rel_link(HOME, POLICIES))}">全部政策文件 →</a></p></section>'
        )
    more = [f'<li><a href="{esc(rel_link(HOME, DIRECTORY))}">服务机构目录</a>：保护中心、工作站、社工站、儿童之家</li>']
    if (docs_dir / STATISTICS).is_file():
        more.append(f'<li><a href="{esc(rel_link(HOME, STATISTICS))}">统计数据</a>：工作数据汇总</li>')
    blocks.append('<section aria-labelledby="h-more"><h2 id="h-more">找服务、看数据</h2>'
                  f'<ul>{"".join(more)}</ul></section>')
    title = ctx.site.title or "未保数据仓"
    return {HOME: page(title, "\n\n".join(blocks), hide=("navigation", "toc"),
                       h1=f"<span class=\"wb-home-title\">{esc(title)}</span><small>{esc(ctx.site.description)}</small>")}
