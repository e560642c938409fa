"""`weibao import`: ledgers in, one record per row, all or nothing, every problem at its cell."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from openpyxl import Workbook

from sheets_ledger import (
    CASE_HEADERS,
    cases_ledger,
    clue_rows,
    clues_csv,
)
from weibao.cli import main
from weibao.load import load_file
from weibao.repo import Repository
from weibao.validate import validate

TODAY = "2026-11-30"


@pytest.fixture
def repo(make_repo) -> Path:
    return make_repo()


def run(root: Path, *args: str) -> int:
    return main(["--root", str(root), *args, "--today", TODAY] if args[0] == "import" else ["--root", str(root), *args])


def case_files(root: Path) -> list[Path]:
    return sorted((root / "records" / "cases").glob("*.yaml"))


def test_good_ledger_of_200_cases_becomes_200_valid_records(repo, tmp_path, capsys):
    ledger = cases_ledger(tmp_path / "台账.xlsx", 200)
    assert run(repo, "import", "cases", str(ledger)) == 0
    out = capsys.readouterr().out
    assert "新建 200 条" in out
    files = case_files(repo)
    assert len(files) == 200
    assert validate(Repository(repo), today=dt.date(2026, 11, 30)).errors == []
    record = load_file(files[0], "x", 1 << 20).value
    assert record["synthetic"] is True and record["id"] == files[0].stem
    assert record["id"].startswith("c-") and len(record["id"]) == 12
    assert (repo / "imports" / "cases.yaml").is_file()
    text = (repo / "imports" / "cases.yaml").read_text(encoding="utf-8")
    assert "T-00001" not in text  # only fingerprints of the ledger's keys
    assert main(["--root", str(repo), "fmt", "--check", str(repo / "records" / "cases")]) == 0


def test_reimporting_the_same_ledger_does_not_duplicate_and_updates_a_changed_row(repo, tmp_path, capsys):
    ledger = cases_ledger(tmp_path / "台账.xlsx", 30)
    assert run(repo, "import", "cases", str(ledger)) == 0
    before = {p.name: p.read_text(encoding="utf-8") for p in case_files(repo)}
    assert run(repo, "import", "cases", str(ledger)) == 0
    assert "未变 30 条" in capsys.readouterr().out
    assert {p.name: p.read_text(encoding="utf-8") for p in case_files(repo)} == before

    def close_row_7(row_number, row):
        if row_number == 7:
            row[3], row[9], row[10] = "2026-04", "已结案", "风险解除"
        return row

    cases_ledger(ledger, 31, close_row_7)
    assert run(repo, "import", "cases", str(ledger)) == 0
    out = capsys.readouterr().out
    assert "新建 1 条，更新 1 条，未变 29 条" in out
    assert len(case_files(repo)) == 31


def test_one_bad_cell_in_row_117_writes_nothing_and_names_the_cell(repo, tmp_path, capsys):
    def bad(row_number, row):
        if row_number == 117:
            row[4] = "6-12"  # 年龄段, column E: not a term of age_bands
        return row

    ledger = cases_ledger(tmp_path / "台账.xlsx", 200, bad)
    assert run(repo, "import", "cases", str(ledger)) == 1
    out = capsys.readouterr().out
    assert "个案!E117" in out and "年龄段" in out and "age_bands" in out
    assert out.count("个案!") == 1
    assert case_files(repo) == []
    assert not (repo / "imports").exists()


def test_messages_are_the_validators_messages(repo, tmp_path, capsys):
    """A reference to a missing organisation reads as in `weibao validate`."""
    def bad(row_number, row):
        if row_number == 3:
            row[8] = "no-such-org"
        return row

    assert run(repo, "import", "cases", str(cases_ledger(tmp_path / "a.xlsx", 5, bad))) == 1
    out = capsys.readouterr().out
    assert "个案!I3（负责机构）" in out and "[ref-missing]" in out and "找不到编号为" in out


@pytest.mark.parametrize(
    "header",
    ["姓名", "儿童姓名", "身份证号", "公民身份号码", "联系电话", "家庭住址", "就读学校", "出生日期",
     "出生年月", "姓　名", "Name", "监护人手机"],
)
def test_an_identifying_column_refuses_the_file_before_any_row_is_read(repo, tmp_path, capsys, header):
    # row 2 holds a value the privacy guard would report if any row were read
    def with_id(row_number, row):
        return [*row, "11010519491231002X" if row_number == 2 else "某"]

    ledger = cases_ledger(tmp_path / "台账.xlsx", 5, with_id, headers=[*CASE_HEADERS, header])
    assert run(repo, "import", "cases", str(ledger)) == 1
    out = capsys.readouterr().out
    assert "[sheet-identifying-column]" in out and "没有被读取" in out
    assert "个案!L1" in out
    assert "privacy-" not in out and "11010519" not in out
    assert case_files(repo) == []


def test_excel_mangled_codes_and_dates_are_read_correctly(repo, tmp_path, capsys):
    def mangled(row_number, row):
        row[0] = 17 if row_number == 2 else row[0]  # a key typed as a number
        row[1] = 370682.0  # a region code typed as a number
        row[2] = dt.date(2025, 11, 1)  # 2025-11 typed into a General cell
        return row

    ledger = cases_ledger(tmp_path / "台账.xlsx", 3, mangled)
    assert run(repo, "import", "cases", str(ledger)) == 1  # key 17 has no risk row: reported
    out = capsys.readouterr().out
    assert "个案 第 2 行（风险等级表）" in out and "[schema-required]" in out
    # give key 17 its own rows: all read, values exact
    wb_rows = cases_ledger(tmp_path / "b.xlsx", 3, lambda n, r: mangled(n, r) if n != 2 else r)
    assert run(repo, "import", "cases", str(wb_rows)) == 0
    for path in case_files(repo):
        text = path.read_text(encoding="utf-8")
        assert 'region: "370682"' in text and 'opened: "2025-11"' in text


@pytest.mark.parametrize(
    ("column", "value", "rule", "fragment"),
    [
        (2, dt.date(2025, 11, 13), "sheet-month", "只写月份"),  # a day in a month column
        (4, dt.date(2026, 6, 11), "sheet-date-in-text", "6-11"),  # age band 6-11 turned date
        (1, 37068.0, "sheet-number-as-text", "开头的 0"),  # a 5-digit number for a 6-digit code
        (1, 37068200.0, "sheet-number-as-text", "文本"),
        (2, 45962.0, "sheet-month", "序号"),  # an Excel date serial
        (5, True, "sheet-type", "逻辑值"),
    ],
)
def test_excel_changes_that_cannot_be_undone_are_refused_with_the_fix(
    repo, tmp_path, capsys, column, value, rule, fragment
):
    def mangle(row_number, row):
        if row_number == 4:
            row[column] = value
        return row

    ledger = cases_ledger(tmp_path / "台账.xlsx", 5, mangle)
    assert run(repo, "import", "cases", str(ledger)) == 1
    out = capsys.readouterr().out
    letter = "ABCDEFGHIJK"[column]
    assert f"个案!{letter}4" in out and f"[{rule}]" in out and fragment in out
    assert case_files(repo) == []


def test_a_leading_zero_area_code_turned_number_is_refused(repo, tmp_path, capsys):
    wb = Workbook()
    ws = wb.active
    ws.title = "服务机构"
    ws.append(["编号", "名称", "机构类型", "所在地区", "来源·来源文件", "最近核实日期"])
    ws.append(["laiyang-new-station", "莱阳市某工作站", "未成年人保护工作站", "370682",
               "laiyang-2024-report", dt.date(2026, 5, 6)])
    phones = wb.create_sheet("电话")
    phones.append(["编号", "号码", "类型"])
    phones.append(["laiyang-new-station", 535, "voice"])  # 0535 lost its 0
    path = tmp_path / "机构.xlsx"
    wb.save(path)
    assert run(repo, "import", "orgs", str(path)) == 1
    out = capsys.readouterr().out
    assert "电话!B2（号码）" in out and "[sheet-number-as-text]" in out
    phones["B2"] = "0535-1234567"
    wb.save(path)
    assert run(repo, "import", "orgs", str(path)) == 0
    text = (repo / "records" / "orgs" / "laiyang-new-station.yaml").read_text(encoding="utf-8")
    assert 'verified: "2026-05-06"' in text and '{number: "0535-1234567", type: voice}' in text


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-8", "utf-8-sig"])
def test_csv_saved_by_excel_in_any_encoding_is_read(repo, tmp_path, capsys, encoding):
    rows = clue_rows(12)
    rows[3][1] = "2025/10/1"  # how Excel writes a month cell to CSV
    rows[4][1] = "2025年10月"
    path = clues_csv(tmp_path / "线索.csv", rows, encoding)
    assert run(repo, "import", "clues", str(path)) == 0
    out = capsys.readouterr().out
    assert ("GBK" in out) == encoding.startswith("gb")
    files = sorted((repo / "records" / "clues").glob("*.yaml"))
    assert len(files) == 12
    values = [load_file(p, "x", 1 << 20).value for p in files]
    assert {v["received"] for v in values} == {"2025-10"}
    assert {v["channel"] for v in values} == {"强制报告"}
    assert {v["days_to_first_response"] for v in values} == {0, 1, 2}
    assert all(v["transferred"] is False for v in values)


def test_csv_in_neither_encoding_is_refused(repo, tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"\xff\xfe\x00a")
    assert run(repo, "import", "clues", str(path)) == 2


@pytest.mark.parametrize(
    ("title", "kind"),
    [("联系人13812345678", "phone"), ("张某家访", "person-name"), ("身份证11010519491231002X", "id-number")],
)
def test_the_privacy_guard_runs_on_every_cell_and_conceals(repo, tmp_path, capsys, title, kind):
    wb = Workbook()
    ws = wb.active
    ws.title = "活动"
    ws.append(["台账编号", "日期", "主办机构", "活动类型", "对象", "地区", "活动名称", "场次", "人次"])
    ws.append(["H-1", "2026-05-06", "laiyang-civil-affairs", "讲座", "儿童", "370682", title, 1, 20])
    path = tmp_path / "活动.xlsx"
    wb.save(path)
    assert run(repo, "import", "activities", str(path)) == 1
    out = capsys.readouterr().out
    assert "活动!G2" in out and f"privacy-{kind}" in out
    assert "13812345678" not in out and "11010519491231002X" not in out
    assert not (repo / "records" / "activities").exists() or not list((repo / "records" / "activities").iterdir())


@pytest.mark.parametrize("key", ["20150304", "张三", "LY 01", "a" * 21, "13812345678"])
def test_a_ledger_key_that_could_hold_an_identifier_is_refused(repo, tmp_path, capsys, key):
    def with_key(row_number, row):
        if row_number == 2:
            row[0] = key
        return row

    assert run(repo, "import", "cases", str(cases_ledger(tmp_path / "a.xlsx", 2, with_key))) == 1
    out = capsys.readouterr().out
    assert "个案!A2" in out
    assert key not in out or len(key) <= 2


def test_unknown_columns_and_sheets_are_refused_with_suggestions(repo, tmp_path, capsys):
    headers = [*CASE_HEADERS]
    headers[5] = "姓别"
    ledger = cases_ledger(tmp_path / "a.xlsx", 2, headers=headers)
    assert run(repo, "import", "cases", str(ledger)) == 1
    out = capsys.readouterr().out
    assert "个案!F1" in out and "性别" in out
    wb = Workbook()
    wb.active.title = "统计"
    wb.active.append(["合计", 3])
    wb.save(tmp_path / "b.xlsx")
    assert run(repo, "import", "cases", str(tmp_path / "b.xlsx")) == 1
    assert "不认识的工作表“统计”" in capsys.readouterr().out


def test_child_rows_without_a_record_are_reported(repo, tmp_path, capsys):
    ledger = cases_ledger(tmp_path / "a.xlsx", 3)
    from openpyxl import load_workbook

    wb = load_workbook(ledger)
    wb["风险等级"].append(["T-99999", "2025-11", "红"])
    wb.save(ledger)
    assert run(repo, "import", "cases", str(ledger)) == 1
    out = capsys.readouterr().out
    assert "风险等级!A5" in out and "[sheet-key-orphan]" in out


def test_dry_run_writes_nothing(repo, tmp_path, capsys):
    ledger = cases_ledger(tmp_path / "a.xlsx", 10)
    assert run(repo, "import", "cases", str(ledger), "--dry-run") == 0
    assert "--dry-run" in capsys.readouterr().out
    assert case_files(repo) == []
    assert not (repo / "imports").exists()


def test_a_failure_while_writing_leaves_the_repository_as_it_was(repo, tmp_path, monkeypatch):
    ledger = cases_ledger(tmp_path / "a.xlsx", 10)
    assert run(repo, "import", "cases", str(ledger)) == 0
    before = {p: p.read_bytes() for p in [*case_files(repo), repo / "imports" / "cases.yaml"]}

    def change(row_number, row):
        row[9], row[3], row[10] = "已结案", "2026-02", "风险解除"
        return row

    cases_ledger(ledger, 20, change)
    real = os.replace
    calls = {"n": 0}

    def flaky(src, dst):
        calls["n"] += 1
        if calls["n"] == 15:
            raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr("weibao.sheets.importer.os.replace", flaky)
    with pytest.raises(OSError):
        from weibao.sheets.importer import import_ledger

        import_ledger(Repository(repo), "cases", ledger, today=dt.date(2026, 11, 30))
    monkeypatch.setattr("weibao.sheets.importer.os.replace", real)
    after = {p: p.read_bytes() for p in [*case_files(repo), repo / "imports" / "cases.yaml"]}
    assert after == before
    assert not [p for p in (repo / "records" / "cases").iterdir() if p.name.startswith(".")]


def test_the_same_rows_twice_in_one_ledger_are_refused(repo, tmp_path, capsys):
    def dup(row_number, row):
        if row_number == 5:
            row[0] = "T-00001"
        return row

    assert run(repo, "import", "cases", str(cases_ledger(tmp_path / "a.xlsx", 6, dup))) == 1
    assert "个案!A5" in capsys.readouterr().out




def test_the_import_benchmark_script_runs(tmp_path):
    """scripts/bench_import.py (called by the benchmark with 10,000 rows) works on a small ledger."""
    import json
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    proc = subprocess.run(
        [sys.executable, str(root / "scripts" / "bench_import.py"), "--rows", "40", "--keep", str(tmp_path)],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["rows"] == 40 and result["records_written"] == 40
