"""Policy import, text rules: Chinese dates, 文号, hand-numbered headings and lists, ids."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from weibao.policy import blocks
from weibao.policy.cndate import parse_date_line
from weibao.policy.extract import doc_numbers, extract
from weibao.policy.record import derive_id, slug
from weibao.policy.tidy import tidy


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("2014年6月20日", "2014-06-20"),
        ("二〇一四年六月二十日", "2014-06-20"),
        ("二○二四年三月一日", "2024-03-01"),
        ("二〇二〇年十月三十一日", "2020-10-31"),
        ("２０２４年１月５日", "2024-01-05"),
        ("2024年3月1日（此件公开发布）", "2024-03-01"),
    ],
)
def test_date_lines_in_arabic_and_chinese_numerals(line: str, iso: str) -> None:
    """A 落款 date in Arabic, full-width or Chinese numerals gives the ISO date."""
    assert parse_date_line(line) == iso


@pytest.mark.parametrize(
    "line", ["2024年13月1日", "二〇二三年二月三十日", "关于2014年6月20日的会议", "1900年1月1日", "十年"]
)
def test_not_a_date_line(line: str) -> None:
    """Impossible dates and dates inside a sentence are not a 落款 date."""
    assert parse_date_line(line) is None


@pytest.mark.parametrize(
    ("text", "value", "normalised"),
    [
        ("民函〔2014〕240号", "民函〔2014〕240号", False),
        ("民函[2014]240号", "民函〔2014〕240号", True),
        (r"民函\[2014\]240号", "民函〔2014〕240号", True),
        ("房政发【2024】12号", "房政发〔2024〕12号", True),
        ("莱民发（2024）第12号", "莱民发〔2024〕12号", True),
        ("莱民发〔２０２４〕１２号", "莱民发〔2024〕12号", True),
    ],
)
def test_doc_number_brackets_are_normalised(text: str, value: str, normalised: bool) -> None:
    """文号 in [ ], 【】 or （） brackets become 〔〕, and the change is reported."""
    (number,) = doc_numbers(text)
    assert (number.value, number.normalised) == (value, normalised)


def test_cited_doc_number_is_not_the_documents_own() -> None:
    """A number cited inside a sentence is another document's, reported as a mention only."""
    found = extract(["根据《通知》（民函〔2014〕240号）要求，制定本方案。", "一、工作目标"], "", "md")
    assert found.doc_number is None
    assert found.mentions == ["民函〔2014〕240号"]


def test_hand_numbered_headings_become_headings() -> None:
    """一、 and （一） lines become level-2 and level-3 headings; long paragraphs stay text."""
    out = tidy(["一、工作目标", "(一)试点单位", "(二)预防为主。坚持源头预防，筑牢基础防线。", "正文。"])
    assert out.blocks == [
        "## 一、工作目标", "### （一）试点单位", "（二）预防为主。坚持源头预防，筑牢基础防线。", "正文。"
    ]


def test_chapters_articles_and_numbered_runs() -> None:
    """第一章 is a heading, 第一条 is bolded, and a 1、2、3、 run becomes one ordered list."""
    out = tidy(["第一章 总则", "第一条　为保护未成年人，制定本办法。", "1、第一项；", "2、第二项；", "3、第三项。"])
    assert out.blocks == [
        "## 第一章 总则",
        "**第一条** 为保护未成年人，制定本办法。",
        "1. 第一项；\n2. 第二项；\n3. 第三项。",
    ]


def test_out_of_order_numbers_are_not_a_list() -> None:
    """Paragraphs numbered 1、 then 3、 are left as they are."""
    assert tidy(["1、甲", "3、乙"]).blocks == ["1、甲", "3、乙"]


def test_indents_and_images_dropped() -> None:
    """Full-width paragraph indents go (YAML forbids them at line start); images are counted."""
    out = tidy(["\u3000\u3000正文第一段。", "![印章](seal.png)"])
    assert out.blocks == ["正文第一段。"]
    assert "1 张图片" in out.notes[0]


def test_real_headings_start_at_level_two() -> None:
    """The page title is the only level-1 heading: body headings are shifted down."""
    assert tidy(["# 总则", "## 细则"]).blocks == ["## 总则", "### 细则"]


def test_blocks_keep_fenced_code_whole() -> None:
    """Blank lines inside a fenced block do not split it."""
    assert blocks.split("a\n\n```\nx\n\ny\n```\n\nb") == ["a", "```\nx\n\ny\n```", "b"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Laiyang 2024 Plan", "laiyang-2024-plan"), ("fangshan_pilot-plan", "fangshan-pilot-plan"),
     ("关于加强困境儿童保障工作的通知", None), ("-", None)],
)
def test_slug_of_file_names(name: str, expected: str | None) -> None:
    """ASCII file names give a slug; Chinese names give none."""
    assert slug(name) == expected


def test_chinese_file_name_gets_year_and_hash_id() -> None:
    """A Chinese file name gives policy-<year>-<6 letters>: no digit run the guard would flag."""
    rid = derive_id(Path("通知.docx"), "2024-03-01", b"content", dt.date(2024, 3, 1))
    assert re.fullmatch(r"policy-2024-[a-p]{6}", rid), rid
    assert rid != derive_id(Path("通知.docx"), "2024-03-01", b"other content", dt.date(2024, 3, 1))
