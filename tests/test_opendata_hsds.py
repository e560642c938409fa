"""`weibao export hsds`: valid HSDS 3.0, faithful to our records, stable, and private.

The standard's files are vendored under tests/fixtures/hsds-3.0/ (CC BY-SA 4.0) so these tests run
offline on a clone without ../shared/.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import json
import lzma
import subprocess
import uuid
from functools import cache
from pathlib import Path

import jsonschema
import pytest

from weibao.cli import main
from weibao.opendata.settings import HSDS_DATAPACKAGE

HERE = Path(__file__).resolve().parent
VENDORED = HERE / "fixtures" / "hsds-3.0"
SHARED = HERE.parent.parent / "shared" / "hsds-3.0"
SITE_FIXTURE = HERE / "fixtures" / "site" / "fixture_repo.py"

AUTHOR, EMAIL = "测试作者甲", "author-secret@example.invalid"
REMOVED_MOBILE = "13912345678"  # synthetic; once in an org's phones, then removed

CASE = """\
id: c-7k2m9q4x3d
synthetic: true
region: "370682"
opened: "2023-05"
age_band: "14-15"
sex: 男
categories: [孤儿]
risk:
  - {month: "2023-05", level: 黄}
found_by: 摸底排查
org: test-centre
services:
  - {month: "2023-12", type: 监护指导, mode: 入户走访, count: 2}
status: 已结案
closed: "2023-12"
closure_reason: 监护恢复
"""

SMS_LINE = """\
id: county-text-line
number: "12356"
name: 测试心理援助热线
scope: 县级
region: "370682"
hours:
  twenty_four_seven: false
  periods:
    - days: [6, 7]
      open: "20:00"
      close: "24:00"
  note: 节假日照常
channels: [voice, sms, webchat]
topics: [心理咨询]
source:
  document: test-source
verified: 2024-09-01
"""


@cache
def org_schema() -> dict:
    return json.loads(lzma.decompress((VENDORED / "organization.json.xz").read_bytes()))


@cache
def standard_package() -> dict:
    return json.loads((VENDORED / "datapackage.json").read_text(encoding="utf-8"))


def validator() -> jsonschema.Draft202012Validator:
    cls = jsonschema.Draft202012Validator
    return cls(org_schema(), format_checker=cls.FORMAT_CHECKER)


def _git(repo: Path, *args: str, date: str) -> None:
    env = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_NAME": AUTHOR,
           "GIT_AUTHOR_EMAIL": EMAIL, "GIT_COMMITTER_NAME": AUTHOR, "GIT_COMMITTER_EMAIL": EMAIL,
           "HOME": str(repo), "PATH": "/usr/bin:/bin"}
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def make_directory_repo(dest: Path) -> Path:
    """The site fixture (synthetic orgs and hotlines) with a small git history: an added line, a
    changed number, a mobile added then removed, and a case record (a program record)."""
    spec = importlib.util.spec_from_file_location("site_fixture_repo", SITE_FIXTURE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    repo = module.make(dest, {"records/hotlines/county-text-line.yaml": SMS_LINE})
    _git(repo, "init", "-q", "-b", "main", date="2024-01-01T00:00:00+08:00")
    _git(repo, "add", "-A", date="2024-01-01T00:00:00+08:00")
    _git(repo, "commit", "-q", "-m", "初始记录", date="2024-01-01T00:00:00+08:00")
    line = repo / "records/hotlines/county-care-line.yaml"
    _edit(line, '"0535-7654321"', '"0535-7654322"')
    _edit(line, "verified: 2022-03-01", "verified: 2024-05-01")
    centre = repo / "records/orgs/test-centre.yaml"
    _edit(centre, "    label: 值班电话\n", f"    label: 值班电话\n  - number: \"{REMOVED_MOBILE}\"\n")
    _git(repo, "commit", "-qam", "更新号码", date="2024-05-01T10:00:00+08:00")
    _edit(centre, f"  - number: \"{REMOVED_MOBILE}\"\n", "")
    case = repo / "records/cases/c-7k2m9q4x3d.yaml"
    case.parent.mkdir(parents=True, exist_ok=True)
    case.write_text(CASE, encoding="utf-8")
    _git(repo, "add", "-A", date="2024-06-01T10:00:00+08:00")
    _git(repo, "commit", "-qm", "删除个人手机号；新增个案", date="2024-06-01T10:00:00+08:00")
    return repo


def export(repo: Path, out: Path) -> list[dict]:
    assert main(["--root", str(repo), "export", "hsds", "--out", str(out),
                 "--today", "2025-01-15"]) == 0
    return json.loads((out / "organizations.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[dict]]:
    base = tmp_path_factory.mktemp("hsds")
    repo = make_directory_repo(base / "repo")
    out = base / "out"
    return repo, out, export(repo, out)


def services(orgs: list[dict]) -> list[dict]:
    return [s for o in orgs for s in o.get("services", [])]


def attrs(obj: dict, code: str) -> list[str]:
    return [a["value"] for a in obj.get("attributes", []) if a["taxonomy_term"]["code"] == code]


def by_our_id(orgs: list[dict]) -> dict[str, dict]:
    out = {}
    for obj in [*orgs, *services(orgs)]:
        for our in attrs(obj, "our_id"):
            out[our] = obj
    return out


def records(repo: Path, collection: str) -> list[dict]:
    import yaml

    return [yaml.safe_load(p.read_text(encoding="utf-8"))
            for p in sorted((repo / "records" / collection).glob("*.yaml"))]


# ---- the standard's files ----------------------------------------------------------------------

def test_vendored_standard_is_unchanged() -> None:
    """The vendored schema and package are byte-for-byte the standard's (hashes in the README)."""
    readme = (VENDORED / "README.md").read_text(encoding="utf-8")
    compiled = lzma.decompress((VENDORED / "organization.json.xz").read_bytes())
    assert hashlib.sha256(compiled).hexdigest() in readme
    assert hashlib.sha256((VENDORED / "datapackage.json").read_bytes()).hexdigest() in readme
    assert HSDS_DATAPACKAGE.read_bytes() == (VENDORED / "datapackage.json").read_bytes()
    assert "Attribution-ShareAlike 4.0" in (VENDORED / "LICENSE").read_text(encoding="utf-8")


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/hsds-3.0 is not beside this clone")
def test_vendored_standard_matches_shared_copy() -> None:
    """Where CI lays shared/ beside the repository, the vendored copy is the same standard."""
    compiled = lzma.decompress((VENDORED / "organization.json.xz").read_bytes())
    assert compiled == (SHARED / "schema" / "compiled" / "organization.json").read_bytes()
    assert (VENDORED / "datapackage.json").read_bytes() == (SHARED / "datapackage.json").read_bytes()


