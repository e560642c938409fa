"""Corrections from the public become pull requests, once a staff member says so.

The issue forms (.github/ISSUE_TEMPLATE: 热线号码有误, 机构信息有误) are read to learn their
questions; the issue is read from the event file GitHub hands the workflow ($GITHUB_EVENT_PATH),
never from a shell argument. The named record is found by its id, number or name; the change is
a marker comment for the reviewer, plus the new number when the public gave an unambiguous
public landline or short number. A mobile number is never copied: it could be anyone's.
Free text from the issue never enters a file, a commit message or the pull request: they name
only the issue number, the record and the problem chosen from the form's fixed list.

    python -m weibao.correction EVENT.json   # writes changed/branch/title/... to $GITHUB_OUTPUT
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from weibao.load import load_file
from weibao.repo import Repository

FORMS_DIR = ".github/ISSUE_TEMPLATE"
# issue label set by the form → (form file, collection, question ids: record, problem, correction)
FORMS = {
    "热线纠错": ("hotline-wrong.yml", "hotlines", "hotline", "problem", "correct"),
    "机构纠错": ("org-wrong.yml", "orgs", "org", "field", "correct"),
}
# the label only staff (triage rights) can add: the go-ahead for a pull request
GO_AHEAD = "核实后改正"
NO_RESPONSE = "_No response_"
# landlines and service numbers only; an 11-digit mobile is never copied from an issue
PUBLIC_NUMBER = re.compile(r"(?<![\d-])(0\d{2,3}-\d{7,8}|400-\d{3}-\d{4}|1\d{4}|\d{3})(?![\d-])")
ID_LIKE = re.compile(r"[a-z0-9][a-z0-9-]{1,62}[a-z0-9]")


@dataclass
class Proposal:
    path: Path
    record_id: str
    problem: str
    text: str  # the record file's new text
    number: str | None  # the new hotline number, when one was taken from the issue


class NotApplicable(Exception):
    """No pull request: the message says why (in Chinese, without quoting the issue)."""


def questions(form_path: Path) -> tuple[dict[str, str], dict[str, list[str]]]:
    """label → question id, and question id → the fixed options of a dropdown."""
    form = yaml.safe_load(form_path.read_text(encoding="utf-8"))
    labels, options = {}, {}
    for item in form["body"]:
        if "id" in item:
            labels[item["attributes"]["label"]] = item["id"]
            if item["type"] == "dropdown":
                options[item["id"]] = list(item["attributes"]["options"])
    return labels, options


def answers(body: str, labels: dict[str, str]) -> dict[str, str]:
    """The issue form's answers by question id (GitHub renders each as '### label')."""
    out: dict[str, str] = {}
    current: str | None = None
    for line in (body or "").splitlines():
        if line.startswith("### "):
            current = labels.get(line[4:].strip())
            if current:
                out[current] = ""
        elif current:
            out[current] += line + "\n"
    return {k: "" if v.strip() == NO_RESPONSE else v.strip() for k, v in out.items()}


def _records(repo: Repository, collection: str) -> list[tuple[Path, dict]]:
    out = []
    for path in repo.record_files(collection):
        value = load_file(path, repo.rel(path), repo.config.validation.max_file_bytes).value
        if isinstance(value, dict) and "id" in value:
            out.append((path, value))
    return out


