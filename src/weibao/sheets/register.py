"""Which ledger row became which program record, so importing the same ledger twice updates
instead of duplicating.

imports/<collection>.yaml maps a fingerprint of each 台账编号 to the random record id. The key
itself is not stored: only sha256(collection, key), so the repository does not carry the ledger's
internal numbering (keys are short and restricted to letters, digits and hyphens; see
sheets.yaml). 台账编号 must be unique across all ledgers of a collection: give each unit its
own prefix (LY-2025-017). A record deleted by hand is written again under the same id.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from weibao.load.document import load_settings

HEADER = "# 表格导入登记：台账编号的指纹 → 记录编号。由 weibao import 维护，请勿手改。\n"


class RegisterError(Exception):
    pass


def fingerprint(collection: str, key: str) -> str:
    return hashlib.sha256(f"{collection}\0{key}".encode()).hexdigest()[:20]


def path_of(root: Path, collection: str) -> Path:
    return root / "imports" / f"{collection}.yaml"


def load(root: Path, collection: str) -> dict[str, str]:
    path = path_of(root, collection)
    if not path.is_file():
        return {}
    value, _ = load_settings(path, f"imports/{collection}.yaml", RegisterError)
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise RegisterError(f"imports/{collection}.yaml 格式不对：应是“指纹: 记录编号”的映射。")
    return {str(k): v for k, v in value.items()}


def render(entries: dict[str, str]) -> str:
    return HEADER + "".join(f'"{k}": {v}\n' for k, v in sorted(entries.items()))
