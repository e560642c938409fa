"""sheets.yaml: identifying headers, the ledger key rules, list separators (data, not code)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from weibao.load.yaml_strict import parse


@dataclass(frozen=True)
class Settings:
    identifying: tuple[str, ...]
    key_header: str
    key_pattern: re.Pattern
    key_max_digit_run: int
    key_example: str
    separators: tuple[str, ...]
    example_marker: str
    template_rows: int


@cache
def settings() -> Settings:
    text = resources.files("weibao.sheets").joinpath("sheets.yaml").read_text(encoding="utf-8")
    value, problems = parse(text)
    if problems or not isinstance(value, dict):  # pragma: no cover - a packaging error
        raise RuntimeError(f"sheets.yaml: {problems}")
    key = value["ledger_key"]
    return Settings(
        identifying=tuple(normalize_header(w) for w in value["identifying_headers"]),
        key_header=key["header"],
        key_pattern=re.compile(key["pattern"]),
        key_max_digit_run=int(key["max_digit_run"]),
        key_example=key["example"],
        separators=tuple(value["list_separators"]),
        example_marker=value["example_marker"],
        template_rows=int(value["template_rows"]),
    )


def normalize_header(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def identifying_word(header: str) -> str | None:
    """The identifying word a header contains, if any."""
    norm = normalize_header(header)
    for word in settings().identifying:
        if word in norm:
            return word
    return None
