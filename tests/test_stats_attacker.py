"""An outside attacker links every published table (tests/attacker.py, independent of the audit).

The first tests show the attacker works: on the figures published before issue 11 was fixed it
recovers exactly what the issue reported. The others hold the publication to the page's promise
and fail while issue 11 is open (strict xfail: they must be turned on when the joint audit lands).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.attacker import Attacker, attack

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "attacker"


@pytest.fixture(scope="module")
def issue11() -> Attacker:
    """The sample's frozen figures of cases and clues as published when issue 11 was filed."""
    return Attacker(FIXTURES / "issue11", FIXTURES / "issue11-tables.yaml", ROOT / "schemas")


@pytest.mark.parametrize(
    ("table", "period", "row", "column", "exact"),
    [
        # flow identity: active(2023) 130 + new(2024) 161 − active(2024) 284 = closed(2023) = 7
        ("cases-closed-reason", "2023", "监护恢复", None, 1),
        ("cases-closed-reason", "2023", "其他", None, 1),
        ("cases-closed-reason", "2023", None, None, 7),
        # a county's in-care count for the year bounds its count in every quarter
        ("cases-active-region-quarter", "2024-Q4", "610523", None, 4),
        # a "×" total published in a sibling table
        ("clues-region-transferred", "2025", None, None, 79),
    ],
    ids=["closed-监护恢复", "closed-其他", "closed-total", "quarter-大荔县", "clues-total-79"],
)
def test_attacker_recovers_the_cells_issue_11_reported(issue11: Attacker, table, period, row, column,
                                                       exact) -> None:
    """Linking year ↔ quarter, in care ↔ new ↔ closed and sibling margins pins these withheld cells."""
    assert issue11.range_of(table, period, row, column) == (exact, exact)


def test_attacker_leaves_a_well_protected_cell_wide(issue11: Attacker) -> None:
    """A check that cannot fail is a defect: most withheld cells keep their range."""
    low, high = issue11.range_of("cases-active-category", "2023", "孤儿")
    assert low <= 1 and high >= 9


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason="issue 11: the audit does not yet model the links across tables and periods")
def test_committed_sample_withstands_the_attacker(tmp_path: Path) -> None:
    """Every withheld cell the sample site publishes spans 1..t−1 ("<t") or t values ("×")."""
    published = tmp_path / "published"
    shutil.copytree(ROOT / "statistics" / "frozen", published)
    found = attack(published, ROOT, first=True)
    assert found == [], "\n".join(map(str, found))
