"""Tidy converted Markdown: hand-numbered headings (一、 （一） 第一章) become headings, 1、 runs
become lists, 第一条 is bolded, paragraph indents and images are dropped."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from weibao.policy import blocks as B

_CN = "一二三四五六七八九十百零〇"
CHAPTER = re.compile(rf"^第[{_CN}\d]+章(?:[\s\u3000]+\S.*|\S.*)?$")
SECTION = re.compile(rf"^第[{_CN}\d]+节(?:[\s\u3000]+\S.*|\S.*)?$")
LEVEL1 = re.compile(r"^[一二三四五六七八九十]+、\s*\S")
LEVEL2 = re.compile(r"^[（(]([一二三四五六七八九十]+)[）)]\s*")
ARTICLE = re.compile(rf"^(第[{_CN}\d]+条)[\s\u3000]*(\S.*)$")
ITEM = re.compile(r"^(\d{1,2})(?:、|．|\\?\.(?!\d))\s*(\S.*)$")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)|<img\b[^>]*>", re.I)
_INDENT = re.compile(r"^[ \t]*[\u3000\xa0]+[\u3000\xa0 \t]*", re.M)
_STOP = ("。", "；", "，", "：", ";", ",", ":", "！", "？")
SHORT = 40


@dataclass
class Tidied:
    blocks: list[str]
    notes: list[str] = field(default_factory=list)


def _short_heading(text: str) -> bool:
    return len(text) <= SHORT and not text.endswith(_STOP)


def _shift_headings(blocks: list[str]) -> list[str]:
    """Real headings start at level 2: the page title is the only level 1."""
    levels = [h[0] for b in blocks if (h := B.heading(b))]
    if not levels:
        return blocks
    shift = 2 - min(levels)
    out = []
    for b in blocks:
        h = B.heading(b)
        out.append("#" * min(6, h[0] + shift) + " " + b.lstrip("#").strip() if h and shift else b)
    return out


def _numbered(blocks: list[str]) -> list[str]:
    out: list[str] = []
    chapters = any(CHAPTER.match(t) for b in blocks if (t := _single(b)))
    top = 3 if chapters else 2
    for b in blocks:
        text = _single(b)
        if text is None:
            out.append(b)
        elif chapters and CHAPTER.match(text) and len(text) <= SHORT:
            out.append(f"## {text}")
        elif chapters and SECTION.match(text) and len(text) <= SHORT:
            out.append(f"### {text}")
        elif LEVEL1.match(text) and _short_heading(text):
            out.append(f"{'#' * top} {text}")
        elif (m := LEVEL2.match(text)) and _short_heading(text):
            out.append(f"{'#' * (top + 1)} （{m.group(1)}）{text[m.end():]}")
        elif (m := LEVEL2.match(b)) and b.startswith("("):
            out.append(f"（{m.group(1)}）{b[m.end():]}")  # full-width brackets, as in the rest
        elif (m := ARTICLE.match(b)) and "\n" not in b and not b.startswith("**"):
            out.append(f"**{m.group(1)}** {m.group(2)}")
        else:
            out.append(b)
    return out


def _single(block: str) -> str | None:
    """Plain text of a one-line paragraph (bold allowed), None for anything else."""
    if "\n" in block or block.startswith(("#", "|", ">", "-", "*   ", "<", "```")):
        bold = B.bold_only(block)
        return bold if bold is not None else None
    lines = B.plain_lines(block)
    return lines[0] if len(lines) == 1 else None


def _lists(blocks: list[str]) -> list[str]:
    """Runs of paragraphs numbered 1、 2、 3、 (in order) become one Markdown ordered list."""
    out: list[str] = []
    i = 0
    while i < len(blocks):
        run: list[tuple[int, str]] = []
        j = i
        while j < len(blocks) and "\n" not in blocks[j] and (m := ITEM.match(blocks[j])):
            if run and int(m.group(1)) != run[-1][0] + 1:
                break
            run.append((int(m.group(1)), m.group(2)))
            j += 1
        if len(run) >= 2:
            out.append("\n".join(f"{n}. {text}" for n, text in run))
            i = j
        else:
            out.append(blocks[i])
            i += 1
    return out


def tidy(blocks: list[str]) -> Tidied:
    notes = []
    images = 0
    cleaned = []
    for b in blocks:
        b, n = _IMAGE.subn("", b)
        images += n
        b = _INDENT.sub("", b).replace("\t", "    ")
        b = "\n".join(line.rstrip() for line in b.split("\n"))
        if b.strip():
            cleaned.append(b)
    if images:
        notes.append(f"文件中的 {images} 张图片没有导入：如果图片有内容（如表格截图），请把内容写进正文。")
    out = _lists(_numbered(_shift_headings(cleaned)))
    return Tidied(out, notes)
