"""Charts are static SVG with real text: small, readable in Chinese, no script, no CDN."""

from __future__ import annotations

from pathlib import Path

import pytest

from weibao.stats import charts


def draw(path: Path) -> str:
    charts.bar_chart(path, "在管个案：按县（2024年）", ["莱阳市", "莱州市"], [12.0, None], ["", "<5"], "人")
    return path.read_text(encoding="utf-8")


def test_chart_keeps_chinese_as_text(tmp_path: Path) -> None:
    """svg.fonttype none: labels stay text (searchable, tiny files), withheld values show their mark."""
    svg = draw(tmp_path / "c.svg")
    assert "莱阳市" in svg and "&lt;5" in svg and "在管个案" in svg
    assert "<script" not in svg and 'href="http' not in svg and "@import" not in svg
    assert len(svg) < 40_000


def test_chart_asks_browsers_for_simplified_chinese_fonts(tmp_path: Path) -> None:
    """When a CJK font is installed, the SVG names Simplified Chinese faces first."""
    if charts.cjk_family() is None:
        pytest.skip("no CJK font on this machine")
    assert "'Noto Sans CJK SC'" in draw(tmp_path / "c.svg")


def test_chart_without_cjk_font_still_draws_without_warnings(tmp_path: Path, monkeypatch) -> None:
    """No CJK font: the chart is drawn anyway, with no warning (pytest treats warnings as errors)."""
    monkeypatch.setattr(charts, "FONT_GLOBS", ())
    charts.cjk_family.cache_clear()
    try:
        svg = draw(tmp_path / "c.svg")
    finally:
        charts.cjk_family.cache_clear()
    assert "莱阳市" in svg
