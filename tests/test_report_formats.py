"""Feedback that reaches every contributor: job-summary Markdown and review-tool formats.

The summary must list every error (GitHub shows only 10 annotations per step, Forgejo none) and
must stay inert whatever a record says; rdjson and SARIF must match their published schemas and
put the comment on the right character of a Chinese line.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import cmarkgfm
import jsonschema
import pytest
from cmarkgfm.cmark import Options

from weibao.cli import main
from weibao.reporters.summary import BUDGET_BYTES, report_summary
from weibao.result import Error, Result

SCHEMAS = Path(__file__).resolve().parent / "fixtures" / "report"
# A value anyone can type into a record, echoed back by the vocabulary error message
HOSTILE = '<img src=x onerror=alert(1)> | [点我](http://evil.example) @someone `code` **粗** &amp;'
BAD_KIND = f"""\
id: bad-kind
name: 示例中心
kind: "{HOSTILE.replace('"', '')}"
region: "370682"
services: [政策落实, 不存在的服务]
source:
  document: laiyang-2024-report
verified: 2024-08-06
"""
UNKNOWN_KEY = """\
id: other
name: 另一个中心
kind: 民政局
region: "370682"
nmae: 莱阳
source:
  document: laiyang-2024-report
verified: 2024-08-06
"""


def render(md: str) -> str:
    """GitHub's own Markdown renderer (cmark-gfm), raw HTML allowed: the worst case for us."""
    return cmarkgfm.github_flavored_markdown_to_html(md, options=Options.CMARK_OPT_UNSAFE)


def _schema(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


@pytest.fixture
def bad_repo(make_repo) -> Path:
    return make_repo({"records/orgs/bad-kind.yaml": BAD_KIND, "records/orgs/other.yaml": UNKNOWN_KEY})


def _run(root: Path, fmt: str, capsys) -> tuple[int, str]:
    rc = main(["--root", str(root), "validate", "--format", fmt])
    return rc, capsys.readouterr().out


def _expected(root: Path, capsys) -> list[dict]:
    rc, out = _run(root, "json", capsys)
    assert rc == 1
    return json.loads(out)["errors"]


# --- job summary ------------------------------------------------------------------------------


def test_summary_lists_every_error_grouped_by_file(bad_repo, capsys):
    errors = _expected(bad_repo, capsys)
    rc, out = _run(bad_repo, "summary", capsys)
    assert rc == 1
    assert f"发现 {len(errors)} 个错误（2 个文件）" in out
    html = render(out)
    headings = re.findall(r"<h4>(.*?)</h4>", html)
    assert headings == ["records/orgs/bad-kind.yaml（2 个错误）", "records/orgs/other.yaml（1 个错误）"]
    rows = re.findall(r"<tr>\s*<td>(.*?)</td>\s*<td>(.*?)</td>", html, re.S)
    assert rows == [(f"{e['line']}:{e['column']}", e["path"]) for e in errors]


def test_summary_is_inert_whatever_a_record_says(bad_repo, capsys):
    """HTML, links, mentions and table pipes in an echoed value come out as visible text."""
    _, out = _run(bad_repo, "summary", capsys)
    html = render(out)
    assert "<img" not in html and "<a " not in html and "<code>" not in html
    assert "<strong>" not in html
    # every row still has exactly four cells: the value's `|` did not open a fifth
    rows = [r for r in re.findall(r"<tr>(.*?)</tr>", html, re.S) if "<th" not in r]
    assert len(rows) == 3
    for row in rows:
        assert row.count("<td") == 4, row
    text = re.sub(r"<[^>]+>", "", html)
    assert "&lt;img src=x onerror=alert(1)&gt; | [点我](http:\u200b//evil.example)" in text  # shown, not run


def test_summary_when_everything_passes(make_repo, capsys):
    rc, out = _run(make_repo(), "summary", capsys)
    assert rc == 0
    assert out.startswith("### 记录校验：全部通过")


def test_summary_stays_under_githubs_limit_and_says_what_it_left_out():
    """100,000 errors do not overflow the 1 MiB summary; the reader is told how many are missing."""
    import io

    result = Result(checked=50_000, errors=[
        Error(f"records/cases/c-{i:010d}.yaml", 3, 5, "region", "schema-pattern", "县级代码应为 6 位数字。")
        for i in range(100_000)
    ])
    out = io.StringIO()
    report_summary(result, out)
    text = out.getvalue()
    assert len(text.encode("utf-8")) <= BUDGET_BYTES + 1000
    left = int(re.search(r"还有 (\d+) 个错误没有列出", text)[1])
    shown = len(re.findall(r"^\| 3:5 \|", text, re.M))
    assert shown + left == 100_000 and shown > 1000


# --- reviewdog rdjson -------------------------------------------------------------------------


def test_rdjson_matches_reviewdogs_schema_and_lists_every_error(bad_repo, capsys):
    errors = _expected(bad_repo, capsys)
    rc, out = _run(bad_repo, "rdjson", capsys)
    doc = json.loads(out)
    assert rc == 1
    jsonschema.validate(doc, _schema("rdjson-DiagnosticResult.schema.json"))
    got = [(d["location"]["path"], d["location"]["range"]["start"]["line"], d["code"]["value"])
           for d in doc["diagnostics"]]
    assert got == [(e["file"], e["line"], e["rule"]) for e in errors]
    assert all(d["severity"] == "ERROR" for d in doc["diagnostics"])


def test_rdjson_schema_rejects_a_broken_document():
    """The vendored schema is a real check: a wrong severity or a text line number fails it."""
    schema = _schema("rdjson-DiagnosticResult.schema.json")
    for bad in ({"diagnostics": [{"message": "x", "severity": "FATAL"}]},
                {"diagnostics": [{"message": "x", "location": {"path": "a", "range": {"start": {"line": "5"}}}}]}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema)


def test_rdjson_counts_columns_in_utf8_bytes(bad_repo, capsys):
    """reviewdog columns are UTF-8 bytes: the comment lands on 不存在的服务, not four characters on."""
    _, out = _run(bad_repo, "rdjson", capsys)
    (diag,) = [d for d in json.loads(out)["diagnostics"] if d["code"]["value"] == "vocab-term"
               and "不存在的服务" in d["message"]]
    start = diag["location"]["range"]["start"]
    line = (bad_repo / "records/orgs/bad-kind.yaml").read_text(encoding="utf-8").splitlines()[start["line"] - 1]
    assert line.encode("utf-8")[start["column"] - 1:].decode("utf-8").startswith("不存在的服务")


# --- SARIF --------------------------------------------------------------------------------------


def test_sarif_matches_the_oasis_schema(bad_repo, capsys):
    errors = _expected(bad_repo, capsys)
    rc, out = _run(bad_repo, "sarif", capsys)
    doc = json.loads(out)
    assert rc == 1
    jsonschema.validate(doc, _schema("sarif-2.1.0.schema.json"))
    (run,) = doc["runs"]
    assert [r["ruleId"] for r in run["results"]] == [e["rule"] for e in errors]
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} == {e["rule"] for e in errors}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**doc, "version": "2.0.0"}, _schema("sarif-2.1.0.schema.json"))


