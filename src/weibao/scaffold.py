"""`weibao new <collection> [--id ID]`: a new record file with every field staff must fill in.

The record comes from a template (src/weibao/scaffold_templates/<collection>.yaml) with an id,
today's date or month, the repository's first county and the first term of each vocabulary
filled in; fields marked "# 请修改" hold obvious placeholders for staff to replace, and
`weibao validate` refuses them until they are replaced (check/placeholders.py). Program
records always get a random id (c-/x-/a- + 10 Crockford base32 characters) that nothing about
a child can be derived from. An existing file is never overwritten.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import secrets
import string
from importlib import resources
from pathlib import Path

from weibao.errors import UsageError
from weibao.load import load_file
from weibao.load.yaml_strict import parse
from weibao.repo import RECORD_SUFFIX, Repository

# Crockford base32 in lower case: no i, l, o, u (the schemas' id pattern)
ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
RANDOM_LENGTH = 10
SLUG_SUFFIX_LENGTH = 6
# a field staff must fill in: "name: …  # 请修改：机构的正式名称" → (name, 机构的正式名称)
EDIT_NOTE = re.compile(r"^\s*-?\s*([A-Za-z_]+):.*#\s*请修改[：:]\s*(.*)$")


def template(name: str) -> str:
    return resources.files("weibao.scaffold_templates").joinpath(name).read_text(encoding="utf-8")


def kinds() -> dict[str, dict]:
    """collection → {id: slug|random, prefix, label}, from collections.yaml."""
    value, problems = parse(template("collections.yaml"))
    if problems or not isinstance(value, dict):  # pragma: no cover - a packaging error
        raise RuntimeError(f"scaffold_templates/collections.yaml: {problems}")
    return value


def random_part(n: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(n))


def _first_term(repo: Repository, vocabulary: str) -> str:
    path = repo.records_dir / "vocabularies" / f"{vocabulary}{RECORD_SUFFIX}"
    record = load_file(path, repo.rel(path), 1 << 24).value if path.is_file() else None
    for term in (record or {}).get("terms") or []:
        if isinstance(term, dict) and isinstance(term.get("term"), str):
            return term["term"]
    raise UsageError(f"词表 records/vocabularies/{vocabulary}.yaml 不存在或没有词条：请先补上。")


def _county(repo: Repository) -> str:
    """The first county-level region: from weibao.yaml's jurisdiction, else from records/regions."""
    configured = repo.config.jurisdiction.regions
    files = {p.stem: p for p in repo.record_files("regions")}
    for code in [*configured, *sorted(files)]:
        path = files.get(code)
        if path is None:
            continue
        record = load_file(path, repo.rel(path), 1 << 20).value or {}
        if record.get("level") == "县级":
            return code
    raise UsageError("records/regions/ 中没有县级地区：请先加入本地的县级行政区划记录。")


def _first_id(repo: Repository, collection: str, hint: str) -> str:
    ids = sorted(repo.ids(collection))
    if not ids:
        raise UsageError(f"records/{collection}/ 中还没有记录：请先运行 {hint}。")
    return ids[0]


def _values(repo: Repository, text: str, today: dt.date) -> dict[str, str]:
    """Only the placeholders the template uses are looked up (an org is needed for cases only)."""
    values: dict[str, str] = {"today": today.isoformat(), "month": today.strftime("%Y-%m")}
    names = {m.group("named") or m.group("braced") for m in string.Template.pattern.finditer(text)}
    for name in names - {None, "id", "today", "month"}:
        if name == "county":
            values[name] = _county(repo)
        elif name == "org":
            values[name] = _first_id(repo, "orgs", "weibao new orgs")
        elif name == "source":
            values[name] = _first_id(repo, "sources", "weibao new sources")
        elif name.startswith("vocab_"):
            values[name] = _first_term(repo, name.removeprefix("vocab_"))
    return values


def _new_id(repo: Repository, collection: str, kind: dict, wanted: str | None) -> str:
    schema_id = repo.schemas[collection].get("properties", {}).get("id", {})
    pattern = schema_id.get("pattern")
    if kind["id"] == "random":
        if wanted:
            raise UsageError(
                f"{kind['label']}的编号必须随机生成，不能用 --id 指定"
                "（编号不能由姓名、身份证号等推出）：请去掉 --id。"
            )
        for _ in range(100):
            candidate = kind["prefix"] + random_part(RANDOM_LENGTH)
            if candidate not in repo.ids(collection):
                return candidate
        raise UsageError("无法生成不重复的随机编号。")  # pragma: no cover - 32^10 ids
    if wanted:
        if pattern and not re.search(pattern, wanted):
            raise UsageError(
                f"编号“{wanted}”不合格式：只用小写英文字母、数字和连字符，"
                "如 laiyang-protection-centre（就是文件名，不含 .yaml）。"
            )
        return wanted
    return kind["prefix"] + random_part(SLUG_SUFFIX_LENGTH)


def create(
    repo: Repository, collection: str, record_id: str | None = None, today: dt.date | None = None
) -> tuple[Path, list[tuple[str, str]]]:
    """Write the new record; return its path and the fields to edit (name, what to write)."""
    table = kinds()
    if collection not in table or collection not in repo.schemas:
        usable = "、".join(c for c in table if c in repo.schemas)
        raise UsageError(f"不能新建“{collection}”记录：可以新建的集合有 {usable}。")
    kind = table[collection]
    text = template(f"{collection}.yaml")
    values = _values(repo, text, today or repo.today())
    values["id"] = _new_id(repo, collection, kind, record_id)
    content = string.Template(text).substitute(values)
    folder = repo.records_dir / collection
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{values['id']}{RECORD_SUFFIX}"
    try:
        with path.open("x", encoding="utf-8", newline="\n") as out:
            out.write(content)
    except FileExistsError as err:
        raise UsageError(
            f"{repo.rel(path)} 已经存在，不会覆盖：请换一个编号，或直接修改这个文件。"
        ) from err
    edits = [(m[1], m[2]) for line in content.splitlines() if (m := EDIT_NOTE.match(line))]
    return path, edits


def run(repo: Repository, args: argparse.Namespace) -> int:
    path, edits = create(repo, args.collection, args.record_id)
    rel = repo.rel(path)
    print(f"已新建 {rel}")
    if edits:
        print("请修改这些字段（文件中标有“# 请修改”），改完后删除这些提示（校验会检查）：")
        for field, what in edits:
            print(f"  {field}: {what}")
    print(f"然后运行：weibao validate {rel}")
    return 0
