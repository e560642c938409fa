"""Machine formats that review tools post as pull-request comments: reviewdog's rdjson, SARIF 2.1.0.

reviewdog (`-f=rdjson`) comments on GitHub (`github-pr-review`) and on Gitea/Forgejo
(`gitea-pr-review`), where `::error` annotations are ignored. Both formats count columns
differently from us: rdjson in UTF-8 bytes, SARIF in UTF-16 code units (its default). Our columns
count characters, so the line is read back to convert; Chinese text would otherwise be misplaced.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import TextIO

from weibao import __version__
from weibao.reporters import shown_errors
from weibao.result import Error, Result

TOOL = "weibao"
TOOL_URL = "https://weibao.invalid/"  # informational only; no tool fetches it


@lru_cache(maxsize=256)
def _lines(path: Path) -> tuple[str, ...]:
    try:
        return tuple(path.read_text(encoding="utf-8").splitlines())
    except (OSError, UnicodeDecodeError):
        return ()


def _prefix(err: Error, root: Path | None) -> str | None:
    """The text of err's line before its column, or None when the file cannot be read back."""
    if root is None or not err.line or not err.column:
        return None
    lines = _lines((root / err.file).resolve())
    if err.line > len(lines):
        return None
    return lines[err.line - 1][: err.column - 1]


def _message(err: Error) -> str:
    return f"{err.path}: {err.message}" if err.path else err.message


def _rd_diagnostic(err: Error, root: Path | None) -> dict:
    diag: dict = {
        "message": _message(err),
        "location": {"path": err.file},
        "severity": "ERROR",
        "code": {"value": err.rule},
    }
    if err.line:
        start: dict = {"line": err.line}
        if err.column:
            prefix = _prefix(err, root)
            start["column"] = (len(prefix.encode("utf-8")) if prefix is not None
                               else err.column - 1) + 1
        diag["location"]["range"] = {"start": start}
    return diag


def report_rdjson(result: Result, out: TextIO, root: Path | None = None) -> None:
    """reviewdog Diagnostic Format, one DiagnosticResult document."""
    doc = {
        "source": {"name": TOOL, "url": TOOL_URL},
        "severity": "ERROR",
        "diagnostics": [_rd_diagnostic(e, root) for e in shown_errors(result)],
    }
    json.dump(doc, out, ensure_ascii=False, indent=1)
    out.write("\n")


def _sarif_result(err: Error, root: Path | None) -> dict:
    physical: dict = {"artifactLocation": {"uri": err.file}}  # relative to the repository root
    if err.line:
        region: dict = {"startLine": err.line}
        if err.column:
            prefix = _prefix(err, root)
            units = (len(prefix.encode("utf-16-le")) // 2 if prefix is not None
                     else err.column - 1)
            region["startColumn"] = units + 1
        physical["region"] = region
    return {
        "ruleId": err.rule,
        "level": "error",
        "message": {"text": _message(err)},
        "locations": [{"physicalLocation": physical}],
    }


def report_sarif(result: Result, out: TextIO, root: Path | None = None) -> None:
    """SARIF 2.1.0 log with one run; rules are the distinct rule ids found."""
    errors = shown_errors(result)
    rules = sorted({e.rule for e in errors})
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": TOOL,
                "version": __version__,
                "informationUri": TOOL_URL,
                "rules": [{"id": r} for r in rules],
            }},
            "columnKind": "utf16CodeUnits",
            "results": [_sarif_result(e, root) for e in errors],
        }],
    }
    json.dump(doc, out, ensure_ascii=False, indent=1)
    out.write("\n")
