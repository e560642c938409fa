"""`weibao validate --commits BASE..HEAD` scans git history, not just the tree: every line each
commit added (also in files a later commit deleted), the messages, and the names and e-mails of
authors and committers. Real git repositories in a temporary folder; synthetic identifiers."""

from __future__ import annotations

import subprocess
from pathlib import Path

from weibao.cli import main

W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
FIX = "这次提交已写入 git 历史，删除文件或再提交一次都不够：合并前请改写历史（见 README“提交了个人信息怎么办”）。"
CASE = (
    Path(__file__).parent / "cases/valid/privacy-clean-case/files/records/cases/c-7k2m9q4x3d.yaml"
).read_text(encoding="utf-8")


def synthetic_id(first17: str) -> str:
    return first17 + "10X98765432"[sum(int(a) * w for a, w in zip(first17, W, strict=True)) % 11]


ID = synthetic_id("37068220150312123")
MOBILE = "13812345678"


def git(root: Path, *args: str, name: str = "测试", email: str = "t@example.invalid") -> str:
    return subprocess.run(
        ["git", "-c", f"user.name={name}", "-c", f"user.email={email}", *args],
        cwd=root, check=True, capture_output=True, text=True,
    ).stdout.strip()


def history_repo(make_repo) -> tuple[Path, str]:
    """A data repository with one commit; returns it and that commit (the base)."""
    root = make_repo()
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "初始数据")
    return root, git(root, "rev-parse", "HEAD")


def validate(root: Path, capsys, rev_range: str, fmt: str = "text") -> tuple[int, str]:
    rc = main(["--root", str(root), "validate", "--today", "2026-11-24", "--format", fmt,
               "--commits", rev_range])
    return rc, capsys.readouterr().out


def test_identifier_added_then_deleted_is_reported_at_its_commit(make_repo, capsys) -> None:
    """A case file with an ID number and a name, deleted in the next commit: the tree passes,
    the history names the first commit, the file, the line and the column."""
    root, base = history_repo(make_repo)
    draft = root / "records/cases/c-7k2m9q4x3d.yaml"
    draft.parent.mkdir(parents=True, exist_ok=True)
    draft.write_text(CASE + f"# 儿童张小明，证件号 {ID}\n", encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "新增个案")
    first = git(root, "rev-parse", "--short=12", "HEAD")
    draft.unlink()
    git(root, "commit", "-qam", "删除个案")
    assert main(["--root", str(root), "validate", "--today", "2026-11-24"]) == 0
    capsys.readouterr()
    rc, out = validate(root, capsys, f"{base}..HEAD")
    assert rc == 1
    assert out.splitlines() == [
        f"records/cases/c-7k2m9q4x3d.yaml:15:5: 提交 {first} 加入的内容中疑似姓名 张**：记录中不得出现儿童"
        f"或家人的姓名，请改用“该儿童”“其母亲”等称呼。 {FIX} [privacy-person-name]",
        f"records/cases/c-7k2m9q4x3d.yaml:15:13: 提交 {first} 加入的内容中疑似身份证号 3706**********"
        f"{ID[-4:]}：记录中不得出现儿童或家人的身份证号，请删除。 {FIX} [privacy-id-number]",
        "共检查 21 个文件，发现 2 个错误。",
    ]
    assert ID not in out and "张小明" not in out


def test_spelled_identifier_in_a_later_deleted_line(make_repo, capsys) -> None:
    """A line added and removed again in the next commit still counts, in any spelling."""
    root, base = history_repo(make_repo)
    org = root / "records/orgs/laiyang-civil-affairs.yaml"
    original = org.read_text(encoding="utf-8")
    org.write_text(original + "# 家长电话一三八一二三四五六七八\n", encoding="utf-8")
    git(root, "commit", "-qam", "补充说明")
    first = git(root, "rev-parse", "--short=12", "HEAD")
    org.write_text(original, encoding="utf-8")
    git(root, "commit", "-qam", "撤回")
    rc, out = validate(root, capsys, f"{base}..HEAD")
    assert rc == 1
    assert out.startswith(f"records/orgs/laiyang-civil-affairs.yaml:9:7: 提交 {first} 加入的内容中疑似手机号 138****5678")


def test_public_contact_fields_pass_in_history_too(make_repo, capsys) -> None:
    """History judges records like the tree: a hotline's number in its contact field passes."""
    root, base = history_repo(make_repo)
    org = root / "records/orgs/laiyang-civil-affairs.yaml"
    org.write_text(org.read_text(encoding="utf-8") + 'phones:\n  - number: "0535-7212345"\n',
                   encoding="utf-8")
    git(root, "commit", "-qam", "补充电话")
    rc, out = validate(root, capsys, f"{base}..HEAD")
    assert rc == 0, out


