"""Benchmark: validation and site build at 10,000 and 100,000 program records, side by side.

Run with `nox -s bench` (slow; not part of the test run). For each size it generates a synthetic
repository in a temporary folder (program records from scripts/generate_synthetic.py, plus
5,000 organisations and 200 policies made here), then measures, median of --runs runs:

- full `weibao validate`, and `weibao validate` of one edited record (with its references);
- `check-jsonschema` on the same files and schemas (bundled, since it cannot resolve our
  offline $id), as a throughput ratio;
- the bare libyaml parse of the same files (the floor nobody can beat) on one and two cores;
- `weibao build` of the site with statistics;
- peak memory (largest resident set of the process tree) of each.

Prints one Markdown table and writes it to bench-results/latest.md with the machine it ran on.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = ROOT / "bench-results" / "latest.md"
TARGETS = {  # from issue 8, on a 2-core machine
    "ratio_check_jsonschema": 5.0,
    "ratio_bare_parse_2_cores": 0.5,
    "changed_record_s": 2.0,
    "build_s": 30.0,
    "peak_mib": 1024.0,
}


# Runs a command and reports its wall time and the peak RSS of its process tree's largest
# process (RUSAGE_CHILDREN of a fresh interpreter holds only that command's descendants).
_PROBE = """
import json, resource, subprocess, sys, time
t = time.perf_counter()
p = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
wall = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
sys.stderr.buffer.write(p.stdout[-4000:])
print(json.dumps({"wall": wall, "peak_kib": peak, "rc": p.returncode}))
"""


def _timed(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one run of cmd."""
    proc = subprocess.run([sys.executable, "-c", _PROBE, *cmd], cwd=cwd, capture_output=True)
    result = json.loads(proc.stdout)
    if result["rc"] not in (0, 1):
        tail = proc.stderr.decode("utf-8", "replace")
        raise SystemExit(f"{' '.join(cmd[:4])} … failed ({result['rc']}):\n{tail}")
    return result["wall"], result["peak_kib"] / 1024


def _median_run(cmd: list[str], cwd: Path, runs: int, prepare=None) -> tuple[float, float]:
    """Median wall seconds and the highest peak MiB over several runs."""
    walls, peaks = [], []
    for _ in range(runs):
        if prepare:
            prepare()
        wall, peak = _timed(cmd, cwd)
        walls.append(wall)
        peaks.append(peak)
    return statistics.median(walls), max(peaks)


# ---------------------------------------------------------------- synthetic repository


def _make_repo(dest: Path, program_records: int, orgs: int, policies: int, seed: int) -> None:
    shutil.copytree(ROOT / "schemas", dest / "schemas")
    shutil.copytree(ROOT / "records" / "vocabularies", dest / "records" / "vocabularies")
    for folder in ("regions", "sources"):
        shutil.copytree(ROOT / "records" / folder, dest / "records" / folder)
    shutil.copy(ROOT / "weibao.yaml", dest / "weibao.yaml")
    # table definitions only: the sample's frozen figures belong to other records
    (dest / "statistics").mkdir()
    shutil.copy(ROOT / "statistics" / "tables.yaml", dest / "statistics" / "tables.yaml")
    if (ROOT / "site").is_dir():
        shutil.copytree(ROOT / "site", dest / "site")
    rng = random.Random(seed)
    counties = sorted(
        p.stem for p in (dest / "records" / "regions").glob("*.yaml") if len(p.stem) == 6
        and not p.stem.endswith("00")
    )
    source = sorted(p.stem for p in (dest / "records" / "sources").glob("*.yaml"))[0]
    _make_orgs(dest, orgs, counties, source, rng)
    _make_policies(dest, policies, source, rng)
    share = {"cases": 0.6, "clues": 0.25, "activities": 0.15}
    counts = {k: int(program_records * v) for k, v in share.items()}
    subprocess.run(
        [sys.executable, str(HERE / "generate_synthetic.py"), "--root", str(dest),
         "--out-root", str(dest), "--seed", str(seed),
         "--cases", str(counts["cases"]), "--clues", str(counts["clues"]),
         "--activities", str(counts["activities"])],
        check=True, stdout=subprocess.DEVNULL,
    )
    subprocess.run(["git", "init", "-q"], cwd=dest, check=True)
    subprocess.run(["git", "add", "-A"], cwd=dest, check=True)
    subprocess.run(
        ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid",
         "commit", "-qm", "bench"], cwd=dest, check=True,
    )


