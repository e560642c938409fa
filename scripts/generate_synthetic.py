"""Seeded generator of synthetic program records (cases, clues, activities).

Every record says `synthetic: true` and every file starts with a comment saying it is synthetic.
Regions are the county codes found in records/regions/ of --root, organisations the ones in
records/orgs/ of the same county (or of its parent city); distributions come from
scripts/synthetic_profile.yaml. Files are written with plain string formatting (yaml.dump per
record would dominate the time at 100,000 records).

    python scripts/generate_synthetic.py --cases 600 --clues 300 --activities 200 --seed 2026

Rerunning replaces the synthetic files written before (those starting with the header comment)
and leaves every other record alone.
"""

from __future__ import annotations

import argparse
import bisect
import calendar
import random
import re
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

import yaml

from weibao.fmt.canonical import scalar as canonical_scalar

HERE = Path(__file__).resolve().parent
PROFILE = HERE / "synthetic_profile.yaml"
HEADER = "# 合成数据（程序生成，非真实儿童信息）\n"
# Crockford base32, lower case: no i, l, o, u (matches the id patterns of the schemas)
ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
PREFIX = {"cases": "c-", "clues": "x-", "activities": "a-"}
LEVELS = ["红", "黄", "蓝", "绿"]  # highest risk first
STREET = "流浪未成年人"
URGENT_CLUES = {"家庭暴力", "性侵害", "心理危机"}
# ids never contain these: the privacy guard reads qq/vx/wx before digits as an account label
ID_AVOID = re.compile("qq|vx|wx")
_KEY = re.compile(r"^(id|region|level|parent):[ \t]*['\"]?([^'\"#\s]+)", re.MULTILINE)


class Pick:
    """A weighted choice, prepared once (rng.choices with cumulative weights is the fast path)."""

    def __init__(self, weights: dict) -> None:
        self.items = list(weights)
        self.cum = list(accumulate(float(w) for w in weights.values()))

    def __call__(self, rng: random.Random):
        return self.items[bisect.bisect(self.cum, rng.random() * self.cum[-1])]


# ---------------------------------------------------------------- inputs


def _top_keys(path: Path) -> dict[str, str]:
    """id/region/level/parent of a record file, read without a YAML parse (5,000 orgs: fast)."""
    return {k: v for k, v in _KEY.findall(path.read_text(encoding="utf-8-sig"))}


def county_orgs(root: Path) -> dict[str, list[str]]:
    """County code → ids of the organisations that may hold its records (sorted, so seeded).

    An organisation counts for a county if it sits in it or in one of its towns; a county with
    none of its own borrows those of its parent city; a county with neither is left out.
    """
    regions = {}
    for path in sorted((root / "records" / "regions").glob("*.yaml")):
        keys = _top_keys(path)
        regions[keys.get("id", path.stem)] = keys
    orgs_by_region: dict[str, list[str]] = {}
    for path in sorted((root / "records" / "orgs").glob("*.yaml")):
        keys = _top_keys(path)
        if "region" in keys:
            orgs_by_region.setdefault(keys["region"], []).append(keys.get("id", path.stem))
    out = {}
    for code, keys in sorted(regions.items()):
        if keys.get("level") != "县级" or len(code) != 6:
            continue
        own = sorted(
            org for region, ids in orgs_by_region.items()
            if region == code or (len(region) == 9 and region.startswith(code))
            for org in ids
        )
        if not own:
            own = sorted(orgs_by_region.get(keys.get("parent", ""), []))
        if own:
            out[code] = own
    return out


def org_regions(root: Path) -> dict[str, str]:
    """Organisation id → its region code."""
    out = {}
    for path in (root / "records" / "orgs").glob("*.yaml"):
        keys = _top_keys(path)
        out[keys.get("id", path.stem)] = keys.get("region", "")
    return out


def load_profile(path: Path = PROFILE) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- months


def month_index(text: str) -> int:
    """'2024-05' → a month number that can be added to; ValueError if malformed."""
    m = re.fullmatch(r"(\d{4})-(0[1-9]|1[0-2])", text)
    if not m:
        raise ValueError(text)
    return int(m.group(1)) * 12 + int(m.group(2)) - 1


