"""The public site as a parent on a phone (375 px) and a desktop (1280 px) sees it: axe-core finds
nothing serious, the quick exit meets the GOV.UK pattern, hours say whether a line is open now,
navigation exists at both sizes, tables and charts are readable."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.browser

# one page of each kind in the fixture site
PAGE_TYPES = {
    "home": "",
    "hotlines": "hotlines.html",
    "directory": "directory.html",
    "org": "orgs/test-centre.html",
    "policies": "policies.html",
    "policy": "policies/test-plan-2024.html",
    "fields": "fields.html",
    "fields-orgs": "fields/orgs.html",
    "changes": "changes.html",
    "report": "report.html",
    "safety": "safety.html",
    "search": "search.html?q=%E5%BC%BA%E5%88%B6%E6%8A%A5%E5%91%8A",
    "guide": "guide/index.html",
    "404": "404.html",
}
SAMPLE_PAGE_TYPES = {
    "statistics": "statistics/index.html",
    "statistics-group": "statistics/cases.html",
    "methodology": "statistics/methodology.html",
    "changes-sample": "changes.html",
}
WIDTHS = (375, 1280)
AXE_COUNTS: dict[str, dict[str, int]] = {}


def _context(browser, width: int, **kw):
    return browser.new_context(viewport={"width": width, "height": 800}, service_workers="block", **kw)


def _axe(pg, axe_source: str) -> list[dict]:
    pg.add_script_tag(content=axe_source)
    return pg.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,
                                      target: v.nodes[0] && v.nodes[0].target.join(' ')}));
    }""")