KINDS = ["儿童之家", "社会工作服务站", "社工分站", "未成年人保护工作站", "社会工作服务机构"]
SERVICES = ["监护指导", "心理疏导", "家庭教育指导", "探访关爱", "资源链接", "普法宣传"]


def _make_orgs(dest: Path, n: int, counties: list[str], source: str, rng: random.Random) -> None:
    folder = dest / "records" / "orgs"
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        county = rng.choice(counties)
        services = ", ".join(rng.sample(SERVICES, 3))
        (folder / f"bench-org-{i:05d}.yaml").write_text(
            f"id: bench-org-{i:05d}\nname: 基准测试机构第{i}号\nkind: {rng.choice(KINDS)}\n"
            f'region: "{county}"\naddress: 示范路{i % 97 + 1}号\n'
            f'phones:\n  - number: "0535-{7000000 + i}"\n    label: 办公电话\n'
            f"hours:\n  twenty_four_seven: false\n  periods:\n    - days: [1, 2, 3, 4, 5]\n"
            f'      open: "08:30"\n      close: "17:30"\n'
            f"services: [{services}]\nsource:\n  document: {source}\nverified: 2026-0{rng.randint(1, 9)}-15\n",
            encoding="utf-8",
        )


def _make_policies(dest: Path, n: int, source: str, rng: random.Random) -> None:
    folder = dest / "records" / "policies"
    folder.mkdir(parents=True, exist_ok=True)
    paragraph = "为切实保障未成年人合法权益，健全农村留守儿童和困境儿童关爱服务体系，制定本方案。"
    for i in range(n):
        year = 2010 + i % 16
        body = "".join(f"  ## 第{j + 1}部分\n\n  {paragraph * 3}\n\n" for j in range(6))
        (folder / f"bench-policy-{i:04d}.yaml").write_text(
            f"id: bench-policy-{i:04d}\ntitle: 基准测试政策文件第{i}号\nissuers: [示范市民政局]\n"
            f"issued: {year}-0{rng.randint(1, 9)}-10\nstatus: 现行有效\ntags: [社会保护]\n"
            f'scope: 全国\nsource:\n  document: {source}\nbody: |\n{body}',
            encoding="utf-8",
        )


# ---------------------------------------------------------------- measurements


def _record_files(repo: Path) -> list[Path]:
    return sorted(p for p in (repo / "records").rglob("*.yaml"))


def _parse_chunk(paths: list[str]) -> int:
    import yaml

    for p in paths:
        with open(p, encoding="utf-8-sig") as f:
            yaml.load(f.read(), Loader=yaml.CSafeLoader)
    return len(paths)


def _bare_parse(files: list[Path], workers: int) -> float:
    """Seconds to parse every file with libyaml, on `workers` processes."""
    names = [str(p) for p in files]
    start = time.perf_counter()
    if workers == 1:
        _parse_chunk(names)
    else:
        chunks = [names[i : i + 500] for i in range(0, len(names), 500)]
        with ProcessPoolExecutor(workers) as pool:
            sum(pool.map(_parse_chunk, chunks))
    return time.perf_counter() - start


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


def _check_jsonschema(repo: Path, bundled: dict[str, Path]) -> tuple[float, float]:
    """Seconds and peak MiB for check-jsonschema over every collection (batched for ARG_MAX)."""
    exe = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")
    total, peak = 0.0, 0.0
    for collection, schema in bundled.items():
        files = sorted((repo / "records" / collection).glob("*.yaml"))
        for i in range(0, len(files), 20000):
            batch = [str(p) for p in files[i : i + 20000]]
            wall, batch_peak = _timed([exe, "--schemafile", str(schema), *batch], repo)
            total += wall
            peak = max(peak, batch_peak)
    return total, peak


