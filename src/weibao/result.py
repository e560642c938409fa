"""Errors as values: every check returns Error objects; the Result groups them."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Error:
    """One problem in one file, located as precisely as we can."""

    file: str  # path relative to the repository root, with forward slashes
    line: int  # 1-based; 0 when the problem concerns the whole file
    column: int  # 1-based; 0 when unknown
    path: str  # where in the record, e.g. "phones[1]"; "" for the whole file
    rule: str  # stable id of the check, e.g. "yaml-duplicate-key"
    message: str  # Chinese, says what is wrong and how to fix it

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "rule": self.rule,
            "message": self.message,
        }


@dataclass
class Result:
    """What a validation run found: how many files were checked, and every error."""

    checked: int = 0
    errors: list[Error] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def sorted_errors(self) -> list[Error]:
        return sorted(set(self.errors))

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1
