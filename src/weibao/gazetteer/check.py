"""Region records that claim the shipped gazetteer's year must agree with it, field by field.

A record with code_year equal to the shipped data's year says "these names and counts come from
the 2023 codes", so a mistyped code, a renamed town or a hand-edited village count is an error.
Records without code_year (typed from another source) or of another year are not compared.
"""

from __future__ import annotations

from collections.abc import Callable

from weibao.gazetteer import load

# fields the gazetteer decides, with their Chinese names for messages
COMPARED = {"name": "名称", "level": "级别", "parent": "上级", "town_type": "乡级类型", "villages": "村（居）委会数"}
TOWN_ONLY = ("town_type", "villages")

Report = Callable[[tuple, str, str], None]  # (path, rule, message)


def region_errors(extra: dict, report: Report) -> None:
    """extra: the region record's fields (id, name, level, parent, town_type, villages, code_year)."""
    code, level = extra.get("id"), extra.get("level")
    if not isinstance(code, str):
        return
    if not isinstance(level, str):
        return  # a wrong type is the schema check's to report
    for key in TOWN_ONLY:
        if extra.get(key) is not None and level != "乡级":
            report((key,), "region-town-field",
                   f"{key}（{COMPARED[key]}）只用于乡级单位，{code} 的级别是“{level}”：请删去这一项。")
    year = extra.get("code_year")
    if not isinstance(year, int):
        return
    gaz = load()
    if year != gaz.year:
        return
    division = gaz.get(code)
    if division is None:
        county = gaz.get(code[:6]) if len(code) == 9 else None
        where = (f"{county.name}（{county.code}）共有 {len(gaz.towns(county.code))} 个乡级单位，"
                 f"代码为 {gaz.towns(county.code)[0].code} 至 {gaz.towns(county.code)[-1].code}。"
                 if county and gaz.towns(county.code) else "")
        report(("id",), "region-not-in-gazetteer",
               f"代码 {code} 不在{gaz.label}中。{where}"
               f"请核对代码（可用 weibao regions add 县级代码 生成）；如果是 {year} 年以后新设的，"
               "请删去 code_year 并在 source 中写明出处。")
        return
    for key, label in COMPARED.items():
        want, have = getattr(division, key), extra.get(key)
        if key in TOWN_ONLY and have is None:
            continue  # optional; absent is not a disagreement
        if type(have) is not type(want):
            continue  # a wrong type is the schema check's to report (once, with its own hint)
        if want != have:
            report((key,), "region-gazetteer",
                   f"{label}与 {gaz.year} 年统计用区划代码不符：代码表中 {code} 的{label}是“{want}”，"
                   f"这里是“{have}”。请改为“{want}”；若代码表已过时，请删去 code_year 并在 source 中写明出处。")
