"""The staff workflow files: CI workflows, issue forms, CODEOWNERS, pre-commit, editor schemas."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema_rs
import pytest
import yaml

from weibao.cli import COMMANDS
from weibao.load import load_file

ROOT = Path(__file__).resolve().parent.parent
GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
ISSUE_FORMS = sorted(p for p in (GITHUB / "ISSUE_TEMPLATE").glob("*.yml") if p.name != "config.yml")
COLLECTIONS = sorted(
    p.name.removesuffix(".schema.json")
    for p in (ROOT / "schemas").glob("*.schema.json")
    if json.loads(p.read_text(encoding="utf-8")).get("x-collection", True)
)
SHA_PIN = re.compile(r"^\s*(?:-\s*)?uses:\s*[\w.-]+/[\w./-]+@[0-9a-f]{40}\s+#\s*v\d+(?:\.\d+)*\s*$")


def load(path: Path) -> dict:
    # BaseLoader: every scalar stays text and the key `on` stays "on" (not YAML 1.1 True)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


@pytest.mark.parametrize(
    ("schema", "files"),
    [
        ("vendor.github-workflows", WORKFLOWS),
        ("vendor.github-issue-forms", ISSUE_FORMS),
        ("vendor.github-issue-config", [GITHUB / "ISSUE_TEMPLATE" / "config.yml"]),
        ("vendor.dependabot", [GITHUB / "dependabot.yml"]),
    ],
)
def test_files_pass_check_jsonschema(schema, files):
    """GitHub's own schemas (vendored in check-jsonschema, no network) accept every file."""
    assert files
    proc = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *map(str, files)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_expected_workflows_exist():
    """The pull-request check, the site deployment, the weekly verification list, and public
    corrections turned into pull requests."""
    assert {p.name for p in WORKFLOWS} >= {"pr.yml", "site.yml", "stale.yml", "corrections.yml"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_pinned_by_commit(path):
    """Every `uses:` names a full 40-hex commit with the version in a comment."""
    lines = [
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if re.match(r"\s*(-\s*)?uses:", line)
    ]
    assert lines
    for line in lines:
        assert SHA_PIN.match(line), line


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_least_privilege(path):
    """No permissions by default; a job gets read access, and only deploy may write (Pages)."""
    flow = load(path)
    assert flow["permissions"] == {}
    for name, job in flow["jobs"].items():
        perms = job.get("permissions")
        assert isinstance(perms, dict), f"{name}: permissions must be explicit"
        writes = {k for k, v in perms.items() if v == "write"}
        if path.name == "site.yml" and name == "deploy":
            assert perms == {"contents": "read", "pages": "write", "id-token": "write"}
        elif path.name == "pr.yml" and name == "review":  # reviewdog's comments, no PR code run
            assert perms == {"contents": "read", "pull-requests": "write"}
        elif path.name == "corrections.yml" and name == "propose":  # branch + draft PR
            assert perms == {"contents": "write", "pull-requests": "write"}
        else:
            assert writes == set(), f"{name} may not write: {writes}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_checkout_keeps_no_credentials(path):
    """The token is never left in .git/config for later steps."""
    for job in load(path)["jobs"].values():
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] == "false"


def test_pr_workflow_is_safe_for_forks():
    """pull_request (not pull_request_target), no secrets, full history for the diff; the job
    that runs the pull request's code has no token, the one with a token runs none of it."""
    text = (GITHUB / "workflows" / "pr.yml").read_text(encoding="utf-8")
    flow = load(GITHUB / "workflows" / "pr.yml")
    assert set(flow["on"]) == {"pull_request"}
    assert "pull_request_target" not in text
    assert "secrets." not in text and "GITHUB_TOKEN" not in text
    checkout = flow["jobs"]["validate"]["steps"][0]
    assert checkout["with"]["fetch-depth"] == "0"
    assert "github.token" not in json.dumps(flow["jobs"]["validate"])
    review = flow["jobs"]["review"]
    assert [s["env"]["REVIEWDOG_GITHUB_API_TOKEN"] for s in review["steps"] if "env" in s] == [
        "${{ github.token }}"]
    assert not any("nox" in s.get("run", "") or "pip" in s.get("run", "") for s in review["steps"])
    # event values reach the shell through env, never pasted into the script
    for job in flow["jobs"].values():
        for step in job["steps"]:
            assert "${{" not in step.get("run", "")


