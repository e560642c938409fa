"""The benchmark's synthetic repository: program records from scripts/generate_synthetic.py,
organisations and policies made here, committed to git, then a history of small edits.

Used by scripts/bench.py; every value is synthetic (bench-org-NNNNN, 基准测试机构第N号).
"""

from __future__ import annotations

import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GIT_ID = ["-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]


def make_repo(dest: Path, program_records: int, orgs: int, policies: int, seed: int) -> None:
    """A committed repository with the sample's schemas, vocabularies, regions and sources."""
    shutil.copytree(ROOT / "schemas", dest / "schemas")
    shutil.copytree(ROOT / "records" / "vocabularies", dest / "records" / "vocabularies")
    for folder in ("regions", "sources"):
        shutil.copytree(ROOT / "records" / folder, dest / "records" / folder)
    shutil.copy(ROOT / "weibao.yaml", dest / "weibao.yaml")
    shutil.copy(ROOT / ".gitignore", dest / ".gitignore")  # build/cache stays out of the history
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
    counts = {k: max(1, int(program_records * v)) for k, v in share.items()}
    subprocess.run(
        [sys.executable, str(HERE / "generate_synthetic.py"), "--root", str(dest),
         "--out-root", str(dest), "--seed", str(seed),
         "--cases", str(counts["cases"]), "--clues", str(counts["clues"]),
         "--activities", str(counts["activities"])],
        check=True, stdout=subprocess.DEVNULL,
    )
    subprocess.run(["git", "init", "-q"], cwd=dest, check=True)
    commit_all(dest, "bench: every record")


def commit_all(repo: Path, message: str) -> None:
    """Commit everything there is (nothing, when weibao stats froze nothing)."""
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    if subprocess.run(["git", "diff", "--cached", "--quiet"], cwd=repo).returncode:
        subprocess.run(["git", *GIT_ID, "commit", "-qm", message], cwd=repo, check=True)


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


# ---------------------------------------------------------------- history of small edits

_DAYS = re.compile(r"^days_to_first_response: (\d+)$", re.MULTILINE)
_VERIFIED = re.compile(r"^verified: 2026-0(\d)-15$", re.MULTILINE)


def _edit(rel: str, text: str, k: int) -> str:
    """One field changed, the file still valid: a clue's response days or an org's check date."""
    if rel.startswith("records/clues/"):
        return _DAYS.sub(lambda m: f"days_to_first_response: {int(m.group(1)) % 5 + 1}", text, 1)
    return _VERIFIED.sub(lambda m: f"verified: 2026-0{(int(m.group(1)) + k) % 9 + 1}-15", text, 1)


def add_history(repo: Path, commits: int) -> None:
    """`commits` commits on top of HEAD, each changing one field of one clue or organisation
    (alternately), written with git fast-import and checked out."""
    if commits <= 0:
        return
    branch = subprocess.run(["git", "symbolic-ref", "HEAD"], cwd=repo, check=True,
                            capture_output=True, text=True).stdout.strip()
    rels = {
        "clues": sorted(f"records/clues/{p.name}" for p in (repo / "records" / "clues").glob("*.yaml")),
        "orgs": sorted(f"records/orgs/{p.name}" for p in (repo / "records" / "orgs").glob("*.yaml")),
    }
    texts: dict[str, str] = {}
    stream = bytearray()
    for k in range(commits):
        pool = rels["clues" if k % 2 == 0 or not rels["orgs"] else "orgs"]
        rel = pool[(k // 2) % len(pool)]
        old = texts.get(rel) or (repo / rel).read_text(encoding="utf-8")
        texts[rel] = _edit(rel, old, k)
        data = texts[rel].encode("utf-8")
        message = f"bench: edit {k}".encode()
        stream += f"commit {branch}\n".encode()
        stream += f"committer bench <bench@example.invalid> {1_780_000_000 + 600 * k} +0800\n".encode()
        stream += f"data {len(message)}\n".encode() + message + b"\n"
        if k == 0:
            stream += b"from " + _head(repo).encode() + b"\n"
        stream += f"M 100644 inline {rel}\ndata {len(data)}\n".encode() + data + b"\n"
    subprocess.run(["git", "fast-import", "--quiet"], cwd=repo, input=bytes(stream), check=True)
    subprocess.run(["git", "reset", "-q", "--hard", "HEAD"], cwd=repo, check=True)


def _head(repo: Path) -> str:
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, check=True,
                          capture_output=True, text=True).stdout.strip()
