"""The one value every detector returns."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    kind: str  # rule id: "id-number", "phone", "email", "bank-card", "birth-date", "address",
    #            "plate", "im-account", "person-name"
    start: int  # character offset in the scanned text
    end: int
    masked: str  # the identifier, masked for public CI logs: "3706**********123X"
    message: str  # Chinese: what was found (masked) and what to do instead
