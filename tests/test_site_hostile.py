"""Hostile text in every free-text field of every public record and in weibao.yaml: the built
site shows it as text, never as markup, and never publishes a staff note or a source's id."""

from __future__ import annotations

import html
import html.parser
import importlib.util
import re
from pathlib import Path

import pytest

from weibao.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "site"


def hostile_module():
    spec = importlib.util.spec_from_file_location("site_hostile_repo", FIXTURES / "hostile_repo.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[str]]:
    base = tmp_path_factory.mktemp("hostile")
    repo, internal = hostile_module().make(base / "repo")
    out = base / "public"
    assert main(["--root", str(repo), "build", "--out", str(out), "--today", "2025-01-15"]) == 0
    return repo, out, internal


class _Page(html.parser.HTMLParser):
    """Start tags with attributes, script bodies and the visible text of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self._stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self._stack:
            del self._stack[self._stack.index(tag):]

    def handle_data(self, data):
        if self._stack and self._stack[-1] == "script":
            self.scripts.append(data)
        elif not self._stack or self._stack[-1] not in ("style", "title"):
            self.text.append(data)


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def test_every_payload_reaches_a_page_as_text(hostile):
    """The test means something: each payload is on the site, shown literally."""
    _, out, _ = hostile
    text = "".join("".join(_parse(p).text) for p in out.rglob("*.html"))
    for payload in hostile_module().PAYLOADS:
        assert payload in text, payload


def test_no_payload_becomes_markup(hostile):
    """No element, attribute or URL scheme from a record or a setting is live on any page."""
    _, out, _ = hostile
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        page = _parse(path)
        for tag, attrs in page.tags:
            assert tag not in ("iframe", "object", "embed", "frame"), (path, tag, attrs)
            for name, value in attrs.items():
                assert not name.startswith("on"), (path, tag, name)
                assert not re.match(r"\s*javascript:", html.unescape(value), re.IGNORECASE), (path, tag, value)
                assert "evil.invalid/\"" not in value, (path, tag, value)
        for script in page.scripts:
            assert "alert(" not in script, path


def test_no_staff_note_or_source_id_is_published(hostile):
    """Staff notes (x-internal fields) are in no published file; source ids are in no page text."""
    repo, out, internal = hostile
    assert internal, "the fixture must carry staff notes"
    source_ids = [p.stem for p in (repo / "records" / "sources").glob("*.yaml")]
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".csv", ".xml", ".txt", ".js"):
            body = path.read_text(encoding="utf-8", errors="replace")
            for marker in internal:
                assert marker not in body, (path, marker)
    for path in out.rglob("*.html"):
        text = "".join(_parse(path).text)
        for sid in source_ids:
            assert sid not in text, (path, sid)
