"""The statistics section of the sample site, as a parent or journalist sees it in chromium."""

from __future__ import annotations

import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _local_only(urls: list[str]) -> list[str]:
    return [u for u in urls if urlparse(u).hostname not in ("127.0.0.1", None)]


def test_statistics_page_shows_charts_tables_and_downloads(browser, sample_site_url) -> None:
    """Each chart is HTML bars titled as a chart, with a data table beside it."""
    context = browser.new_context(viewport={"width": 375, "height": 900}, service_workers="block")
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(sample_site_url + "statistics/cases.html")
    page.wait_for_load_state("networkidle")
    charts = page.locator("figure.wb-bars")
    assert charts.count() > 0
    assert charts.first.locator("figcaption").inner_text().startswith("条形图：")
    assert page.locator("table caption").count() >= charts.count()
    assert page.locator("td", has_text="<5").count() + page.locator("td", has_text="<10").count() > 0
    csv_href = page.locator("a[href$='.csv']").first.get_attribute("href")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "statistics-375.png"), full_page=False)
    context.close()
    assert _local_only(requested) == []
    with urllib.request.urlopen(sample_site_url + "statistics/" + csv_href) as resp:
        body = resp.read()
    assert body.startswith(b"\xef\xbb\xbf")  # BOM: Excel shows the Chinese header
    assert "数量".encode() in body or "人".encode() in body


def test_methodology_page_explains_the_rules(browser, sample_site_url) -> None:
    """The methodology page says in Chinese how small counts are hidden."""
    page = browser.new_page()
    page.goto(sample_site_url + "statistics/methodology.html")
    assert page.locator("h1").inner_text() == "统计方法与隐私保护"
    text = page.locator("main, article").first.inner_text()
    assert "<5" in text and "冻结" in text
    page.close()
