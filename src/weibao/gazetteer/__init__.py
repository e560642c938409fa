"""The shipped gazetteer: every province, city, county and town of the statistics bureau's
division codes (year and source in data/gazetteer.yaml), with village counts per town.

Codes are given as weibao writes them: 6 digits for province/city/county (61 → "610000",
6105 → "610500"), 9 digits for towns. Loaded once per process (about 45,000 rows, < 0.2 s).
"""

from __future__ import annotations

import csv
import gzip
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

LEVELS = {2: "省级", 4: "地级", 6: "县级", 9: "乡级"}


@dataclass(frozen=True)
class Division:
    code: str  # 6 or 9 digits
    name: str
    level: str  # 省级 / 地级 / 县级 / 乡级
    parent: str | None
    town_type: str | None = None  # 街道 / 镇 / 乡 / 其他乡级单位 (towns only)
    villages: int | None = None  # 村（居）委会个数 (towns only)


class Gazetteer:
    """Lookups by code; Division objects are made on demand (45,000 rows load in a blink)."""

    def __init__(self, meta: dict[str, Any], rows: dict[str, tuple[str, str]]) -> None:
        self.meta = meta
        self._rows = rows  # 6/9-digit code → (name, villages or "")
        self._kinds = {str(k): v for k, v in meta["town_types"].items()}
        self._towns: dict[str, list[str]] = {}
        for code in rows:
            if len(code) == 9:
                self._towns.setdefault(code[:6], []).append(code)

    @property
    def year(self) -> int:
        return int(self.meta["year"])

    @property
    def label(self) -> str:
        """One line naming the data: the year of the codes and the package they came from."""
        m = self.meta
        return f"国家统计局 {m['year']} 年统计用区划代码（截止 {m['cutoff']}），取自 npm 包 {m['package']} {m['version']}"

    def _parent(self, code: str) -> str | None:
        if code.endswith("0000"):
            return None
        if code.endswith("00"):
            return code[:2] + "0000"
        if len(code) == 9:
            return code[:6]
        # a county under a placeholder "city" (市辖区, 省直辖县级行政区划) belongs to the province
        city = code[:4] + "00"
        return city if city in self._rows else code[:2] + "0000"

    def get(self, code: str) -> Division | None:
        row = self._rows.get(code)
        if row is None:
            return None
        name, villages = row
        if len(code) == 9:
            return Division(code, name, LEVELS[9], code[:6], self._kinds[code[6]], int(villages or 0))
        level = LEVELS[2] if code.endswith("0000") else LEVELS[4] if code.endswith("00") else LEVELS[6]
        return Division(code, name, level, self._parent(code))

    def towns(self, county: str) -> list[Division]:
        return [d for c in self._towns.get(county, []) if (d := self.get(c)) is not None]

    def counties_of(self, code: str) -> list[Division]:
        """Counties under a province or city code."""
        prefix = code[:2] if code.endswith("0000") else code[:4]
        found = (self.get(c) for c in self._rows if len(c) == 6 and c.startswith(prefix) and not c.endswith("00"))
        return [d for d in found if d is not None and (d.parent == code or code.endswith("0000"))]

    def ancestors(self, code: str) -> list[Division]:
        """The division's parents, nearest first (county → city → province)."""
        out = []
        division = self.get(code)
        while division is not None and division.parent:
            division = self.get(division.parent)
            if division is not None:
                out.append(division)
        return out


def _meta() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("data/gazetteer.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@cache
def load() -> Gazetteer:
    meta = _meta()
    raw = resources.files(__package__).joinpath("data/divisions.csv.gz").read_bytes()
    reader = csv.reader(io.StringIO(gzip.decompress(raw).decode("utf-8")))
    next(reader)  # header: code,name,villages
    placeholders = set(meta["city_placeholders"])
    rows: dict[str, tuple[str, str]] = {}
    for code, name, villages in reader:
        if len(code) == 4 and name in placeholders:
            continue  # not a real city: its counties hang under the province
        rows[code + "0000" if len(code) == 2 else code + "00" if len(code) == 4 else code] = (name, villages)
    return Gazetteer(meta, rows)
