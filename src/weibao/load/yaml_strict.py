"""YAML text → plain Python values, refusing everything that would change data silently.

libyaml composes the node tree (fast, and it keeps line marks); we build values ourselves
with YAML-1.2-like rules instead of PyYAML's YAML 1.1 resolver, so that `no` never becomes
False, `0755` never becomes 493, `1:30` never becomes 90 and `2024-05-01` stays a string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml
from yaml.resolver import BaseResolver

try:  # the C parser is ~8x faster; pure Python only where libyaml is missing
    from yaml.cyaml import CParser as _Parser

    LIBYAML = True
except ImportError:  # pragma: no cover - every supported platform ships libyaml wheels
    LIBYAML = False
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)


STR_TAG = "tag:yaml.org,2002:str"
MAP_TAG = "tag:yaml.org,2002:map"
SEQ_TAG = "tag:yaml.org,2002:seq"


class _Composer(_Parser, BaseResolver):
    """Composes nodes only; BaseResolver has no implicit types, every plain scalar is a str tag."""

    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        BaseResolver.__init__(self)

    # The composer asks for a tag only when a node has none (explicit tags never reach here).
    # With no implicit resolvers the answer is always the default tag; answering directly
    # saves a Python call chain per node (~15% of a record's validation time).
    def resolve(self, kind: type, value: object, implicit: object) -> str:
        if kind is yaml.ScalarNode:
            return STR_TAG
        return SEQ_TAG if kind is yaml.SequenceNode else MAP_TAG


@dataclass(frozen=True)
class YamlProblem:
    rule: str
    message: str
    line: int
    column: int
    path: str = ""



# a whole plain value inside one pair of Chinese quotes: “370682”, ‘370682’
_CURLY = re.compile(r"[“‘]([^“”‘’]*)[”’]\Z")
_FULLWIDTH_BRACKETS = re.compile(r"［.*］\Z")
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\.[0-9]+(?:[eE][-+]?[0-9]+)?\Z")
_BOOL_1_1 = re.compile(r"(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|True|TRUE|False|FALSE)\Z")
_NULL_1_1 = re.compile(r"(?:Null|NULL)\Z")
_OCTAL_LIKE = re.compile(r"[-+]?0[0-9_]+\Z")
_RADIX = re.compile(r"[-+]?0[xXoObB][0-9a-fA-F_]+\Z")
_SEXAGESIMAL = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?\Z")
_UNDERSCORED = re.compile(r"[-+]?[0-9][0-9_]*_[0-9_]*(?:\.[0-9_]*)?\Z")
_SPECIAL_FLOAT = re.compile(r"[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)\Z")


def _key_path(parent: str, key: str) -> str:
    return f"{parent}.{key}" if parent else key


class _Builder:
    """Walks a composed node tree, building values and collecting every problem found."""

    def __init__(self, check_aliases: bool) -> None:
        self.problems: list[YamlProblem] = []
        self.check_aliases = check_aliases
        self.seen: set[int] = set()

    def problem(self, node: yaml.Node, rule: str, message: str, path: str) -> None:
        m = node.start_mark
        self.problems.append(YamlProblem(rule, message, m.line + 1, m.column + 1, path))

    def build(self, node: yaml.Node, path: str) -> object:
        if self.check_aliases:
            if id(node) in self.seen:
                self.problem(
                    node,
                    "yaml-alias",
                    "不支持 YAML 锚点和别名（&名称 / *名称）：请把内容直接写出来。",
                    path,
                )
                return None
            self.seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, path)
        if isinstance(node, yaml.SequenceNode):
            self.check_tag(node, SEQ_TAG, path)
            if node.flow_style:
                self.fullwidth_commas(node, path)
            return [self.build(item, f"{path}[{i}]") for i, item in enumerate(node.value)]
        self.check_tag(node, MAP_TAG, path)
        return self.mapping(node, path)

    def fullwidth_commas(self, node: yaml.SequenceNode, path: str) -> None:
        """[心里疏导，探访关爱] is one item to YAML: say so, and show the list with every value."""
        items = [i.value if isinstance(i, yaml.ScalarNode) else None for i in node.value]
        if not any(isinstance(i, yaml.ScalarNode) and not i.style and "，" in i.value for i in node.value):
            return
        if any(v is None for v in items):
            return  # a nested list or mapping: the schema check will say what is wrong
        parts = [p.strip() for v in items for p in str(v).split("，") if p.strip()]
        self.problem(
            node, "yaml-fullwidth-comma",
            f"列表中用了全角逗号“，”，YAML 只认半角逗号，现在会读成一项：请改成 [{', '.join(parts)}]"
            "（切换到英文输入法输入逗号）。",
            path,
        )

    def check_tag(self, node: yaml.Node, expected: str, path: str) -> None:
        if node.tag != expected:
            self.problem(
                node, "yaml-tag", f"不支持 YAML 标签 {node.tag}：请删除“!”开头的标签。", path
            )

    def mapping(self, node: yaml.MappingNode, path: str) -> dict[str, object]:
        out: dict[str, object] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.style:
                if isinstance(key_node, yaml.ScalarNode) and key_node.tag == STR_TAG:
                    key = key_node.value  # a quoted key is still a plain text key
                else:
                    self.problem(
                        key_node, "yaml-key", "字段名必须是简单文字（如 name:）。", path
                    )
                    continue
            else:
                key = key_node.value
            if key == "<<":
                self.problem(
                    key_node,
                    "yaml-merge-key",
                    "不支持 YAML 合并键 <<：请把字段直接写出来。",
                    path,
                )
                continue
            child = _key_path(path, key)
            if key in out:
                self.problem(
                    key_node,
                    "yaml-duplicate-key",
                    f"字段“{key}”重复出现（第一次在第 {first_line[key]} 行）：YAML 只会保留"
                    "最后一个，前面的内容会丢失。请合并为一个。",
                    child,
                )
                continue
            first_line[key] = key_node.start_mark.line + 1
            out[key] = self.build(value_node, child)
        return out

    def scalar(self, node: yaml.ScalarNode, path: str) -> object:
        value: str = node.value
        if node.tag != STR_TAG:
            self.check_tag(node, STR_TAG, path)
            return value
        if node.style:  # quoted or block scalar: always text (plain is None, or "" from libyaml)
            return value
        wrapped = _CURLY.match(value)
        if wrapped:
            self.problem(
                node, "yaml-curly-quotes",
                f"值两边是中文引号（{value[0]}{value[-1]}），YAML 只认半角引号，会把中文引号当作内容："
                f'请改成 "{wrapped[1]}"（切换到英文输入法输入引号）；'
                f"如果引号本来就是内容的一部分，请在外面再加一层半角引号：'{value}'。",
                path,
            )
            return value
        if _FULLWIDTH_BRACKETS.match(value):
            inner = value[1:-1].replace("，", ", ")
            self.problem(
                node, "yaml-fullwidth-brackets",
                f"列表用了全角方括号“［］”，YAML 只认半角方括号，现在会读成一段文字：请改成 [{inner}]。",
                path,
            )
            return value
        if value in ("", "~", "null"):
            return None
        if value == "true":
            return True
        if value == "false":
            return False
        if _INT.match(value):
            return int(value)
        if _FLOAT.match(value):
            return float(value)
        trap = self.trap(value)
        if trap:
            self.problem(node, trap[0], trap[1], path)
            return value
        return value

    @staticmethod
    def trap(value: str) -> tuple[str, str] | None:
        """YAML 1.1 readings we refuse to guess at, with the fix to make."""
        if _BOOL_1_1.match(value):
            return (
                "yaml-1.1-bool",
                f"“{value}”在 YAML 1.1 中会被读成布尔值（是/否）：要写是/否请用 true 或 false，"
                f'要写文字请加引号："{value}"。',
            )
        if _NULL_1_1.match(value):
            return ("yaml-1.1-null", f'“{value}”可能被读成空值：请写 null，或加引号 "{value}"。')
        if _OCTAL_LIKE.match(value):
            digits = value.lstrip("+-").replace("_", "")
            if len(digits) > 6:  # a phone number written without quotes: never echo it whole
                value = value[:4] + "*" * (len(value) - 4)
                return (
                    "yaml-1.1-octal",
                    f"“{value}”以 0 开头，会被读成八进制数或丢失前导 0：号码、编码请加引号。",
                )
            hint = ""
            if set(digits) <= set("01234567"):
                hint = f"会被读成八进制数 {int(digits, 8)}"
            else:
                hint = "以 0 开头的数字含义不明确"
            return (
                "yaml-1.1-octal",
                f"“{value}”{hint}，前导 0 会丢失：区号、号码、编码请加引号："
                f'"{value}"。',
            )
        if _RADIX.match(value):
            return ("yaml-1.1-radix", f'“{value}”会被读成十六/八/二进制数：请加引号 "{value}"。')
        if _SEXAGESIMAL.match(value):
            as_time = value.zfill(5) if re.fullmatch(r"[0-9]:[0-5][0-9]", value) else value
            return (
                "yaml-1.1-sexagesimal",
                f"“{value}”在 YAML 1.1 中会被读成六十进制数：时间请加引号，如 \"{as_time}\"。",
            )
        if _UNDERSCORED.match(value):
            return (
                "yaml-1.1-underscore",
                f"“{value}”中的下划线会被丢弃：数字请不要加下划线，或加引号。",
            )
        if _SPECIAL_FLOAT.match(value):
            return ("yaml-1.1-float", f"“{value}”会被读成特殊浮点数：请改写或加引号。")
        return None


_FULLWIDTH_COLON = re.compile(r"^[ ]*(?:-[ ]+)?([A-Za-z_][A-Za-z0-9_]*)[ ]*：", re.MULTILINE)
_FULLWIDTH_SPACE_INDENT = re.compile(r"^[ ]*\u3000", re.MULTILINE)
_FULLWIDTH_SPACE_AFTER_COLON = re.compile(r"^[ ]*(?:-[ ]+)?[A-Za-z_][A-Za-z0-9_]*:\u3000", re.MULTILINE)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _block_scalar_lines(text: str) -> set[int]:
    """Line numbers (1-based) holding the content of `|` and `>` blocks, where any character is
    text. Empty when the text does not compose (then a full-width space may well be the cause)."""
    try:
        root = yaml.compose(text, Loader=_Composer)
    except yaml.YAMLError:
        return set()
    lines: set[int] = set()
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            if node.style in ("|", ">"):  # content: from the line after the indicator to the end mark
                last = node.end_mark.line + (1 if node.end_mark.column > 0 else 0)
                lines.update(range(node.start_mark.line + 2, last + 1))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(v for _, v in node.value)
    return lines


def fullwidth_problems(text: str, known_keys: frozenset[str] | None) -> list[YamlProblem]:
    """Full-width colons or spaces typed where YAML needs ASCII (Chinese input methods do this)."""
    problems = []
    content: set[int] | None = None  # lines of | and > blocks, composed only when needed
    if "：" in text:
        for m in _FULLWIDTH_COLON.finditer(text):
            if known_keys is not None and m.group(1) not in known_keys:
                continue
            line, col = _line_col(text, m.end() - 1)
            if content is None:
                content = _block_scalar_lines(text)
            if line in content:  # "CSV：可下载" inside a | block is text, not a key
                continue
            problems.append(
                YamlProblem(
                    "yaml-fullwidth-colon",
                    f"字段“{m.group(1)}”后面是全角冒号“：”，YAML 需要半角冒号加空格："
                    f"请改成“{m.group(1)}: ”（切换到英文输入法输入）。",
                    line,
                    col,
                )
            )
    if "\u3000" in text:
        content = _block_scalar_lines(text) if content is None else content
        for pattern in (_FULLWIDTH_SPACE_INDENT, _FULLWIDTH_SPACE_AFTER_COLON):
            for m in pattern.finditer(text):
                line, col = _line_col(text, m.end() - 1)
                if line in content:  # inside a | or > block it is text (the Chinese paragraph indent)
                    continue
                problems.append(
                    YamlProblem(
                        "yaml-fullwidth-space",
                        "这里有一个全角空格（　），YAML 的缩进和冒号后只能用半角空格：请替换。",
                        line,
                        col,
                    )
                )
    return problems


_NO_SPACE = re.compile(r"^([ ]*(?:-[ ]+)?)([A-Za-z_][A-Za-z0-9_]*):(?=[^\s:/])")


def _missing_space(lines: list[str], line: int) -> YamlProblem | None:
    """`region:"370682"` is one plain text to YAML, and the error surfaces a line later: name the
    line where the space after the colon is missing."""
    for n in range(min(line, len(lines)), max(line - 3, 0), -1):
        m = _NO_SPACE.match(lines[n - 1])
        if m:
            key, rest = m[2], lines[n - 1][m.end():].rstrip("\r")
            return YamlProblem(
                "yaml-colon-space",
                f"字段“{key}”的冒号后面少了一个空格：YAML 需要“冒号加空格”，请改成“{key}: {rest}”。",
                n, m.end(),
            )
    return None


def _syntax_problem(err: yaml.MarkedYAMLError, text: str) -> YamlProblem:
    mark = err.problem_mark or err.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    problem = err.problem or ""
    lines = text.split("\n")
    at = lines[line - 1][col - 1 : col] if 0 < line <= len(lines) else ""
    # libyaml does not name the character; pure-Python PyYAML does ("'\t'")
    if at == "\t" or "'\\t'" in problem:
        return YamlProblem(
            "yaml-tab", "这里用了 Tab 制表符缩进：YAML 只能用空格缩进，请把 Tab 换成空格。", line, col
        )
    if "expected a single document" in problem or "but found another document" in (
        err.context or ""
    ) or "another document" in problem:
        return YamlProblem(
            "yaml-multiple-documents",
            "一个文件只能有一条记录（一个 YAML 文档）：请删除“---”分隔的第二部分，"
            "把它另存为一个新文件。",
            line,
            col,
        )
    if "mapping values are not allowed" in problem:
        return YamlProblem(
            "yaml-syntax",
            "这里多了一个冒号：如果值本身含有“: ”，请给整个值加引号；如果是字段，请检查缩进。",
            line,
            col,
        )
    if any(s in problem for s in ("expected ':'", "expected key", "mapping values")):
        missing_space = _missing_space(lines, line)
        if missing_space:
            return missing_space
    if "could not find expected ':'" in problem:
        return YamlProblem(
            "yaml-syntax",
            "这一行缺少“字段: 值”中的半角冒号，或者缩进不对：请检查这一行和上一行。",
            line,
            col,
        )
    if "found undefined alias" in problem or "found duplicate anchor" in problem:
        return YamlProblem(
            "yaml-alias", "不支持 YAML 锚点和别名（&名称 / *名称）：请把内容直接写出来。", line, col
        )
    if "while scanning a quoted scalar" in (err.context or ""):
        return YamlProblem(
            "yaml-syntax", "引号没有闭合：请检查这一行开始的引号是否成对。", line, col
        )
    return YamlProblem(
        "yaml-syntax",
        f"YAML 语法错误（{problem or err.context}）：请检查这一行的缩进、冒号和引号。",
        line,
        col,
    )


def parse(text: str, known_keys: frozenset[str] | None = None) -> tuple[object, list[YamlProblem]]:
    """The document's value and every problem found; a value is None when it could not be built."""
    problems = fullwidth_problems(text, known_keys)
    if problems:  # the structure cannot be trusted; everything else would be a symptom
        return None, problems
    try:
        node = yaml.compose(text, Loader=_Composer)
    except yaml.MarkedYAMLError as err:
        return None, [_syntax_problem(err, text)]
    if node is None:
        return None, [YamlProblem("file-empty", "文件里没有内容：请写入一条记录。", 1, 1)]
    if not isinstance(node, yaml.MappingNode):
        problems.append(
            YamlProblem(
                "yaml-not-mapping",
                "文件最外层必须是“字段: 值”的映射（每行一个字段），而不是列表或一段文字。",
                node.start_mark.line + 1,
                node.start_mark.column + 1,
            )
        )
        return None, problems
    builder = _Builder(check_aliases="&" in text or "*" in text)
    value = builder.build(node, "")
    return value, problems + builder.problems


def compose(text: str) -> yaml.Node | None:
    """The node tree (with line marks) of a file that parsed; used only to locate errors."""
    return yaml.compose(text, Loader=_Composer)
