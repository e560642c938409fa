"""statistics/coverage.yaml: which org kinds count as stations, which reported metrics to quote
beside the computed figures, and the expected gaps (a town being merged, a station planned).

A malformed file stops the command (ConfigError, exit 2) at file:line:column, like weibao.yaml.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import NoReturn

import yaml

from weibao.errors import ConfigError
from weibao.load.document import load_settings
from weibao.load.lines import locate

SETTINGS = "statistics/coverage.yaml"
# what an expected gap may be about: the three parts of the town/village network
MISSING = ("工作站", "儿童督导员", "儿童主任")
GAP_KEYS = {"region", "missing", "reason", "until"}


@dataclass(frozen=True)
class Expected:
    region: str
    missing: str
    reason: str
    until: dt.date
    line: int  # where the entry starts in the settings file, for messages
    column: int


@dataclass(frozen=True)
class Settings:
    file: str  # path relative to the repository root ("" when only the defaults apply)
    station_kinds: tuple[str, ...]
    reported_metrics: tuple[str, ...]
    expected: tuple[Expected, ...]


def _defaults() -> dict:
    text = resources.files(__package__).joinpath("defaults.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _strings(value: object, key: str, fail) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        fail((key,), f"{key} 应是文字的列表，如 [未成年人保护工作站]。")
    return tuple(value)  # type: ignore[arg-type]


def load_coverage_settings(root: Path, towns: set[str], org_kinds: set[str]) -> Settings:
    """The repository's settings over the defaults; towns: codes of 乡级 region records."""
    merged = _defaults()
    path = root / SETTINGS
    if not path.is_file():
        return Settings("", tuple(merged["station_kinds"]), tuple(merged["reported_metrics"]), ())
    value, text = load_settings(path, SETTINGS, ConfigError)

    def fail(where: tuple, message: str, key: bool = False) -> NoReturn:
        line, col = locate(text, where, key=key)
        raise ConfigError(f"{SETTINGS}:{line}:{col}: {message}")

    if value is None:
        value = {}
    if not isinstance(value, dict):
        fail((), "这个文件应是“名称: 值”的设置，请参照文件开头的说明。")
    for key in value:
        if key not in merged:
            fail((key,), f"不认识的设置“{key}”：可用的有 {'、'.join(merged)}。", key=True)
    merged.update(value)
    kinds = _strings(merged["station_kinds"], "station_kinds", fail)
    for i, kind in enumerate(kinds):
        if org_kinds and kind not in org_kinds:
            fail(("station_kinds", i), f"“{kind}”不在机构类型词表 org_kinds 中：请写词表中的规范用词。")
    metrics = _strings(merged["reported_metrics"], "reported_metrics", fail)
    gaps = [] if merged["expected_gaps"] is None else merged["expected_gaps"]
    if not isinstance(gaps, list):
        fail(("expected_gaps",), "expected_gaps 应是列表，每项以“- region:”开头。")
    expected = []
    for i, gap in enumerate(gaps):
        where = ("expected_gaps", i)
        if not isinstance(gap, dict):
            fail(where, "每个已知缺口应写 region、missing、reason、until 四项。")
        for key in gap:
            if key not in GAP_KEYS:
                fail((*where, key), f"不认识的项“{key}”：每个已知缺口只写 region、missing、reason、until。", key=True)
        for key in sorted(GAP_KEYS - set(gap)):
            fail(where, f"这个已知缺口缺少 {key}：每项都要写 region、missing、reason、until。")
        region, missing, reason, until = gap["region"], gap["missing"], gap["reason"], gap["until"]
        if not isinstance(region, str) or region not in towns:
            shown = region if isinstance(region, str) else repr(region)
            fail((*where, "region"), f"找不到乡镇“{shown}”（records/regions/{shown}.yaml 不存在或不是乡级）："
                 "请写 9 位乡镇代码并加引号，如 \"370682101\"；乡镇记录可用 weibao regions add 县级代码 生成。")
        if missing not in MISSING:
            fail((*where, "missing"), f"missing 应是 {'、'.join(MISSING)} 之一，这里是“{missing}”。")
        if not isinstance(reason, str) or not reason.strip():
            fail((*where, "reason"), "请写明原因（公开显示），如“工作站在建，预计年底投入使用”。")
        if isinstance(until, str):
            try:
                until = dt.date.fromisoformat(until)
            except ValueError:
                until = None
        if not isinstance(until, dt.date):
            fail((*where, "until"), "until 应是日期，写成 2027-06-30。")
        line, col = locate(text, where)
        expected.append(Expected(region, missing, reason.strip(), until, line, col))
    seen: set[tuple[str, str]] = set()
    for i, e in enumerate(expected):
        if (e.region, e.missing) in seen:
            fail(("expected_gaps", i), f"乡镇 {e.region} 的“{e.missing}”缺口写了两次：请删去一项。")
        seen.add((e.region, e.missing))
    return Settings(SETTINGS, kinds, metrics, tuple(expected))
