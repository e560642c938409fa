"""The command line as staff and CI use it: exit codes, output formats, --root, read-only."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from weibao.cli import main

BAD_ORG = """\
id: laiyang-centre
name: 莱阳市未成年人保护中心
kind: 未成年人救助保护中心
region: "370682"
nmae: 莱阳
source:
  document: laiyang-2024-report
verified: 2024-08-06
"""


def test_json_format_lists_every_error_with_location(make_repo, capsys) -> None:
    """--format json gives checked count and errors with file, line, column, path, rule, message."""
    root = make_repo({"records/orgs/laiyang-centre.yaml": BAD_ORG, "records/orgs/b.yaml": "id: b\n\tx: 1\n"})
    rc = main(["--root", str(root), "validate", "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert rc == 1
    assert doc["checked"] == 23  # 16 vocabularies + 5 base records + 2 new
    assert {(e["file"], e["line"], e["column"], e["path"], e["rule"]) for e in doc["errors"]} == {
        ("records/orgs/laiyang-centre.yaml", 5, 1, "nmae", "schema-unknown-key"),
        ("records/orgs/b.yaml", 2, 1, "", "yaml-tab"),
    }


def test_github_format_prints_annotations(make_repo, capsys) -> None:
    """--format github prints ::error annotations that GitHub shows on the changed line."""
    root = make_repo({"records/orgs/laiyang-centre.yaml": BAD_ORG})
    rc = main(["--root", str(root), "validate", "--format", "github"])
    first = capsys.readouterr().out.splitlines()[0]
    assert rc == 1
    assert first == (
        "::error file=records/orgs/laiyang-centre.yaml,line=5,col=1,title=schema-unknown-key"
        "::nmae: 不认识的字段“nmae”：您是不是要写“name”？"
    )


def test_valid_repository_exits_zero(make_repo, capsys) -> None:
    """A repository without errors exits 0 and says how many files were checked."""
    root = make_repo()
    assert main(["--root", str(root), "validate"]) == 0
    assert capsys.readouterr().out == "共检查 21 个文件，全部通过。\n"


def test_changed_file_is_checked_against_whole_repository(make_repo, capsys) -> None:
    """Validating one file still resolves its references against every record."""
    root = make_repo({"records/orgs/laiyang-centre.yaml": BAD_ORG.replace("nmae: 莱阳\n", "parent: nope\n")})
    rc = main(["--root", str(root), "validate", str(root / "records/orgs/laiyang-centre.yaml")])
    out = capsys.readouterr().out
    assert rc == 1
    assert "找不到编号为“nope”的机构" in out
    assert "共检查 1 个文件" in out


def _exit_code(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as exit_:  # argparse exits by itself
        return int(exit_.code)


@pytest.mark.parametrize(
    "args",
    [["validate", "--format", "xml"], ["validate", "records/nowhere.yaml"], ["frobnicate"]],
    ids=["bad-format", "missing-path", "unknown-command"],
)
def test_usage_errors_exit_two(make_repo, args, capsys) -> None:
    """A command used wrongly exits 2, not 1 (1 means the data is wrong), and says why."""
    root = make_repo()
    assert _exit_code(["--root", str(root), *args]) == 2
    assert capsys.readouterr().err


def test_missing_config_is_a_usage_error(tmp_path, capsys) -> None:
    """Outside a data repository the tool says where it looked and exits 2."""
    assert main(["--root", str(tmp_path), "validate"]) == 2
    assert "找不到配置文件 weibao.yaml" in capsys.readouterr().err


def _tree_digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((root / "records").rglob("*"))
        if p.is_file()
    }


def test_validation_never_writes_to_records(make_repo, capsys) -> None:
    """Even with broken files (BOM, CRLF, GBK, duplicates) validation leaves records/ untouched."""
    root = make_repo({"records/orgs/laiyang-centre.yaml": BAD_ORG + "name: 重复\n"})
    (root / "records/orgs/crlf.yaml").write_bytes(b"\xef\xbb\xbfid: crlf\r\nname: x\r\n")
    (root / "records/orgs/gbk.yaml").write_bytes("id: gbk\nname: 莱阳\n".encode("gb18030"))
    before = _tree_digest(root)
    main(["--root", str(root), "validate"])
    assert _tree_digest(root) == before


def test_python_dash_m_runs_from_a_subfolder(make_repo) -> None:
    """`python -m weibao validate` finds the repository root from a subfolder (no --root)."""
    root = make_repo()
    proc = subprocess.run(
        [sys.executable, "-m", "weibao", "validate"],
        cwd=root / "records" / "orgs", capture_output=True, text=True, encoding="utf-8",
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "全部通过" in proc.stdout


def test_loader_uses_libyaml() -> None:
    """The C parser is used (pure Python would be ~8x slower at 100,000 records)."""
    from weibao.load import yaml_strict

    assert yaml_strict.LIBYAML
