"""`weibao fmt`: one canonical form for every record file; never a changed value or a lost comment."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from weibao.cli import main
from weibao.fmt.canonical import Emitter, Schemas, plain_ok
from weibao.fmt.roundtrip import NotLoadable, format_text
from weibao.load import load_text
from weibao.repo import Repository

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "fmt"


@pytest.fixture(scope="module")
def project() -> tuple[Repository, Schemas]:
    repo = Repository(ROOT)
    return repo, Schemas(repo.shared_schemas)


def _samples(repo: Repository):
    for c in repo.collections:
        for p in repo.record_files(c):
            yield c, p


def _comments(text: str) -> list[str]:
    return sorted(line.split("#", 1)[1].strip() for line in text.splitlines() if "#" in line)


def test_every_sample_file_keeps_its_value_and_is_idempotent(project):
    repo, schemas = project
    count = 0
    for collection, path in _samples(repo):
        text = path.read_text(encoding="utf-8")
        once = format_text(text, repo.schemas[collection], schemas, path.name)
        assert load_text("a", once).value == load_text("b", text).value, path
        assert format_text(once, repo.schemas[collection], schemas, path.name) == once, path
        count += 1
    assert count > 1000


def test_fast_emitter_and_comment_preserving_path_agree(project):
    """A trailing comment forces the ruamel.yaml path; its output must equal the fast emitter's."""
    repo, schemas = project
    samples = list(_samples(repo))[::30]
    for collection, path in samples:
        text = path.read_text(encoding="utf-8")
        canonical = format_text(text, repo.schemas[collection], schemas, path.name)
        forced = canonical + "# 尾注\n"
        assert format_text(forced, repo.schemas[collection], schemas, path.name) == forced, path


def test_messy_file_is_ordered_quoted_and_keeps_every_comment(project):
    repo, schemas = project
    text = (FIXTURES / "messy-org.yaml").read_text(encoding="utf-8")
    out = format_text(text, repo.schemas["orgs"], schemas)
    assert load_text("x", out).value == load_text("x", text).value
    assert _comments(out) == _comments(text)
    keys = [line.split(":")[0] for line in out.splitlines() if line[:1].isalpha()]
    assert keys == ["id", "name", "kind", "region", "phones", "services", "description", "source", "verified"]
    assert 'verified: "2024-05-01"' in out
    assert 'region: "370682"' in out
    assert "kind: 未成年人保护工作站" in out
    assert out.splitlines()[0] == "# 顶部注释：保留"
    assert format_text(out, repo.schemas["orgs"], schemas) == out


@pytest.mark.parametrize("ending", ["\n", "\r\n"])
@pytest.mark.parametrize("bom", ["", "\ufeff"])
def test_line_endings_and_bom_are_preserved(project, ending, bom):
    repo, schemas = project
    text = bom + "name: 甲\nid: a-b\nregion: '370682'\n".replace("\n", ending)
    out = format_text(text, repo.schemas["orgs"], schemas)
    assert out == bom + 'id: a-b\nname: 甲\nregion: "370682"\n'.replace("\n", ending)


@pytest.mark.parametrize(
    "text",
    [
        "id: x\nid: y\n",  # duplicate key
        "id: x\nflag: no\n",  # YAML 1.1 trap
        "id: [unclosed\n",
        "- a list\n",
    ],
)
def test_a_file_the_strict_loader_refuses_is_not_touched(project, text):
    repo, schemas = project
    with pytest.raises(NotLoadable):
        format_text(text, repo.schemas["orgs"], schemas)


TRICKY = [
    "no", "yes", "on", "Off", "null", "Null", "~", "true", "0755", "0x1F", "1:30", "1_000",
    "2024-05-01", "2024-05", "370682", "6-11", ".inf", "-", "- a", "? q", "a: b", "a #b", "#c",
    "C#", "x,y", "[a]", "{a}", "'q'", '"q"', "&anchor", "*alias", "!tag", "|", ">", "%p", "@a",
    "`b`", " lead", "trail ", "tab\tin", "back\\slash", "多行\n文字", "结尾换行\n", "两个\n\n",
    "  缩进\n第二行", "", "全角：冒号", "中文, 英文逗号", "emoji 🙂", "\u3000全角空格",
]