def test_author_and_committer_are_scanned(make_repo, capsys) -> None:
    """`李思雨妈妈 13812345678` as author name, a phone as e-mail: both reported, masked."""
    root, base = history_repo(make_repo)
    git(root, "commit", "--allow-empty", "-qm", "更新", name=f"李思雨妈妈 {MOBILE}",
        email="13912345678@139.com")
    sha = git(root, "rev-parse", "--short=12", "HEAD")
    rc, out = validate(root, capsys, f"{base}..HEAD")
    assert rc == 1
    lines = out.splitlines()
    assert f"commit {sha}:1:1: 作者姓名中疑似姓名 李**：" in out
    assert f"commit {sha}:1:7: 作者姓名中疑似手机号 138****5678：" in out
    assert f"commit {sha}:1:1: 提交者邮箱中疑似手机号 139****5678：" in out
    assert MOBILE not in out and "13912345678" not in out and "李思雨" not in out, lines


def test_invisible_characters_in_a_commit_message(make_repo, capsys) -> None:
    """A bidi override in a message is refused like one in a record."""
    root, base = history_repo(make_repo)
    git(root, "commit", "--allow-empty", "-qm", "热线\u202e94321\u202c号")
    rc, out = validate(root, capsys, f"{base}..HEAD")
    assert rc == 1 and "U+202E" in out and "[invisible-char]" in out


def test_other_files_scanned_code_and_fixtures_skipped(make_repo, capsys) -> None:
    """A site page added with an ID number fails; the same line under tests/ (synthetic
    fixtures) and a public office phone on the page pass."""
    root, base = history_repo(make_repo)
    (root / "site").mkdir()
    (root / "site/about.md").write_text(f"办公电话 0535-7212345\n\n证件号 {ID}\n", encoding="utf-8")
    (root / "tests").mkdir()
    (root / "tests/fixture.txt").write_text(f"证件号 {ID}\n", encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "页面")
    rc, out = validate(root, capsys, f"{base}..HEAD")
    assert rc == 1
    assert [line.split(": ")[0] for line in out.splitlines()[:-1]] == ["site/about.md:3:5"]


def test_gbk_file_in_history_is_read(make_repo, capsys) -> None:
    """A record saved as GBK by a Windows editor is still scanned in history."""
    root, base = history_repo(make_repo)
    path = root / "records/cases/c-7k2m9q4x3d.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((CASE + f"# 母亲手机 {MOBILE}\n").encode("gb18030"))
    git(root, "add", "-A")
    git(root, "commit", "-qm", "个案")
    rc, out = validate(root, capsys, f"{base}..HEAD")
    assert rc == 1 and "138****5678" in out and MOBILE not in out


def test_binary_file_under_records_in_history(make_repo, capsys) -> None:
    """A binary file (a Word document, say) added under records/ cannot be checked: refused."""
    root, base = history_repo(make_repo)
    (root / "records/cases").mkdir(parents=True, exist_ok=True)
    (root / "records/cases/case.docx").write_bytes(b"PK\x03\x04\x00\x00binary")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "附件")
    (root / "records/cases/case.docx").unlink()
    git(root, "commit", "-qam", "删除附件")
    rc, out = validate(root, capsys, f"{base}..HEAD")
    assert rc == 1 and "records/cases/case.docx: 提交" in out and "[history-binary]" in out


def test_one_git_log_pass_over_many_commits(make_repo, capsys, monkeypatch) -> None:
    """The range is read with one `git log` and one `git cat-file`, whatever its length."""
    root, base = history_repo(make_repo)
    org = root / "records/orgs/laiyang-civil-affairs.yaml"
    for i in range(5):
        org.write_text(org.read_text(encoding="utf-8") + f"# 第{i}次核对\n", encoding="utf-8")
        git(root, "commit", "-qam", f"核对 {i}")
    calls = []
    real = subprocess.run

    def spy(args, *a, **kw):
        calls.append(args)
        return real(args, *a, **kw)

    monkeypatch.setattr(subprocess, "run", spy)
    rc, out = validate(root, capsys, f"{base}..HEAD")
    assert rc == 0, out
    git_calls = [c for c in calls if c and c[0] == "git"]
    assert [c[3] for c in git_calls] == ["log", "cat-file"]
