"""The site's 最近更新 page and per-record change history, from a real git history."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from weibao.audit.site import contribute
from weibao.repo import Repository

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "audit"
UPDATE = os.environ.get("WEIBAO_UPDATE_GOLDEN") == "1"

# what the site helper passes: the valid records of today, program records included
RECORDS = {
    "orgs": [
        {"id": "laiyang-centre", "name": "莱阳市未成年人救助保护中心"},
        {"id": "broken", "name": "莱阳市阳光社工站"},
    ],
    "hotlines": [{"id": "laiyang-child-hotline", "name": "莱阳市儿童救助保护热线"}],
    "policies": [{"id": "ly-2024", "title": "莱阳市困境儿童保障工作实施方案"}],
    "cases": [{"id": "c-0k2m9q4x3d"}],
}


def _build(root: Path) -> Path:
    spec = importlib.util.spec_from_file_location("audit_gitrepo", FIXTURES / "gitrepo.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.build(root)
    shutil.copytree(ROOT / "schemas", root / "schemas")  # field titles for the summaries
    return root


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    base = tmp_path_factory.mktemp("site")
    root = _build(base / "repo")
    extras: dict = {"nav": [{"首页": "index.md"}]}
    contribute(Repository(root), RECORDS, base / "docs", extras)
    return base / "docs", extras


def test_changes_page_matches_golden(site):
    """最近更新 lists public changes newest first, linked to today's pages, in words."""
    docs, _ = site
    text = (docs / "changes.md").read_text(encoding="utf-8")
    golden = FIXTURES / "expected" / "changes.md"
    if UPDATE:
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_program_records_never_reach_the_site(site):
    """Neither the page nor the history mention a case, its id or its fields."""
    docs, extras = site
    text = (docs / "changes.md").read_text(encoding="utf-8")
    assert "c-0k2m9q4x3d" not in text and "个案" not in text and "cases/" not in text
    assert not any("cases" in key for key in extras["history"])


def test_history_per_record_follows_renames(site):
    """A renamed hotline's history includes the change made under its old id."""
    _, extras = site
    assert extras["history"]["records/hotlines/laiyang-child-hotline.yaml"] == [
        {
            "date": "2026-03-01",
            "summary": "编号由 laiyang-12349 改为 laiyang-child-hotline；修改了服务时间、最近核实日期",
        },
        {"date": "2026-01-05", "summary": "新增"},
    ]
    assert extras["history"]["records/orgs/laiyang-centre.yaml"][0] == {
        "date": "2026-02-10",
        "summary": "修改了名称、电话、服务、最近核实日期",
    }
    assert "records/orgs/laiyang-station.yaml" not in extras["history"]  # deleted: no page


def test_nav_entry_is_appended(site):
    """The page is added after the existing nav entries."""
    _, extras = site
    assert extras["nav"] == [{"首页": "index.md"}, {"最近更新": "changes.md"}]


def test_links_pass_mkdocs_strict(site, tmp_path):
    """Every link on the page resolves in a site laid out as the site helper lays it out."""
    docs, _ = site
    project = tmp_path / "project"
    shutil.copytree(docs, project / "docs")
    for page in [
        "index.md",
        "hotlines.md",
        "orgs/laiyang-centre.md",
        "orgs/broken.md",
        "policies/ly-2024.md",
    ]:
        (project / "docs" / page).parent.mkdir(parents=True, exist_ok=True)
        (project / "docs" / page).write_text("# 页面\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        "site_name: t\nvalidation:\n  links:\n    not_found: warn\n    absolute_links: warn\n"
        "    unrecognized_links: warn\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [str(Path(os.sys.executable).parent / "mkdocs"), "build", "--strict", "-q"],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr


def test_without_git_the_page_says_so(make_repo, tmp_path):
    """A site built from a plain folder still gets the page, with an explanation."""
    root = make_repo()
    if subprocess.run(["git", "rev-parse"], cwd=root, capture_output=True).returncode == 0:
        pytest.skip("the temporary folder is inside a git work tree")
    extras: dict = {}
    contribute(Repository(root), {}, tmp_path / "docs", extras)
    assert "没有修改记录" in (tmp_path / "docs" / "changes.md").read_text(encoding="utf-8")
    assert extras == {"history": {}, "nav": [{"最近更新": "changes.md"}]}
