"""`weibao build`: refuses invalid data, leaves payloads inert, loads nothing from other hosts."""

from __future__ import annotations

import html.parser
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

from weibao.cli import main
from weibao.site import build as site_build
from weibao.site import gitinfo

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "site"
TODAY = "2025-01-15"


def _fixture_repo(dest: Path, files: dict[str, str] | None = None) -> Path:
    spec = importlib.util.spec_from_file_location("site_fixture_repo", FIXTURES / "fixture_repo.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.make(dest, files)


def _build(repo: Path, out: Path) -> int:
    return main(["--root", str(repo), "build", "--out", str(out), "--today", TODAY])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("build")
    repo = _fixture_repo(base / "repo")
    assert _build(repo, base / "public") == 0
    return base / "public"


class _Tags(html.parser.HTMLParser):
    """Every start tag with its attributes, and the text inside <script> elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def _parse(path: Path) -> _Tags:
    parser = _Tags()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


# ---- refusing bad data ---------------------------------------------------------------------

@pytest.mark.parametrize("files", [
    {"records/hotlines/broken.yaml": "id: broken\nname: 缺少号码的热线\nscope: 全国\n"},
    {"records/orgs/test-centre.yaml": "id: test-centre\nname: 没有类型\nregion: '370682'\n"},
    {"records/policies/bad.yaml": "id: bad\ntitle: [不是文字\n"},
])
def test_build_refuses_invalid_data(tmp_path, capsys, files):
    """Invalid records: exit 1, the errors named by file, and no site written."""
    repo = _fixture_repo(tmp_path / "repo", files)
    out = tmp_path / "public"
    assert _build(repo, out) == 1
    err = capsys.readouterr().err
    assert next(iter(files)) in err and "网站没有生成" in err
    assert not out.exists()


@pytest.mark.parametrize("target", ["site", "records", "site/public", "."])
def test_build_never_writes_into_sources(tmp_path, capsys, target):
    """--out pointing at site/, records/ or the root is a usage error (exit 2)."""
    repo = _fixture_repo(tmp_path / "repo")
    assert _build(repo, repo / target) == 2
    assert "不能输出到" in capsys.readouterr().err


# ---- safety ----------------------------------------------------------------------------------

PAYLOADS = {
    "weibao.yaml": """\
        jurisdiction:
          name: <script>alert('jur')</script>测试
        site:
          title: 测试<script>alert('title')</script>
          description: "<img src=x onerror=alert('desc')>"
          quick_exit_url: javascript:alert('exit')
        """,
    "records/orgs/test-centre.yaml": """\
        id: test-centre
        name: 测试中心<script>alert('org')</script>
        short_name: "\\"><svg onload=alert('short')>"
        kind: 未成年人救助保护中心
        region: "370682"
        address: <img src=x onerror=alert('addr')>
        website: https://evil.invalid/"><script>alert('url')</script>
        description: "<iframe src=javascript:alert('desc')></iframe> 简介"
        source:
          url: https://evil.invalid/'onmouseover='alert(1)
        verified: 2024-08-06
        """,
    "records/hotlines/county-care-line.yaml": """\
        id: county-care-line
        number: "0535-7654321"
        name: 热线<script>alert('hotline')</script>
        scope: 县级
        region: "370682"
        hours:
          twenty_four_seven: true
          note: <b onclick=alert('note')>x</b>
        channels: [voice]
        topics: [困境儿童帮扶]
        description: "[点我](javascript:alert('md'))"
        source:
          document: test-source
        verified: 2024-08-01
        """,
    "records/policies/test-plan-2020.yaml": """\
        id: test-plan-2020
        title: 方案"><script>alert('ptitle')</script>
        issuers: [<script>alert('issuer')</script>]
        issued: 2020-03-01
        status: 已废止
        tags: [政府保护]
        scope: "370682"
        source:
          url: https://evil.invalid/"><script>alert('src')</script>
        body: |
          <script>alert('body')</script>
          <iframe src="https://evil.invalid/"></iframe>
          <a href="javascript:alert('link')">链接</a> [链接2](javascript:alert('md2'))
          <img src=x onerror="alert('img')"> <p onmouseover="alert('p')">段落</p>
          <a href="JaVaScRiPt:alert('case')">大小写</a>
        """,
}


def test_payloads_in_records_are_inert(tmp_path):
    """<script>, on* handlers and javascript: URLs from records never become live markup."""
    repo = _fixture_repo(tmp_path / "repo", PAYLOADS)
    out = tmp_path / "public"
    assert _build(repo, out) == 0
    for page in _pages(out):
        parsed = _parse(page)
        for tag, attrs in parsed.tags:
            assert tag not in ("iframe", "object", "embed"), (page, tag)
            for name, value in attrs.items():
                assert not name.startswith("on"), (page, tag, name)
                assert not value.strip().lower().startswith("javascript:"), (page, tag, name, value)
        for script in parsed.scripts:
            assert "alert(" not in script, page
        text = page.read_text(encoding="utf-8")
        assert "<script>alert" not in text.replace(" ", "").lower(), page
    assert (out / "pagefind" / "pagefind.js").is_file() and not (out / "search" / "search_index.json").exists()
    home = (out / "index.html").read_text(encoding="utf-8")
    assert 'id="wb-quick-exit" class="wb-quick-exit" href="https://www.baidu.com/"' in home


# ---- nothing loads from elsewhere ----------------------------------------------------------

_LOADS = {("script", "src"), ("img", "src"), ("iframe", "src"), ("source", "src"), ("audio", "src"),
          ("video", "src"), ("embed", "src"), ("object", "data"), ("image", "href")}
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)")
_JS_URL = re.compile(r"[\"'`]((?:https?:)?//[^\"'`\s]+)[\"'`]")
THEME_FALLBACKS = {
    "https://unpkg.com/mermaid@11/dist/mermaid.min.js",  # only for ```mermaid blocks (none here)
    "https://unpkg.com/resize-observer-polyfill",  # only if the browser lacks ResizeObserver
    "https://${e}/api/v4/projects/${encodeURIComponent(t)}",  # repo_url (not set) facts
    "https://api.github.com/repos/${e}/${t}",
    "https://api.github.com/users/${e}",
    # Pagefind: a base for parsing relative result URLs (new URL(u, base)), never fetched
    "https://example.com${anchored_url}",
    "https://example.com${normalized}",
}
_REMOTE = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)


def test_nothing_is_loaded_from_another_host(site):
    """No script, stylesheet, image, font or frame in the built site comes from another host."""
    for page in _pages(site):
        for tag, attrs in _parse(page).tags:
            if (tag, "src") in _LOADS or (tag, "data") in _LOADS:
                assert not _REMOTE.match(attrs.get("src", attrs.get("data", ""))), (page, tag, attrs)
            if tag == "link" and set(attrs.get("rel", "").split()) & {"stylesheet", "preload", "icon",
                                                                        "modulepreload", "preconnect",
                                                                        "dns-prefetch", "manifest"}:
                assert not _REMOTE.match(attrs.get("href", "")), (page, attrs)
    for css in site.rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        assert "@import" not in text or not re.search(r"@import\s+(url\()?['\"]?(https?:)?//", text), css
        for url in _CSS_URL.findall(text):
            assert not _REMOTE.match(url), (css, url)
    found = set()
    for js in site.rglob("*.js"):
        found |= set(_JS_URL.findall(js.read_text(encoding="utf-8")))
    # the theme bundle's remote fallbacks, each behind a condition this site never meets
    assert found <= THEME_FALLBACKS, found - THEME_FALLBACKS
    for page in _pages(site):
        text = page.read_text(encoding="utf-8")
        assert 'class="mermaid"' not in text and "md-source" not in text, page


def test_every_page_is_zh_cn_with_one_h1(site):
    """<html lang="zh-CN"> and exactly one h1 on every page."""
    for page in _pages(site):
        parsed = _parse(page)
        assert dict(parsed.tags[0][1]).get("lang") == "zh-CN" if parsed.tags[0][0] == "html" else False, page
        assert sum(1 for tag, _ in parsed.tags if tag == "h1") == 1, page


def test_every_page_has_the_quick_exit_and_provenance(site):
    """The quick-exit link and the footer's commit/build date are on every page."""
    for page in _pages(site):
        text = page.read_text(encoding="utf-8")
        assert 'id="wb-quick-exit"' in text and 'href="http://exit.invalid/"' in text, page
        assert "提交 <code>未知</code>" in text and f"<time>{TODAY}</time>" in text, page


def test_org_and_policy_pages_stay_out_of_the_nav(site):
    """Per-record pages are not in the navigation (the build stays linear in their number)."""
    nav = (site / "orgs" / "test-centre.html").read_text(encoding="utf-8").split('class="md-content"')[0]
    assert "test-station.html" not in nav and "test-plan-2024.html" not in nav
    assert "directory.html" in nav


def test_guide_pages_are_included(site):
    """The staff guide (site/guide/) is built and linked as 如何提交修改."""
    guide = sorted((site / "guide").glob("*.html")) if (site / "guide").is_dir() else []
    if not (Path(__file__).resolve().parents[1] / "site" / "guide").is_dir():
        pytest.skip("site/guide/ 还没有内容")
    assert guide
    assert "如何提交修改" in (site / "index.html").read_text(encoding="utf-8")


# ---- git and extension points --------------------------------------------------------------

def _git(repo: Path, *args: str, date: str = "2024-01-01T00:00:00") -> None:
    env = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.invalid", "HOME": str(repo), "PATH": "/usr/bin:/bin"}
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def test_last_changed_comes_from_one_git_log_pass(tmp_path, monkeypatch):
    """Policy pages show 最近修改 from git; the whole history is read with one `git log`."""
    repo = _fixture_repo(tmp_path / "repo")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "一", date="2024-01-01T10:00:00")
    path = repo / "records" / "policies" / "test-plan-2024.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("合成数据", "合成的数据"), encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "二", date="2024-06-30T10:00:00")
    calls: list[tuple[str, ...]] = []
    real = gitinfo._git

    def counting(root, *args):
        calls.append(args)
        return real(root, *args)

    monkeypatch.setattr(gitinfo, "_git", counting)
    out = tmp_path / "public"
    assert _build(repo, out) == 0
    assert sum(1 for a in calls if a[0] == "log") == 1
    newer = (out / "policies" / "test-plan-2024.html").read_text(encoding="utf-8")
    older = (out / "policies" / "test-plan-2020.html").read_text(encoding="utf-8")
    assert "最近修改</th><td><time>2024-06-30</time>" in newer
    assert "最近修改</th><td><time>2024-01-01</time>" in older
    sha = subprocess.run(["git", "-C", str(repo), "rev-parse", "--short", "HEAD"],
                         capture_output=True, text=True, check=True).stdout.strip()
    assert f"提交 <code>{sha}</code>" in newer


