"""Write editor-ready copies of the record schemas to schemas/bundled/ (for VS Code's YAML extension).

The real schemas refer to defs.schema.json through an https://weibao.invalid/ $id, which an
editor would try to download. Here every $ref is inlined (the field's own title and description
win over the shared definition's, so hovers stay specific) and the result is plain draft-07,
which the YAML language server understands fully. Needs only the standard library.

    python scripts/bundle_schemas.py           # rewrite schemas/bundled/
    python scripts/bundle_schemas.py --check   # exit 1 if schemas/bundled/ is out of date
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DRAFT_07 = "http://json-schema.org/draft-07/schema#"
NOTE = (
    "由 scripts/bundle_schemas.py 从 schemas/ 生成，供编辑器使用；请勿手改，校验以 schemas/ 为准。"
)


def _resolve(ref: str, current: dict, schemas: dict[str, dict]) -> tuple[dict, dict]:
    """The schema a $ref points to, and the document it lives in."""
    file, _, pointer = ref.partition("#")
    document = schemas[file] if file else current
    node = document
    for part in pointer.strip("/").split("/") if pointer.strip("/") else []:
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node, document


def inline(node: object, document: dict, schemas: dict[str, dict], depth: int = 0) -> object:
    """node with every $ref replaced by its target; keywords beside the $ref override the target's."""
    if depth > 50:
        raise ValueError("$ref nesting too deep (a cycle?)")
    if isinstance(node, list):
        return [inline(v, document, schemas, depth) for v in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        target, target_doc = _resolve(node["$ref"], document, schemas)
        merged = dict(inline(target, target_doc, schemas, depth + 1))  # type: ignore[arg-type]
        for key, value in node.items():
            if key != "$ref":
                merged[key] = inline(value, document, schemas, depth)
        return merged
    return {
        k: inline(v, document, schemas, depth) for k, v in node.items() if k not in ("$defs", "$id")
    }


def bundle(schemas_dir: Path) -> dict[str, str]:
    """file name → bundled schema text, for every collection schema in schemas_dir."""
    schemas = {
        p.name: json.loads(p.read_text(encoding="utf-8"))
        for p in sorted(schemas_dir.glob("*.schema.json"))
    }
    out = {}
    for name, schema in schemas.items():
        if schema.get("x-collection") is False:
            continue
        bundled = inline(schema, schema, schemas)
        assert isinstance(bundled, dict)
        bundled["$schema"] = DRAFT_07
        bundled["$comment"] = NOTE
        out[name] = json.dumps(bundled, ensure_ascii=False, indent=2) + "\n"
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT)
    parser.add_argument("--check", action="store_true", help="只检查是否最新，不写文件")
    args = parser.parse_args(argv)
    target = args.root / "schemas" / "bundled"
    wanted = bundle(args.root / "schemas")
    existing = {p.name for p in target.glob("*.schema.json")} if target.is_dir() else set()
    stale = sorted(
        n
        for n in wanted
        if not (target / n).is_file() or (target / n).read_text(encoding="utf-8") != wanted[n]
    ) + sorted(existing - set(wanted))
    if args.check:
        for name in stale:
            print(f"schemas/bundled/{name} 不是最新的：请运行 python scripts/bundle_schemas.py")
        return 1 if stale else 0
    target.mkdir(parents=True, exist_ok=True)
    for name in existing - set(wanted):
        (target / name).unlink()
    for name, text in wanted.items():
        (target / name).write_text(text, encoding="utf-8", newline="\n")
    print(f"已写入 {len(wanted)} 个 schema 到 {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
