"""Browser tests: build the fixture site once, serve it on 127.0.0.1, drive Debian's chromium."""

from __future__ import annotations

import contextlib
import functools
import http.server
import importlib.util
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def _fixture_module():
    path = ROOT / "tests" / "fixtures" / "site" / "fixture_repo.py"
    spec = importlib.util.spec_from_file_location("site_fixture_repo", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture repository built once per session; returns the output folder."""
    from weibao.cli import main

    base = tmp_path_factory.mktemp("site")
    repo = _fixture_module().make(base / "repo")
    out = base / "public"
    assert main(["--root", str(repo), "build", "--out", str(out), "--today", "2025-01-15"]) == 0
    return out


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # keep test output clean
        pass


@contextlib.contextmanager
def _serve(folder: Path) -> Iterator[str]:
    """http://127.0.0.1:<free port>/ serving folder from a background thread."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def hostile_site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture repository with hostile text in every free-text field (hostile_repo.py)."""
    from weibao.cli import main

    path = ROOT / "tests" / "fixtures" / "site" / "hostile_repo.py"
    spec = importlib.util.spec_from_file_location("site_hostile_repo", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    base = tmp_path_factory.mktemp("hostile")
    repo, _ = module.make(base / "repo")
    out = base / "public"
    assert main(["--root", str(repo), "build", "--out", str(out), "--today", "2025-01-15"]) == 0
    with _serve(out) as url:
        yield url


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The fixture site served on 127.0.0.1."""
    with _serve(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip("需要 Debian 的 chromium（/usr/bin/chromium）：apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, site_url: str) -> Iterator[object]:
    """A fresh page that records every request's host in page.requested."""
    context = browser.new_context(viewport={"width": 375, "height": 800}, service_workers="block")
    pg = context.new_page()
    pg.requested = []
    pg.on("request", lambda r: pg.requested.append(r.url))
    yield pg
    context.close()


AXE_VERSION = "4.14.1"  # npm axe-core (MPL-2.0), installed on first use, kept out of git
AXE_DIR = ROOT / ".cache" / "axe"


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's axe.min.js from the npm registry (installed into .cache/axe once)."""
    script = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
    if not script.is_file():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("需要 npm 来安装 axe-core（apt-get install nodejs npm）")
        AXE_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run([npm, "install", "--prefix", str(AXE_DIR), "--no-audit", "--no-fund",
                        "--silent", f"axe-core@{AXE_VERSION}"], check=True, timeout=600)
    return script.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def sample_site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The committed sample repository (synthetic program records, frozen statistics) built
    once and served; used for the statistics section."""
    from weibao.cli import main

    out = tmp_path_factory.mktemp("sample") / "public"
    assert main(["--root", str(ROOT), "build", "--out", str(out), "--today", "2026-11-24"]) == 0
    with _serve(out) as url:
        yield url
