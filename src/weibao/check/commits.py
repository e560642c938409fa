"""History, not just the tree: what every commit of a range added, its message and its people.

`weibao validate --commits BASE..HEAD` reads the range in one `git log -p` pass: every line a
commit added (also in files a later commit deleted: they stay in history), the commit message,
and the author's and committer's names and e-mails. Record files are judged by the rules of the
tree (a hotline's public number is allowed in its contact field), from the file as that commit
left it; other text files by the detectors with public contacts allowed; the tool's own code and
its synthetic test fixtures (patterns.yaml `history.skip_paths`) are not scanned.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from weibao.check.annotations import annotated_locations
from weibao.check.guard import scan_program_text, scan_public_record
from weibao.check.invisible import invisible_errors
from weibao.check.privacy import Finding, scan
from weibao.check.privacy.data import data
from weibao.errors import UsageError
from weibao.load.document import load_text
from weibao.result import Error

if TYPE_CHECKING:
    from weibao.repo import Repository

_START = "\x01"
_FORMAT = f"{_START}%H%x00%an%x00%ae%x00%cn%x00%ce%x00%B%x00"
_HUNK = re.compile(r"^(@+) .*?\+(\d+)(?:,\d+)? @+")
_INDEX = re.compile(r"^index [0-9a-f,]+\.\.([0-9a-f]+)")
FIX = "这次提交已写入 git 历史，删除文件或再提交一次都不够：合并前请改写历史（见 README“提交了个人信息怎么办”）。"


@dataclass
class _Added:
    """The lines one commit added to one file."""

    path: str
    blob: str = ""
    lines: dict[int, str] = field(default_factory=dict)
    binary: bool = False


@dataclass
class _Commit:
    sha: str
    people: list[tuple[str, str]]  # (what, value): 作者姓名 李四, 提交者邮箱 …
    message: str
    files: list[_Added]


def _git(root: Path, args: list[str], stdin: bytes | None = None) -> bytes:
    proc = subprocess.run(
        ["git", "-c", "core.quotePath=false", *args], cwd=root, input=stdin, capture_output=True
    )
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip()
        raise UsageError(f"git {args[0]} 失败：{err}")
    return proc.stdout


def _text(raw: bytes) -> str:
    """Text as the guard must see it: UTF-8, or GB18030 from a Windows editor."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("gb18030", "replace")


