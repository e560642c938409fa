"""The validation pipeline: files → strict loading → schema, privacy and cross-record checks → Result.

Per-file work (parse, schema, privacy) runs in worker processes on every core; workers send back
only errors and the small Facts the cross-record checks need. Record ids come from file names, so
checking one changed record against a 100,000-record repository needs no parsing of the others.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from weibao.check.annotations import Annotated, annotated_locations, values_at
from weibao.check.dates import date_errors
from weibao.check.guard import scan_program_text, scan_public_record
from weibao.check.invisible import invisible_errors
from weibao.check.placeholders import placeholder_errors
from weibao.check.refs import CrossChecker, Facts
from weibao.check.schema import SchemaChecker
from weibao.errors import UsageError
from weibao.load import Loaded, load_file, load_text
from weibao.load.lines import format_path, locate
from weibao.repo import RECORD_SUFFIX, Refused, Repository, classify, refuse
from weibao.result import Error, Result

# below this many files a process pool costs more than it saves
PARALLEL_MIN_FILES = 400
CHUNK = 250


@dataclass(frozen=True)
class Spec:
    """What the per-file checks depend on, read from the repository once per run; picklable, so
    it is handed to each worker explicitly (no module state that could outlive weibao.yaml)."""

    root: Path
    schemas: dict[str, dict]
    shared: dict[str, dict]
    programs: frozenset[str]
    max_bytes: int
    today: str


def spec_of(repo: Repository, today: str) -> Spec:
    return Spec(
        root=repo.root,
        schemas=repo.schemas,
        shared=repo.shared_schemas,
        programs=frozenset(c for c in repo.schemas if repo.is_program(c)),
        max_bytes=repo.config.validation.max_file_bytes,
        today=today,
    )


@dataclass
class _Context:
    """A Spec with its compiled parts: built once per run (and once per worker process)."""

    root: Path
    schemas: dict[str, dict]
    programs: frozenset[str]
    checker: SchemaChecker
    notes: dict[str, list[Annotated]]
    known_keys: frozenset[str]
    max_bytes: int
    today: str


def build_context(spec: Spec) -> _Context:
    keys: set[str] = set()
    for schema in spec.shared.values():
        _collect_keys(schema, keys)
    return _Context(
        root=spec.root,
        schemas=spec.schemas,
        programs=spec.programs,
        checker=SchemaChecker(spec.schemas, spec.shared),
        notes={c: annotated_locations(s, spec.shared) for c, s in spec.schemas.items()},
        known_keys=frozenset(keys),
        max_bytes=spec.max_bytes,
        today=spec.today,
    )


# the context of this worker process, set by the pool's initializer (a worker lives for one run)
_WORKER: dict[str, _Context] = {}


def _start_worker(spec: Spec) -> None:
    _WORKER["context"] = build_context(spec)


def _collect_keys(node: object, keys: set[str]) -> None:
    if isinstance(node, dict):
        keys.update(node.get("properties", {}) if isinstance(node.get("properties"), dict) else ())
        for v in node.values():
            _collect_keys(v, keys)
    elif isinstance(node, list):
        for v in node:
            _collect_keys(v, keys)


_EXTRA = {
    "policies": ("status", "supersedes", "amends"),
    "indicators": ("value", "quote"),
    "regions": ("id", "parent", "name", "level", "town_type", "villages", "code_year"),
    "vocabularies": ("terms",),
}


def check_file(ctx: _Context, path: Path, collection: str) -> tuple[list[Error], Facts | None, dict | None]:
    """Errors of one file, the facts for cross-record checks, and the record itself."""
    rel = path.relative_to(ctx.root).as_posix()
    loaded = load_file(path, rel, ctx.max_bytes, ctx.known_keys)
    return check_loaded(ctx, loaded, collection, path.name)


def check_loaded(
    ctx: _Context, loaded: Loaded, collection: str, name: str
) -> tuple[list[Error], Facts | None, dict | None]:
    """check_file after reading: also used for records not yet on disk (spreadsheet import)."""
    rel = loaded.file
    errors = list(loaded.errors)
    record = loaded.value
    if loaded.text is not None:
        errors += invisible_errors(rel, loaded.text)
        if collection in ctx.programs:
            errors += scan_program_text(rel, loaded.text)
    if record is None:
        return errors, None, None
    # a value the loader already reported (alias, 1.1 trap) would only repeat as a schema error
    reported = {e.path for e in loaded.errors}
    errors += [
        e for e in ctx.checker.check(
            collection, record, rel, loaded.text or "", secret=collection in ctx.programs
        )
        if e.path not in reported
    ]
    notes = ctx.notes[collection]
    if collection not in ctx.programs:
        contact = [n.path for n in notes if n.key == "x-contact"]
        errors += scan_public_record(rel, loaded.text or "", record, contact)
    errors += date_errors(rel, loaded.text or "", record, notes, ctx.today)
    errors += placeholder_errors(rel, loaded.text or "", record, collection)
    annotated = [
        (concrete, n.key, n.value, value)
        for n in notes
        if n.key in ("x-ref", "x-vocabulary")
        for concrete, value in values_at(record, n.path)
        if not (isinstance(value, str) and value in n.unless)
        and not _within(format_path(concrete), reported)
    ]
    extra = {k: record.get(k) for k in _EXTRA.get(collection, ())}
    stem = name[: -len(RECORD_SUFFIX)] if name.endswith(RECORD_SUFFIX) else Path(name).stem
    facts = Facts(collection, rel, stem, record.get("id"), annotated, extra)
    return errors, facts, record


def _within(path: str, reported: set[str]) -> bool:
    """path is a value the loader already reported, or inside one (services → services[0])."""
    return any(r and (path == r or path.startswith((f"{r}[", f"{r}."))) for r in reported)


def _check_chunk(
    ctx: _Context, items: list[tuple[str, str]], keep: bool
) -> tuple[list[Error], list[Facts], list]:
    errors: list[Error] = []
    facts: list[Facts] = []
    records: list = []
    for file, collection in items:
        errs, fact, record = check_file(ctx, Path(file), collection)
        errors += errs
        if fact is not None:
            facts.append(fact)
            if keep and not errs:
                records.append((collection, record))
    return errors, facts, records


def _workers(repo: Repository, n_files: int) -> int:
    if n_files < PARALLEL_MIN_FILES:
        return 1
    configured = repo.config.validation.workers
    return configured or os.cpu_count() or 1


def _worker_chunk(args: tuple[list[tuple[str, str]], bool]) -> tuple[list[Error], list[Facts], list]:
    return _check_chunk(_WORKER["context"], *args)


class Checks:
    """Per-file checks for one run: the context is compiled at most once in this process."""

    def __init__(self, repo: Repository, today: str) -> None:
        self.repo = repo
        self.spec = spec_of(repo, today)
        self._context: _Context | None = None

    def context(self) -> _Context:
        if self._context is None:
            self._context = build_context(self.spec)
        return self._context

    def run(
        self, items: list[tuple[Path, str]], keep: bool = False
    ) -> tuple[list[Error], list[Facts], list]:
        """Per-file checks over items [(path, collection)], in parallel when there are many."""
        chunks = [
            ([(str(p), c) for p, c in items[i : i + CHUNK]], keep)
            for i in range(0, len(items), CHUNK)
        ]
        errors: list[Error] = []
        facts: list[Facts] = []
        records: list = []
        workers = _workers(self.repo, len(items))
        if workers == 1:
            results: Iterable = (_check_chunk(self.context(), *chunk) for chunk in chunks)
        else:
            pool = ProcessPoolExecutor(max_workers=workers, initializer=_start_worker,
                                       initargs=(self.spec,))
            with pool:
                results = list(pool.map(_worker_chunk, chunks))
        for e, f, r in results:
            errors += e
            facts += f
            records += r
        return errors, facts, records


def _refused(repo: Repository, refused: list[Refused]) -> list[Error]:
    return [Error(repo.rel_unresolved(r.path), 0, 0, "", r.rule, r.message) for r in refused]


def _layout_errors(repo: Repository) -> tuple[list[Error], list[tuple[Path, str]]]:
    """Every record file, plus an error for every other entry under records/: nothing there is
    skipped in silence (hidden files, sub-folders, links, other kinds of file)."""
    errors = []
    items = []
    if repo.records_dir.is_symlink() or not repo.records_dir.is_dir():
        raise UsageError(f"{repo.root} 中没有 records/ 目录（或它是符号链接）。")
    with os.scandir(repo.records_dir) as entries:
        top = sorted(entries, key=lambda e: e.name)
    for entry in top:
        rel = f"records/{entry.name}"
        rule = classify(entry)
        if rule in ("file-symlink", "file-hidden", "file-special"):
            errors += _refused(repo, [refuse(Path(entry.path), rule)])
        elif rule is None:
            errors.append(Error(rel, 0, 0, "", "layout",
                                "records/ 下只能有集合文件夹：请把记录放进 records/<集合>/ 中。"))
        elif entry.name not in repo.schemas:
            errors.append(Error(rel, 0, 0, "", "layout",
                                f"没有名为“{entry.name}”的集合（schemas/{entry.name}.schema.json 不存在）："
                                f"可用的集合有 {'、'.join(repo.collections)}。"))
        else:
            files, refused = repo.survey(entry.name)
            items += [(path, entry.name) for path in files]
            errors += _refused(repo, refused)
    return errors, items


def _select(repo: Repository, paths: Sequence[Path]) -> tuple[list[Error], list[tuple[Path, str]]]:
    """The files named on the command line (folders walked without following links)."""
    errors: list[Error] = []
    items = []
    for raw in paths:
        path = raw if raw.is_absolute() else Path.cwd() / raw
        if not path.exists() and not path.is_symlink():
            raise UsageError(f"{raw}: 文件或目录不存在。")
        if path.is_symlink():
            errors += _refused(repo, [refuse(path, "file-symlink")])
            continue
        if path.is_dir():
            files = []
            for folder, dirs, names in os.walk(path):
                for d in [d for d in dirs if os.path.islink(os.path.join(folder, d))]:
                    errors += _refused(repo, [refuse(Path(folder, d), "file-symlink")])
                    dirs.remove(d)
                for name in names:
                    file = Path(folder, name)
                    if file.is_symlink():
                        errors += _refused(repo, [refuse(file, "file-symlink")])
                    else:
                        files.append(file)
        else:
            files = [path]
        for file in sorted(files):
            collection = repo.collection_of(file)
            if collection is None:
                raise UsageError(f"{raw}: 不在 records/<集合>/ 中，不是记录文件。")
            items.append((file.resolve(), collection))
    return errors, items


def _vocabularies(records: list) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for collection, record in records:
        if collection != "vocabularies":
            continue
        terms: dict[str, str] = {}
        for t in record.get("terms", []):
            if not isinstance(t, dict) or not isinstance(t.get("term"), str):
                continue
            terms[t["term"]] = t["term"]
            # a wrong type here is the schema check's to report; take what can be used
            aliases = t.get("aliases")
            for alias in aliases if isinstance(aliases, list) else []:
                if isinstance(alias, str):
                    terms.setdefault(alias, t["term"])
        out[str(record["id"])] = terms
    return out


def _run(
    repo: Repository, paths: Sequence[Path], today: dt.date | None, keep: bool
) -> tuple[Result, list]:
    today_s = (today or repo.today()).isoformat()
    if paths:
        layout, items = _select(repo, paths)
    else:
        layout, items = _layout_errors(repo)
    checks = Checks(repo, today_s)
    errors, facts, records = checks.run(items, keep)
    errors += _cross_check(repo, checks, facts, {str(p) for p, _ in items}, {})
    return Result(checked=len(items), errors=layout + errors), records


def _cross_check(
    repo: Repository, checks: Checks, facts: list[Facts], checked: set[str], texts: dict[str, str],
    new_ids: dict[str, set[str]] | None = None,
) -> list[Error]:
    """Cross-record checks of facts; texts holds records not on disk yet (rel → text)."""
    # what every cross check needs, whatever subset was checked: vocabularies and policies
    context_items = [
        (p, c)
        for c in ("vocabularies", "policies")
        for p in repo.record_files(c)
        if str(p) not in checked
    ]
    _, context_facts, _ = checks.run(context_items)
    every = [*facts, *context_facts]
    vocab_records = [
        ("vocabularies", {"id": f.id, "terms": f.extra.get("terms") or []})
        for f in every
        if f.collection == "vocabularies" and isinstance(f.extra.get("terms"), list)
    ]
    ids = {c: repo.ids(c) | (new_ids or {}).get(c, set()) for c in repo.collections}

    def locate_in(file: str, path: tuple) -> tuple[int, int]:
        if file not in texts:
            texts[file] = (repo.root / file).read_text(encoding="utf-8-sig")
        return locate(texts[file], path)

    policies = [f for f in every if f.collection == "policies"]
    programs = frozenset(c for c in repo.collections if repo.is_program(c))
    cross = CrossChecker(ids, _vocabularies(vocab_records), locate_in, programs)
    return cross.run(facts, policies)


def _check_text_chunk(ctx: _Context, items: list[tuple[str, str, str]]) -> tuple[list[Error], list[Facts]]:
    errors: list[Error] = []
    facts: list[Facts] = []
    for rel, text, collection in items:
        name = rel.rsplit("/", 1)[-1]
        errs, fact, _ = check_loaded(ctx, load_text(rel, text, ctx.known_keys), collection, name)
        errors += errs
        if fact is not None:
            facts.append(fact)
    return errors, facts


def _worker_text_chunk(items: list[tuple[str, str, str]]) -> tuple[list[Error], list[Facts]]:
    return _check_text_chunk(_WORKER["context"], items)


def check_texts(
    repo: Repository, items: list[tuple[str, str, str]], today: dt.date | None = None
) -> list[Error]:
    """The whole validation of records that are not written yet: [(rel, text, collection)].

    Same per-file and cross-record checks as `weibao validate`; the new records count as
    existing for references and ids. Nothing is read from or written to their paths.
    """
    checks = Checks(repo, (today or repo.today()).isoformat())
    errors: list[Error] = []
    facts: list[Facts] = []
    new_ids: dict[str, set[str]] = {}
    chunks = [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]
    workers = _workers(repo, len(items))
    if workers == 1:
        results: Iterable = (_check_text_chunk(checks.context(), chunk) for chunk in chunks)
    else:
        with ProcessPoolExecutor(max_workers=workers, initializer=_start_worker,
                                 initargs=(checks.spec,)) as pool:
            results = list(pool.map(_worker_text_chunk, chunks))
    for errs, chunk_facts in results:
        errors += errs
        facts += chunk_facts
    for rel, _, collection in items:
        new_ids.setdefault(collection, set()).add(rel.rsplit("/", 1)[-1].removesuffix(RECORD_SUFFIX))
    checked = {str(repo.root / rel) for rel, _, _ in items}
    texts = {rel: text for rel, text, _ in items}
    return errors + _cross_check(repo, checks, facts, checked, texts, new_ids)


def validate(repo: Repository, paths: Sequence[Path] = (), today: dt.date | None = None) -> Result:
    """Check the whole repository, or only the given files (with references to all of it).

    The whole repository includes the statistics table definitions (statistics/tables.yaml),
    which can also be named among the files (a pre-commit hook passes the changed ones)."""
    from weibao.stats.definitions import repository_errors

    tables = (repo.root / repo.config.statistics.tables).resolve()
    named = [p for p in paths if (Path.cwd() / p).resolve() == tables]
    records = [p for p in paths if p not in named]
    result = _run(repo, records, today, keep=False)[0] if records or not paths else Result()
    if named or not paths:
        present, errors = repository_errors(repo)
        result.checked += present
        result.errors += errors
    return result


def load_records(
    repo: Repository, today: dt.date | None = None
) -> tuple[Result, dict[str, list[dict]]]:
    """Validate everything once and return the valid records by collection (site, statistics).

    The records live until the process ends, so the cyclic garbage collector is paused while
    they arrive and then told to leave them alone (gc.freeze): otherwise every later collection
    (MkDocs makes millions of objects) walks every record again. Records hold no cycles, so
    reference counting still frees them once dropped (weibao serve reloads them); what an
    earlier call froze is handed back to the collector first, so repeated loads keep no garbage.
    """
    gc.unfreeze()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        result, records = _run(repo, (), today, keep=True)
        by_collection: dict[str, list[dict]] = {c: [] for c in repo.collections}
        for collection, record in records:
            by_collection[collection].append(record)
    finally:
        if was_enabled:
            gc.enable()
    gc.freeze()
    return result, by_collection
