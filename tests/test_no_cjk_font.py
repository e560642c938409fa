"""A fresh Linux machine without a Chinese font still gets the whole site: the policy PDFs are
left out with a warning; `--require-pdf` (the site workflow) turns their absence into an error."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from weibao.cli import main

SITE_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "site"


def _site_repo(dest: Path) -> Path:
    spec = importlib.util.spec_from_file_location("site_fixture_repo", SITE_FIXTURES / "fixture_repo.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.make(dest, None)


@pytest.fixture
def no_fonts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The font lookup sees only an empty folder: no system fonts, no font packages."""
    empty = tmp_path / "no-fonts"
    empty.mkdir()
    monkeypatch.setenv("WEIBAO_FONT_PATH", str(empty))
    monkeypatch.setenv("WEIBAO_SYSTEM_FONTS", "0")


@pytest.mark.slow
def test_site_builds_without_pdf_and_says_so(tmp_path: Path, capsys, no_fonts) -> None:
    """Exit 0; a warning names the missing PDFs and the fix; pages link only what exists."""
    root = _site_repo(tmp_path / "repo")
    out = tmp_path / "public"
    assert main(["--root", str(root), "build", "--out", str(out), "--today", "2025-01-15"]) == 0
    err = capsys.readouterr().err
    assert "不提供政策的 PDF 下载" in err and "fonts-noto-cjk" in err
    downloads = out / "downloads"
    assert sorted(p.suffix for p in downloads.glob("test-plan-2024.*")) == [".docx"]
    page = (out / "policies" / "test-plan-2024.html").read_text(encoding="utf-8")
    assert "test-plan-2024.docx" in page and "test-plan-2024.pdf" not in page


def test_require_pdf_makes_a_missing_font_an_error(tmp_path: Path, capsys, no_fonts) -> None:
    """With --require-pdf the build stops with exit 2 and the install instructions; no site."""
    root = _site_repo(tmp_path / "repo")
    out = tmp_path / "public"
    argv = ["--root", str(root), "build", "--out", str(out), "--today", "2025-01-15", "--require-pdf"]
    assert main(argv) == 2
    assert "找不到中文字体" in capsys.readouterr().err
    assert not (out / "index.html").exists()
