"""The staff editor's configuration is generated from schemas/ and the vocabularies, and never
offers program records (cases, clues, activities), whatever someone adds to the schemas."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

from weibao.admin import config as admin_config
from weibao.errors import UsageError
from weibao.repo import Repository

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "admin"
UPDATE = os.environ.get("WEIBAO_UPDATE_GOLDEN") == "1"
PUBLIC = ["orgs", "hotlines", "policies", "indicators", "sources"]
PROGRAM = ["activities", "cases", "clues"]
EDITOR = "editor:\n  repo: test-bureau/weibao\n"
CASE = """\
id: c-7k2m9q4x3d
synthetic: true
"""


@pytest.fixture
def editor_repo(make_repo):
    """make_repo plus editor settings; call it like make_repo."""

    def make(files: dict[str, str] | None = None) -> Path:
        root = make_repo(files)
        with open(root / "weibao.yaml", "a", encoding="utf-8") as fh:
            if "editor:" not in (root / "weibao.yaml").read_text(encoding="utf-8"):
                fh.write(EDITOR)
        return root

    return make


def _generate(root: Path) -> dict:
    return admin_config.generate(Repository(root))


def _collections(conf: dict) -> dict[str, dict]:
    return {c["name"]: c for c in conf["collections"]}


def _walk_fields(fields: list[dict], prefix: str = ""):
    for field in fields:
        yield prefix + field["name"], field
        if "fields" in field:
            yield from _walk_fields(field["fields"], prefix + field["name"] + ".")
        if "field" in field:
            yield from _walk_fields([field["field"]], prefix + field["name"] + "[].")


def test_generated_config_matches_golden(editor_repo):
    """The whole config.yml for the project's schemas and vocabularies (review any change)."""
    text = admin_config.dump(_generate(editor_repo()))
    golden = FIXTURES / "config.golden.yml"
    if UPDATE:
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8"), "WEIBAO_UPDATE_GOLDEN=1 重新生成后请审阅差异"


def test_one_collection_per_public_collection_with_editorial_workflow(editor_repo):
    conf = _generate(editor_repo())
    assert [c["name"] for c in conf["collections"]] == PUBLIC
    assert conf["publish_mode"] == "editorial_workflow"
    assert conf["locale"] == "zh_Hans"
    assert conf["backend"] == {**conf["backend"], "name": "github", "repo": "test-bureau/weibao",
                               "branch": "main"}
    for c in conf["collections"]:
        assert c["folder"] == f"records/{c['name']}" and c["format"] == "weibao-yaml"
        assert c["slug"] == "{{id}}" and c["identifier_field"] == "id"


@pytest.mark.parametrize("collection", PUBLIC)
def test_every_schema_field_is_in_the_form_with_its_chinese_title(editor_repo, collection):
    """Each property, nested ones too, is a field labelled with its title, hinted with its
    description, and required exactly when the schema requires it (inside an optional object
    nothing is required: Decap would otherwise demand it even when the object is left empty)."""
    root = editor_repo()
    repo = Repository(root)
    form = dict(_walk_fields(_collections(_generate(root))[collection]["fields"]))
    from weibao.admin.fields import FieldContext, resolve

    ctx = FieldContext(repo.shared_schemas, {}, [], {}, [], 0, [], {})

    def walk(schema: dict, prefix: str = "", optional_parent: bool = False):
        schema = resolve(schema, ctx)
        for name, prop in schema.get("properties", {}).items():
            prop = resolve(prop, ctx)
            required = name in schema.get("required", []) and not optional_parent
            yield prefix + name, prop, required
            if prop.get("type") == "object":
                yield from walk(prop, prefix + name + ".", not required)
            items = resolve(prop.get("items", {}), ctx)
            if prop.get("type") == "array" and items.get("type") == "object":
                yield from walk(items, prefix + name + ".")

    expected = list(walk(repo.schemas[collection]))
    assert expected
    for path, prop, required in expected:
        field = form[path]
        assert field["label"] == prop["title"], path
        assert field["hint"] == prop["description"], path
        assert field["required"] is required, path


