"""Nested HSDS organisations → the HSDS tabular data package (one CSV per object).

The columns and the datapackage.json come from the standard's own datapackage.json: every
resource keeps its Table Schema unchanged, so `frictionless validate` checks our CSVs against the
standard's field definitions (types, required, unique, UUID format, foreign keys).
"""

from __future__ import annotations

import copy
import csv
import io
import json
from functools import cache
from pathlib import Path
from typing import Any

from weibao.opendata.hsds import Json, taxonomy
from weibao.opendata.settings import HSDS_DATAPACKAGE

# key of a nested list/object in the JSON → the resource its items belong to
CHILD = {
    "services": "service", "locations": "location", "phones": "phone", "schedules": "schedule",
    "service_areas": "service_area", "service_at_locations": "service_at_location",
    "location": "location", "languages": "language", "attributes": "attribute",
    "taxonomy_term": "taxonomy_term", "metadata": "metadata",
}


@cache
def standard() -> dict[str, Any]:
    return json.loads(HSDS_DATAPACKAGE.read_text(encoding="utf-8"))


@cache
def columns(resource: str) -> tuple[str, ...]:
    for r in standard()["resources"]:
        if r["name"] == resource:
            return tuple(f["name"] for f in r["schema"]["fields"])
    raise KeyError(resource)


def flatten(orgs: list[Json], metadata: list[Json] | None = None) -> dict[str, list[Json]]:
    """Rows per resource name, each row once (taxonomy terms are shared)."""
    rows: dict[str, dict[str, Json]] = {}

    def add(resource: str, obj: Json, parent: tuple[str, str] | None) -> None:
        table = rows.setdefault(resource, {})
        if str(obj["id"]) in table:  # a shared taxonomy term: already written with its children
            return
        row = {k: v for k, v in obj.items() if not isinstance(v, (list, dict))}
        link = f"{parent[0]}_id" if parent else None
        if parent and link in columns(resource) and not row.get(link):
            row[link] = parent[1]
        table[str(obj["id"])] = row
        for key, value in obj.items():
            child = CHILD.get(key)
            if child is None:
                continue
            for item in value if isinstance(value, list) else [value]:
                add(child, item, (resource, str(obj["id"])))

    for org in orgs:
        add("organization", org, None)
    for m in metadata or []:
        add("metadata", m, None)
    rows["taxonomy"] = {taxonomy()["id"]: taxonomy()}
    return {name: list(by_id.values()) for name, by_id in rows.items()}


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def csv_text(resource: str, rows: list[Json]) -> str:
    cols = columns(resource)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(cols)
    for row in rows:
        w.writerow([_cell(row.get(c)) for c in cols])
    return buf.getvalue()


def descriptor(about: dict[str, Any]) -> dict[str, Any]:
    """The standard's datapackage.json with our title, licence and provenance; every resource
    and its Table Schema exactly as the standard defines them."""
    pkg = copy.deepcopy(standard())
    pkg.update(about)
    return pkg


def write(out: Path, orgs: list[Json], metadata: list[Json], about: dict[str, Any]) -> list[str]:
    """Write out/<resource>.csv for every resource of the standard (header only when we have
    nothing for it) and out/datapackage.json; returns the resources that have rows."""
    out.mkdir(parents=True, exist_ok=True)
    tables = flatten(orgs, metadata)
    for r in standard()["resources"]:
        rows = tables.get(r["name"], [])
        (out / r["path"]).write_text(csv_text(r["name"], rows), encoding="utf-8", newline="")
    (out / "datapackage.json").write_text(
        json.dumps(descriptor(about), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return [name for name, rows in tables.items() if rows]
