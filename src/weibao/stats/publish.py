"""`weibao stats --out DIR` and the site's statistics section: compute, protect, audit, freeze, write.

Nothing is written unless every published table passes the audit.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from weibao.repo import Repository
from weibao.stats import StatsError
from weibao.stats.aggregate import Aggregator, Unit, Vocab
from weibao.stats.audit import Audit
from weibao.stats.definitions import Definitions, TableDef, load_definitions, repository_errors
from weibao.stats.downloads import commit_of, payload, write_csv, write_datapackage, write_json
from weibao.stats.freeze import (
    differences,
    frozen_periods,
    read_ledger,
    read_snapshot,
    snapshot_path,
    table_from_snapshot,
    write_ledger,
)
from weibao.stats.joint import JointSpace, populations
from weibao.stats.model import TOTAL, Table
from weibao.stats.pages import group_page, index_page, methodology_page, reported_section
from weibao.stats.periods import Period
from weibao.stats.rules import Rules
from weibao.stats.suppress import primary, protect

PROGRAM = ("cases", "clues", "activities")


@dataclass
class Entry:
    """One published table of one period."""

    tdef: TableDef
    period: Period
    table: Table
    frozen: bool
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Outcome:
    defs: Definitions
    agg: Aggregator
    entries: list[Entry]
    warnings: list[str]
    commit: str
    today: dt.date
    unfrozen: list[str] = field(default_factory=list)  # closed periods left out (frozen_only)
    # population → (keys of the records its closed periods count, whether a period is new)
    ledgers: dict[str, tuple[set[str], bool]] = field(default_factory=dict)


def _describe(agg: Aggregator, period_labels: dict[tuple[str, str], str]):
    def describe(table: Table, key: tuple[str | None, str | None]) -> str:
        labels: defaultdict[str, dict] = defaultdict(dict)
        for dim, v in ((table.row_dim, key[0]), (table.col_dim, key[1])):
            if dim and v is not TOTAL:
                labels[dim][v] = agg.label(dim, v)
        when = period_labels.get((table.tid, table.period), table.period)
        return f"统计表“{table.title}”（{table.tid}）{when}的“{table.name(key, labels)}”格"

    return describe


def compute(repo: Repository, records: dict[str, list[dict]], today: dt.date,
            frozen_only: bool = False) -> Outcome:
    """Every publishable table, suppressed and audited; StatsError if any cannot be protected.

    frozen_only (the site build): only the frozen snapshots, which `weibao stats` audited with
    everything published before them when it froze them; closed periods not yet frozen are
    listed in `unfrozen` but not computed, so a build never pays for the audit.
    """
    cfg = repo.config.statistics
    defs = load_definitions(repo.root / cfg.tables, cfg.tables, Rules.of(repo))
    threshold, lag = cfg.threshold, cfg.lag_days
    agg = Aggregator(defs, records, threshold, Vocab.from_records(records))
    warnings: list[str] = []
    entries: list[Entry] = []
    labels: dict[tuple[str, str], str] = {}
    describe = _describe(agg, labels)
    unfrozen: list[str] = []
    ledgers: dict[str, tuple[set[str], bool]] = {}
    for tdefs in populations(defs.tables):
        units_of = {t.family: agg.units(t.family) for t in tdefs}
        snapshots: dict[tuple[str, str], dict] = {}
        periods: dict[str, list[Period]] = {}
        frozen_values: dict[str, set[str]] = defaultdict(set)
        for t in tdefs:
            files = frozen_periods(repo.root, t.id)
            for key, path in files.items():
                data = read_snapshot(path, repo.rel(path))
                snapshots[(t.id, key)] = data
                for axis in ("rows", "columns"):
                    if data.get(axis):
                        frozen_values[data[axis]["dimension"]].update(data[axis]["keys"])
            periods[t.id] = agg.closed_periods(t, units_of[t.family], today, lag, set(files))
        every_unit = [u for us in units_of.values() for u in us]
        ledger_name = _ledger_name(tdefs)
        frozen_last = [p.last for t in tdefs for p in periods[t.id] if (t.id, p.key) in snapshots]
        counted = read_ledger(repo.root, ledger_name)
        if counted is not None and frozen_last:
            horizon = max(frozen_last)
            first = _next_month(horizon)
            for u in every_unit:
                if u.key not in counted:
                    u.count_from(first, horizon)
        domains = agg.domains(tdefs, every_unit, periods, frozen_values)
        members: list[tuple[TableDef, Table]] = []
        pop_entries: list[Entry] = []
        for t in tdefs:
            for p in periods[t.id]:
                labels[(t.id, p.key)] = p.label
                snap = snapshots.get((t.id, p.key))
                if frozen_only and snap is None:
                    unfrozen.append(f"{t.id}/{p.key}")
                    continue
                raw = agg.compute(t, p, units_of[t.family], domains)
                if snap is not None:
                    table = table_from_snapshot(snap, raw)
                    changed = differences(table, raw)
                    if changed:
                        names = "、".join(f"“{table.name(k, _labels(agg, table, k))}”" for k in changed[:10])
                        warnings.append(
                            f"{repo.rel(snapshot_path(repo.root, t.id, p.key))}: 统计表“{t.title}”{p.label}已冻结，"
                            f"但按现有记录重新计算后 {names} 格与已公布的数字不同（共 {len(changed)} 格）。"
                            "网站仍公布冻结的数字；如确需更正，删除该冻结文件，重新运行 weibao stats 并提交。"
                        )
                else:
                    table = raw
                    primary(table)
                table.loose = t.measure.kind == "median" and not _required(repo, t, t.measure.field)
                members.append((t, table))
                pop_entries.append(Entry(t, p, table, snap is not None, snap or {}))
        if not members:
            continue
        if not frozen_only:
            horizon = max(e.period.last for e in pop_entries)
            ledgers[ledger_name] = ({u.key for u in every_unit if (at := u.month or u.start) and at <= horizon},
                                    any(not e.frozen for e in pop_entries))
        if frozen_only:
            entries += pop_entries
            continue
        def is_list(base: str, units: list[Unit] = every_unit) -> bool:
            return agg.is_list(base, units)

        space = JointSpace(defs, members, domains, is_list)
        audit = Audit(space, [tb for _, tb in members], defs.sum_relative_range)
        # protect() returns only once every withheld cell passes (withholding more only widens
        # ranges, and a cell published again is re-audited first); tests/attacker.py checks it
        # independently
        protect(audit, describe)
        entries += pop_entries
    commit = commit_of(repo.root)
    for e in entries:
        if not e.frozen:
            e.data = payload(defs, e.tdef, e.period, e.table, agg.label, commit, "")
    order = {t.id: i for i, t in enumerate(defs.tables)}
    entries.sort(key=lambda e: (order[e.tdef.id], e.period.months), reverse=False)
    return Outcome(defs, agg, entries, warnings, commit, today, sorted(unfrozen), ledgers)


def _ledger_name(tdefs: list[TableDef]) -> str:
    """cases.opened, cases.services.month, clues.received: collection, list, first time field."""
    t = next((t for t in tdefs if t.span), tdefs[0])
    return ".".join(p for p in (t.collection, t.each, t.when[0]) if p)


def _next_month(month: str) -> str:
    y, m = int(month[:4]), int(month[5:7])
    return f"{y + (m == 12):04d}-{m % 12 + 1:02d}"


def _required(repo: Repository, tdef: TableDef, name: str | None) -> bool:
    """Whether the schema makes every counted record (or list item) carry this field."""
    schema = repo.schemas.get(tdef.collection, {})
    if tdef.each:
        schema = schema.get("properties", {}).get(tdef.each, {}).get("items", {})
    return name in schema.get("required", [])


def _labels(agg: Aggregator, table: Table, key) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for dim, v in ((table.row_dim, key[0]), (table.col_dim, key[1])):
        if dim and v is not TOTAL:
            out[dim][v] = agg.label(dim, v)
    return out


def freeze_new(repo: Repository, outcome: Outcome) -> list[Path]:
    """Write snapshots for periods published for the first time; returns the files written."""
    written = []
    for e in outcome.entries:
        if e.frozen:
            continue
        path = snapshot_path(repo.root, e.tdef.id, e.period.key)
        data = dict(e.data, frozen_on=outcome.today.isoformat())
        write_json(path, data)
        e.data, e.frozen = data, True
        written.append(path)
    for name, (keys, new) in sorted(outcome.ledgers.items()):
        if new:  # the records the frozen periods now count, for late entries to be told apart
            written.append(write_ledger(repo.root, name, keys))
    return written


@dataclass(frozen=True)
class PublishedTable:
    """One table of one period as published: the suppressed payload, nothing else."""

    tdef: TableDef
    period: Period
    data: dict[str, Any]
    frozen: bool


@dataclass(frozen=True)
class Published:
    """What the site may show of the statistics: suppressed, audited payloads and the words
    around them. Built from an Outcome by published(); holds no record and no raw count, so a
    page generator given this cannot reach program records."""

    defs: Definitions
    tables: tuple[PublishedTable, ...]
    commit: str
    synthetic: bool
    sensitive: tuple[str, ...]


def published(outcome: Outcome, records: dict[str, list[dict]]) -> Published:
    synthetic = any(r.get("synthetic") for c in PROGRAM for r in records.get(c, []))
    return Published(
        outcome.defs,
        tuple(PublishedTable(e.tdef, e.period, e.data, e.frozen) for e in outcome.entries),
        outcome.commit,
        synthetic,
        tuple(_sensitive_terms(outcome.defs, outcome.agg)),
    )


def write_section(out: Path, stats: Published, public: Mapping[str, list[dict]], repo: Repository) -> int:
    """Pages, charts and downloads under out/; returns the number of tables written.
    public: the public records (indicators, sources, regions) — never program records."""
    defs = stats.defs
    cfg = repo.config.statistics
    threshold = cfg.threshold
    by_table: dict[str, list[PublishedTable]] = defaultdict(list)
    for e in stats.tables:
        by_table[e.tdef.id].append(e)
    groups = []
    for g in defs.groups:
        page_entries = []
        for t in (t for t in defs.tables if t.group == g.id):
            periods = []
            for i, e in enumerate(sorted(by_table.get(t.id, []), key=lambda e: e.period.months, reverse=True)):
                base = f"downloads/{t.id}/{e.period.key}"
                write_json(out / f"{base}.json", e.data)
                write_csv(out / f"{base}.csv", e.data)
                item: dict[str, Any] = {"data": e.data, "csv": f"{base}.csv", "json": f"{base}.json", "frozen": e.frozen}
                if i == 0 and t.chart:
                    item["chart"] = True
                periods.append(item)
            page_entries.append({"def": t, "periods": periods})
        (out / f"{g.id}.md").write_text(group_page(g, page_entries, threshold, defs.sensitive_threshold), encoding="utf-8")
        groups.append((g, len(page_entries)))
    write_datapackage(repo, out / "downloads", stats.commit)  # Frictionless descriptor
    (out / "methodology.md").write_text(
        methodology_page(defs, threshold, cfg.lag_days, cfg.tables, list(stats.sensitive), stats.synthetic),
        encoding="utf-8")
    sources = {str(s.get("id")): s for s in public.get("sources", [])}
    regions = {str(r.get("id")): str(r.get("name")) for r in public.get("regions", [])}
    reported = reported_section(public.get("indicators", []), sources, regions)
    latest = max((e.period for e in stats.tables), key=lambda p: (p.last, p.grain != "year"), default=None)
    (out / "index.md").write_text(
        index_page(defs, groups, threshold, cfg.lag_days, latest.label if latest else "", stats.synthetic,
                   reported, stats.commit), encoding="utf-8")
    return len(stats.tables)


def _sensitive_terms(defs: Definitions, agg: Aggregator) -> list[str]:
    out: list[str] = []
    used = dict.fromkeys(d for t in defs.tables for d in t.dims)  # tables.yaml order: same page every build
    for name in used:
        dim = defs.dims[name]
        out += list(dim.sensitive)
        out += sorted(agg.vocab.sensitive.get(dim.vocabulary or "", set()))
    return list(dict.fromkeys(out))


def run(repo: Repository, args: argparse.Namespace) -> int:
    """`weibao stats --out DIR`: freeze newly closed periods, write pages, charts and downloads."""
    from weibao.report import report_text
    from weibao.validate import load_records

    today = getattr(args, "today", None) or repo.today()
    # records are checked against the real date; --today only pins which periods have closed
    result, records = load_records(repo)
    present, errors = repository_errors(repo)  # reported with the records', located the same way
    result.checked += present
    result.errors += errors
    if not result.ok:
        report_text(result, sys.stderr)
        print("weibao stats: 记录有错误或统计表定义有误，先修正它们再计算统计（不完整的记录会让数字不准）。",
              file=sys.stderr)
        return 1
    try:
        outcome = compute(repo, records, today)
    except StatsError as err:
        print(f"weibao stats: {err}", file=sys.stderr)
        return 1
    for w in outcome.warnings:
        print(f"警告：{w}", file=sys.stderr)
    written = freeze_new(repo, outcome)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    n = write_section(out, published(outcome, records), public_part(repo, records), repo)
    print(f"已写出 {n} 张统计表（含下载和图表）到 {out}，全部通过审计。")
    if written:
        periods = sum(p.suffix == ".json" for p in written)
        print(f"新冻结 {periods} 个时期，请提交这些文件（_counted/ 中是这些时期计入的记录编号，不上网站）：")
        for p in written:
            print(f"  {repo.rel(p)}")
    return 0


def public_part(repo: Repository, records: dict[str, list[dict]]) -> dict[str, list[dict]]:
    return {c: rs for c, rs in records.items() if not repo.is_program(c)}


def site_tables(repo: Repository, records_by_collection: dict[str, list[dict]],
                extras: dict) -> Published | None:
    """The statistics the site may publish: frozen periods only; None when the repository
    has no statistics. The only place the site build hands program records to.

    A closed period reaches the site only once `weibao stats` has frozen it and the snapshot is
    committed: a build never publishes figures that a later build could change (two builds
    differenced would reveal a late case). Nothing is frozen here. extras["today"] (a date) pins
    the date. Raises StatsError (a data problem: the build must fail) when the audit does not pass.
    """
    tables = repo.root / repo.config.statistics.tables
    programs = [c for c in repo.collections if repo.is_program(c)]
    if not tables.is_file() and not any(records_by_collection.get(c) for c in programs):
        return None  # a repository without program records publishes no statistics section
    today = extras.get("today") or repo.today()
    outcome = compute(repo, records_by_collection, today, frozen_only=True)
    if outcome.warnings:
        # a build log may be public: say only that something changed; `weibao stats` names the cells for staff
        print(f"警告：{len(outcome.warnings)} 个已冻结的时期与现有记录不一致，网站仍公布冻结的数字。"
              "工作人员请运行 weibao stats 查看详情。", file=sys.stderr)
    unfrozen = outcome.unfrozen
    if unfrozen:
        print(f"提示：{len(unfrozen)} 个已结束的时期尚未冻结，网站暂不公布它们（如 {unfrozen[0]}）："
              "请运行 weibao stats 并提交 statistics/frozen/ 中新写出的文件。", file=sys.stderr)
    outcome.entries = [e for e in outcome.entries if e.frozen]
    return published(outcome, records_by_collection)


def contribute_section(repo: Repository, stats: Published, public: Mapping[str, list[dict]],
                       docs_dir: Path, extras: dict) -> None:
    """The site's statistics section under docs_dir/statistics/."""
    out = docs_dir / "statistics"
    out.mkdir(parents=True, exist_ok=True)
    write_section(out, stats, public, repo)
    extras.setdefault("nav", []).append({"统计": "statistics/index.md"})


def contribute(repo: Repository, records_by_collection: dict[str, list[dict]], docs_dir: Path,
               extras: dict) -> None:
    """site_tables then contribute_section: compute from all records, publish only the tables."""
    stats = site_tables(repo, records_by_collection, extras)
    if stats is not None:
        contribute_section(repo, stats, public_part(repo, records_by_collection), docs_dir, extras)
