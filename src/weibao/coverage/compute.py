"""Coverage of the town and village levels of the protection network, computed from the records.

Only regions and organisations are read (never cases, clues or activities):
- a town has a station when an organisation of a station kind (settings) has that town as region;
- its 儿童督导员 and 儿童主任 are the sums of `workforce` over the organisations in that town;
- the records count people per town, not villages, so "villages with a 儿童主任" is measured as
  the towns whose 儿童主任 head count reaches their number of 村（居）委会 (the national rule is at
  least one per village): such a town is 配齐; the totals of both are shown beside it.
A gap listed in the settings as expected (and not yet past its date) is a known gap; an expected
gap that is past its date or no longer a gap is a problem for staff to fix in the settings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from weibao.coverage.settings import Expected, Settings
from weibao.result import Error


@dataclass
class Town:
    code: str
    name: str
    town_type: str | None
    villages: int | None
    stations: list[str] = field(default_factory=list)  # organisation names
    supervisors: int | None = None  # None: no organisation in the town reports it
    directors: int | None = None
    expected: dict[str, Expected] = field(default_factory=dict)  # by what is missing

    @property
    def has_station(self) -> bool:
        return bool(self.stations)

    @property
    def has_supervisor(self) -> bool:
        return bool(self.supervisors)

    @property
    def directors_complete(self) -> bool:
        return self.villages is not None and (self.directors or 0) >= self.villages and self.villages > 0

    def gaps(self) -> list[str]:
        out = []
        if not self.has_station:
            out.append("工作站")
        if not self.has_supervisor:
            out.append("儿童督导员")
        if self.villages and not self.directors_complete:
            out.append("儿童主任")
        return out


@dataclass
class County:
    code: str
    name: str
    towns: list[Town]

    def count(self, test) -> int:
        return sum(1 for t in self.towns if test(t))

    @property
    def with_station(self) -> int:
        return self.count(lambda t: t.has_station)

    @property
    def with_supervisor(self) -> int:
        return self.count(lambda t: t.has_supervisor)

    @property
    def directors_complete(self) -> int:
        return self.count(lambda t: t.directors_complete)

    @property
    def villages(self) -> int:
        return sum(t.villages or 0 for t in self.towns)

    @property
    def directors(self) -> int:
        return sum(t.directors or 0 for t in self.towns)

    def without_station(self) -> list[Town]:
        return [t for t in self.towns if not t.has_station]


@dataclass
class Coverage:
    counties: list[County]
    problems: list[Error]  # expected gaps that are past their date or no longer gaps
    settings: Settings


def _counties(config_regions: list[str], regions: list[dict]) -> list[str]:
    if config_regions:
        return list(config_regions)
    return sorted({str(r["parent"]) for r in regions if r.get("level") == "乡级" and r.get("parent")})


def compute(records: dict[str, list[dict]], settings: Settings, config_regions: list[str],
            today: dt.date) -> Coverage:
    regions = records.get("regions", [])
    by_code = {str(r["id"]): r for r in regions}
    towns: dict[str, Town] = {}
    for r in sorted(regions, key=lambda r: str(r["id"])):
        if r.get("level") == "乡级":
            towns[str(r["id"])] = Town(str(r["id"]), str(r["name"]), r.get("town_type"), r.get("villages"))
    kinds = set(settings.station_kinds)
    for org in sorted(records.get("orgs", []), key=lambda o: str(o["id"])):
        town = towns.get(str(org.get("region")))
        if town is None:
            continue
        if org.get("kind") in kinds:
            town.stations.append(str(org["name"]))
        work = org.get("workforce") or {}
        if "child_supervisors" in work:
            town.supervisors = (town.supervisors or 0) + int(work["child_supervisors"])
        if "child_directors" in work:
            town.directors = (town.directors or 0) + int(work["child_directors"])
    problems: list[Error] = []
    for e in settings.expected:
        town = towns[e.region]  # settings loading checked that the town exists
        if e.until < today:
            problems.append(Error(settings.file, e.line, e.column, "", "coverage-expected-expired",
                                  f"{town.name}（{e.region}）“{e.missing}”的已知缺口预计 {e.until} 前解决，已经过期："
                                  "缺口已补上就删除这一项，否则请更新 until 和 reason。"))
            continue
        if e.missing not in town.gaps():
            problems.append(Error(settings.file, e.line, e.column, "", "coverage-expected-filled",
                                  f"{town.name}（{e.region}）已经有{e.missing}，不再是缺口：请删除这一项已知缺口。"))
            continue
        town.expected[e.missing] = e
    counties = []
    for code in _counties(config_regions, regions):
        name = str(by_code.get(code, {}).get("name", code))
        counties.append(County(code, name, [t for t in towns.values() if t.code[:6] == code]))
    return Coverage(counties, problems, settings)
