"""Program records (cases, clues, activities) are de-identified by construction: the schemas leave
no place for a child's name, ID number, phone, address, school or birth date."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from weibao.cli import main

ROOT = Path(__file__).resolve().parent.parent
PROGRAM = Path(__file__).resolve().parent / "fixtures" / "program"
CASE = "records/cases/c-7k2m9q4x3d.yaml"
CLUE = "records/clues/x-7k2m9q4x3d.yaml"
ACTIVITY = "records/activities/a-7k2m9q4x3d.yaml"
GOOD = {rel: (PROGRAM / "valid" / rel).read_text(encoding="utf-8") for rel in (CASE, CLUE, ACTIVITY)}

CASE_KEYS = "id、synthetic、region、opened、closed、age_band、sex、categories、risk、found_by、org、services、status、closure_reason"
CLUE_KEYS = "id、synthetic、received、region、channel、category、handled_by、transferred、transferred_to、days_to_first_response、outcome"
ACTIVITY_KEYS = "id、synthetic、date、org、type、audience、region、title、sessions、participants"


def _unknown(key: str, allowed: str) -> str:
    return f"不认识的字段“{key}”：允许的字段有：{allowed}。"


COUNTY_ONLY = '“{}”格式不对（县级行政区划代码）：儿童相关记录只能写 6 位县级代码（如 "370682"），不能写乡镇或村。'
MONTH_ONLY = "“{}”格式不对（月份）：月份写成 2024-08（年-月，不写日）。"


def _validate(root: Path, capsys) -> tuple[int, list[tuple]]:
    rc = main(["--root", str(root), "validate", "--format", "json", "--today", "2026-11-24"])
    doc = json.loads(capsys.readouterr().out)
    return rc, [
        (e["file"], e["line"], e["column"], e["path"], e["rule"], e["message"]) for e in doc["errors"]
    ]


def _repo(make_repo, files: dict[str, str], *extra: str) -> Path:
    root = make_repo()
    for folder in ("valid", *extra):
        shutil.copytree(PROGRAM / folder, root, dirs_exist_ok=True)
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def test_valid_program_records_pass(make_repo, capsys) -> None:
    """A case (with rescue and temporary care), a clue and an activity validate cleanly."""
    rc, errors = _validate(_repo(make_repo, {}), capsys)
    assert errors == []
    assert rc == 0


# (id, files to write over the valid set, expected non-privacy errors)
BAD = [
    ("case-name", {CASE: GOOD[CASE] + "name: 张三\n"},
     [(CASE, 22, 1, "name", "schema-unknown-key", _unknown("name", CASE_KEYS))]),
    ("case-birth-date", {CASE: GOOD[CASE] + "birth_date: 2015-03-12\n"},
     [(CASE, 22, 1, "birth_date", "schema-unknown-key", _unknown("birth_date", CASE_KEYS))]),
    ("case-school", {CASE: GOOD[CASE] + "school: 城关小学\n"},
     [(CASE, 22, 1, "school", "schema-unknown-key", _unknown("school", CASE_KEYS))]),
    ("case-address", {CASE: GOOD[CASE] + "address: 城关镇西关村3组\n"},
     [(CASE, 22, 1, "address", "schema-unknown-key", _unknown("address", CASE_KEYS))]),
    ("case-id-number", {CASE: GOOD[CASE] + 'id_number: "0"\n'},
     [(CASE, 22, 1, "id_number", "schema-unknown-key", _unknown("id_number", CASE_KEYS))]),
    ("case-guardian-phone", {CASE: GOOD[CASE] + 'guardian_phone: "0"\n'},
     [(CASE, 22, 1, "guardian_phone", "schema-unknown-key", _unknown("guardian_phone", CASE_KEYS))]),
    ("case-exact-age", {CASE: GOOD[CASE] + "age: 9\n"},
     [(CASE, 22, 1, "age", "schema-unknown-key", _unknown("age", CASE_KEYS))]),
    ("case-town-code", {CASE: GOOD[CASE].replace('region: "370682"', 'region: "370682001"')},
     [(CASE, 4, 9, "region", "ref-missing",
       "找不到编号为“37*******”的行政区划（records/regions/37*******.yaml 不存在）。请先添加该行政区划，或改为已有的编号。"),
      (CASE, 4, 9, "region", "schema-pattern", COUNTY_ONLY.format("37*******"))]),
    ("case-opened-full-date", {CASE: GOOD[CASE].replace('opened: "2024-05"', 'opened: "2024-05-12"')},
     [(CASE, 5, 9, "opened", "schema-pattern", MONTH_ONLY.format("20********"))]),
    ("case-closed-full-date", {CASE: GOOD[CASE].replace('closed: "2025-02"', 'closed: "2025-02-03"')},
     [(CASE, 6, 9, "closed", "schema-pattern", MONTH_ONLY.format("20********"))]),
    ("case-service-full-date",
     {CASE: GOOD[CASE].replace('{month: "2024-09"', '{month: "2024-09-18"')},
     [(CASE, 19, 13, "services[3].month", "schema-pattern", MONTH_ONLY.format("20********"))]),
    ("case-service-note", {CASE: GOOD[CASE].replace("count: 3}", "count: 3, note: 张三}")},
     [(CASE, 19, 58, "services[3].note", "schema-unknown-key", "不认识的字段“note”：允许的字段有：month、type、mode、count。")]),
    ("case-category-free-text", {CASE: GOOD[CASE].replace("低保家庭儿童]", "张三]")},
     [(CASE, 9, 20, "categories[1]", "vocab-term",
       "“张*”不在词表 child_categories 中：可用的词有：事实无人抚养儿童、低保家庭儿童、受侵害儿童、失学辍学、孤儿、"
       "服刑人员未成年子女、残疾儿童、流动儿童、流浪未成年人、留守儿童、监护不当、监护缺失、重病儿童。"
       "如确需新词，请先在 records/vocabularies/child_categories.yaml 中添加。")]),
    ("case-name-derived-id",
     {"records/cases/c-zhangsan.yaml": GOOD[CASE].replace("c-7k2m9q4x3d", "c-zhangsan")},
     [("records/cases/c-zhangsan.yaml", 2, 5, "id", "schema-pattern",
       "“c*********”格式不对（编号）：编号是随机生成的，形如 c-7k2m9q4x3d（用 weibao new 生成），不能由姓名、身份证号推出。")]),
    ("clue-child", {CLUE: GOOD[CLUE] + "child: 张三\n"},
     [(CLUE, 13, 1, "child", "schema-unknown-key", _unknown("child", CLUE_KEYS))]),
    ("clue-received-full-date",
     {CLUE: GOOD[CLUE].replace('received: "2024-03"', 'received: "2024-03-05"')},
     [(CLUE, 4, 11, "received", "schema-pattern", MONTH_ONLY.format("20********"))]),
    ("clue-reporter-phone", {CLUE: GOOD[CLUE] + 'reporter_phone: "0"\n'},
     [(CLUE, 13, 1, "reporter_phone", "schema-unknown-key", _unknown("reporter_phone", CLUE_KEYS))]),
    ("clue-id-from-id-number",
     {"records/clues/x-370682.yaml": GOOD[CLUE].replace("x-7k2m9q4x3d", "x-370682")},
     [("records/clues/x-370682.yaml", 2, 5, "id", "schema-pattern",
       "“x*******”格式不对（编号）：编号是随机生成的，形如 x-7k2m9q4x3d（用 weibao new 生成），不能由姓名、身份证号推出。")]),
    ("activity-school", {ACTIVITY: GOOD[ACTIVITY] + "school: 城关小学\n"},
     [(ACTIVITY, 12, 1, "school", "schema-unknown-key", _unknown("school", ACTIVITY_KEYS))]),
    ("activity-participant-names", {ACTIVITY: GOOD[ACTIVITY] + "participants_list: [张三]\n"},
     [(ACTIVITY, 12, 1, "participants_list", "schema-unknown-key",
       "不认识的字段“participants_list”：您是不是要写“participants”？")]),
]


@pytest.mark.parametrize(("files", "expected"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_identifying_field_is_rejected(make_repo, capsys, files, expected) -> None:
    """A field that could identify a child is an error with its exact line and message."""
    rc, errors = _validate(_repo(make_repo, files), capsys)
    # the privacy guard may add its own findings (tested with the detectors); the schema's stay
    assert [e for e in errors if not e[4].startswith("privacy-")] == expected
    assert rc == 1


def test_existing_town_code_is_still_refused_for_a_case(make_repo, capsys) -> None:
    """A town code that exists in records/regions/ is refused for a case: counties only."""
    case = GOOD[CASE].replace('region: "370682"', 'region: "371602002"')
    rc, errors = _validate(_repo(make_repo, {CASE: case}, "towns"), capsys)
    assert errors == [(CASE, 4, 9, "region", "schema-pattern", COUNTY_ONLY.format("37*******"))]
    assert rc == 1


def test_activity_may_name_a_town(make_repo, capsys) -> None:
    """Public activities are not about one child: a town code is allowed there."""
    activity = GOOD[ACTIVITY].replace('region: "370682"', 'region: "371602002"')
    rc, errors = _validate(_repo(make_repo, {ACTIVITY: activity}, "towns"), capsys)
    assert errors == []
    assert rc == 0


PROGRAM_SCHEMAS = ["cases", "clues", "activities"]
# the one free-text field of program records: a public activity title, scanned by the guard
FREE_TEXT = {("activities", "title")}
CONSTRAINTS = ("pattern", "enum", "const", "x-vocabulary", "x-ref", "$ref")


def _string_fields(node: object, path: str = ""):
    if isinstance(node, dict):
        for name, sub in (node.get("properties") or {}).items():
            yield f"{path}.{name}".lstrip("."), sub
            yield from _string_fields(sub, f"{path}.{name}".lstrip("."))
        if isinstance(node.get("items"), dict):
            item = node["items"]
            if item.get("type") == "string":
                yield f"{path}[]", item
            yield from _string_fields(item, path)


@pytest.mark.parametrize("collection", PROGRAM_SCHEMAS)
def test_program_schema_has_no_free_text_field(collection: str) -> None:
    """Every string of a program record is a code, month, vocabulary term or reference."""
    schema = json.loads((ROOT / "schemas" / f"{collection}.schema.json").read_text(encoding="utf-8"))
    free = [
        path for path, sub in _string_fields(schema)
        if sub.get("type") == "string" and not any(k in sub for k in CONSTRAINTS)
        and (collection, path) not in FREE_TEXT
    ]
    assert free == []
    assert schema["x-program-record"] is True
    assert schema["additionalProperties"] is False

