"""`weibao import <collection> FILE`: one record file per row, all or nothing.

Order of work, each step stopping the import when it finds a problem:
1. header rows only: a column that can hold an identity (姓名, 身份证号 …) refuses the file
   before any row is read; unknown sheets and headers are refused with suggestions;
2. every cell: the privacy guard, then conversion (cells.py) with Excel's changes recognised;
3. rows become records, rendered in the canonical form (weibao.fmt) and checked by
   weibao.validate.check_texts — the same per-file and cross-record checks as `weibao validate`,
   whose messages are shown at the cell they came from (个案!D17);
4. only when nothing was found: files are staged, then moved into place; if a move fails, the
   files already moved are put back, so the repository never holds half an import.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from weibao.check.conceal import conceal
from weibao.check.privacy import scan
from weibao.fmt.canonical import Emitter, Schemas
from weibao.load.lines import format_path
from weibao.load.yaml_strict import compose
from weibao.repo import RECORD_SUFFIX, Repository
from weibao.scaffold import kinds, random_part
from weibao.sheets import register
from weibao.sheets.cells import CellProblem, Empty, convert
from weibao.sheets.layout import Column, Layout, Sheet, layout
from weibao.sheets.read import Source, open_source
from weibao.sheets.settings import identifying_word, normalize_header, settings
from weibao.validate import check_texts

TEMPLATE_ONLY_SHEETS = {"填写说明", "_lists"}


@dataclass(frozen=True, order=True)
class Problem:
    where: str  # 个案!D17
    header: str
    rule: str
    message: str
    order: tuple = field(default=(), compare=False)

    def text(self) -> str:
        head = f"（{self.header}）" if self.header else ""
        return f"{self.where}{head}: {self.message} [{self.rule}]"


@dataclass
class Outcome:
    problems: list[Problem] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    rows: int = 0
    encoding: str = ""


@dataclass
class _Cell:
    sheet: str
    row: int  # 1-based
    col: int | None  # 0-based; None: the whole row
    header: str


@dataclass
class _Record:
    key: str
    cell: _Cell  # the key cell on the main sheet
    value: dict = field(default_factory=dict)
    cells: dict[str, _Cell] = field(default_factory=dict)  # record path → cell


def _set(record: dict, path: Sequence[str], value: object) -> None:
    for step in path[:-1]:
        record = record.setdefault(step, {})
    record[path[-1]] = value


class _Import:
    def __init__(self, repo: Repository, collection: str, path: Path, today: dt.date | None) -> None:
        if collection not in repo.schemas:
            raise_usage(f"没有名为“{collection}”的集合：可用的集合有 {'、'.join(repo.collections)}。")
        self.repo = repo
        self.collection = collection
        self.layout: Layout = layout(repo, collection)
        self.source: Source = open_source(path, self.layout.main.name)
        self.today = today
        self.out = Outcome(encoding=self.source.encoding)
        self.bad_cells: set[tuple[str, int, int | None]] = set()

    # -- problems ---------------------------------------------------------------------------
    def problem(self, cell: _Cell, rule: str, message: str) -> None:
        self.bad_cells.add((cell.sheet, cell.row, cell.col))
        where = self.source.where(cell.sheet, cell.row, cell.col)
        order = (cell.sheet, cell.row, -1 if cell.col is None else cell.col)
        self.out.problems.append(Problem(where, cell.header, rule, message, order))

    def secret(self, text: str) -> str:
        return conceal(text) if self.layout.program else text

    # -- 1. headers -------------------------------------------------------------------------
    def headers(self) -> dict[str, tuple[Sheet, dict[int, Column]]]:
        by_name = {s.name: s for s in self.layout.sheets}
        names = self.source.names
        heads = {n: self.source.header(n) for n in names}
        # a public collection's own fields (办公地址, 微信公众号 of an office) are not about a child
        own_headers = {normalize_header(c.header) for s in self.layout.sheets for c in s.columns}
        for name in names:
            for i, raw in enumerate(heads[name]):
                if not isinstance(raw, str) or not raw.strip():
                    continue
                word = identifying_word(raw)
                if word and (self.layout.program or normalize_header(raw) not in own_headers):
                    self.problem(
                        _Cell(name, 1, i, raw.strip()), "sheet-identifying-column",
                        f"表头“{raw.strip()}”是用来记录身份信息的列（含“{word}”）：去标识化的数据仓"
                        "不接收儿童或家人的姓名、身份证号、电话、住址、学校、出生日期。请删除这一整列"
                        "（只删表头不够）后再导入；这个文件没有被读取。",
                    )
        if self.out.problems:
            return {}
        found: dict[str, tuple[Sheet, dict[int, Column]]] = {}
        for name in names:
            sheet = by_name.get(name) or (self.layout.main if self.source.is_csv else None)
            if sheet is None:
                if name in TEMPLATE_ONLY_SHEETS or not any(
                    isinstance(h, str) and h.strip() for h in heads[name]
                ):
                    continue
                self.problem(
                    _Cell(name, 1, None, ""), "sheet-unknown",
                    f"不认识的工作表“{name}”：这个集合的工作表是 "
                    f"{'、'.join(s.name for s in self.layout.sheets)}。请改名，或把它移到另一个文件中。",
                )
                continue
            found[sheet.name] = (sheet, self.match(name, sheet, heads[name]))
        if self.layout.main.name not in found and not self.out.problems:
            self.problem(
                _Cell(self.layout.main.name, 1, None, ""), "sheet-missing",
                f"找不到工作表“{self.layout.main.name}”：请用 weibao template {self.collection} 生成的模板填写。",
            )
        return found

    def match(self, name: str, sheet: Sheet, head: list[object]) -> dict[int, Column]:
        columns = {normalize_header(c.header): c for c in sheet.columns}
        columns.update({c.field_name: c for c in sheet.columns if c.path})
        matched: dict[int, Column] = {}
        for i, raw in enumerate(head):
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue
            text = str(raw).strip()
            col = columns.get(normalize_header(text).rstrip("*")) or columns.get(text)
            if col is None:
                close = difflib.get_close_matches(text, [c.header for c in sheet.columns], n=1, cutoff=0.5)
                hint = f"您是不是要写“{close[0]}”？" if close else (
                    f"这张表的列有：{'、'.join(c.header for c in sheet.columns)}。")
                self.problem(_Cell(name, 1, i, text), "sheet-unknown-column",
                             f"不认识的列“{text}”：{hint}不需要的列请删除。")
                continue
            if col in matched.values():
                self.problem(_Cell(name, 1, i, text), "sheet-duplicate-column",
                             f"“{col.header}”列出现了两次：请删除其中一列。")
                continue
            matched[i] = col
        present = set(matched.values())
        for col in sheet.columns:
            if col.required and col not in present:
                self.problem(_Cell(name, 1, None, col.header), "sheet-missing-column",
                             f"缺少必填的“{col.header}”列：{col.description}")
        return matched

    # -- 2. cells ---------------------------------------------------------------------------
    def key_of(self, raw: object, cell: _Cell, seen: dict[str, _Cell] | None) -> str | None:
        s = settings()
        if isinstance(raw, float) and raw.is_integer():
            raw = str(int(raw))
        if not isinstance(raw, str) or not raw.strip():
            self.problem(cell, "sheet-key", f"“{cell.header}”不能为空：每一行都要有编号，"
                         "子表中的行用它对应到主表的记录。")
            return None
        key = raw.strip()
        if self.layout.program and (
            not s.key_pattern.match(key)
            or any(len(run) > s.key_max_digit_run for run in re.findall(r"[0-9]+", key))
        ):
            self.problem(cell, "sheet-key", f"台账编号“{self.secret(key)}”不合规定：只能用字母、数字和"
                         f"连字符（最多 20 个字符），连续数字不超过 {s.key_max_digit_run} 位，如 "
                         f"{s.key_example}。不能用姓名、身份证号、电话或出生日期作编号。")
            return None
        if seen is not None:
            if key in seen:
                first = seen[key]
                self.problem(cell, "sheet-key-duplicate",
                             f"“{cell.header}”{key} 与第 {first.row} 行重复：每条记录一行，编号不能重复。")
                return None
            seen[key] = cell
        return key

    def guard(self, raw: object, cell: _Cell, col: Column | None) -> bool:
        """The privacy guard on one cell; True when it is clean."""
        if raw is None:
            return True
        text = str(int(raw)) if isinstance(raw, float) and raw.is_integer() else str(raw)
        if not text.strip():
            return True
        allow = bool(col and col.contact and not self.layout.program)
        clean = True
        for finding in _scan_cell(text, allow, self.layout.program):
            self.problem(cell, f"privacy-{finding.kind}", finding.message)
            clean = False
        return clean

    # -- 3. rows → records ------------------------------------------------------------------
    def records(self, found: dict[str, tuple[Sheet, dict[int, Column]]]) -> list[_Record]:
        main, main_cols = found[self.layout.main.name]
        records: dict[str, _Record] = {}
        seen: dict[str, _Cell] = {}
        marker = settings().example_marker
        ordered = [(main, main_cols)] + [found[s.name] for s in self.layout.sheets[1:] if s.name in found]
        for sheet, cols in ordered:
            name = self.source.names[0] if self.source.is_csv else sheet.name
            key_index = next((i for i, c in cols.items() if c.key), None)
            if key_index is None:
                continue
            item_counts: dict[str, int] = {}
            for r, row in enumerate(self.source.rows(name)[1:], start=2):
                if not any(v is not None and str(v).strip() for v in row):
                    continue
                raw_key = row[key_index] if key_index < len(row) else None
                if isinstance(raw_key, str) and raw_key.strip() == marker:
                    self.out.examples.append(self.source.where(name, r, None))
                    continue
                key_cell = _Cell(name, r, key_index, cols[key_index].header)
                clean = self.guard(raw_key, key_cell, cols[key_index])
                key = self.key_of(raw_key, key_cell, seen if sheet is main else None) if clean else None
                if key is None:
                    continue
                if sheet is main:
                    self.out.rows += 1
                    rec = records[key] = _Record(key, key_cell)
                    for path, value in self.layout.fixed.items():
                        _set(rec.value, path, value)
                    base: tuple = ()
                    target = rec.value
                else:
                    parent = records.get(key)
                    if parent is None:
                        if key not in {k for k in seen}:
                            self.problem(key_cell, "sheet-key-orphan",
                                         f"“{self.layout.main.name}”表中没有编号为“{key}”的行：子表的"
                                         "每一行都要对应主表中的一条记录。")
                        continue
                    rec = parent
                    n = item_counts.get(key, 0)
                    item_counts[key] = n + 1
                    assert sheet.list_path is not None
                    holder = rec.value
                    for step in sheet.list_path[:-1]:
                        holder = holder.setdefault(step, {})
                    target = {}
                    holder.setdefault(sheet.list_path[-1], []).append(target)
                    base = (*sheet.list_path, n)
                    rec.cells[format_path(base)] = key_cell
                for i, col in cols.items():
                    if col.key:
                        if col.path and sheet is main:  # public collections: the key is the id
                            target["id"] = key
                            rec.cells["id"] = key_cell
                        continue
                    cell = _Cell(name, r, i, col.header)
                    rec.cells[format_path((*base, *col.path))] = cell
                    raw = row[i] if i < len(row) else None
                    if not self.guard(raw, cell, col):
                        continue
                    value = convert(raw, col)
                    if value is Empty:
                        continue
                    if isinstance(value, CellProblem):
                        message = value.message
                        if self.layout.program and raw is not None:
                            for shown in {str(raw), str(int(raw)) if isinstance(raw, float) and raw.is_integer() else ""} - {""}:
                                if len(shown) > 4:
                                    message = message.replace(shown, conceal(shown))
                        self.problem(cell, value.rule, message)
                        continue
                    _set(target, col.path, value)
        return list(records.values())

    # -- ids ----------------------------------------------------------------------------------
    def assign_ids(self, records: list[_Record]) -> dict[str, str]:
        """key → id, and the register entries to keep."""
        ids: dict[str, str] = {}
        if not self.layout.program:
            for rec in records:
                ids[rec.key] = rec.key
            return ids
        known = register.load(self.repo.root, self.collection)
        taken = self.repo.ids(self.collection) | set(known.values())
        prefix = kinds()[self.collection]["prefix"]
        for rec in records:
            fp = register.fingerprint(self.collection, rec.key)
            if fp in known:
                ids[rec.key] = known[fp]
                continue
            while True:
                candidate = prefix + random_part(10)
                if candidate not in taken:
                    break
            taken.add(candidate)
            ids[rec.key] = candidate
        return ids

    # -- 4. validation ----------------------------------------------------------------------
    def validate(self, records: list[_Record], ids: dict[str, str]) -> list[tuple[str, str]]:
        schemas = Schemas(self.repo.shared_schemas)
        emitter = Emitter(schemas)
        schema = self.repo.schemas[self.collection]
        items = []
        by_rel: dict[str, _Record] = {}
        texts: dict[str, str] = {}
        for rec in records:
            rec.value["id"] = ids[rec.key]
            if not self.layout.program:
                rec.value = {"id": rec.value.pop("id"), **rec.value}
            rel = f"records/{self.collection}/{ids[rec.key]}{RECORD_SUFFIX}"
            text = emitter.render(rec.value, schema)
            items.append((rel, text, self.collection))
            by_rel[rel] = rec
            texts[rel] = text
        for err in check_texts(self.repo, items, self.today):
            owner = by_rel.get(err.file)
            if owner is None:  # pragma: no cover - check_texts only reports the files it was given
                continue
            rec = owner
            path = err.path
            if not path and err.line:
                path = _path_at(texts[err.file], err.line, err.column)
            cell = self.cell_for(rec, path)
            if (cell.sheet, cell.row, cell.col) in self.bad_cells:
                continue  # the cell's own problem was reported; this is its consequence
            where = self.source.where(cell.sheet, cell.row, cell.col)
            order = (cell.sheet, cell.row, -1 if cell.col is None else cell.col)
            self.out.problems.append(Problem(where, cell.header, err.rule, err.message, order))
        return [(rel, text) for rel, text, _ in items]

    def cell_for(self, rec: _Record, path: str) -> _Cell:
        probe = path
        while probe:
            if probe in rec.cells:
                return rec.cells[probe]
            if probe.endswith("]"):
                probe = probe[: probe.rfind("[")]
            elif "." in probe:
                probe = probe[: probe.rfind(".")]
            else:
                break
            if probe in rec.cells:
                return rec.cells[probe]
        for sheet in self.layout.sheets[1:]:
            if sheet.list_path and format_path(sheet.list_path) == path:
                return _Cell(rec.cell.sheet, rec.cell.row, None, f"{sheet.name}表")
        return _Cell(rec.cell.sheet, rec.cell.row, None, "")

    # -- 5. writing ---------------------------------------------------------------------------
    def plan(self, rendered: list[tuple[str, str]]) -> list[tuple[Path, str]]:
        writes = []
        for rel, text in rendered:
            path = self.repo.root / rel
            if path.is_file():
                if path.read_text(encoding="utf-8") == text:
                    self.out.unchanged.append(rel)
                    continue
                self.out.updated.append(rel)
            else:
                self.out.created.append(rel)
            writes.append((path, text))
        return writes


@lru_cache(maxsize=100_000)
def _scan_cell(text: str, allow_contact: bool, strict: bool) -> tuple:
    """Ledgers repeat the same cells (terms, months, codes): each distinct one is scanned once."""
    return tuple(scan(text, allow_contact=allow_contact, strict_names=strict))


def raise_usage(message: str) -> None:
    from weibao.errors import UsageError

    raise UsageError(message)


def _path_at(text: str, line: int, column: int) -> str:
    """The record path of the scalar at a 1-based line and column (privacy findings in text)."""
    try:
        node = compose(text)
    except yaml.YAMLError:
        return ""
    best = ""

    def inside(n: yaml.Node) -> bool:
        s, e = n.start_mark, n.end_mark
        return (s.line, s.column) <= (line - 1, column - 1) <= (e.line, e.column)

    def walk(n: yaml.Node, path: tuple) -> None:
        nonlocal best
        if isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                if inside(v) or inside(k):
                    best = format_path((*path, k.value))
                    walk(v, (*path, k.value))
        elif isinstance(n, yaml.SequenceNode):
            for i, v in enumerate(n.value):
                if inside(v):
                    best = format_path((*path, i))
                    walk(v, (*path, i))

    if node is not None:
        walk(node, ())
    return best


def _write_all(writes: list[tuple[Path, str]], extra: list[tuple[Path, str]], staging_root: Path) -> None:
    """Stage every file, then move them into place; on failure restore what was there."""
    staging = Path(tempfile.mkdtemp(prefix=".weibao-import-", dir=staging_root))
    moved: list[tuple[Path, Path | None]] = []  # (target, backup or None if it was new)
    try:
        staged = []
        for n, (target, text) in enumerate([*writes, *extra]):
            tmp = staging / f"{n}.yaml"
            with tmp.open("w", encoding="utf-8", newline="\n") as out:
                out.write(text)
            staged.append((tmp, target))
        for n, (tmp, target) in enumerate(staged):
            target.parent.mkdir(parents=True, exist_ok=True)
            backup = None
            if target.exists():
                backup = staging / f"{n}.backup"
                shutil.copy2(target, backup)
            os.replace(tmp, target)
            moved.append((target, backup))
    except BaseException:
        for target, backup in reversed(moved):
            if backup is None:
                target.unlink(missing_ok=True)
            else:
                os.replace(backup, target)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def import_ledger(
    repo: Repository, collection: str, path: Path, dry_run: bool = False, today: dt.date | None = None
) -> Outcome:
    job = _Import(repo, collection, path, today)
    found = job.headers()
    if job.out.problems:
        return job.out
    records = job.records(found)
    if job.out.problems and not records:
        return job.out
    ids = job.assign_ids(records)
    rendered = job.validate(records, ids)
    # the validator may report one thing twice (an if/then rule and the property itself)
    job.out.problems = sorted(dict.fromkeys(job.out.problems), key=lambda p: p.order)
    if job.out.problems:
        return job.out
    if not records:
        return job.out
    writes = job.plan(rendered)
    if dry_run or not writes:
        return job.out
    extra = []
    if job.layout.program:
        entries = register.load(repo.root, collection)
        for rec in records:
            entries[register.fingerprint(collection, rec.key)] = ids[rec.key]
        extra.append((register.path_of(repo.root, collection), register.render(entries)))
    (repo.records_dir / collection).mkdir(parents=True, exist_ok=True)
    _write_all(writes, extra, repo.records_dir / collection)
    return job.out