def _path(spec: str) -> str:
    if spec.startswith('"'):  # git quotes paths with control characters
        spec = spec[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape")
        spec = spec.encode("latin-1", "replace").decode("utf-8", "replace")
    return spec[2:] if spec[:2] in ("a/", "b/") else spec


def _files(patch: list[bytes]) -> list[_Added]:
    files: list[_Added] = []
    current: _Added | None = None
    blob = ""
    cols, line_no = 0, 0
    for raw in patch:
        if raw.startswith(b"diff "):
            current, blob, cols = None, "", 0
            continue
        if cols == 0 or raw[:1] == b"@":
            line = raw.decode("utf-8", "replace")
            if m := _INDEX.match(line):
                blob = m.group(1)
            elif line.startswith("+++ "):
                target = line[4:].rstrip("\t")
                current = None if target == "/dev/null" else _Added(_path(target), blob)
                if current:
                    files.append(current)
            elif line.startswith("Binary files ") and not line.rstrip().endswith("and /dev/null differ"):
                name = line.split(" and ", 1)[-1].rsplit(" differ", 1)[0]
                files.append(_Added(_path(name), blob, binary=True))
            elif (m := _HUNK.match(line)) and current is not None:
                cols, line_no = len(m.group(1)) - 1, int(m.group(2))
            continue
        if current is None or raw[:1] == b"\\":
            continue
        prefix = raw[:cols]
        if b"-" in prefix:
            continue
        if b"+" in prefix:
            current.lines[line_no] = _text(raw[cols:])
        line_no += 1
    return files


def _commits(root: Path, rev_range: str) -> Iterator[_Commit]:
    out = _git(root, [
        "log", f"--format={_FORMAT}", "-p", "--cc", "--unified=0", "--full-index", "--no-renames",
        "--no-color", "--no-ext-diff", "--no-textconv", rev_range, "--",
    ])
    for chunk in out.split(_START.encode())[1:]:
        sha, an, ae, cn, ce, message, patch = chunk.split(b"\x00", 6)
        people = [("作者姓名", an), ("作者邮箱", ae), ("提交者姓名", cn), ("提交者邮箱", ce)]
        yield _Commit(
            sha.decode(), [(k, _text(v)) for k, v in people], _text(message).strip("\n"),
            _files(patch.split(b"\n")),
        )


def _blobs(root: Path, ids: set[str]) -> dict[str, str]:
    """Contents of the blobs with these ids, in one `git cat-file --batch`."""
    if not ids:
        return {}
    order = sorted(ids)
    out = _git(root, ["cat-file", "--batch"], "\n".join(order).encode() + b"\n")
    blobs, pos = {}, 0
    for blob_id in order:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        if len(header) < 3:  # "<id> missing"
            pos = end + 1
            continue
        size = int(header[2])
        blobs[blob_id] = _text(out[end + 1 : end + 1 + size])
        pos = end + 1 + size + 1
    return blobs


def _skipped(path: str) -> bool:
    return any(path.startswith(p) for p in data()["history"]["skip_paths"])


def _line_errors(path: str, lines: dict[int, str], strict: bool) -> list[Error]:
    out = []
    for number, text in lines.items():
        for f in scan(text, allow_contact=not strict, strict_names=strict):
            out.append(Error(path, number, f.start + 1, "", f"privacy-{f.kind}", f.message))
    return out


def _record_errors(repo: Repository, added: _Added, text: str | None) -> list[Error]:
    """Privacy errors on the added lines of a record file, judged as the tree would judge it."""
    parts = added.path.split("/")
    collection = parts[1] if len(parts) == 3 and parts[0] == "records" else ""
    if text is None or collection not in repo.schemas:
        return _line_errors(added.path, added.lines, strict=True)
    errors = invisible_errors(added.path, text)
    if repo.is_program(collection):
        errors += scan_program_text(added.path, text)
    else:
        loaded = load_text(added.path, text)
        if loaded.value is None:
            errors += _line_errors(added.path, added.lines, strict=True)
        else:
            notes = annotated_locations(repo.schemas[collection], repo.shared_schemas)
            contact = [n.path for n in notes if n.key == "x-contact"]
            errors += scan_public_record(added.path, text, loaded.value, contact)
    return [e for e in errors if e.line in added.lines]


def _message_error(sha: str, where: str, text: str, f: Finding) -> Error:
    line = text.count("\n", 0, f.start) + 1
    col = f.start - (text.rfind("\n", 0, f.start) + 1) + 1
    return Error(f"commit {sha[:12]}", line, col, "", f"privacy-{f.kind}",
                 f"{where}中{f.message} {FIX}")


def scan_commits(repo: Repository, rev_range: str) -> list[Error]:
    """An error for every identifier that a commit in rev_range put into git history."""
    commits = list(_commits(repo.root, rev_range))
    wanted = {
        a.blob for c in commits for a in c.files
        if a.path.startswith("records/") and a.blob and a.lines and not a.binary
    }
    blobs = _blobs(repo.root, wanted)
    errors: list[Error] = []
    for c in commits:
        for f in scan(c.message, strict_names=True):
            errors.append(_message_error(c.sha, "提交说明", c.message, f))
        for e in invisible_errors(f"commit {c.sha[:12]}", c.message):
            errors.append(Error(e.file, e.line, e.column, "", e.rule, f"提交说明中{e.message}"))
        for what, value in c.people:
            text = value.partition("@")[0] if what.endswith("邮箱") else value
            for f in scan(text):
                errors.append(_message_error(c.sha, what, text, f))
        for added in c.files:
            if _skipped(added.path):
                continue
            if added.binary:
                if added.path.startswith("records/"):
                    errors.append(Error(added.path, 0, 0, "", "history-binary",
                                        f"提交 {c.sha[:12]} 在 records/ 中加入了二进制文件，无法检查其中有无"
                                        f"个人信息：记录只能是 YAML 文本。{FIX}"))
                continue
            if not added.lines:
                continue
            if added.path.startswith("records/"):
                found = _record_errors(repo, added, blobs.get(added.blob))
            else:
                found = _line_errors(added.path, added.lines, strict=False)
            errors += [
                Error(e.file, e.line, e.column, e.path, e.rule,
                      f"提交 {c.sha[:12]} 加入的内容中{e.message} {FIX}")
                for e in found
            ]
    return errors
