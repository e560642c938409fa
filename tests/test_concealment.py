"""Values echoed in error messages of program records are concealed: CI logs may be public."""

from __future__ import annotations

import json

from weibao.cli import main

CASE = """\
id: c-7k2m9q4x3d
synthetic: true
region: "370682"
opened: "2024-03"
age_band: "6-11"
sex: 王小明
categories: [留守儿童]
risk:
  - month: "2024-03"
    level: 蓝
found_by: 摸底排查
org: laiyang-civil-affairs
status: 在管
"""


def test_wrong_value_in_case_record_is_not_echoed(make_repo, capsys) -> None:
    """A name typed into the wrong field of a case is reported without repeating the name."""
    root = make_repo({"records/cases/c-7k2m9q4x3d.yaml": CASE})
    assert main(["--root", str(root), "validate", "--format", "json"]) == 1
    out = capsys.readouterr().out
    assert "王小明" not in out
    [error] = json.loads(out)["errors"]
    assert (error["line"], error["path"], error["rule"]) == (6, "sex", "schema-enum")
    assert error["message"].startswith("“王**”不是允许的值（性别）：只能是 男、女。")


def test_unquoted_phone_number_is_not_echoed(make_repo, capsys) -> None:
    """A phone number written without quotes (a YAML 1.1 octal trap) is masked in the message."""
    root = make_repo({"records/orgs/laiyang-civil-affairs.yaml": "id: laiyang-civil-affairs\nname: 0535721234567\n"})
    main(["--root", str(root), "validate"])
    out = capsys.readouterr().out
    assert "0535721234567" not in out
    assert "“0535*********”以 0 开头" in out
