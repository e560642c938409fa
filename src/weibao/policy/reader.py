"""Source file → (pandoc metadata, GitHub-flavoured Markdown body, page address if the file has one)."""

from __future__ import annotations

import json
import re
import tempfile
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

from weibao.errors import UsageError
from weibao.policy import pandoc

# input format by suffix; html without native divs/spans so page wrappers dissolve into text
FORMATS = {
    ".docx": "docx",
    ".html": "html-native_divs-native_spans",
    ".htm": "html-native_divs-native_spans",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "markdown",
}
_BLOCK_START = re.compile(r"^(\s|\||#|[-*+>] |\d+\. |```|~~~)")
_SPLIT = "@@WEIBAO-BODY@@"
_TEMPLATE = f"$meta-json$\n{_SPLIT}\n$body$\n"


@dataclass
class Converted:
    meta: dict
    markdown: str
    url: str | None  # canonical address of a web page, when it names one
    core_title: str = ""  # a Word file's document properties title (pandoc does not read it)


class _Canonical(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.url: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        href = a.get("href") if tag == "link" and (a.get("rel") or "").lower() == "canonical" else None
        if tag == "meta" and a.get("property") == "og:url":
            href = a.get("content")
        if href and re.match(r"^https?://\S+$", href) and self.url is None:
            self.url = href


def _html_url(path: Path) -> str | None:
    parser = _Canonical()
    parser.feed(_text(path))
    return parser.url


def _text(path: Path) -> str:
    """Web pages and Markdown saved on Chinese Windows are often GBK: pandoc reads only UTF-8."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return raw.decode("gb18030")
        except UnicodeDecodeError as err:
            raise UsageError(f"{path}: 既不是 UTF-8 也不是 GBK 编码的文本：请另存为 UTF-8 后再导入。") from err


def _paragraph_per_line(text: str, plain: bool) -> str:
    """Text copied from web pages has one paragraph per line and no blank lines; Markdown would
    run such lines together into one paragraph, so separate them (not table rows, lists, code)."""
    lines = text.replace("\r\n", "\n").split("\n")
    blank = sum(1 for line in lines if not line.strip())
    if not plain and blank * 4 >= len(lines):
        return text
    out: list[str] = []
    for line in lines:
        if out and out[-1].strip() and line.strip() and not _BLOCK_START.match(line) \
                and not _BLOCK_START.match(out[-1]):
            out.append("")
        out.append(line)
    return "\n".join(out)


def convert(path: Path) -> Converted:
    """Convert one file with pandoc; raise UsageError for a type we cannot read."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UsageError(
            f"{path}: 不支持的文件类型“{path.suffix}”：只能导入 .docx、.html、.md 或 .txt。"
            "旧版 .doc 文件请先在 Word 或 WPS 中另存为 .docx。"
        )
    if not path.is_file():
        raise UsageError(f"{path}: 文件不存在。")
    data = None if fmt == "docx" else _text(path).encode("utf-8")
    if fmt == "markdown":
        data = _paragraph_per_line(_text(path), path.suffix.lower() == ".txt").encode()
    with tempfile.TemporaryDirectory() as tmp:
        template = Path(tmp) / "meta.tpl"
        template.write_text(_TEMPLATE, encoding="utf-8")
        args = ["-f", fmt, "-t", "gfm", "--wrap=none", "-s", f"--template={template}"]
        out = pandoc.run([*args, path] if data is None else args, data).decode("utf-8")
    meta_json, _, body = out.partition(f"\n{_SPLIT}\n")
    url = _html_url(path) if fmt.startswith("html") else None
    core = _core_title(path) if fmt == "docx" else ""
    return Converted(json.loads(meta_json or "{}"), body, url, core)


def _core_title(path: Path) -> str:
    """dc:title of docProps/core.xml, or "" when the file has none."""
    try:
        with zipfile.ZipFile(path) as docx:
            root = ElementTree.fromstring(docx.read("docProps/core.xml"))
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        return ""
    node = root.find("{http://purl.org/dc/elements/1.1/}title")
    return (node.text or "").strip() if node is not None else ""
