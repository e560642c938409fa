"""Fuzz: a list, a mapping, a number, null or a boolean where something else belongs, in every
field of a sample record of every collection, is a located data error (exit 1), never a crash."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from weibao.cli import main
from weibao.load import load_file
from weibao.load.lines import format_path

ROOT = Path(__file__).resolve().parent.parent
COLLECTIONS = sorted(p.name for p in (ROOT / "records").iterdir() if p.is_dir())
ODD = {"list": [1, {"x": 1}], "map": {"x": 1}, "number": 7, "null": None, "bool": True, "text": "文字"}

Path_ = tuple[str | int, ...]


def _sample(collection: str) -> dict:
    """The record with the most fields among the collection's first 100 (every field once)."""
    best: dict = {}
    for path in sorted((ROOT / "records" / collection).glob("*.yaml"))[:100]:
        value = load_file(path, path.name, 1 << 20).value or {}
        if len(list(_paths(value))) > len(list(_paths(best))):
            best = value
    assert best
    return best


def _paths(node: object, at: Path_ = ()) -> Iterator[Path_]:
    """Every field and list item (first item of each list only), outermost first."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*at, key)
            yield from _paths(value, (*at, key))
    elif isinstance(node, list) and node:
        yield (*at, 0)
        yield from _paths(node[0], (*at, 0))


def _replaced(record: dict, path: Path_, value: object) -> dict:
    out = copy.deepcopy(record)
    target: object = out
    for step in path[:-1]:
        target = target[step]  # type: ignore[index]
    target[path[-1]] = copy.deepcopy(value)  # type: ignore[index]
    return out


def _same_type(a: object, b: object) -> bool:
    return type(a) is type(b) or (isinstance(a, dict) and isinstance(b, dict))


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_odd_types_in_every_field_are_located_errors(make_repo, capsys, collection: str) -> None:
    """Every mutated file gets an error on the mutated field (or the field holding it); exit 1."""
    sample = _sample(collection)
    files: dict[str, str] = {}
    expected: dict[str, str] = {}
    for n, path in enumerate(_paths(sample)):
        for kind, odd in ODD.items():
            original: object = sample
            for step in path:
                original = original[step]  # type: ignore[index]
            if _same_type(original, odd):
                continue
            rel = f"records/{collection}/odd-{n}-{kind}.yaml"
            files[rel] = yaml.safe_dump(_replaced(sample, path, odd), allow_unicode=True, sort_keys=False)
            expected[rel] = format_path(path)
    root = make_repo(files)
    rc = main(["--root", str(root), "validate", "--format", "json", *[str(root / r) for r in files]])
    captured = capsys.readouterr()
    assert rc == 1, captured.err[-3000:]
    errors: dict[str, list[dict]] = {}
    for e in json.loads(captured.out)["errors"]:
        errors.setdefault(e["file"], []).append(e)
    unlocated = []
    for rel, where in expected.items():
        # the field itself, something inside it, or the mapping/list holding it
        hits = [e for e in errors.get(rel, [])
                if e["line"] >= 1 and (e["path"].startswith(where) or where.startswith(e["path"]))]
        if not hits:
            unlocated.append((rel, where, [(e["path"], e["rule"]) for e in errors.get(rel, [])]))
    assert not unlocated, unlocated[:10]


POLICY = sorted((ROOT / "records" / "policies").glob("*.yaml"))[0]


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"supersedes": [{"x": 1}]}, "supersedes[0]"),
        ({"supersedes": "some-policy"}, "supersedes"),
        ({"id": 2024}, "id"),
        ({"amends": [[1]], "supersedes": [None, 3]}, "amends[0]"),
    ],
    ids=["supersedes-map", "supersedes-text", "numeric-id", "nested-lists"],
)
def test_odd_policy_links_are_errors(make_repo, capsys, change: dict, where: str) -> None:
    """The crashes of the first release (supersedes: [{x: 1}], a numeric id) are located errors."""
    path = POLICY
    record = {**(load_file(path, path.name, 1 << 20).value or {}), **change}
    rel = f"records/policies/{path.stem}.yaml"
    root = make_repo({rel: yaml.safe_dump(record, allow_unicode=True, sort_keys=False)})
    rc = main(["--root", str(root), "validate", "--format", "json"])
    captured = capsys.readouterr()
    assert rc == 1, captured.err[-2000:]
    paths = {(e["path"], e["line"] >= 1) for e in json.loads(captured.out)["errors"] if e["file"] == rel}
    assert (where, True) in paths, paths


@pytest.mark.parametrize("text", ["- 一\n- 二\n", "7\n", "null\n", "'只是文字'\n", "{}\n"])
def test_a_record_that_is_not_a_mapping_is_an_error(make_repo, capsys, text: str) -> None:
    """A whole file that is a list, a number, null, text or empty: exit 1, never a crash."""
    root = make_repo({"records/orgs/odd.yaml": text})
    assert main(["--root", str(root), "validate"]) == 1
    assert "records/orgs/odd.yaml:" in capsys.readouterr().out
