"""Policy downloads for the site: each policy as .docx (pandoc) and PDF (pandoc → typst, no TeX).

Outputs are cached by a hash of everything that goes into them, so a rebuild converts only the
policies that changed; new ones are converted in parallel (pandoc runs as a subprocess and typst
compiles outside the GIL).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import typst

from weibao.errors import WeibaoError
from weibao.policy import pandoc
from weibao.policy.fonts import FONT_PATH_VARIABLE, font_setup, has_cjk_font
from weibao.policy.settings import HERE
from weibao.repo import Repository

TEMPLATE = HERE / "policy.typ"
NOTICE = "本文件由未保数据仓根据公开来源整理，仅供参考；以发文机关发布的正式文本为准。"
NO_PDF = ("找不到中文字体，这次生成的网站不提供政策的 PDF 下载（Word 版照常提供）。要提供 PDF，请安装中文字体"
          f"（Debian/Ubuntu：sudo apt-get install fonts-noto-cjk，或设置 {FONT_PATH_VARIABLE}）后重新生成；"
          "加 --require-pdf 时缺少字体会让生成失败。")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)|<img\b[^>]*>", re.I)
# a fixed timestamp: the same record gives the same bytes (and a stable cache)
EPOCH = 946684800  # 2000-01-01


class ExportError(WeibaoError):
    """A policy could not be converted for download (exit 2; names the policy)."""


@dataclass(frozen=True)
class Job:
    policy_id: str
    title: str
    rows: tuple[tuple[str, str], ...]
    body: str

    def key(self, kind: str) -> str:
        parts = [kind, self.title, self.rows, self.body, _versions(), TEMPLATE.read_bytes().hex()]
        if kind == "pdf":
            parts.append(font_setup().family)
        return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()[:32]


@cache
def _versions() -> str:
    return f"{pandoc.pandoc_version()} typst {getattr(typst, '__version__', '?')}"


def _rows(record: dict, sources: dict[str, str]) -> tuple[tuple[str, str], ...]:
    rows = []
    if record.get("doc_number"):
        rows.append(("文号", record["doc_number"]))
    rows.append(("发文机关", "、".join(record.get("issuers") or [])))
    rows.append(("成文日期", str(record.get("issued", ""))))
    if record.get("effective"):
        rows.append(("施行日期", str(record["effective"])))
    rows.append(("效力状态", str(record.get("status", ""))))
    if record.get("level"):
        rows.append(("文件层级", str(record["level"])))
    source = record.get("source") or {}
    where = [sources.get(source["document"], source["document"])] if source.get("document") else []
    if source.get("url"):
        where.append(source["url"])
    rows.append(("来源", "；".join(where)))
    return tuple(rows)


def job_for(record: dict, sources: dict[str, str] | None = None) -> Job:
    body = _IMAGE.sub(lambda m: m.group(1) or "", str(record.get("body", "")))
    return Job(str(record["id"]), str(record["title"]), _rows(record, sources or {}), body)


def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def write_docx(job: Job, out: Path) -> None:
    table = "| 项目 | 内容 |\n|---|---|\n" + "".join(
        f"| {_md_cell(k)} | {_md_cell(v)} |\n" for k, v in job.rows
    )
    markdown = f"{table}\n{NOTICE}\n\n{job.body}"
    pandoc.run(
        ["-f", "gfm", "-t", "docx", "-M", f"title={job.title}", "-M", "lang=zh-CN", "-o", out],
        markdown.encode("utf-8"), epoch=EPOCH,
    )


def typst_source(job: Job) -> bytes:
    body = pandoc.run(["-f", "gfm", "-t", "typst", "--wrap=none"], job.body.encode("utf-8"))
    return TEMPLATE.read_bytes() + b"\n" + body


def write_pdf(job: Job, out: Path) -> None:
    setup = font_setup()
    meta = {"title": job.title, "rows": [list(r) for r in job.rows], "notice": NOTICE,
            "fonts": [setup.family]}
    try:
        pdf, warnings = typst.compile_with_warnings(
            typst_source(job), font_paths=setup.fonts, format="pdf",
            sys_inputs={"meta": json.dumps(meta, ensure_ascii=False)}, timestamp=EPOCH,
        )
    except typst.TypstError as err:
        raise ExportError(f"政策 {job.policy_id}：生成 PDF 失败：{err.message}") from err
    missing = [w.message for w in warnings if "font" in w.message or "glyph" in w.message]
    if missing:
        raise ExportError(f"政策 {job.policy_id}：PDF 缺少字形（中文会显示成方框）：{missing[0]}")
    out.write_bytes(pdf)


WRITERS = {"docx": write_docx, "pdf": write_pdf}


def _one(job: Job, kind: str, cache_dir: Path, target: Path) -> None:
    cached = cache_dir / f"{job.key(kind)}.{kind}"
    if not cached.is_file():
        fd, tmp = tempfile.mkstemp(dir=cache_dir, suffix=f".{kind}")
        os.close(fd)
        try:
            WRITERS[kind](job, Path(tmp))
            os.replace(tmp, cached)
        finally:
            Path(tmp).unlink(missing_ok=True)
    shutil.copyfile(cached, target)


def export_all(jobs: Iterable[Job], out_dir: Path, cache_dir: Path,
               workers: int | None = None,
               kinds: tuple[str, ...] = tuple(WRITERS)) -> dict[str, dict[str, str]]:
    """Write <id>.<kind> (docx, pdf) for every job into out_dir; return the links by policy id."""
    out_dir.mkdir(parents=True, exist_ok=True)
    cache_dir.mkdir(parents=True, exist_ok=True)
    jobs = list(jobs)
    if jobs and "pdf" in kinds:
        font_setup()  # fail early, once, with the Chinese message if no CJK font is installed
    tasks = [(job, kind) for job in jobs for kind in kinds]
    with ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
        futures = [pool.submit(_one, j, k, cache_dir, out_dir / f"{j.policy_id}.{k}") for j, k in tasks]
        for f in futures:
            f.result()
    keep = {f"{j.key(k)}.{k}" for j, k in tasks}
    for stale in cache_dir.iterdir():  # the cache holds only what the current records need
        if stale.name not in keep and stale.suffix in (".docx", ".pdf"):
            stale.unlink(missing_ok=True)
    return {
        j.policy_id: {k: f"downloads/{j.policy_id}.{k}" for k in kinds} for j in jobs
    }


def cache_dir_for(repo: Repository, extras: dict[str, Any]) -> Path:
    """The site build may name its own temp folder; otherwise build/ (git-ignored)."""
    if extras.get("cache_dir"):
        return Path(extras["cache_dir"]) / "policy-downloads"
    return repo.root / "build" / "cache" / "policy-downloads"


def contribute(repo: Repository, records_by_collection: dict[str, list[dict]], docs_dir: Path,
               extras: dict[str, Any]) -> None:
    """Site hook: downloads/<id>.docx and .pdf for each policy, links in extras["downloads"]."""
    sources = {
        str(s["id"]): str(s.get("title", s["id"])) for s in records_by_collection.get("sources", [])
    }
    jobs = [job_for(r, sources) for r in records_by_collection.get("policies", [])]
    kinds = tuple(WRITERS)
    if jobs and not extras.get("require_pdf") and not has_cjk_font():
        # one optional download must not cost the whole site; --require-pdf (CI) makes it an error
        kinds = tuple(k for k in kinds if k != "pdf")
        print(f"警告：{NO_PDF}", file=sys.stderr)
    links = export_all(jobs, docs_dir / "downloads", cache_dir_for(repo, extras), kinds=kinds)
    extras.setdefault("downloads", {}).update(links)
