"""Policy downloads: .docx and PDF per policy for the site, cached, with Chinese fonts."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest

from weibao.policy import export, fonts, pandoc
from weibao.policy.settings import settings
from weibao.repo import Repository

POLICY = {
    "id": "ly-2024",
    "title": "莱阳市困境儿童保障实施办法",
    "doc_number": "莱民发〔2024〕12号",
    "issuers": ["莱阳市民政局", "莱阳市教育局"],
    "issued": "2024-01-10",
    "status": "现行有效",
    "tags": ["社会保护"],
    "scope": "370682",
    "source": {"document": "laiyang-2024-report"},
    "body": "## 第一章 总则\n\n**第一条** 为保障困境儿童权益，制定本办法。\n\n"
            "1. 摸底排查；\n2. 建立台账。\n\n| 项目 | 数量 |\n|---|---|\n| 儿童之家 | 12 |\n\n"
            "![印章](seal.png)\n",
}

SOURCES = [{"id": "laiyang-2024-report", "title": "莱阳工作报告"}]


@pytest.fixture
def built(make_repo, tmp_path: Path) -> tuple[Path, dict]:
    repo = Repository(make_repo())
    extras: dict = {"cache_dir": tmp_path / "cache"}
    records = {"policies": [POLICY], "sources": SOURCES}
    export.contribute(repo, records, tmp_path / "docs", extras)
    return tmp_path / "docs", extras


def test_links_for_each_policy(built: tuple[Path, dict]) -> None:
    """Each policy gets downloads/<id>.docx and .pdf, and its links in extras["downloads"]."""
    docs, extras = built
    assert extras["downloads"] == {
        "ly-2024": {"docx": "downloads/ly-2024.docx", "pdf": "downloads/ly-2024.pdf"}
    }
    assert (docs / "downloads" / "ly-2024.docx").is_file() and (docs / "downloads" / "ly-2024.pdf").is_file()


def test_docx_reads_back(built: tuple[Path, dict]) -> None:
    """pandoc reads the .docx back: title, metadata table and body are there."""
    docs, _ = built
    text = pandoc.run(["-f", "docx", "-t", "gfm", "-s", docs / "downloads" / "ly-2024.docx"]).decode()
    assert "title: 莱阳市困境儿童保障实施办法" in text
    for part in ("莱民发〔2024〕12号", "莱阳市民政局、莱阳市教育局", "莱阳工作报告", "第一章 总则",
                 "为保障困境儿童权益，制定本办法。", "1.  摸底排查；", "| 儿童之家 | 12"):
        assert part in text, part


def test_pdf_has_chinese_text_in_a_cjk_font(built: tuple[Path, dict]) -> None:
    """The PDF's extracted text holds the Chinese title and body, set in an embedded CJK font."""
    docs, _ = built
    reader = pypdf.PdfReader(docs / "downloads" / "ly-2024.pdf")
    text = "".join(page.extract_text() for page in reader.pages)
    assert "莱阳市困境儿童保障实施办法" in text
    assert "为保障困境儿童权益" in text and "儿童之家" in text
    assert "\ufffd" not in text and "□" not in text
    assert reader.metadata.title == "莱阳市困境儿童保障实施办法"
    family = fonts.font_setup().family.replace(" ", "")
    embedded = {
        str(f.get_object()["/BaseFont"]) for p in reader.pages for f in p["/Resources"]["/Font"].values()
    }
    assert any(family.lower() in name.replace(" ", "").lower() for name in embedded), embedded


def test_unchanged_policies_come_from_the_cache(built: tuple[Path, dict], make_repo,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A second build converts nothing that did not change; a changed policy is converted."""
    docs, extras = built
    calls: list[str] = []
    monkeypatch.setattr(export, "WRITERS", {
        k: (lambda job, out, k=k: (calls.append(k), out.write_bytes(b"new"))) for k in export.WRITERS
    })
    repo = Repository(make_repo())
    export.contribute(repo, {"policies": [POLICY], "sources": SOURCES}, docs, extras)
    assert calls == []
    changed = {**POLICY, "title": "莱阳市困境儿童保障实施办法（修订）"}
    export.contribute(repo, {"policies": [changed], "sources": SOURCES}, docs, extras)
    assert sorted(calls) == ["docx", "pdf"]
    assert (docs / "downloads" / "ly-2024.pdf").read_bytes() == b"new"


def test_same_record_same_bytes(tmp_path: Path) -> None:
    """Outputs are reproducible (fixed timestamps), so caches and diffs stay stable."""
    job = export.job_for(POLICY)
    for n in (1, 2):
        export.write_docx(job, tmp_path / f"{n}.docx")
        export.write_pdf(job, tmp_path / f"{n}.pdf")
    assert (tmp_path / "1.docx").read_bytes() == (tmp_path / "2.docx").read_bytes()
    assert (tmp_path / "1.pdf").read_bytes() == (tmp_path / "2.pdf").read_bytes()


def test_no_cjk_font_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without any CJK font the export stops with a Chinese message saying what to install."""
    monkeypatch.setitem(settings(), "cjk_fonts", ["No Such CJK Font"])
    with pytest.raises(fonts.FontMissing, match="fonts-noto-cjk"):
        fonts.font_setup()
