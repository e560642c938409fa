"""What statistics/tables.yaml is checked against: its schema, the record schemas, the threshold.

Read from the repository once per run and handed to the loader (no module state), so a table
naming a field is checked against the schema of the very records it will count.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from weibao.repo import Repository

SCHEMA_NAME = "tables.schema.json"
MAX_BYTES = 1 << 20


@dataclass(frozen=True)
class Rules:
    schema: dict | None  # schemas/tables.schema.json; None when the repository lacks it
    collections: Mapping[str, dict]  # collection → its record schema
    shared: Mapping[str, dict]  # schema file name → schema, to follow $ref
    threshold: int  # weibao.yaml statistics.threshold: a table may only be stricter
    vocabularies: frozenset[str] | None = None  # vocabulary ids; None: not checked

    @classmethod
    def of(cls, repo: Repository) -> Rules:
        return cls(
            schema=repo.shared_schemas.get(SCHEMA_NAME),
            collections=repo.schemas,
            shared=repo.shared_schemas,
            threshold=repo.config.statistics.threshold,
            vocabularies=frozenset(repo.ids("vocabularies")),
        )

    @classmethod
    def near(cls, path: Path) -> Rules:
        """The rules of the repository holding path (the nearest weibao.yaml above it)."""
        from weibao.repo import Repository, find_root

        return cls.of(Repository(find_root(path.parent)))

    def fields(self, collection: str, each: str | None) -> dict[str, dict]:
        """Field name → its (resolved) schema, as a table's unit sees them: with `each`, an item's
        own fields first, then its record's (aggregate.Unit.get reads them in that order)."""
        props = dict(self.properties(self.collections.get(collection, {})))
        if each:
            item = self.resolve(self.resolve(props.get(each, {})).get("items", {}))
            props.update(self.properties(item))
        return props

    def properties(self, schema: dict) -> dict[str, dict]:
        raw = self.resolve(schema).get("properties")
        return {k: self.resolve(v) for k, v in raw.items()} if isinstance(raw, dict) else {}

    def resolve(self, node: Any, depth: int = 0) -> dict:
        """A schema with its $ref followed (defs.schema.json#/$defs/month); own keys win."""
        if not isinstance(node, dict):
            return {}
        ref = node.get("$ref")
        if not isinstance(ref, str) or depth > 10:
            return node
        file, _, pointer = ref.partition("#")
        target: Any = self.shared.get(file.rsplit("/", 1)[-1], {}) if file else {}
        for step in (s for s in pointer.split("/") if s):
            target = target.get(step, {}) if isinstance(target, dict) else {}
        merged = dict(self.resolve(target, depth + 1))
        merged.update({k: v for k, v in node.items() if k != "$ref"})
        return merged
