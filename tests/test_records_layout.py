"""Every entry under records/ is validated or refused with a message: links are refused and never
followed (nothing of their target is read or echoed), pipes do not hang the run, and a file's size
is checked before it is read."""

from __future__ import annotations

import os
import tracemalloc
from pathlib import Path

import pytest

from weibao.cli import main
from weibao.load import load_file

CLEAN_CASE = (
    Path(__file__).parent / "cases/valid/privacy-clean-case/files/records/cases/c-7k2m9q4x3d.yaml"
).read_text(encoding="utf-8")
SECRET = "OUTSIDE-ONLY-MARKER"


def _outside(tmp_path: Path) -> Path:
    """A valid case record outside the repository, with a marker that must never be printed."""
    folder = tmp_path / f"elsewhere-{SECRET}"
    folder.mkdir()
    target = folder / "c-7k2m9q4x3d.yaml"
    target.write_text(CLEAN_CASE + f"# {SECRET}: 13812345678\n", encoding="utf-8")
    return target


def _validate(root: Path, capsys, *args: str) -> tuple[int, str]:
    rc = main(["--root", str(root), "validate", "--today", "2026-11-24", *args])
    captured = capsys.readouterr()
    return rc, captured.out + captured.err


def test_symlinked_record_is_refused_not_followed(make_repo, tmp_path, capsys) -> None:
    """A link to a valid case outside the repository fails, and nothing of the target shows."""
    root = make_repo()
    link = root / "records/cases/c-7k2m9q4x3d.yaml"
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(_outside(tmp_path))
    for args in ((), ("records/cases/c-7k2m9q4x3d.yaml",), ("records/cases",)):
        cwd = Path.cwd()
        os.chdir(root)
        try:
            rc, out = _validate(root, capsys, *args)
        finally:
            os.chdir(cwd)
        assert rc == 1, out
        assert "records/cases/c-7k2m9q4x3d.yaml: 这是符号链接" in out and "[file-symlink]" in out
        assert SECRET not in out and "138" not in out and "elsewhere" not in out


@pytest.mark.parametrize("where", ["records/cases/more", "records/activities"])
def test_symlinked_folder_is_refused(make_repo, tmp_path, capsys, where: str) -> None:
    """A link to a folder (inside a collection, or as a collection) is refused, not walked."""
    root = make_repo()
    link = root / where
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(_outside(tmp_path).parent, target_is_directory=True)
    rc, out = _validate(root, capsys)
    assert rc == 1
    assert f"{where}: 这是符号链接" in out
    assert SECRET not in out and "elsewhere" not in out


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_named_pipe_is_refused_without_hanging(make_repo, capsys) -> None:
    """A pipe named like a record is refused (reading it would wait for ever)."""
    root = make_repo()
    (root / "records/cases").mkdir(parents=True, exist_ok=True)
    os.mkfifo(root / "records/cases/c-7k2m9q4x3d.yaml")
    rc, out = _validate(root, capsys)
    assert rc == 1 and "[file-special]" in out


def test_huge_file_is_refused_before_reading(tmp_path) -> None:
    """A 1 GB file is refused from its size: it is never read into memory."""
    big = tmp_path / "c-7k2m9q4x3d.yaml"
    with big.open("wb") as fh:
        fh.truncate(1 << 30)  # sparse: takes no disk space
    tracemalloc.start()
    loaded = load_file(big, "records/cases/c-7k2m9q4x3d.yaml", 262144)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [e.rule for e in loaded.errors] == ["file-too-large"]
    assert "1073741824 字节" in loaded.errors[0].message
    assert peak < 1 << 20
