"""Page generation from records: golden pages, hours in words, links, sanitised policy bodies."""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import re
from pathlib import Path

import pytest

from weibao.repo import Repository
from weibao.site import text
from weibao.site.context import SiteContext
from weibao.site.pages import directory, home, hotlines, policies
from weibao.site.sanitize import render_body
from weibao.validate import load_records

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "site"
GOLDEN = FIXTURES / "golden"
TODAY = dt.date(2025, 1, 15)


def _fixture_repo(dest: Path, files: dict[str, str] | None = None) -> Path:
    spec = importlib.util.spec_from_file_location("site_fixture_repo", FIXTURES / "fixture_repo.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.make(dest, files)


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory) -> SiteContext:
    repo = Repository(_fixture_repo(tmp_path_factory.mktemp("pages") / "repo"))
    result, records = load_records(repo, TODAY)
    assert result.ok, result.sorted_errors()
    return SiteContext(repo, records, TODAY, {"downloads": {}, "history": {}, "nav": []})


def _golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8"), f"{name} 与金标准不同；确认无误后用 UPDATE_GOLDEN=1 重新生成"


def test_org_page_matches_golden(ctx):
    """One organisation page, exactly as generated."""
    _golden("org-test-centre.md", directory.generate(ctx)["orgs/test-centre.md"])


def test_hotlines_page_matches_golden(ctx):
    """The hotline list (grouping, hours, badges, stale flag), exactly as generated."""
    _golden("hotlines.md", hotlines.generate(ctx)["hotlines.md"])


def test_hotlines_show_the_date_checked_and_no_stale_badge(ctx):
    """The public sees when a person last checked a number; staleness is for staff (weekly job),
    never a warning on an emergency number."""
    page = hotlines.generate(ctx)["hotlines.md"]
    card = page.split('id="hotline-county-care-line"')[1].split("</article>")[0]
    assert '<dt>最近核实</dt><dd><time datetime="2022-03-01">2022-03-01</time></dd>' in card
    assert "未核实" not in page and "stale" not in page


def test_home_lists_emergency_lines_widest_first(ctx, tmp_path):
    """Emergency lines: national ones first (110 before 12349), then local 24-hour lines."""
    page = home.generate(ctx, tmp_path, "")["index.md"]
    order = [page.index(f'href="tel:{n}"') for n in ("110", "12349", "05357654321")]
    assert order == sorted(order)


def test_home_links_statistics_only_when_the_page_exists(ctx, tmp_path):
    """The statistics link appears once statistics/index.md is in the docs folder."""
    assert "statistics/index.html" not in home.generate(ctx, tmp_path, "")["index.md"]
    (tmp_path / "statistics").mkdir()
    (tmp_path / "statistics" / "index.md").write_text("# 统计\n", encoding="utf-8")
    assert 'href="statistics/index.html"' in home.generate(ctx, tmp_path, "")["index.md"]


def test_policy_links_supersession_both_ways(ctx):
    """The newer policy names what it supersedes; the older one names what superseded it."""
    pages = policies.generate(ctx)
    assert 'href="test-plan-2020.html"' in pages["policies/test-plan-2024.md"]
    older = pages["policies/test-plan-2020.md"]
    assert "被以下文件取代" in older and 'href="test-plan-2024.html"' in older


def test_policy_page_renders_contributed_downloads_and_history(ctx):
    """extras["downloads"] and extras["history"] become 下载 and 修改记录 sections."""
    ctx.extras["downloads"]["test-plan-2024"] = {"pdf": "downloads/test-plan-2024.pdf"}
    ctx.extras["history"]["records/policies/test-plan-2024.yaml"] = [
        {"date": "2025-01-02", "summary": "更正施行日期"}]
    try:
        page = policies.generate(ctx)["policies/test-plan-2024.md"]
    finally:
        ctx.extras["downloads"].clear()
        ctx.extras["history"].clear()
    assert 'href="../downloads/test-plan-2024.pdf"' in page
    assert "修改记录" in page and "更正施行日期" in page


