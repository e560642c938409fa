"""The policy settings file (policy.yaml beside this module), read once."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent


@cache
def settings() -> dict[str, Any]:
    return yaml.safe_load((HERE / "policy.yaml").read_text(encoding="utf-8"))