def measure(size: int, runs: int, seed: int, workdir: Path) -> dict:
    repo = workdir / f"repo-{size}"
    t0 = time.perf_counter()
    _make_repo(repo, size, orgs=5000, policies=200, seed=seed)
    generated = time.perf_counter() - t0
    files = _record_files(repo)
    weibao = [sys.executable, "-m", "weibao", "--root", str(repo)]
    check = subprocess.run([*weibao, "validate"], capture_output=True, text=True, encoding="utf-8")
    if check.returncode != 0:  # we time the success path; a broken generator would skew it
        raise SystemExit(f"generated repository does not validate:\n{check.stdout[-3000:]}")

    full_s, full_peak = _median_run([*weibao, "validate"], repo, runs)
    one = next(iter(sorted((repo / "records" / "cases").glob("*.yaml"))))
    original = one.read_text(encoding="utf-8")

    def edit() -> None:  # a staff member changes one field of one record
        one.write_text(original.replace("status: 在管", "status: 在管 ").replace("sex: 男", "sex: 女"),
                       encoding="utf-8")

    changed_s, changed_peak = _median_run([*weibao, "validate", str(one)], repo, runs, prepare=edit)
    one.write_text(original, encoding="utf-8")

    bundled = _bundle(repo / "schemas", workdir / f"bundled-{size}")
    cj = [_check_jsonschema(repo, bundled) for _ in range(runs)]
    cj_s = statistics.median(c[0] for c in cj)
    cj_peak = max(c[1] for c in cj)

    bare1 = statistics.median(_bare_parse(files, 1) for _ in range(runs))
    bare2 = statistics.median(_bare_parse(files, 2) for _ in range(runs))

    out = workdir / f"site-{size}"
    build_s, build_peak = _median_run([*weibao, "build", "--out", str(out)], repo, runs)
    return {
        "size": size,
        "files": len(files),
        "generated_s": generated,
        "validate_s": full_s,
        "validate_rate": len(files) / full_s,
        "validate_peak_mib": full_peak,
        "changed_s": changed_s,
        "changed_peak_mib": changed_peak,
        "check_jsonschema_s": cj_s,
        "check_jsonschema_rate": len(files) / cj_s,
        "check_jsonschema_peak_mib": cj_peak,
        "bare_rate_1": len(files) / bare1,
        "bare_rate_2": len(files) / bare2,
        "build_s": build_s,
        "build_peak_mib": build_peak,
    }


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


def table(results: list[dict], runs: int) -> str:
    lines = [
        f"机器 / machine: {_machine()}; median of {runs} runs; {time.strftime('%Y-%m-%d')}",
        "",
        "| program records | files | weibao validate | files/s | vs check-jsonschema | "
        "vs bare libyaml (2 cores) | one changed record | weibao build | peak MiB "
        "(validate / changed / check-jsonschema / build) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        lines.append(
            f"| {r['size']:,} | {r['files']:,} | {r['validate_s']:.1f} s | {r['validate_rate']:,.0f} | "
            f"{r['validate_rate'] / r['check_jsonschema_rate']:.1f}× "
            f"({r['check_jsonschema_rate']:,.0f} files/s) | "
            f"{r['validate_rate'] / r['bare_rate_2']:.0%} "
            f"({r['bare_rate_2']:,.0f} files/s; 1 core {r['bare_rate_1']:,.0f}) | "
            f"{r['changed_s']:.2f} s | {r['build_s']:.1f} s | "
            f"{r['validate_peak_mib']:.0f} / {r['changed_peak_mib']:.0f} / "
            f"{r['check_jsonschema_peak_mib']:.0f} / {r['build_peak_mib']:.0f} |"
        )
    lines += ["", "Targets (issue 8): ≥ 5× check-jsonschema; ≥ 50% of bare libyaml on both cores; "
              "one changed record ≤ 2 s; build ≤ 30 s; peak ≤ 1 GiB."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="program-record counts")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the generated repositories")
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="weibao-bench-"))
    try:
        results = []
        for size in (int(s) for s in args.sizes.split(",")):
            print(f"… {size:,} program records", file=sys.stderr, flush=True)
            results.append(measure(size, args.runs, args.seed, workdir))
        text = table(results, args.runs)
        print(text)
        args.results.parent.mkdir(parents=True, exist_ok=True)
        args.results.write_text(text, encoding="utf-8")
        (args.results.with_suffix(".json")).write_text(json.dumps(results, indent=2), encoding="utf-8")
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"kept {workdir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
