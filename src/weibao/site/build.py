"""`weibao build` and `weibao serve`: validate, generate pages from records, run MkDocs.

Flow: load_records (refuse invalid data) → copy site/ sources into a temporary docs folder →
contributors (other modules: statistics, downloads, history) → generated pages → mkdocs.yml
from site/mkdocs.base.yml → MkDocs build --strict into --out (default public/).
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from weibao.errors import UsageError
from weibao.repo import Repository
from weibao.report import report_text
from weibao.site import gitinfo, outdir
from weibao.site.context import PublicRecords, SiteContext
from weibao.site.mkdocs_config import write_config
from weibao.site.pages import directory, fields, home, hotlines, policies
from weibao.site.preview import Preview
from weibao.stats.definitions import repository_errors
from weibao.validate import load_records

# "module:function" run before pages are rendered, each as
# function(repo, public: PublicRecords, docs_dir: Path, extras: dict) -> None.
# They receive the public records only; the statistics (from program records) are added by
# _statistics below, which hands the section writer suppressed tables, never records.
# extras: "downloads" {policy_id: {"docx": "downloads/<id>.docx", ...}},
#         "history" {record_file_rel: [{"date": "YYYY-MM-DD", "summary": "…"}]},
#         "nav" [{"统计": "statistics/index.md"}, ...]
CONTRIBUTORS: list[str] = [
    "weibao.policy.export:contribute",  # .docx and PDF of each policy
    "weibao.audit.site:contribute",  # 最近更新 and each record's change history, from git
    "weibao.coverage.page:contribute",  # 覆盖情况: towns with/without stations, from regions and orgs
    "weibao.opendata.site:contribute",  # 开放数据: HSDS export, data packages (after statistics)
]

SITE_DIR = "site"
REPORT_PART = "parts/how-to-report.md"
DOCS_SOURCES = "docs"
GUIDE = "guide"

log = logging.getLogger(__name__)


def site_sources(repo: Repository) -> Path:
    src = repo.root / SITE_DIR
    if not (src / "mkdocs.base.yml").is_file():
        raise UsageError(f"{src}：找不到网站源文件 site/mkdocs.base.yml。请从项目模板复制 site/ 目录。")
    return src


def _contributor(spec: str) -> Callable[..., None]:
    module, _, function = spec.partition(":")
    return getattr(importlib.import_module(module), function)


def _statistics(repo: Repository, records: dict[str, list[dict]], public: PublicRecords, docs: Path,
                extras: dict[str, Any]) -> None:
    """The one place program records go: computed into suppressed, audited tables (Published),
    which are all the statistics pages receive."""
    from weibao.stats import publish

    tables = publish.site_tables(repo, records, extras)
    if tables is not None:
        publish.contribute_section(repo, tables, public, docs, extras)


def generate_docs(repo: Repository, records: dict[str, list[dict]], docs: Path,
                  today: dt.date, require_pdf: bool = False,
                  preview: Preview | None = None) -> tuple[dict[str, Any], dict[str, str]]:
    """Fill docs (an empty folder) with the site sources and the contributors' files; returns
    extras and the generated pages ({path in docs: Markdown}), which the caller writes."""
    src = site_sources(repo)
    if (src / DOCS_SOURCES).is_dir():
        shutil.copytree(src / DOCS_SOURCES, docs, dirs_exist_ok=True)
    if (src / GUIDE).is_dir():
        shutil.copytree(src / GUIDE, docs / GUIDE, dirs_exist_ok=True)
    # "today" lets contributors (statistics) decide which periods are closed
    extras: dict[str, Any] = {"downloads": {}, "history": {}, "nav": [], "today": today,
                              "require_pdf": require_pdf}
    public = PublicRecords.of(repo, records)
    _statistics(repo, records, public, docs, extras)
    for spec in CONTRIBUTORS:
        if preview is None:
            _contributor(spec)(repo, public, docs, extras)
        else:
            preview.contribute(spec, _contributor(spec), repo, public, docs, extras)
    ctx = SiteContext(repo, public, today, extras, gitinfo.last_changed(repo.root))
    report_path = src / REPORT_PART
    report_md = report_path.read_text(encoding="utf-8") if report_path.is_file() else ""
    pages: dict[str, str] = {}
    pages.update(home.generate(ctx, docs, report_md))
    for module in (hotlines, directory, policies, fields):
        pages.update(module.generate(ctx))
    return extras, pages


def _write_pages(docs: Path, pages: dict[str, str]) -> None:
    for rel, text in pages.items():
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def prepare(repo: Repository, records: dict[str, list[dict]], work: Path, out: Path,
            today: dt.date, *, preview: Preview | None = None, require_pdf: bool = False) -> Path:
    """Generate work/docs and write work/mkdocs.yml. For a live preview generate into a staging
    folder and write only the files that changed (see preview.py)."""
    docs = work / "docs"
    if preview is not None:
        staging = work / "staging"
        if staging.exists():
            shutil.rmtree(staging)
        staging.mkdir(parents=True)
        extras, pages = generate_docs(repo, records, staging, today, preview=preview)
        preview.sync(staging, pages, docs)
        shutil.rmtree(staging)
    else:
        if docs.exists():
            shutil.rmtree(docs)
        docs.mkdir(parents=True)
        extras, pages = generate_docs(repo, records, docs, today, require_pdf)
        _write_pages(docs, pages)
    return write_config(repo, site_sources(repo), work, docs, out, today, extras,
                        commit=gitinfo.commit(repo.root), dev=preview is not None)


# Pagefind indexes the built pages into small pieces under out/pagefind/, fetched only when
# someone searches (search.html); its extended build segments Chinese. Only the content marked
# data-pagefind-body (overrides/main.html) is indexed.
PAGEFIND_ARGS = ("--exclude-selectors", ".wb-back", "--exclude-selectors", ".headerlink")


def search_index(out: Path) -> None:
    """Index out/ with Pagefind (python -m pagefind from the pagefind[extended] package)."""
    proc = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(out), *PAGEFIND_ARGS],
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0 or not (out / "pagefind" / "pagefind.js").is_file():
        raise UsageError(f"搜索索引（Pagefind）生成失败：{(proc.stderr or proc.stdout).strip()[-800:]}")
    # search.html has its own small UI: Pagefind's ready-made ones are never loaded
    for unused in (out / "pagefind").glob("pagefind-*ui*"):
        unused.unlink()
    (out / "pagefind" / "pagefind-highlight.js").unlink(missing_ok=True)


def mkdocs_build(config_file: Path) -> None:
    """MkDocs build in this process; strict is set in the generated mkdocs.yml."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
    mk_log = logging.getLogger("mkdocs")
    mk_log.addHandler(handler)
    try:
        config = load_config(str(config_file))
        build(config)
    finally:
        mk_log.removeHandler(handler)


