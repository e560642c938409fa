"""HSDS `metadata` (a field-level change log) from the git audit of the public directory.

Only orgs and hotlines are read from history (program records never are). updated_by is a role
from hsds.yaml, never the commit's author or e-mail. A value that looks like an identifier is
withheld (a number removed from a record for privacy must not come back through its change log);
only in the public contact fields are office numbers (landlines, short numbers) shown.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from weibao.audit.changes import Change, collect, lineages
from weibao.audit.diff import Difference, show
from weibao.audit.gitlog import is_repository
from weibao.check.privacy import scan_cached
from weibao.opendata.hsds import Json
from weibao.opendata.settings import mapping, stable_uuid

COLLECTIONS = ("orgs", "hotlines")
RESOURCE = {"orgs": ("organization", "orgs/{}"), "hotlines": ("service", "hotlines/{}")}
ACTION = {"added": "create", "modified": "update", "renamed": "update"}
WHOLE_RECORD = "（整条记录）"


def resource_uuid(collection: str, record_id: str) -> str:
    kind, key = RESOURCE[collection]
    return stable_uuid(kind, key.format(record_id))


# a mobile number, separators ignored: a person's, never an office's, so never republished
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def publishable(text: str, contact: bool) -> bool:
    """No identifier at all; or, in a public contact field (hotline number, phones), only
    office numbers: landlines and short numbers, never a mobile."""
    findings = scan_cached(text)
    if not findings:
        return True
    return (contact and all(f.kind == "phone" for f in findings)
            and not _MOBILE.search(re.sub(r"[\s-]", "", text)))


def _value(value: object, present: bool, contact: bool) -> str:
    m = mapping()
    if not present or value is None:
        return str(m["absent_value"])
    text = show(value)
    return text if publishable(text, contact) else str(m["withheld_value"])


def _pair(d: Difference) -> tuple[str, str]:
    if d.summary:  # a long text: say how much changed, not what it says
        before = "（长文本）" if d.op != "added" else str(mapping()["absent_value"])
        after = d.summary if d.op != "removed" else str(mapping()["absent_value"])
        return before, after
    contact = d.field in mapping()["contact_fields"]
    return _value(d.old, d.op != "added", contact), _value(d.new, d.op != "removed", contact)


def _public_value(collection: str, path: str, value: object) -> object:
    """value at path with staff notes removed (source.note, a source's own note)."""
    if not isinstance(value, dict):
        return value
    out = dict(value)
    if path.endswith("source") or (collection == "sources" and path == ""):
        out.pop("note", None)
    if path == "" and isinstance(out.get("source"), dict):
        out["source"] = _public_value(collection, "source", out["source"])
    return out


def _without_staff_notes(collection: str, d: Difference) -> Difference | None:
    """Staff notes (x-internal in the schemas) are never published: a change to one is left
    out, and a source or record written as a whole loses its note."""
    if d.path.endswith("source.note") or (collection == "sources" and d.path == "note"):
        return None
    return dataclasses.replace(d, old=_public_value(collection, d.path, d.old),
                               new=_public_value(collection, d.path, d.new))


def rows_for(change: Change, current: tuple[str, str]) -> list[Json]:
    collection, record_id = current
    kind = RESOURCE[collection][0]
    role = mapping()["roles"].get(change.collection, mapping()["default_role"])
    base = {"resource_id": resource_uuid(collection, record_id), "resource_type": kind,
            "last_action_date": change.date[:10],
            "last_action_type": ACTION.get(change.action, "update"), "updated_by": role}
    if change.error or not change.differences:
        why = "（当时的文件格式有误，无法比较）" if change.error else "（格式调整，内容未变）"
        return [{"id": stable_uuid("metadata", change.commit, change.path), **base,
                 "field_name": WHOLE_RECORD, "previous_value": why, "replacement_value": why}]
    out = []
    for raw in change.differences:
        d = _without_staff_notes(change.collection, raw)
        if d is None:
            continue
        before, after = _pair(d)
        out.append({"id": stable_uuid("metadata", change.commit, change.path, d.path), **base,
                    "field_name": d.path or WHOLE_RECORD, "previous_value": before,
                    "replacement_value": after})
    return out


def change_log(root: Path, published: dict[str, set[str]]) -> dict[str, list[Json]]:
    """{resource UUID: metadata rows, oldest first} for the records published now
    (published: collection → current ids). Changes to records no longer published are left out:
    the log describes resources in the package."""
    if not is_repository(root):
        return {}
    changes = collect(root, collections=COLLECTIONS)
    roots = lineages(changes)
    current = {roots[(c, i)]: (c, i) for c in COLLECTIONS for i in published.get(c, set())
               if (c, i) in roots}
    out: dict[str, list[Json]] = {}
    for change in reversed(changes):  # oldest first: a record's story in order
        if change.action == "deleted":
            continue
        now = current.get(roots[(change.collection, change.record_id)])
        if now is None:
            continue
        for row in rows_for(change, now):
            out.setdefault(row["resource_id"], []).append(row)
    return out
