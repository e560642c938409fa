"""Strict loading: bytes → text (encoding rules) → one YAML mapping (no silent conversions)."""

from weibao.load.document import Loaded, load_file, load_text

__all__ = ["Loaded", "load_file", "load_text"]
