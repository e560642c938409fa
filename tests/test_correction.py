"""Public corrections (issue forms) become a pull request's change, only after staff say so,
and nothing the public typed reaches a file, a commit message or the pull request text."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from weibao import correction
from weibao.repo import Repository

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2025, 1, 15)
SITE_REPO = ROOT / "tests" / "fixtures" / "site" / "repo"
# synthetic: an identifier-looking text the public should not have written, and must not travel
LEAK = "孩子叫张小明，电话 13912345678"


@pytest.fixture
def repo(tmp_path: Path) -> Repository:
    root = tmp_path / "repo"
    shutil.copytree(SITE_REPO, root)
    shutil.copytree(ROOT / "schemas", root / "schemas")
    shutil.copytree(ROOT / "records" / "vocabularies", root / "records" / "vocabularies")
    shutil.copytree(ROOT / ".github" / "ISSUE_TEMPLATE", root / ".github" / "ISSUE_TEMPLATE")
    return Repository(root)


def _event(form_label: str, body: str, *, go_ahead: str = correction.GO_AHEAD) -> dict:
    return {"action": "labeled", "label": {"name": go_ahead},
            "issue": {"number": 42, "body": body,
                      "labels": [{"name": form_label}, {"name": go_ahead}]}}


def _hotline_body(named: str, problem: str, correct: str) -> str:
    return (f"### 热线名称或号码\n\n{named}\n\n### 哪里不对\n\n{problem}\n\n"
            f"### 正确的信息\n\n{correct}\n\n### 信息来源\n\n_No response_\n\n"
            "### 隐私确认\n\n- [X] 我没有在上面填写任何儿童或求助人的个人信息（姓名、电话、住址、学校等）。\n")


def test_wrong_hotline_number_becomes_a_proposed_change(repo):
    out = correction.run(repo, _event("热线纠错", _hotline_body(
        "测试市困境儿童关爱热线 0535-7654321", "号码错了", "应为 0535-7654300")), TODAY)
    text = (repo.root / out["path"]).read_text(encoding="utf-8")
    assert out["path"] == "records/hotlines/county-care-line.yaml"
    assert 'number: "0535-7654300"' in text
    assert text.startswith("# 公众纠错 #42（2025-01-15，号码错了）")
    assert out["branch"] == "correction/issue-42" and "Closes #42" in out["body"]


def test_a_mobile_number_from_the_public_is_never_copied(repo):
    """An 11-digit mobile could be a child's: the record only gets the marker line."""
    out = correction.run(repo, _event("热线纠错", _hotline_body(
        "0535-7654321", "号码错了", "应为 13912345678")), TODAY)
    text = (repo.root / out["path"]).read_text(encoding="utf-8")
    assert "13912345678" not in text and 'number: "0535-7654321"' in text


@pytest.mark.parametrize("field", ["correct", "named", "problem"])
def test_free_text_never_travels(repo, field):
    """Whatever the public writes (even against the form's warning) stays in the issue."""
    parts = {"named": "全国儿童救助保护热线 12349", "problem": "服务时间不对（如写着 24 小时但夜间无人接听）",
             "correct": "晚上没人接"}
    parts[field] = parts[field] + " " + LEAK
    out = correction.run(repo, _event("热线纠错", _hotline_body(
        parts["named"], parts["problem"], parts["correct"])), TODAY)
    text = (repo.root / out["path"]).read_text(encoding="utf-8")
    for value in (text, *out.values()):
        assert "张小明" not in value and "13912345678" not in value


def test_org_named_by_its_page_address(repo):
    body = ("### 机构名称\n\nhttps://example.invalid/orgs/test-station.html\n\n"
            "### 哪一项有误\n\n电话, 开放时间\n\n### 正确的信息\n\n周六也开放\n\n"
            "### 信息来源\n\n_No response_\n")
    out = correction.run(repo, _event("机构纠错", body), TODAY)
    assert out["path"] == "records/orgs/test-station.yaml"
    assert "（电话、开放时间）" in out["commit"]


@pytest.mark.parametrize(
    ("event", "why"),
    [
        (_event("热线纠错", _hotline_body("12349", "号码错了", "12345"), go_ahead="需要更多信息"), "标签"),
        (_event("其他", _hotline_body("12349", "号码错了", "12345")), "表单"),
        (_event("热线纠错", _hotline_body("不存在的热线 99999", "号码错了", "12345")), "找不到"),
    ],
    ids=["no-go-ahead", "not-a-form", "no-such-record"],
)
def test_no_pull_request_without_staff_go_ahead_or_a_clear_record(repo, event, why):
    before = {p: p.read_text(encoding="utf-8") for p in (repo.root / "records").rglob("*.yaml")}
    with pytest.raises(correction.NotApplicable, match=why):
        correction.run(repo, event, TODAY)
    assert before == {p: p.read_text(encoding="utf-8") for p in (repo.root / "records").rglob("*.yaml")}


def test_problem_outside_the_forms_options_is_not_echoed(repo):
    out = correction.run(repo, _event("热线纠错", _hotline_body("12349", "<script>x</script>", "")), TODAY)
    assert "（其他）" in out["commit"] and "script" not in out["commit"]


def test_the_forms_this_module_reads_are_the_published_ones():
    for label, (form_file, *_rest, record_q, problem_q, correct_q) in correction.FORMS.items():
        labels, options = correction.questions(ROOT / correction.FORMS_DIR / form_file)
        assert {record_q, problem_q, correct_q} <= set(labels.values()), label
        assert problem_q in options


@pytest.mark.parametrize("form_file", [f for f, *_ in correction.FORMS.values()])
def test_forms_tell_the_public_not_to_write_about_a_child(form_file):
    """The opening text and the free-text question both say it, and name the go-ahead label."""
    import yaml

    form = yaml.safe_load((ROOT / correction.FORMS_DIR / form_file).read_text(encoding="utf-8"))
    intro = form["body"][0]["attributes"]["value"]
    assert "不要写任何关于儿童的事" in intro and correction.GO_AHEAD in intro
    free = [b for b in form["body"] if b["type"] == "textarea"]
    assert free and all("不要写任何关于儿童" in b["attributes"]["description"] for b in free)
