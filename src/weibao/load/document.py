"""One record file: read, decode, parse; problems become Error values with the file's name."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from weibao.load.encoding import DecodeProblem, decode, too_large
from weibao.load.yaml_strict import parse
from weibao.result import Error

# O_NOFOLLOW: a link swapped in after listing is not followed; O_NONBLOCK: a pipe does not hang
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_BINARY = getattr(os, "O_BINARY", 0)


@dataclass
class Loaded:
    """A record file after strict loading: its value (None if unusable), text and errors."""

    file: str
    value: dict | None
    text: str | None
    errors: list[Error] = field(default_factory=list)


def load_text(rel: str, text: str, known_keys: frozenset[str] | None = None) -> Loaded:
    value, problems = parse(text, known_keys)
    errors = [Error(rel, p.line, p.column, p.path, p.rule, p.message) for p in problems]
    if not isinstance(value, dict):
        value = None
    return Loaded(rel, value, text, errors)


def load_file(
    path: Path, rel: str, max_bytes: int, known_keys: frozenset[str] | None = None
) -> Loaded:
    """Strictly load one file; never writes to it.

    The size is checked before reading (a 1 GB file is refused, not read), and a symbolic link
    is not followed even if one appears between listing and opening."""
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _BINARY)
        with os.fdopen(fd, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > max_bytes:
                problem = too_large(size, max_bytes)
                return Loaded(rel, None, None, [Error(rel, 0, 0, "", problem.rule, problem.message)])
            data = fh.read(max_bytes + 1)
    except OSError as err:
        return Loaded(rel, None, None, [Error(rel, 0, 0, "", "file-unreadable", f"无法读取文件：{err.strerror}")])
    text = decode(data, max_bytes)
    if isinstance(text, DecodeProblem):
        return Loaded(rel, None, None, [Error(rel, text.line, text.column, "", text.rule, text.message)])
    return load_text(rel, text, known_keys)


def load_settings(path: Path, rel: str, error: type[Exception]) -> tuple[object, str]:
    """A settings file (weibao.yaml, statistics/tables.yaml) loaded as strictly as a record.

    Raises error("rel:line:col: message") at the first problem: settings are not records, a
    broken one stops the command (exit 2) rather than being reported among data errors.
    """
    text = decode(path.read_bytes(), 1 << 20)
    if isinstance(text, DecodeProblem):
        raise error(f"{rel}: {text.message}")
    value, problems = parse(text)
    if problems:
        p = problems[0]
        raise error(f"{rel}:{p.line}:{p.column}: {p.message}")
    return value, text
