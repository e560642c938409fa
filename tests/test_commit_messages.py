"""`weibao validate --commits BASE..HEAD` scans pull-request commit messages like records."""

from __future__ import annotations

import subprocess
from pathlib import Path

from weibao.cli import main

W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def _synthetic_id(first17: str) -> str:
    return first17 + "10X98765432"[sum(int(a) * w for a, w in zip(first17, W, strict=True)) % 11]


def _git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=测试", "-c", "user.email=t@example.invalid", *args],
        cwd=root, check=True, capture_output=True, text=True,
    ).stdout.strip()


def test_identifier_in_commit_message_is_reported_masked(make_repo, capsys) -> None:
    """An ID number typed into a commit message fails the check, masked, with the commit named."""
    root = make_repo()
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "初始数据")
    base = _git(root, "rev-parse", "HEAD")
    (root / "records/orgs/laiyang-civil-affairs.yaml").write_text(
        (root / "records/orgs/laiyang-civil-affairs.yaml").read_text(encoding="utf-8") + "short_name: 莱阳民政\n",
        encoding="utf-8",
    )
    _git(root, "commit", "-qam", f"更新简称\n\n核对人身份证 {_synthetic_id('37068219800101001')}")
    head = _git(root, "rev-parse", "--short=12", "HEAD")
    rc = main(["--root", str(root), "validate", "--commits", f"{base}..HEAD"])
    out = capsys.readouterr().out
    assert rc == 1
    assert out.splitlines()[0] == (
        f"commit {head}:3:8: 提交说明中疑似身份证号 3706**********0014：记录中不得出现儿童或家人的身份证号，请删除。"
        " 这次提交已写入 git 历史，删除文件或再提交一次都不够：合并前请改写历史（见 README“提交了个人信息怎么办”）。"
        " [privacy-id-number]"
    )


def test_clean_commit_messages_pass(make_repo, capsys) -> None:
    """Ordinary commit messages, with 文号 and counts, raise nothing."""
    root = make_repo()
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "初始数据")
    base = _git(root, "rev-parse", "HEAD")
    _git(root, "commit", "--allow-empty", "-qm", "按民函〔2014〕240号补充38条线索的来源")
    assert main(["--root", str(root), "validate", "--commits", f"{base}..HEAD"]) == 0
    assert "全部通过" in capsys.readouterr().out
