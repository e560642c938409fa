"""Bar charts as HTML and CSS beside the data table: the labels and numbers are page text, so
they keep the page's font size on a 360 px phone (an SVG drawn wide and scaled down shrank them
to about 5 px), reflow, translate and read aloud; nothing is drawn by a library or loaded.

A withheld value ("<5", "×") gets no bar, only its mark. The bar lengths are decoration
(aria-hidden); the numbers are always written out.
"""

from __future__ import annotations

from weibao.site.text import esc


def bar_chart(title: str, labels: list[str], values: list[float | None], marks: list[str],
              unit: str) -> str:
    """One chart: a titled list of rows "label ▇▇▇ value", widths relative to the largest value."""
    top = max((v for v in values if v is not None), default=0) or 1
    rows = []
    for label, value, mark in zip(labels, values, marks, strict=True):
        if value is None:
            bar, text = "", mark
        else:
            width = max(round(100 * value / top, 1), 0.5 if value > 0 else 0)
            bar = f'<span class="wb-bar" style="width:{width}%"></span>'
            text = f"{value:g}"
        rows.append(
            f'<li><span class="wb-bars__label">{esc(label)}</span>'
            f'<span class="wb-bars__track" aria-hidden="true">{bar}</span>'
            f'<span class="wb-bars__value">{esc(text)}</span></li>'
        )
    unit_text = f"（单位：{esc(unit)}）" if unit else ""
    return (
        f'<figure class="wb-bars"><figcaption>{esc(title)}{unit_text}</figcaption>'
        f'<ul>{"".join(rows)}</ul></figure>'
    )
