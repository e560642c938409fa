"""Benchmark: every scale target side by side, measured in one run on the same generated files.

Run with `nox -s bench` (slow; not part of the test run). For each size (default 10,000 and
100,000 program records, plus 5,000 organisations and 200 policies) it generates a synthetic
repository (scripts/bench_repo.py), freezes its statistics with `weibao stats`, adds a history of
small edits, then measures whole processes (median of --runs; peak = largest resident set of
the process tree; CPU = user + system seconds of every process):

- the bare libyaml parse of every record file on 2 processes: the floor the ratios are taken to;
- `weibao validate` (≤ 1.5× parse), one changed record (≤ 2 s), `weibao build` (≤ 2.5× parse,
  ≤ 600 MiB), `weibao stats` (timed as it is, no target);
- `weibao audit --format json` against a bare `git log --name-status -p` of the same history
  (≤ 3×): the edit commits alone, and the whole history whose first commit adds every record;
- the first-load bytes (gzip) of the built home page on a phone (scripts/first_load.py);
- at the first size, `weibao serve`: seconds from saving one organisation file until its page
  is served with the change (scripts/bench_serve.py, ≤ 2 s);
and once, the import of 10,000 spreadsheet rows (scripts/bench_import.py, ≤ 10 s).

Targets live in scripts/bench_targets.yaml. Writes bench-results/latest.md and latest.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from bench_repo import add_history, commit_all, make_repo  # noqa: E402
from bench_serve import serve_edit  # noqa: E402

RESULTS = ROOT / "bench-results" / "latest.md"
TARGETS = yaml.safe_load((HERE / "bench_targets.yaml").read_text(encoding="utf-8"))

# Runs a command and reports its wall time, the peak RSS of its largest process and the CPU
# seconds of all its processes (RUSAGE_CHILDREN of a fresh interpreter holds only this
# command's descendants). argv[1] is where stdout goes ("-" for nowhere).
_PROBE = """
import json, resource, subprocess, sys, time
out = subprocess.DEVNULL if sys.argv[1] == "-" else open(sys.argv[1], "wb")
t = time.perf_counter()
p = subprocess.run(sys.argv[2:], stdout=out, stderr=subprocess.PIPE)
wall = time.perf_counter() - t
u = resource.getrusage(resource.RUSAGE_CHILDREN)
sys.stderr.buffer.write(p.stderr[-4000:])
print(json.dumps({"wall": wall, "peak_kib": u.ru_maxrss, "cpu": u.ru_utime + u.ru_stime,
                  "rc": p.returncode}))
