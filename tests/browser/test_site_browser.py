"""The built site in a real browser: calls, search, policy pages, quick exit, no other hosts."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _hosts(urls: list[str]) -> set[str]:
    return {urlsplit(u).hostname or "" for u in urls if not u.startswith(("data:", "blob:"))}


def test_home_shows_a_working_12349_link(page, site_url):
    """The home page offers 12349 as a tel: link at least 48 px tall."""
    page.goto(site_url)
    link = page.locator('main a[href="tel:12349"]').first
    assert link.is_visible()
    box = link.bounding_box()
    assert box and box["height"] >= 48


def test_emergency_numbers_come_first(page, site_url):
    """The first link in the page content dials 110."""
    page.goto(site_url)
    first = page.locator("article.md-content__inner a").first
    assert first.get_attribute("href") == "tel:110"


def _search(page, query: str) -> None:
    """Follow the header's 搜索 link and type a query the way a person does."""
    page.locator(".wb-exit__search").click()
    box = page.locator("form.wb-search input[type=search]")
    box.fill(query)
    box.press("Enter")


def test_search_finds_a_word_inside_a_longer_word(page, site_url):
    """Searching 留守 finds the policy that speaks of 留守儿童关爱."""
    page.goto(site_url)
    _search(page, "留守")
    # results render a moment after the first item appears: wait for the text, not the element
    expect(page.locator(".wb-search__results")).to_contain_text("留守儿童", timeout=15000)


def test_search_keeps_domain_terms_whole(page, site_url):
    """强制报告 is found, and the snippet marks the words that matched."""
    page.goto(site_url)
    _search(page, "强制报告")
    expect(page.locator(".wb-search__results mark").first).to_be_visible(timeout=15000)
    text = page.locator(".wb-search__results").inner_text()
    assert "强制" in text and "报告" in text
    assert page.locator(".wb-search__results mark").count() > 0


def test_policy_page_shows_status_and_number(page, site_url):
    """A policy page shows its status badge and 文号, and links to what it supersedes."""
    page.goto(site_url + "policies/test-plan-2024.html")
    assert page.locator(".wb-status").first.inner_text() == "现行有效"
    assert "测民发〔2024〕12号" in page.locator("table.wb-meta").inner_text()
    page.locator("table.wb-meta a", has_text="测试市困境儿童保障工作方案").click()
    assert "已废止" in page.locator(".wb-status").first.inner_text()
    assert "测试市留守儿童关爱保护工作方案" in page.locator("table.wb-meta").inner_text()


def test_quick_exit_leaves_the_site(page, site_url):
    """The quick-exit button replaces the page with the configured neutral site."""
    page.route("http://exit.invalid/**", lambda route: route.fulfill(body="exit", content_type="text/plain"))
    page.goto(site_url + "hotlines.html")
    page.locator("#wb-quick-exit").click()
    page.wait_for_url("http://exit.invalid/**")
    assert page.url.startswith("http://exit.invalid/")


def test_directory_filter_narrows_the_list(page, site_url):
    """Choosing a kind hides organisations of other kinds."""
    page.goto(site_url + "directory.html")
    page.locator("select[name=kind]").select_option("未成年人保护工作站")
    visible = page.locator("#wb-directory [data-wb-item]:visible")
    assert visible.count() == 1
    assert "城厢街道" in visible.first.inner_text()


@pytest.mark.parametrize("path", ["", "hotlines.html", "directory.html", "policies.html", "search.html",
                                  "policies/test-plan-2024.html", "orgs/test-centre.html"])
def test_no_request_leaves_the_site(page, site_url, path):
    """Loading a page (and searching) requests nothing from any other host."""
    page.goto(site_url + path)
    page.wait_for_load_state("networkidle")
    _search(page, "热线")
    page.locator(".wb-search__results li").first.wait_for(timeout=15000)
    page.wait_for_load_state("networkidle")
    assert _hosts(page.requested) == {"127.0.0.1"}


def test_html_lang_is_zh_cn_and_one_h1(page, site_url):
    """Every page says lang="zh-CN" and has exactly one h1."""
    for path in ["", "hotlines.html", "directory.html", "policies/test-plan-2024.html", "fields.html"]:
        page.goto(site_url + path)
        assert page.locator("html").get_attribute("lang") == "zh-CN"
        assert page.locator("h1").count() == 1, path


@pytest.mark.parametrize("width", [375, 1280])
def test_screenshots(browser, site_url, artifacts, width):
    """Home, hotlines and a policy at phone and desktop width, kept in test-artifacts/."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    pg = context.new_page()
    for name, path in [("home", ""), ("hotlines", "hotlines.html"),
                       ("policy", "policies/test-plan-2024.html"), ("directory", "directory.html")]:
        pg.goto(site_url + path)
        target = artifacts / f"site-{name}-{width}.png"
        pg.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 0
    # nothing wider than the screen at phone width
    if width == 375:
        pg.goto(site_url)
        assert pg.evaluate("document.documentElement.scrollWidth") <= width
    context.close()
