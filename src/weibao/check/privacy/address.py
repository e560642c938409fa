"""Street addresses down to building, unit, room, house number or village group:
利民小区3号楼2单元501室, 3栋2单元, 501室, 西关村3组, 西关村三组, 新华路12号, 门牌12号.

A place name before its suffix word (利民|小区, 西关|村, 新华|路) is part of the finding; it is
taken from at most a few Han characters and stops at words like 住/在 (家住利民小区 → 利民小区).
Adjacent parts are one finding (新华路12号3号楼 is one address).
"""

from __future__ import annotations

import re
from functools import cache

from . import mask
from .data import alternation, data, message
from .finding import Finding

KIND = "address"

_NUM = r"(?:\d+|[一二三四五六七八九十百零〇两]+)"


@cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    a = data()["address"]
    building = rf"{_NUM}(?:{alternation(a['building_words'])})"
    unit = rf"{_NUM}(?:{alternation(a['unit_words'])})"
    rooms = alternation(a["room_words"])
    room = rf"(?:\d{{1,5}}(?:{rooms})|\d{{3,5}}(?!\d))"
    chain = re.compile(
        rf"(?P<suffix>{alternation(a['place_suffixes'])})?"
        rf"(?:(?P<b>{building})(?:-?(?P<u>{unit}))?(?:-?(?P<r>{room}))?|(?P<u2>{unit})-?{room})"
    )
    room_only = re.compile(rf"(?<!\d)\d{{3,5}}(?:{alternation(a['lone_room_words'])})")
    group = re.compile(
        rf"(?P<suffix>{alternation(a['village_suffixes'])})第?{_NUM}"
        rf"(?:{alternation(a['group_words'])})"
    )
    road = re.compile(rf"(?P<suffix>{alternation(a['road_suffixes'])}){_NUM}号")
    house = re.compile(rf"(?:{alternation(a['house_number_labels'])})[^\d\s,，。;；]{{0,6}}\d+号?")
    return chain, room_only, group, road, house


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _name_start(text: str, start: int) -> int:
    a = data()["address"]
    i = start
    while i > 0 and start - i < a["name_max"] and _is_han(text[i - 1]):
        if text[i - 1] in a["name_stop"]:
            break
        i -= 1
    return i


def _spans(text: str) -> list[tuple[int, int]]:
    chain, room_only, group, road, house = _patterns()
    spans = []
    lone_buildings = []  # 3号楼 alone: an address only right after another part (新华路12号3号楼)
    for m in chain.finditer(text):
        parts = sum(1 for g in ("b", "u", "r") if m.group(g)) + (2 if m.group("u2") else 0)
        if parts >= 2:
            start = _name_start(text, m.start()) if m.group("suffix") else m.start()
            spans.append((start, m.end()))
        elif m.group("suffix") and re.match(r"\d|.*号楼$", m.group("b")):
            # 利民小区3号楼, 小区三号楼; not 村一座桥
            spans.append((_name_start(text, m.start()), m.end()))
        else:
            lone_buildings.append(m.span())
    for m in room_only.finditer(text):
        spans.append((m.start(), m.end()))
    for pattern in (group, road):
        for m in pattern.finditer(text):
            spans.append((_name_start(text, m.start()), m.end()))
    for m in house.finditer(text):
        spans.append((m.start(), m.end()))
    ends = {end for _, end in spans}
    spans.extend(span for span in lone_buildings if span[0] in ends)
    return spans


def _shown(address: str) -> int:
    """Up to 2 leading characters of the place name or label are shown, never a number."""
    n = 0
    while n < 2 and n < len(address) - 1 and not re.match(_NUM, address[n]):
        n += 1
    return n


def find(text: str) -> list[Finding]:
    if not any(c.isdigit() for c in text) and not re.search(r"[一二三四五六七八九十]", text):
        return []
    merged: list[list[int]] = []
    for start, end in sorted(_spans(text)):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out = []
    for start, end in merged:
        masked = mask.head(text[start:end], _shown(text[start:end]))
        out.append(Finding(KIND, start, end, masked, message(KIND, masked)))
    return out
