"""A malformed statistics/tables.yaml is a located error value, never a crash.

Each bad file under tests/fixtures/tables-bad/ is laid into a small repository; `weibao validate`,
`weibao stats` and `weibao build` must all exit 1 and print the golden message (file:line:column,
the field, what to do) — never exit 3, never a traceback. Set WEIBAO_UPDATE_GOLDEN=1 to rewrite
the .expected files (then read the diff: every line is a message a staff member will see).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from weibao.cli import main

BAD = Path(__file__).resolve().parent / "fixtures" / "tables-bad"
UPDATE = os.environ.get("WEIBAO_UPDATE_GOLDEN") == "1"

# case → (line of the first error, a fragment of the fix it must tell)
CASES = {
    "list-for-mapping": (5, "应为“字段: 值”的映射，这里是列表"),
    "table-is-list": (15, "应为“字段: 值”的映射，这里是列表"),
    "top-level-list": (1, "文件最外层必须是“字段: 值”的映射"),
    "of-cycle": (2, "请让其中一个维度改用 field"),
    "of-self": (2, "of 要写另一个维度的名称"),
    "of-unknown": (3, "您是不是要写“transferred_to”"),
    "field-and-of": (3, "field 和 of 必须写且只写一个"),
    "unknown-dimension": (12, "您是不是要写“region”"),
    "unknown-group": (9, "请先在 groups 中定义它。您是不是要写“clues”"),
    "unknown-collection": (10, "您是不是要写“clues”"),
    "unknown-vocabulary": (2, "您是不是要写“clue_channels”"),
    "median-misspelt": (13, "您是不是要写“days_to_first_response”"),
    "median-not-number": (13, "中位数只能用数字字段。可用的数字字段有 days_to_first_response"),
    "sum-misspelt-each": (14, "您是不是要写“count”"),
    "each-unknown": (11, "您是不是要写“services”"),
    "when-unknown": (11, "您是不是要写“received”"),
    "dimension-field-unknown": (5, "您是不是要写“region”"),
    "duplicate-table-id": (15, "与第 7 行的表重复"),
    "threshold-below-repository": (15, "请改为不小于 5 的整数"),
    "sensitive-threshold-below-repository": (2, "请改为不小于 5 的整数"),
    "rows-equal-columns": (13, "请换一个列维度，或删除 columns"),
    "bad-grain": (14, "只能是 month、quarter、year"),
    "bad-measure": (13, "measure 写 count（计数），或 {sum: 数字字段}"),
    "unknown-key": (7, "缺少必填字段“grain”"),
    "duplicate-key": (15, "请合并为一个"),
    "yaml-1.1-bool": (15, '要写文字请加引号："yes"'),
    "fullwidth-colon": (14, "请改成“grain: ”"),
    "gbk": (3, "编码选“UTF-8”"),
    "empty": (1, "至少一行 tables: []"),
}


def test_every_fixture_is_a_case() -> None:
    """No bad file lies unused, and no case lacks its file."""
    assert sorted(p.stem for p in BAD.glob("*.yaml")) == sorted(CASES)


@pytest.fixture
def lay(make_repo):
    def lay(case: str) -> Path:
        root = make_repo()
        (root / "statistics").mkdir(exist_ok=True)
        shutil.copy(BAD / f"{case}.yaml", root / "statistics" / "tables.yaml")
        return root

    return lay


def _messages(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("statistics/tables.yaml")]


@pytest.mark.parametrize("case", sorted(CASES))
def test_validate_locates_the_problem_and_says_the_fix(case: str, lay, capsys) -> None:
    root = lay(case)
    rc = main(["--root", str(root), "validate", "--today", "2026-11-24"])
    out = capsys.readouterr().out
    messages = _messages(out)
    golden = BAD / f"{case}.expected"
    if UPDATE:
        golden.write_text("".join(f"{m}\n" for m in messages), encoding="utf-8")
    assert rc == 1, out
    assert messages == golden.read_text(encoding="utf-8").splitlines()
    line, fix = CASES[case]
    first = messages[0]
    assert first.startswith(f"statistics/tables.yaml:{line}:"), first
    column = first.split(":")[2]
    assert column.isdigit() and int(column) >= 1, first
    assert fix in first
    assert out.endswith("个错误。\n") and "全部通过" not in out


@pytest.mark.parametrize("case", sorted(CASES))
def test_stats_and_build_refuse_with_the_same_message(case: str, lay, capsys, tmp_path: Path) -> None:
    """Exit 1 (the data has errors) with the located message; never exit 3 (a crash)."""
    root = lay(case)
    golden = (BAD / f"{case}.expected").read_text(encoding="utf-8").splitlines()
    for command in (["stats", "--out", str(tmp_path / "stats")], ["build", "--out", str(tmp_path / "site")]):
        rc = main(["--root", str(root), *command, "--today", "2026-11-24"])
        err = capsys.readouterr().err
        assert rc == 1, (command, err)
        assert _messages(err) == golden, command
        assert "缺陷" not in err and "Traceback" not in err
    assert not (tmp_path / "stats").exists() and not (tmp_path / "site" / "index.html").exists()


def test_validate_named_tables_file_checks_it_alone(lay, capsys, monkeypatch) -> None:
    """`weibao validate statistics/tables.yaml` (what the pre-commit hook runs when only the
    definitions changed) checks the definitions, not every record; beside a record, both."""
    root = lay("of-cycle")
    monkeypatch.chdir(root)
    assert main(["validate", "statistics/tables.yaml", "--today", "2026-11-24"]) == 1
    out = capsys.readouterr().out
    assert _messages(out) == (BAD / "of-cycle.expected").read_text(encoding="utf-8").splitlines()
    assert out.endswith("共检查 1 个文件，发现 1 个错误。\n")
    record = "records/orgs/laiyang-civil-affairs.yaml"
    assert main(["validate", record, "statistics/tables.yaml", "--today", "2026-11-24"]) == 1
    assert capsys.readouterr().out.endswith("共检查 2 个文件，发现 1 个错误。\n")
    (root / "statistics" / "tables.yaml").write_text("tables: []\n", encoding="utf-8")
    assert main(["validate", "statistics/tables.yaml", "--today", "2026-11-24"]) == 0
    assert capsys.readouterr().out == "共检查 1 个文件，全部通过。\n"
