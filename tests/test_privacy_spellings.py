"""Identifiers spelled to get past the guard (issue 12): Chinese numerals, one digit at a time,
odd separators, invisible characters, names without a label word, schools and classes, birth
dates with two-digit years or numerals, obfuscated e-mail and spread-out accounts.

And the other side: the guard finds nothing in the five seed reports (public texts that mention
schools, 小学 and 儿童 in general terms) nor in the committed records.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from weibao.check.privacy import scan
from weibao.check.privacy.data import data

ROOT = Path(__file__).resolve().parent.parent
# the five source reports, byte for byte except two pseudonyms and a mobile (see its README)
SEEDS = ROOT / "tests" / "fixtures" / "sample_data" / "seeds"
ZW = "\u200b"  # zero-width space
RLO, PDF = "\u202e", "\u202c"


def found(text: str, strict: bool = True) -> list[tuple[str, str]]:
    return [(f.kind, text[f.start : f.end]) for f in scan(text, strict_names=strict)]


def kinds(text: str, strict: bool = True) -> list[str]:
    return [k for k, _ in found(text, strict)]


SPELLED = [
    # (text, kind, the part reported) — the table first, then neighbours nobody listed
    ("证件号 1 1 0 1 1 1 2 0 1 5 0 3 1 2 1 2 3 4", "id-number", "1 1 0 1 1 1 2 0 1 5 0 3 1 2 1 2 3 4"),
    ("身份证：370682-20150312-1237", "id-number", "370682-20150312-1237"),
    ("身份证号 三七〇六八二二〇一五〇三一二一二三七", "id-number", "三七〇六八二二〇一五〇三一二一二三七"),
    ("证件号码\n370682\n20150312\n1237", "id-number", "370682\n20150312\n1237"),
    ("家长电话一三八一二三四五六七八", "phone", "一三八一二三四五六七八"),
    ("幺三八 幺二三四 五六七八", "phone", "幺三八 幺二三四 五六七八"),
    ("壹叁捌壹贰叁肆伍陆柒捌", "phone", "壹叁捌壹贰叁肆伍陆柒捌"),
    ("1三8一2三4五6七8", "phone", "1三8一2三4五6七8"),
    ("一三八零零零零五六七八", "phone", "一三八零零零零五六七八"),
    ("电话 1 3 8 1 2 3 4 5 6 7 8", "phone", "1 3 8 1 2 3 4 5 6 7 8"),
    ("138.1234.5678", "phone", "138.1234.5678"),
    ("138·1234·5678", "phone", "138·1234·5678"),
    ("138、1234、5678", "phone", "138、1234、5678"),
    ("138/1234/5678", "phone", "138/1234/5678"),
    ("电话一三八\n一二三四\n五六七八", "phone", "一三八\n一二三四\n五六七八"),
    (f"1{ZW}3{ZW}8{ZW}1234{ZW}5678", "phone", f"1{ZW}3{ZW}8{ZW}1234{ZW}5678"),
    (f"138{RLO}8765{PDF}4321", "phone", f"138{RLO}8765{PDF}4321"),
    ("１３８－１２３４－５６７８", "phone", "１３８－１２３４－５６７８"),
    ("零九一三 二一三四五六七", "phone", "零九一三 二一三四五六七"),
    ("座机电话：六一二三四五六七", "phone", "六一二三四五六七"),
    ("儿童欧阳娜娜由奶奶照顾", "person-name", "欧阳娜娜"),
    ("儿童张小明", "person-name", "张小明"),
    ("该生王浩然今年九岁", "person-name", "王浩然"),
    ("女孩李思雨", "person-name", "李思雨"),
    ("患儿陈梓涵入院", "person-name", "陈梓涵"),
    ("李思雨妈妈来电", "person-name", "李思雨"),
    ("张小明的奶奶", "person-name", "张小明"),
    ("在良乡中心小学三年级二班就读", "school", "良乡中心小学三年级二班"),
    ("就读于莱阳市第一实验小学三年级二班", "school", "莱阳市第一实验小学三年级二班"),
    ("现在三年级二班", "school", "三年级二班"),
    ("初二(3)班", "school", "初二(3)班"),
    ("初二（3）班", "school", "初二（3）班"),
    ("高一3班", "school", "高一3班"),
    ("就读于莱阳市第一实验小学", "school", "莱阳市第一实验小学"),
    ("在良乡中心小学就读", "school", "良乡中心小学"),
    ("转入城关镇中心幼儿园", "school", "城关镇中心幼儿园"),
    ("15年3月12日生", "birth-date", "15年3月12日"),
    ("出生于二〇一五年三月十二日", "birth-date", "二〇一五年三月十二日"),
    ("二零一五年三月十二日出生", "birth-date", "二零一五年三月十二日"),
    ("生日2015年三月十二日", "birth-date", "2015年三月十二日"),
    ("一五年三月十二号生", "birth-date", "一五年三月十二号"),
    ("2015年3月12日生", "birth-date", "2015年3月12日"),
    ("出生日期：15年03月12日", "birth-date", "15年03月12日"),
    ("lisiyu2015 at qq dot com", "email", "lisiyu2015 at qq dot com"),
    ("lisiyu2015(at)qq(dot)com", "email", "lisiyu2015(at)qq(dot)com"),
    ("lisiyu2015 [at] qq [dot] com", "email", "lisiyu2015 [at] qq [dot] com"),
    ("lisiyu2015＠qq。com", "email", "lisiyu2015＠qq。com"),
    ("lisiyu2015 艾特 qq 点 com", "email", "lisiyu2015 艾特 qq 点 com"),
    ("LISIYU2015 AT QQ DOT COM", "email", "LISIYU2015 AT QQ DOT COM"),
    (f"lisiyu2015{ZW}@qq.com", "email", f"lisiyu2015{ZW}@qq.com"),
    ("微信号 l i _ s i y u 2 0 1 5", "im-account", "l i _ s i y u 2 0 1 5"),
    ("微信：l.i.s.i.y.u", "im-account", "l.i.s.i.y.u"),
    ("QQ 1 2 3 4 5 6 7 8", "im-account", "1 2 3 4 5 6 7 8"),
    ("QQ号 一二三四五六七八", "im-account", "一二三四五六七八"),
    ("微信 一三八一二三四五六七八", "im-account", "一三八一二三四五六七八"),
]


@pytest.mark.parametrize(("text", "kind", "part"), SPELLED, ids=[t for t, _, _ in SPELLED])
def test_spelling_is_found(text: str, kind: str, part: str) -> None:
    """Each spelling is found, as the right kind, covering exactly the identifier."""
    assert found(text) == [(kind, part)]


@pytest.mark.parametrize(("text", "kind", "part"), SPELLED, ids=[t for t, _, _ in SPELLED])
def test_message_never_holds_the_spelling(text: str, kind: str, part: str) -> None:
    """The message shows the masked form only: no run of the identifier's characters."""
    (f,) = scan(text, strict_names=True)
    assert part not in f.message and "*" in f.masked


