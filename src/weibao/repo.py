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

    def record_files(self, collection: str) -> list[Path]:
        folder = self.records_dir / collection
        if not folder.is_dir():
            return []
        with os.scandir(folder) as entries:
            return sorted(Path(e.path) for e in entries if e.is_file() and not e.name.startswith("."))

    def ids(self, collection: str) -> set[str]:
        """Record ids of a collection, from file names alone (no parsing: fast at 100,000)."""
        folder = self.records_dir / collection
        if not folder.is_dir():
            return set()
        with os.scandir(folder) as entries:
            return {
                e.name[: -len(RECORD_SUFFIX)]
                for e in entries
                if e.name.endswith(RECORD_SUFFIX) and e.is_file()
            }

    def rel(self, path: Path) -> str:
        return path.resolve().relative_to(self.root).as_posix()

    def collection_of(self, path: Path) -> str | None:
        """The collection a file belongs to, or None if it is not under records/<collection>/."""
        try:
            parts = path.resolve().relative_to(self.records_dir).parts
        except ValueError:
            return None
        return parts[0] if len(parts) == 2 and parts[0] in self.schemas else None