"""


def timed(cmd: list[str], cwd: Path, stdout: Path | None = None, allowed: tuple[int, ...] = (0,)) -> dict:
    """{"wall": s, "peak_mib": MiB, "cpu": s, "rc": exit code} of one run of cmd. Any other exit
    code than `allowed` stops the benchmark: a failed build is not a fast one."""
    proc = subprocess.run([sys.executable, "-c", _PROBE, str(stdout or "-"), *cmd], cwd=cwd,
                          capture_output=True)
    result = json.loads(proc.stdout)
    if result["rc"] not in allowed:
        tail = proc.stderr.decode("utf-8", "replace")
        raise SystemExit(f"{' '.join(cmd[:5])} … failed ({result['rc']}):\n{tail}")
    return {"wall": result["wall"], "peak_mib": result["peak_kib"] / 1024, "cpu": result["cpu"],
            "rc": result["rc"]}


def median_run(cmd: list[str], cwd: Path, runs: int,
               prepare: Callable[[], None] | None = None, allowed: tuple[int, ...] = (0,)) -> dict:
    """Median wall and CPU seconds, highest peak, over several runs."""
    done = []
    for _ in range(runs):
        if prepare:
            prepare()
        done.append(timed(cmd, cwd, allowed=allowed))
    return {
        "wall": statistics.median(d["wall"] for d in done),
        "cpu": statistics.median(d["cpu"] for d in done),
        "peak_mib": max(d["peak_mib"] for d in done),
        "walls": [round(d["wall"], 2) for d in done],
        "rc": max(d["rc"] for d in done),
    }


# ---------------------------------------------------------------- the bare parse (a subcommand)


def _parse_chunk(paths: list[str]) -> int:
    for p in paths:
        with open(p, encoding="utf-8-sig") as f:
            yaml.load(f.read(), Loader=yaml.CSafeLoader)
    return len(paths)


def bare_parse(repo: Path, workers: int) -> int:
    """Parse every record file with libyaml on `workers` processes (nothing else: the floor)."""
    names = sorted(str(p) for p in (repo / "records").rglob("*.yaml"))
    chunks = [names[i : i + 500] for i in range(0, len(names), 500)]
    if workers == 1:
        return sum(map(_parse_chunk, chunks))
    with ProcessPoolExecutor(workers) as pool:
        return sum(pool.map(_parse_chunk, chunks))


# ---------------------------------------------------------------- check-jsonschema (optional)


def _bundle(schema_dir: Path, out_dir: Path) -> dict[str, Path]:
    """Each collection schema with defs.schema.json inlined, for check-jsonschema (offline)."""
    defs = json.loads((schema_dir / "defs.schema.json").read_text(encoding="utf-8"))["$defs"]
    out_dir.mkdir(parents=True, exist_ok=True)
    bundled = {}
    for path in schema_dir.glob("*.schema.json"):
        if path.name == "defs.schema.json":
            continue
        text = path.read_text(encoding="utf-8").replace('"defs.schema.json#/$defs/', '"#/$defs/')
        schema = json.loads(text)
        if schema.get("x-collection") is False:  # tables.schema.json describes no records
            continue
        schema.pop("$id", None)
        schema["$defs"] = json.loads(json.dumps(defs).replace('"defs.schema.json#/$defs/', '"#/$defs/'))
        target = out_dir / path.name
        target.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
        bundled[path.name.removesuffix(".schema.json")] = target
    return bundled


def check_jsonschema(repo: Path, bundled: dict[str, Path]) -> dict:
    """One run of check-jsonschema over every collection (batched for ARG_MAX)."""
    exe = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")
    total = {"wall": 0.0, "cpu": 0.0, "peak_mib": 0.0}
    for collection, schema in bundled.items():
        files = sorted((repo / "records" / collection).glob("*.yaml"))
        for i in range(0, len(files), 20000):
            batch = [str(p) for p in files[i : i + 20000]]
            run = timed([exe, "--schemafile", str(schema), *batch], repo, allowed=(0, 1))
            total = {"wall": total["wall"] + run["wall"], "cpu": total["cpu"] + run["cpu"],
                     "peak_mib": max(total["peak_mib"], run["peak_mib"])}
    return total


# ---------------------------------------------------------------- one size


def _first_load_kb(site: Path) -> float | None:
    """Home page first-load bytes (gzip, KB) in chromium; None where chromium is missing."""
    if not Path("/usr/bin/chromium").exists():
        return None
    from first_load import first_load

    return sum(first_load(site).values()) / 1024


def measure(size: int, args: argparse.Namespace, workdir: Path, serve: bool = False) -> dict:
    repo = workdir / f"repo-{size}"
    t0 = time.perf_counter()
    make_repo(repo, size, orgs=args.orgs, policies=args.policies, seed=args.seed)
    weibao = [sys.executable, "-m", "weibao", "--root", str(repo)]
    # statistics as staff keep them: closed periods frozen by `weibao stats` and committed
    # exit 1: the disclosure audit refuses to publish (a data outcome, reported in the table)
    stats = median_run([*weibao, "stats", "--out", str(workdir / f"stats-{size}")], repo, args.runs,
                       allowed=(0, 1))
    commit_all(repo, "bench: frozen statistics")
    add_history(repo, args.history)
    generated = time.perf_counter() - t0
    files = sum(1 for _ in (repo / "records").rglob("*.yaml"))
    check = subprocess.run([*weibao, "validate"], capture_output=True, text=True, encoding="utf-8")
    if check.returncode != 0:  # we time the success path; a broken generator would skew it
        raise SystemExit(f"generated repository does not validate:\n{check.stdout[-3000:]}")
    r: dict = {"size": size, "files": files, "commits": args.history + 2,
               "generated_s": round(generated, 1), "stats": stats}

    r["parse"] = median_run([sys.executable, str(Path(__file__)), "--parse", str(repo)], repo, args.runs)
    r["validate"] = median_run([*weibao, "validate"], repo, args.runs)

    one = sorted((repo / "records" / "cases").glob("*.yaml"))[0]
    original = one.read_text(encoding="utf-8")

    def edit() -> None:  # a staff member changes one field of one record
        one.write_text(original.replace("sex: 男", "sex: 女", 1) if "sex: 男" in original
                       else original.replace("sex: 女", "sex: 男", 1), encoding="utf-8")

    r["changed"] = median_run([*weibao, "validate", str(one)], repo, args.runs, prepare=edit)
    one.write_text(original, encoding="utf-8")

    if args.check_jsonschema:
        r["check_jsonschema"] = check_jsonschema(repo, _bundle(repo / "schemas", workdir / f"bundled-{size}"))

    site = workdir / f"site-{size}"
    r["build"] = median_run([*weibao, "build", "--out", str(site)], repo, args.runs)

    edits = f"HEAD~{args.history}..HEAD"
    for name, rev in (("edits", [edits]), ("whole", [])):
        r[f"audit_{name}"] = median_run([*weibao, "audit", *rev, "--format", "json"], repo, args.runs)
        r[f"gitlog_{name}"] = median_run(["git", "log", "--name-status", "-p", *rev], repo, args.runs)
    if not args.skip_first_load:
        r["first_load_kb"] = _first_load_kb(site)
    shutil.rmtree(site, ignore_errors=True)
    if serve:
        r["serve"] = serve_edit(repo, args.runs, workdir / f"serve-{size}.log")
    return r


def import_rows(rows: int, workdir: Path) -> dict:
    """scripts/bench_import.py (its own repository): the import's own timing, and its peak."""
    out = workdir / "import.json"
    run = timed([sys.executable, str(HERE / "bench_import.py"), "--rows", str(rows)], ROOT, stdout=out)
    return {**json.loads(out.read_text(encoding="utf-8")), "peak_mib": run["peak_mib"]}