def _nox_sessions() -> set[str]:
    text = (ROOT / "noxfile.py").read_text(encoding="utf-8")
    return set(re.findall(r"@nox\.session[^\n]*\ndef (\w+)\(", text))


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_steps_run_nox_sessions_only(path):
    """Workflows only install tools and call nox sessions that exist in noxfile.py."""
    sessions = _nox_sessions()
    for job in load(path)["jobs"].values():
        for step in job["steps"]:
            run = step.get("run")
            if run is None:
                continue
            if "-m nox" in run:
                name = re.search(r"-m nox -s (\w+)", run)[1]
                assert name in sessions, f"nox session {name} is not in noxfile.py"
            elif run.startswith("reviewdog "):  # posts the validation results, runs no code
                assert path.name == "pr.yml" and "-f=rdjson" in run
            else:
                assert re.search(r"pip install .*\bnox\b|apt-get", run), run


def test_pr_workflow_steps():
    """Changed files first (fast), then the whole repository with commit messages."""
    runs = [
        s.get("run", "") for s in load(GITHUB / "workflows" / "pr.yml")["jobs"]["validate"]["steps"]
    ]
    changed = next(i for i, r in enumerate(runs) if "-s validate_changed" in r)
    whole = next(i for i, r in enumerate(runs) if "-s validate " in r)
    assert changed < whole
    assert "--format github" in runs[whole] and "--commits" in runs[whole]
    # every error reaches the run's summary page and the review file, in the same run
    assert '--format "summary=${GITHUB_STEP_SUMMARY}"' in runs[whole]
    assert '--format "rdjson=${RUNNER_TEMP}/weibao.rdjson"' in runs[whole]


