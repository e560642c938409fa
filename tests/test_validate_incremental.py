"""The live preview's validation (validate_incremental.RecordCache) reports exactly what a fresh
`weibao validate` reports after each edit, though it re-reads only changed files: an edit to one
file that breaks an unchanged one (a vocabulary term, a policy link, a region) is still found."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from weibao.repo import Repository
from weibao.validate import load_records, validate
from weibao.validate_incremental import RecordCache

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "site"


def _fixture_repo(dest: Path) -> Path:
    spec = importlib.util.spec_from_file_location("site_fixture_repo", FIXTURES / "fixture_repo.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.make(dest)


def _replace(rel: str, old: str, new: str):
    def edit(root: Path) -> None:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return edit


def _delete(rel: str):
    return lambda root: (root / rel).unlink()


def _rename(rel: str, to: str):
    return lambda root: (root / rel).rename(root / to)


EDITS = {
    # the edited file is fine; an unchanged org that uses the term is not
    "vocabulary term removed": _replace("records/vocabularies/service_types.yaml",
                                        "  - term: 心理疏导\n    aliases: [心理辅导, 心理咨询]\n", ""),
    # an unchanged policy now forms a cycle with the edited one
    "policy cycle": _replace("records/policies/test-plan-2020.yaml", "status: 已废止",
                             "status: 已废止\nsupersedes: [test-plan-2024]"),
    "region others are in deleted": _delete("records/regions/370682001.yaml"),
    "org others point to renamed": _rename("records/orgs/test-centre.yaml",
                                           "records/orgs/test-centre-new.yaml"),
    "yaml syntax": _replace("records/orgs/test-station.yaml", "services: [", "services: [[,"),
    "hotline operator missing": _replace("records/hotlines/county-care-line.yaml",
                                         "operator: test-centre", "operator: nobody"),
}


@pytest.mark.parametrize("edit", EDITS.values(), ids=list(EDITS))
def test_after_an_edit_the_cache_reports_what_a_fresh_validation_reports(tmp_path, edit) -> None:
    root = _fixture_repo(tmp_path / "repo")
    cache = RecordCache()
    result, _ = cache.load(Repository(root))
    assert result.ok, result.sorted_errors()
    edit(root)
    result, records = cache.load(Repository(root))
    fresh = validate(Repository(root))
    assert result.sorted_errors() == fresh.sorted_errors()
    assert not fresh.ok
    assert cache.rechecked <= 1  # only the edited file was read again
    _, fresh_records = load_records(Repository(root))
    assert records == fresh_records


def test_a_change_of_schema_checks_every_file_again(tmp_path) -> None:
    root = _fixture_repo(tmp_path / "repo")
    cache = RecordCache()
    cache.load(Repository(root))
    schema = root / "schemas" / "orgs.schema.json"
    schema.write_text(schema.read_text(encoding="utf-8").replace('"name"', '"name_zh"', 1),
                      encoding="utf-8")
    result, _ = cache.load(Repository(root))
    assert cache.rechecked > 1
    assert result.sorted_errors() == validate(Repository(root)).sorted_errors()
