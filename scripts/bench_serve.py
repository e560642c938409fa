"""How long a staff member waits for an edit in `weibao serve` (issue 19: ≤ 2 s at 5,000 orgs).

Starts the real `weibao serve` on a repository, waits until it serves, then saves one
organisation file with a new name several times and measures, for each save, the time until the
org's page fetched over HTTP contains the new name (what a browser reload would show). Used by
scripts/bench.py; also runs alone: `python scripts/bench_serve.py REPO [--edits 3]`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

POLL_S = 0.05
START_LIMIT_S = 1800.0
EDIT_LIMIT_S = 120.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def _wait_for(url: str, text: str, proc: subprocess.Popen, since: float, limit: float) -> float:
    """Seconds from since (a perf_counter reading) until the page at url contains text."""
    while time.perf_counter() - since < limit:
        if proc.poll() is not None:
            raise SystemExit(f"weibao serve stopped (exit {proc.returncode})")
        if text in _get(url):
            return time.perf_counter() - since
        time.sleep(POLL_S)
    raise SystemExit(f"{text!r} did not appear at {url} within {limit:.0f} s")


def serve_edit(repo: Path, edits: int = 3, log: Path | None = None) -> dict:
    """{"wall": median seconds save → served, "walls": [...], "start_s": first page served}."""
    orgs = sorted((repo / "records" / "orgs").glob("*.yaml"))
    org = orgs[len(orgs) // 2]
    original = org.read_text(encoding="utf-8")
    port = _free_port()
    url = f"http://127.0.0.1:{port}/orgs/{org.stem}.html"
    err = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115 (closed below)
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "weibao", "--root", str(repo), "serve", "--addr", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=err, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    walls = []
    try:
        name = re.search(r"(?m)^name: (.*)$", original)
        assert name, org
        start_s = _wait_for(url, name[1], proc, started, START_LIMIT_S)
        for i in range(edits):
            time.sleep(1.0)  # the server settles, as between two saves by a person
            marker = f"（预览计时修改{i}）"
            changed = original.replace(f"name: {name[1]}", f"name: {name[1]}{marker}", 1)
            t0 = time.perf_counter()
            org.write_text(changed, encoding="utf-8")
            walls.append(_wait_for(url, marker, proc, t0, EDIT_LIMIT_S))
    finally:
        org.write_text(original, encoding="utf-8")
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        if log:
            err.close()  # type: ignore[union-attr]
    return {"wall": statistics.median(walls), "walls": [round(w, 2) for w in walls],
            "start_s": round(start_s, 1), "orgs": len(orgs)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repo", type=Path)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--log", type=Path, help="where the server's messages go")
    args = parser.parse_args()
    print(json.dumps(serve_edit(args.repo.resolve(), args.edits, args.log)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