# ---------------------------------------------------------------- the report


def _machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}), "
            f"{mem:.0f} GiB, Python {platform.python_version()}")


def _verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


def _ratio(r: dict, key: str, base: str = "parse") -> float:
    return r[key]["wall"] / r[base]["wall"]


def _cells(r: dict) -> dict[str, str]:
    t = TARGETS
    v, b = _ratio(r, "validate"), _ratio(r, "build")
    cells = {
        "parse": f"{r['parse']['wall']:.1f} s · {r['parse']['peak_mib']:.0f} MiB",
        "validate": f"{r['validate']['wall']:.1f} s · {v:.2f}× · {r['validate']['peak_mib']:.0f} MiB — "
                    + _verdict(v <= t["validate_ratio"]),
        "changed": f"{r['changed']['wall']:.2f} s — " + _verdict(r["changed"]["wall"] <= t["changed_s"]),
        "build": f"{r['build']['wall']:.1f} s · {b:.2f}× · {r['build']['peak_mib']:.0f} MiB — "
                 + _verdict(b <= t["build_ratio"] and r["build"]["peak_mib"] <= t["build_peak_mib"]),
        "stats": f"{r['stats']['wall']:.1f} s · {r['stats']['peak_mib']:.0f} MiB"
                 + (" — refused to publish (disclosure audit), nothing frozen" if r["stats"].get("rc") else ""),
    }
    for name in ("edits", "whole"):
        a = _ratio(r, f"audit_{name}", f"gitlog_{name}")
        cells[f"audit_{name}"] = (f"{r[f'audit_{name}']['wall']:.1f} s vs {r[f'gitlog_{name}']['wall']:.1f} s"
                                  f" · {a:.1f}× · {r[f'audit_{name}']['peak_mib']:.0f} MiB — "
                                  + _verdict(a <= t["audit_ratio"]))
    if "serve" in r:
        sv = r["serve"]
        cells["serve"] = (f"{sv['wall']:.2f} s (each: {', '.join(f'{w:.2f}' for w in sv['walls'])}; "
                          f"{sv['orgs']:,} orgs; first page after {sv['start_s']:.0f} s) — "
                          + _verdict(sv["wall"] <= t["serve_edit_s"]))
    kb = r.get("first_load_kb")
    cells["first_load"] = "–" if kb is None else f"{kb:.1f} KB — " + _verdict(kb <= t["first_load_kb"])
    if "check_jsonschema" in r:
        cells["check_jsonschema"] = (f"{r['check_jsonschema']['wall']:.1f} s · weibao validate "
                                     f"{r['check_jsonschema']['wall'] / r['validate']['wall']:.1f}× faster")
    return cells


ROWS = [  # key, what, target
    ("parse", "bare libyaml parse of every record file, 2 processes (the floor)", "–"),
    ("validate", "`weibao validate`, whole repository", "≤ {validate_ratio}× parse"),
    ("build", "`weibao build` (statistics, pages, MkDocs, Pagefind)", "≤ {build_ratio}× parse, ≤ {build_peak_mib} MiB"),
    ("changed", "`weibao validate` of one changed record", "≤ {changed_s} s"),
    ("serve", "`weibao serve`: one organisation file saved → its page served with the change (median)",
     "≤ {serve_edit_s} s"),
    ("stats", "`weibao stats` (tables with suppression and disclosure audit)", "–"),
    ("audit_edits", "`weibao audit --format json`, the {history:,} edit commits, vs `git log --name-status -p`",
     "≤ {audit_ratio}×"),
    ("audit_whole", "`weibao audit --format json`, whole history (first commit adds every record), vs git log",
     "≤ {audit_ratio}×"),
    ("first_load", "home page first load on a phone (gzip, 375 px)", "≤ {first_load_kb} KB"),
    ("check_jsonschema", "check-jsonschema on the same files (one run)", "–"),
]


