"""patterns.yaml (label words, surnames, address words, messages), loaded once."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any

import yaml


@cache
def data() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("patterns.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def message(key: str, masked: str) -> str:
    return data()["messages"][key].format(masked=masked)


def alternation(words: list[str] | str) -> str:
    """A regex alternation of literal words, longest first (so 身份证号码 wins over 身份证)."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def char_class(chars: str) -> str:
    return "[" + "".join(re.escape(c) for c in chars) + "]"