@pytest.mark.parametrize("value", TRICKY)
def test_emitter_never_changes_a_string(project, value):
    """Every string survives the emitter in every position: top level, list, list of mappings."""
    repo, schemas = project
    record = {"id": "x", "name": value, "services": [value, "b"], "phones": [{"label": value, "number": "12349"}]}
    text = Emitter(schemas).render(record, repo.schemas["orgs"])
    loaded = load_text("x", text)
    assert not loaded.errors, text
    assert loaded.value == record, text
    assert format_text(text, repo.schemas["orgs"], schemas) == text


def test_random_strings_survive(project):
    repo, schemas = project
    rng = random.Random(15)
    alphabet = "ab0123456789-:.,#'\"[]{}!&*|>?@% \t\n中文：，“”\\"
    for i in range(2000):
        value = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        record = {"id": "x", "name": value, "services": [value]}
        text = Emitter(schemas).render(record, repo.schemas["orgs"])
        assert load_text("x", text).value == record, repr(value)
        if i % 40 == 0:  # the comment-preserving path writes the same text
            forced = text + "# 注\n"
            assert format_text(forced, repo.schemas["orgs"], schemas) == forced, repr(value)


def test_numbers_and_codes_are_always_quoted():
    for value in ["370682", "2024-05", "2024-05-01", "08:30", "0913-12345", "6-11", "12349"]:
        assert not plain_ok(value)
    for value in ["蓝", "在管", "12349热线", "探访关爱"]:
        assert plain_ok(value)


def _repo_copy(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "schemas", root / "schemas")
    shutil.copytree(ROOT / "tests" / "fixtures" / "base", root, dirs_exist_ok=True)
    (root / "weibao.yaml").write_text("jurisdiction:\n  name: 测试\n  regions: ['370682']\n", encoding="utf-8")
    return root


def test_cli_check_lists_without_writing_then_fmt_rewrites(tmp_path, capsys):
    root = _repo_copy(tmp_path)
    target = root / "records" / "orgs" / "messy-org.yaml"
    shutil.copy(FIXTURES / "messy-org.yaml", target)
    before = target.read_bytes()
    assert main(["--root", str(root), "fmt", "--check"]) == 1
    assert "records/orgs/messy-org.yaml" in capsys.readouterr().out
    assert target.read_bytes() == before
    assert main(["--root", str(root), "fmt", str(target)]) == 0
    assert target.read_bytes() != before
    assert main(["--root", str(root), "fmt", "--check", str(target)]) == 0
    assert not list(target.parent.glob(".*.tmp"))


def test_cli_reports_a_broken_file_and_leaves_it(tmp_path, capsys):
    root = _repo_copy(tmp_path)
    target = root / "records" / "orgs" / "broken.yaml"
    target.write_text("id: broken\nid: again\n", encoding="utf-8")
    assert main(["--root", str(root), "fmt", str(target)]) == 1
    assert "不能整理" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "id: broken\nid: again\n"


def test_pull_requests_and_pre_commit_run_fmt_check():
    import yaml

    pr = yaml.load((ROOT / ".github/workflows/pr.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    runs = [s.get("run", "") for job in pr["jobs"].values() for s in job["steps"]]
    assert any("nox -s fmt -- --check" in r for r in runs)
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (fmt,) = [h for h in hooks if h["id"] == "weibao-fmt"]
    assert fmt["entry"] == "weibao fmt --check"


def test_the_fast_plain_rule_agrees_with_the_strict_loader():
    """Strings the shortcut writes without quotes are ones the strict loader reads back as text."""
    import re

    from weibao.fmt.canonical import _SAFE_WORD, plain_by_parse

    rng = random.Random(7)
    alphabet = "abyesnoYNtrufl0123456789-_e.中文（）"
    checked = 0
    for _ in range(20000):
        value = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 8)))
        if _SAFE_WORD.match(value) and not re.match(r"[-+.]?[0-9]", value):
            assert plain_by_parse(value), value
            checked += 1
    assert checked > 1000


def test_the_committed_repository_is_in_canonical_form(capsys):
    """`weibao fmt --check` passes on the repository as committed (CI runs the same check)."""
    assert main(["--root", str(ROOT), "fmt", "--check"]) == 0, capsys.readouterr().out[:2000]
