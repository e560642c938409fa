"""The data repository: where records, schemas and settings live, and which collections exist."""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from weibao import clock
from weibao.config import Settings, load_config
from weibao.errors import UsageError

RECORD_SUFFIX = ".yaml"


@dataclass(frozen=True)
class Refused:
    """An entry under records/ that is not a record and is refused, never read or followed."""

    path: Path
    rule: str
    message: str


REFUSALS = {
    "file-symlink": "这是符号链接（快捷方式），不是记录文件：weibao 不跟随链接，也不读取它指向的文件。"
    "请把记录本身放在这里，或删除这个链接。",
    "file-hidden": "以“.”开头的隐藏文件或文件夹不会被当作记录校验，却同样会进入 git 历史："
    "请改名（记录文件名就是编号，只用小写字母、数字和连字符）或删除。",
    "layout-subfolder": "记录必须直接放在 records/<集合>/ 中，不能放在子文件夹里（其中的文件不会被校验）："
    "请把文件移到上一级，或删除这个文件夹。",
    "file-special": "这不是普通文件（管道、设备或套接字）：请删除。",
}


def refuse(path: Path, rule: str) -> Refused:
    return Refused(path, rule, REFUSALS[rule])


def classify(entry: os.DirEntry) -> str | None:
    """Why an entry of a collection folder is refused, or None for a file to validate.

    Asked without following links: a link is refused whatever it points to."""
    if entry.is_symlink():
        return "file-symlink"
    if entry.name.startswith("."):
        return "file-hidden"
    if entry.is_dir(follow_symlinks=False):
        return "layout-subfolder"
    if not entry.is_file(follow_symlinks=False):
        return "file-special"
    return None


def find_root(start: Path) -> Path:
    """The nearest folder at or above start holding weibao.yaml (so commands work from subfolders)."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / "weibao.yaml").is_file():
            return folder
    raise UsageError(f"在 {start} 及其上级目录中找不到 weibao.yaml：请在数据仓中运行，或用 --root 指定。")


@dataclass
class Repository:
    """A data repository root; any county can point weibao at its own (`--root`)."""

    root: Path
    config: Settings = field(init=False)

    def __post_init__(self) -> None:
        self.root = self.root.resolve()
        self.config = load_config(self.root)

    def today(self) -> dt.date:
        """Today in the repository's time zone (weibao.yaml `timezone`, default Asia/Shanghai)."""
        return clock.today(self.config.zone)

    @property
    def records_dir(self) -> Path:
        return self.root / "records"

    @property
    def schemas_dir(self) -> Path:
        return self.root / "schemas"

    @cached_property
    def schemas(self) -> dict[str, dict]:
        """Collection name → its JSON Schema (schemas/<collection>.schema.json)."""
        out = {}
        for path in sorted(self.schemas_dir.glob("*.schema.json")):
            name = path.name.removesuffix(".schema.json")
            schema = json.loads(path.read_text(encoding="utf-8"))
            if schema.get("x-collection", True):
                out[name] = schema
        return out

    @cached_property
    def shared_schemas(self) -> dict[str, dict]:
        """Every schema file by file name, for $ref resolution (defs.schema.json and the rest)."""
        return {
            p.name: json.loads(p.read_text(encoding="utf-8"))
            for p in sorted(self.schemas_dir.glob("*.schema.json"))
        }

    @property
    def collections(self) -> list[str]:
        return list(self.schemas)

    def is_program(self, collection: str) -> bool:
        """Program records (cases, clues, activities) are about children: strictest privacy rules."""
        return bool(self.schemas.get(collection, {}).get("x-program-record"))

    def survey(self, collection: str) -> tuple[list[Path], list[Refused]]:
        """The record files of a collection folder, and every other entry in it, refused."""
        folder = self.records_dir / collection
        if folder.is_symlink() or not folder.is_dir():
            return [], []
        names, refused = [], []
        with os.scandir(folder) as entries:
            for e in entries:
                rule = classify(e)
                if rule is None:
                    names.append(e.name)
                else:
                    refused.append(refuse(Path(e.path), rule))
        # the order of sorted Paths (case-insensitive on Windows), without comparing 100,000 Paths
        names.sort(key=os.path.normcase)
        return [folder / n for n in names], sorted(refused, key=lambda r: r.path)

    def record_files(self, collection: str) -> list[Path]:
        return self.survey(collection)[0]

    def ids(self, collection: str) -> set[str]:
        """Record ids of a collection, from file names alone (no parsing: fast at 100,000)."""
        folder = self.records_dir / collection
        if not folder.is_dir():
            return set()
        with os.scandir(folder) as entries:
            return {
                e.name[: -len(RECORD_SUFFIX)]
                for e in entries
                if e.name.endswith(RECORD_SUFFIX) and classify(e) is None
            }

    def rel(self, path: Path) -> str:
        return path.resolve().relative_to(self.root).as_posix()

    def rel_unresolved(self, path: Path) -> str:
        """Relative path of a link itself (resolving it would name its target)."""
        absolute = Path(os.path.abspath(path))
        try:
            return absolute.relative_to(self.root).as_posix()
        except ValueError:
            return absolute.as_posix()

    def collection_of(self, path: Path) -> str | None:
        """The collection a file belongs to, or None if it is not under records/<collection>/."""
        try:
            parts = path.resolve().relative_to(self.records_dir).parts
        except ValueError:
            return None
        return parts[0] if len(parts) == 2 and parts[0] in self.schemas else None
