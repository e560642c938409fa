"""Reading git: one `git log` pass for commits and changed files, one `cat-file` for contents."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from weibao.errors import UsageError

NULL_SHA = "0" * 40
_RS, _US = "\x1e", "\x1f"
# sha, parents, author, e-mail, author date, subject
_FORMAT = f"{_RS}%H{_US}%P{_US}%an{_US}%ae{_US}%aI{_US}%s"


@dataclass(frozen=True)
class FileChange:
    """One changed file of a commit, as `git log --raw` reports it."""

    status: str  # A added, M modified, D deleted, R renamed, T type changed
    old_path: str | None
    new_path: str | None
    old_blob: str | None
    new_blob: str | None


@dataclass
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


def read_log(root: Path, rev_range: str | None = None) -> list[Commit]:
    """Every commit (newest first) with its changed files; renames detected (-M).

    No path limiting here: history simplification would drop the merges we need to tell
    which pull request brought a commit in. Merge commits list no files (their changes are
    reported on the commits they brought in).
    """
    args = ["log", "-z", "--raw", "--no-abbrev", "-M", "--date-order", f"--format={_FORMAT}"]
    if rev_range:
        args.append(rev_range)
    args.append("--")
    out = str(git(root, *args))
    commits = []
    for chunk in out.split(_RS)[1:]:
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
        commits.append(commit)
    return commits


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
