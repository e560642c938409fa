"""Reading git as streams: `git log` for commits and changed files, `cat-file` for contents."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from weibao.errors import UsageError

NULL_SHA = "0" * 40
_RS, _US = "\x1e", "\x1f"
# sha, parents, author, e-mail, author date, subject
_FORMAT = f"{_RS}%H{_US}%P{_US}%an{_US}%ae{_US}%aI{_US}%s"


@dataclass(frozen=True, slots=True)
class FileChange:
    """One changed file of a commit, as `git log --raw` reports it."""

    status: str  # A added, M modified, D deleted, R renamed, T type changed
    old_path: str | None
    new_path: str | None
    old_blob: str | None
    new_blob: str | None


@dataclass(slots=True)
class Commit:
    sha: str
    parents: list[str]
    author: str
    email: str
    date: str  # author date, ISO 8601 with the author's offset
    subject: str
    files: list[FileChange] = field(default_factory=list)


def git(root: Path, *args: str, binary: bool = False) -> str | bytes:
    """Run git in root; a failure is the user's (not a git repository, unknown revision)."""
    try:
        proc = subprocess.run(["git", *args], cwd=root, capture_output=True, check=False)
    except FileNotFoundError as err:
        raise UsageError("找不到 git 命令：请先安装 git。") from err
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip()
        raise UsageError(f"git {' '.join(args[:2])} 失败：{message}")
    return proc.stdout if binary else proc.stdout.decode("utf-8", "replace")


def is_repository(root: Path) -> bool:
    proc = subprocess.run(
        ["git", "rev-parse", "--is-inside-work-tree"], cwd=root, capture_output=True, check=False
    )
    return proc.returncode == 0


def has_commits(root: Path) -> bool:
    proc = subprocess.run(
        ["git", "rev-parse", "--verify", "-q", "HEAD"], cwd=root, capture_output=True, check=False
    )
    return proc.returncode == 0


def prefix(root: Path) -> str:
    """Where root sits inside its git work tree ("" at the top), with a trailing slash."""
    return str(git(root, "rev-parse", "--show-prefix")).strip()


