"""Reporters that carry validation errors to where contributors look: job summaries, review tools."""

from __future__ import annotations

from weibao.check.conceal import redacted
from weibao.result import Error, Result


def shown_errors(result: Result) -> list[Error]:
    """The errors every reporter shows, each message passed through the privacy guard once more."""
    return [redacted(e) for e in result.sorted_errors()]