# ---- HSDS JSON ---------------------------------------------------------------------------------

def test_every_organisation_validates_against_the_compiled_schema(built) -> None:
    """Each exported organisation (with services, locations, phones, schedules, metadata) is valid."""
    _, _, orgs = built
    v = validator()
    problems = [(o["name"], list(e.absolute_path), e.message) for o in orgs for e in v.iter_errors(o)]
    assert problems == []


@pytest.mark.parametrize("breakage", [
    lambda o: o.pop("name"),
    lambda o: o.update(id="not-a-uuid"),
    lambda o: o["services"][0].update(status="open"),
    lambda o: o["services"][0]["phones"][0].pop("number"),
    lambda o: o["services"][0]["service_at_locations"][0]["location"].update(location_type="phone"),
])
def test_the_schema_check_can_fail(built, breakage) -> None:
    """The same validator rejects an organisation broken the ways a faulty mapping would break it."""
    _, _, orgs = built
    org = json.loads(json.dumps(next(o for o in orgs if any(s.get("phones") for s in o.get("services", [])))))
    org["services"] = [s for s in org["services"] if s.get("phones")]
    breakage(org)
    assert list(validator().iter_errors(org))


def test_every_organisation_appears_once(built) -> None:
    """Each orgs record is exactly one organization, with its UUID and our id."""
    repo, _, orgs = built
    ours = [a for o in orgs for a in attrs(o, "our_id")]
    ids = [o["id"] for o in orgs]
    assert len(ids) == len(set(ids))
    for rec in records(repo, "orgs"):
        assert ours.count(rec["id"]) == 1
        assert sum(1 for o in orgs if o["name"] == rec["name"]) == 1


def test_every_hotline_number_is_a_phone_of_its_service(built) -> None:
    """Every hotline is one service; its number is a phone for each dialable channel."""
    repo, _, orgs = built
    found = by_our_id(orgs)
    for line in records(repo, "hotlines"):
        service = found[line["id"]]
        types = {p["type"] for p in service["phones"] if p["number"] == line["number"]}
        wanted = {{"voice": "voice", "sms": "text"}[c] for c in line["channels"] if c in ("voice", "sms")}
        assert types == wanted, line["id"]
        assert sorted(attrs(service, "channel")) == sorted(line["channels"])
        location = service["service_at_locations"][0]["location"]
        assert location["location_type"] == "virtual"
        assert service["assured_date"] == str(line["verified"])


