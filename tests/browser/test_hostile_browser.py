"""Every page type of a site built from hostile records and settings, driven in chromium:
nothing runs (no dialog), no live handler or javascript: link exists, search shows text only."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PAGE_TYPES = ["", "hotlines.html", "directory.html", "orgs/test-centre.html", "policies.html",
              "policies/test-plan-2024.html", "fields.html", "fields/orgs.html", "changes.html",
              "statistics/index.html", "statistics/cases.html", "statistics/methodology.html",
              "report.html", "guide/index.html", "404.html", "search.html?q=alert"]

# what a payload would have to leave in the live DOM to run
LIVE = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (a.name.startsWith('on')) bad.push(el.tagName + ' ' + a.name);
      if (/^\\s*javascript:/i.test(a.value)) bad.push(el.tagName + ' ' + a.name + '=' + a.value);
    }
    if (['IFRAME', 'OBJECT', 'EMBED'].includes(el.tagName)) bad.push(el.tagName);
    if (el.tagName === 'SCRIPT' && el.textContent.includes('alert(')) bad.push('SCRIPT');
  }
  return bad;
}"""


@pytest.fixture
def hostile_page(browser):
    context = browser.new_context(viewport={"width": 375, "height": 800}, service_workers="block")
    pg = context.new_page()
    pg.dialogs = []

    def seen(dialog):
        pg.dialogs.append(dialog.message)
        dialog.dismiss()

    pg.on("dialog", seen)
    yield pg
    context.close()


@pytest.mark.parametrize("path", PAGE_TYPES)
def test_nothing_from_the_records_runs(hostile_page, hostile_site_url, path):
    """Load the page, hover and focus every link in the content: no dialog, nothing live."""
    pg = hostile_page
    pg.goto(hostile_site_url + path)
    pg.wait_for_load_state("networkidle")
    assert "alert(" in pg.locator("body").inner_text() or path == "404.html"
    links = pg.locator("article a")
    for i in range(min(links.count(), 40)):
        link = links.nth(i)
        if link.is_visible():
            link.hover()
            link.focus()
    assert pg.evaluate(LIVE) == []
    assert pg.dialogs == []


def test_search_results_show_payloads_as_text(hostile_page, hostile_site_url):
    """Searching for the payloads' words renders results without running anything."""
    pg = hostile_page
    pg.goto(hostile_site_url + "search.html?q=alert")
    results = pg.locator(".wb-search__results li")
    results.first.wait_for(timeout=15000)
    assert results.count() >= 5
    assert "alert(" in pg.locator(".wb-search__results").inner_text()
    assert pg.evaluate(LIVE) == []
    assert pg.dialogs == []