def month_text(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


# ---------------------------------------------------------------- the generator


@dataclass
class Generator:
    """Draws records from the profile; one instance per run, all randomness from rng."""

    rng: random.Random
    profile: dict
    counties: dict[str, list[str]]
    org_region: dict[str, str]
    start: int
    end: int

    def __post_init__(self) -> None:
        p = self.profile
        weights = p.get("county_weights", {})
        default = p.get("default_county_weight", 1)
        self.county = Pick({c: weights.get(c, default) for c in self.counties})
        months = range(self.start, self.end + 1)
        span = max(1, self.end - self.start)
        growth = float(p.get("growth", 1.0))
        self.month = Pick({m: 1 + (growth - 1) * (m - self.start) / span for m in months})
        self.picks = {
            name: Pick(p[name])
            for name in (
                "categories", "age_bands", "found_by", "found_by_street", "risk_first",
                "closure_reasons", "closure_reasons_street", "services", "service_modes",
                "channels", "clue_categories", "transfer_default", "outcomes_transferred",
                "outcomes_kept", "response_days", "response_days_urgent",
            )
        }
        self.picks["services_mixed"] = Pick({**p["services"], **{
            k: v * 2 for k, v in p["services_urgent"].items()}})
        self.mode_of = {t: Pick(m) for t, m in p["service_mode_of"].items()}
        self.transfer_to = {c: Pick(d) for c, d in p["transfer_to"].items()}
        self.activity_type = Pick({t: a["weight"] for t, a in p["activities"].items()})
        self.audience = {t: Pick(a["audiences"]) for t, a in p["activities"].items()}
        self.ids: set[str] = set()

    def new_id(self, collection: str) -> str:
        while True:
            rid = PREFIX[collection] + "".join(self.rng.choices(ALPHABET, k=10))
            if rid not in self.ids and not ID_AVOID.search(rid):
                self.ids.add(rid)
                return rid

    # ------------------------------------------------------------ cases

    def case(self) -> str:
        rng, p, pick = self.rng, self.profile, self.picks
        region = self.county(rng)
        opened = self.month(rng)
        first = pick["categories"](rng)
        categories = [first]
        if rng.random() < p["second_category"]:
            other = pick["categories"](rng)
            if other != first:
                categories.append(other)
        street = STREET in categories
        age = pick["age_bands"](rng)
        sex = "男" if rng.random() < (p["boys_street"] if street else p["boys"]) else "女"
        found_by = pick["found_by_street" if street else "found_by"](rng)
        org = rng.choice(self.counties[region])

        closed = None
        lo, hi = p["case_duration"]
        if rng.random() < p["closes"]:
            candidate = opened + rng.randint(lo, hi)
            if candidate <= self.end:
                closed = candidate
        last = closed if closed is not None else self.end

        risk = self._risk(opened, last)
        reason = None
        if closed is not None:
            if age == "16-17" and rng.random() < p["aged_out"]:
                reason = "年满18周岁"
            else:
                reason = pick["closure_reasons_street" if street else "closure_reasons"](rng)
            if reason == "风险解除" and risk[-1][1] != "绿":
                if risk[-1][0] == closed:
                    risk[-1] = (closed, "绿")
                else:
                    risk.append((closed, "绿"))
        services = self._services(opened, last, risk, street)

        lines = [
            HEADER,
            f"id: {self.new_id('cases')}\n",
            "synthetic: true\n",
            f'region: "{region}"\n',
            f'opened: "{month_text(opened)}"\n',
        ]
        if closed is not None:
            lines.append(f'closed: "{month_text(closed)}"\n')
        lines += [
            f'age_band: "{age}"\n',
            f"sex: {sex}\n",
            f"categories: [{', '.join(categories)}]\n",
            "risk:\n",
            *(f'  - {{month: "{month_text(m)}", level: {lvl}}}\n' for m, lvl in risk),
            f"found_by: {found_by}\n",
            f"org: {org}\n",
        ]
        if services:
            lines.append("services:\n")
            lines += [
                f'  - {{month: "{month_text(m)}", type: {t}, mode: {mode}, count: {n}}}\n'
                for (m, t, mode), n in services
            ]
        lines.append(f"status: {'已结案' if closed is not None else '在管'}\n")
        if reason:
            lines.append(f"closure_reason: {reason}\n")
        return "".join(lines)

    def _risk(self, opened: int, last: int) -> list[tuple[int, str]]:
        rng, p = self.rng, self.profile
        level = LEVELS.index(self.picks["risk_first"](rng))
        out = [(opened, LEVELS[level])]
        lo, hi = p["reassess_every"]
        month = opened + rng.randint(lo, hi)
        while month <= last and len(out) < p["max_assessments"]:
            r = rng.random()
            if r < p["risk_improve"]:
                level = min(level + 1, len(LEVELS) - 1)
            elif r < p["risk_improve"] + p["risk_worsen"]:
                level = max(level - 1, 0)
            out.append((month, LEVELS[level]))
            month += rng.randint(lo, hi)
        return out

    def _services(
        self, opened: int, last: int, risk: list[tuple[int, str]], street: bool
    ) -> list[tuple[tuple[int, str, str], int]]:
        rng, p = self.rng, self.profile
        rate = p["service_rate"]
        entries: dict[tuple[int, str, str], int] = {}
        i = 0
        for month in range(opened, last + 1):
            while i + 1 < len(risk) and risk[i + 1][0] <= month:
                i += 1
            level = risk[i][1]
            if rng.random() >= rate[level]:
                continue
            urgent = street or level in ("红", "黄")
            kind = self.picks["services_mixed" if urgent else "services"](rng)
            mode = (self.mode_of.get(kind) or self.picks["service_modes"])(rng)
            count = 1 if rng.random() < 0.7 else rng.randint(2, 4)
            key = (month, kind, mode)
            entries[key] = min(100, entries.get(key, 0) + count)
            if len(entries) >= p["max_services"]:
                break
        return sorted(entries.items())

    # ------------------------------------------------------------ clues

    def clue(self) -> str:
        rng, p, pick = self.rng, self.profile, self.picks
        region = self.county(rng)
        received = self.month(rng)
        category = pick["clue_categories"](rng)
        transferred = rng.random() < p["transferred"]
        to = (self.transfer_to.get(category) or pick["transfer_default"])(rng) if transferred else None
        recent = received > self.end - p["pending_months"]
        if recent and rng.random() < p["pending"]:
            outcome = "处理中"
        else:
            outcome = pick["outcomes_transferred" if transferred else "outcomes_kept"](rng)
        days = pick["response_days_urgent" if category in URGENT_CLUES else "response_days"](rng)
        lines = [
            HEADER,
            f"id: {self.new_id('clues')}\n",
            "synthetic: true\n",
            f'received: "{month_text(received)}"\n',
            f'region: "{region}"\n',
            f"channel: {pick['channels'](rng)}\n",
            f"category: {category}\n",
            f"handled_by: {rng.choice(self.counties[region])}\n",
            f"transferred: {'true' if transferred else 'false'}\n",
        ]
        if to:
            lines.append(f"transferred_to: {to}\n")
        lines += [f"days_to_first_response: {days}\n", f"outcome: {outcome}\n"]
        return "".join(lines)

    # ------------------------------------------------------------ activities

    def activity(self) -> str:
        rng, p = self.rng, self.profile
        county = self.county(rng)
        org = rng.choice(self.counties[county])
        org_region = self.org_region.get(org, "")
        # a town-level station holds its activities in its town; others in the county
        region = org_region if len(org_region) == 9 and org_region.startswith(county) else county
        month = self.month(rng)
        year, mon = divmod(month, 12)
        day = rng.randint(1, calendar.monthrange(year, mon + 1)[1])
        kind = self.activity_type(rng)
        spec = p["activities"][kind]
        sessions = rng.randint(*spec["sessions"])
        participants = sum(rng.randint(*spec["per_session"]) for _ in range(sessions))
        lines = [
            HEADER,
            f"id: {self.new_id('activities')}\n",
            "synthetic: true\n",
            f'date: "{year:04d}-{mon + 1:02d}-{day:02d}"\n',
            f"org: {org}\n",
            f"type: {kind}\n",
            f"audience: {self.audience[kind](rng)}\n",
            f'region: "{region}"\n',
        ]
        titles = p["titles"].get(kind)
        if titles and rng.random() < p["title_chance"]:
            # the canonical form of weibao fmt: plain when safe, double-quoted otherwise
            lines.append(f"title: {canonical_scalar(rng.choice(titles))}\n")
        lines += [f"sessions: {sessions}\n", f"participants: {participants}\n"]
        return "".join(lines)


# ---------------------------------------------------------------- writing


def clear_synthetic(folder: Path) -> int:
    """Remove the files a previous run wrote (they start with HEADER); keep every other record."""
    removed = 0
    if not folder.is_dir():
        return 0
    head = HEADER.encode("utf-8")
    for path in folder.glob("*.yaml"):
        with path.open("rb") as f:
            if f.read(len(head)) == head:
                path.unlink()
                removed += 1
    return removed


def write_records(folder: Path, texts: Iterable[str]) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    n = 0
    for text in texts:
        rid = text[len(HEADER) + 4 : text.index("\n", len(HEADER))]
        (folder / f"{rid}.yaml").write_text(text, encoding="utf-8", newline="\n")
        n += 1
    return n


def generate(
    root: Path,
    out_root: Path,
    counts: dict[str, int],
    seed: int,
    start: str,
    end: str,
    profile: dict | None = None,
) -> dict[str, int]:
    """Write counts[collection] synthetic records under out_root/records/; return the counts."""
    counties = county_orgs(root)
    if not counties:
        raise SystemExit(f"{root}/records 中没有带机构的县级地区：无法生成合成数据。")
    gen = Generator(
        rng=random.Random(seed),
        profile=profile or load_profile(),
        counties=counties,
        org_region=org_regions(root),
        start=month_index(start),
        end=month_index(end),
    )
    if gen.end < gen.start:
        raise SystemExit(f"--end {end} 早于 --start {start}。")
    makers = {"cases": gen.case, "clues": gen.clue, "activities": gen.activity}
    written = {}
    for collection, make in makers.items():
        folder = out_root / "records" / collection
        clear_synthetic(folder)
        # ids of records kept in place must not be drawn again
        if folder.is_dir():
            gen.ids.update(p.stem for p in folder.glob("*.yaml"))
        written[collection] = write_records(folder, (make() for _ in range(counts[collection])))
    return written


def _month_arg(text: str) -> str:
    try:
        month_index(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"月份应写成 YYYY-MM，如 2024-05：{text}") from err
    return text


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="生成合成的个案、线索和活动记录（非真实儿童信息）。")
    parser.add_argument("--root", type=Path, default=HERE.parent,
                        help="读取地区和机构的数据仓根目录，默认为本项目")
    parser.add_argument("--out-root", type=Path, default=None,
                        help="把记录写入这个数据仓根目录的 records/，默认同 --root")
    parser.add_argument("--cases", type=int, default=600)
    parser.add_argument("--clues", type=int, default=300)
    parser.add_argument("--activities", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--start", type=_month_arg, default="2023-01", help="最早月份，默认 2023-01")
    parser.add_argument("--end", type=_month_arg, default="2026-09", help="最晚月份，默认 2026-09")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    counts = {"cases": args.cases, "clues": args.clues, "activities": args.activities}
    if min(counts.values()) < 0:
        print("记录数不能为负数。", file=sys.stderr)
        return 2
    out_root = args.out_root or args.root
    began = time.perf_counter()
    written = generate(args.root, out_root, counts, args.seed, args.start, args.end)
    took = time.perf_counter() - began
    print(
        f"已在 {out_root / 'records'} 生成合成数据：个案 {written['cases']}、线索 {written['clues']}、"
        f"活动 {written['activities']}（种子 {args.seed}，用时 {took:.1f} 秒）。"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