def table(results: list[dict], imported: dict | None, args: argparse.Namespace, load: tuple) -> str:
    cells = [_cells(r) for r in results]
    head = " | ".join(f"{r['size']:,} program records ({r['files']:,} files)" for r in results)
    lines = [
        f"机器 / machine: {_machine()}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
        f"median of {args.runs} runs; load average {load[0]:.1f} at the start, {load[1]:.1f} at the end "
        "(the cores are shared: compare ratios measured in the same run, not absolute times)",
        "",
        f"| what | {head} | target |",
        "| --- | " + " | ".join("---" for _ in results) + " | --- |",
    ]
    fmt = {**TARGETS, "history": args.history}
    for key, what, target in ROWS:
        if not any(key in c for c in cells):
            continue
        lines.append(f"| {what.format(**fmt)} | " + " | ".join(c.get(key, "–") for c in cells)
                     + f" | {target.format(**fmt)} |")
    if imported:
        # the target is for 10,000 rows: a smaller trial run is timed, not judged
        ok = imported["import_s"] <= TARGETS["import_s"] if imported["rows"] >= 10_000 else None
        lines.append(
            f"| import of {imported['rows']:,} spreadsheet rows (`weibao import`, scripts/bench_import.py) | "
            f"{imported['import_s']:.1f} s (CPU {imported['import_cpu_s']:.1f} s) · {imported['peak_mib']:.0f} MiB — "
            f"{'too few rows to judge' if ok is None else _verdict(ok)}" + " | –" * (len(results) - 1)
            + f" | ≤ {TARGETS['import_s']} s for 10,000 rows |")
    lines += ["", "CPU seconds (user + system, every process) — less sensitive to other load than wall time:", "",
              "| program records | parse | validate | build | stats | audit (edits / whole) | git log (edits / whole) |",
              "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in results:
        c = {k: r[k]["cpu"] for k in ("parse", "validate", "build", "stats", "audit_edits", "audit_whole",
                                      "gitlog_edits", "gitlog_whole")}
        lines.append(
            f"| {r['size']:,} | {c['parse']:.1f} | {c['validate']:.1f} ({c['validate'] / c['parse']:.2f}×) | "
            f"{c['build']:.1f} ({c['build'] / c['parse']:.2f}×) | {c['stats']:.1f} | "
            f"{c['audit_edits']:.1f} / {c['audit_whole']:.1f} | {c['gitlog_edits']:.1f} / {c['gitlog_whole']:.1f} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="program-record counts")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--orgs", type=int, default=5000)
    parser.add_argument("--policies", type=int, default=200)
    parser.add_argument("--history", type=int, default=2000, help="edit commits after the first")
    parser.add_argument("--import-rows", type=int, default=10_000, help="0: no import measurement")
    parser.add_argument("--skip-first-load", action="store_true")
    parser.add_argument("--skip-serve", action="store_true", help="no weibao serve measurement")
    parser.add_argument("--check-jsonschema", action="store_true",
                        help="also time check-jsonschema on the same files (slow: minutes at 100,000)")
    parser.add_argument("--keep", action="store_true", help="keep the generated repositories")
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--parse", type=Path, help=argparse.SUPPRESS)  # the bare parse, as its own process
    args = parser.parse_args(argv)
    if args.parse:
        bare_parse(args.parse, 2)
        return 0
    workdir = Path(tempfile.mkdtemp(prefix="weibao-bench-"))
    start_load = os.getloadavg()[0]
    try:
        results: list[dict] = []
        imported = None
        text = ""

        def write() -> str:  # after each size too: a long run stopped halfway keeps what it measured
            text = table(results, imported, args, (start_load, os.getloadavg()[0]))
            args.results.parent.mkdir(parents=True, exist_ok=True)
            args.results.write_text(text, encoding="utf-8")
            args.results.with_suffix(".json").write_text(
                json.dumps({"results": results, "import": imported, "targets": TARGETS}, indent=2) + "\n",
                encoding="utf-8")
            return text

        if args.import_rows:  # first: it does not depend on the size, and is quick
            print(f"… import of {args.import_rows:,} rows", file=sys.stderr, flush=True)
            imported = import_rows(args.import_rows, workdir)
        for n, size in enumerate(int(s) for s in args.sizes.split(",")):
            print(f"… {size:,} program records", file=sys.stderr, flush=True)
            results.append(measure(size, args, workdir, serve=n == 0 and not args.skip_serve))
            text = write()
        print(text)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"kept {workdir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
