"""`weibao stats --out` and the site section on a small fixture repository: files, periods, freezing."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from weibao.cli import main
from weibao.repo import Repository
from weibao.stats.publish import contribute
from weibao.validate import load_records

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "stats"
TODAY = "2025-03-01"


@pytest.fixture
def repo_root(make_repo) -> Path:
    """The fixture records (two counties, 2023–2024) with the test table definitions."""
    root = make_repo()
    shutil.copytree(FIXTURES / "records", root / "records", dirs_exist_ok=True)
    (root / "statistics").mkdir()
    shutil.copy(FIXTURES / "tables.yaml", root / "statistics" / "tables.yaml")
    return root


def stats(root: Path, out: Path, today: str = TODAY) -> int:
    return main(["--root", str(root), "stats", "--out", str(out), "--today", today])


def test_stats_writes_pages_charts_and_downloads(repo_root: Path, tmp_path: Path, capsys) -> None:
    """One run writes the index, methodology, a page per group with bar charts, CSV and JSON."""
    out = tmp_path / "out"
    assert stats(repo_root, out) == 0
    for name in ("index.md", "methodology.md", "cases.md", "clues.md",
                 "downloads/cases-by-region/2024.csv", "downloads/cases-by-region/2024.json"):
        assert (out / name).is_file(), name
    assert "全部通过审计" in capsys.readouterr().out
    page = (out / "cases.md").read_text(encoding="utf-8")
    assert "<caption>在管个案：按县，2024年（单位：人）</caption>" in page
    assert '<figure class="wb-bars"><figcaption>条形图：在管个案：按县（2024年）' in page
    methodology = (out / "methodology.md").read_text(encoding="utf-8")
    assert 'title: "统计方法与隐私保护"' in methodology and "整数规划" in methodology


def test_csv_has_bom_and_chinese_header(repo_root: Path, tmp_path: Path) -> None:
    """Excel needs the UTF-8 byte-order mark to show the Chinese headers."""
    stats(repo_root, tmp_path / "out")
    data = (tmp_path / "out" / "downloads" / "clues-by-region" / "2024.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    header = data[3:].decode("utf-8").splitlines()[0]
    assert header == "县（市、区） \\ 是否移送,已移送,未移送,合计"
    assert "数据来源提交：" in data.decode("utf-8-sig")


def test_downloads_never_show_a_small_count(repo_root: Path, tmp_path: Path) -> None:
    """Every published count in the JSON is 0 or at least its threshold; the commit is named."""
    stats(repo_root, tmp_path / "out")
    # the tables' JSON; datapackage.json (their Frictionless descriptor) is tested in test_opendata_site
    files = sorted(p for p in (tmp_path / "out" / "downloads").rglob("*.json") if p.name != "datapackage.json")
    assert files
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["commit"]
        if data["measure"] != "count":
            continue
        for cell in data["cells"]:
            if isinstance(cell["value"], int):
                assert cell["value"] == 0 or cell["value"] >= cell["threshold"], (path.name, cell)


def test_periods_are_published_only_once_closed(repo_root: Path, tmp_path: Path) -> None:
    """With the default 30-day lag, mid-2024 publishes 2024-Q1 but neither Q2 nor the year 2024."""
    out = tmp_path / "out"
    assert stats(repo_root, out, today="2024-06-01") == 0
    quarters = {p.stem for p in (out / "downloads" / "clues-by-quarter").glob("*.json")}
    assert "2024-Q1" in quarters and "2024-Q2" not in quarters
    years = {p.stem for p in (out / "downloads" / "cases-by-region").glob("*.json")}
    assert years == {"2023"}


def _first_case_in(root: Path, year: str) -> Path:
    for path in sorted((root / "records" / "cases").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        if f'opened: "{year}-' in text and "status: 在管" in text:
            return path
    raise AssertionError("fixture has no such case")


def test_published_period_is_frozen_and_edits_only_warn(repo_root: Path, tmp_path: Path, capsys) -> None:
    """A closed period is frozen on first publication; editing an old record later changes no figure."""
    assert stats(repo_root, tmp_path / "first") == 0
    snapshot = repo_root / "statistics" / "frozen" / "cases-by-region" / "2023.json"
    assert snapshot.is_file()
    assert "请提交这些文件" in capsys.readouterr().out
    before = snapshot.read_text(encoding="utf-8")
    case = _first_case_in(repo_root, "2023")
    text = case.read_text(encoding="utf-8")
    moved = text.replace('region: "370682"', 'region: "370683"') if '"370682"' in text else \
        text.replace('region: "370683"', 'region: "370682"')
    case.write_text(moved, encoding="utf-8")
    assert stats(repo_root, tmp_path / "second") == 0
    captured = capsys.readouterr()
    assert "cases-by-region/2023.json" in captured.err and "已冻结" in captured.err
    assert "新冻结" not in captured.out
    assert snapshot.read_text(encoding="utf-8") == before
    published = (tmp_path / "second" / "downloads" / "cases-by-region" / "2023.json").read_text(encoding="utf-8")
    assert json.loads(published)["cells"] == json.loads(before)["cells"]


def test_deleting_a_snapshot_republishes_on_purpose(repo_root: Path, tmp_path: Path, capsys) -> None:
    """Correcting a frozen period is explicit: delete its snapshot and run again."""
    stats(repo_root, tmp_path / "a")
    snapshot = repo_root / "statistics" / "frozen" / "cases-by-region" / "2023.json"
    snapshot.unlink()
    capsys.readouterr()
    assert stats(repo_root, tmp_path / "b") == 0
    out = capsys.readouterr().out
    assert "statistics/frozen/cases-by-region/2023.json" in out and snapshot.is_file()


def test_records_with_errors_stop_the_statistics(repo_root: Path, tmp_path: Path, capsys) -> None:
    """Figures from half the records would be wrong: an invalid record stops the run with exit 1."""
    case = sorted((repo_root / "records" / "cases").glob("*.yaml"))[0]
    case.write_text(case.read_text(encoding="utf-8").replace("sex: ", "sex: 未知\nx: "), encoding="utf-8")
    assert stats(repo_root, tmp_path / "out") == 1
    assert "记录有错误" in capsys.readouterr().err


def test_contribute_writes_the_site_section_and_nav(repo_root: Path, tmp_path: Path, capsys) -> None:
    """The site build gets docs/statistics/ and a 统计 nav entry; nothing is frozen by a site build,
    and a closed period that is not frozen is not published (staff are told to freeze it)."""
    repo = Repository(repo_root)
    _, records = load_records(repo)
    extras: dict = {"nav": [], "today": dt.date.fromisoformat(TODAY)}
    contribute(repo, records, tmp_path / "docs", extras)
    assert extras["nav"] == [{"统计": "statistics/index.md"}]
    index = (tmp_path / "docs" / "statistics" / "index.md").read_text(encoding="utf-8")
    assert '<a href="methodology.html">统计方法与隐私保护</a>' in index
    assert not (repo_root / "statistics" / "frozen").exists()
    assert not (tmp_path / "docs" / "statistics" / "downloads").exists()
    assert "尚未冻结，网站暂不公布" in capsys.readouterr().err


def _late_case(root: Path) -> None:
    """A case entered late: opened in a period already closed (and frozen), in care ever since."""
    case = _first_case_in(root, "2023")
    text = case.read_text(encoding="utf-8")
    late = root / "records" / "cases" / "c-zzzzzzzzzz.yaml"
    late.write_text(text.replace(f"id: {case.stem}", "id: c-zzzzzzzzzz"), encoding="utf-8")


def test_a_late_record_changes_no_published_figure(repo_root: Path, tmp_path: Path, capsys) -> None:
    """Build, add a late case to a frozen period, build again: every figure published the first
    time is published again unchanged, and the public log names no cell."""
    assert stats(repo_root, tmp_path / "frozen-now") == 0
    repo = Repository(repo_root)

    def build(name: str) -> dict[str, str]:
        _, records = load_records(repo)
        docs = tmp_path / name
        contribute(repo, records, docs, {"nav": [], "today": dt.date.fromisoformat(TODAY)})
        return {p.relative_to(docs).as_posix(): p.read_text(encoding="utf-8")
                for p in sorted((docs / "statistics" / "downloads").rglob("*.json"))}

    first = build("one")
    assert first
    _late_case(repo_root)
    capsys.readouterr()
    second = build("two")
    assert second == first
    # a late entry is counted from the first unfrozen month: no frozen period differs
    assert "不一致" not in capsys.readouterr().err
    # an edit to a case the frozen periods counted does differ: staff are told, by count only
    case = _first_case_in(repo_root, "2023")
    text = case.read_text(encoding="utf-8")
    other = '"370683"' if 'region: "370682"' in text else '"370682"'
    case.write_text(re.sub(r'region: "\d+"', f"region: {other}", text), encoding="utf-8")
    third = build("three")
    assert third == first
    err = capsys.readouterr().err
    assert "已冻结的时期与现有记录不一致" in err
    assert "格" not in err and "cases-by-region" not in err


@pytest.mark.slow
def test_section_builds_with_mkdocs_strict(repo_root: Path, tmp_path: Path) -> None:
    """Every link in the generated pages points at a file that exists: mkdocs build --strict passes."""
    assert stats(repo_root, tmp_path / "freeze") == 0  # the site publishes frozen periods only
    repo = Repository(repo_root)
    _, records = load_records(repo)
    docs = tmp_path / "site" / "docs"
    extras: dict = {"nav": [], "today": dt.date.fromisoformat(TODAY)}
    contribute(repo, records, docs, extras)
    (docs / "index.md").write_text("# 首页\n", encoding="utf-8")
    (tmp_path / "site" / "mkdocs.yml").write_text(
        "site_name: 测试\nuse_directory_urls: false\nnav:\n  - 首页: index.md\n  - 统计: statistics/index.md\n",
        encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q"],
                         cwd=tmp_path / "site", capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert "wb-bars" in (tmp_path / "site" / "site" / "statistics" / "cases.html").read_text(encoding="utf-8")


def test_repository_without_program_records_builds_without_statistics(make_repo, tmp_path) -> None:
    """A directory-only repository (no cases, clues, activities, no tables.yaml) gets no section."""
    from weibao.repo import Repository
    from weibao.stats.publish import contribute

    extras: dict = {"nav": [], "today": dt.date(2026, 11, 24)}
    contribute(Repository(make_repo()), {"orgs": [{}]}, tmp_path / "docs", extras)
    assert extras["nav"] == []
    assert not (tmp_path / "docs" / "statistics").exists()


def test_program_records_without_table_definitions_are_an_error(make_repo, tmp_path) -> None:
    """Program records but no statistics/tables.yaml: the build stops instead of hiding them."""
    import pytest

    from weibao.repo import Repository
    from weibao.stats import StatsError
    from weibao.stats.publish import contribute

    with pytest.raises(StatsError, match=r"tables\.yaml"):
        contribute(Repository(make_repo()), {"cases": [{"id": "c-7k2m9q4x3d"}]}, tmp_path, {"today": dt.date(2026, 11, 24)})


def test_two_runs_publish_byte_identical_statistics(repo_root: Path, tmp_path: Path) -> None:
    """The same commit publishes the same bytes: pages (the sensitive list too), CSV, JSON, charts.

    Two processes with different hash seeds: set order must never reach a page.
    """
    import os

    assert stats(repo_root, tmp_path / "freeze") == 0  # first run freezes; the two compared runs do not
    for name, seed in (("a", "1"), ("b", "2")):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run([sys.executable, "-m", "weibao", "--root", str(repo_root), "stats", "--out",
                              str(tmp_path / name), "--today", TODAY], env=env, capture_output=True, check=False)
        assert run.returncode == 0, run.stderr.decode()

    def tree(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}

    a, b = tree(tmp_path / "a"), tree(tmp_path / "b")
    assert a.keys() == b.keys() and len(a) > 10
    assert [k for k in a if a[k] != b[k]] == []


FLOW = """\
  - id: cases-new
    title: 新建档个案
    group: cases
    collection: cases
    when: opened
    rows: region
    measure: count
    grain: year
    unit: 人
  - id: cases-closed
    title: 结案个案
    group: cases
    collection: cases
    when: closed
    rows: region
    measure: count
    grain: year
    unit: 人
