"""weibao.yaml: normalised with defaults by cerberus; a wrong value stops the tool with exit 2."""

from __future__ import annotations

import pytest

from weibao.config import load_config
from weibao.errors import ConfigError


def test_defaults_are_filled_in(tmp_path) -> None:
    """Settings a county did not write get their documented defaults."""
    (tmp_path / "weibao.yaml").write_text("jurisdiction:\n  name: 莱阳市\n", encoding="utf-8")
    config = load_config(tmp_path)
    assert config.statistics.threshold == 5
    assert config.verification.max_age_days == 365
    assert config.site.title == "未保数据仓"
    assert config.timezone == "Asia/Shanghai"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("site:\n  title: x\n", "jurisdiction"),
        ("jurisdiction:\n  name: 莱阳\nstatistics:\n  threshold: 1\n", "threshold"),
        ("jurisdiction:\n  name: 莱阳\nstatistics:\n  threshold: no\n", "YAML 1.1"),
    ],
    ids=["missing-jurisdiction", "threshold-too-small", "yaml-trap"],
)
def test_invalid_config_is_refused(tmp_path, text: str, fragment: str) -> None:
    """A wrong setting is named, never silently replaced by a default."""
    (tmp_path / "weibao.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=fragment):
        load_config(tmp_path)


def test_settings_are_a_typed_object(tmp_path) -> None:
    """Code reads settings as attributes with their declared types (lists become tuples)."""
    (tmp_path / "weibao.yaml").write_text(
        "jurisdiction:\n  name: 莱阳市\n  regions: ['370682']\n", encoding="utf-8"
    )
    config = load_config(tmp_path)
    assert config.jurisdiction.regions == ("370682",)
    assert config.privacy.quasi_identifiers == ("region", "age_band", "sex", "year")
    with pytest.raises(AttributeError):
        config.statistics.threshold = 3  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("jurisdiction:\n  name: 莱阳\ntimezone: Beijing\n", "timezone"),
        ("jurisdiction:\n  name: 莱阳\nsite:\n  titel: x\n", "titel"),
        ("- jurisdiction\n", "映射"),
    ],
    ids=["unknown-zone", "misspelt-key", "not-a-mapping"],
)
def test_more_invalid_configs_are_refused(tmp_path, text: str, fragment: str) -> None:
    """An unknown zone, a misspelt key or a list instead of a mapping is named (exit 2)."""
    (tmp_path / "weibao.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=fragment):
        load_config(tmp_path)