def test_widgets_follow_the_schema(editor_repo):
    orgs = dict(_walk_fields(_collections(_generate(editor_repo()))["orgs"]["fields"]))
    policies = dict(_walk_fields(_collections(_generate(editor_repo()))["policies"]["fields"]))
    assert orgs["kind"]["widget"] == "select" and "民政局" in orgs["kind"]["options"]
    assert orgs["services"] == {**orgs["services"], "widget": "select", "multiple": True}
    assert orgs["parent"] == {**orgs["parent"], "widget": "relation", "collection": "orgs",
                              "value_field": "id"}
    assert orgs["verified"] == {**orgs["verified"], "widget": "datetime", "format": "YYYY-MM-DD",
                                "time_format": False}
    assert orgs["region"]["widget"] == "select"
    assert {"label": "莱阳市（370682）", "value": "370682"} in orgs["region"]["options"]
    assert orgs["hours.periods.days"]["options"][0] == {"label": "周一", "value": 1}
    assert orgs["workforce.social_workers"] == {**orgs["workforce.social_workers"],
                                                "widget": "number", "value_type": "int", "min": 0}
    assert orgs["id"]["pattern"][0] == "^[a-z0-9][a-z0-9-]{0,62}[a-z0-9]$"
    assert policies["body"] == {**policies["body"], "widget": "markdown", "modes": ["raw"]}
    assert policies["scope"]["options"][0] == "全国"
    assert policies["supersedes"] == {**policies["supersedes"], "widget": "relation",
                                      "collection": "policies", "multiple": True}


def test_vocabulary_change_changes_the_form_without_code(editor_repo):
    root = editor_repo()
    vocab = root / "records" / "vocabularies" / "org_kinds.yaml"
    data = yaml.safe_load(vocab.read_text(encoding="utf-8"))
    data["terms"].append({"term": "示例新类型"})
    vocab.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    orgs = dict(_walk_fields(_collections(_generate(root))["orgs"]["fields"]))
    assert orgs["kind"]["options"][-1] == "示例新类型"


def test_schema_change_changes_the_form_without_code(editor_repo):
    root = editor_repo()
    path = root / "schemas" / "sources.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["properties"]["pages"] = {"type": "integer", "minimum": 1, "title": "页数", "description": "文件页数。"}
    path.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
    sources = dict(_walk_fields(_collections(_generate(root))["sources"]["fields"]))
    assert sources["pages"] == {"name": "pages", "label": "页数", "hint": "文件页数。", "required": False,
                                "widget": "number", "value_type": "int", "min": 1}


# --- program records are never offered ---------------------------------------------------------


def _assert_no_program_anywhere(conf: dict, program: list[str], ids: list[str] = ()):
    text = admin_config.dump(conf)
    names = [c["name"] for c in conf["collections"]]
    for name in program:
        assert name not in names
        assert f"records/{name}" not in text
    for _, field in (p for c in conf["collections"] for p in _walk_fields(c["fields"])):
        assert field.get("collection") not in program, field
    for ident in ids:
        assert ident not in text


def test_program_collections_are_never_offered(editor_repo):
    root = editor_repo({"records/cases/c-7k2m9q4x3d.yaml": CASE})
    _assert_no_program_anywhere(_generate(root), PROGRAM, ["c-7k2m9q4x3d"])


def test_listing_a_program_collection_in_the_offer_does_not_offer_it(editor_repo, monkeypatch):
    """Even if decap.yaml is edited to list cases, the schema flag keeps them out."""
    settings = {**admin_config.settings(), "collections": [*PUBLIC, *PROGRAM]}
    monkeypatch.setattr(admin_config, "settings", lambda: settings)
    _assert_no_program_anywhere(_generate(editor_repo()), PROGRAM)


def _add_schema(root: Path, name: str, program: bool) -> None:
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "新集合", "description": "测试。", "type": "object",
        "required": ["id"], "properties": {"id": {"type": "string", "title": "编号", "description": "编号。"}},
    }
    if program:
        schema["x-program-record"] = True
    (root / "schemas" / f"{name}.schema.json").write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")


