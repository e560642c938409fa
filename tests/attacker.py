"""An outside attacker of the published statistics, written independently of weibao's audit.

It reads only what a reader has: the JSON downloads of `weibao stats --out DIR`, the table
definitions (statistics/tables.yaml, described on the methodology page) and the record schemas
(which fields are lists, which are required). Every published figure of every table and period
goes into one integer system; each withheld cell is then minimised and maximised.

The model: a record of a collection is a point in time (its `when` month) or, for tables counted
"in care during the period" (`when: [start, end]`), an interval (start slot a, end slot b), where
slots are periods of the finest grain any table of the collection uses. Tables of that collection
over `when: start` or `when: end` then count records by a or by b — this is the flow identity
active(prev) + new − closed = active. Dimensions that appear together in a table share unknowns
(a component); components are tied by the totals per time state. A list field (categories)
gets z[k] ≤ x and Σ z ≥ x; a derived level that changes over time (risk) gets per-period
unknowns that add up to the in-care count.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise, product
from pathlib import Path

import numpy as np
import yaml
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import coo_matrix

GRAIN_RANK = {"month": 0, "quarter": 1, "year": 2}


def months_of(key: str) -> list[str]:
    if "-Q" in key:
        q = int(key[-1])
        return [f"{key[:4]}-{m:02d}" for m in range(3 * q - 2, 3 * q + 1)]
    if len(key) == 4:
        return [f"{key}-{m:02d}" for m in range(1, 13)]
    return [key]


def slot_keys(first: str, last: str, grain: str) -> list[str]:
    """Every period key of grain from the one holding month first to the one holding month last."""
    out: list[str] = []
    y, m = int(first[:4]), int(first[5:7])
    while f"{y:04d}-{m:02d}" <= last:
        key = {"year": f"{y}", "quarter": f"{y}-Q{(m - 1) // 3 + 1}", "month": f"{y:04d}-{m:02d}"}[grain]
        if not out or out[-1] != key:
            out.append(key)
        m += 1
        if m == 13:
            y, m = y + 1, 1
    return out


@dataclass
class Finding:
    table: str
    period: str
    row: str | None
    column: str | None
    shown: str
    low: float
    high: float
    why: str

    def __str__(self) -> str:
        return (f"{self.table} {self.period} [{self.row}/{self.column}] shown {self.shown}: "
                f"range [{self.low:g}, {self.high:g}] — {self.why}")


class System:
    def __init__(self) -> None:
        self.index: dict[tuple, int] = {}
        self.rows: list[tuple[list[int], list[float], float, float]] = []

    def var(self, key: tuple) -> int:
        if key not in self.index:
            self.index[key] = len(self.index)
        return self.index[key]

    def add(self, idx: list[int], coef: list[float], lo: float, hi: float) -> None:
        self.rows.append((idx, coef, lo, hi))


class Attacker:
    def __init__(self, out_dir: Path, tables_yaml: Path, schemas: Path, milp_seconds: float = 0.0) -> None:
        self.milp_seconds = milp_seconds  # 0: the LP relaxation, rounded inwards to integers
        self.wanted = None
        doc = yaml.safe_load(tables_yaml.read_text(encoding="utf-8"))
        self.defs = {t["id"]: t for t in doc["tables"]}
        self.dims = doc["dimensions"]
        self.schemas = schemas
        folder = out_dir / "downloads" if (out_dir / "downloads").is_dir() else out_dir  # or frozen/
        self.published = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*/*.json"))]  # <table>/<period>.json
        self.systems: list[tuple[System, list]] = []  # per population: unknowns and its cells

    # ---- what a reader knows about fields -------------------------------------------------
    def _schema_props(self, collection: str, each: str | None) -> tuple[dict, set[str]]:
        schema = json.loads((self.schemas / f"{collection}.schema.json").read_text(encoding="utf-8"))
        props, required = schema.get("properties", {}), set(schema.get("required", []))
        if each:
            item = props.get(each, {}).get("items", {})
            props = {**props, **item.get("properties", {})}
            required |= set(item.get("required", []))
        return props, required

    def base(self, dim: str) -> str:
        d = self.dims[dim]
        return self.base(d["of"]) if d.get("of") else dim

    def coarse(self, dim: str, value: str, base_values: list[str]) -> list[str]:
        d = self.dims[dim]
        if not d.get("of"):
            return [value]
        mapping = d.get("map") or {}
        other = d.get("other")
        return [v for v in base_values if mapping.get(v, other if other is not None else v) == value]

    # ---- the model ---------------------------------------------------------------------------
    def build(self) -> None:
        populations: dict[tuple, list[dict]] = defaultdict(list)
        for data in self.published:
            t = self.defs[data["table"]]
            m = t["measure"]
            key = "count" if m == "count" or "median" in m else f"sum:{m['sum']}"
            populations[(t["collection"], t.get("each"), key)].append(data)
        for pop, tables in populations.items():
            self._population(pop, tables)

    def _population(self, pop: tuple, tables: list[dict]) -> None:
        collection, each, _measure = pop
        props, required = self._schema_props(collection, each)
        defs = [self.defs[d["table"]] for d in tables]
        whens = [t["when"] for t in defs]
        span = next((w for w in whens if isinstance(w, list)), None)
        grain = min((d["grain"] for d in tables), key=GRAIN_RANK.__getitem__)
        all_months = sorted(m for d in tables for m in months_of(d["period"]))
        slots = slot_keys(all_months[0], all_months[-1], grain)
        slot_months = [set(months_of(s)) for s in slots]
        n = len(slots)
        states = [(a, b) for a in range(-1, n) for b in range(0, n + 1) if a <= b] if span else \
            [(a, a) for a in range(n)]

        def period_slots(period: str) -> tuple[int, int]:
            ms = set(months_of(period))
            inside = [i for i, sm in enumerate(slot_months) if sm <= ms]
            return inside[0], inside[-1]

        def states_of(tdef: dict, period: str) -> list[int]:
            lo, hi = period_slots(period)
            when = tdef["when"]
            out = []
            for i, (a, b) in enumerate(states):
                if isinstance(when, list):
                    ok = a <= hi and b >= lo
                elif span and when == span[1]:
                    ok = lo <= b <= hi
                else:
                    ok = lo <= a <= hi
                if ok:
                    out.append(i)
            return out

        # dimension values seen in any published table, per base dimension
        values: dict[str, list[str]] = defaultdict(list)
        for d in tables:
            for axis in ("rows", "columns"):
                if d[axis] and not self.dims[d[axis]["dimension"]].get("of"):
                    for k in d[axis]["keys"]:
                        if k not in values[d[axis]["dimension"]]:
                            values[d[axis]["dimension"]].append(k)
        for d in tables:  # a coarse dimension whose base is never published: its own base
            for axis in ("rows", "columns"):
                if d[axis] and self.dims[d[axis]["dimension"]].get("of"):
                    b = self.base(d[axis]["dimension"])
                    if b not in values:
                        values[b] = []

        def field_of(dim: str) -> str:
            return self.dims[self.base(dim)].get("field", "")

        def is_list(dim: str) -> bool:
            return props.get(field_of(dim), {}).get("type") == "array" and not self.dims[self.base(dim)].get("derive")

        def varies(dim: str) -> bool:
            return self.dims[self.base(dim)].get("derive") == "latest_level"

        def table_dims(d: dict) -> list[str]:
            return [d[a]["dimension"] for a in ("rows", "columns") if d[a]]

        # components of static base dimensions used together
        parent: dict[str, str] = {}

        def find(x: str) -> str:
            while parent.setdefault(x, x) != x:
                x = parent[x]
            return x

        for d in tables:
            st = [self.base(x) for x in table_dims(d) if not varies(x)]
            for x in st:
                find(x)
            for x, y in pairwise(st):
                parent[find(x)] = find(y)
        comps: dict[str, list[str]] = defaultdict(list)
        for x in list(parent):
            comps[find(x)].append(x)
        s = self.sys = System()
        self.cells: list[tuple[dict, dict, list[int], str]] = []  # (table json, cell, vars, kind)
        self.systems.append((s, self.cells))
        tag = pop
        total = [s.var((tag, "T", i)) for i in range(len(states))]
        for root, members in comps.items():
            singles = sorted(x for x in members if not is_list(x))
            lists = [x for x in members if is_list(x)]
            assert len(lists) <= 1, "two list dimensions in one table: not modelled"
            combos = list(product(*(values[x] or ["?"] for x in singles)))
            for i in range(len(states)):
                xs = [s.var((tag, root, i, c)) for c in combos]
                s.add([*xs, total[i]], [1.0] * len(xs) + [-1.0], 0, 0)
                if lists:
                    for c, xv in zip(combos, xs, strict=True):
                        zs = [s.var((tag, root, i, c, k)) for k in values[lists[0]]]
                        for z in zs:
                            s.add([z, xv], [1.0, -1.0], -math.inf, 0)
                        s.add([*zs, xv], [1.0] * len(zs) + [-1.0], 0, math.inf)

        def static_terms(fixed: dict[str, list[str]], idx_states: list[int]) -> list[int]:
            """Unknowns whose sum is the count of records with these static values in these states."""
            if not fixed:
                return [total[i] for i in idx_states]
            root = find(next(iter(fixed)))
            members = comps[root]
            singles = sorted(x for x in members if not is_list(x))
            lists = [x for x in members if is_list(x)]
            combos = [c for c in product(*(values[x] or ["?"] for x in singles))
                      if all(c[singles.index(k)] in v for k, v in fixed.items() if k in singles)]
            list_vals = fixed.get(lists[0]) if lists and lists[0] in fixed else None
            out = []
            for i in idx_states:
                for c in combos:
                    if list_vals is None:
                        out.append(s.var((tag, root, i, c)))
                    else:
                        out += [s.var((tag, root, i, c, k)) for k in list_vals]
            return out

        median_required = {}
        for d in tables:
            tdef = self.defs[d["table"]]
            if isinstance(tdef["measure"], dict) and "median" in tdef["measure"]:
                median_required[d["table"]] = tdef["measure"]["median"] in required
        for d in tables:
            tdef = self.defs[d["table"]]
            dims = table_dims(d)
            idx_states = states_of(tdef, d["period"])
            tv = [x for x in dims if varies(x)]
            st = [x for x in dims if not varies(x)]
            if tv:  # per-period unknowns for a level that changes over time
                st_vals = [values[self.base(x)] for x in st]
                tv_vals = [d["rows" if d["rows"]["dimension"] == x else "columns"]["keys"] for x in tv]
                for sc in product(*st_vals):
                    fixed = {self.base(x): [v] for x, v in zip(st, sc, strict=True)}
                    vs = [s.var((tag, "tv", d["table"], d["period"], sc, tc)) for tc in product(*tv_vals)]
                    base_terms = static_terms(fixed, idx_states)
                    s.add([*vs, *base_terms], [1.0] * len(vs) + [-1.0] * len(base_terms), 0, 0)
            for cell in d["cells"]:
                fixed_by_dim = {}
                if cell["row"] is not None:
                    fixed_by_dim[d["rows"]["dimension"]] = cell["row"]
                if cell["column"] is not None:
                    fixed_by_dim[d["columns"]["dimension"]] = cell["column"]
                if tv:
                    st_vals = [values[self.base(x)] for x in st]
                    tv_vals = [d["rows" if d["rows"]["dimension"] == x else "columns"]["keys"] for x in tv]
                    terms = [s.var((tag, "tv", d["table"], d["period"], sc, tc))
                             for sc in product(*st_vals) for tc in product(*tv_vals)
                             if all(fixed_by_dim.get(x, v) == v for x, v in zip(st, sc, strict=True))
                             and all(fixed_by_dim.get(x, v) == v for x, v in zip(tv, tc, strict=True))]
                else:
                    fixed = {self.base(x): self.coarse(x, v, values[self.base(x)]) for x, v in fixed_by_dim.items()}
                    terms = static_terms(fixed, idx_states)
                kind = d["measure"]
                if kind == "median" and not median_required.get(d["table"], True):
                    kind = "median-loose"
                self.cells.append((d, cell, terms, kind))
                self._know(d, cell, terms, kind)

    def _know(self, d: dict, cell: dict, terms: list[int], kind: str) -> None:
        v, t = cell["value"], cell["threshold"]
        low0 = 0 if d.get("zeros_hidden") else 1
        if kind.startswith("median"):
            lo, hi = {"—": (0, 0)}.get(v, (1, t - 1) if isinstance(v, str) and v.startswith("<") else (t, math.inf))
            if kind == "median-loose":  # values are a subset of the group: only "some" is known
                lo, hi = (0, math.inf) if v == "—" else (lo, math.inf)
        elif isinstance(v, (int, float)):
            lo = hi = float(v)
        elif v.startswith("<"):
            lo, hi = low0, int(v[1:]) - 1
        else:  # "×": a count is at least its threshold (smaller ones are "<t", zeros are 0)
            lo, hi = (t, math.inf) if kind == "count" else (0, math.inf)
        if terms:
            self.sys.add(terms, [1.0] * len(terms), lo, hi)
        elif lo > 0:
            raise AssertionError(f"{d['table']} {d['period']} {cell}: nonzero cell with no records possible")

    # ---- solving -----------------------------------------------------------------------------
    def _matrix(self, s: System):
        r, c, v, lo, hi = [], [], [], [], []
        for i, (idx, coef, a, b) in enumerate(s.rows):
            r += [i] * len(idx)
            c += idx
            v += coef
            lo.append(a)
            hi.append(b)
        a = coo_matrix((v, (r, c)), shape=(len(s.rows), len(s.index))).tocsr()
        return a, np.array(lo, dtype=float), np.array(hi, dtype=float)

    def ranges(self) -> Iterator[tuple[dict, dict, float, float]]:
        for s, cells in self.systems:
            yield from self._ranges(s, [c for c in cells if self.wanted is None or self.wanted(c[0], c[1])])

    def _ranges(self, s: System, cells: list) -> Iterator[tuple[dict, dict, float, float]]:
        a, lo, hi = self._matrix(s)
        nvar = a.shape[1]
        eq = lo == hi
        a_eq, b_eq = a[eq], lo[eq]
        fin_hi, fin_lo = (~eq) & np.isfinite(hi), (~eq) & np.isfinite(lo)
        from scipy.sparse import vstack

        a_ub = vstack([a[fin_hi], -a[fin_lo]]).tocsr()
        b_ub = np.concatenate([hi[fin_hi], -lo[fin_lo]])
        constraint = LinearConstraint(a, lo, hi)
        for d, cell, terms, _ in cells:
            if isinstance(cell["value"], (int, float)) or cell["value"] == "—" or not terms:
                continue
            obj = np.zeros(nvar)
            np.add.at(obj, terms, 1.0)
            bounds_found = []
            for sign in (1.0, -1.0):
                res = linprog(sign * obj, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq,
                              bounds=(0, None), method="highs")
                if res.status == 3:
                    bounds_found.append(math.inf)
                    continue
                assert res.status == 0, f"published figures are inconsistent: {res.message}"
                best = sign * res.fun
                if self.milp_seconds and not np.allclose(res.x, np.round(res.x), atol=1e-7):
                    # integers: the solver's proven bound after the time limit (never tighter than the truth)
                    mres = milp(sign * obj, constraints=constraint, integrality=np.ones(nvar),
                                bounds=Bounds(0, np.inf), options={"time_limit": self.milp_seconds})
                    if mres.status in (0, 1) and mres.mip_dual_bound is not None:
                        best = sign * mres.mip_dual_bound
                # counts are integers: round the relaxation's bound inwards
                bounds_found.append(math.ceil(best - 1e-6) if sign > 0 else math.floor(best + 1e-6))
            yield d, cell, bounds_found[0] + 0.0, bounds_found[1] + 0.0

    def range_of(self, table: str, period: str, row: str | None, column: str | None = None) -> tuple[float, float]:
        """The range of one withheld cell."""
        self.wanted = lambda d, c: (d["table"], d["period"], c["row"], c["column"]) == (table, period, row, column)
        if not self.systems:
            self.build()
        found = list(self.ranges())
        assert found, "no such withheld cell"
        return found[0][2], found[0][3]

    def findings(self, first: bool = False) -> list[Finding]:
        """Every withheld cell narrowed beyond what the page promises (first=True: stop at one)."""
        self.wanted = None
        if not self.systems:
            self.build()
        found = []
        for d, cell, low, high in self.ranges():
            v, t = cell["value"], cell["threshold"]
            shown = str(v)
            if v.startswith("<"):
                # the page's promise: never pinned, at least half of 1..t-1 still possible
                t = int(v[1:])
                ok = high - low >= (t - 1) / 2 - 1e-6 or high <= 1e-6
                why = f"narrower than half of 1..{t - 1}"
            elif d["measure"] == "count":  # withheld to protect others, known to be ≥ t: not exact
                ok = high - low >= 1 - 1e-6
                why = "worked out exactly"
            else:  # a sum from few records
                ok = high - low >= t - 1e-6
                why = f"narrower than {t}"
            if not ok:
                found.append(Finding(d["table"], d["period"], cell["row"], cell["column"], shown, low, high, why))
                if first:
                    break
        return found


def attack(published: Path, root: Path, first: bool = False, milp_seconds: float = 0.0) -> list[Finding]:
    """Withheld cells of `weibao stats --out DIR` (or a frozen/ folder) that published figures narrow."""
    return Attacker(published, root / "statistics" / "tables.yaml", root / "schemas", milp_seconds).findings(first)
