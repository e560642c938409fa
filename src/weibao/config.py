"""The repository's one configuration file, weibao.yaml, normalised with defaults by cerberus."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cerberus import Validator

from weibao.errors import ConfigError
from weibao.load.document import load_settings

CONFIG_NAME = "weibao.yaml"

# cerberus schema: every setting later features read, with its default.
_SCHEMA: dict[str, Any] = {
    "jurisdiction": {
        "type": "dict",
        "required": True,
        "schema": {
            "name": {"type": "string", "required": True, "empty": False},
            # regions (GB/T 2260 codes) this repository covers; statistics are computed for them
            "regions": {"type": "list", "schema": {"type": "string", "regex": r"\d{6}"}, "default": []},
        },
    },
    "site": {
        "type": "dict",
        "default": {},
        "schema": {
            "title": {"type": "string", "default": "未保数据仓"},
            "description": {"type": "string", "default": "未成年人保护热线、机构、政策与统计"},
            "url": {"type": "string", "default": ""},
            # the local 24-hour lines shown first on the home page, by hotline id
            "emergency_hotlines": {"type": "list", "schema": {"type": "string"}, "default": []},
            # where the quick-exit button goes: a neutral, fast site reachable in China
            "quick_exit_url": {"type": "string", "default": "https://www.baidu.com/"},
            # linked in every page's footer: the data repository and where to report an error
            "repository_url": {"type": "string", "default": ""},
            "issues_url": {"type": "string", "default": ""},
        },
    },
    "validation": {
        "type": "dict",
        "default": {},
        "schema": {
            "max_file_bytes": {"type": "integer", "min": 1024, "default": 262144},
            # 0 = use every core
            "workers": {"type": "integer", "min": 0, "default": 0},
        },
    },
    "verification": {
        "type": "dict",
        "default": {},
        "schema": {
            # a hotline or organisation not verified by a person for longer is flagged for staff
            "max_age_days": {"type": "integer", "min": 1, "default": 365},
        },
    },
    "privacy": {
        "type": "dict",
        "default": {},
        "schema": {
            # quasi-identifier groups smaller than this are reported by `weibao privacy-report`
            "min_group_size": {"type": "integer", "min": 2, "default": 5},
            "quasi_identifiers": {
                "type": "list",
                "schema": {"type": "string"},
                "default": ["region", "age_band", "sex", "year"],
            },
        },
    },
    "statistics": {
        "type": "dict",
        "default": {},
        "schema": {
            # counts 1..threshold-1 are published as "<threshold"
            "threshold": {"type": "integer", "min": 2, "default": 5},
            # a period is published only this many days after it closes, then frozen
            "lag_days": {"type": "integer", "min": 0, "default": 30},
            "tables": {"type": "string", "default": "statistics/tables.yaml"},
        },
    },
}


def load_config(root: Path) -> dict[str, Any]:
    """weibao.yaml of the repository at root, with defaults filled in; ConfigError if invalid."""
    path = root / CONFIG_NAME
    if not path.is_file():
        raise ConfigError(f"{path}: 找不到配置文件 {CONFIG_NAME}。请在数据仓根目录运行，或用 --root 指定。")
    value, _ = load_settings(path, CONFIG_NAME, ConfigError)
    validator = Validator(_SCHEMA, purge_unknown=False)
    if not validator.validate(value or {}):
        raise ConfigError(f"{CONFIG_NAME}: 配置有误：{validator.errors}")
    return validator.document
