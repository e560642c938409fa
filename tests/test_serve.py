"""`weibao serve`: an edit shows up in the preview, only what changed is rebuilt, and a bad edit
is reported with its location while the last good preview stays up. Real MkDocs builds."""

from __future__ import annotations

import importlib.util
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from weibao.site.serve import Session

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "site"
CENTRE = "records/orgs/test-centre.yaml"
STATION = "records/orgs/test-station.yaml"


def _fixture_repo(dest: Path) -> Path:
    spec = importlib.util.spec_from_file_location("site_fixture_repo", FIXTURES / "fixture_repo.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.make(dest)


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Session:
    """One preview for the whole module (each test puts back what it edits)."""
    base = tmp_path_factory.mktemp("serve")
    session = Session(_fixture_repo(base / "repo"), base / "work")
    session.rebuild()
    assert session.builds == 1, session.last
    return session


def _edit(session: Session, rel: str, change) -> str:
    path = session.root / rel
    old = path.read_text(encoding="utf-8")
    path.write_text(change(old), encoding="utf-8")
    return old


def _html(session: Session, page: str) -> str:
    return (session.site_dir / page).read_text(encoding="utf-8")


def _rename(text: str, name: str) -> str:
    return re.sub(r"(?m)^name: .*$", f"name: {name}", text, count=1)


def test_an_edited_name_appears_on_every_page_that_shows_it(running: Session) -> None:
    old = _edit(running, CENTRE, lambda t: _rename(t, "莱阳市未成年人保护中心（改名测试）"))
    try:
        running.rebuild()
        for page in ("orgs/test-centre.html", "orgs/test-station.html", "directory.html",
                     "hotlines.html"):
            assert "莱阳市未成年人保护中心（改名测试）" in _html(running, page), page
    finally:
        (running.root / CENTRE).write_text(old, encoding="utf-8")
        running.rebuild()
    assert "（改名测试）" not in _html(running, "orgs/test-station.html")


# what an org page shows from other records: each edit must reach the page the preview keeps
RELATED_EDITS = {
    "hotline it runs": ("records/hotlines/county-care-line.yaml", "测试市困境儿童关爱热线",
                        "测试市关爱热线（改）", "orgs/test-centre.html"),
    "source document": ("records/sources/test-source.yaml", "测试来源文件（合成）",
                        "测试来源文件（改名）", "orgs/test-station.html"),
    "town it is in": ("records/regions/370682001.yaml", "name: 城厢街道", "name: 城厢街道改",
                      "orgs/test-station.html"),
    "child org": (STATION, "城厢街道未成年人保护工作站", "城厢街道工作站（改）", "orgs/test-centre.html"),
}


@pytest.mark.parametrize("rel, old, new, page", RELATED_EDITS.values(), ids=list(RELATED_EDITS))
def test_an_edit_reaches_the_org_pages_that_show_it(running, rel, old, new, page) -> None:
    text = _edit(running, rel, lambda t: t.replace(old, new, 1))
    try:
        running.rebuild()
        shown = new.removeprefix("name: ")
        assert shown in _html(running, page), (page, running.last)
    finally:
        (running.root / rel).write_text(text, encoding="utf-8")
        running.rebuild()


def test_the_log_says_what_the_preview_shows_as_of_its_start(tmp_path, capsys) -> None:
    session = Session(_fixture_repo(tmp_path / "repo"), tmp_path / "work")
    session.rebuild()
    err = capsys.readouterr().err
    assert "只在启动时生成一次" in err
    for part in ("最近更新", "开放数据", "政策文件的 .docx 和 PDF"):
        assert part in err, err


def test_pages_an_edit_does_not_touch_are_not_rendered_again(running: Session) -> None:
    pages = sorted(running.site_dir.rglob("*.html"))
    before = {p: p.stat().st_mtime_ns for p in pages}
    builds = running.builds
    old = _edit(running, STATION, lambda t: t.replace("services: [监护指导,", "services: [家庭教育指导,"))
    try:
        running.rebuild()
        assert running.builds == builds + 1, running.last
        redone = {p.relative_to(running.site_dir).as_posix() for p in pages
                  if p.stat().st_mtime_ns != before[p]}
        assert "orgs/test-station.html" in redone
        assert "家庭教育指导" in _html(running, "orgs/test-station.html")
        # the policies, hotlines and home page do not show an org's services
        assert not redone & {"policies.html", "hotlines.html", "index.html",
                             "policies/test-plan-2024.html"}, sorted(redone)
        assert len(redone) < len(pages) / 2, sorted(redone)
    finally:
        (running.root / STATION).write_text(old, encoding="utf-8")
        running.rebuild()


def test_saving_without_a_change_builds_nothing(running: Session) -> None:
    builds = running.builds
    path = running.root / STATION
    path.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")  # a new mtime, same bytes
    running.rebuild()
    assert running.builds == builds, running.last


BAD_EDITS = {
    "yaml syntax": (STATION, lambda t: t.replace("services: [监护指导,", "services: [监护指导,,\n  - x"),
                    STATION),
    "reference to a missing org": (STATION, lambda t: t.replace("parent: test-centre",
                                                                "parent: no-such-org"), STATION),
    "id others point to": (CENTRE, lambda t: t.replace("id: test-centre", "id: test-centre-2"),
                           CENTRE),
}


@pytest.mark.parametrize("rel, change, located", BAD_EDITS.values(), ids=list(BAD_EDITS))
def test_a_bad_edit_is_located_and_the_last_good_preview_stays(running, capsys, rel, change,
                                                               located) -> None:
    page = "orgs/test-station.html"
    shown = _html(running, page)
    old = _edit(running, rel, change)
    try:
        capsys.readouterr()
        running.rebuild()
        err = capsys.readouterr().err
        assert re.search(rf"{re.escape(located)}:\d+:\d+", err), err
        assert "预览仍显示上一次正确的版本" in err
        assert _html(running, page) == shown
    finally:
        (running.root / rel).write_text(old, encoding="utf-8")
        running.rebuild()
    assert "错误" not in running.last, running.last


def test_deleting_a_record_others_point_to_keeps_the_last_good_preview(running, capsys) -> None:
    path = running.root / CENTRE
    old = path.read_text(encoding="utf-8")
    path.unlink()
    try:
        capsys.readouterr()
        running.rebuild()
        err = capsys.readouterr().err
        # the station, which did not change, now points nowhere: found by the cross-record check
        assert re.search(rf"{re.escape(STATION)}:\d+:\d+", err), err
        assert (running.site_dir / "orgs" / "test-centre.html").is_file()
    finally:
        path.write_text(old, encoding="utf-8")
        running.rebuild()


def test_a_new_org_and_a_new_site_title_appear(running: Session) -> None:
    new = running.root / "records" / "orgs" / "test-new-station.yaml"
    new.write_text((running.root / STATION).read_text(encoding="utf-8")
                   .replace("id: test-station", "id: test-new-station")
                   .replace("城厢街道", "古柳街道"), encoding="utf-8")
    config = running.root / "weibao.yaml"
    old_config = config.read_text(encoding="utf-8")
    try:
        running.rebuild()
        assert "古柳街道未成年人保护工作站" in _html(running, "orgs/test-new-station.html")
        assert "古柳街道未成年人保护工作站" in _html(running, "directory.html")
        config.write_text(re.sub(r"(?m)^(\s*)title: .*$", r"\1title: 预览标题测试网站", old_config,
                                 count=1), encoding="utf-8")
        running.rebuild()
        for page in ("index.html", "policies.html", "orgs/test-station.html"):
            assert "预览标题测试网站" in _html(running, page), page
    finally:
        new.unlink()
        config.write_text(old_config, encoding="utf-8")
        running.rebuild()
    assert not (running.site_dir / "orgs" / "test-new-station.html").exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def _wait_for(url: str, text: str, proc: subprocess.Popen, limit: float = 120.0) -> str:
    """The page once it contains text (polled, as a browser reload would see it)."""
    end = time.monotonic() + limit
    body = ""
    while time.monotonic() < end:
        assert proc.poll() is None, "weibao serve stopped"
        try:
            body = _get(url)
        except OSError:
            body = ""
        if text in body:
            return body
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never appeared at {url}")


def test_weibao_serve_shows_a_saved_edit(tmp_path: Path) -> None:
    """The real command: the server notices a saved file and serves the new page, and cleans up
    when it is stopped."""
    root = _fixture_repo(tmp_path / "repo")
    port = _free_port()
    tmp = tmp_path / "tmp"  # where the preview keeps its generated pages
    tmp.mkdir()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), "TMPDIR": str(tmp)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "weibao", "--root", str(root), "serve", "--addr", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
    )
    try:
        url = f"http://127.0.0.1:{port}/orgs/test-centre.html"
        _wait_for(url, "未成年人保护", proc)
        path = root / CENTRE
        path.write_text(_rename(path.read_text(encoding="utf-8"), "保存后预览测试中心"),
                        encoding="utf-8")
        _wait_for(url, "保存后预览测试中心", proc)
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert "Traceback" not in err.decode("utf-8", "replace")
    assert proc.returncode == 0
    assert not list(tmp.iterdir())  # stopped (SIGTERM): the generated pages are gone
