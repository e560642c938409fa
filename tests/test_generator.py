"""scripts/generate_synthetic.py: seeded, marked synthetic, valid, and shaped like the reports."""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

from weibao.repo import Repository
from weibao.validate import load_records

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "generate_synthetic.py"
COLLECTIONS = ("cases", "clues", "activities")
HEADER = "# 合成数据（程序生成，非真实儿童信息）\n"


def _load_script():
    spec = importlib.util.spec_from_file_location("generate_synthetic", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


gen = _load_script()


def _files(out_root: Path) -> dict[str, str]:
    return {
        f"{c}/{p.name}": p.read_text(encoding="utf-8")
        for c in COLLECTIONS
        for p in sorted((out_root / "records" / c).glob("*.yaml"))
    }


def _sample_repo(make_repo) -> Path:
    """A repository with the project's regions, organisations and sources (what the demo uses)."""
    root = make_repo()
    for folder in ("regions", "orgs", "sources"):
        shutil.copytree(ROOT / "records" / folder, root / "records" / folder, dirs_exist_ok=True)
    return root


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> dict[str, list[dict]]:
    """2,000 cases, 1,000 clues, 400 activities generated from the project's regions, parsed."""
    out = tmp_path_factory.mktemp("big")
    gen.main(["--root", str(ROOT), "--out-root", str(out), "--seed", "7",
              "--cases", "2000", "--clues", "1000", "--activities", "400"])
    return {
        c: [yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) for p in (out / "records" / c).glob("*.yaml")]
        for c in COLLECTIONS
    }


def test_same_seed_gives_same_files(tmp_path: Path) -> None:
    """Two runs with one seed write byte-identical files; another seed writes others."""
    args = ["--root", str(ROOT), "--cases", "40", "--clues", "20", "--activities", "10"]
    for name, seed in (("a", "1"), ("b", "1"), ("c", "2")):
        gen.main([*args, "--out-root", str(tmp_path / name), "--seed", seed])
    first = _files(tmp_path / "a")
    assert len(first) == 70
    assert _files(tmp_path / "b") == first
    assert set(_files(tmp_path / "c")).isdisjoint(first)


def test_every_file_says_it_is_synthetic(big) -> None:
    """Every record has synthetic: true (its header comment is checked on disk below)."""
    assert all(r["synthetic"] is True for c in COLLECTIONS for r in big[c])
    assert [len(big[c]) for c in COLLECTIONS] == [2000, 1000, 400]


def test_generated_records_validate(make_repo, capsys) -> None:
    """Generated records pass `weibao validate`, privacy guard included, and start with the header."""
    root = _sample_repo(make_repo)
    assert gen.main(["--root", str(root), "--cases", "150", "--clues", "80", "--activities", "60"]) == 0
    capsys.readouterr()
    result, records = load_records(Repository(root))
    assert [f"{e.file}:{e.line}: {e.message}" for e in result.errors] == []
    assert [len(records[c]) for c in COLLECTIONS] == [150, 80, 60]
    texts = _files(root)
    assert all(t.startswith(HEADER) for t in texts.values())


def test_rerun_replaces_only_synthetic_files(make_repo, capsys) -> None:
    """A second run removes the files of the first and keeps a record written by hand."""
    root = _sample_repo(make_repo)
    kept = root / "records" / "cases" / "c-0000000000.yaml"
    kept.parent.mkdir(parents=True)
    kept.write_text("id: c-0000000000\n", encoding="utf-8")
    gen.main(["--root", str(root), "--cases", "30", "--clues", "0", "--activities", "0", "--seed", "1"])
    gen.main(["--root", str(root), "--cases", "20", "--clues", "0", "--activities", "0", "--seed", "2"])
    capsys.readouterr()
    names = sorted(p.name for p in kept.parent.glob("*.yaml"))
    assert len(names) == 21
    assert kept.name in names


def test_red_is_the_rarest_risk_level(big) -> None:
    """Most first assessments are 绿 or 蓝 and 红 is the rarest, as in four-colour practice."""
    first = Counter(case["risk"][0]["level"] for case in big["cases"])
    assert first.most_common()[-1][0] == "红"
    assert (first["绿"] + first["蓝"]) / len(big["cases"]) > 0.65


def test_left_behind_children_are_the_largest_category(big) -> None:
    """留守儿童 outnumber every other category; 事实无人抚养儿童 are few (Weinan: 31267 vs 676)."""
    counts = Counter(c for case in big["cases"] for c in case["categories"])
    assert counts.most_common(1)[0][0] == "留守儿童"
    assert counts["事实无人抚养儿童"] < counts["留守儿童"] / 5


