"""Coverage of the three-level network: computed from regions and orgs, expected gaps, the
`weibao coverage` command in three formats, and the public page's Markdown."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from weibao.cli import main
from weibao.coverage.page import generate
from weibao.repo import Repository
from weibao.validate import load_records

ROOT = Path(__file__).resolve().parent.parent

CONFIG = "jurisdiction:\n  name: 测试地区\n  regions: ['370682', '371602']\n"


def _town(code: str, name: str, kind: str, villages: int) -> str:
    return (f'id: "{code}"\nname: {name}\nlevel: 乡级\nparent: "{code[:6]}"\n'
            f"town_type: {kind}\nvillages: {villages}\ncode_year: 2023\n")


def _org(oid: str, region: str, kind: str = "未成年人保护工作站", supervisors: int | None = 1,
         directors: int | None = None) -> str:
    work = ""
    if supervisors is not None or directors is not None:
        work = "workforce:\n"
        work += f"  child_supervisors: {supervisors}\n" if supervisors is not None else ""
        work += f"  child_directors: {directors}\n" if directors is not None else ""
    return (f"id: {oid}\nname: 测试{oid}工作站\nkind: {kind}\nregion: \"{region}\"\n{work}"
            "source:\n  document: laiyang-2024-report\nverified: 2024-08-06\n")


# 滨城区 (two of its towns recorded): full coverage. 莱阳市 (three towns): gaps.
FILES = {
    "weibao.yaml": CONFIG,
    "records/regions/371600.yaml": 'id: "371600"\nname: 滨州市\nlevel: 地级\nparent: "370000"\n',
    "records/regions/371602.yaml": 'id: "371602"\nname: 滨城区\nlevel: 县级\nparent: "371600"\n',
    "records/regions/371602001.yaml": _town("371602001", "市中街道", "街道", 20),
    "records/regions/371602002.yaml": _town("371602002", "市西街道", "街道", 23),
    "records/orgs/s1.yaml": _org("s1", "371602001", directors=36),
    "records/orgs/s2.yaml": _org("s2", "371602002", directors=57),
    "records/regions/370682101.yaml": _town("370682101", "沐浴店镇", "镇", 84),
    "records/regions/370682102.yaml": _town("370682102", "团旺镇", "镇", 71),
    "records/regions/370682103.yaml": _town("370682103", "穴坊镇", "镇", 48),
    # a station with a supervisor but too few directors; a social-work station (not a station kind)
    "records/orgs/l1.yaml": _org("l1", "370682101", directors=10),
    "records/orgs/l2.yaml": _org("l2", "370682102", kind="社会工作服务站", supervisors=None),
}

EXPECTED = """\
expected_gaps:
  - region: "370682102"
    missing: 工作站
    reason: 工作站在建，预计年底投入使用。
    until: {until}
