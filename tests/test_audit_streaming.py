"""`weibao audit` streams: memory does not grow with the length of the history it reports.

Histories are generated with `git fast-import` (synthetic values only): every commit edits
every field of one record, so each commit adds about the same number of report bytes.
"""

from __future__ import annotations

import io
import json
import subprocess
import tracemalloc
from pathlib import Path

import pytest

from weibao.audit.changes import iter_changes
from weibao.audit.render import RENDERER_BY_NAME

FIELDS = 30
PAD = "示例文字" * 8  # about a hundred report bytes a field


def _record(i: int) -> bytes:
    lines = [f"id: r{i % 7}"] + [f"f{k}: 第{i}版第{k}项{PAD}" for k in range(FIELDS)]
    return ("\n".join(lines) + "\n").encode()


def _history(root: Path, commits: int) -> Path:
    """A repository of `commits` commits, each rewriting one of seven records."""
    root.mkdir()
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True)
    stream = io.BytesIO()
    for i in range(commits):
        data = _record(i)
        message = f"第 {i} 次修改".encode()
        stream.write(b"commit refs/heads/main\n")
        stream.write(f"committer 测试 <t@example.invalid> {1_700_000_000 + i} +0800\n".encode())
        stream.write(f"data {len(message)}\n".encode() + message + b"\n")
        stream.write(f"M 100644 inline records/orgs/r{i % 7}.yaml\n".encode())
        stream.write(f"data {len(data)}\n".encode() + data + b"\n")
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input=stream.getvalue(), check=True)
    subprocess.run(["git", "checkout", "-q", "main"], cwd=root, check=True)
    return root


class CountingSink(io.TextIOBase):
    """Stands for stdout: counts what is written and keeps none of it."""

    def __init__(self) -> None:
        self.chars = 0

    def write(self, text: str) -> int:
        self.chars += len(text)
        return len(text)


def _peak(root: Path, fmt: str) -> tuple[int, int]:
    """Peak Python memory (bytes) while rendering the whole audit, and the characters written."""
    sink = CountingSink()
    tracemalloc.start()
    try:
        RENDERER_BY_NAME[fmt](iter_changes(root), sink, "审计")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, sink.chars


@pytest.fixture(scope="module")
def histories(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("streaming")
    return _history(base / "short", 100), _history(base / "long", 500)


@pytest.mark.parametrize("fmt", ["json", "csv", "md"])
def test_memory_does_not_grow_with_the_report(histories, fmt):
    """Five times the history writes about five times the report but needs little more memory."""
    short, long = histories
    peak_short, out_short = _peak(short, fmt)
    peak_long, out_long = _peak(long, fmt)
    assert out_long > 4 * out_short  # the long history really reports more
    # a report held in memory would grow the peak by at least its own extra length
    # (UTF-8 text); what may grow is the commit graph, tens of bytes a commit
    assert peak_long - peak_short < (out_long - out_short) / 4


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_each_change_is_written_before_the_next_is_read(histories, fmt):
    """The renderer writes a change out before it asks the history for the next one."""
    short, _ = histories
    pulled: list[str] = []
    written_when: dict[str, int] = {}

    class Sink(CountingSink):
        def write(self, text: str) -> int:
            for sha in pulled:
                written_when.setdefault(sha, len(pulled)) if sha in text else None
            return super().write(text)

    def watched():
        for change in iter_changes(short):
            pulled.append(change.commit)
            yield change

    RENDERER_BY_NAME[fmt](watched(), Sink(), "审计")
    assert len(pulled) == 100
    # change k (counting from 1) was on its way out when only k changes had been read
    assert all(written_when[sha] == k for k, sha in enumerate(pulled, 1))


def test_stopping_early_ends_git_quietly(histories):
    """A reader that stops after one change (a closed pipe) gets no error from the killed git."""
    _, long = histories
    changes = iter_changes(long)
    assert next(changes).record_id == "r2"  # commit 499 edits r{499 % 7}
    changes.close()


def test_streamed_json_is_one_valid_array(histories):
    """The streamed JSON parses as one array with every change, newest first."""
    short, _ = histories
    out = io.StringIO()
    RENDERER_BY_NAME["json"](iter_changes(short), out, "审计")
    rows = json.loads(out.getvalue())
    assert len(rows) == 100
    assert rows[0]["subject"] == "第 99 次修改"
    assert rows[-1]["action"] == "added"
    assert len(rows[1]["differences"]) == FIELDS  # every field changed, the id did not
