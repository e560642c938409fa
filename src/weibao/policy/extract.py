"""Metadata a policy's own text shows: title, 文号, and the issuers and date of its 落款."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from weibao.policy import blocks as B
from weibao.policy.cndate import parse_date_line
from weibao.policy.settings import settings

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
DOC_NUMBER = re.compile(
    r"(?P<org>[\u4e00-\u9fff]{1,20}?)\s*(?P<open>[〔\[【［(（〖])\s*(?P<year>\d{4})\s*"
    r"(?P<close>[〕\]】］)）〗])\s*第?\s*(?P<num>\d{1,5})\s*号"
)
_LABEL = re.compile(r"^(?:发文字号|发文文号|文号|字号)\s*[:：]\s*")
_TITLE_END = ("通知", "意见", "方案", "办法", "规定", "决定", "条例", "法", "细则", "规划", "函",
              "报告", "纲要", "批复", "通告", "公告", "指引", "标准", "规则", "制度", "计划")
_JUNK_TITLE = re.compile(r"^(Microsoft Word|文档\d*|Document\d*|新建|Untitled|无标题)", re.I)
_SENTENCE = re.compile(r"[。，；：！？,;:!?]")
# how far from each end the number and the 落款 are looked for
HEAD_BLOCKS = 10
TAIL_BLOCKS = 12


@dataclass
class DocNumber:
    value: str  # normalised: 民函〔2014〕240号
    raw: str  # as the text wrote it

    @property
    def normalised(self) -> bool:
        return self.value != self.raw


@dataclass
class Found:
    """What the text shows, and the body with the title (and number line) taken out."""

    title: str | None = None
    title_from: str = ""
    doc_number: DocNumber | None = None
    issuers: list[str] = field(default_factory=list)
    issued: str | None = None
    effective: str | None = None
    mentions: list[str] = field(default_factory=list)  # other documents' numbers cited in the text
    notes: list[str] = field(default_factory=list)
    blocks: list[str] = field(default_factory=list)


def doc_numbers(text: str) -> list[DocNumber]:
    original = B.unescape(text)
    # full-width digits map one to one, so match offsets hold for the original text
    return [
        DocNumber(f"{m['org']}〔{m['year']}〕{m['num']}号",
                  re.sub(r"\s+", "", original[m.start():m.end()]))
        for m in DOC_NUMBER.finditer(original.translate(_FULLWIDTH_DIGITS))
    ]


def clean_title(text: str) -> str:
    text = re.sub(r"\s+", " ", B.unescape(text)).strip().replace("**", "")
    if text.startswith("《") and text.endswith("》"):
        text = text[1:-1]
    return text.rstrip("。.；;")[:200]


def _title_like(line: str) -> bool:
    return len(line) <= 80 and not _SENTENCE.search(line) and line.endswith(_TITLE_END)


def _find_title(found: Found, meta_title: str, fmt: str, core_title: str) -> None:
    """Title from the file's title paragraph/metadata, else its first heading or bold paragraph,
    else a Word file's document properties (often stale, so last); drop the title block."""
    first = None
    for i, block in enumerate(found.blocks[:HEAD_BLOCKS]):
        h = B.heading(block)
        text = h[1] if h else B.bold_only(block)
        lines = B.plain_lines(block)
        if text is None and i == 0 and len(lines) == 1 and _title_like(lines[0]):
            text = lines[0]
        if text is not None:
            first = (i, clean_title(text), "第一个标题" if h else "正文开头的标题段落")
            break
        if fmt != "html":  # in Word files the title is the very first paragraph or none
            break
    meta_title = clean_title(meta_title) if meta_title else ""
    if meta_title and _JUNK_TITLE.match(meta_title):
        meta_title = ""
    where = {"docx": "“标题”样式的段落", "html": "网页的 <title>", "md": "文件开头的 title"}[fmt]
    if fmt == "html" and first:  # <title> usually carries the site name: the page's h1 is better
        meta_title = ""
    if meta_title:
        found.title, found.title_from = meta_title, where
        if first and first[1] == meta_title:  # the same title repeated as a heading
            del found.blocks[first[0]]
    elif first:
        i, found.title, found.title_from = first
        if fmt == "html" and i:
            found.notes.append(f"删除了网页标题之前的 {i} 段（导航等）。")
        del found.blocks[: i + 1]
        core = clean_title(core_title) if core_title else ""
        if core and core != found.title and not _JUNK_TITLE.match(core):
            found.notes.append(f"文件属性中的标题“{core}”与正文标题不同：用了正文标题，请核对。")
    elif core_title and not _JUNK_TITLE.match(clean_title(core_title)):
        found.title, found.title_from = clean_title(core_title), "文件属性（文档属性）中的标题"
    if found.title and len(found.title) < 2:
        found.title = None