def find_record(repo: Repository, collection: str, named: str) -> tuple[Path, dict]:
    """The one record the answer names: by id (a pasted page address), number, or name."""
    records = _records(repo, collection)
    ids = set(ID_LIKE.findall(named.lower()))
    digits = {re.sub(r"\D", "", n) for n in re.findall(r"\d[\d-]{1,14}\d", named)}
    for match in (
        lambda r: r["id"] in ids,
        lambda r: re.sub(r"\D", "", str(r.get("number", ""))) in digits,
        lambda r: any(str(r.get(k, "")) and str(r[k]) in named for k in ("name", "short_name")),
    ):
        found = [(p, r) for p, r in records if match(r)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise NotApplicable(f"议题中的名称对应多条记录（{'、'.join(sorted(r['id'] for _, r in found))}），请工作人员手工修改。")
    raise NotApplicable("找不到议题所说的记录，请工作人员手工核对。")


def propose(repo: Repository, label: str, issue: dict, today: dt.date) -> Proposal:
    form_file, collection, record_q, problem_q, correct_q = FORMS[label]
    labels, options = questions(repo.root / FORMS_DIR / form_file)
    given = answers(issue.get("body") or "", labels)
    path, record = find_record(repo, collection, given.get(record_q, ""))
    chosen = [p.strip() for p in given.get(problem_q, "").split(",")]
    allowed = options.get(problem_q, [])
    problem = "、".join(p for p in chosen if p in allowed) or "其他"
    text = path.read_text(encoding="utf-8")
    number = None
    if collection == "hotlines" and "号码错了" in problem:
        found = set(PUBLIC_NUMBER.findall(given.get(correct_q, "")))
        if len(found) == 1 and (new := found.pop()) != str(record.get("number")):
            text, n = re.subn(r'(?m)^number:.*$', f'number: "{new}"', text, count=1)
            number = new if n else None
    marker = (f"# 公众纠错 #{issue['number']}（{today.isoformat()}，{problem}）：工作人员核实后改正有关字段、"
              "更新 verified，并删除本行。\n")
    return Proposal(path, record["id"], problem, marker + text, number)


def _write_outputs(values: dict[str, str]) -> None:
    target = os.environ.get("GITHUB_OUTPUT")
    if not target:
        for key, value in values.items():
            print(f"{key}={value}")
        return
    with open(target, "a", encoding="utf-8") as out:
        for key, value in values.items():
            out.write(f"{key}<<WEIBAO_EOF\n{value}\nWEIBAO_EOF\n")


def run(repo: Repository, event: dict, today: dt.date) -> dict[str, str]:
    """Apply the proposal to the working copy and return the workflow outputs."""
    issue = event["issue"]
    names = {label["name"] for label in issue.get("labels", [])}
    if event.get("label", {}).get("name") != GO_AHEAD:
        raise NotApplicable(f"只有加上“{GO_AHEAD}”标签时才生成合并请求。")
    forms = [label for label in FORMS if label in names]
    if len(forms) != 1:
        raise NotApplicable("这个议题不是由“热线号码有误”或“机构信息有误”表单提交的。")
    proposal = propose(repo, forms[0], issue, today)
    from weibao.validate import validate

    old = proposal.path.read_text(encoding="utf-8")
    proposal.path.write_text(proposal.text, encoding="utf-8")
    result = validate(repo, [proposal.path], today=today)
    if not result.ok:
        proposal.path.write_text(old, encoding="utf-8")
        raise NotApplicable("按议题修改后记录不能通过校验，已放弃：请工作人员手工修改。")
    rel = repo.rel(proposal.path)
    n = issue["number"]
    change = f"号码改为 {proposal.number}；" if proposal.number else ""
    return {
        "changed": "true",
        "branch": f"correction/issue-{n}",
        "path": rel,
        "title": f"公众纠错 #{n}：{rel}",
        "commit": f"公众纠错 #{n}：{proposal.record_id}（{proposal.problem}）",
        "body": (f"根据议题 #{n}（问题：{proposal.problem}）。{change}记录开头加了一行待核实的说明。\n\n"
                 "请工作人员打电话或查官方文件核实，在这个分支上改正有关字段、更新 verified、"
                 "删除那一行说明后再合并。议题的原文没有复制到这里。\n\n"
                 f"Closes #{n}"),
    }


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("用法：python -m weibao.correction 事件文件.json", file=sys.stderr)
        return 2
    from weibao.repo import find_root

    repo = Repository(find_root(Path.cwd()))
    event = json.loads(Path(args[0]).read_text(encoding="utf-8"))
    try:
        outputs = run(repo, event, repo.today())
    except NotApplicable as why:
        print(f"没有生成合并请求：{why}")
        _write_outputs({"changed": "false", "reason": str(why)})
        return 0
    _write_outputs(outputs)
    print(f"已修改 {outputs['path']}，等待生成合并请求。")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
