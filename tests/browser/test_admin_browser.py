"""Staff change records in the browser, without git: the built /admin/ (Decap CMS) against
decap-server's local backend in git mode, driven in Debian's Chromium.

decap-server stands in for GitHub/Gitea: in the editorial workflow each saved entry becomes a
branch cms/<collection>/<id> (on GitHub, a pull request). The test merges those branches as a
reviewer would, then the records must validate and the site must rebuild with them.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import re
import shutil
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from weibao.admin.bundle import cache_root
from weibao.cli import main

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
DECAP_SERVER = "decap-server@3.11.3"
GIT_ENV = {"GIT_AUTHOR_NAME": "测试编辑", "GIT_AUTHOR_EMAIL": "editor@example.invalid",
           "GIT_COMMITTER_NAME": "测试编辑", "GIT_COMMITTER_EMAIL": "editor@example.invalid"}
PUBLIC_LABELS = ["服务机构", "热线", "政策文件", "报告指标", "来源文件"]
NEW_ORG = "browser-test-station"
# a synthetic program record in the repository: the editor must never show it
CASE_ID = "c-7k2m9q4x3d"
CASE = f"""\
id: {CASE_ID}
synthetic: true
region: "370682"
opened: "2024-11"
age_band: "6-11"
sex: 男
categories: [留守儿童]
risk:
  - {{month: "2024-11", level: 蓝}}
found_by: 12349热线
org: test-centre
status: 在管
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def decap_server() -> list[str]:
    """node + decap-server's entry point, installed once into the cache (never into the repo)."""
    npm, node = shutil.which("npm"), shutil.which("node")
    if not npm or not node:
        pytest.skip("需要 Node.js 和 npm（.ci/run 会用 apt-get 安装 nodejs npm）")
    folder = cache_root() / "npm" / DECAP_SERVER.replace("@", "-")
    entry = folder / "node_modules" / "decap-server" / "dist" / "index.js"
    if not entry.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run([npm, "install", "--prefix", str(folder), DECAP_SERVER, "--no-audit",
                        "--no-fund", "--ignore-scripts", "--omit=dev", "--no-package-lock"],
                       check=True, capture_output=True, timeout=900)
    return [node, str(entry)]


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True,
                          env={**os.environ, **GIT_ENV}).stdout


def _fixture_repo(dest: Path) -> Path:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "site_fixture_repo", ROOT / "tests" / "fixtures" / "site" / "fixture_repo.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    repo = module.make(dest, {f"records/cases/{CASE_ID}.yaml": CASE})
    with open(repo / "weibao.yaml", "a", encoding="utf-8") as fh:
        fh.write("editor:\n  repo: test-bureau/weibao\n")
    shutil.copy(ROOT / ".gitignore", repo / ".gitignore")  # build caches stay out of commits
    (repo / "statistics").mkdir()  # a program record means statistics: the definitions only
    shutil.copy(ROOT / "statistics" / "tables.yaml", repo / "statistics" / "tables.yaml")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "测试数据仓")
    return repo


