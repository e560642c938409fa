"""Generated pages kept with the inputs they were made from, for the live preview.

A page is made again only when its inputs differ (==; records the preview did not re-read are the
same objects, so the comparison is an identity check). Every value a page function reads must
be among its inputs: the section's shared inputs (regions, sources, the date) or the page's own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class PageMemo:
    def __init__(self) -> None:
        self._shared: dict[str, Any] = {}
        self._pages: dict[str, dict[str, tuple[Any, str]]] = {}
        self.made = 0  # pages made (not reused) since the last reset, for the serve log

    def section(self, name: str, shared: Any) -> dict[str, tuple[Any, str]]:
        """The pages of a section; all forgotten when its shared inputs changed."""
        if name not in self._shared or self._shared[name] != shared:
            self._shared[name] = shared
            self._pages[name] = {}
        return self._pages[name]


def cached(pages: dict[str, tuple[Any, str]] | None, page: str, inputs: Any,
           make: Callable[[], str]) -> str:
    """make(), or the text made last time from equal inputs (pages is None: no memo, a build)."""
    if pages is None:
        return make()
    old = pages.get(page)
    if old is not None and old[0] == inputs:
        return old[1]
    text = make()
    pages[page] = (inputs, text)
    return text
