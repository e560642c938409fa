"""`weibao regions add <县级代码>`: one region record per town of a county, from the gazetteer.

Also writes the county, its city and province when they are missing, so references resolve.
An existing record is never changed: identical ones are skipped, different ones are listed with
the fields that differ, for a person to decide. The written files are validated right away.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from weibao.errors import UsageError
from weibao.gazetteer import Division, Gazetteer, load
from weibao.load.document import load_file
from weibao.repo import Repository
from weibao.report import report_text


def _quote(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def _plain(value: str) -> str:
    """Chinese names stay unquoted like hand-typed records, unless YAML would misread them."""
    return _quote(value) if not value or set(value) & set(":#{}[],&*?|<>=!%@`'\"\\") or value[0] in "- " else value


def record_fields(d: Division, gaz: Gazetteer) -> dict[str, object]:
    fields: dict[str, object] = {"id": d.code, "name": d.name, "level": d.level}
    if d.parent:
        fields["parent"] = d.parent
    if d.town_type is not None:
        fields["town_type"] = d.town_type
        fields["villages"] = d.villages
    fields["code_year"] = gaz.year
    return fields


def record_text(d: Division, gaz: Gazetteer) -> str:
    """The record as staff would type it: codes quoted (they are text), one field a line."""
    lines = []
    for key, value in record_fields(d, gaz).items():
        if isinstance(value, int):
            shown = str(value)
        elif key in ("name", "level", "town_type"):
            shown = _plain(str(value))
        else:
            shown = _quote(str(value))
        lines.append(f"{key}: {shown}")
    m = gaz.meta
    counted = "；村（居）委会数按该包村级表计数" if d.villages is not None else ""
    note = f"{gaz.label}{counted}。由 weibao regions add 生成。"
    lines += ["source:", f"  url: {m['official']}", f"  note: {note}"]
    return "\n".join(lines) + "\n"


def _resolve_county(code: str, gaz: Gazetteer) -> Division:
    d = gaz.get(code)
    if d is not None and d.level == "县级":
        return d
    if d is not None and d.level == "乡级":
        raise UsageError(f"{code} 是乡镇代码（{d.name}）：请写它所在的县级代码 {code[:6]}。")
    if d is not None:
        counties = gaz.counties_of(code)
        listed = "、".join(f"{c.code} {c.name}" for c in counties[:12])
        raise UsageError(f"{code} 是{d.level}代码（{d.name}），请写县级代码，如：{listed}。")
    raise UsageError(f"{code} 不在所带的代码表中（{gaz.label}）：请核对县级代码（6 位数字，如 370682 莱阳市）。")


def _differences(path: Path, fields: dict[str, object]) -> list[str]:
    loaded = load_file(path, path.name, 1 << 20)
    if loaded.value is None:
        return ["文件无法读取或格式有误"]
    # code_year only says where the values came from; a record typed by hand may lack it
    have = loaded.value
    return [f"{k}（缺少）" if k not in have else f"{k}（代码表为 {v}，记录为 {have[k]}）"
            for k, v in fields.items() if k != "code_year" and have.get(k) != v]


def add_county(repo: Repository, code: str) -> tuple[list[Path], list[Path], list[tuple[Path, list[str]]]]:
    """Write what is missing; returns (written, identical, different with their fields)."""
    gaz = load()
    county = _resolve_county(code, gaz)
    folder = repo.records_dir / "regions"
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    same: list[Path] = []
    different: list[tuple[Path, list[str]]] = []
    for d in [*reversed(gaz.ancestors(county.code)), county, *gaz.towns(county.code)]:
        path = folder / f"{d.code}.yaml"
        if path.exists():
            diff = _differences(path, record_fields(d, gaz))
            (different.append((path, diff)) if diff else same.append(path))
            continue
        with path.open("x", encoding="utf-8", newline="\n") as fh:  # "x": never replace a file
            fh.write(record_text(d, gaz))
        written.append(path)
    return written, same, different


def run(repo: Repository, args: argparse.Namespace) -> int:
    if args.regions_command != "add":
        raise AssertionError(args.regions_command)  # argparse allows no other
    code = str(args.county).strip()
    written, same, different = add_county(repo, code)
    out = sys.stdout
    out.write(f"已写入 {len(written)} 条行政区划记录（{load().label}）。\n")
    for p in written:
        out.write(f"  新增 {repo.rel(p)}\n")
    if same:
        out.write(f"已有且与代码表一致、未改动：{len(same)} 条。\n")
    if different:
        out.write(f"已有但与代码表不同、没有覆盖（请人工核对后自行修改）：{len(different)} 条\n")
        for p, fields in different:
            out.write(f"  {repo.rel(p)}：{'、'.join(fields)}\n")
    from weibao.validate import validate  # late: the validator loads every check module

    result = validate(repo, written) if written else None
    if result is None or result.ok:
        out.write("校验通过。\n" if written else "没有新增记录。\n")
        return 0
    out.write("校验发现问题（记录已写入，请按提示修改）：\n")
    report_text(result, out)
    return result.exit_code