class _Quiet(http.server.SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".js": "text/javascript", ".yml": "text/yaml", ".wasm": "application/wasm"}

    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def _serve(folder: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def _run_decap_server(command: list[str], repo: Path) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, **GIT_ENV, "PORT": str(port), "MODE": "git", "BIND_HOST": "127.0.0.1",
           "GIT_REPO_DIRECTORY": str(repo), "LOG_LEVEL": "warn"}
    log = repo.parent / "decap-server.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(command, cwd=repo, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/api/v1"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                req = urllib.request.Request(url, data=json.dumps({"action": "info"}).encode(),
                                             headers={"Content-Type": "application/json"})
                with urllib.request.urlopen(req, timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(log.read_text(encoding="utf-8", errors="replace")) from None
                time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def editor(tmp_path_factory, decap_server) -> Iterator[dict]:
    base = tmp_path_factory.mktemp("admin")
    repo = _fixture_repo(base / "repo")
    out = base / "public"
    assert main(["--root", str(repo), "build", "--out", str(out), "--today", "2025-01-15"]) == 0
    config = out / "admin" / "config.yml"
    assert config.is_file(), "npm 可用时 /admin/ 必须生成"
    with _run_decap_server(decap_server, repo) as api, _serve(out) as site:
        # the only test-specific change: decap-server listens on a free port, not 8081
        text = config.read_text(encoding="utf-8")
        config.write_text(text.replace("local_backend: true\n", f"local_backend:\n  url: {api}\n"),
                          encoding="utf-8")
        yield {"repo": repo, "site": site, "api": api, "base": base}


def _control(page, label: str):
    """The input a form label points to; optional fields carry the suffix " (可选)"."""
    lab = page.locator("label", has_text=re.compile("^" + re.escape(label) + r"( \(可选\))?$")).first
    return page.locator("#" + lab.get_attribute("for"))


def _wait_for_branch(repo: Path, branch: str) -> None:
    deadline = time.monotonic() + 30
    while branch not in _git(repo, "branch", "--list", branch):
        assert time.monotonic() < deadline, f"没有生成分支 {branch}：{_git(repo, 'branch', '-a')}"
        time.sleep(0.3)


def _save(page) -> None:
    page.get_by_role("button", name="保存").click()
    page.get_by_text("修改已保存").first.wait_for(timeout=20_000)


def test_staff_create_an_org_and_fix_hotline_hours_in_the_browser(browser, editor, artifacts):
    repo, site, api = editor["repo"], editor["site"], editor["api"]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    page = context.new_page()
    requested: list[str] = []
    problems: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.on("console", lambda m: problems.append(m.text)
            if "Content Security Policy" in m.text or ("config" in m.text.lower() and m.type == "error")
            else None)
    try:
        page.goto(f"{site}/admin/")
        page.get_by_role("button", name="登录").click()  # zh_Hans interface
        page.locator("a[href^='#/collections/']").first.wait_for()
        nav = page.eval_on_selector_all(
            "a[href^='#/collections/']",
            "links => links.filter(a => /^#\\/collections\\/[^/]+$/.test(a.getAttribute('href')))"
            ".map(a => a.textContent.trim())")
        assert nav == PUBLIC_LABELS  # program records are not on offer

        # a new organisation, through the form
        page.goto(f"{site}/admin/#/collections/orgs/new")
        _control(page, "编号").fill(NEW_ORG)
        _control(page, "名称").fill("浏览器测试工作站")
        _control(page, "机构类型").fill("未成年人保护工作站")
        page.keyboard.press("Enter")
        _control(page, "所在地区").fill("莱阳市")
        page.keyboard.press("Enter")
        _control(page, "来源文件").fill("测试来源")
        page.get_by_text("测试来源文件（合成）").first.click()
        _control(page, "最近核实日期").fill("2025-01-10")
        _save(page)
        _wait_for_branch(repo, f"cms/orgs/{NEW_ORG}")

        # a hotline's hours, corrected
        page.wait_for_url(re.compile(f"/entries/{NEW_ORG}$"))  # Decap moves to the saved entry
        page.screenshot(path=str(artifacts / "admin-org-saved.png"))
        page.goto("about:blank")  # a fresh load (the login is kept): Decap ignores a bare hash change here
        page.goto(f"{site}/admin/#/collections/hotlines/entries/national-12349")
        close = _control(page, "结束")
        close.wait_for()
        assert close.input_value() == "17:30"
        close.fill("18:00")
        _save(page)
        _wait_for_branch(repo, "cms/hotlines/national-12349")
        page.screenshot(path=str(artifacts / "admin-hotline-saved.png"))
    finally:
        context.close()

    # nothing came from another host, and nothing was refused by the page's policy
    origins = {re.match(r"^[a-z]+://[^/]+", u)[0] for u in requested if u.startswith("http")}
    assert origins <= {site, api.removesuffix("/api/v1")}, origins
    assert not problems, problems

    # the reviewer merges both pull requests
    for branch in (f"cms/orgs/{NEW_ORG}", "cms/hotlines/national-12349"):
        _git(repo, "merge", "--no-ff", "-q", "-m", f"合并 {branch}", branch)
    created = (repo / "records" / "orgs" / f"{NEW_ORG}.yaml").read_text(encoding="utf-8")
    hotline = (repo / "records" / "hotlines" / "national-12349.yaml").read_text(encoding="utf-8")
    assert "name: 浏览器测试工作站" in created and 'region: "370682"' in created
    assert 'close: "18:00"' in hotline and 'open: "08:30"' in hotline
    assert "days: [1, 2, 3, 4, 5]" in hotline  # untouched values keep their form

    # the files validate, are already in weibao fmt's canonical form, and the site rebuilds
    assert main(["--root", str(repo), "validate", "--today", "2025-01-15"]) == 0
    written = [repo / "records" / "orgs" / f"{NEW_ORG}.yaml",
               repo / "records" / "hotlines" / "national-12349.yaml"]
    assert main(["--root", str(repo), "fmt", "--check", *map(str, written)]) == 0
    rebuilt = editor["base"] / "rebuilt"
    assert main(["--root", str(repo), "build", "--out", str(rebuilt), "--today", "2025-01-15",
                 "--no-admin"]) == 0
    assert "浏览器测试工作站" in (rebuilt / "orgs" / f"{NEW_ORG}.html").read_text(encoding="utf-8")
    assert "18:00" in (rebuilt / "hotlines.html").read_text(encoding="utf-8")


def test_program_records_cannot_be_reached_by_address_or_search(browser, editor):
    """Typing a program collection's address or searching for a case id shows nothing of it,
    though a case record sits in the repository decap-server serves."""
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    api_calls: list[str] = []
    page.on("request", lambda r: api_calls.append(r.post_data or "") if "/api/v1" in r.url else None)
    try:
        page.goto(f"{editor['site']}/admin/")
        page.get_by_role("button", name="登录").click()
        page.locator("a[href^='#/collections/']").first.wait_for()
        for path in ("collections/cases", "collections/cases/entries/" + CASE_ID,
                     "collections/clues", "collections/activities", "search/" + CASE_ID):
            page.goto("about:blank")
            page.goto(f"{editor['site']}/admin/#/{path}")
            page.wait_for_timeout(1000)
            page.get_by_text("正在加载内容").wait_for(state="detached", timeout=30_000)
            body = page.inner_text("body")
            echoed = f"有关“{CASE_ID}”的搜索结果" if path.startswith("search/") else ""
            assert CASE_ID not in body.replace(echoed, "") and "留守儿童" not in body, path
        assert page.locator("a[href^='#/collections/cases']").count() == 0
    finally:
        context.close()
    assert api_calls and not any("records/cases" in c or CASE_ID in c for c in api_calls if "search" not in c)
