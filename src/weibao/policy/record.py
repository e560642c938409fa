"""An imported policy as a record: fields found in the text, placeholders for the rest (listed)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from weibao.policy.extract import Found
from weibao.policy.settings import settings
from weibao.repo import Repository

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}[a-z0-9]$")
FIELD_NAMES = {
    "title": "标题", "doc_number": "文号", "issuers": "发文机关", "issued": "成文日期",
    "effective": "施行日期", "status": "效力状态", "tags": "保护领域", "scope": "适用范围",
    "source": "来源", "body": "正文",
}
ORDER = ["id", "title", "doc_number", "issuers", "issued", "effective", "status", "tags", "scope",
         "source", "body"]


@dataclass
class Todo:
    """A field filled with a guess or a placeholder, for staff to check."""

    field: str
    value: str
    why: str


@dataclass
class Draft:
    record: dict[str, Any]
    todo: list[Todo] = field(default_factory=list)


def slug(name: str) -> str | None:
    """ASCII slug of a file name, or None when too little of it is ASCII (a Chinese name)."""
    if re.search(r"[\u3400-\u9fff]", name):
        return None
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    s = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:64].strip("-")
    return s if ID_PATTERN.match(s) else None


def derive_id(path: Path, issued: str | None, data: bytes, today: dt.date) -> str:
    """The file name as a slug, else policy-<year>-<6 letters from the file's hash>.

    Only the year and no digit runs: the privacy guard reads 20240301 as a birth date.
    """
    s = slug(path.stem)
    if s:
        return s
    year = (issued or today.isoformat())[:4]
    letters = hashlib.sha256(data).hexdigest()[:6].translate(str.maketrans("0123456789", "ghijklmnop"))
    return f"policy-{year}-{letters}"


def _regions(repo: Repository) -> dict[str, str]:
    """Region name → code, from records/regions/."""
    out = {}
    for path in repo.record_files("regions"):
        try:
            rec = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
        except (yaml.YAMLError, UnicodeDecodeError):
            continue
        if isinstance(rec, dict) and isinstance(rec.get("name"), str) and rec.get("id"):
            out[rec["name"]] = str(rec["id"])
    return out


def _scope(repo: Repository, issuers: list[str]) -> tuple[str, str | None]:
    """(scope, why it is only a guess or None when the issuer shows it)."""
    national = tuple(settings()["national_issuers"])
    if issuers and all(i.startswith(national) for i in issuers):
        return "全国", None
    # the most specific region named in the issuer: 北京市房山区民政局 → 房山区
    best: tuple[int, str] | None = None
    for name, code in _regions(repo).items():
        for issuer in issuers:
            at = issuer.rfind(name)
            if at >= 0 and (best is None or at + len(name) > best[0]):
                best = (at + len(name), code)
    if best:
        return best[1], None
    regions = repo.config.jurisdiction.regions
    if regions and regions[0] in repo.ids("regions"):
        return regions[0], f"发文机关中没有地名，暂填本数据仓的第一个地区 {regions[0]}（weibao.yaml）"
    return settings()["placeholders"]["scope"], "发文机关中没有地名，暂填“全国”"


def _protections(repo: Repository) -> dict[str, str]:
    path = repo.records_dir / "vocabularies" / "protections.yaml"
    try:
        rec = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
    except (OSError, yaml.YAMLError):
        return {}
    out = {}
    for t in rec.get("terms") or []:
        if isinstance(t, dict) and isinstance(t.get("term"), str):
            out[t["term"]] = t["term"]
            for alias in t.get("aliases") or []:
                out.setdefault(str(alias), t["term"])
    return out


def build(repo: Repository, src: Path, found: Found, body: str, record_id: str,
          url: str | None) -> Draft:
    ph = settings()["placeholders"]
    todo: list[Todo] = []
    rec: dict[str, Any] = {"id": record_id}
    if found.title:
        rec["title"] = found.title
    else:
        rec["title"] = src.stem if len(src.stem) >= 2 else "待补充标题"
        todo.append(Todo("title", rec["title"], "没有找到标题，暂用文件名"))
    if found.doc_number:
        rec["doc_number"] = found.doc_number.value
    if found.issuers:
        rec["issuers"] = found.issuers
    else:
        rec["issuers"] = [ph["issuer"]]
        todo.append(Todo("issuers", ph["issuer"], "落款中没有找到发文机关"))
    if found.issued:
        rec["issued"] = found.issued
        if found.effective:
            rec["effective"] = found.effective
    else:
        rec["issued"] = repo.today().isoformat()
        todo.append(Todo("issued", rec["issued"], "落款中没有找到日期，暂填今天"))
    rec["status"] = ph["status"]
    todo.append(Todo("status", ph["status"], "文件本身看不出是否仍然有效，请核对"))
    terms = _protections(repo)
    text = f"{rec['title']}\n{body}"
    tags = list(dict.fromkeys(term for word, term in terms.items() if word in text))
    if tags:
        rec["tags"] = tags
        todo.append(Todo("tags", "、".join(tags), "按正文中出现的词推断，请核对"))
    else:
        rec["tags"] = [ph["tag"]]
        todo.append(Todo("tags", ph["tag"], "正文中没有“六位一体”的词，暂填占位值"))
    scope, why = _scope(repo, found.issuers)
    rec["scope"] = scope
    if why:
        todo.append(Todo("scope", scope, why))
    if url:
        rec["source"] = {"url": url, "note": f"导入自 {src.name}"}
        todo.append(Todo("source", url, "取自网页中的规范网址，请核对"))
    else:
        rec["source"] = {"url": ph["source_url"], "note": f"导入自 {src.name}；请填写来源网址或来源文件编号"}
        todo.append(Todo("source", ph["source_url"], "请填写来源网址（url）或 records/sources/ 中的来源文件编号（document）"))
    rec["body"] = body
    return Draft({k: rec[k] for k in ORDER if k in rec}, todo)


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _dict(dumper: yaml.SafeDumper, value: dict) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", value, flow_style=False)


def _list(dumper: yaml.SafeDumper, value: list) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(dict, _dict)
_Dumper.add_representer(list, _list)


def to_yaml(draft: Draft) -> str:
    """The record as YAML, with a `# 待核对` comment on each line staff must look at."""
    text = yaml.dump(draft.record, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     width=10_000)
    notes = {t.field: t.why for t in draft.todo}
    lines = text.split("\n")
    for i, line in enumerate(lines):
        key = line.split(":", 1)[0]
        if key in notes and not line.startswith(" "):
            lines[i] = f"{line}  # 待核对：{notes.pop(key)}"
    return "\n".join(lines)
