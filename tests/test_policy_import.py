"""`weibao policy import`: real .docx files (made with pandoc), an HTML page and Markdown → records."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from weibao.cli import main
from weibao.policy import pandoc
from weibao.repo import Repository
from weibao.validate import validate

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "policy"


def make_docx(markdown: str, out: Path, *extra: str) -> Path:
    """A real Word file written by pandoc from Markdown."""
    pandoc.run(["-f", "markdown", "-t", "docx", *extra, "-o", out], markdown.encode("utf-8"))
    return out


def run_import(root: Path, *args: str | Path) -> int:
    return main(["--root", str(root), "policy", "import", *map(str, args)])


def load(root: Path, rid: str) -> dict:
    return yaml.safe_load((root / "records" / "policies" / f"{rid}.yaml").read_text(encoding="utf-8"))


def assert_valid(root: Path, rid: str) -> None:
    result = validate(Repository(root), [root / "records" / "policies" / f"{rid}.yaml"])
    assert result.ok, result.sorted_errors()


@pytest.fixture
def repo(make_repo: Callable[..., Path]) -> Path:
    return make_repo()


def test_docx_metadata_and_body(repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """A Word notice gives a valid record with its title, 文号, issuers, dates, table and list."""
    src = make_docx((FIXTURES / "notice.md").read_text(encoding="utf-8"), tmp_path / "laiyang-notice.docx")
    assert run_import(repo, src) == 0
    rec = load(repo, "laiyang-notice")
    assert_valid(repo, "laiyang-notice")
    assert rec["title"] == "莱阳市民政局关于加强困境儿童保障工作的通知"
    assert rec["doc_number"] == "莱民发〔2024〕12号"
    assert rec["issuers"] == ["莱阳市民政局", "莱阳市教育局"]
    assert (rec["issued"], rec["effective"]) == ("2024-03-01", "2024-04-01")
    assert rec["scope"] == "370682"  # 莱阳市 is named in the issuer
    assert rec["tags"] == ["家庭保护", "社会保护"]
    body = rec["body"]
    assert "## 一、工作目标" in body and "## 二、工作措施" in body and "### （一）加强摸底排查" in body
    assert "| 儿童之家 | 12" in body and "| 项目" in body
    assert "1.  每季度开展一次摸底排查；" in body and "3.  及时报告发现的线索。" in body
    assert "莱民发〔2024〕12号" not in body  # the number is metadata now
    assert not any(line.startswith("\u3000") for line in body.split("\n"))  # indents dropped
    out = capsys.readouterr().out
    assert "需要补充/核对的字段" in out and "status（效力状态）：现行有效" in out


def only_core_title(src: Path) -> Path:
    """Drop the visible Title paragraph, so the title is only in the document properties."""
    with zipfile.ZipFile(src) as docx:
        parts = {i.filename: docx.read(i) for i in docx.infolist()}
    xml = parts["word/document.xml"].decode()
    xml = re.sub(r'<w:p>(?:(?!</w:p>).)*?w:val="Title".*?</w:p>', "", xml, count=1, flags=re.S)
    parts["word/document.xml"] = xml.encode()
    with zipfile.ZipFile(src, "w") as docx:
        for name, data in parts.items():
            docx.writestr(name, data)
    return src


def test_docx_core_title_and_chinese_file_name(repo: Path, tmp_path: Path) -> None:
    """The title in the Word file's properties is used; a Chinese file name gives a dated id."""
    md = "---\ntitle: 渭南市困境儿童关爱服务工作方案\n---\n\n一、总体要求\n\n正文。\n\n渭南市民政局\n\n二〇二〇年五月八日\n"
    src = only_core_title(make_docx(md, tmp_path / "工作方案.docx"))
    assert "渭南市困境儿童关爱服务工作方案" not in pandoc.run(["-f", "docx", "-t", "gfm", "-s", src]).decode()
    assert run_import(repo, src) == 0
    (path,) = (repo / "records" / "policies").glob("policy-2020-*.yaml")
    rec = load(repo, path.stem)
    assert rec["title"] == "渭南市困境儿童关爱服务工作方案"
    assert (rec["issuers"], rec["issued"]) == (["渭南市民政局"], "2020-05-08")
    assert "doc_number" not in rec
    assert_valid(repo, path.stem)


