"""Markdown as a list of blocks (split on blank lines, fenced code kept whole), and their plain text."""

from __future__ import annotations

import re

_FENCE = re.compile(r"^\s*(```|~~~)")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~\"'])")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def split(markdown: str) -> list[str]:
    blocks: list[str] = []
    current: list[str] = []
    fenced = False
    for line in markdown.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
        if not line.strip() and not fenced:
            if current:
                blocks.append("\n".join(current))
                current = []
            continue
        current.append(line)
    if current:
        blocks.append("\n".join(current))
    return blocks


def join(blocks: list[str]) -> str:
    return "\n\n".join(b for b in blocks if b.strip()) + "\n"


def unescape(text: str) -> str:
    return _ESCAPE.sub(r"\1", text)


def plain_lines(block: str) -> list[str]:
    """The block's lines as a reader sees them: no escapes, bold marks, hard-break backslashes."""
    out = []
    for line in block.split("\n"):
        line = line.rstrip()
        line = line.removesuffix("\\").rstrip()
        line = unescape(line).replace("**", "").replace("__", "")
        out.append(line.strip(" \u3000\xa0\t"))
    return [line for line in out if line]


def heading(block: str) -> tuple[int, str] | None:
    """(level, text) if the block is an ATX heading."""
    m = _HEADING.match(block) if "\n" not in block else None
    return (len(m.group(1)), unescape(m.group(2)).replace("**", "")) if m else None


def bold_only(block: str) -> str | None:
    """The text of a paragraph that is bold from start to end (a centred title in Word files)."""
    s = block.strip()
    if "\n" not in s and len(s) > 4 and s.startswith("**") and s.endswith("**") and "**" not in s[2:-2]:
        return unescape(s[2:-2]).strip()
    return None