def _is_all_day(s: dict) -> bool:
    return (s.get("freq") == "WEEKLY" and s.get("byday") == "MO,TU,WE,TH,FR,SA,SU"
            and s.get("opens_at", "").startswith("00:00") and s.get("closes_at", "").startswith("23:59"))


def test_every_24_7_line_is_24_7_in_hsds(built) -> None:
    """A 24/7 line has the 00:00–23:59 every-day schedule and our flag; other lines have neither."""
    repo, _, orgs = built
    found = by_our_id(orgs)
    for line in records(repo, "hotlines"):
        service = found[line["id"]]
        flag = line["hours"]["twenty_four_seven"]
        assert attrs(service, "twenty_four_seven") == ["true" if flag else "false"], line["id"]
        assert any(_is_all_day(s) for s in service["schedules"]) == flag, line["id"]


def test_periods_become_weekly_schedules_in_china_time(built) -> None:
    """Days 1–7 become MO–SU, times carry +08:00, and a 24:00 close is 23:59 with a note."""
    _, _, orgs = built
    line = by_our_id(orgs)["county-text-line"]
    [s] = line["schedules"]
    assert (s["byday"], s["opens_at"], s["closes_at"]) == ("SA,SU", "20:00:00+08:00", "23:59:00+08:00")
    assert "24:00" in s["notes"] and "节假日照常" in s["notes"]
    centre = by_our_id(orgs)["test-centre"]
    [loc_schedule] = centre["locations"][0]["schedules"]
    assert (loc_schedule["byday"], loc_schedule["opens_at"]) == ("MO,TU,WE,TH,FR", "08:30:00+08:00")


def test_operated_hotline_is_nested_in_its_operator(built) -> None:
    """A line with an operator is a service of that organisation; others get a marked placeholder."""
    _, _, orgs = built
    centre = by_our_id(orgs)["test-centre"]
    assert "county-care-line" in [a for s in centre["services"] for a in attrs(s, "our_id")]
    placeholder = next(o for o in orgs if attrs(o, "our_id") == ["national-110"])
    assert "未记录" in placeholder["description"]


def test_service_areas_carry_region_codes(built) -> None:
    """A county line's service area names the region and carries its GB/T 2260 code."""
    _, _, orgs = built
    [area] = by_our_id(orgs)["county-care-line"]["service_areas"]
    assert attrs(area, "region_code") == ["370682"]
    assert area["name"].endswith("莱阳市") or "370682" in area["description"]
    [national] = by_our_id(orgs)["national-110"]["service_areas"]
    assert national["name"] == "全国"


def test_uuids_are_stable_across_builds(built, tmp_path) -> None:
    """Two exports of the same history are identical; a UUID is uuid5 of the fixed namespace."""
    repo, out, orgs = built
    again = export(repo, tmp_path / "again")
    assert again == orgs
    assert (tmp_path / "again" / "tabular" / "services.csv").read_bytes() == \
        (out / "tabular" / "services.csv").read_bytes()
    namespace = uuid.UUID("4132bef9-a1ad-55db-b604-ccb9778abd6f")
    assert by_our_id(orgs)["test-centre"]["id"] == str(uuid.uuid5(namespace, "organization/orgs/test-centre"))


# ---- metadata ----------------------------------------------------------------------------------

def test_metadata_logs_field_changes_by_role(built) -> None:
    """The changed number and verification date are in the service's change log, by role."""
    _, _, orgs = built
    log = by_our_id(orgs)["county-care-line"]["metadata"]
    changed = {m["field_name"]: m for m in log if m["last_action_type"] == "update"}
    assert changed["verified"]["previous_value"] == "2022-03-01"
    assert changed["verified"]["replacement_value"] == "2024-05-01"
    assert changed["verified"]["last_action_date"] == "2024-05-01"
    assert (changed["number"]["previous_value"], changed["number"]["replacement_value"]) == \
        ("0535-7654321", "0535-7654322")  # an office number of a public line is shown
    assert {m["updated_by"] for m in log} == {"目录团队（经审核合并）"}