def test_html_page(repo: Path, capsys: pytest.CaptureFixture) -> None:
    """An HTML page: h1 title, [ ] 文号 normalised, Chinese-numeral date, canonical address."""
    assert run_import(repo, FIXTURES / "notice.html", "--id", "mca-2014-pilot") == 0
    rec = load(repo, "mca-2014-pilot")
    assert_valid(repo, "mca-2014-pilot")
    assert rec["title"] == "关于开展未成年人社会保护试点工作的通知"
    assert rec["doc_number"] == "民函〔2014〕240号"
    assert (rec["issuers"], rec["issued"], rec["scope"]) == (["民政部"], "2014-06-20", "全国")
    assert rec["source"]["url"] == "https://mz.example.gov.cn/zcwj/2014/240.html"
    assert "首页" not in rec["body"]  # page navigation before the h1 is dropped
    assert "1.  建立发现报告机制；" in rec["body"] and "| 示例县" in rec["body"]
    out = capsys.readouterr().out
    assert "“民函[2014]240号”的写法已规范为“民函〔2014〕240号”" in out
    assert "1 张图片没有导入" in out


def test_html_golden(repo: Path) -> None:
    """The whole record written for the HTML fixture, comments included, is pinned."""
    assert run_import(repo, FIXTURES / "notice.html", "--id", "mca-2014-pilot") == 0
    written = (repo / "records" / "policies" / "mca-2014-pilot.yaml").read_text(encoding="utf-8")
    assert written == (FIXTURES / "notice.expected.yaml").read_text(encoding="utf-8")


def test_plain_markdown_without_metadata(repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """Text with one paragraph per line and no 落款 still validates, with placeholders listed."""
    src = tmp_path / "pilot-plan.md"
    src.write_text("前言。\n一、工作目标\n探索建立机制。\n1、甲；\n2、乙。\n", encoding="utf-8")
    assert run_import(repo, src) == 0
    rec = load(repo, "pilot-plan")
    assert rec["body"] == "前言。\n\n## 一、工作目标\n\n探索建立机制。\n\n1. 甲；\n2. 乙。\n"
    out = capsys.readouterr().out
    for field in ("title（标题）", "issuers（发文机关）", "issued（成文日期）", "source（来源）"):
        assert field in out
    assert "# 待核对" in (repo / "records" / "policies" / "pilot-plan.yaml").read_text(encoding="utf-8")


def test_existing_record_needs_force(repo: Path, capsys: pytest.CaptureFixture) -> None:
    """A second import of the same id exits 2 and leaves the file alone; --force replaces it."""
    path = repo / "records" / "policies" / "mca-2014-pilot.yaml"
    assert run_import(repo, FIXTURES / "notice.html", "--id", "mca-2014-pilot") == 0
    path.write_text(path.read_text(encoding="utf-8").replace("现行有效", "已废止"), encoding="utf-8")
    capsys.readouterr()
    assert run_import(repo, FIXTURES / "notice.html", "--id", "mca-2014-pilot") == 2
    assert "--force" in capsys.readouterr().err
    assert load(repo, "mca-2014-pilot")["status"] == "已废止"
    assert run_import(repo, FIXTURES / "notice.html", "--id", "mca-2014-pilot", "--force") == 0
    assert load(repo, "mca-2014-pilot")["status"] == "现行有效"


@pytest.mark.parametrize(
    ("name", "args", "message"),
    [
        ("notice.doc", (), "另存为 .docx"),
        ("missing.docx", (), "文件不存在"),
        ("notice.html", ("--id", "Bad_ID"), "编号只能用小写英文字母"),
    ],
)
def test_usage_errors(repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture,
                      name: str, args: tuple[str, ...], message: str) -> None:
    """Unsupported file types, missing files and bad ids exit 2 with a Chinese message."""
    src = FIXTURES / name if name == "notice.html" else tmp_path / name
    if name.endswith(".doc"):
        src.write_bytes(b"\xd0\xcf\x11\xe0")
    assert run_import(repo, src, *args) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    "head",
    ["# 滨城区儿童之家管理办法", "**滨城区儿童之家管理办法**", "---\ntitle: 滨城区儿童之家管理办法\n---"],
    ids=["heading", "bold-paragraph", "title-style"],
)
def test_docx_title_sources(repo: Path, tmp_path: Path, head: str) -> None:
    """A heading, a bold first paragraph or a Title-style paragraph gives the title, once."""
    md = f"{head}\n\n第一条　为规范儿童之家管理，制定本办法。\n\n滨州市滨城区民政局\n\n2022年9月1日\n"
    assert run_import(repo, make_docx(md, tmp_path / "bincheng-homes.docx")) == 0
    rec = load(repo, "bincheng-homes")
    assert rec["title"] == "滨城区儿童之家管理办法"
    assert rec["body"].startswith("**第一条** 为规范儿童之家管理，制定本办法。")
    assert (rec["issuers"], rec["issued"]) == (["滨州市滨城区民政局"], "2022-09-01")
