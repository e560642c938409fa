"""Charts are HTML bars beside the table: labels and numbers are page text, withheld values
show only their mark, and nothing in a label becomes markup."""

from __future__ import annotations

import re

from weibao.stats import charts


def draw(labels=("莱阳市", "莱州市"), values=(12.0, None), marks=("", "<5")) -> str:
    return charts.bar_chart("在管个案：按县（2024年）", list(labels), list(values), list(marks), "人")


def test_numbers_and_marks_are_text():
    """Every row writes its number (or its withheld mark) as text next to its label."""
    html = draw()
    assert re.search(r"莱阳市</span>.*?>12</span>", html)
    assert re.search(r"莱州市</span>.*?>&lt;5</span>", html)
    assert "在管个案：按县（2024年）（单位：人）" in html


def test_withheld_value_gets_no_bar_and_widths_follow_values():
    """The largest value fills the track; a withheld one draws nothing."""
    html = draw(("甲", "乙", "丙"), (10.0, 5.0, None), ("", "", "×"))
    assert re.findall(r"width:([\d.]+)%", html) == ["100.0", "50.0"]


def test_labels_are_escaped():
    html = draw(("<script>alert(1)</script>", "乙"), (1.0, 2.0), ("", ""))
    assert "<script>" not in html and "&lt;script&gt;" in html