@pytest.mark.parametrize(("hours", "words"), [
    ({"twenty_four_seven": True}, "24 小时，全年无休"),
    ({"twenty_four_seven": False, "periods": [{"days": [1, 2, 3, 4, 5], "open": "08:30", "close": "17:30"}]},
     "周一至周五 08:30–17:30"),
    ({"twenty_four_seven": False, "periods": [{"days": [6, 7], "open": "09:00", "close": "12:00"}]},
     "周六、周日 09:00–12:00"),
    ({"twenty_four_seven": False, "periods": [{"days": [1, 3, 4, 5, 7], "open": "08:00", "close": "18:00"}],
      "note": "节假日除外"}, "周一、周三至周五、周日 08:00–18:00（节假日除外）"),
    ({"twenty_four_seven": False, "periods": [{"days": [7, 6, 5, 4, 3, 2, 1], "open": "00:00", "close": "24:00"}]},
     "每天 00:00–24:00"),
    (None, "未注明"),
])
def test_hours_in_words(hours, words):
    """Structured hours read as Chinese words."""
    assert text.hours_in_words(hours) == words


@pytest.mark.parametrize(("src", "dst", "url"), [
    ("index.md", "orgs/a.md", "orgs/a.html"),
    ("orgs/a.md", "directory.md", "../directory.html"),
    ("policies/a.md", "policies/b.md", "b.html"),
    ("policies/a.md", "downloads/a.pdf", "../downloads/a.pdf"),
])
def test_relative_links(src, dst, url):
    """Links between generated pages are relative (the site also works from a folder)."""
    assert text.rel_link(src, dst) == url


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "//evil.invalid/x",
    'https://ok.invalid/"onmouseover="x', "https://a.invalid/ x", None, 42,
])
def test_unsafe_urls_are_never_linked(url):
    """Only plain http(s) URLs become links; anything else is shown as text."""
    assert text.safe_url(url) is None
    assert "<a " not in text.ext_link(url, "来源")


def test_titles_lose_markup_characters():
    """Front-matter titles (printed unescaped by the theme) cannot open a tag."""
    assert text.safe_title('<script>alert("x")</script>') == "＜script＞alert(＂x＂)＜/script＞"


@pytest.mark.parametrize(("body", "forbidden"), [
    ("<script>alert(1)</script>", "<script"),
    ('<iframe src="https://evil.invalid"></iframe>', "<iframe"),
    ('<img src=x onerror="alert(1)">', "onerror"),
    ("[点我](javascript:alert(1))", "javascript:"),
    ('<a href="javascript:alert(1)">x</a>', "javascript:"),
    ('<div style="background:url(https://evil.invalid/x.png)">x</div>', "evil.invalid"),
    ("![图](https://evil.invalid/x.png)", "<img"),
    ("<style>body{display:none}</style>", "<style"),
])
def test_policy_body_is_sanitised(body, forbidden):
    """Scripts, frames, event handlers, javascript: links and remote images are removed."""
    assert forbidden not in render_body(body).lower()


def test_policy_body_keeps_structure_and_starts_below_the_page_heading():
    """Lists, tables and links survive; a body h1 becomes h3 (the page has one h1)."""
    out = render_body("# 总则\n\n- 一\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[原文](https://www.gov.cn/)")
    assert "<h3>总则</h3>" in out and "<h1" not in out
    assert "<li>一</li>" in out and "<table>" in out
    assert 'href="https://www.gov.cn/"' in out and 'rel="noopener noreferrer"' in out


def test_a_5000_org_directory_is_split_into_light_pages(ctx):
    """5,000 organisations: an overview by area plus pages of at most PAGE_SIZE, each well under
    300 KB with the theme around it, and every organisation listed on exactly one of them."""
    towns = ["370682001", "370682"]
    orgs = [{"id": f"org-{i:04d}", "name": f"合成机构{i:04d}号", "kind": "儿童之家",
             "region": towns[i % 2], "services": ["探访关爱"], "address": f"示范路{i % 97 + 1}号",
             "phones": [{"number": "0535-1234567"}], "source": {"url": "https://example.invalid/"},
             "verified": "2024-08-06"} for i in range(5000)]
    big = SiteContext(ctx.repo, {**ctx.records, "orgs": orgs}, TODAY, ctx.extras)
    pages = directory.generate(big)
    lists = {rel: md for rel, md in pages.items() if rel == "directory.md" or rel.startswith("directory/")}
    assert len(lists) > 5000 // directory.PAGE_SIZE
    for rel, md in lists.items():
        assert len(md.encode("utf-8")) < 250_000, (rel, len(md.encode("utf-8")))
    listed = [m for md in lists.values() for m in re.findall(r'href="[./]*orgs/(org-\d+)\.html"', md)]
    assert sorted(listed) == sorted(o["id"] for o in orgs)
    overview = lists["directory.md"]
    assert "共 5000 个机构" in overview and 'href="directory/370682-1.html"' in overview
