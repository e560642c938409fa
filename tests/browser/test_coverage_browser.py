"""The coverage page of the sample site on a 375 px phone, and its independence from program
records (the site is built again without cases, clues and activities; the article must match)."""

from __future__ import annotations

import re
import shutil
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
PROGRAM = ("cases", "clues", "activities")

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_coverage_page_is_readable_on_a_phone(browser, sample_site_url) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800}, service_workers="block")
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(sample_site_url + "coverage/index.html")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "覆盖情况"
    assert page.locator("nav a", has_text="覆盖情况").count() > 0
    article = page.locator("article").first
    text = article.inner_text()
    # every figure is in words; bars are hidden from screen readers
    assert "有未成年人保护工作站的乡镇（街道）：1 / 15 个（7%）" in text  # 滨城区: 市西街道
    assert "没有工作站的乡镇（街道）（18 个）" in text  # 莱阳市
    assert "“全市建设未成年人保护工作站18个,镇街覆盖率达100%”" in text  # reported, quoted
    bars = article.locator("div[aria-hidden=true]")
    assert bars.count() == 3 * 7  # three bars for each of the seven counties
    widths = bars.evaluate_all("els => els.map(e => e.getBoundingClientRect().width)")
    assert all(0 < w <= 375 for w in widths)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "coverage-375.png"), full_page=False)
    context.close()
    assert [u for u in requested if urlparse(u).hostname not in ("127.0.0.1", None)] == []


def _article(html: str) -> str:
    match = re.search(r"<article\b.*?</article>", html, flags=re.S)
    assert match, "no <article> in the page"
    return match.group(0)


def test_coverage_page_does_not_depend_on_program_records(sample_site_url, tmp_path) -> None:
    from weibao.cli import main

    with urllib.request.urlopen(sample_site_url + "coverage/index.html") as resp:
        with_program = resp.read().decode("utf-8")
    repo = tmp_path / "repo"
    for part in ("schemas", "site", "records"):
        shutil.copytree(ROOT / part, repo / part)
    shutil.copy(ROOT / "weibao.yaml", repo / "weibao.yaml")
    (repo / "statistics").mkdir()
    shutil.copy(ROOT / "statistics" / "coverage.yaml", repo / "statistics" / "coverage.yaml")
    for c in PROGRAM:
        shutil.rmtree(repo / "records" / c)
    out = tmp_path / "public"
    assert main(["--root", str(repo), "build", "--out", str(out), "--today", "2026-11-24"]) == 0
    assert not (out / "statistics").exists()  # really built without program records
    without = (out / "coverage" / "index.html").read_text(encoding="utf-8")
    assert _article(without) == _article(with_program)
