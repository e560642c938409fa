"""The HSDS mapping's data (hsds.yaml) and the stable UUIDs derived from our ids."""

from __future__ import annotations

import hashlib
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


@cache
def _namespace() -> bytes:
    return uuid.UUID(mapping()["uuid_namespace"]).bytes


def stable_uuid(*parts: str) -> str:
    """uuid5 over the fixed namespace: the same id gives the same UUID in every build.

    RFC 4122 §4.3 by hand (what uuid.uuid5 does, without building two UUID objects): a
    directory of 5,000 organisations needs some 400,000 of these per build."""
    b = bytearray(hashlib.sha1(_namespace() + "/".join(parts).encode("utf-8")).digest()[:16])
    b[6] = (b[6] & 0x0F) | 0x50  # version 5
    b[8] = (b[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = b.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
