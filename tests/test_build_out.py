"""`weibao build --out`: MkDocs empties the output folder, so only a folder with nothing to lose
is accepted; anything else is a usage error (exit 2) and every file stays as it was."""

from __future__ import annotations

import importlib.util
import subprocess
from pathlib import Path

import pytest

from weibao.cli import main
from weibao.repo import Repository
from weibao.site.outdir import MARKER, check_out

SITE_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "site"


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.name=测试", "-c", "user.email=t@example.invalid",
                    *args], check=True, capture_output=True)


@pytest.fixture
def git_repo(make_repo) -> Path:
    """A committed repository with statistics/tables.yaml and a frozen snapshot."""
    root = make_repo({
        "statistics/tables.yaml": "tables: []\n",
        "statistics/frozen/cases-by-region/2023.json": "{}\n",
        "docs-notes/readme.md": "# 工作笔记\n",
    })
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "数据")
    return root


def _build(root: Path, out: Path | str) -> int:
    return main(["--root", str(root), "build", "--out", str(out), "--today", "2025-01-15"])


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file() and ".git" not in p.parts}


@pytest.mark.parametrize("target", ["statistics", "statistics/frozen", "docs-notes", "records/orgs"])
def test_folders_git_tracks_are_refused(git_repo: Path, capsys, target: str) -> None:
    """`build --out statistics` deletes nothing: exit 2 and a message naming the reason."""
    before = _snapshot(git_repo)
    assert _build(git_repo, git_repo / target) == 2
    err = capsys.readouterr().err
    assert f"--out {git_repo / target}" in err and "没有删除或修改任何文件" in err
    assert _snapshot(git_repo) == before


def test_relative_out_inside_the_repository_is_refused(git_repo: Path, capsys, monkeypatch) -> None:
    """A relative --out is resolved against the working folder before it is judged."""
    monkeypatch.chdir(git_repo / "statistics")
    assert _build(git_repo, "frozen") == 2
    assert (git_repo / "statistics" / "frozen" / "cases-by-region" / "2023.json").is_file()


def test_untracked_folder_with_files_is_refused(git_repo: Path, tmp_path: Path, capsys) -> None:
    """A non-empty folder that no build made (inside or outside the repository) is refused."""
    inside = git_repo / "drafts"
    inside.mkdir()
    (inside / "草稿.txt").write_text("未提交的草稿\n", encoding="utf-8")
    outside = tmp_path / "my-documents"
    outside.mkdir()
    (outside / "report.docx").write_bytes(b"PK")
    for folder in (inside, outside):
        assert _build(git_repo, folder) == 2
        assert "不是空的" in capsys.readouterr().err
    assert (inside / "草稿.txt").is_file() and (outside / "report.docx").is_file()


def test_a_file_is_refused(git_repo: Path, tmp_path: Path, capsys) -> None:
    """--out naming a file is refused, and the file stays."""
    target = tmp_path / "notes.txt"
    target.write_text("x", encoding="utf-8")
    assert _build(git_repo, target) == 2
    assert target.read_text(encoding="utf-8") == "x"


@pytest.mark.parametrize("kind", ["missing", "empty", "previous-build", "ignored-public"])
def test_new_empty_or_previous_build_is_accepted(git_repo: Path, tmp_path: Path, kind: str) -> None:
    """Where a build may go: a new folder, an empty one, or one holding the build marker."""
    out = {"missing": tmp_path / "new" / "public", "empty": tmp_path / "empty",
           "previous-build": tmp_path / "old", "ignored-public": git_repo / "public"}[kind]
    if kind != "missing":
        out.mkdir()
    if kind in ("previous-build", "ignored-public"):
        (out / MARKER).write_text("", encoding="utf-8")
        (out / "index.html").write_text("old", encoding="utf-8")
    check_out(Repository(git_repo), out)  # no exception


def _site_repo(dest: Path) -> Path:
    spec = importlib.util.spec_from_file_location("site_fixture_repo", SITE_FIXTURES / "fixture_repo.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.make(dest, None)


@pytest.mark.slow
def test_a_build_marks_its_folder_and_can_rebuild_it(tmp_path: Path, capsys) -> None:
    """The first build leaves the marker; the second empties and rebuilds the same folder."""
    root = _site_repo(tmp_path / "repo")
    out = tmp_path / "public"
    assert _build(root, out) == 0
    assert (out / MARKER).is_file()
    (out / "stale.html").write_text("old page", encoding="utf-8")
    assert _build(root, out) == 0, capsys.readouterr().err
    assert (out / "index.html").is_file() and not (out / "stale.html").exists()