def test_home_visits_and_phone_calls_dominate_services(big) -> None:
    """入户走访 and 电话回访 are the two most frequent service modes."""
    modes = Counter(s["mode"] for case in big["cases"] for s in case.get("services", []))
    assert {m for m, _ in modes.most_common(2)} == {"入户走访", "电话回访"}


def test_rescue_and_temporary_care_appear(big) -> None:
    """Rescues and temporary care are recorded as services, always at an institution for care."""
    services = [s for case in big["cases"] for s in case.get("services", [])]
    care = [s for s in services if s["type"] == "临时照料"]
    assert care and {s["mode"] for s in care} == {"在机构"}
    assert any(s["type"] == "紧急救助" for s in services)


def test_main_discovery_channels(big) -> None:
    """摸底排查 is the most common way cases are found, with 12349 and 强制报告 next."""
    found = Counter(case["found_by"] for case in big["cases"])
    assert [f for f, _ in found.most_common(3)] == ["摸底排查", "12349热线", "强制报告"]


def test_most_clues_are_transferred(big) -> None:
    """About nine in ten clues are transferred (Laiyang: 35 of 38), each with a department."""
    transferred = [c for c in big["clues"] if c["transferred"]]
    assert 0.85 < len(transferred) / len(big["clues"]) < 0.97
    assert all("transferred_to" in c for c in transferred)


def test_services_and_assessments_lie_within_the_case(big) -> None:
    """Risk assessments and services fall between opening and closing (or the end month)."""
    for case in big["cases"]:
        last = case.get("closed", "2026-09")
        months = [r["month"] for r in case["risk"]] + [s["month"] for s in case.get("services", [])]
        assert all(case["opened"] <= m <= last for m in months), case["id"]
        assert [r["month"] for r in case["risk"]] == sorted(r["month"] for r in case["risk"])


def test_activities_count_sessions_and_person_times(big) -> None:
    """Activities hold counts only, about 10–60 人次 per session, within 2023-01..2026-09."""
    for a in big["activities"]:
        assert 5 <= a["participants"] / a["sessions"] <= 80
        assert "2023-01-01" <= a["date"] <= "2026-09-30"


def test_regions_and_orgs_come_from_the_repository(big) -> None:
    """Every record names a county of records/regions/ and an organisation of that county or city."""
    counties = gen.county_orgs(ROOT)
    for case in big["cases"]:
        assert case["org"] in counties[case["region"]]
    for clue in big["clues"]:
        assert clue["handled_by"] in counties[clue["region"]]
    assert {case["region"] for case in big["cases"]} == set(counties)


def test_committed_sample_is_the_generator_output(tmp_path: Path) -> None:
    """records/cases, clues and activities are exactly what the default run writes (regenerate
    with `python scripts/generate_synthetic.py` after changing regions or organisations)."""
    gen.main(["--root", str(ROOT), "--out-root", str(tmp_path)])
    assert _files(tmp_path) == _files(ROOT)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--start", "2024-13"], "月份应写成 YYYY-MM，如 2024-05：2024-13"),
        (["--end", "2024"], "月份应写成 YYYY-MM，如 2024-05：2024"),
        (["--cases", "many"], "invalid int value"),
    ],
)
def test_bad_arguments_exit_2(argv, message, capsys) -> None:
    """A malformed month or count is a usage error (exit 2) that says what to write."""
    with pytest.raises(SystemExit) as exc:
        gen.main(argv)
    assert exc.value.code == 2
    assert message in capsys.readouterr().err


def test_end_before_start_is_refused(tmp_path: Path) -> None:
    """--end before --start stops with a message instead of writing nothing silently."""
    with pytest.raises(SystemExit, match="--end 2023-01 早于 --start 2024-01"):
        gen.main(["--out-root", str(tmp_path), "--start", "2024-01", "--end", "2023-01"])


def test_ids_are_unique_opaque_and_unlike_account_labels(big) -> None:
    """Ids are unique Crockford base32 strings, never containing qq/vx/wx (read as account labels)."""
    ids = [r["id"] for c in COLLECTIONS for r in big[c]]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[cxa]-[0-9a-hjkmnp-tv-z]{10}", i) for i in ids)
    assert [i for i in ids if re.search("qq|vx|wx", i)] == []
