"""`weibao policy import`: one file → records/policies/<id>.yaml, then validate it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from weibao.errors import UsageError
from weibao.policy import blocks as B
from weibao.policy.extract import extract
from weibao.policy.reader import convert
from weibao.policy.record import ID_PATTERN, Draft, build, derive_id, to_yaml
from weibao.policy.tidy import tidy
from weibao.repo import Repository

_KIND = {"docx": "docx", "html": "html", "htm": "html", "md": "md", "markdown": "md", "txt": "md"}


@dataclass
class Imported:
    path: Path
    draft: Draft
    notes: list[str]
    found_from: dict[str, str]  # field → where it was found


def import_file(repo: Repository, src: Path, record_id: str | None = None,
                force: bool = False) -> Imported:
    """Convert and write; UsageError (exit 2) for a bad id, a taken id or an unreadable file."""
    if record_id is not None and not ID_PATTERN.match(record_id):
        raise UsageError(f"--id {record_id}: 编号只能用小写英文字母、数字和连字符（2–64 个字符），如 laiyang-2024-plan。")
    converted = convert(src)
    kind = _KIND[src.suffix.lower().lstrip(".")]
    meta_title = str(converted.meta.get("title") or "")
    found = extract(B.split(converted.markdown), meta_title, kind, converted.core_title)
    tidied = tidy(found.blocks)
    body = B.join(tidied.blocks)
    if not body.strip():
        raise UsageError(f"{src}: 转换后正文为空：请确认文件里有文字（扫描件需先做文字识别）。")
    rid = record_id or derive_id(src, found.issued, src.read_bytes(), repo.today())
    target = repo.records_dir / "policies" / f"{rid}.yaml"
    if target.exists() and not force:
        raise UsageError(
            f"{repo.rel(target)} 已存在：没有覆盖。要替换它请加 --force，要另存请用 --id 指定新编号。"
        )
    draft = build(repo, src, found, body, rid, converted.url)
    notes = list(found.notes) + tidied.notes
    if found.doc_number and found.doc_number.normalised:
        notes.append(
            f"文号“{found.doc_number.raw}”的写法已规范为“{found.doc_number.value}”（年份用六角括号〔〕）。"
        )
    if found.mentions:
        notes.append(f"正文中还提到了这些文号（其他文件的，未采用）：{'、'.join(found.mentions)}。")
    same = _same_number(repo, draft.record.get("doc_number"), target)
    if same:
        notes.append(f"已有记录的文号与此相同：{'、'.join(same)}：请确认不是重复导入。")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(to_yaml(draft), encoding="utf-8")
    sources = {"title": found.title_from} if found.title else {}
    if found.doc_number:
        sources["doc_number"] = "文件开头的文号行"
    if found.issuers:
        sources["issuers"] = "落款"
    if found.issued:
        sources["issued"] = "落款"
    if "effective" in draft.record:
        sources["effective"] = "正文中的“自…起施行”"
    return Imported(target, draft, notes, sources)


def _same_number(repo: Repository, number: str | None, target: Path) -> list[str]:
    if not number:
        return []
    out = []
    for path in repo.record_files("policies"):
        if path != target and number in path.read_text(encoding="utf-8-sig", errors="replace"):
            out.append(repo.rel(path))
    return out
