"""Field-level differences between two versions of a record."""

from __future__ import annotations

import pytest

from weibao.audit.diff import Difference, describe, diff, line_counts

BODY_OLD = "一、总体要求\n坚持儿童利益最大化。\n二、工作措施\n"
BODY_NEW = "一、总体要求\n坚持儿童利益最大化，依法保护。\n二、工作措施\n三、保障措施\n"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ({"a": 1}, {"a": 1}, []),
        ({"a": 1}, {"a": 2}, ["修改 a：1 → 2"]),
        ({"a": 1}, {"a": True}, ["修改 a：1 → true"]),
        ({"region": 370682}, {"region": "370682"}, ['修改 region：370682 → "370682"']),
        ({}, {"name": "甲"}, ["新增 name：甲"]),
        ({"name": "甲"}, {}, ["删除 name：甲"]),
        (
            {"phones": [{"number": "0535-1"}]},
            {"phones": [{"number": "0535-2"}]},
            ["修改 phones[0].number：0535-1 → 0535-2"],
        ),
        ({"s": ["甲", "乙"]}, {"s": ["丙", "甲", "乙"]}, ["新增 s[0]：丙"]),
        ({"s": ["甲", "乙", "丙"]}, {"s": ["甲", "丙"]}, ["删除 s[1]：乙"]),
        (
            {"hours": {"twenty_four_seven": False}},
            {"hours": {"twenty_four_seven": True, "note": "节假日除外"}},
            ["修改 hours.twenty_four_seven：false → true", "新增 hours.note：节假日除外"],
        ),
        ({"x": [1]}, {"x": {"a": 1}}, ['修改 x：[1] → {"a": 1}']),
        ({"body": BODY_OLD}, {"body": BODY_NEW}, ["修改 body：正文已修改（+2/−1 行）"]),
        ({}, {"body": BODY_NEW}, ["新增 body：（4 行文字，33 字）"]),
    ],
)
def test_diff_in_words(old, new, expected):
    """Each kind of change is described once, at the deepest path that changed."""
    assert [describe(d) for d in diff(old, new)] == expected


def test_long_text_is_not_copied_into_the_difference():
    """A changed policy body is summarised: neither version appears in the difference."""
    (d,) = diff({"body": BODY_OLD}, {"body": BODY_NEW})
    assert d == Difference("changed", "body", summary="正文已修改（+2/−1 行）")
    assert d.as_dict() == {"op": "changed", "path": "body", "summary": "正文已修改（+2/−1 行）"}


def test_line_counts():
    """Lines added and removed are counted like a unified diff."""
    assert line_counts("a\nb\nc\n", "a\nB\nc\nd\n") == (2, 1)


SAMENESS_CASES = [
    (1, True), (0, False), (1, 1.0), (0.0, -0.0), (float("nan"), float("nan")),
    (None, 0), (None, ""), ("1", 1), ([], {}), ([1, 2], [2, 1]), ([1], [1, 1]),
    ({"a": 1, "b": [1, {"c": True}]}, {"b": [1, {"c": True}], "a": 1}),
    ({"a": 1, "b": [1, {"c": True}]}, {"b": [1, {"c": 1}], "a": 1}),
    ({"a": None}, {}), ({"a": {"b": 1.5}}, {"a": {"b": 1.5}}), ("甲", "甲"), ("甲", "甲 "),
]


@pytest.mark.parametrize(("a", "b"), SAMENESS_CASES)
def test_values_are_the_same_exactly_when_their_json_is(a, b):
    """The fast comparison agrees with comparing canonical JSON, which it replaced: 1, True and
    1.0 differ; key order does not matter; NaN equals NaN; -0.0 is not 0.0."""
    import json

    from weibao.audit.diff import same

    def canonical(v: object) -> str:
        return json.dumps(v, ensure_ascii=False, sort_keys=True)

    assert same(a, b) == (canonical(a) == canonical(b))
    assert same(b, a) == same(a, b)
    assert (diff({"k": a}, {"k": b}) == []) == (canonical(a) == canonical(b))
