"""Reporters: turn a Result into text for people, JSON for programs, annotations for GitHub,
and (weibao.reporters) job summaries and review-tool formats."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from weibao.reporters import shown_errors
from weibao.reporters.review import report_rdjson, report_sarif
from weibao.reporters.summary import report_summary
from weibao.result import Error, Result


def _errors(result: Result) -> list[Error]:
    return shown_errors(result)


def _location(err: Error) -> str:
    if err.line and err.column:
        return f"{err.file}:{err.line}:{err.column}"
    if err.line:
        return f"{err.file}:{err.line}"
    return err.file


def report_text(result: Result, out: TextIO, root: Path | None = None) -> None:
    """One line per error, `file:line:col: path: message [rule]`, then a summary line."""
    for err in _errors(result):
        where = f"{err.path}: " if err.path else ""
        out.write(f"{_location(err)}: {where}{err.message} [{err.rule}]\n")
    n = len(result.sorted_errors())
    if n:
        out.write(f"共检查 {result.checked} 个文件，发现 {n} 个错误。\n")
    else:
        out.write(f"共检查 {result.checked} 个文件，全部通过。\n")


def report_json(result: Result, out: TextIO, root: Path | None = None) -> None:
    """`{"checked": N, "errors": [...]}` for programs."""
    doc = {"checked": result.checked, "errors": [e.as_dict() for e in _errors(result)]}
    json.dump(doc, out, ensure_ascii=False, indent=2)
    out.write("\n")


def _escape_data(s: str) -> str:
    # GitHub workflow-command escaping (see actions/toolkit command.ts)
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def report_github(result: Result, out: TextIO, root: Path | None = None) -> None:
    """`::error file=…,line=…,col=…,title=…::message`, shown by GitHub on the changed line."""
    for err in _errors(result):
        props = [f"file={_escape_property(err.file)}"]
        if err.line:
            props += [f"line={err.line}", f"col={err.column or 1}"]
        props.append(f"title={_escape_property(err.rule)}")
        where = f"{err.path}: " if err.path else ""
        out.write(f"::error {','.join(props)}::{_escape_data(where + err.message)}\n")
    n = len(result.sorted_errors())
    out.write(f"共检查 {result.checked} 个文件，发现 {n} 个错误。\n")


# Each reporter is reporter(result, out, root); root lets the review formats read a line back
# to count columns the way their consumers do.
REPORTER_BY_NAME: dict[str, Callable[[Result, TextIO, Path | None], None]] = {
    "text": report_text,
    "json": report_json,
    "github": report_github,
    "summary": report_summary,  # job-summary Markdown ($GITHUB_STEP_SUMMARY)
    "rdjson": report_rdjson,  # reviewdog: review comments on GitHub and Gitea/Forgejo
    "sarif": report_sarif,  # SARIF 2.1.0 for code-scanning tools
}