def _git_stream(root: Path, args: list[str]) -> subprocess.Popen:
    try:
        return subprocess.Popen(
            ["git", *args], cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
    except FileNotFoundError as err:
        raise UsageError("找不到 git 命令：请先安装 git。") from err


def _finish(proc: subprocess.Popen, args: list[str], completed: bool) -> None:
    """Wait for a streamed git; its failure is the user's (unknown revision…).

    A reader that stopped early (completed False) has git killed, not reported.
    """
    assert proc.stdout is not None and proc.stderr is not None
    if not completed:
        proc.kill()
    proc.stdout.close()
    message = proc.stderr.read().decode("utf-8", "replace").strip()
    proc.stderr.close()
    if proc.wait() != 0 and completed:
        raise UsageError(f"git {' '.join(args[:2])} 失败：{message}")


def _records(proc: subprocess.Popen, separator: bytes) -> Iterator[str]:
    """The separator-led records of a git output stream, one at a time (bounded memory)."""
    assert proc.stdout is not None
    pending = b""
    first = True
    while block := proc.stdout.read(1 << 16):
        pending += block
        parts = pending.split(separator)
        pending = parts.pop()
        for part in parts:
            if first:  # whatever precedes the first separator is not a record
                first = False
                continue
            yield part.decode("utf-8", "replace")
    if not first:
        yield pending.decode("utf-8", "replace")


def _parse_commit(chunk: str) -> Commit:
    header, _, rest = chunk.partition("\0")
    sha, parents, author, email, date, subject = header.split(_US, 5)
    commit = Commit(sha, parents.split(), author, email, date, subject)
    tokens = rest.lstrip("\n").split("\0")
    i = 0
    while i < len(tokens):
        meta = tokens[i].strip("\n")
        if not meta.startswith(":"):
            i += 1
            continue
        _, _, old_blob, new_blob, status = meta[1:].split(" ")
        kind = status[0]
        if kind in "RC":
            old_path: str | None = tokens[i + 1]
            new_path = tokens[i + 2]
            i += 3
        else:
            old_path = new_path = tokens[i + 1]
            i += 2
        if kind == "C":  # a copy is a new file as far as records are concerned
            kind, old_path, old_blob = "A", None, NULL_SHA
        commit.files.append(
            FileChange(
                kind,
                None if kind == "A" else old_path,
                None if kind == "D" else new_path,
                None if old_blob == NULL_SHA else old_blob,
                None if new_blob == NULL_SHA else new_blob,
            )
        )
    return commit


def _log_args(rev_range: str | None, *options: str) -> list[str]:
    args = ["log", *options, "--date-order"]
    if rev_range:
        args.append(rev_range)
    args.append("--")
    return args


def iter_log(root: Path, rev_range: str | None = None) -> Iterator[Commit]:
    """Every commit (newest first) with its changed files, read as a stream; renames (-M).

    No path limiting here: history simplification would drop the merges we need to tell
    which pull request brought a commit in. Merge commits list no files (their changes are
    reported on the commits they brought in).
    """
    args = _log_args(rev_range, "-z", "--raw", "--no-abbrev", "-M", f"--format={_FORMAT}")
    proc = _git_stream(root, args)
    completed = False
    try:
        for chunk in _records(proc, _RS.encode()):
            yield _parse_commit(chunk)
        completed = True
    finally:
        _finish(proc, args, completed)


def read_log(root: Path, rev_range: str | None = None) -> list[Commit]:
    """Every commit of iter_log, as a list."""
    return list(iter_log(root, rev_range))


def read_graph(root: Path, rev_range: str | None = None) -> list[Commit]:
    """Commits (newest first) with parents and subjects only: what merge labels need.

    About a hundred bytes per commit, whatever the commits change: the one thing the audit
    keeps for the whole history.
    """
    args = _log_args(rev_range, "-z", f"--format={_RS}%H{_US}%P{_US}%s")
    proc = _git_stream(root, args)
    out = []
    completed = False
    try:
        for chunk in _records(proc, _RS.encode()):
            sha, parents, subject = chunk.rstrip("\0\n").split(_US, 2)
            out.append(Commit(sha, parents.split(), "", "", "", subject))
        completed = True
    finally:
        _finish(proc, args, completed)
    return out


class BlobReader:
    """Blob contents on demand from one long-running `git cat-file --batch`."""

    def __init__(self, root: Path) -> None:
        self._proc = subprocess.Popen(
            ["git", "cat-file", "--batch"],
            cwd=root,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )

    # requests written before any answer is read: 41 bytes each, far below a pipe's buffer, so
    # git never waits on us while we wait on it
    BATCH = 256

    def get(self, sha: str) -> bytes | None:
        """The blob's bytes, or None if git does not have it."""
        return self.get_many([sha])[sha]

    def get_many(self, shas: list[str]) -> dict[str, bytes | None]:
        """Several blobs for one round trip per BATCH: asking for one blob at a time cost a
        write, a flush and a wait on git for each (half the audit's time on a long history)."""
        stdin = self._proc.stdin
        assert stdin is not None
        out: dict[str, bytes | None] = {}
        for i in range(0, len(shas), self.BATCH):
            batch = shas[i : i + self.BATCH]
            stdin.write("".join(f"{sha}\n" for sha in batch).encode())
            stdin.flush()
            for sha in batch:
                out[sha] = self._answer()
        return out

    def _answer(self) -> bytes | None:
        stdout = self._proc.stdout
        assert stdout is not None
        header = stdout.readline().decode()
        if not header or header.endswith(" missing\n"):
            if not header:
                raise UsageError("git cat-file 意外退出。")
            return None
        size = int(header.rsplit(" ", 1)[1])
        data = stdout.read(size + 1)  # content is followed by a newline
        return data[:size]

    def close(self) -> None:
        if self._proc.stdin:
            self._proc.stdin.close()
        if self._proc.stdout:
            self._proc.stdout.close()
        self._proc.wait()

    def __enter__(self) -> BlobReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_blobs(root: Path, shas: set[str]) -> dict[str, bytes]:
    """Contents of many blobs from a single `git cat-file --batch` process."""
    if not shas:
        return {}
    order = sorted(shas)
    request = "".join(f"{s}\n" for s in order).encode()
    proc = subprocess.run(
        ["git", "cat-file", "--batch"], cwd=root, input=request, capture_output=True, check=False
    )
    if proc.returncode != 0:
        raise UsageError(f"git cat-file 失败：{proc.stderr.decode('utf-8', 'replace').strip()}")
    out = proc.stdout
    blobs: dict[str, bytes] = {}
    pos = 0
    for sha in order:
        end = out.index(b"\n", pos)
        header = out[pos:end].decode()
        pos = end + 1
        if header.endswith(" missing"):
            continue
        size = int(header.rsplit(" ", 1)[1])
        blobs[sha] = out[pos : pos + size]
        pos += size + 1  # content is followed by a newline
    return blobs
