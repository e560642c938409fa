"""Git history → one Change per record touched by a commit, with its field-level differences."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from weibao.audit.diff import Difference, diff
from weibao.audit.gitlog import (
    BlobReader,
    Commit,
    FileChange,
    has_commits,
    iter_log,
    prefix,
    read_graph,
)
from weibao.audit.merges import merge_labels
from weibao.load import load_text
from weibao.load.encoding import DecodeProblem, decode
from weibao.repo import RECORD_SUFFIX

# historic files are read whatever today's size limit is: the audit reports, it does not judge
_MAX_BYTES = 1 << 30

# changes whose contents are asked of git together (their blobs stay in memory until written)
PREFETCH = 16

ACTIONS = {"added": "新增", "modified": "修改", "renamed": "改名", "deleted": "删除"}


@dataclass
class Change:
    """One commit's change to one record."""

    commit: str
    author: str
    email: str
    date: str
    subject: str
    merge: str  # "#12", "合并 1a2b3c4d5e6f" or ""
    action: str  # a key of ACTIONS
    collection: str
    record_id: str
    path: str  # the file after the change (before it, for a deletion)
    old_path: str | None = None  # set for renames
    differences: list[Difference] = field(default_factory=list)
    error: str | None = None  # a version that could not be parsed

    @property
    def old_id(self) -> str | None:
        return record_of(self.old_path)[1] if self.old_path else None

    def as_dict(self) -> dict[str, object]:
        return {
            "commit": self.commit,
            "author": self.author,
            "email": self.email,
            "date": self.date,
            "subject": self.subject,
            "merge": self.merge,
            "action": self.action,
            "collection": self.collection,
            "record_id": self.record_id,
            "path": self.path,
            "old_path": self.old_path,
            "error": self.error,
            "differences": [d.as_dict() for d in self.differences],
        }


def record_of(path: str | None) -> tuple[str, str] | tuple[None, None]:
    """records/<collection>/<id>.yaml → (collection, id); anything else → (None, None)."""
    if not path:
        return None, None
    parts = path.split("/")
    if len(parts) == 3 and parts[0] == "records" and parts[2].endswith(RECORD_SUFFIX):
        stem = parts[2][: -len(RECORD_SUFFIX)]
        if stem and not parts[2].startswith("."):
            return parts[1], stem
    return None, None


def _parse(data: bytes | None, rel: str) -> tuple[dict | None, str | None]:
    """A historic version → (record, None) or (None, why it cannot be read)."""
    if data is None:
        return None, "git 中找不到这个版本"
    text = decode(data, _MAX_BYTES)
    if isinstance(text, DecodeProblem):
        return None, text.message
    loaded = load_text(rel, text)
    if loaded.value is None:
        first = loaded.errors[0] if loaded.errors else None
        if first is None:
            return None, "不是一条记录"
        return None, f"第 {first.line} 行：{first.rule}" if first.line else first.rule
    return loaded.value, None


def _relevant(fc: FileChange, base: str, collections: set[str] | None) -> FileChange | None:
    """The change with paths relative to the data repository, if it touches a record."""

    def strip(p: str | None) -> str | None:
        if p is None or not p.startswith(base):
            return None
        rel = p[len(base) :]
        c, _ = record_of(rel)
        return rel if c is not None and (collections is None or c in collections) else None

    old, new = strip(fc.old_path), strip(fc.new_path)
    if old is None and new is None:
        return None
    # a rename into or out of records/ is an addition or a deletion of a record
    if old is None:
        return FileChange("A", None, new, None, fc.new_blob)
    if new is None:
        return FileChange("D", old, None, fc.old_blob, None)
    return FileChange(fc.status, old, new, fc.old_blob, fc.new_blob)


def iter_changes(
    root: Path, rev_range: str | None = None, collections: Iterable[str] | None = None
) -> Iterator[Change]:
    """Every change to a record in the history (newest commit first, files in path order),
    each yielded as soon as it is read: memory does not grow with the changes reported.

    Two passes over git: the commit graph first (merge labels need to know which merge brought
    each commit in), then the changes as a stream, with contents from one `cat-file` process.
    """
    if not has_commits(root):
        return iter(())
    # read before the first change is asked for: a bad range fails before any output
    base = prefix(root)
    wanted = set(collections) if collections is not None else None
    labels = merge_labels(read_graph(root, rev_range))

    def touched() -> Iterator[tuple[Commit, FileChange]]:
        for commit in iter_log(root, rev_range):
            files = [f for f in (_relevant(fc, base, wanted) for fc in commit.files) if f]
            for fc in sorted(files, key=lambda f: f.new_path or f.old_path or ""):
                yield commit, fc

    def stream() -> Iterator[Change]:
        # contents are fetched for a few changes at a time (across commits): one round trip to
        # git per PREFETCH changes, not per file, and memory bounded by what they hold
        with BlobReader(root) as reader:
            for batch in _batched(touched(), PREFETCH):
                blobs = reader.get_many([b for _, fc in batch for b in (fc.old_blob, fc.new_blob) if b])
                for commit, fc in batch:
                    yield _change(commit, labels.get(commit.sha, ""), fc, blobs)

    return stream()


