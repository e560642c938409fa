"""`weibao privacy-report`: small quasi-identifier groups and class disclosure, in counts only.

The fixture (tests/fixtures/program/report/) has 13 cases in Laiyang: 5 boys 6-11 opened 2024
(left-behind), 2 girls 12-13 opened 2025, 5 girls 3-5 opened 2024 who are all orphans, and
1 boy 16-17 opened 2023 with a disability.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from weibao.cli import main

REPORT = Path(__file__).resolve().parent / "fixtures" / "program" / "report"
UPDATE = os.environ.get("WEIBAO_UPDATE_GOLDEN") == "1"
CONFIG = "jurisdiction:\n  name: 测试地区\n  regions: ['370682']\n"


def _repo(make_repo, files: dict[str, str] | None = None) -> Path:
    root = make_repo()
    shutil.copytree(REPORT / "records", root / "records", dirs_exist_ok=True)
    for rel, text in (files or {}).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def _run(root: Path, capsys, *options: str) -> tuple[int, str, str]:
    rc = main(["--root", str(root), "privacy-report", *options])
    captured = capsys.readouterr()
    return rc, captured.out, captured.err


@pytest.mark.parametrize(("options", "golden"), [((), "expected.txt"), (("--format", "json"), "expected.json")])
def test_report_matches_golden(make_repo, capsys, options, golden) -> None:
    """The report lists each small group and each class disclosure with its size, exit 0."""
    rc, out, _ = _run(_repo(make_repo), capsys, *options)
    path = REPORT / golden
    if UPDATE:
        path.write_text(out, encoding="utf-8")
    assert out == path.read_text(encoding="utf-8")
    assert rc == 0


def test_report_finds_small_groups_and_class_disclosure(make_repo, capsys) -> None:
    """Groups of 2 and 1 are small; the 5 orphans and the lone disabled boy disclose a class."""
    rc, out, _ = _run(_repo(make_repo), capsys, "--format", "json")
    doc = json.loads(out)
    assert rc == 0
    assert doc["cases"] == 13
    assert doc["groups"] == 4
    assert [(g["key"]["age_band"], g["size"]) for g in doc["small_groups"]] == [("16-17", 1), ("12-13", 2)]
    assert [(g["key"]["age_band"], g["size"], g["sensitive_categories"]) for g in doc["class_disclosure"]] == [
        ("16-17", 1, ["残疾儿童"]),
        ("3-5", 5, ["孤儿"]),
    ]


def test_report_never_lists_case_ids(make_repo, capsys) -> None:
    """Output gives group keys and sizes only, never a case id."""
    root = _repo(make_repo)
    ids = [p.stem for p in (root / "records" / "cases").glob("*.yaml")]
    for options in ((), ("--format", "json")):
        _, out, _ = _run(root, capsys, *options)
        assert [i for i in ids if i in out] == []


def test_min_group_size_comes_from_weibao_yaml(make_repo, capsys) -> None:
    """privacy.min_group_size in weibao.yaml sets the threshold."""
    root = _repo(make_repo, {"weibao.yaml": CONFIG + "privacy:\n  min_group_size: 2\n"})
    _, out, _ = _run(root, capsys, "--format", "json")
    doc = json.loads(out)
    assert doc["min_group_size"] == 2
    assert [g["size"] for g in doc["small_groups"]] == [1]


def test_quasi_identifiers_come_from_weibao_yaml(make_repo, capsys) -> None:
    """privacy.quasi_identifiers chooses the grouping fields; coarser keys make larger groups."""
    root = _repo(make_repo, {"weibao.yaml": CONFIG + "privacy:\n  quasi_identifiers: [region, year]\n"})
    _, out, _ = _run(root, capsys, "--format", "json")
    doc = json.loads(out)
    assert [(g["key"], g["size"]) for g in doc["small_groups"]] == [
        ({"region": "370682", "year": "2023"}, 1),
        ({"region": "370682", "year": "2025"}, 2),
    ]
    # 2024 now mixes orphans with left-behind boys: no longer a class disclosure
    assert [g["key"]["year"] for g in doc["class_disclosure"]] == ["2023"]


def test_unknown_quasi_identifier_is_a_usage_error(make_repo, capsys) -> None:
    """A quasi-identifier that is not a case field stops the report with exit 2 and the fields."""
    root = _repo(make_repo, {"weibao.yaml": CONFIG + "privacy:\n  quasi_identifiers: [region, town]\n"})
    rc, out, err = _run(root, capsys)
    assert rc == 2
    assert out == ""
    assert err.startswith("weibao: weibao.yaml: privacy.quasi_identifiers 中的“town”不是个案的字段：可用的有 id、")


def test_invalid_case_is_left_out_and_counted(make_repo, capsys) -> None:
    """A case that fails validation is not counted, and the report says how many were skipped."""
    root = _repo(make_repo, {"records/cases/c-0000000000.yaml": "id: c-0000000000\nsynthetic: true\n"})
    rc, out, _ = _run(root, capsys)
    assert rc == 0
    assert "共 13 个个案" in out
    assert "注意：1 个个案文件未通过校验，未计入本报告；请先运行 weibao validate 并修正。" in out


def test_no_findings_says_so(make_repo, capsys) -> None:
    """With only one large, mixed group the report says there is nothing to worry about."""
    root = make_repo()
    shutil.copytree(REPORT / "records", root / "records", dirs_exist_ok=True)
    cases = root / "records" / "cases"
    for path in cases.glob("*.yaml"):
        if "6-11" not in path.read_text(encoding="utf-8"):
            path.unlink()
    rc, out, _ = _run(root, capsys)
    assert rc == 0
    assert out.endswith("没有发现过小的分组或类别泄露。\n")
    assert "一、人数少于 5 的分组：0 组，共 0 个个案。" in out


def test_bad_format_is_a_usage_error(make_repo, capsys) -> None:
    """An unknown --format exits 2 with a Chinese usage message."""
    with pytest.raises(SystemExit) as exc:
        main(["--root", str(_repo(make_repo)), "privacy-report", "--format", "xml"])
    assert exc.value.code == 2
    assert "用法错误" in capsys.readouterr().err
