"""Bytes to text: UTF-8 only, with the mistakes Windows editors make named and explained."""

from __future__ import annotations

from dataclasses import dataclass

BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class DecodeProblem:
    rule: str
    message: str
    line: int = 0
    column: int = 0


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """Line and column of the first undecodable byte, the column in characters as an editor
    counts them (the bytes before it on its line are valid UTF-8; a BOM is not counted)."""
    before = data[:offset]
    line = before.count(b"\n") + 1
    start = max(before.rfind(b"\n") + 1, len(BOM) if data.startswith(BOM) else 0)
    return line, len(data[start:offset].decode("utf-8", errors="replace")) + 1


def too_large(size: int, max_bytes: int) -> DecodeProblem:
    return DecodeProblem(
        "file-too-large",
        f"文件有 {size} 字节，超过每个文件 {max_bytes} 字节的上限；"
        "一个文件只写一条记录，长正文请拆分或精简。",
    )


def decode(data: bytes, max_bytes: int) -> str | DecodeProblem:
    """The file's text, or the reason it cannot be read as UTF-8 YAML.

    A UTF-8 BOM and CRLF line ends are accepted as they are (Notepad writes them);
    the file on disk is never rewritten.
    """
    if len(data) > max_bytes:
        return too_large(len(data), max_bytes)
    if not data.strip(BOM + b" \t\r\n"):
        return DecodeProblem("file-empty", "文件是空的：请写入一条记录，或删除这个文件。")
    if b"\x00" in data:
        return DecodeProblem(
            "file-binary",
            "这是二进制文件（含 NUL 字节），不是 YAML 文本：请确认没有把 Word/Excel 文件"
            "改了扩展名放进 records/。",
        )
    body = data[len(BOM) :] if data.startswith(BOM) else data
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as err:
        offset = err.start + (len(BOM) if body is not data else 0)
        line, column = _position(data, offset)
        try:
            body.decode("gb18030")
        except UnicodeDecodeError:
            return DecodeProblem(
                "encoding-not-utf8",
                "文件不是 UTF-8 编码：请用编辑器以 UTF-8 编码重新保存。",
                line,
                column,
            )
        return DecodeProblem(
            "encoding-gbk",
            "文件是 GBK/GB18030 编码，不是 UTF-8：请用记事本“另存为”，编码选“UTF-8”"
            "（或运行 iconv -f GB18030 -t UTF-8），再提交。内容不会丢失。",
            line,
            column,
        )


def decode_table(data: bytes) -> tuple[str, str] | DecodeProblem:
    """A CSV file's text and encoding name: UTF-8 (with or without BOM) or, failing that,
    GB18030 (a superset of GBK, what Excel on Chinese Windows writes for “CSV”). Spreadsheets
    are not records: they are read, never committed, so both are accepted."""
    if data.startswith(BOM):
        data = data[len(BOM):]
        label = "UTF-8（带 BOM）"
    else:
        label = "UTF-8"
    if b"\x00" in data:
        return DecodeProblem("file-binary", "这不是 CSV 文本文件（含 NUL 字节）：Excel 文件请直接用 .xlsx 导入。")
    try:
        return data.decode("utf-8"), label
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "GBK/GB18030"
    except UnicodeDecodeError as err:
        line, column = _position(data, err.start)
        return DecodeProblem(
            "encoding-unknown",
            "CSV 文件既不是 UTF-8 也不是 GBK 编码：请在 Excel 中“另存为”“CSV UTF-8（逗号分隔）”。",
            line,
            column,
        )