def test_no_git_means_no_last_changed(site):
    """Outside git the 最近修改 row is left out (and the commit reads 未知)."""
    assert "最近修改" not in (site / "policies" / "test-plan-2024.html").read_text(encoding="utf-8")


CONTRIBUTOR = '''
from pathlib import Path

def contribute(repo, records, docs_dir, extras):
    (docs_dir / "statistics").mkdir(exist_ok=True)
    (docs_dir / "statistics" / "index.md").write_text("# 统计\\n\\n合成的统计页。\\n", encoding="utf-8")
    (docs_dir / "downloads").mkdir(exist_ok=True)
    (docs_dir / "downloads" / "test-plan-2024.pdf").write_bytes(b"%PDF-1.4 synthetic")
    extras["downloads"]["test-plan-2024"] = {"pdf": "downloads/test-plan-2024.pdf"}
    extras["history"]["records/orgs/test-centre.yaml"] = [{"date": "2024-08-06", "summary": "新增机构"}]
    extras["nav"].append({"统计": "statistics/index.md"})
    assert len(records["orgs"]) == 2
'''


def test_contributors_add_pages_downloads_history_and_nav(tmp_path, monkeypatch):
    """A CONTRIBUTORS entry can add a statistics page, downloads, history and a nav entry."""
    (tmp_path / "mods").mkdir()
    (tmp_path / "mods" / "wb_test_contrib.py").write_text(CONTRIBUTOR, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path / "mods"))
    monkeypatch.setattr(site_build, "CONTRIBUTORS", ["wb_test_contrib:contribute"])
    repo = _fixture_repo(tmp_path / "repo")
    out = tmp_path / "public"
    try:
        assert _build(repo, out) == 0
    finally:
        sys.modules.pop("wb_test_contrib", None)
    home = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="statistics/index.html"' in home
    assert ">统计<" in re.sub(r"\s+", "", home) or "统计" in home.split('class="md-content"')[0]
    policy = (out / "policies" / "test-plan-2024.html").read_text(encoding="utf-8")
    assert 'href="../downloads/test-plan-2024.pdf"' in policy and (out / "downloads" / "test-plan-2024.pdf").is_file()
    assert "新增机构" in (out / "orgs" / "test-centre.html").read_text(encoding="utf-8")
