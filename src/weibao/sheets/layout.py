"""How the records of a collection are laid out in a workbook; decided from the schema alone.

- One row per record on the main sheet. A field is one column whose header is the field's
  Chinese title; fields of a nested object are columns titled "对象·字段" (来源·来源文件).
- A list of plain values (儿童类别, 星期) is one cell, items separated by "、".
- A list of objects (风险等级, 服务, 电话, 开放时段) is its own sheet: one row per item, in order,
  tied to its record by the key column. Lists of objects inside those are not supported in
  spreadsheets (none exist in the schemas today); such a field is listed on the rules sheet.
- The key column comes first on every sheet: for public collections it is the record's 编号
  (the file name); program records have no id column (ids are random and made on import), their
  key is 台账编号, the ledger's own row number, kept only as a fingerprint (see importer.py).
- Fields with a fixed value (const, e.g. synthetic: true) have no column: import writes the value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from weibao.check.annotations import _resolve
from weibao.repo import Repository
from weibao.sheets.settings import settings

MONTH = re.compile(r"^\^\[0-9\]\{4\}-\(0\[1-9\]")
TIME = re.compile(r"^\^\(\[01\]\[0-9\]")


@dataclass(eq=False)  # identity: the same key column object stands on every sheet
class Column:
    header: str
    path: tuple[str, ...]  # inside the record (main sheet) or inside one list item
    kind: str  # text | integer | number | boolean | month | date | time
    is_list: bool = False  # a list of plain values in one cell
    required: bool = False
    description: str = ""
    hint: str = ""
    pattern: str | None = None
    enum: tuple = ()
    vocabulary: str | None = None
    ref: str | None = None
    contact: bool = False
    key: bool = False  # the key column

    @property
    def field_name(self) -> str:
        return ".".join(self.path)


@dataclass
class Sheet:
    name: str
    list_path: tuple[str, ...] | None  # None: the main sheet
    title: str = ""
    description: str = ""
    required: bool = False  # the list must have at least one item
    columns: list[Column] = field(default_factory=list)


@dataclass
class Layout:
    collection: str
    title: str
    program: bool
    key: Column
    sheets: list[Sheet]
    fixed: dict[tuple[str, ...], object]  # const fields, written on import
    unsupported: list[str]  # field titles that cannot be filled in a spreadsheet

    @property
    def main(self) -> Sheet:
        return self.sheets[0]


def _kind(node: dict) -> str:
    t = node.get("type")
    if t in ("integer", "number", "boolean"):
        return str(t)
    pattern = node.get("pattern") or ""
    if node.get("format") == "date":
        return "date"
    if MONTH.match(pattern):
        return "month"
    if TIME.match(pattern):
        return "time"
    return "text"


def _sheet_name(title: str) -> str:
    name = re.split(r"[（(]", title)[0].strip() or title
    return re.sub(r"[\[\]:*?/\\]", "", name)[:31]


class _Builder:
    def __init__(self, repo: Repository, collection: str) -> None:
        self.repo = repo
        self.shared = repo.shared_schemas
        self.schema = repo.schemas[collection]
        self.program = repo.is_program(collection)
        self.fixed: dict[tuple[str, ...], object] = {}
        self.unsupported: list[str] = []
        self.sheets: list[Sheet] = []

    def resolve(self, node: object, doc: dict) -> tuple[dict, dict]:
        return _resolve(node, self.shared, doc) if isinstance(node, dict) else ({}, doc)

    def columns(
        self, node: dict, doc: dict, path: tuple[str, ...], titles: tuple[str, ...],
        required: bool, in_list: bool, out: list[Column], top: bool,
    ) -> None:
        needed = set(node.get("required", []))
        for name, raw in (node.get("properties") or {}).items():
            sub, sub_doc = self.resolve(raw, doc)
            title = sub.get("title") or name
            here = (*path, name)
            req = required and name in needed
            if top and name == "id":
                continue  # the key column stands for it
            if "const" in sub:
                self.fixed[here] = sub["const"]
                continue
            if sub.get("type") == "object" and "properties" in sub:
                self.columns(sub, sub_doc, here, (*titles, title), req, in_list, out, False)
                continue
            if sub.get("type") == "array":
                item, item_doc = self.resolve(sub.get("items"), sub_doc)
                if item.get("type") == "object":
                    if in_list:
                        self.unsupported.append("·".join((*titles, title)))
                        continue
                    self.child_sheet(sub, item, item_doc, here, title, req)
                    continue
                out.append(self.column(item, here, (*titles, title), req, sub, is_list=True))
                continue
            out.append(self.column(sub, here, (*titles, title), req, sub))

    def column(
        self, node: dict, path: tuple[str, ...], titles: tuple[str, ...], required: bool,
        outer: dict, is_list: bool = False,
    ) -> Column:
        alt = next((self.resolve(a, {})[0] for a in node.get("oneOf", []) if "$ref" in a), {})
        pattern = node.get("pattern") or alt.get("pattern")
        enum = tuple(node.get("enum") or ())
        if not enum and node.get("oneOf"):
            enum = tuple(a["const"] for a in node["oneOf"] if "const" in a)
        return Column(
            header="·".join(titles),
            path=path,
            kind=_kind(node),
            is_list=is_list,
            required=required,
            description=outer.get("description") or node.get("description") or "",
            hint=node.get("x-hint") or alt.get("x-hint") or "",
            pattern=pattern,
            enum=enum,
            vocabulary=node.get("x-vocabulary"),
            ref=node.get("x-ref") or alt.get("x-ref"),
            contact=bool(node.get("x-contact") or outer.get("x-contact")),
        )

    def child_sheet(self, array: dict, item: dict, doc: dict, path: tuple[str, ...], title: str, required: bool) -> None:
        sheet = Sheet(
            name=_sheet_name(title), list_path=path, title=title,
            description=array.get("description", ""),
            required=required and int(array.get("minItems", 0)) > 0,
        )
        self.columns(item, doc, (), (), True, True, sheet.columns, False)
        self.sheets.append(sheet)


def layout(repo: Repository, collection: str) -> Layout:
    b = _Builder(repo, collection)
    schema = b.schema
    main = Sheet(name=_sheet_name(schema.get("title", collection)), list_path=None,
                 title=schema.get("title", collection), description=schema.get("description", ""))
    b.columns(schema, schema, (), (), True, False, main.columns, True)
    if b.program:
        s = settings()
        key = Column(header=s.key_header, path=(), kind="text", required=True, key=True,
                     description="本台账自己的行编号，如 " + s.key_example + "：再次导入同一台账时用它认出"
                     "同一条记录（不会重复），它本身不写进记录。只能用字母、数字和连字符，"
                     "连续数字不超过 " + str(s.key_max_digit_run) + " 位；不能写姓名、身份证号、电话。")
    else:
        id_node, _ = b.resolve(schema["properties"]["id"], schema)
        key = Column(header=id_node.get("title", "编号"), path=("id",), kind="text", required=True,
                     key=True, description=id_node.get("description", ""),
                     hint=id_node.get("x-hint", ""), pattern=id_node.get("pattern"))
    sheets = [main, *b.sheets]
    taken = {main.name}
    for sheet in b.sheets:
        if sheet.name in taken:
            sheet.name = _sheet_name(f"{main.name}{sheet.title}")
        taken.add(sheet.name)
    for sheet in sheets:
        sheet.columns.insert(0, key)
        seen: set[str] = set()
        for col in sheet.columns[1:]:
            if col.header in seen or col.header == key.header:
                col.header = f"{col.header}（{col.field_name}）"
            seen.add(col.header)
    return Layout(collection, schema.get("title", collection), b.program, key, sheets, b.fixed, b.unsupported)
