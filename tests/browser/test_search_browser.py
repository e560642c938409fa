"""Search with Pagefind on the committed sample repository: nothing of the index is fetched
until someone searches; the domain terms find the right page first, with marked snippets."""

from __future__ import annotations

from urllib.parse import quote

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# query → the pages any of which may come first (where two pages are equally right)
FIRST = {
    "强制报告": {"report.html"},
    "未成年人": {"policies/minors-protection-law-2020.html"},
    "12349": {"hotlines.html"},
    # the hotlines page (weighted up) lists 渭南困境儿童24小时援助热线: a parent's first answer
    "困境儿童": {"policies/state-council-2016-children-in-difficulty.html",
                 "orgs/weinan-xinxing-centre.html", "hotlines.html"},
    "莱阳": {"orgs/laiyang-protection-centre.html"},
    "留守": {"policies/state-council-2016-left-behind-children.html"},
}


def test_home_loads_no_search_index(browser, sample_site_url):
    """The first load of the home page fetches nothing of the search index."""
    context = browser.new_context(viewport={"width": 375, "height": 800}, service_workers="block")
    pg = context.new_page()
    seen: list[str] = []
    pg.on("request", lambda r: seen.append(r.url))
    pg.goto(sample_site_url)
    pg.wait_for_load_state("networkidle")
    context.close()
    assert not [u for u in seen if "pagefind" in u or "search_index" in u]


@pytest.mark.parametrize("query", list(FIRST))
def test_query_finds_the_right_page_first(browser, sample_site_url, query):
    context = browser.new_context(viewport={"width": 375, "height": 800}, service_workers="block")
    pg = context.new_page()
    pg.goto(sample_site_url + "search.html?q=" + quote(query))
    first = pg.locator(".wb-search__results li").first
    first.wait_for(timeout=20000)
    href = first.locator("a").get_attribute("href")
    assert href.lstrip("/") in FIRST[query], href
    snippet = first.locator("p").inner_text()
    assert len(snippet) > 10 and "返回" not in snippet
    assert first.locator("mark").count() > 0
    context.close()
