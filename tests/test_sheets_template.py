"""`weibao template` and `weibao export`: workbooks a staff member can fill in and read back."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from weibao.cli import main
from weibao.load import load_file

ROOT = Path(__file__).resolve().parent.parent
# written here, not taken from the code under test: words no program-record header may contain
IDENTIFYING = ["姓名", "名字", "身份证", "电话", "手机", "住址", "地址", "学校", "出生", "生日", "微信"]
PROGRAMS = ["cases", "clues", "activities"]


@pytest.fixture
def repo(make_repo) -> Path:
    return make_repo()


def template(root: Path, collection: str, tmp_path: Path):
    out = tmp_path / f"{collection}.xlsx"
    assert main(["--root", str(root), "template", collection, "--out", str(out)]) == 0
    return out, load_workbook(out)


@pytest.mark.parametrize("collection", PROGRAMS)
def test_program_templates_have_no_column_for_an_identity_and_say_why(repo, tmp_path, collection):
    _, wb = template(repo, collection, tmp_path)
    assert wb.sheetnames[0] == "填写说明"
    rules = "\n".join(str(c.value) for row in wb["填写说明"].iter_rows() for c in row if c.value)
    assert "为什么没有姓名、身份证号" in rules and "去标识化" in rules
    for ws in wb.worksheets:
        if ws.title in ("填写说明", "_lists"):
            continue
        headers = [c.value for c in ws[1] if c.value]
        assert headers[0] == "台账编号"
        assert "编号" not in headers  # no record id column: ids are random, made on import
        for h in headers:
            assert not any(word in h for word in IDENTIFYING), h


@pytest.mark.parametrize("collection", [*PROGRAMS, "orgs", "hotlines"])
def test_every_header_has_its_description_and_choices_are_drop_downs(repo, tmp_path, collection):
    _, wb = template(repo, collection, tmp_path)
    assert wb["_lists"].sheet_state == "hidden"
    for ws in wb.worksheets[1:]:
        if ws.title == "_lists":
            continue
        for cell in ws[1]:
            if cell.value:
                assert cell.comment is not None and len(cell.comment.text) > 2, cell.value
    main_sheet = wb.worksheets[1]
    formulas = [dv.formula1 for dv in main_sheet.data_validations.dataValidation]
    assert formulas and all(f.startswith("'_lists'!") for f in formulas)


def test_cases_template_offers_the_vocabulary_and_keeps_codes_as_text(repo, tmp_path):
    _, wb = template(repo, "cases", tmp_path)
    ws = wb["个案"]
    headers = [c.value for c in ws[1]]
    col = headers.index("年龄段")
    letter = ws.cell(row=1, column=col + 1).column_letter
    (dv,) = [d for d in ws.data_validations.dataValidation if letter + "2" in str(d.sqref)]
    _, rng = dv.formula1.split("!")
    cells = wb["_lists"][rng.replace("$", "")]
    assert [c[0].value for c in cells] == ["0-2", "3-5", "6-11", "12-13", "14-15", "16-17"]
    assert ws.column_dimensions[letter].number_format == "@"  # 6-11 stays text in Excel
    region = ws.cell(row=1, column=headers.index("县级地区") + 1).column_letter
    assert ws.column_dimensions[region].number_format == "@"


@pytest.mark.parametrize("collection", [*PROGRAMS, "orgs", "hotlines"])
def test_the_example_row_imports_once_it_has_a_key(repo, tmp_path, collection, capsys):
    """Program examples are complete records; directory examples hold `weibao new`'s placeholders,
    which import refuses at their cells (an unedited example is never published)."""
    path, wb = template(repo, collection, tmp_path)
    key = "E-1" if collection in PROGRAMS else "example-record"
    for ws in wb.worksheets:
        for row in ws.iter_rows(min_row=2, max_col=1):
            if row[0].value == "示例":
                row[0].value = key
    wb.save(path)
    code = main(["--root", str(repo), "import", collection, str(path)])
    out = capsys.readouterr().out
    if collection in PROGRAMS:
        assert code == 0, out
        assert "新建 1 条" in out
    else:
        assert code == 1
        problems = [line for line in out.splitlines() if line.startswith(path.name)]
        assert problems and all(line.endswith("[placeholder]") for line in problems), out


def test_an_untouched_template_imports_nothing(repo, tmp_path, capsys):
    path, _ = template(repo, "cases", tmp_path)
    assert main(["--root", str(repo), "import", "cases", str(path)]) == 0
    assert "跳过示例行" in capsys.readouterr().out
    assert not (repo / "records" / "cases").exists()


def _sample_copy(tmp_path: Path) -> Path:
    root = tmp_path / "sample"
    for name in ("schemas", "records"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "weibao.yaml", root / "weibao.yaml")
    return root


@pytest.mark.parametrize("collection", ["orgs", "hotlines"])
def test_an_exported_directory_imports_back_to_the_same_records(tmp_path, collection, capsys):
    root = _sample_copy(tmp_path)
    out = tmp_path / f"{collection}.xlsx"
    assert main(["--root", str(root), "export", collection, "--out", str(out)]) == 0
    originals = {p.name: load_file(p, "x", 1 << 20).value for p in (root / "records" / collection).glob("*.yaml")}
    assert main(["--root", str(root), "import", collection, str(out)]) == 0, capsys.readouterr().out
    again = {p.name: load_file(p, "x", 1 << 20).value for p in (root / "records" / collection).glob("*.yaml")}
    assert again == originals


def test_csv_export_has_a_bom_and_one_row_per_record(tmp_path):
    root = _sample_copy(tmp_path)
    out = tmp_path / "hotlines.csv"
    assert main(["--root", str(root), "export", "hotlines", "--format", "csv", "--out", str(out)]) == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["编号", "号码", "名称"]
    assert len(rows) - 1 == len(list((root / "records" / "hotlines").glob("*.yaml")))


def test_policies_export_is_metadata_without_the_full_text(tmp_path):
    root = _sample_copy(tmp_path)
    out = tmp_path / "policies.xlsx"
    assert main(["--root", str(root), "export", "policies", "--out", str(out)]) == 0
    headers = [c.value for c in load_workbook(out)["政策文件"][1]]
    assert "标题" in headers and "文号" in headers and "正文" not in headers


@pytest.mark.parametrize("collection", PROGRAMS)
def test_program_records_are_never_exported(tmp_path, collection, capsys):
    root = _sample_copy(tmp_path)
    assert main(["--root", str(root), "export", collection, "--out", str(tmp_path / "x.xlsx")]) == 2
    assert not (tmp_path / "x.xlsx").exists()


def test_the_staff_guide_page_exists_and_its_screenshots_are_there():
    page = ROOT / "site" / "guide" / "spreadsheets.md"
    text = page.read_text(encoding="utf-8")
    assert text.startswith("# 用表格批量录入\n")
    import re

    images = re.findall(r"!\[[^\]]+\]\(([^)]+)\)", text)
    assert len(images) >= 2
    for image in images:
        assert (page.parent / image).is_file(), image
