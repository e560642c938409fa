"""An outside attacker links every published table (tests/attacker.py, independent of the audit).

The first tests show the attacker works: on the figures published before issue 11 was fixed it
recovers exactly what the issue reported. The others hold today's publication to the page's
promise — no "<t" narrowed below half of 1..t−1, every "×" keeps a range at least t wide — on the
committed sample and on seeded random repositories.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from attacker import Attacker, attack  # tests/attacker.py: pytest puts tests/ on the path
from weibao.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "attacker"
# the suite attacks 3 seeded repositories; `WEIBAO_ATTACK_SEEDS=20 pytest tests/test_stats_attacker.py`
# (or `nox -s attack`) runs the 20 that issue 11 asks for, about a minute each on 2 cores
SEEDS = range(int(os.environ.get("WEIBAO_ATTACK_SEEDS", "3")))
# WEIBAO_ATTACK_MILP=3: where the relaxation's optimum is fractional, also solve in integers for up
# to 3 s and use the solver's proven bound (the sample takes about 15 minutes that way)
MILP_SECONDS = float(os.environ.get("WEIBAO_ATTACK_MILP", "0"))


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
def test_committed_sample_withstands_the_attacker(tmp_path: Path) -> None:
    """Every withheld cell the sample publishes keeps half of 1..t−1 ("<t") or t values ("×")."""
    published = tmp_path / "published"
    shutil.copytree(ROOT / "statistics" / "frozen", published)
    found = attack(published, ROOT, milp_seconds=MILP_SECONDS)
    assert found == [], "\n".join(map(str, found))


def _generator():
    spec = importlib.util.spec_from_file_location("generate_synthetic", ROOT / "scripts" / "generate_synthetic.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _random_repository(base: Path, seed: int) -> Path:
    """The project's regions, organisations and tables with seeded synthetic program records."""
    repo = base / f"repo-{seed}"
    for part in ("schemas", "statistics", "site"):
        shutil.copytree(ROOT / part, repo / part, ignore=shutil.ignore_patterns("frozen", "__pycache__"))
    shutil.copytree(ROOT / "records", repo / "records",
                    ignore=shutil.ignore_patterns("cases", "clues", "activities"))
    shutil.copy(ROOT / "weibao.yaml", repo / "weibao.yaml")
    # small and short: few records per cell, so suppression and its links matter in every table
    sizes = [(60, 40, 20), (150, 90, 40), (300, 150, 60)][seed % 3]
    _generator().generate(ROOT, repo, dict(zip(("cases", "clues", "activities"), sizes, strict=True)),
                          seed, "2024-01", "2025-12")
    return repo


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
def test_random_repositories_withstand_the_attacker(tmp_path: Path, seed: int) -> None:
    """`weibao stats` on a seeded random repository: the attacker narrows no withheld cell."""
    repo = _random_repository(tmp_path, seed)
    out = tmp_path / "out"
    assert main(["--root", str(repo), "stats", "--out", str(out), "--today", "2026-06-30"]) == 0
    withheld = [c for p in (out / "downloads").glob("*/*.json")
                for c in json.loads(p.read_text(encoding="utf-8"))["cells"] if isinstance(c["value"], str)]
    assert len(withheld) > 20, "too few withheld cells for the attack to mean anything"
    found = attack(out, repo, milp_seconds=MILP_SECONDS)
    assert found == [], "\n".join(map(str, found))
