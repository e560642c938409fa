"""Cross-record checks: ids match file names, references resolve, vocabulary terms exist,
dates are in order, supersedes links have no cycles, quoted figures appear in their quote."""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from weibao.check.conceal import conceal
from weibao.gazetteer.check import region_errors
from weibao.load.lines import format_path
from weibao.result import Error

COLLECTION_NAMES = {
    "regions": "行政区划",
    "orgs": "机构",
    "hotlines": "热线",
    "policies": "政策",
    "indicators": "指标",
    "sources": "来源文件",
    "vocabularies": "词表",
}


@dataclass
class Facts:
    """What cross-record checks need from one record (small, so workers can send it back cheaply)."""

    collection: str
    file: str
    stem: str
    id: object
    # (concrete path, annotation key, annotation value, record value)
    annotated: list[tuple[tuple, str, object, object]] = field(default_factory=list)
    extra: dict = field(default_factory=dict)


Locator = Callable[[str, tuple], tuple[int, int]]


def _suggest(value: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(options), n=1, cutoff=0.5)
    return f"您是不是要写“{close[0]}”？" if close else ""


_SEPARATORS = re.compile(r"[，、,；;]")


def _several(value: str, terms: dict[str, str]) -> str:
    """心里疏导，探访关爱 written as one item: suggest one item per part, keeping every part."""
    parts = [p.strip() for p in _SEPARATORS.split(value) if p.strip()]
    if len(parts) < 2:
        return ""
    fixed = []
    for part in parts:
        close = difflib.get_close_matches(part, list(set(terms.values())), n=1, cutoff=0.5)
        fixed.append(terms.get(part) or (close[0] if close else part))
    return f"这里像是几项写在了一起：请分成列表的几项，如 [{', '.join(fixed)}]。"


class CrossChecker:
    """Runs every cross-record rule over the facts of all records being checked."""

    def __init__(
        self,
        ids: dict[str, set[str]],
        vocabularies: dict[str, dict[str, str]],
        locate: Locator,
        secret_collections: frozenset[str] = frozenset(),
    ) -> None:
        self.secret = secret_collections  # program records: echoed values are concealed
        self.ids = ids  # collection → ids (from file names)
        self.vocab = vocabularies  # vocabulary id → {term or alias: term}
        self.locate = locate
        self.errors: list[Error] = []

    def error(self, f: Facts, path: tuple, rule: str, message: str) -> None:
        line, col = self.locate(f.file, path)
        self.errors.append(Error(f.file, line, col, format_path(path), rule, message))

    def run(self, facts: list[Facts], policies: list[Facts]) -> list[Error]:
        for f in facts:
            self.one(f)
        self.policy_links(policies, {f.file for f in facts})
        return self.errors

    def one(self, f: Facts) -> list[Error]:
        """The rules that read one record's facts (with the ids and vocabularies); its errors."""
        start = len(self.errors)
        self.identity(f)
        self.annotated(f)
        if f.collection == "indicators":
            self.indicator_quote(f)
        if f.collection == "regions":
            self.region_parent(f)
            region_errors(f.extra, functools.partial(self.error, f))
        return self.errors[start:]

    def identity(self, f: Facts) -> None:
        if not f.file.endswith(".yaml"):
            self.errors.append(
                Error(f.file, 0, 0, "", "file-extension", "记录文件的扩展名必须是 .yaml：请重命名。")
            )
        if f.id != f.stem:
            shown = conceal(f.id) if f.collection in self.secret else f.id
            self.error(
                f, ("id",), "id-file-name",
                f"编号“{shown}”与文件名“{f.stem}”不一致：编号必须等于文件名（不含 .yaml），"
                "请改其中一个。",
            )

    def annotated(self, f: Facts) -> None:
        for path, key, ann, value in f.annotated:
            shown = conceal(value) if f.collection in self.secret else value
            if key == "x-ref" and isinstance(value, str):
                target = str(ann)
                if value not in self.ids.get(target, set()):
                    name = COLLECTION_NAMES.get(target, target)
                    hint = "" if f.collection in self.secret else _suggest(value, self.ids.get(target, set()) - {f.stem})
                    self.error(
                        f, path, "ref-missing",
                        f"找不到编号为“{shown}”的{name}（records/{target}/{shown}.yaml 不存在）。"
                        f"{hint or f'请先添加该{name}，或改为已有的编号。'}",
                    )
            elif key == "x-vocabulary" and isinstance(value, str):
                terms = self.vocab.get(str(ann))
                if terms is None:
                    self.error(f, path, "vocab-missing",
                               f"词表“{ann}”不存在：请在 records/vocabularies/{ann}.yaml 中定义。")
                elif value not in terms or terms[value] != value:
                    canonical = terms.get(value)
                    hint = f"请写规范用词“{canonical}”。" if canonical else (
                        _several(value, terms)
                        or _suggest(value, {t for t in terms.values()})
                        or f"可用的词有：{'、'.join(sorted(set(terms.values())))}。"
                    )
                    self.error(f, path, "vocab-term",
                               f"“{shown}”不在词表 {ann} 中：{hint}"
                               f"如确需新词，请先在 records/vocabularies/{ann}.yaml 中添加。")

    def indicator_quote(self, f: Facts) -> None:
        value, quote = f.extra.get("value"), f.extra.get("quote")
        if not isinstance(quote, str) or not isinstance(value, int | float):
            return
        shown = str(int(value)) if float(value).is_integer() else str(value)
        if not re.search(rf"(?<![0-9.]){re.escape(shown)}(?![0-9])", quote):
            self.error(f, ("quote",), "indicator-quote",
                       f"原文中找不到数值 {shown}：请逐字照录包含这个数字的原句，或核对数值。")

    def region_parent(self, f: Facts) -> None:
        code, parent = f.extra.get("id"), f.extra.get("parent")
        if isinstance(code, str) and len(code) == 9 and isinstance(parent, str) and parent != code[:6]:
            self.error(f, ("parent",), "region-parent",
                       f"乡镇代码 {code} 的上级应是县级代码 {code[:6]}，这里写的是 {parent}。")

    def policy_links(self, policies: list[Facts], checked: set[str]) -> None:
        by_id = {p.id: p for p in policies if isinstance(p.id, str)}
        successors: dict[str, list[str]] = {}
        for p in policies:
            if not isinstance(p.id, str):
                continue  # a wrong id is the schema check's to report
            for old in _ids(p.extra.get("supersedes")):
                successors.setdefault(old, []).append(p.id)
        for p in policies:
            if p.file not in checked:
                continue
            # cycle: following supersedes from p comes back to p
            stack, seen = _ids(p.extra.get("supersedes")), set()
            while stack:
                cur = stack.pop()
                if cur == p.id:
                    self.error(p, ("supersedes",), "policy-cycle",
                               "“取代”关系形成了循环（A 取代 B，B 又取代 A）：请检查 supersedes。")
                    break
                if cur in seen or cur not in by_id:
                    continue
                seen.add(cur)
                stack.extend(_ids(by_id[cur].extra.get("supersedes")))
            if p.extra.get("status") == "现行有效" and isinstance(p.id, str) and p.id in successors:
                newer = "、".join(successors[p.id])
                self.error(p, ("status",), "policy-status",
                           f"这份文件已被 {newer} 取代，状态不应是“现行有效”：请改为“已废止”或“已修订”。")


def _ids(value: object) -> list[str]:
    """The record ids in a list such as supersedes; other items are the schema check's to report."""
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