def test_site_workflow_deploys_to_pages():
    """The site is built on main and deployed with the Pages actions."""
    flow = load(GITHUB / "workflows" / "site.yml")
    assert flow["on"]["push"]["branches"] == ["main"]
    uses = [s.get("uses", "") for j in flow["jobs"].values() for s in j["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    assert flow["jobs"]["deploy"]["needs"] == "build"


def test_stale_workflow_is_weekly():
    """The verification list runs on a weekly schedule."""
    cron = load(GITHUB / "workflows" / "stale.yml")["on"]["schedule"][0]["cron"]
    assert cron.split()[2:] == ["*", "*", "1"]


# --- pull requests and issues -------------------------------------------------------------


@pytest.mark.parametrize(
    "words",
    ["姓名", "化名", "身份证号", "电话", "出生日期", "学校", "住址", "月份", "县级", "提交说明"],
)
def test_pull_request_template_privacy_checklist(words):
    """The template asks about every identifier the privacy rules forbid."""
    text = (GITHUB / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    checklist = [line for line in text.splitlines() if line.startswith("- [ ]")]
    assert any(words in line for line in checklist), words


@pytest.mark.parametrize("path", ISSUE_FORMS, ids=lambda p: p.name)
def test_issue_forms_warn_and_ask_for_privacy(path):
    """Public forms say they are not an emergency channel and require a privacy confirmation."""
    form = load(path)
    assert "12349" in form["body"][0]["attributes"]["value"]
    boxes = [b for b in form["body"] if b["type"] == "checkboxes"]
    assert boxes and all(o["required"] == "true" for b in boxes for o in b["attributes"]["options"])


def test_issue_forms_for_hotlines_and_orgs():
    """A member of the public can report a wrong hotline or organisation."""
    names = {load(p)["name"] for p in ISSUE_FORMS}
    assert names >= {"热线号码有误", "机构信息有误"}


def test_codeowners_paths_exist():
    """Every owned records/ path is a real collection; every rule has an @owner."""
    lines = [
        line.split()
        for line in (GITHUB / "CODEOWNERS").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines[0][0] == "*"
    for pattern, *owners in lines:
        assert owners and all(o.startswith("@") for o in owners), pattern
        m = re.match(r"/records/([^/*]+)/", pattern)
        if m:
            assert m[1] in COLLECTIONS, pattern
    owned = {m[1] for p, *_ in lines if (m := re.match(r"/records/([^/*]+)/$", p))}
    assert owned >= {"cases", "clues", "activities", "orgs", "hotlines", "policies"}


# --- pre-commit -------------------------------------------------------------------------


def test_pre_commit_hooks_run_the_validator():
    """The published hook and this repository's hook both run `weibao validate` on records."""
    (published,) = [h for h in load(ROOT / ".pre-commit-hooks.yaml") if h["id"] == "weibao-validate"]
    (local,) = [
        h for h in load(ROOT / ".pre-commit-config.yaml")["repos"][0]["hooks"] if h["id"] == "weibao-validate"
    ]
    for hook in (published, local):
        assert hook["entry"] == "weibao validate" and "validate" in COMMANDS
        assert hook["pass_filenames"] == "true"
        assert re.search(hook["files"], "records/orgs/laiyang-centre.yaml")
        assert re.search(hook["files"], "statistics/tables.yaml")  # the table definitions too
        assert not re.search(hook["files"], "src/weibao/cli.py")
        assert not re.search(hook["files"], "statistics/tables.yaml.bak")


# --- editor -----------------------------------------------------------------------------


def test_bundled_schemas_are_up_to_date():
    """schemas/bundled/ is what scripts/bundle_schemas.py generates from schemas/ now."""
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bundle_schemas.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout


def test_vscode_associates_every_collection():
    """Each records/<collection>/ folder is mapped to its bundled schema, which exists."""
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapping = settings["yaml.schemas"]
    for collection in COLLECTIONS:
        schema = f"./schemas/bundled/{collection}.schema.json"
        assert mapping[schema] == [f"/records/{collection}/*.yaml"]
        assert (ROOT / schema).is_file()
    extensions = json.loads((ROOT / ".vscode" / "extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]


def _validators(collection: str):
    shared = [
        (s["$id"], s)
        for p in (ROOT / "schemas").glob("*.schema.json")
        if (s := json.loads(p.read_text(encoding="utf-8")))
    ]
    real = json.loads((ROOT / "schemas" / f"{collection}.schema.json").read_text(encoding="utf-8"))
    bundled = json.loads(
        (ROOT / "schemas" / "bundled" / f"{collection}.schema.json").read_text(encoding="utf-8")
    )
    assert "$ref" not in json.dumps(bundled), "an editor would try to fetch a $ref"
    return (
        jsonschema_rs.Draft202012Validator(real, registry=jsonschema_rs.Registry(shared)),
        jsonschema_rs.Draft7Validator(bundled),
    )


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_bundled_schema_judges_like_the_real_one(collection):
    """On this repository's records and on broken copies, both schemas agree."""
    real, bundled = _validators(collection)
    files = sorted((ROOT / "records" / collection).glob("*.yaml"))[:20]
    samples = []
    for path in files:
        record = load_file(path, path.name, 1 << 22).value
        if record is not None:
            samples += [record, {**record, "id": 12}, {**record, "unknown_field": "x"}]
    for record in samples:
        assert real.is_valid(record) == bundled.is_valid(record), record


def test_bundled_schema_keeps_field_titles():
    """Hovers show the field's own title, not the shared definition's."""
    bundled = json.loads(
        (ROOT / "schemas" / "bundled" / "orgs.schema.json").read_text(encoding="utf-8")
    )
    assert bundled["properties"]["region"]["title"] == "所在地区"
    assert bundled["properties"]["region"]["pattern"]


# --- staff guide ------------------------------------------------------------------------


def test_guide_pages_link_to_each_other():
    """The staff guide exists in Chinese and its relative links point at real pages."""
    guide = ROOT / "site" / "guide"
    assert (guide / "index.md").read_text(encoding="utf-8").startswith("# 如何提交修改")
    for page in guide.glob("*.md"):
        for target in re.findall(r"\]\(([^)#:]+\.md)\)", page.read_text(encoding="utf-8")):
            assert (page.parent / target).is_file(), f"{page.name} → {target}"
