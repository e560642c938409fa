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


def test_new_orgs_then_validate_passes(root, capsys):
    """The issue's check: `weibao new orgs` followed by `weibao validate` passes."""
    assert main(["new", "orgs"]) == 0
    path = _created(capsys.readouterr().out, root)
    assert re.fullmatch(r"new-org-[0-9a-hjkmnp-tv-z]{6}\.yaml", path.name)
    assert main(["validate"]) == 0, capsys.readouterr().out


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_every_template_validates(root, collection):
    """Each collection's new record passes every check, schema, references and privacy."""
    path, edits = create(Repository(root), collection)
    result = validate(Repository(root), [path])
    assert result.errors == [], result.errors
    assert edits, "the fields staff must edit are listed"


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