def _check_axe(browser, base: str, axe_source: str, artifacts, name: str, path: str, width: int) -> None:
    context = _context(browser, width)
    pg = context.new_page()
    pg.goto(base + path)
    pg.wait_for_load_state("networkidle")
    found = _axe(pg, axe_source)
    pg.screenshot(path=str(artifacts / f"page-{name}-{width}.png"), full_page=True)
    context.close()
    counts = {impact: sum(1 for v in found if v["impact"] == impact)
              for impact in ("critical", "serious", "moderate", "minor")}
    AXE_COUNTS[f"{name}@{width}"] = counts
    out = artifacts / "axe-counts.json"
    merged = json.loads(out.read_text(encoding="utf-8")) if out.is_file() else {}
    merged.update({f"{name}@{width}": {**counts, "rules": [v["id"] for v in found]}})
    out.write_text(json.dumps(merged, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    serious = [v for v in found if v["impact"] in ("serious", "critical")]
    assert serious == [], serious


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_axe_finds_nothing_serious(browser, site_url, axe_source, artifacts, name, width):
    """axe-core: 0 critical and 0 serious violations on every page type at both widths."""
    _check_axe(browser, site_url, axe_source, artifacts, name, PAGE_TYPES[name], width)


@pytest.mark.slow
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(SAMPLE_PAGE_TYPES))
def test_axe_on_the_statistics_section(browser, sample_site_url, axe_source, artifacts, name, width):
    """The same for the statistics pages and 最近更新 of the committed sample repository."""
    _check_axe(browser, sample_site_url, axe_source, artifacts, name, SAMPLE_PAGE_TYPES[name], width)


# ---- quick exit ------------------------------------------------------------------------------

def _exit_route(pg) -> None:
    pg.route("http://exit.invalid/**", lambda route: route.fulfill(body="exit", content_type="text/plain"))


@pytest.mark.parametrize("width", WIDTHS)
def test_quick_exit_blanks_the_page_and_back_does_not_return(browser, site_url, width):
    """Clicking blanks the page before leaving; Back then goes to the page before, not this one."""
    context = _context(browser, width)
    pg = context.new_page()
    _exit_route(pg)
    pg.goto(site_url)
    pg.goto(site_url + "hotlines.html")
    exit_link = pg.locator("#wb-quick-exit")
    assert exit_link.is_visible()
    assert exit_link.evaluate("a => !!a.closest('aside, nav, header, main, footer, [role=region]')")
    pg.evaluate("""() => { window.__blankBeforeLeaving = null;
        window.addEventListener('beforeunload', () => {
            window.__blankBeforeLeaving = getComputedStyle(document.body).visibility; }); }""")
    blank = pg.evaluate("""() => new Promise(resolve => {
        window.addEventListener('beforeunload', () => resolve(getComputedStyle(document.body).visibility));
        document.getElementById('wb-quick-exit').click(); })""")
    assert blank == "hidden"
    pg.wait_for_url("http://exit.invalid/**")
    pg.go_back()
    pg.wait_for_load_state()
    assert not pg.url.endswith("hotlines.html"), pg.url
    context.close()


def test_quick_exit_shift_three_times_and_not_escape(browser, site_url):
    """Shift pressed three times leaves; Escape does nothing (it also stops page loads)."""
    context = _context(browser, 1280)
    pg = context.new_page()
    _exit_route(pg)
    pg.goto(site_url + "policies.html")
    pg.keyboard.press("Escape")
    pg.wait_for_timeout(300)
    assert pg.url.endswith("policies.html")
    for _ in range(3):
        pg.keyboard.press("Shift")
    pg.wait_for_url("http://exit.invalid/**")
    context.close()


def test_quick_exit_resets_on_pageshow(page, site_url):
    """A page brought back from the cache is not left blank."""
    page.goto(site_url)
    page.evaluate("document.documentElement.classList.add('wb-leaving')")
    page.evaluate("window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))")
    assert page.evaluate("getComputedStyle(document.body).visibility") == "visible"


@pytest.mark.parametrize("width", WIDTHS)
def test_quick_exit_never_covers_a_control(browser, site_url, width):
    """Every control in the header and the search form is what a tap on its centre hits, even
    scrolled down (the exit bar is a row of its own, not a layer on top)."""
    context = _context(browser, width)
    pg = context.new_page()
    pg.goto(site_url + "search.html")
    pg.locator("form.wb-search input[type=search]").fill("热线")
    pg.evaluate("window.scrollTo(0, 200)")
    covered = pg.evaluate("""() => [...document.querySelectorAll(
        '.md-header a, .md-header label, .md-header button, .md-tabs a, form.wb-search input, form.wb-search button')]
      .filter(el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 &&
                      r.top >= 0 && getComputedStyle(el).visibility !== 'hidden'; })
      .filter(el => { const r = el.getBoundingClientRect();
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return !(hit === el || el.contains(hit) || (hit && hit.contains(el))); })
      .map(el => el.outerHTML.slice(0, 80))""")
    assert covered == []
    assert pg.locator("#wb-quick-exit").is_visible()
    context.close()


def test_safety_page_says_what_quick_exit_does_not_hide(page, site_url):
    page.goto(site_url)
    page.locator(".wb-exit__about").click()
    text = page.locator("article").inner_text()
    assert "不会删除浏览记录" in text and "监控" in text


# ---- hotlines: checked date and open now ---------------------------------------------------

def _hotline_state(browser, site_url, when: str) -> dict[str, str]:
    # the phone is set to New York: the answer must still follow Beijing time
    context = _context(browser, 375, timezone_id="America/New_York")
    pg = context.new_page()
    pg.clock.set_fixed_time(when)
    pg.goto(site_url + "hotlines.html")
    out = {}
    for hid in ("national-12349", "national-110"):
        card = pg.locator(f"#hotline-{hid} .wb-hotline__hours")
        out[hid] = card.inner_text()
    text = pg.locator("article.md-content__inner").inner_text()
    context.close()
    out["page"] = text
    return out


def test_open_now_follows_beijing_time(browser, site_url):
    """12349 (Mon–Fri 08:30–17:30): open at 10:00 Wednesday Beijing time, which is 21:00 Tuesday
    in New York; closed at 18:00 Beijing time; 110 is always open; dates checked are public."""
    during = _hotline_state(browser, site_url, "2025-01-15T02:00:00Z")  # Wed 10:00 in Beijing
    assert "现在可拨打" in during["national-12349"]
    assert "现在可拨打" in during["national-110"]
    after = _hotline_state(browser, site_url, "2025-01-15T10:00:00Z")  # Wed 18:00 in Beijing
    assert "已下班" in after["national-12349"] and "明天 08:30" in after["national-12349"]
    assert "现在可拨打" in after["national-110"]
    assert "最近核实" in during["page"] and "2024-08-01" in during["page"]
    assert "未核实" not in during["page"]


# ---- navigation, footer, 404 ---------------------------------------------------------------

def test_navigation_on_desktop_and_phone(browser, site_url):
    """Desktop home shows the sections as tabs; a phone has the menu button and its drawer."""
    context = _context(browser, 1280)
    pg = context.new_page()
    pg.goto(site_url)
    tabs = pg.locator(".md-tabs")
    assert tabs.is_visible() and "求助热线" in tabs.inner_text() and "服务机构" in tabs.inner_text()
    context.close()
    context = _context(browser, 375)
    pg = context.new_page()
    pg.goto(site_url)
    pg.locator("label.md-header__button[for=__drawer]").click()
    drawer = pg.locator(".md-sidebar--primary")
    drawer.locator("text=政策文件").first.wait_for(state="visible")
    context.close()


def test_footer_links_and_chinese_404(page, site_url):
    page.goto(site_url + "404.html")
    assert page.locator("h1").inner_text().startswith("找不到这个页面")
    page.goto(site_url)
    footer = page.locator("footer")
    assert footer.locator("a", has_text="报告错误").get_attribute("href") == "https://example.invalid/issues"
    assert footer.locator("a", has_text="数据仓").get_attribute("href") == "https://example.invalid/repo"


# ---- tables and charts ---------------------------------------------------------------------

def test_wide_table_scrolls_by_keyboard_with_a_cue(browser, sample_site_url):
    """At 360 px a wide table is a focusable, named region that says it scrolls; arrow keys scroll it."""
    context = _context(browser, 360)
    pg = context.new_page()
    pg.goto(sample_site_url + "statistics/index.html")
    wrap = pg.locator(".wb-table-wrap").last
    assert wrap.get_attribute("tabindex") == "0" and wrap.get_attribute("aria-label")
    assert wrap.evaluate("w => w.scrollWidth > w.clientWidth")
    assert wrap.evaluate("w => w.previousElementSibling.className") == "wb-scroll-hint"
    assert wrap.evaluate("w => !w.previousElementSibling.hidden")
    wrap.focus()
    pg.keyboard.press("ArrowRight")
    pg.keyboard.press("ArrowRight")
    # scrolling by keys may be smooth: wait for it rather than read the position at once
    pg.wait_for_function("w => w.scrollLeft > 0", arg=wrap.element_handle(), timeout=5000)
    assert pg.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()


@pytest.mark.slow
def test_chart_labels_are_at_least_12px_at_360(browser, sample_site_url, artifacts):
    """Every label and number of every bar chart is text of at least 12 CSS px on a 360 px phone,
    and numbers in statistics tables are right-aligned."""
    context = _context(browser, 360)
    pg = context.new_page()
    pg.goto(sample_site_url + "statistics/cases.html")
    sizes = pg.evaluate("""() => [...document.querySelectorAll(
        '.wb-bars figcaption, .wb-bars__label, .wb-bars__value')].map(
        e => parseFloat(getComputedStyle(e).fontSize))""")
    assert sizes and min(sizes) >= 12, min(sizes)
    values = pg.locator(".wb-bars__value")
    assert values.count() > 0 and all(v.strip() for v in values.all_inner_texts())
    assert pg.locator("table.weibao-stats td").first.evaluate("td => getComputedStyle(td).textAlign") == "right"
    assert pg.evaluate("document.documentElement.scrollWidth") <= 360
    pg.screenshot(path=str(artifacts / "statistics-cases-360.png"), full_page=False)
    context.close()
