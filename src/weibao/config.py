"""The repository's one configuration file, weibao.yaml: checked and given defaults by cerberus,
then handed to the rest of weibao as a typed, frozen Settings object (never as string keys)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cerberus import Validator

from weibao.errors import ConfigError
from weibao.load.document import load_settings

CONFIG_NAME = "weibao.yaml"

# cerberus schema: every setting later features read, with its default.
_SCHEMA: dict[str, Any] = {
    # "today" (dates in the future, verification age, closed periods) is the date in this zone,
    # whatever zone the machine running weibao is in (CI runners use UTC)
    "timezone": {"type": "string", "empty": False, "default": "Asia/Shanghai"},
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
    # the staff editor at /admin/ (weibao.admin): where it opens pull requests
    "editor": {
        "type": "dict",
        "default": {},
        "schema": {
            # github, or gitea / forgejo (self-hosted); see README "网页编辑器"
            "backend": {"type": "string", "allowed": ["github", "gitea", "forgejo"], "default": "github"},
            # owner/name of this repository on that host; empty = /admin/ is not built
            "repo": {"type": "string", "regex": r"([\w.-]+/[\w.-]+)?", "default": ""},
            "branch": {"type": "string", "default": "main"},
            # GitHub: the OAuth proxy's address; Gitea/Forgejo: the host, e.g. https://git.example.cn
            "base_url": {"type": "string", "default": ""},
            # Gitea/Forgejo: https://<host>/api/v1
            "api_root": {"type": "string", "default": ""},
            # Gitea/Forgejo: client id of the OAuth2 application (PKCE, no secret)
            "app_id": {"type": "string", "default": ""},
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
    "open_data": {
        "type": "dict",
        "default": {},
        "schema": {
            # the licence every download (HSDS export, data packages) is published under
            "licence_name": {"type": "string", "default": "CC-BY-4.0"},
            "licence_title": {"type": "string", "default": "知识共享 署名 4.0 国际许可协议（CC BY 4.0）"},
            "licence_url": {"type": "string", "default": "https://creativecommons.org/licenses/by/4.0/deed.zh-hans"},
        },
    },
}


@dataclass(frozen=True)
class Jurisdiction:
    name: str
    regions: tuple[str, ...]


@dataclass(frozen=True)
class SiteSettings:
    title: str
    description: str
    url: str
    emergency_hotlines: tuple[str, ...]
    quick_exit_url: str
    repository_url: str = ""
    issues_url: str = ""


@dataclass(frozen=True)
class ValidationSettings:
    max_file_bytes: int
    workers: int


@dataclass(frozen=True)
class VerificationSettings:
    max_age_days: int


@dataclass(frozen=True)
class PrivacySettings:
    min_group_size: int
    quasi_identifiers: tuple[str, ...]


@dataclass(frozen=True)
class StatisticsSettings:
    threshold: int
    lag_days: int
    tables: str


@dataclass(frozen=True)
class EditorSettings:
    backend: str
    repo: str
    branch: str
    base_url: str
    api_root: str
    app_id: str


@dataclass(frozen=True)
class OpenDataSettings:
    licence_name: str
    licence_title: str
    licence_url: str


@dataclass(frozen=True)
class Settings:
    """weibao.yaml, every option declared once (with its default in _SCHEMA above)."""

    jurisdiction: Jurisdiction
    site: SiteSettings
    validation: ValidationSettings
    verification: VerificationSettings
    privacy: PrivacySettings
    statistics: StatisticsSettings
    editor: EditorSettings
    open_data: OpenDataSettings
    timezone: str = "Asia/Shanghai"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def _tuples(section: dict[str, Any]) -> dict[str, Any]:
    return {k: tuple(v) if isinstance(v, list) else v for k, v in section.items()}


def settings_from(document: dict[str, Any]) -> Settings:
    """A Settings from a normalised document (every key present, nothing unknown)."""
    return Settings(
        jurisdiction=Jurisdiction(**_tuples(document["jurisdiction"])),
        site=SiteSettings(**_tuples(document["site"])),
        validation=ValidationSettings(**document["validation"]),
        verification=VerificationSettings(**document["verification"]),
        privacy=PrivacySettings(**_tuples(document["privacy"])),
        statistics=StatisticsSettings(**document["statistics"]),
        editor=EditorSettings(**document["editor"]),
        open_data=OpenDataSettings(**document["open_data"]),
        timezone=document["timezone"],
    )


def default_settings(name: str = "未保数据仓") -> Settings:
    """Every default, for code and tests that have no weibao.yaml."""
    return settings_from(_normalise({"jurisdiction": {"name": name}}))


def _normalise(value: object) -> dict[str, Any]:
    validator = Validator(_SCHEMA, purge_unknown=False)
    if not isinstance(value, dict) and value is not None:
        raise ConfigError(f"{CONFIG_NAME}: 配置应是“名称: 值”的映射，这里是 {type(value).__name__}。")
    if not validator.validate(value or {}):
        raise ConfigError(f"{CONFIG_NAME}: 配置有误：{validator.errors}")
    document: dict[str, Any] = validator.document
    try:
        ZoneInfo(document["timezone"])
    except (ZoneInfoNotFoundError, ValueError, OSError) as err:
        raise ConfigError(
            f"{CONFIG_NAME}: timezone: 没有名为“{document['timezone']}”的时区，请写如 Asia/Shanghai 的 IANA 时区名。"
        ) from err
    return document


def load_config(root: Path) -> Settings:
    """weibao.yaml of the repository at root, with defaults filled in; ConfigError if invalid."""
    path = root / CONFIG_NAME
    if not path.is_file():
        raise ConfigError(f"{path}: 找不到配置文件 {CONFIG_NAME}。请在数据仓根目录运行，或用 --root 指定。")
    value, _ = load_settings(path, CONFIG_NAME, ConfigError)
    return settings_from(_normalise(value))