def test_no_person_no_removed_number_no_program_record_in_the_export(built) -> None:
    """Authors' names and e-mails, a number removed from a record, and case records never appear."""
    _, out, _ = built
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(out.rglob("*")) if p.is_file())
    for secret in (AUTHOR, EMAIL, "author-secret", REMOVED_MOBILE, "c-7k2m9q4x3d", "孤儿", "监护恢复"):
        assert secret not in text, secret
    centre_log = json.loads((out / "organizations.json").read_text(encoding="utf-8"))
    phones = [m for o in centre_log for m in o.get("metadata", []) if m["field_name"].startswith("phones")]
    assert phones and all(REMOVED_MOBILE not in m["previous_value"] + m["replacement_value"] for m in phones)
    assert any(m["replacement_value"].startswith("（含联系方式") for m in phones)


@pytest.mark.parametrize(("text", "contact", "shown"), [
    ("0535-1234567", True, True),
    ("12349", True, True),
    ('{"number": "0535-1234567", "label": "值班电话"}', True, True),
    ("13912345678", True, False),
    ("139 1234 5678", True, False),
    ('{"number": "139-1234-5678"}', True, False),
    ("0535-1234567", False, False),
    ("someone@example.invalid", True, False),
    ("联系人：张三", True, False),
    ("联系人：张三 0535-1234567", True, False),
    ("测试市未成年人保护中心", False, True),
])
def test_only_office_numbers_come_back_through_the_change_log(text, contact, shown) -> None:
    """Old values: identifiers withheld; in contact fields landlines and short numbers shown."""
    from weibao.opendata.metadata import publishable

    assert publishable(text, contact) is shown


def test_export_refuses_invalid_records(tmp_path, capsys) -> None:
    """Invalid records: exit 1, a located error, nothing written."""
    repo = make_directory_repo(tmp_path / "repo")
    (repo / "records/hotlines/broken.yaml").write_text("id: broken\nname: 缺少号码\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["--root", str(repo), "export", "hsds", "--out", str(out)]) == 1
    assert "broken.yaml" in capsys.readouterr().err
    assert not out.exists()


# ---- the tabular package -----------------------------------------------------------------------

def test_tabular_package_uses_the_standards_field_definitions(built) -> None:
    """Every resource and Table Schema is the standard's; every CSV header is its field list."""
    _, out, _ = built
    ours = json.loads((out / "tabular" / "datapackage.json").read_text(encoding="utf-8"))
    assert ours["resources"] == standard_package()["resources"]
    for resource in standard_package()["resources"]:
        with (out / "tabular" / resource["path"]).open(encoding="utf-8", newline="") as f:
            header = next(csv.reader(f))
        assert header == [fd["name"] for fd in resource["schema"]["fields"]], resource["name"]
    assert ours["licenses"][0]["name"] == "CC-BY-4.0"


def test_tabular_rows_match_the_json(built) -> None:
    """Organisations, services and phones in the CSVs are the ones in the JSON."""
    _, out, orgs = built

    def ids(name: str) -> set[str]:
        with (out / "tabular" / name).open(encoding="utf-8", newline="") as f:
            return {row["id"] for row in csv.DictReader(f)}

    assert ids("organizations.csv") == {o["id"] for o in orgs}
    assert ids("services.csv") == {s["id"] for s in services(orgs)}
    assert ids("phones.csv") >= {p["id"] for s in services(orgs) for p in s.get("phones", [])}
    assert ids("metadata.csv") == {m["id"] for o in orgs for x in [o, *o.get("services", [])]
                                   for m in x.get("metadata", [])}


def test_frictionless_validates_the_tabular_package(built) -> None:
    """`frictionless validate` (types, required, unique, UUID format, foreign keys) passes."""
    from frictionless import Package

    _, out, _ = built
    report = Package(str(out / "tabular" / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])[:10]


def test_frictionless_catches_a_broken_tabular_csv(built, tmp_path) -> None:
    """The same check fails on a copy whose service id is not a UUID."""
    import shutil

    from frictionless import Package

    _, out, _ = built
    copy = tmp_path / "tabular"
    shutil.copytree(out / "tabular", copy)
    path = copy / "services.csv"
    lines = path.read_bytes().decode("utf-8").split("\r\n")
    lines[1] = "not-a-uuid" + lines[1][36:]
    path.write_bytes("\r\n".join(lines).encode("utf-8"))
    report = Package(str(copy / "datapackage.json")).validate()
    assert not report.valid
