"""The HSDS mapping's data (hsds.yaml) and the stable UUIDs derived from our ids."""

from __future__ import annotations

import uuid
from functools import cache
from pathlib import Path
from typing import Any

import yaml

STANDARD = Path(__file__).with_name("standard")
# the standard's own tabular package (Open Referral HSDS 3.0, CC BY-SA 4.0)
HSDS_DATAPACKAGE = STANDARD / "hsds-3.0-datapackage.json"


@cache
def mapping() -> dict[str, Any]:
    return yaml.safe_load(Path(__file__).with_name("hsds.yaml").read_text(encoding="utf-8"))


def stable_uuid(*parts: str) -> str:
    """uuid5 over the fixed namespace: the same id gives the same UUID in every build."""
    namespace = uuid.UUID(mapping()["uuid_namespace"])
    return str(uuid.uuid5(namespace, "/".join(parts)))
