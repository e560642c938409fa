"""`weibao privacy-report`: case groups that could single a child out.

Cases are grouped by the quasi-identifiers of weibao.yaml (privacy.quasi_identifiers; `year` is
the year of `opened`). Two findings, counts only (never case ids):
- small groups: fewer than privacy.min_group_size members;
- class disclosure: every member shares one sensitive category (child_categories terms marked
  `sensitive: true`), so knowing a child is in the group reveals it, whatever the group's size.
It is a report for staff, not a check: it exits 0 whenever it ran.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TextIO

from weibao.errors import ConfigError
from weibao.repo import Repository
from weibao.validate import load_records

# derived quasi-identifiers: name → (Chinese label, value from a case)
_DERIVED = {"year": ("建档年份", lambda case: str(case.get("opened", ""))[:4])}


@dataclass
class Group:
    key: tuple[str, ...]
    size: int
    shared_sensitive: list[str] = field(default_factory=list)


@dataclass
class PrivacyReport:
    cases: int
    quasi_identifiers: list[str]
    labels: list[str]
    min_group_size: int
    groups: int
    small: list[Group]
    disclosure: list[Group]
    skipped_files: int = 0

    def as_dict(self) -> dict:
        def group(g: Group) -> dict:
            out: dict = {"key": dict(zip(self.quasi_identifiers, g.key, strict=True)), "size": g.size}
            if g.shared_sensitive:
                out["sensitive_categories"] = g.shared_sensitive
            return out

        return {
            "cases": self.cases,
            "quasi_identifiers": self.quasi_identifiers,
            "min_group_size": self.min_group_size,
            "groups": self.groups,
            "small_groups": [group(g) for g in self.small],
            "class_disclosure": [group(g) for g in self.disclosure],
            "skipped_files": self.skipped_files,
        }


def _getter(name: str, properties: dict):
    if name in _DERIVED:
        return _DERIVED[name]
    if name not in properties:
        known = "、".join([*properties, *_DERIVED])
        raise ConfigError(
            f"weibao.yaml: privacy.quasi_identifiers 中的“{name}”不是个案的字段：可用的有 {known}。"
        )

    def get(case: dict) -> str:
        value = case.get(name)
        if isinstance(value, list):
            return "、".join(sorted(str(v) for v in value))
        return "" if value is None else str(value)

    return properties[name].get("title", name), get


def sensitive_terms(vocabularies: list[dict], vocabulary: str = "child_categories") -> set[str]:
    """The categories marked sensitive (records hold canonical terms only: aliases are errors)."""
    return {
        t["term"]
        for record in vocabularies
        if record.get("id") == vocabulary
        for t in record.get("terms", [])
        if isinstance(t, dict) and t.get("sensitive") is True
    }


def _riskiest_first(g: Group) -> tuple:
    return (g.size, g.key)


def analyse(
    cases: list[dict],
    quasi_identifiers: list[str],
    min_group_size: int,
    sensitive: set[str],
    properties: dict,
) -> PrivacyReport:
    """Group cases and find the small groups and the class disclosures."""
    getters = [_getter(q, properties) for q in quasi_identifiers]
    members: dict[tuple[str, ...], list[set[str]]] = defaultdict(list)
    for case in cases:
        key = tuple(get(case) for _, get in getters)
        cats = set(case.get("categories") or []) & sensitive
        members[key].append(cats)
    small, disclosure = [], []
    for key in sorted(members):
        sets = members[key]
        shared = sorted(set.intersection(*sets))
        if len(sets) < min_group_size:
            small.append(Group(key, len(sets), shared))
        if shared:
            disclosure.append(Group(key, len(sets), shared))
    return PrivacyReport(
        cases=len(cases),
        quasi_identifiers=list(quasi_identifiers),
        labels=[label for label, _ in getters],
        min_group_size=min_group_size,
        groups=len(members),
        small=sorted(small, key=_riskiest_first),
        disclosure=sorted(disclosure, key=_riskiest_first),
    )


def _key_text(report: PrivacyReport, group: Group, names: dict[str, str]) -> str:
    parts = []
    for q, label, value in zip(report.quasi_identifiers, report.labels, group.key, strict=True):
        shown = value or "（空）"
        if q == "region" and value in names:
            shown = f"{value} {names[value]}"
        parts.append(f"{label} {shown}")
    return "，".join(parts)


def render_text(report: PrivacyReport, out: TextIO, region_names: dict[str, str]) -> None:
    labels = "、".join(report.labels)
    k = report.min_group_size
    out.write(
        f"准标识符报告：共 {report.cases} 个个案，按 {labels} 分为 {report.groups} 组；"
        f"最小组规模 {k}（weibao.yaml 的 privacy.min_group_size）。\n"
    )
    if report.skipped_files:
        out.write(
            f"注意：{report.skipped_files} 个个案文件未通过校验，未计入本报告；请先运行 weibao validate 并修正。\n"
        )
    n_small = sum(g.size for g in report.small)
    out.write(f"\n一、人数少于 {k} 的分组：{len(report.small)} 组，共 {n_small} 个个案。\n")
    for g in report.small:
        out.write(f"  {_key_text(report, g, region_names)}：{g.size} 个\n")
    n_disc = sum(g.size for g in report.disclosure)
    out.write(f"\n二、所有成员同属一个敏感类别的分组：{len(report.disclosure)} 组，共 {n_disc} 个个案。\n")
    for g in report.disclosure:
        cats = "、".join(g.shared_sensitive)
        out.write(f"  {_key_text(report, g, region_names)}：{g.size} 个，均为{cats}\n")
    if report.small or report.disclosure:
        out.write(
            "\n这些分组中的儿童可能被认出：发布统计时须抑制相应的格，"
            "必要时合并年龄段或地区后再公开。\n"
        )
    else:
        out.write("\n没有发现过小的分组或类别泄露。\n")


def _region_names(records: dict[str, list[dict]]) -> dict[str, str]:
    return {str(r.get("id")): str(r.get("name", "")) for r in records.get("regions", [])}


def run(repo: Repository, args: argparse.Namespace) -> int:
    privacy = repo.config.privacy
    properties = repo.schemas.get("cases", {}).get("properties", {})
    # fail on a bad setting before the (long) validation pass
    for q in privacy.quasi_identifiers:
        _getter(q, properties)
    result, records = load_records(repo)
    report = analyse(
        records.get("cases", []),
        list(privacy.quasi_identifiers),
        privacy.min_group_size,
        sensitive_terms(records.get("vocabularies", [])),
        properties,
    )
    report.skipped_files = len({e.file for e in result.errors if e.file.startswith("records/cases/")})
    if getattr(args, "format", "text") == "json":
        json.dump(report.as_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        render_text(report, sys.stdout, _region_names(records))
    return 0