def _batched(items: Iterator[tuple[Commit, FileChange]], n: int) -> Iterator[list[tuple[Commit, FileChange]]]:
    batch: list[tuple[Commit, FileChange]] = []
    for item in items:
        batch.append(item)
        if len(batch) == n:
            yield batch
            batch = []
    if batch:
        yield batch


def collect(
    root: Path, rev_range: str | None = None, collections: Iterable[str] | None = None
) -> list[Change]:
    """Every change of iter_changes, as a list (for readers that sort or look back)."""
    return list(iter_changes(root, rev_range, collections))


def renames(
    root: Path, rev_range: str | None = None
) -> Iterator[tuple[tuple[str, str], tuple[str, str]]]:
    """(old name, new name) of every record renamed in the history: no contents are read."""
    if not has_commits(root):
        return
    base = prefix(root)
    for commit in iter_log(root, rev_range):
        for raw in commit.files:
            fc = _relevant(raw, base, None)
            if fc is None or fc.status != "R":
                continue
            old, new = record_of(fc.old_path), record_of(fc.new_path)
            if (
                old[0] is not None
                and old[1] is not None
                and new[0] is not None
                and new[1] is not None
            ):
                yield (old[0], old[1]), (new[0], new[1])


def _change(commit: Commit, merge: str, fc: FileChange, blobs: Mapping[str, bytes | None]) -> Change:
    path = fc.new_path or fc.old_path or ""
    collection, record_id = record_of(path)
    action = {"A": "added", "D": "deleted", "R": "renamed"}.get(fc.status, "modified")
    change = Change(
        commit.sha,
        commit.author,
        commit.email,
        commit.date,
        commit.subject,
        merge,
        action,
        collection or "",
        record_id or "",
        path,
        fc.old_path if action == "renamed" else None,
    )
    old = new = None
    problems = []
    if fc.old_blob:
        old, why = _parse(blobs.get(fc.old_blob), fc.old_path or path)
        if why:
            problems.append(f"修改前的版本无法解析（{why}）")
    if fc.new_blob:
        new, why = _parse(blobs.get(fc.new_blob), path)
        if why:
            problems.append(f"修改后的版本无法解析（{why}）")
    if problems:
        change.error = "；".join(problems)
        return change
    change.differences = diff(old or {}, new or {})
    return change


def lineages(changes: list[Change]) -> dict[tuple[str, str], tuple[str, str]]:
    """(collection, id) → one representative name of the record, linking names through renames."""
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def find(x: tuple[str, str]) -> tuple[str, str]:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    names: set[tuple[str, str]] = set()
    for c in changes:
        names.add((c.collection, c.record_id))
        if c.old_path:
            old = record_of(c.old_path)
            if old[0] is not None and old[1] is not None:
                names.add((old[0], old[1]))
                parent[find((old[0], old[1]))] = find((c.collection, c.record_id))
    return {n: find(n) for n in names}


def lineage(changes: list[Change], collection: str | None, record_id: str) -> set[tuple[str, str]]:
    """The (collection, id) names one record has had, linked through renames."""
    roots = lineages(changes)
    wanted = {
        r
        for n, r in roots.items()
        if n[1] == record_id and (collection is None or n[0] == collection)
    }
    return {n for n, r in roots.items() if r in wanted}


def touches(change: Change, names: set[tuple[str, str]]) -> bool:
    return (change.collection, change.record_id) in names or (
        change.old_path is not None and record_of(change.old_path) in names
    )


Name = tuple[str, str]


def name_matcher(
    pairs: Iterable[tuple[Name, Name]], collection: str | None, record_id: str
) -> Callable[[Name], bool]:
    """Whether a (collection, id) is one of the names a record has had, linked through renames.

    Built from the renames alone, so it needs no list of every change: a name never renamed
    is its own lineage.
    """
    parent: dict[Name, Name] = {}

    def find(x: Name) -> Name:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for old, new in pairs:
        parent.setdefault(old, old)
        parent.setdefault(new, new)
        parent[find(old)] = find(new)

    def own(n: Name) -> bool:
        return n[1] == record_id and (collection is None or n[0] == collection)

    roots = {find(n) for n in parent if own(n)}
    return lambda n: own(n) or (n in parent and find(n) in roots)


def touched_by(change: Change, matches: Callable[[Name], bool]) -> bool:
    """Whether a change is to a record whose name (now or before a rename) matches."""
    if matches((change.collection, change.record_id)):
        return True
    old = record_of(change.old_path)
    return old[0] is not None and old[1] is not None and matches((old[0], old[1]))
