"""QQ numbers and WeChat ids after their label (QQ:12345678, 微信号:wxid_…, vx: abc_123),
also spread out one character at a time (微信号 l i _ s i y u 2 0 1 5), and bare wxid_ ids.
Accounts spelled in Chinese numerals are found by the spelled module."""

from __future__ import annotations

import re
from functools import cache

from . import mask
from .data import alternation, char_class, data, message
from .finding import Finding

KIND = "im-account"

_QQ = r"[1-9]\d{4,10}(?!\d)"
_WECHAT = rf"(?:[A-Za-z][-_A-Za-z0-9]{{4,19}}(?![-_A-Za-z0-9])|1[3-9]\d{{9}}(?!\d)|{_QQ})"


def _labels(words: list[str]) -> str:
    """Latin labels (vx, wx, QQ) must stand alone: not inside a word or an id such as
    c-vx59415avz (a random record id), not glued to a Latin id."""
    latin = [w for w in words if w.isascii()]
    han = [w for w in words if not w.isascii()]
    return (
        rf"(?:(?<![-_A-Za-z0-9])(?P<latin>{alternation(latin)})(?![A-Za-z])"
        rf"|(?:{alternation(han)}))"
    )


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    im = data()["im"]
    sep = rf"[ ]*(?:(?:{alternation(im['separators'])})[ ]*)*"
    qq = re.compile(rf"{_labels(im['qq_labels'])}{sep}(?P<id>{_QQ})")
    wechat = re.compile(rf"{_labels(im['wechat_labels'])}{sep}(?P<id>{_WECHAT})")
    wxid = re.compile(r"(?<![A-Za-z0-9_])(?P<id>wxid_[A-Za-z0-9_-]{4,30})")
    # one character at a time, separated by spaces or dots: judged on the characters alone
    spread = rf"(?P<id>[A-Za-z0-9_-](?:{char_class(data()['digit_separators'])}{{1,2}}[A-Za-z0-9_-]){{4,40}})"
    spread_wechat = re.compile(rf"{_labels(im['wechat_labels'])}{sep}{spread}")
    spread_qq = re.compile(rf"{_labels(im['qq_labels'])}{sep}{spread}")
    return ((qq, "qq"), (wechat, "wechat"), (wxid, "wechat"),
            (spread_wechat, "wechat-spread"), (spread_qq, "qq-spread"))


_COMPACT = {
    "wechat-spread": re.compile(rf"{_WECHAT}\Z"),
    "qq-spread": re.compile(rf"{_QQ}\Z"),
}


@cache
def _any_label() -> re.Pattern[str]:
    im = data()["im"]
    return re.compile(f"{alternation(im['qq_labels'] + im['wechat_labels'])}|wxid_")


def find(text: str) -> list[Finding]:
    if not _any_label().search(text):  # most lines have no label: five patterns saved
        return []
    out = []
    for pattern, key in _patterns():
        for m in pattern.finditer(text):
            account = m.group("id")
            if m.groupdict().get("latin") and account.isalpha():
                continue  # "WeChat account", "wx before": English words after a Latin label
            if key in _COMPACT:
                account = re.sub(r"[^A-Za-z0-9_-]", "", account)
                if not _COMPACT[key].match(account):
                    continue
                key = key.removesuffix("-spread")
            masked = mask.head(account, 2)
            out.append(Finding(KIND, m.start("id"), m.end("id"), masked, message(key, masked)))
    return out
