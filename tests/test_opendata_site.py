"""The built site's open data: every data package validates with frictionless; the 开放数据 page."""

from __future__ import annotations

import csv
import html.parser
import io
import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from weibao.cli import main
from weibao.opendata.packages import stats_resource
from weibao.stats.downloads import csv_text
from weibao.stats.model import TOTAL

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
STATS = HERE / "fixtures" / "stats"
TODAY = "2025-03-01"


def _git(repo: Path, *args: str) -> None:
    date = "2025-02-01T09:00:00+08:00"
    env = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.invalid", "HOME": str(repo), "PATH": "/usr/bin:/bin"}
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The statistics fixture (program records, two counties) with the directory, built once."""
    base = tmp_path_factory.mktemp("opendata")
    repo = base / "repo"
    shutil.copytree(ROOT / "schemas", repo / "schemas")
    shutil.copytree(ROOT / "records" / "vocabularies", repo / "records" / "vocabularies")
    shutil.copytree(HERE / "fixtures" / "base", repo, dirs_exist_ok=True)
    shutil.copytree(STATS / "records", repo / "records", dirs_exist_ok=True)
    shutil.copytree(ROOT / "site", repo / "site", ignore=shutil.ignore_patterns("__pycache__"))
    (repo / "statistics").mkdir()
    shutil.copy(STATS / "tables.yaml", repo / "statistics" / "tables.yaml")
    (repo / "weibao.yaml").write_text("jurisdiction:\n  name: 测试地区\n  regions: ['370682']\n",
                                      encoding="utf-8")
    _git(repo, "init", "-q", "-b", "main")
    # the site publishes frozen periods only: freeze them as staff would, then commit
    assert main(["--root", str(repo), "stats", "--out", str(base / "stats"), "--today", TODAY]) == 0
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "测试数据")
    out = base / "public"
    assert main(["--root", str(repo), "build", "--out", str(out), "--today", TODAY]) == 0
    return out


def test_every_published_data_package_validates(site: Path) -> None:
    """`frictionless validate` passes on each datapackage.json the site publishes (three)."""
    from frictionless import Package

    packages = sorted(site.rglob("datapackage.json"))
    assert {p.relative_to(site).as_posix() for p in packages} == {
        "opendata/directory/datapackage.json", "opendata/hsds/tabular/datapackage.json",
        "statistics/downloads/datapackage.json"}
    for path in packages:
        report = Package(str(path)).validate()
        assert report.valid, (path, report.flatten(["rowNumber", "fieldName", "type", "message"])[:10])


def test_every_statistics_csv_is_described(site: Path) -> None:
    """Each statistics CSV is one resource with Chinese titles, the source commit and methodology."""
    downloads = site / "statistics" / "downloads"
    pkg = json.loads((downloads / "datapackage.json").read_text(encoding="utf-8"))
    described = {r["path"] for r in pkg["resources"]}
    assert described == {p.relative_to(downloads).as_posix() for p in downloads.rglob("*.csv")}
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in r["title"]) for r in pkg["resources"])
    assert all(r["sources"][0]["path"].startswith("git:") for r in pkg["resources"])
    assert any(s["path"] == "../methodology.html" for s in pkg["sources"])
    assert (downloads / pkg["homepage"]).resolve().is_file()
    assert pkg["licenses"][0]["name"] == "CC-BY-4.0"


def test_suppressed_cells_are_missing_values_not_numbers(site: Path) -> None:
    """What the site shows as <5 or × is declared missing, so no tool reads it as a number."""
    from frictionless import Package

    pkg = Package(str(site / "statistics" / "downloads" / "datapackage.json"))
    shown = set()
    for resource in pkg.resources:
        shown |= set(resource.schema.missing_values)
        for row in resource.read_rows():
            for name in resource.schema.field_names[1:]:
                assert row[name] is None or isinstance(row[name], (int, float, Decimal))
    assert any(v.startswith("<") for v in shown)


def test_a_stats_csv_with_an_undeclared_mark_fails(tmp_path: Path) -> None:
    """The comment rows cover only the notes: a stray mark in the table is a type error."""
    from frictionless import Resource

    data = {"table": "t", "title": "测试表", "period": "2024", "period_label": "2024年",
            "measure": "count", "unit": "人", "rows": {"title": "县", "keys": ["a", "b"],
                                                      "labels": ["甲县", "乙县"]},
            "columns": None, "notes": ["说明一。", "说明二。"], "commit": "abc",
            "cells": [{"row": "a", "column": None, "value": 7},
                      {"row": "b", "column": None, "value": "<5"},
                      {"row": TOTAL, "column": None, "value": 9}]}
    descriptor = stats_resource(data, "t.csv")
    good = csv_text(data)
    assert "说明二。" in good and descriptor["dialect"]["commentRows"][0] == 5
    bad = good.replace("<5", "约4")
    for text, valid in ((good, True), (bad, False)):
        (tmp_path / "t.csv").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
        res = Resource(descriptor, basepath=str(tmp_path))
        assert res.validate().valid is valid, text


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.lang = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
        if tag == "html":
            self.lang = a.get("lang", "")


def test_open_data_page_lists_every_download(site: Path) -> None:
    """The 开放数据 page is in Chinese, links every package and file that exists, names the licence."""
    page = site / "opendata.html"
    text = page.read_text(encoding="utf-8")
    parser = _Links()
    parser.feed(text)
    assert parser.lang == "zh-CN"
    local = [h for h in parser.hrefs if not h.startswith(("http", "#", "tel:", "mailto:"))]
    for href in local:
        assert (site / href.split("#")[0]).is_file(), href
    for wanted in ("opendata/hsds/organizations.json", "opendata/hsds/tabular/datapackage.json",
                   "opendata/directory/orgs.csv", "statistics/downloads/datapackage.json"):
        assert wanted in local, wanted
    assert "CC BY 4.0" in text and "更新日期" in text and "2025-02-01" in text
    assert "twenty_four_seven" in text  # the field-by-field mapping is on the page
    assert "开放数据" in (site / "index.html").read_text(encoding="utf-8")  # in the navigation


def test_directory_csv_opens_in_excel_and_keeps_every_record(site: Path) -> None:
    """The directory CSV starts with a BOM and has one row per organisation, with its HSDS UUID."""
    raw = (site / "opendata" / "directory" / "orgs.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["id"] for r in rows] == ["laiyang-civil-affairs"]
    hsds = json.loads((site / "opendata" / "hsds" / "organizations.json").read_text(encoding="utf-8"))
    assert rows[0]["hsds_id"] in {o["id"] for o in hsds}


def test_weibao_stats_writes_a_valid_data_package(make_repo, tmp_path: Path) -> None:
    """`weibao stats --out` (not only the site) describes its downloads, and frictionless agrees."""
    from frictionless import Package

    root = make_repo()
    shutil.copytree(STATS / "records", root / "records", dirs_exist_ok=True)
    (root / "statistics").mkdir()
    shutil.copy(STATS / "tables.yaml", root / "statistics" / "tables.yaml")
    out = tmp_path / "out"
    assert main(["--root", str(root), "stats", "--out", str(out), "--today", TODAY]) == 0
    path = out / "downloads" / "datapackage.json"
    report = Package(str(path)).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])[:10]
    described = {r["path"] for r in json.loads(path.read_text(encoding="utf-8"))["resources"]}
    assert described == {p.relative_to(out / "downloads").as_posix()
                         for p in (out / "downloads").rglob("*.csv")}
