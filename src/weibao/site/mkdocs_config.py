"""mkdocs.yml for one build: the portable template in site/ plus what only the build knows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from weibao.repo import Repository
from weibao.site.context import DIRECTORY, FIELDS, HOME, HOTLINES, POLICIES
from weibao.site.text import safe_title, safe_url

# generated pages that stay out of the navigation (gitignore-style, MkDocs 1.6 not_in_nav)
NOT_IN_NAV = "/orgs/\n/directory/\n/policies/\n/fields/\n/guide/\n"
# a quick-exit URL that is not plain http(s) is replaced by this neutral page
DEFAULT_EXIT = "https://www.baidu.com/"


# hand-written pages in site/docs/ listed in the navigation when present, in this order
OPTIONAL_PAGES = (("如何报告", "report.md"), ("安全浏览", "safety.md"), ("搜索", "search.md"))
SAFETY = "safety.md"
SEARCH = "search.md"


def nav(docs: Path, extras: dict[str, Any]) -> list[dict[str, Any]]:
    """Generated pages, then what contributors add (extras["nav"]: one {title: page} each, so a
    new section is one line in its contributor), then the hand-written and staff pages."""
    entries: list[dict[str, Any]] = [
        {"首页": HOME},
        {"求助热线": HOTLINES},
        {"服务机构": DIRECTORY},
        {"政策文件": POLICIES},
    ]
    entries += [e for e in extras.get("nav", []) if isinstance(e, dict)]
    entries += [{title: rel} for title, rel in OPTIONAL_PAGES if (docs / rel).is_file()]
    entries.append({"数据字段说明": FIELDS})
    guide = guide_pages(docs)
    if guide:
        entries.append({"如何提交修改": guide[0] if len(guide) == 1 else guide})
    return entries


def guide_pages(docs: Path) -> list[str]:
    """The staff guide (site/guide/*.md), index first."""
    folder = docs / "guide"
    if not folder.is_dir():
        return []
    pages = sorted(p.relative_to(docs).as_posix() for p in folder.rglob("*.md"))
    pages.sort(key=lambda p: p != "guide/index.md")
    return pages


def write_config(repo: Repository, src: Path, work: Path, docs: Path, out: Path, today: dt.date,
                 extras: dict[str, Any], *, commit: str, dev: bool = False) -> Path:
    """Write work/mkdocs.yml and return its path."""
    config = yaml.safe_load((src / "mkdocs.base.yml").read_text(encoding="utf-8"))
    site = repo.config.site
    # the theme prints these unescaped (also inside attributes)
    config["site_name"] = safe_title(site.title)
    config["site_description"] = safe_title(site.description)
    if site.url:
        config["site_url"] = safe_url(site.url) or None
    config["docs_dir"] = str(docs)
    config["site_dir"] = str(out)
    config["strict"] = not dev
    config["nav"] = nav(docs, extras)
    config["not_in_nav"] = NOT_IN_NAV
    config["theme"]["custom_dir"] = str(src / "overrides")
    guide = guide_pages(docs)
    config.setdefault("extra", {})["weibao"] = {
        "commit": commit,
        "built": today.isoformat(),
        "quick_exit_url": safe_url(site.quick_exit_url) or DEFAULT_EXIT,
        "guide": guide[0][:-3] + ".html" if guide else "",
        "safety": SAFETY[:-3] + ".html" if (docs / SAFETY).is_file() else "",
        "search": SEARCH[:-3] + ".html" if (docs / SEARCH).is_file() else "",
        "jurisdiction": repo.config.jurisdiction.name,
        # only http(s) addresses are linked; anything else is left out
        "repository_url": safe_url(site.repository_url) or "",
        "issues_url": safe_url(site.issues_url) or "",
    }
    path = work / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
