"""The sample data in records/: it validates, and it stays faithful to the five seed reports."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from weibao.repo import Repository
from weibao.validate import load_records

ROOT = Path(__file__).resolve().parent.parent
SEEDS = Path(__file__).resolve().parent / "fixtures" / "sample_data" / "seeds"

# source record id → the seed report it describes (copies under tests/fixtures/sample_data/seeds/)
SEED_OF = {
    "binzhou-shixi-2022-report": "000_7f5a01ea369b0f55.txt",
    "laiyang-2024-report": "001_2c82dd4ab319ac0b.txt",
    "guangongwei-2022-report": "002_403b25a49a01e481.txt",
    "fangshan-2014-pilot-plan": "003_99950e839d1fdba9.txt",
    "weinan-2020-annual-summary": "004_1405ce08e52db505.txt",
}
# seed reports that publish no figure at all, so no indicator can cite them
WITHOUT_FIGURES = {"fangshan-2014-pilot-plan": "a plan: tasks and schedule, no reported counts"}


@pytest.fixture(scope="module")
def loaded() -> tuple:
    """One validation pass over the committed repository."""
    repo = Repository(ROOT)
    result, records = load_records(repo)
    return repo, result, records


def by_id(records: dict, collection: str) -> dict[str, dict]:
    return {r["id"]: r for r in records[collection]}


def test_repository_validates(loaded: tuple) -> None:
    """The committed records pass `weibao validate` with no error."""
    _, result, _ = loaded
    assert [f"{e.file}:{e.line}: {e.message}" for e in result.errors] == []


def test_every_seed_report_has_a_source_record(loaded: tuple) -> None:
    """Each seed report is a source record whose note names its file."""
    _, _, records = loaded
    sources = by_id(records, "sources")
    assert sorted(p.name for p in SEEDS.glob("*.txt")) == sorted(SEED_OF.values())
    for source_id, file in SEED_OF.items():
        assert file in sources[source_id].get("note", ""), source_id


def test_every_seed_report_with_figures_is_cited(loaded: tuple) -> None:
    """Every seed report that publishes figures is cited by at least one indicator."""
    _, _, records = loaded
    cited = {i["source"] for i in records["indicators"]}
    assert set(SEED_OF) - set(WITHOUT_FIGURES) <= cited
    assert len(records["indicators"]) >= 40


def test_indicator_quotes_are_verbatim(loaded: tuple) -> None:
    """An indicator's quote occurs word for word in its seed report, qualifier included."""
    _, _, records = loaded
    texts = {s: (SEEDS / f).read_text(encoding="utf-8") for s, f in SEED_OF.items()}
    wrong = []
    for ind in records["indicators"]:
        text = texts.get(ind["source"])
        if text is not None and ind["quote"] not in text:
            wrong.append(ind["id"])
        if "qualifier" in ind and ind["qualifier"] not in ind["quote"]:
            wrong.append(ind["id"])
    assert wrong == []


def test_emergency_hotlines_exist_and_never_close(loaded: tuple) -> None:
    """The local hotlines shown first on the home page exist, are marked emergency and run 24/7."""
    repo, _, records = loaded
    hotlines = by_id(records, "hotlines")
    listed = repo.config.site.emergency_hotlines
    assert listed
    for hotline_id in listed:
        assert hotline_id in hotlines
        assert hotlines[hotline_id]["hours"]["twenty_four_seven"] is True
        assert hotlines[hotline_id].get("emergency") is True


def test_police_and_child_hotlines_are_emergency(loaded: tuple) -> None:
    """110 and 12349 are flagged for the top of the home page."""
    _, _, records = loaded
    numbers = {h["number"]: h for h in records["hotlines"]}
    assert numbers["110"].get("emergency") is True
    assert numbers["12349"].get("emergency") is True


def test_town_regions_cite_where_their_code_was_found(loaded: tuple) -> None:
    """A 9-digit town code carries the source it was checked against."""
    _, _, records = loaded
    towns = [r for r in records["regions"] if re.fullmatch(r"[0-9]{9}", r["id"])]
    assert towns
    assert [t["id"] for t in towns if not t.get("source", {}).get("url")] == []