"""


@pytest.fixture
def repo(make_repo):
    def make(extra: dict[str, str] | None = None) -> Path:
        return make_repo({**FILES, **(extra or {})})
    return make


def _run(root: Path, capsys, *args: str) -> tuple[int, str, str]:
    rc = main(["--root", str(root), "coverage", *args])
    out = capsys.readouterr()
    return rc, out.out, out.err


def _json(root: Path, capsys) -> dict:
    rc, out, _ = _run(root, capsys, "--format", "json")
    assert rc == 0
    return {c["code"]: c for c in json.loads(out)["counties"]}


def test_fixture_repository_is_valid(repo, capsys) -> None:
    assert main(["--root", str(repo()), "validate"]) == 0


def test_county_with_full_coverage(repo, capsys) -> None:
    bincheng = _json(repo(), capsys)["371602"]
    assert (bincheng["towns"], bincheng["towns_with_station"], bincheng["towns_with_supervisor"],
            bincheng["towns_directors_complete"]) == (2, 2, 2, 2)
    assert all(t["gaps"] == [] for t in bincheng["town_list"])


def test_county_with_gaps_names_each_missing_part(repo, capsys) -> None:
    laiyang = _json(repo(), capsys)["370682"]
    assert (laiyang["towns"], laiyang["towns_with_station"], laiyang["towns_with_supervisor"],
            laiyang["towns_directors_complete"], laiyang["child_directors"], laiyang["villages"]) == (
        3, 1, 1, 0, 10, 203)
    gaps = {t["name"]: t["gaps"] for t in laiyang["town_list"]}
    assert gaps == {"沐浴店镇": ["儿童主任"], "团旺镇": ["工作站", "儿童督导员", "儿童主任"],
                    "穴坊镇": ["工作站", "儿童督导员", "儿童主任"]}


def test_text_output_for_staff(repo, capsys) -> None:
    rc, out, _ = _run(repo(), capsys)
    assert rc == 0
    assert "莱阳市（370682）：3 个乡镇（街道）\n  有未成年人保护工作站：1/3（33%）\n" in out
    assert "    370682103 穴坊镇：缺工作站、儿童督导员、儿童主任\n" in out
    assert "滨城区（371602）：2 个乡镇（街道）\n  有未成年人保护工作站：2/2（100%）\n" in out


def test_csv_opens_in_excel_with_one_row_per_town(repo, capsys) -> None:
    rc, out, _ = _run(repo(), capsys, "--format", "csv")
    assert rc == 0 and out.startswith("\ufeff县级代码,")
    rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    assert len(rows) == 5
    row = next(r for r in rows if r["乡镇代码"] == "370682101")
    assert (row["工作站"], row["儿童督导员"], row["儿童主任"], row["缺口"]) == ("测试l1工作站", "1", "10", "儿童主任")


def test_expected_gap_is_listed_as_known_not_as_gap(repo, capsys) -> None:
    root = repo({"statistics/coverage.yaml": EXPECTED.format(until="2099-12-31")})
    town = next(t for t in _json(root, capsys)["370682"]["town_list"] if t["code"] == "370682102")
    assert town["gaps"] == ["儿童督导员", "儿童主任"]
    assert town["expected_gaps"] == [{"missing": "工作站", "reason": "工作站在建，预计年底投入使用。",
                                      "until": "2099-12-31"}]
    rc, out, _ = _run(root, capsys)
    assert rc == 0
    assert "已知缺口：\n    370682102 团旺镇：缺工作站（工作站在建，预计年底投入使用。，预计 2099-12-31 前）" in out


def test_expired_expected_gap_needs_staff_attention(repo, capsys) -> None:
    root = repo({"statistics/coverage.yaml": EXPECTED.format(until="2020-01-31")})
    rc, out, err = _run(root, capsys)
    assert rc == 1
    assert "statistics/coverage.yaml:2:5: 团旺镇（370682102）“工作站”的已知缺口预计 2020-01-31 前解决，已经过期" in err
    assert "370682102 团旺镇：缺工作站、儿童督导员、儿童主任" in out  # counted as a plain gap again


def test_expected_gap_that_was_filled_must_be_removed(repo, capsys) -> None:
    settings = EXPECTED.format(until="2099-12-31").replace("370682102", "370682101")
    rc, _, err = _run(repo({"statistics/coverage.yaml": settings}), capsys)
    assert rc == 1
    assert "沐浴店镇（370682101）已经有工作站，不再是缺口：请删除这一项已知缺口。 [coverage-expected-filled]" in err


@pytest.mark.parametrize(("settings", "where", "says"), [
    (EXPECTED.format(until="2099-12-31").replace("370682102", "370682199"), "2:13",
     "找不到乡镇“370682199”"),
    (EXPECTED.format(until="2099-12-31").replace('"370682102"', "370682102"), "2:13", "找不到乡镇“370682102”"),
    (EXPECTED.format(until="2099-12-31").replace("工作站\n", "社工站\n"), "3:14", "missing 应是 工作站、儿童督导员、儿童主任 之一"),
    (EXPECTED.format(until="明年"), "5:12", "until 应是日期"),
    (EXPECTED.format(until="2099-12-31").replace("    reason: 工作站在建，预计年底投入使用。\n", ""), "2:5", "缺少 reason"),
    ("station_kind: [未保站]\n", "1:1", "不认识的设置“station_kind”"),
    ("station_kinds: [工作站]\n", "1:17", "“工作站”不在机构类型词表 org_kinds 中"),
    ("expected_gaps: {}\n", "1:16", "expected_gaps 应是列表"),
])
def test_broken_settings_stop_with_a_located_message(repo, capsys, settings, where, says) -> None:
    rc, out, err = _run(repo({"statistics/coverage.yaml": settings}), capsys)
    assert rc == 2 and out == ""
    assert f"statistics/coverage.yaml:{where}: " in err and says in err


def test_station_kinds_come_from_the_settings(repo, capsys) -> None:
    root = repo({"statistics/coverage.yaml": "station_kinds: [未成年人保护工作站, 社会工作服务站]\n"})
    assert _json(root, capsys)["370682"]["towns_with_station"] == 2


def test_invalid_records_are_reported_not_counted(repo, capsys) -> None:
    rc, out, err = _run(repo({"records/orgs/bad.yaml": _org("bad", "370682199")}), capsys)
    assert rc == 1 and out == ""
    assert "records/orgs/bad.yaml:4:9: region:" in err


# --- the public page -----------------------------------------------------------------------


def _page(root: Path, today: str = "2026-11-24") -> str:
    repo = Repository(root)
    result, records = load_records(repo)
    assert result.ok, result.errors
    return generate(repo, records, dt.date.fromisoformat(today))


def test_page_gives_figures_in_text_and_lists_towns_without_station(repo) -> None:
    root = repo({"statistics/coverage.yaml": EXPECTED.format(until="2099-12-31")})
    page = _page(root)
    laiyang = page[page.index("## 莱阳市"):page.index("## 滨城区")]
    assert "有未成年人保护工作站的乡镇（街道）：**1 / 3** 个（33%）" in laiyang
    assert 'style="width:33%' in laiyang and 'aria-hidden="true"' in laiyang
    assert "### 没有工作站的乡镇（街道）（2 个）\n\n穴坊镇。" in laiyang
    assert "- 团旺镇：工作站在建，预计年底投入使用。（预计 2099-12-31 前）" in laiyang
    bincheng = page[page.index("## 滨城区"):]
    assert "每个乡镇（街道）都有未成年人保护工作站。" in bincheng


def test_reported_figures_are_quoted_beside_never_merged(repo) -> None:
    """莱阳 reports 18 stations and 100%; the page computes 1/3 and quotes the report below it."""
    indicator = ('id: laiyang-stations\nregion: "370682"\nmetric: 镇街未成年人保护工作站覆盖率\nvalue: 100\n'
                 'unit: "%"\nperiod:\n  end: "2024-08"\n  label: 截至目前\nsource: laiyang-2024-report\n'
                 "quote: 全市建设未成年人保护工作站18个,镇街覆盖率达100%\n")
    other = indicator.replace("laiyang-stations", "laiyang-other").replace("镇街未成年人保护工作站覆盖率", "走访儿童")
    page = _page(repo({"records/indicators/laiyang-stations.yaml": indicator,
                       "records/indicators/laiyang-other.yaml": other}))
    laiyang = page[page.index("## 莱阳市"):page.index("## 滨城区")]
    computed, reported = laiyang.index("**1 / 3**"), laiyang.index('<h3 id="reported">报告中的数字</h3>')
    assert computed < reported
    assert "“全市建设未成年人保护工作站18个,镇街覆盖率达100%”" in laiyang[reported:]
    assert "按原文照录，未与本站计算的统计合并" in laiyang[reported:]
    assert "走访儿童" not in page  # not a coverage metric
    assert "报告中的数字" not in page[page.index("## 滨城区"):]  # quoted only for its own county


def test_page_ignores_program_records(repo) -> None:
    """Cases, clues and activities can neither change nor break the coverage page (the whole
    site is built with and without them in tests/browser/test_coverage_browser.py)."""
    root = repo()
    r = Repository(root)
    _, records = load_records(r)
    before = generate(r, records, dt.date(2026, 11, 24))
    odd = {"id": "c-1", "region": "370682103", "kind": "未成年人保护工作站", "workforce": {"child_directors": "x"}}
    for c in ("cases", "clues", "activities"):
        records[c] = [odd, {"broken": True}]
    assert generate(r, records, dt.date(2026, 11, 24)) == before


def test_no_page_without_town_records(make_repo) -> None:
    assert _page(make_repo()) is None


def test_names_are_escaped_on_the_page(repo) -> None:
    root = repo({"records/regions/370682103.yaml": _town("370682103", "穴坊<b>镇", "镇", 48).replace(
        "code_year: 2023\n", "")})
    page = _page(root)
    assert "穴坊&lt;b&gt;镇" in page and "<b>" not in page
