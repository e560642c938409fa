"""The identifier detectors of the privacy guard (weibao.check.privacy), kind by kind.

Every identifier here is synthetic: ID numbers get their check digit computed by the helpers,
bank cards their Luhn digit; phone numbers are made-up sequences.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from importlib import resources
from pathlib import Path

import phonenumbers
import pytest
import yaml
from stdnum import luhn
from stdnum.cn import ric

from weibao.check.privacy import KINDS, Finding, scan

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "privacy"

# --- helpers: synthetic identifiers --------------------------------------------------------


def resident_id(born: str = "20150312", seq: str = "123", area: str = "370682") -> str:
    """An 18-digit resident ID number with a valid GB 11643 check digit."""
    base = area + born + seq
    return base + ric.calc_check_digit(base + "0")


def resident_id_where(test) -> str:
    """The first synthetic ID number (varying the sequence code) that passes test."""
    return next(n for s in range(100, 1000) if test(n := resident_id(seq=str(s))))


def wrong_check_digit(number: str) -> str:
    return number[:-1] + ("0" if number[-1] != "0" else "1")


def bank_card(prefix: str) -> str:
    """prefix plus a Luhn check digit."""
    return prefix + luhn.calc_check_digit(prefix)


def full_width(s: str) -> str:
    """Full-width forms of the ASCII characters in s (１２３ＡＢＣ＠－)."""
    return s.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})


def grouped(number: str, sizes: list[int], sep: str = " ") -> str:
    out, i = [], 0
    for n in sizes:
        out.append(number[i : i + n])
        i += n
    return sep.join(out)


def found(text: str, **kwargs) -> list[tuple[str, str]]:
    """(kind, matched text) of every finding."""
    return [(f.kind, text[f.start : f.end]) for f in scan(text, **kwargs)]


def one(text: str, **kwargs) -> Finding:
    findings = scan(text, **kwargs)
    assert len(findings) == 1, findings
    return findings[0]


def digits(s: str) -> str:
    return re.sub(r"[^0-9]", "", nfkc(s))


def nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s)


ID = resident_id()  # 370682201503121237
ID_X = resident_id_where(lambda n: n.endswith("X"))
ID_LUHN = resident_id_where(lambda n: luhn.is_valid(n) and n[-1].isdigit())
ID_15 = "370682150312123"  # old 15-digit: area 370682, born (19)150312, sequence 123
MOBILE = "13912345678"
CARD_19 = bank_card("622202000012345678")
CARD_16 = bank_card("622848001234567")


# --- id-number ------------------------------------------------------------------------------


class TestIdNumber:
    def test_message_and_offsets(self):
        text = f"儿童身份证号：{ID}，已核实。"
        assert scan(text) == [
            Finding(
                "id-number",
                7,
                25,
                "3706**********1237",
                "疑似身份证号 3706**********1237：记录中不得出现儿童或家人的身份证号，请删除。",
            )
        ]

    @pytest.mark.parametrize(
        "spelling",
        [
            pytest.param(ID, id="plain"),
            pytest.param(ID_X, id="check-digit-X"),
            pytest.param(ID_X.lower(), id="lowercase-x"),
            pytest.param(full_width(ID), id="full-width"),
            pytest.param(full_width(ID_X.lower()), id="full-width-x"),
            pytest.param(grouped(ID, [6, 8, 4]), id="spaces-6-8-4"),
            pytest.param(grouped(ID, [6, 8, 4], "-"), id="dashes-6-8-4"),
            pytest.param(ID_15, id="old-15-digit"),
            pytest.param(grouped(ID_15, [6, 6, 3]), id="old-15-digit-spaces"),
        ],
    )
    def test_spellings(self, spelling):
        text = f"据核实，其证件为{spelling}，现由祖母照顾。"
        f = one(text)
        assert (f.kind, text[f.start : f.end]) == ("id-number", spelling)
        compact = nfkc(spelling).replace(" ", "").replace("-", "").upper()
        assert f.masked.startswith("3706") and "*" in f.masked
        assert compact not in f.message and spelling not in f.message

    def test_mask_keeps_first_and_last_four(self):
        assert one(ID_X.lower()).masked == ID_X[:4] + "*" * 10 + ID_X[-4:]
        assert one(ID_15).masked == "3706*******2123"

    @pytest.mark.parametrize(
        "text",
        [
            f"身份证：{wrong_check_digit(ID)}",
            f"身份证号码 {wrong_check_digit(ID)}",
            f"公民身份号码:{grouped(wrong_check_digit(ID), [6, 8, 4])}",
            "身份证号 370682150399123",  # 15 digits, no such date
        ],
    )
    def test_labelled_numbers_are_flagged_even_if_invalid(self, text):
        assert [k for k, _ in found(text)] == ["id-number"]

    @pytest.mark.parametrize(
        "text",
        [
            f"编号{wrong_check_digit(ID)}",  # wrong checksum, no label
            "编号370682150399123",  # 15 digits, no such date
            f"流水号{ID}5",  # part of a longer digit run
        ],
    )
    def test_unlabelled_invalid_numbers_are_not(self, text):
        assert [k for k, _ in found(text) if k == "id-number"] == []

    def test_offsets_are_in_the_original_text_after_nfkc_expansion(self):
        # ㈠ is one character in the text and three ("(一)") after NFKC
        text = f"㈠身份证号：{full_width(ID)}"
        f = one(text)
        assert (f.start, f.end) == (6, 24)
        assert text[f.start : f.end] == full_width(ID)


# --- phone ----------------------------------------------------------------------------------

PHONE_MESSAGE = (
    "疑似手机号 139****5678：记录中不得出现儿童或家人的电话号码，请删除；"
    "机构或热线的公开电话只能写在机构记录的联系方式字段中。"
)


class TestPhone:
    def test_phonenumbers_matcher_works_inside_chinese_text(self):
        text = "联系电话13912345678，或拨打（0913）2134567。"
        raw = [m.raw_string for m in phonenumbers.PhoneNumberMatcher(text, "CN")]
        assert raw == ["13912345678", "（0913）2134567"]

    def test_message_and_offsets(self):
        text = f"母亲联系电话{MOBILE}，"
        assert scan(text) == [Finding("phone", 6, 17, "139****5678", PHONE_MESSAGE)]

    @pytest.mark.parametrize(
        "spelling",
        [
            pytest.param("13912345678", id="plain"),
            pytest.param("139 1234 5678", id="spaces"),
            pytest.param("139-1234-5678", id="dashes"),
            pytest.param("+86 13912345678", id="plus86"),
            pytest.param("+86-139-1234-5678", id="plus86-dashes"),
            pytest.param("86-13912345678", id="86-dash"),
            pytest.param("0086 139 1234 5678", id="0086"),
            pytest.param(full_width("13912345678"), id="full-width"),
            pytest.param(full_width("139-1234-5678"), id="full-width-dashes"),
        ],
    )
    def test_mobiles(self, spelling):
        text = f"孩子父亲的手机是{spelling}，请回电。"
        f = one(text)
        assert (f.kind, text[f.start : f.end], f.masked) == ("phone", spelling, "139****5678")
        assert MOBILE not in f.message

    @pytest.mark.parametrize(
        ("spelling", "masked"),
        [
            ("0913-2134567", "0913-***4567"),
            ("(0913)2134567", "0913-***4567"),
            ("（0913）2134567", "0913-***4567"),
            ("0913 2134567", "0913-***4567"),
            ("09132134567", "0913-***4567"),
            ("010 6123 4567", "010-****4567"),
            ("010-61234567", "010-****4567"),
            ("+86 10 6123 4567", "010-****4567"),
            ("400-123-4567", "400-***4567"),
            ("029-8765432", "029-***5432"),  # one digit short: phonenumbers does not match it
            ("0913-12345", "0913-***45"),  # a hotline behind an area code
            (full_width("0913-2134567"), "0913-***4567"),
        ],
    )
    def test_landlines(self, spelling, masked):
        text = f"家中座机{spelling}。"
        f = one(text)
        assert (f.kind, text[f.start : f.end], f.masked) == ("phone", spelling, masked)
        assert f.message.startswith(f"疑似固定电话 {masked}：")

    def test_local_number_after_a_label(self):
        text = "办公室电话:61234567"
        assert found(text) == [("phone", "61234567")]
        assert one(text).masked == "****4567"

    @pytest.mark.parametrize(
        "text",
        [
            "全国儿童救助保护热线12349开通",
            "与“12345”政务服务热线进行对接",
            "遇到紧急情况请拨打110",
            "青少年服务热线12355",
            "覆盖辖区未成年人3200余人次",
            "2024年",
            "发放孤困儿童生活补贴3297人次共469.63万元",
            "民函〔2014〕240号",
            "房政发〔2024〕12号",
            "热线电话12345",
            "2014年6月-7月",
            "时间:2022-10-28 10:15:04",
        ],
    )
    def test_not_phones(self, text):
        assert found(text) == []

    @pytest.mark.parametrize("text", ["id: weinan-0913-12345", "hotline_0913-2134567"])
    def test_landline_inside_a_record_id_is_not_flagged(self, text):
        assert found(text) == []

    def test_mobile_inside_a_record_id_is_still_flagged(self):
        assert found(f"id: case-{MOBILE}") == [("phone", MOBILE)]

    def test_public_hotline_allowed_only_in_contact_fields(self):
        text = f"24小时援助热线(0913-12345或{MOBILE})"
        assert found(text) == [("phone", "0913-12345"), ("phone", MOBILE)]
        assert scan(text, allow_contact=True) == []


# --- email ----------------------------------------------------------------------------------


class TestEmail:
    def test_message_and_offsets(self):
        text = "邮箱:zhang.xiaoming@163.com"
        assert scan(text) == [
            Finding(
                "email",
                3,
                25,
                "z***@163.com",
                "疑似电子邮箱 z***@163.com：记录中不得出现个人电子邮箱，请删除；"
                "机构的公开邮箱只能写在机构记录的联系方式字段中。",
            )
        ]

    @pytest.mark.parametrize(
        ("spelling", "masked"),
        [
            ("zxm2015@163.com", "z***@163.com"),
            ("Li_Ming+home@qq.com", "L***@qq.com"),
            ("a.b-c@mail.example.edu.cn", "a***@mail.example.edu.cn"),
            (full_width("zxm@163.com"), "z***@163.com"),
        ],
    )
    def test_spellings(self, spelling, masked):
        text = f"家长邮箱{spelling}，"
        f = one(text)
        assert (f.kind, text[f.start : f.end], f.masked) == ("email", spelling, masked)

    def test_allowed_in_contact_fields(self):
        assert scan("fsjz@163.com", allow_contact=True) == []

    @pytest.mark.parametrize("text", ["请发邮件至@民政局", "user@localhost", "a@b"])
    def test_not_emails(self, text):
        assert found(text) == []


# --- bank-card ------------------------------------------------------------------------------


class TestBankCard:
    def test_message_and_offsets(self):
        text = f"救助金转入卡号{CARD_19}"
        assert scan(text) == [
            Finding(
                "bank-card",
                7,
                26,
                f"6222{'*' * 11}{CARD_19[-4:]}",
                f"疑似银行卡号 6222{'*' * 11}{CARD_19[-4:]}：记录中不得出现银行卡号，请删除。",
            )
        ]

    @pytest.mark.parametrize(
        "spelling",
        [
            pytest.param(CARD_19, id="19-digits"),
            pytest.param(CARD_16, id="16-digits"),
            pytest.param(grouped(CARD_16, [4, 4, 4, 4]), id="16-spaces"),
            pytest.param(grouped(CARD_16, [4, 4, 4, 4], "-"), id="16-dashes"),
            pytest.param(grouped(CARD_19, [4, 4, 4, 4, 3]), id="19-spaces"),
            pytest.param(full_width(CARD_16), id="full-width"),
        ],
    )
    def test_spellings(self, spelling):
        text = f"账户 {spelling} 已开通"
        f = one(text)
        assert (f.kind, text[f.start : f.end]) == ("bank-card", spelling)
        assert digits(spelling) not in f.message
        assert f.masked == f.masked[:4] + "*" * (len(digits(spelling)) - 8) + f.masked[-4:]

    def test_luhn_failure_is_not_a_card(self):
        bad = CARD_19[:-1] + str((int(CARD_19[-1]) + 1) % 10)
        assert found(f"卡号{bad}") == []

    def test_a_valid_resident_id_is_an_id_not_a_card(self):
        assert luhn.is_valid(ID_LUHN)
        assert [k for k, _ in found(ID_LUHN)] == ["id-number"]


# --- birth-date -----------------------------------------------------------------------------


class TestBirthDate:
    def test_message_and_offsets(self):
        text = "儿童出生日期：2015-03-12，现就读小学。"
        assert scan(text) == [
            Finding(
                "birth-date",
                7,
                17,
                "2015-**-**",
                "疑似出生日期 2015-**-**：记录中不得出现儿童的确切出生日期，请删除，"
                "或只写到年份、年龄段。",
            )
        ]

    @pytest.mark.parametrize(
        ("text", "date"),
        [
            ("出生日期：2015-03-12", "2015-03-12"),
            ("生于2015/3/12", "2015/3/12"),
            ("2015.03.12出生", "2015.03.12"),
            ("该儿童于2015年3月12日出生", "2015年3月12日"),
            ("生日：2015年03月12号", "2015年03月12号"),
            ("dob: 2015-03-12", "2015-03-12"),
            ("Born 2015/03/12", "2015/03/12"),
            ("birth_date: 2015-03-12", "2015-03-12"),
            ("出生日期：２０１５－０３－１２", "２０１５－０３－１２"),
            ("20150312", "20150312"),
            ("表格中写着20150312", "20150312"),
            ("出生日期19850312", "19850312"),  # outside the bare range, but after a cue
        ],
    )
    def test_flagged(self, text, date):
        assert found(text) == [("birth-date", date)]
        assert one(text).masked == nfkc(date)[:4] + "-**-**"

    @pytest.mark.parametrize(
        "text",
        [
            "date: 2024-05-12",
            "2024年5月12日开展活动",
            "2015年3月出生",  # month precision: the schemas decide where it may appear
            "出生于2015年",
            "活动日期20240512",
            "编号201503121",
            "19850312",  # outside 1990–2030
            "20151332",  # no such date
            "IMG_20240512_093012.jpg",
            "https://www.gov.cn/xinwen/2024-05/12/t20240512_5712345.htm",
            "梨乡莱阳 2024-08-06 09:43",
        ],
    )
    def test_not_flagged(self, text):
        assert found(text) == []


# --- address --------------------------------------------------------------------------------


class TestAddress:
    def test_message_and_offsets(self):
        text = "家住利民小区3号楼2单元501室。"
        assert scan(text) == [
            Finding(
                "address",
                2,
                16,
                "利民************",
                "疑似详细住址 利民************：记录中不得出现具体到楼栋、门牌或村民小组的住址，"
                "请只写到乡镇（街道）一级。",
            )
        ]

    @pytest.mark.parametrize(
        ("text", "address", "masked"),
        [
            ("家住利民小区3号楼2单元501室", "利民小区3号楼2单元501室", "利民************"),
            ("住在利民小区3号楼", "利民小区3号楼", "利民*****"),
            ("住在利民小区三号楼", "利民小区三号楼", "利民*****"),
            ("2单元3户", "2单元3户", "*****"),
            ("租住3栋2单元", "3栋2单元", "*****"),
            ("五幢一单元302", "五幢一单元302", "********"),
            ("房间501室", "501室", "****"),
            ("居住在西关村3组", "西关村3组", "西关***"),
            ("居住在西关村三组", "西关村三组", "西关***"),
            ("户籍在张庄村第三村民小组", "张庄村第三村民小组", "张庄*******"),
            ("家住新华路12号", "新华路12号", "新华****"),
            ("租住幸福街8号3号楼", "幸福街8号3号楼", "幸福******"),
            ("门牌号：15号", "门牌号：15号", "门牌*****"),
        ],
    )
    def test_flagged(self, text, address, masked):
        assert found(text) == [("address", address)]
        assert one(text).masked == masked

    @pytest.mark.parametrize(
        "text",
        [
            "在社区3号楼活动室开展活动",  # a public place, no unit or room
            "建了3栋教学楼",
            "这个村一座桥也没有",
            "惠及320户困难家庭",
            "民函〔2014〕240号",
            "全市共有2室1厅的安置房",
            "依托1个社工站和22个分站",
            "覆盖全市18个镇街",
        ],
    )
    def test_not_flagged(self, text):
        assert found(text) == []


# --- plate ----------------------------------------------------------------------------------


class TestPlate:
    def test_message_and_offsets(self):
        text = "车牌鲁F12345"
        assert scan(text) == [
            Finding(
                "plate", 2, 9, "鲁F*****", "疑似车牌号 鲁F*****：记录中不得出现车牌号，请删除。"
            )
        ]

    @pytest.mark.parametrize(
        ("plate", "masked"),
        [
            ("鲁F12345", "鲁F*****"),
            ("陕E·A1234", "陕E*****"),
            ("陕E A1234", "陕E*****"),
            ("京AD12345", "京A******"),
            ("粤B12345F", "粤B******"),
            ("鲁" + full_width("F12345"), "鲁F*****"),
        ],
    )
    def test_spellings(self, plate, masked):
        text = f"其父驾驶{plate}离开"
        f = one(text)
        assert (f.kind, text[f.start : f.end], f.masked) == ("plate", plate, masked)

    @pytest.mark.parametrize("text", ["备案号:浙ICP备19042126号-1", "京ABCDE", "鲁F1234567"])
    def test_not_plates(self, text):
        assert [k for k, _ in found(text)] == []


# --- im-account -----------------------------------------------------------------------------


class TestImAccount:
    def test_message_and_offsets(self):
        text = "QQ:12345678"
        assert scan(text) == [
            Finding(
                "im-account",
                3,
                11,
                "12******",
                "疑似QQ号 12******：记录中不得出现个人的QQ号，请删除。",
            )
        ]

    @pytest.mark.parametrize(
        ("text", "account", "message_start"),
        [
            ("QQ:12345678", "12345678", "疑似QQ号 12******："),
            ("QQ号 12345678", "12345678", "疑似QQ号 12******："),
            ("qq：12345678", "12345678", "疑似QQ号 12******："),
            ("孩子的QQ号码是987654321", "987654321", "疑似QQ号 98*******："),
            ("微信：abc_123", "abc_123", "疑似微信号 ab*****："),
            ("微信号:wxid_a1b2c3d4", "wxid_a1b2c3d4", "疑似微信号 wx***********："),
            ("vx: zhang-2015", "zhang-2015", "疑似微信号 zh********："),
            ("加VX：xm_2015", "xm_2015", "疑似微信号 xm*****："),
            ("对方发来 wxid_q9w8e7r6", "wxid_q9w8e7r6", "疑似微信号 wx***********："),
        ],
    )
    def test_flagged(self, text, account, message_start):
        f = one(text)
        assert (f.kind, text[f.start : f.end]) == ("im-account", account)
        assert f.message.startswith(message_start)

    @pytest.mark.parametrize(
        "text", ["微信公众号“莱阳民政”", "业主微信群", "QQ群：123456789", "微信扫码报名"]
    )
    def test_not_flagged(self, text):
        assert found(text) == []

    def test_not_allowed_in_contact_fields(self):
        assert found("QQ:12345678", allow_contact=True) == [("im-account", "12345678")]


# --- person-name ----------------------------------------------------------------------------

NAME_MESSAGE = "疑似姓名 李**：记录中不得出现儿童或家人的姓名，请改用“该儿童”“其母亲”等称呼。"
PSEUDONYM_MESSAGE = (
    "疑似化名 凡*(化名)：个案记录中不得出现儿童的化名或“张某”式称呼，请改用“该儿童”“其母亲”等称呼。"
)


class TestPersonName:
    def test_message_and_offsets(self):
        text = "母亲：李秀英，务农。"
        assert scan(text) == [Finding("person-name", 3, 6, "李**", NAME_MESSAGE)]

    def test_pseudonym_message_and_offsets(self):
        text = "其中了解到儿童凡凡(化名)因父亲旧疾复发住院"
        assert scan(text, strict_names=True) == [
            Finding("person-name", 7, 13, "凡*(化名)", PSEUDONYM_MESSAGE)
        ]

    @pytest.mark.parametrize(
        ("text", "name", "masked"),
        [
            ("姓名：王小明", "王小明", "王**"),
            ("姓名:王小明", "王小明", "王**"),
            ("名字叫张伟", "张伟", "张*"),
            ("父亲王芳因病住院", "王芳", "王*"),
            ("母亲是刘桂兰", "刘桂兰", "刘**"),
            ("爸爸叫赵强", "赵强", "赵*"),
            ("妈妈：孙丽", "孙丽", "孙*"),
            ("监护人为陈建国", "陈建国", "陈**"),
            ("儿童：黄子涵", "黄子涵", "黄**"),
            ("孩子叫周杰", "周杰", "周*"),
            ("学生是吴芳", "吴芳", "吴*"),
            ("联系人 郭敏", "郭敏", "郭*"),
            ("由爷爷张建国照顾", "张建国", "张**"),
            ("奶奶：何秀兰", "何秀兰", "何**"),
            ("外公马德", "马德", "马*"),
            ("外婆叫欧阳秀英", "欧阳秀英", "欧***"),
        ],
    )
    def test_labelled_names(self, text, name, masked):
        f = one(text)
        assert (f.kind, text[f.start : f.end], f.masked) == ("person-name", name, masked)
        assert name not in f.message

    @pytest.mark.parametrize(
        ("text", "name", "masked"),
        [
            ("儿童凡凡(化名)", "凡凡(化名)", "凡*(化名)"),
            ("儿童凡凡（化名）", "凡凡（化名）", "凡*(化名)"),
            ("了解到小志(化名)父子二人", "小志(化名)", "小*(化名)"),
            ("张某某（男，9岁）", "张某某", "张**"),
            ("其母亲张某", "张某", "张*"),
            ("欧阳某某", "欧阳某某", "欧***"),
        ],
    )
    def test_pseudonyms_in_strict_mode(self, text, name, masked):
        f = one(text, strict_names=True)
        assert (f.kind, text[f.start : f.end], f.masked) == ("person-name", name, masked)
        assert scan(text) == []  # outside case records a pseudonym is harmless

    @pytest.mark.parametrize(
        "text",
        [
            "儿童关爱保护工作",
            "儿童主任跟进",
            "学生安全教育",
            "母亲常年在外务工",
            "父亲于2019年去世",
            "父亲于今年去世",
            "监护人为其祖母",
            "父亲高兴地说",
            "母亲节",
            "针对监护人能力缺失等原因",
            "父亲旧疾复发住院",
            "关于某地的情况",
            "于某些方面",
            "担任某职务",
            "对于某个家庭",
        ],
    )
    def test_not_names(self, text):
        assert found(text, strict_names=True) == []


# --- scan as a whole ------------------------------------------------------------------------


class TestScan:
    def test_findings_in_order_of_position(self):
        text = f"邮箱a1@qq.com，电话{MOBILE}，身份证{ID}，车牌鲁F12345"
        assert [k for k, _ in found(text)] == ["email", "phone", "id-number", "plate"]

    def test_overlaps_keep_the_most_specific(self):
        # the birth date inside a spaced ID number, the phone in an e-mail's local part
        assert found(grouped(ID, [6, 8, 4])) == [("id-number", grouped(ID, [6, 8, 4]))]
        assert found(f"{MOBILE}@139.com") == [("email", f"{MOBILE}@139.com")]
        assert found(f"微信：{MOBILE}") == [("im-account", MOBILE)]

    def test_allow_contact_allows_only_phone_email_and_address(self):
        text = f"电话0913-2134567，邮箱a1@qq.com，鹤山路12号，QQ:12345678，身份证{ID}"
        assert [f.kind for f in scan(text, allow_contact=True)] == ["im-account", "id-number"]

    def test_findings_are_frozen_and_of_known_kinds(self):
        f = one(ID)
        assert f.kind in KINDS
        with pytest.raises(dataclasses.FrozenInstanceError):
            f.kind = "x"  # type: ignore[misc]

    def test_empty_and_plain_text(self):
        assert scan("") == []
        assert scan("no identifiers here") == []

    def test_no_false_positives_in_realistic_text(self):
        text = (FIXTURES / "clean.txt").read_text(encoding="utf-8")
        assert found(text, strict_names=True) == []
        for line in text.splitlines():
            assert found(line) == [], line

    def test_synthetic_case_record(self):
        template = (FIXTURES / "case_record.yaml").read_text(encoding="utf-8")
        values = {
            "pseudonym": "凡凡",
            "birth": "2015-03-12",
            "id": ID,
            "mother": "李秀英",
            "mobile": MOBILE,
            "address": "利民小区3号楼2单元501室",
            "wechat": "wxid_a1b2c3d4",
            "plate": "鲁F12345",
            "card": CARD_19,
            "email": "zxm2015@163.com",
        }
        text = template.format(**values)
        yaml.safe_load(text)  # still a YAML record
        assert [f.kind for f in scan(text, strict_names=True)] == [
            "person-name",
            "birth-date",
            "id-number",
            "person-name",
            "phone",
            "address",
            "im-account",
            "plate",
            "bank-card",
            "email",
        ]
        messages = "\n".join(f.message for f in scan(text, strict_names=True))
        for key, value in values.items():
            assert value not in messages, key


def test_patterns_yaml_is_package_data():
    data = yaml.safe_load(
        resources.files("weibao.check.privacy").joinpath("patterns.yaml").read_text("utf-8")
    )
    surnames = data["names"]["surnames"]
    assert len(surnames) >= 150 and len(set(surnames)) == len(surnames)
    assert set(data["messages"]) >= {k for k in KINDS if k not in ("phone", "im-account")}


@pytest.mark.parametrize("text", ["id: c-vx59415avz", "id: a-2qq123456x", "org: wx-12345-centre"])
def test_latin_labels_inside_record_ids_are_not_accounts(text: str) -> None:
    """vx/wx/QQ inside a random record id are not WeChat or QQ labels."""
    assert scan(text, strict_names=True) == []
