"""No output of a failing run echoes an identifier unmasked: not the id-equals-file-name error,
not a schema error quoting a wrong value, not a broken reference, not a commit's author, in any
output format. The adversary's test: identifiers put where each kind of message quotes a value."""

from __future__ import annotations

import re
import subprocess

import pytest

from weibao.cli import main

W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def _id(first17: str) -> str:
    return first17 + "10X98765432"[sum(int(a) * w for a, w in zip(first17, W, strict=True)) % 11]


ID_CASE, ID_ORG, ID_MSG = _id("37068220150312123"), _id("37068220140101456"), _id("37068220130505789")
PHONES = ["13812345678", "13912345670", "13712345671", "13612345672", "13512345673", "15012345674"]
RAW = [ID_CASE, ID_ORG, ID_MSG, *PHONES, "lisiyu2015@qq.com"]

CASE = f"""\
id: c-{PHONES[0]}
synthetic: true
region: "370682"
opened: "2024-03"
age_band: "6-11"
sex: "{PHONES[1]}"
categories: [留守儿童]
risk:
  - month: "2024-03"
    level: 蓝
found_by: 摸底排查
org: x{PHONES[2]}
status: 在管
# 证件号 {ID_CASE}
"""
ORG = f"""\
id: o{PHONES[3]}
name: {PHONES[4]}
kind: 民政局
region: "{PHONES[5]}"
services: [政策落实, lisiyu2015@qq.com]
source:
  document: laiyang-2024-report
verified: 2024-08-06
description: 身份证 {ID_ORG}
"""


def _git(root, *args, name="测试"):
    subprocess.run(["git", "-c", f"user.name={name}", "-c", "user.email=t@example.invalid", *args],
                   cwd=root, check=True, capture_output=True)


@pytest.fixture
def failing_repo(make_repo):
    root = make_repo()
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "初始数据")
    base = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True,
                          check=True).stdout.strip()
    (root / "records/cases").mkdir(parents=True, exist_ok=True)
    (root / "records/cases/c-7k2m9q4x3d.yaml").write_text(CASE, encoding="utf-8")
    (root / "records/orgs/laiyang-civil-affairs.yaml").write_text(ORG, encoding="utf-8")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", f"新增个案\n\n核对人身份证 {ID_MSG}", name=f"家长 {PHONES[0]}")
    return root, base


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_no_output_format_echoes_an_identifier(failing_repo, capsys, fmt: str) -> None:
    """Every identifier planted in values, ids, references, comments, messages and authors is
    reported, and none appears unmasked in stdout or stderr."""
    root, base = failing_repo
    rc = main(["--root", str(root), "validate", "--today", "2026-11-24", "--format", fmt,
               "--commits", f"{base}..HEAD"])
    captured = capsys.readouterr()
    out = captured.out + captured.err
    assert rc == 1
    assert out.count("id-file-name") == 2
    for raw in RAW:
        assert raw not in out, raw
        # nor spread out by an escape (GitHub %XX, JSON \\u) or split by the masking
        assert raw not in re.sub(r"[^0-9A-Za-z@.]", "", out), raw
