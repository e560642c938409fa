"""`weibao build` adds /admin/ when it can, and never fails because of it."""

from __future__ import annotations

import re
import shutil
import tarfile
from pathlib import Path

import pytest

from weibao.admin import bundle, config, page
from weibao.cli import main

SITE_FIXTURE = Path(__file__).resolve().parent / "fixtures" / "site" / "fixture_repo.py"


def _site_repo(tmp_path: Path, editor: bool) -> Path:
    import importlib.util

    spec = importlib.util.spec_from_file_location("site_fixture_repo", SITE_FIXTURE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    root = module.make(tmp_path / "repo")
    if editor:
        with open(root / "weibao.yaml", "a", encoding="utf-8") as fh:
            fh.write("editor:\n  repo: test-bureau/weibao\n")
    return root


@pytest.mark.slow
def test_build_without_npm_still_succeeds_and_says_admin_was_left_out(tmp_path, monkeypatch, capsys):
    root = _site_repo(tmp_path, editor=True)
    tools = tmp_path / "no-npm"  # git (for the footer's commit) but no npm anywhere on PATH
    tools.mkdir()
    (tools / "git").symlink_to(shutil.which("git"))
    monkeypatch.setenv("PATH", str(tools))
    monkeypatch.setenv("WEIBAO_CACHE_DIR", str(tmp_path / "empty-cache"))
    out = tmp_path / "public"
    assert main(["--root", str(root), "build", "--out", str(out), "--today", "2025-01-15"]) == 0
    captured = capsys.readouterr()
    assert "没有找到 npm" in captured.err and "没有包含网页编辑器 /admin/" in captured.err
    assert (out / "index.html").is_file()
    assert not (out / "admin").exists()


def test_admin_is_skipped_with_a_reason_without_editor_repo(tmp_path, capsys):
    from weibao.admin.build import add_admin
    from weibao.repo import Repository

    root = _site_repo(tmp_path, editor=False)
    assert add_admin(Repository(root), tmp_path / "public") is False
    assert "editor.repo" in capsys.readouterr().err
    assert not (tmp_path / "public" / "admin").exists()


def _fake_npm(tmp_path: Path, tarball: Path) -> Path:
    """An `npm` on PATH whose `pack` drops the given tarball (a tampered download)."""
    tools = tmp_path / "tools"
    tools.mkdir()
    npm = tools / "npm"
    npm.write_text(f"#!/bin/sh\n'{shutil.which('cp')}' '{tarball}' \"$4/decap-cms-x.tgz\"\n",
                   encoding="utf-8")
    npm.chmod(0o755)
    return tools


def test_a_download_that_does_not_match_the_pinned_integrity_is_refused(tmp_path, monkeypatch):
    """A registry mirror serving other bytes for the pinned version never reaches the site."""
    payload = tmp_path / "dist"
    (payload / "package" / "dist").mkdir(parents=True)
    (payload / "package" / "dist" / "decap-cms.js").write_text("alert('not decap')", encoding="utf-8")
    tarball = tmp_path / "evil.tgz"
    with tarfile.open(tarball, "w:gz") as tar:
        tar.add(payload / "package", arcname="package")
    monkeypatch.setenv("PATH", str(_fake_npm(tmp_path, tarball)))
    monkeypatch.setenv("WEIBAO_CACHE_DIR", str(tmp_path / "cache"))
    (decap,) = [p for p in config.packages() if p["name"] == "decap-cms"]
    with pytest.raises(bundle.AdminUnavailable, match="校验值不符"):
        bundle.package_files(decap)
    assert not (tmp_path / "cache" / "npm" / "decap-cms-3.16.3").exists()


def test_only_dist_files_by_name_are_unpacked(tmp_path):
    """Members outside package/dist/ or with path tricks are not written anywhere; folders below
    dist/ keep their place (the yaml package's ES modules import each other by path)."""
    src = tmp_path / "src"
    (src / "package" / "dist" / "sub").mkdir(parents=True)
    (src / "package" / "dist" / "decap-cms.js").write_text("ok", encoding="utf-8")
    (src / "package" / "dist" / "sub" / "x.decap-cms.js").write_text("nested", encoding="utf-8")
    (src / "package" / "evil.decap-cms.js").write_text("outside dist", encoding="utf-8")
    tarball = tmp_path / "p.tgz"
    with tarfile.open(tarball, "w:gz") as tar:
        tar.add(src / "package", arcname="package")
        info = tarfile.TarInfo("package/dist/../../escape.decap-cms.js")
        info.size = 2
        import io

        tar.addfile(info, io.BytesIO(b"no"))
    target = tmp_path / "out"
    target.mkdir()
    bundle._extract(tarball, "dist", ["decap-cms.js", "*.decap-cms.js"], target)
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()) == [
        "decap-cms.js", "sub/x.decap-cms.js"]
    assert not (tmp_path / "escape.decap-cms.js").exists()


def test_admin_page_loads_only_from_itself():
    backend = {"name": "github", "repo": "a/b"}
    html = page.render("<测试>", backend)
    assert '<html lang="zh-CN">' in html
    assert re.findall(r'src="([^"]+)"', html) == ["init.js", "decap-cms.js", "weibao-yaml.js"]
    assert "&lt;测试&gt;" in html
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)[1]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"].split()[0] == "'self'" and "http" not in directives["script-src"]
    assert "http" not in directives["style-src"] and "http" not in directives["font-src"]
    assert directives["connect-src"].split()[:2] == ["'self'", "https://api.github.com"]


def test_gitea_page_may_talk_to_the_bureaus_host_only():
    backend = {"name": "gitea", "repo": "a/b", "base_url": "https://git.example.invalid",
               "api_root": "https://git.example.invalid/api/v1"}
    sources = page.connect_sources(backend)
    assert sources[:2] == ["'self'", "https://git.example.invalid"]
    assert all(s.startswith(("'self'", "https://git.example.invalid", "http://localhost:",
                             "http://127.0.0.1:")) for s in sources)