"""


@pytest.fixture
def flow_root(repo_root: Path) -> Path:
    """The fixture with new and closed cases published too: in care − closed + new = in care."""
    tables = repo_root / "statistics" / "tables.yaml"
    tables.write_text(tables.read_text(encoding="utf-8") + FLOW, encoding="utf-8")
    return repo_root


def test_a_late_record_counts_from_the_first_unfrozen_month(flow_root: Path, tmp_path: Path, capsys) -> None:
    """Freeze, add a case opened in frozen time, let the next year close: `weibao stats` still
    publishes (the late case counts as new in the first unfrozen month, so in care − closed + new
    still adds up), the frozen files stay as they were, and the ledger now counts the late case."""
    assert stats(flow_root, tmp_path / "first") == 0
    frozen = flow_root / "statistics" / "frozen"
    ledger = frozen / "_counted" / "cases.opened.tsv"
    assert ledger.is_file() and "c-zzzzzzzzzz" not in ledger.read_text(encoding="utf-8")
    before = {p: p.read_bytes() for p in frozen.rglob("*.json")}
    _late_case(flow_root)
    capsys.readouterr()
    assert stats(flow_root, tmp_path / "later", today="2026-03-01") == 0, capsys.readouterr().err
    assert all(p.read_bytes() == b for p, b in before.items())
    new_2025 = json.loads((frozen / "cases-new" / "2025.json").read_text(encoding="utf-8"))
    assert new_2025["cells"], "2025 is published"
    assert "c-zzzzzzzzzz" in ledger.read_text(encoding="utf-8")


def test_without_the_ledger_a_late_record_stops_new_periods(flow_root: Path, tmp_path: Path, capsys) -> None:
    """The adversary's case for the ledger: without it the same late case makes the published
    figures contradict each other (the difference would be that child), and `weibao stats`
    refuses to publish: exit 1, nothing more frozen."""
    assert stats(flow_root, tmp_path / "first") == 0
    frozen = flow_root / "statistics" / "frozen"
    shutil.rmtree(frozen / "_counted")
    _late_case(flow_root)
    capsys.readouterr()
    assert stats(flow_root, tmp_path / "later", today="2026-03-01") == 1
    assert "互相矛盾" in capsys.readouterr().err
    assert not (frozen / "cases-new" / "2025.json").exists()