def test_sarif_counts_columns_in_utf16_units(bad_repo, capsys):
    _, out = _run(bad_repo, "sarif", capsys)
    (res,) = [r for r in json.loads(out)["runs"][0]["results"] if "不存在的服务" in r["message"]["text"]]
    region = res["locations"][0]["physicalLocation"]["region"]
    path = bad_repo / res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    line = path.read_text(encoding="utf-8").splitlines()[region["startLine"] - 1]
    units = line.encode("utf-16-le")[(region["startColumn"] - 1) * 2:]
    assert units.decode("utf-16-le").startswith("不存在的服务")


# --- one run, several outputs ----------------------------------------------------------------


def test_one_validation_writes_several_formats(bad_repo, tmp_path, capsys):
    """CI validates once and writes annotations, the summary page and the review file."""
    summary, rdjson = tmp_path / "摘要.md", tmp_path / "review.rdjson"
    rc = main(["--root", str(bad_repo), "validate", "--format", "github",
               "--format", f"summary={summary}", "--format", f"rdjson={rdjson}"])
    out = capsys.readouterr().out
    assert rc == 1
    assert out.startswith("::error ")
    assert "#### records/orgs/bad\\-kind\\.yaml（2 个错误）" in summary.read_text(encoding="utf-8")
    assert len(json.loads(rdjson.read_text(encoding="utf-8"))["diagnostics"]) == 3


@pytest.mark.parametrize(
    "formats",
    [["--format", "xml"], ["--format", "summary="], ["--format", "text", "--format", "json"],
     ["--format", "rdjson=/nonexistent-folder/x.json"]],
    ids=["unknown", "empty-file", "two-to-screen", "unwritable"],
)
def test_bad_format_option_is_a_usage_error(bad_repo, formats, capsys):
    try:
        rc = main(["--root", str(bad_repo), "validate", *formats])
    except SystemExit as exc:  # argparse refuses before anything runs
        rc = exc.code
    assert rc == 2
    err = capsys.readouterr().err
    assert "用法错误" in err or err.startswith("weibao: ")
    assert "--format" in err
