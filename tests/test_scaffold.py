"""`weibao new`: a new record that validates as written, with a fresh id, never overwriting."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from weibao.cli import main
from weibao.repo import Repository
from weibao.scaffold import ALPHABET, create, kinds
from weibao.validate import validate

COLLECTIONS = list(kinds())


@pytest.fixture
def root(make_repo, monkeypatch) -> Path:
    root = make_repo()
    monkeypatch.chdir(root)
    return root


def _created(out: str, root: Path) -> Path:
    rel = re.search(r"已新建 (\S+)", out)
    assert rel, out
    return root / rel[1]


def test_new_orgs_unedited_is_refused_then_edited_passes(root, capsys):
    """An unedited `weibao new orgs` fails validation naming each placeholder; filled in, it passes."""
    assert main(["new", "orgs"]) == 0
    path = _created(capsys.readouterr().out, root)
    assert re.fullmatch(r"new-org-[0-9a-hjkmnp-tv-z]{6}\.yaml", path.name)
    assert main(["validate"]) == 1
    out = capsys.readouterr().out
    for fragment in (f"{path.stem}.yaml:2:5: id: “{path.stem}”是 weibao new 生成的临时编号",
                     "name: “新机构（请修改名称）”是 weibao new 写的占位内容，不能发布：请按模板的提示填写：机构的正式名称。",
                     "source.url: “https://example.invalid/请填写来源网址”是 weibao new 写的占位内容",
                     "这一行还留着 weibao new 的“# 请修改”提示（最近一次有人核实的日期）"):
        assert fragment in out, out
    text = path.read_text(encoding="utf-8")
    text = (re.sub(r"\s*# 请修改.*", "", text)
            .replace(path.stem, "laiyang-youth-station")
            .replace("新机构（请修改名称）", "莱阳市青少年活动站")
            .replace("https://example.invalid/请填写来源网址", "https://www.laiyang.gov.cn/")
            .replace("请填写来源", "莱阳市人民政府网站"))
    path.unlink()
    (root / "records/orgs/laiyang-youth-station.yaml").write_text(text, encoding="utf-8")
    assert main(["validate"]) == 0, capsys.readouterr().out


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_every_template_fails_only_on_its_placeholders(root, collection):
    """Each new record is valid in every other respect: schema, references and privacy."""
    path, edits = create(Repository(root), collection)
    result = validate(Repository(root), [path])
    assert result.errors, "an unedited record must not pass"
    assert {e.rule for e in result.errors} <= {"placeholder", "placeholder-note"}, result.errors
    assert edits, "the fields staff must edit are listed"
    noted = {e.line for e in result.errors}
    lines = path.read_text(encoding="utf-8").splitlines()
    assert noted == {n for n, line in enumerate(lines, 1) if "# 请修改：" in line} | {
        e.line for e in result.errors if e.rule == "placeholder"}


@pytest.mark.parametrize(
    ("collection", "prefix"), [("cases", "c-"), ("clues", "x-"), ("activities", "a-")]
)
def test_program_records_get_random_ids(root, collection, prefix):
    """Program ids are prefix + 10 Crockford base32 characters, different every time."""
    ids = {create(Repository(root), collection)[0].stem for _ in range(3)}
    assert len(ids) == 3
    for record_id in ids:
        assert record_id.startswith(prefix)
        assert len(record_id) == len(prefix) + 10
        assert set(record_id[len(prefix) :]) <= set(ALPHABET)


def test_given_id_is_used(root, capsys):
    """--id names the file and the record."""
    assert main(["new", "hotlines", "--id", "laiyang-night-line"]) == 0
    path = root / "records/hotlines/laiyang-night-line.yaml"
    assert "id: laiyang-night-line\n" in path.read_text(encoding="utf-8")
    assert "records/hotlines/laiyang-night-line.yaml" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["new", "orgs", "--id", "laiyang-civil-affairs"], "已经存在，不会覆盖"),
        (["new", "orgs", "--id", "Laiyang_Centre"], "不合格式"),
        (["new", "cases", "--id", "c-0123456789"], "必须随机生成"),
        (["new", "regions"], "可以新建的集合有"),
        (["new", "nonsense"], "可以新建的集合有"),
    ],
)
def test_refusals_exit_2(root, capsys, argv, message):
    """Overwriting, bad ids, chosen program ids and unknown collections are refused."""
    before = (root / "records/orgs/laiyang-civil-affairs.yaml").read_bytes()
    assert main(argv) == 2
    assert message in capsys.readouterr().err
    assert (root / "records/orgs/laiyang-civil-affairs.yaml").read_bytes() == before


def test_fills_repository_values(root):
    """Region, vocabulary term and organisation come from this repository's data."""
    path, _ = create(Repository(root), "cases")
    text = path.read_text(encoding="utf-8")
    assert 'region: "370682"' in text
    assert "org: laiyang-civil-affairs" in text
    assert "age_band: 0-2" in text


def test_program_record_needs_an_org(make_repo, monkeypatch, capsys):
    """Without any organisation, a case cannot be scaffolded: the message says what to do."""
    root = make_repo()
    (root / "records/orgs/laiyang-civil-affairs.yaml").unlink()
    monkeypatch.chdir(root)
    assert main(["new", "cases"]) == 2
    assert "weibao new orgs" in capsys.readouterr().err
