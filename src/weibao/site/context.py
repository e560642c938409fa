"""Everything the page generators read: the public records and lookups derived from them.

The site receives public records only, by type: PublicRecords cannot hold a program
collection (cases, clues, activities), and SiteContext takes nothing else. Statistics reach
the site only as the suppressed, audited tables of weibao.stats.publish.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from weibao.config import SiteSettings
from weibao.repo import Repository
from weibao.site.pages.memo import PageMemo

# where each kind of generated page lives in the docs folder
HOME = "index.md"
HOTLINES = "hotlines.md"
DIRECTORY = "directory.md"
POLICIES = "policies.md"
FIELDS = "fields.md"
STATISTICS = "statistics/index.md"
# the repository's clock when weibao.yaml names none (hotline hours are local times)
DEFAULT_TIME_ZONE = "Asia/Shanghai"


def org_page(org_id: str) -> str:
    return f"orgs/{org_id}.md"


def policy_page(policy_id: str) -> str:
    return f"policies/{policy_id}.md"


def fields_page(collection: str) -> str:
    return f"fields/{collection}.md"


def record_file(collection: str, record_id: str) -> str:
    """The record's file relative to the root (the id is the file name, a validated rule)."""
    return f"records/{collection}/{record_id}.yaml"


class PublicRecords(Mapping[str, list[dict]]):
    """Records of the collections that may be published: a read-only mapping that refuses a
    program collection (a bug, not a data error: raises TypeError)."""

    def __init__(self, repo: Repository, records: Mapping[str, list[dict]]) -> None:
        program = sorted(c for c in records if repo.is_program(c))
        if program:
            raise TypeError(f"program records cannot reach the public site: {program}")
        self._records = {c: list(rs) for c, rs in records.items()}

    @classmethod
    def of(cls, repo: Repository, records: Mapping[str, list[dict]]) -> PublicRecords:
        """The public part of everything loaded."""
        return cls(repo, {c: rs for c, rs in records.items() if not repo.is_program(c)})

    def __getitem__(self, collection: str) -> list[dict]:
        return self._records[collection]

    def __iter__(self) -> Iterator[str]:
        return iter(self._records)

    def __len__(self) -> int:
        return len(self._records)


@dataclass
class SiteContext:
    repo: Repository
    records: PublicRecords
    today: dt.date
    extras: dict[str, Any]
    last_changed: dict[str, str] = field(default_factory=dict)  # record file → YYYY-MM-DD
    memo: PageMemo | None = None  # the live preview's pages, reused while their inputs are equal

    def of(self, collection: str) -> list[dict]:
        return self.records.get(collection) or []

    @cached_property
    def regions(self) -> dict[str, dict]:
        return {str(r["id"]): r for r in self.of("regions")}

    @cached_property
    def orgs(self) -> dict[str, dict]:
        return {r["id"]: r for r in self.of("orgs")}

    @cached_property
    def policies(self) -> dict[str, dict]:
        return {r["id"]: r for r in self.of("policies")}

    @cached_property
    def sources(self) -> dict[str, dict]:
        return {r["id"]: r for r in self.of("sources")}

    @property
    def time_zone(self) -> str:
        return self.repo.config.timezone

    @property
    def site(self) -> SiteSettings:
        return self.repo.config.site

    def region_name(self, code: str | None) -> str:
        if not code:
            return ""
        region = self.regions.get(str(code))
        return region["name"] if region else str(code)

    def region_path(self, code: str | None) -> list[str]:
        """Codes from the top (province) down to code, following `parent`."""
        out: list[str] = []
        seen: set[str] = set()
        cur = str(code) if code else None
        while cur and cur not in seen:
            seen.add(cur)
            out.append(cur)
            parent = self.regions.get(cur, {}).get("parent")
            cur = str(parent) if parent else None
        return out[::-1]

    def region_full_name(self, code: str | None) -> str:
        return " ".join(self.region_name(c) for c in self.region_path(code))

    def _index(self, collection: str, key: str) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = {}
        for r in self.of(collection):
            if r.get(key):
                out.setdefault(str(r[key]), []).append(r)
        return out

    @cached_property
    def children(self) -> dict[str, list[dict]]:
        return self._index("orgs", "parent")

    @cached_property
    def operated(self) -> dict[str, list[dict]]:
        return self._index("orgs", "operator")

    @cached_property
    def hotlines_by_operator(self) -> dict[str, list[dict]]:
        return self._index("hotlines", "operator")