def _find_number(found: Found) -> None:
    """文号: a line of its own near the top (a number cited in running text is another document's)."""
    for i, block in enumerate(found.blocks[:HEAD_BLOCKS]):
        lines = B.plain_lines(block)
        for line in lines:
            cell = _LABEL.sub("", line.strip("| ").split("|")[-1].strip())
            numbers = doc_numbers(cell)
            if numbers and re.sub(r"\s+", "", cell).startswith(numbers[0].raw):
                rest = re.sub(r"\s+", "", cell)[len(numbers[0].raw):]
                if rest and not rest.startswith("签发人"):
                    continue
                found.doc_number = numbers[0]
                if len(lines) == 1 and not block.lstrip().startswith("|"):
                    del found.blocks[i]
                return


def _issuer_parts(line: str) -> list[str] | None:
    suffixes = tuple(settings()["issuer_suffixes"])
    line = re.sub(r"[（(]\s*(盖章|印章|章)\s*[）)]", "", line).strip()
    parts = [p for p in re.split(r"[\s\u3000]+", line) if p]
    if not parts or len(line) > 80:
        return None
    for p in parts:
        if not re.fullmatch(r"[\u4e00-\u9fff（）()]{2,40}", p) or not p.endswith(suffixes):
            return None
    return parts


def _find_signature(found: Found) -> None:
    """落款: the last date line near the end, and the issuer lines right above it."""
    start = max(0, len(found.blocks) - TAIL_BLOCKS)
    for bi in range(len(found.blocks) - 1, start - 1, -1):
        lines = B.plain_lines(found.blocks[bi])
        for li in range(len(lines) - 1, -1, -1):
            date = parse_date_line(lines[li])
            if not date:
                continue
            found.issued = date
            above = lines[:li][::-1]
            for b in range(bi - 1, max(start, bi - 4) - 1, -1):
                above += B.plain_lines(found.blocks[b])[::-1]
            issuers: list[str] = []
            for line in above[:4]:
                parts = _issuer_parts(line)
                if parts is None:
                    break
                issuers = parts + issuers
            found.issuers = list(dict.fromkeys(issuers))
            return


_EFFECTIVE = re.compile(r"自\s*(\S{4}\s*年\s*\S{1,3}\s*月\s*\S{1,3}\s*日)\s*起\s*(?:施行|实施|执行|生效)")


def _find_effective(found: Found) -> None:
    for block in found.blocks:
        for m in _EFFECTIVE.finditer(B.unescape(block)):
            date = parse_date_line(m.group(1))
            if date and (found.issued is None or date >= found.issued):
                found.effective = date
                return


def extract(markdown_blocks: list[str], meta_title: str, fmt: str, core_title: str = "") -> Found:
    found = Found(blocks=list(markdown_blocks))
    _find_title(found, meta_title, fmt, core_title)
    _find_number(found)
    _find_signature(found)
    _find_effective(found)
    own = found.doc_number.value if found.doc_number else None
    seen = {n.value for b in found.blocks for n in doc_numbers(b)} - {own}
    found.mentions = sorted(seen)
    return found
