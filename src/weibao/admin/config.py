"""The Decap CMS configuration (config.yml), generated from schemas/, the vocabularies and weibao.yaml.

A schema change changes the form with no hand edit. Program records are never offered: only the
collections listed in decap.yaml, minus any schema marked "x-program-record", become collections,
and a field referring to a program collection is plain text that lists nothing.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

from weibao.admin.fields import FieldContext, object_fields
from weibao.errors import UsageError
from weibao.load import load_file
from weibao.repo import Repository

# Gitea and Forgejo log in with an OAuth application of the host itself (PKCE, no server);
# GitHub needs an OAuth proxy at base_url (see README "网页编辑器"). Decap's gitea backend has no
# editorial workflow (it commits straight to editor.branch, which must then not be main);
# github and forgejo open a pull request for every saved entry.
EDITORIAL = {"github", "forgejo"}


@cache
def settings() -> dict[str, Any]:
    """decap.yaml: the pinned package and which collections may be offered."""
    text = resources.files("weibao.admin").joinpath("decap.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def packages() -> list[dict[str, Any]]:
    return list(settings()["packages"])


def offered_collections(repo: Repository) -> list[str]:
    """decap.yaml's list, keeping only public collections that exist in schemas/."""
    return [c for c in settings()["collections"]
            if c in repo.schemas and not repo.is_program(c)]


def _records(repo: Repository, collection: str) -> list[dict]:
    out = []
    for path in repo.record_files(collection):
        if path.suffix != ".yaml":
            continue
        value = load_file(path, repo.rel(path), repo.config.validation.max_file_bytes).value
        if isinstance(value, dict):
            out.append(value)
    return out


def _vocabularies(repo: Repository) -> dict[str, list[str]]:
    return {v["id"]: [t["term"] for t in v.get("terms", []) if "term" in t]
            for v in _records(repo, "vocabularies") if "id" in v}


def _referenced(repo: Repository) -> set[str]:
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("x-ref"), str):
                found.add(node["x-ref"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(list(repo.shared_schemas.values()))
    return found


def _ref_options(repo: Repository, offered: list[str]) -> dict[str, list[dict[str, str]]]:
    """Select options for references to public collections that are not edited in the browser
    (regions): `名称（代码）` → code. Program collections are never read here."""
    out = {}
    for target in sorted(_referenced(repo)):
        if target in offered or target not in repo.schemas or repo.is_program(target):
            continue
        out[target] = [
            {"label": f"{r.get('name', r['id'])}（{r['id']}）", "value": str(r["id"])}
            for r in sorted(_records(repo, target), key=lambda r: str(r.get("id", "")))
            if "id" in r
        ]
    return out


def _backend(repo: Repository) -> dict[str, Any]:
    editor = repo.config.editor
    name = editor.backend
    backend: dict[str, Any] = {"name": name, "repo": editor.repo, "branch": editor.branch,
                               "squash_merges": True,
                               "commit_messages": {
                                   "create": "新建 {{collection}}：{{slug}}",
                                   "update": "修改 {{collection}}：{{slug}}",
                                   "delete": "删除 {{collection}}：{{slug}}",
                                   "uploadMedia": "上传文件 {{path}}",
                                   "deleteMedia": "删除文件 {{path}}",
                                   "openAuthoring": "{{message}}",
                               }}
    for key in ("base_url", "api_root", "app_id"):
        if getattr(editor, key):
            backend[key] = getattr(editor, key)
    if name in ("gitea", "forgejo") and editor.app_id:
        backend["auth_type"] = "pkce"
    return backend


def _collection(repo: Repository, name: str, ctx: FieldContext) -> dict[str, Any]:
    schema = repo.schemas[name]
    summary = next((f for f in ctx.summary_fields if f in schema.get("properties", {})), "id")
    return {
        "name": name,
        "label": schema.get("title", name),
        "label_singular": schema.get("title", name),
        "description": schema.get("description", ""),
        "folder": f"records/{name}",
        "extension": "yaml",
        "format": "weibao-yaml",  # static/weibao-yaml.js: YAML 1.1 quoting, passes validate
        "create": True,
        "delete": False,  # removing a record is a decision for a reviewed pull request by hand
        "identifier_field": "id",
        "slug": "{{id}}",
        "summary": "{{" + summary + "}}（{{id}}）",
        "sortable_fields": [f for f in ("id", summary) if f in schema.get("properties", {})],
        "editor": {"preview": False},
        "fields": object_fields(schema, ctx),
    }


def generate(repo: Repository) -> dict[str, Any]:
    """The whole config.yml as a dict; UsageError when weibao.yaml has no editor.repo."""
    editor = repo.config.editor
    if not editor.repo:
        raise UsageError("weibao.yaml 没有设置 editor.repo（如 county-bureau/weibao）")
    if editor.backend not in EDITORIAL and editor.branch == "main":
        raise UsageError("editor.backend 为 gitea 时网页编辑器直接提交到 editor.branch，不经审核："
                         "请把 editor.branch 设为另一个分支（如 staff-edits），或改用 forgejo")
    offered = offered_collections(repo)
    conf = settings()
    ctx = FieldContext(
        shared=repo.shared_schemas,
        vocabularies=_vocabularies(repo),
        offered=offered,
        ref_options=_ref_options(repo, offered),
        summary_fields=conf["summary_fields"],
        multiline_over=conf["multiline_over"],
        weekdays=conf["weekdays"],
        collection_schemas={c: repo.schemas[c] for c in offered},
    )
    return {
        "backend": _backend(repo),
        # only on localhost: `npx decap-server` serves the working copy (tests, local previews)
        "local_backend": True,
        "publish_mode": "editorial_workflow" if repo.config.editor.backend in EDITORIAL else None,
        "locale": "zh_Hans",
        "site_url": repo.config.site.url or None,
        # Decap insists on a media folder; no form has a file field and the site never publishes
        # this folder, so a file uploaded there shows up in the pull request for review only
        "media_folder": "uploads",
        "public_folder": "/uploads",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [_collection(repo, c, ctx) for c in offered],
    }


class _PlainDumper(yaml.SafeDumper):
    """No &anchors / *aliases for options shared between fields: config.yml stays readable."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump(config: dict[str, Any]) -> str:
    """config.yml text: stable key order, Chinese kept readable, a header saying not to edit."""
    config = {k: v for k, v in config.items() if v is not None}
    body = yaml.dump(config, Dumper=_PlainDumper, allow_unicode=True, sort_keys=False, width=100)
    return ("# 由 weibao build 从 schemas/、records/vocabularies/ 和 weibao.yaml 生成，请勿手改。\n"
            + body)