def run(repo: Repository, args: Any) -> int:
    """weibao build: exit 1 (nothing built) when the records do not validate."""
    today = getattr(args, "today", None) or repo.today()
    out = (args.out if getattr(args, "out", None) else repo.root / "public").resolve()
    outdir.check_out(repo, out)
    result, records = load_records(repo, today)
    present, errors = repository_errors(repo)  # statistics/tables.yaml, located like records
    result.checked += present
    result.errors += errors
    if not result.ok:
        report_text(result, sys.stderr)
        print("数据有错误，网站没有生成：请先改正上面的错误（weibao validate 可以再次检查）。", file=sys.stderr)
        return 1
    from mkdocs.exceptions import MkDocsException

    from weibao.stats import StatsError

    with tempfile.TemporaryDirectory(prefix="weibao-site-") as tmp:
        try:
            config_file = prepare(repo, records, Path(tmp), out, today,
                                  require_pdf=bool(getattr(args, "require_pdf", False)))
        except StatsError as err:  # the data cannot be published safely: a data error
            print(f"统计不能安全发布，网站没有生成：{err}", file=sys.stderr)
            return 1
        outdir.mark(out)
        try:
            mkdocs_build(config_file)
        except MkDocsException as err:
            print(f"网站生成失败：{err}", file=sys.stderr)
            return 1
    search_index(out)
    print(f"网站已生成：{out}")
    if not getattr(args, "no_admin", False):
        from weibao.admin.build import add_admin  # optional part: warns, never fails the build

        add_admin(repo, out)
    return 0


def run_serve(repo: Repository, args: Any) -> int:
    """weibao serve: live preview; editing a record or site/ regenerates the pages."""
    from weibao.site.serve import serve

    return serve(repo, args)