NOT_IDENTIFIERS = [
    "05、06、07、08、09、10",  # a list of codes
    "1、3、5、7、9",
    "2024.10.28 10:15",
    "第一二三四季度",
    "儿童关爱保护工作",
    "学生安全教育",
    "儿童成长",
    "学生周一返校",
    "单亲妈妈",
    "许多家长",
    "高一家长会",
    "中小学校、幼儿园",
    "在当地小学就读",
    "就读于寄宿制学校",
    "学校保护、家庭保护",
    "小学三年级以上学生",
    "今年年初中心组织6名儿童开展亲子活动",
    "2024年5月12日生效",
    "2024年5月12日生活补贴发放",
    "15年来累计救助",
    "look at this",
    "meet at school dot",
    "微信扫码报名",
    "QQ群：123456789",
    "电话会议",
]


@pytest.mark.parametrize("text", NOT_IDENTIFIERS)
def test_ordinary_text_is_not_an_identifier(text: str) -> None:
    """Words next to an identifier's shape: nothing found, in the strictest mode."""
    assert found(text) == []


def test_seed_reports_have_no_finding() -> None:
    """The five source reports (public texts about schools, 小学, 儿童) yield nothing in the
    strictest mode, but for their published office phone and e-mail (allowed where contacts
    belong), whole and line by line."""
    seeds = sorted(SEEDS.glob("*.txt"))
    assert len(seeds) == 5
    for path in seeds:
        text = path.read_text(encoding="utf-8")
        for piece in (text, *text.splitlines()):
            assert scan(piece, allow_contact=True, strict_names=True) == [], path.name


def test_committed_records_have_no_finding() -> None:
    """Every line of every committed record, in the strictest mode, outside contact fields:
    nothing but published office phones and e-mail."""
    for path in sorted((ROOT / "records").rglob("*.yaml")):
        for line in path.read_text(encoding="utf-8").splitlines():
            assert scan(line, allow_contact=True, strict_names=True) == [], (path, line)


def test_numeral_map_is_data() -> None:
    """幺, 〇/零, 两 and the financial numerals are listed in patterns.yaml."""
    digits = data()["digits"]
    assert {"幺", "一", "壹"} <= set(digits["1"]) and {"〇", "零"} <= set(digits["0"])
    assert "两" in digits["2"]


def test_number_broken_over_two_comment_lines_in_a_case(make_repo, capsys) -> None:
    """# 母亲手机 138 / # 1234 5678 on two lines of a case record is one phone number."""
    from weibao.cli import main

    case = (ROOT / "tests/cases/valid/privacy-clean-case/files/records/cases/c-7k2m9q4x3d.yaml")
    root = make_repo({"records/cases/c-7k2m9q4x3d.yaml":
                      case.read_text(encoding="utf-8") + "# 母亲手机 138\n# 1234 5678\n"})
    assert main(["--root", str(root), "validate", "--today", "2026-11-24"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("records/cases/c-7k2m9q4x3d.yaml:15:8: 疑似手机号 138****5678：")
