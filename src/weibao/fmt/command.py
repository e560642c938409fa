"""`weibao fmt [--check] [paths]`: rewrite record files in the canonical form, or list those that differ.

Exit codes: 0 every file is canonical (or was rewritten); 1 with --check some file differs, or a
file cannot be read strictly (fix it first, `weibao validate` says how); 3 formatting would have
changed a value or lost a comment (a bug: nothing was written).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from weibao.errors import UsageError
from weibao.fmt.canonical import Schemas
from weibao.fmt.roundtrip import NotLoadable, Unsafe, format_text
from weibao.load.encoding import BOM, DecodeProblem, decode
from weibao.repo import RECORD_SUFFIX, Repository


def record_files(repo: Repository, paths: list[Path]) -> list[tuple[Path, str]]:
    """(file, collection) for the given files and folders, or for every record file."""
    if not paths:
        return [(p, c) for c in repo.collections for p in repo.record_files(c)
                if p.name.endswith(RECORD_SUFFIX)]
    out = []
    for raw in paths:
        path = raw if raw.is_absolute() else Path.cwd() / raw
        if not path.exists():
            raise UsageError(f"{raw}: 文件或目录不存在。")
        files = sorted(p for p in path.rglob("*" + RECORD_SUFFIX) if p.is_file()) if path.is_dir() else [path]
        for file in files:
            collection = repo.collection_of(file)
            if collection is None:
                if path.is_dir():
                    continue
                raise UsageError(f"{raw}: 不在 records/<集合>/ 中，不是记录文件。")
            out.append((file.resolve(), collection))
    return out


def write_atomically(path: Path, text: str) -> None:
    """Write next to the file, then rename over it: an interrupted run leaves the old file whole."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def run(repo: Repository, args: argparse.Namespace) -> int:
    schemas = Schemas(repo.shared_schemas)
    differ = failed = 0
    for path, collection in record_files(repo, args.paths):
        rel = repo.rel(path)
        data = path.read_bytes()
        decoded = decode(data, repo.config.validation.max_file_bytes)
        if isinstance(decoded, DecodeProblem):
            print(f"{rel}: 不能整理：{decoded.message}", file=sys.stderr)
            failed += 1
            continue
        text = ("\ufeff" if data.startswith(BOM) else "") + decoded
        try:
            out = format_text(text, repo.schemas[collection], schemas, rel)
        except NotLoadable as err:
            print(f"{rel}: {err}", file=sys.stderr)
            failed += 1
            continue
        except Unsafe as err:
            print(f"{rel}: {err}", file=sys.stderr)
            return 3
        if out == text:
            continue
        differ += 1
        if args.check:
            print(f"{rel}: 格式与统一格式不同：请运行 weibao fmt {rel}")
        else:
            write_atomically(path, out)
            print(f"已整理 {rel}")
    if args.check and differ:
        print(f"{differ} 个文件需要整理（weibao fmt 会统一字段顺序、引号和列表写法，不改变任何值）。")
    return 1 if failed or (args.check and differ) else 0
