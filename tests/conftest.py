"""Shared fixtures: small, real data repositories built in a temporary folder."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def make_repo(tmp_path: Path) -> Callable[..., Path]:
    """A data repository with the project's schemas and vocabularies and a few base records.

    Call it with {"records/orgs/x.yaml": "yaml text", ...} to add or override files.
    """

    def make(files: dict[str, str] | None = None, *, base: bool = True) -> Path:
        root = tmp_path / "repo"
        if not root.exists():
            shutil.copytree(ROOT / "schemas", root / "schemas")
            shutil.copytree(ROOT / "records" / "vocabularies", root / "records" / "vocabularies")
            (root / "weibao.yaml").write_text(
                "jurisdiction:\n  name: 测试地区\n  regions: ['370682']\n", encoding="utf-8"
            )
            if base:
                shutil.copytree(FIXTURES / "base", root, dirs_exist_ok=True)
        for rel, text in (files or {}).items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return root

    return make