@pytest.mark.parametrize("program", [True, False], ids=["flagged-program", "unlisted-public"])
def test_a_new_collection_is_not_offered_until_listed(editor_repo, monkeypatch, program):
    """A new program collection (flagged) stays out even when listed; an unlisted one stays out."""
    root = editor_repo()
    _add_schema(root, "interviews", program)
    (root / "records" / "interviews").mkdir()
    (root / "records" / "interviews" / "i-secret-0001.yaml").write_text("id: i-secret-0001\n", encoding="utf-8")
    _assert_no_program_anywhere(_generate(root), ["interviews"], ["i-secret-0001"])
    if program:
        settings = {**admin_config.settings(), "collections": [*PUBLIC, "interviews"]}
        monkeypatch.setattr(admin_config, "settings", lambda: settings)
        _assert_no_program_anywhere(_generate(root), ["interviews"], ["i-secret-0001"])


@pytest.mark.parametrize(
    "where",
    [
        lambda ref: {"type": "string", "x-ref": ref, "title": "个案", "description": "个案编号。"},
        lambda ref: {"type": "array", "title": "个案", "description": "个案编号。",
                     "items": {"type": "string", "x-ref": ref, "title": "个案", "description": "个案。"}},
        lambda ref: {"type": "object", "title": "关联", "description": "关联。", "properties": {
            "case": {"type": "string", "x-ref": ref, "title": "个案", "description": "个案。"}}},
        lambda ref: {"title": "个案", "description": "个案。",
                     "oneOf": [{"const": "无"}, {"type": "string", "x-ref": ref}]},
    ],
    ids=["field", "list-item", "nested", "one-of"],
)
@pytest.mark.parametrize("target", PROGRAM)
def test_no_field_points_into_program_records(editor_repo, where, target):
    """A public record's field that refers to program records is plain text: no relation to the
    program collection, no list of their ids."""
    ident = {"cases": "c-7k2m9q4x3d", "clues": "k-7k2m9q4x3d", "activities": "a-7k2m9q4x3d"}[target]
    root = editor_repo({f"records/{target}/{ident}.yaml": f"id: {ident}\nsynthetic: true\n"})
    path = root / "schemas" / "orgs.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["properties"]["linked"] = where(target)
    path.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
    conf = _generate(root)
    _assert_no_program_anywhere(conf, PROGRAM, [ident])
    linked = dict(_walk_fields(_collections(conf)["orgs"]["fields"]))
    assert all(f.get("widget") != "relation" for k, f in linked.items() if k.startswith("linked"))


def test_without_a_repository_setting_there_is_no_config(make_repo):
    with pytest.raises(UsageError, match=r"editor\.repo"):
        _generate(make_repo())


def test_gitea_backend_uses_pkce(editor_repo):
    root = editor_repo()
    (root / "weibao.yaml").write_text(
        (root / "weibao.yaml").read_text(encoding="utf-8").replace(
            EDITOR, "editor:\n  backend: forgejo\n  repo: county/weibao\n"
                    "  base_url: https://git.example.invalid\n"
                    "  api_root: https://git.example.invalid/api/v1\n  app_id: abc-123\n"),
        encoding="utf-8")
    backend = _generate(root)["backend"]
    assert backend == {**backend, "name": "forgejo", "auth_type": "pkce", "app_id": "abc-123",
                       "base_url": "https://git.example.invalid",
                       "api_root": "https://git.example.invalid/api/v1"}


def test_config_is_plain_yaml(editor_repo):
    """No anchors or aliases; loads back to the same data."""
    conf = _generate(editor_repo())
    text = admin_config.dump(conf)
    assert "&id" not in text and "*id" not in text
    assert yaml.safe_load(text) == {k: v for k, v in conf.items() if v is not None}


def test_gitea_commits_straight_to_a_branch_that_must_not_be_main(editor_repo):
    """Decap's gitea backend has no editorial workflow: never let it write to main unreviewed."""
    root = editor_repo()
    text = (root / "weibao.yaml").read_text(encoding="utf-8")
    (root / "weibao.yaml").write_text(text.replace(EDITOR, "editor:\n  backend: gitea\n  repo: c/w\n"),
                                      encoding="utf-8")
    with pytest.raises(UsageError, match="staff-edits"):
        _generate(root)
    (root / "weibao.yaml").write_text(
        text.replace(EDITOR, "editor:\n  backend: gitea\n  repo: c/w\n  branch: staff-edits\n"),
        encoding="utf-8")
    conf = _generate(root)
    assert "publish_mode" not in admin_config.dump(conf)
    assert conf["backend"]["branch"] == "staff-edits"
