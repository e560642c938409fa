"""Periods (month, quarter, year) as lists of months, and when a period may be published.

A period is published only once it has closed and `lag_days` more have passed, so late entries
are in before the figures are frozen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Period:
    key: str  # "2024", "2024-Q1", "2024-03"
    grain: str
    months: tuple[str, ...]  # "YYYY-MM", in order

    @property
    def year(self) -> str:
        return self.key[:4]

    @property
    def first(self) -> str:
        return self.months[0]

    @property
    def last(self) -> str:
        return self.months[-1]

    @property
    def end(self) -> dt.date:
        y, m = int(self.last[:4]), int(self.last[5:7])
        nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        if self.grain == "year":
            return f"{self.key}年"
        if self.grain == "quarter":
            return f"{self.key[:4]}年第{'一二三四'[int(self.key[-1]) - 1]}季度"
        return f"{self.key[:4]}年{int(self.key[5:7])}月"


def period_of(month: str, grain: str) -> Period:
    """The period of the given grain that contains month ("YYYY-MM")."""
    y, m = month[:4], int(month[5:7])
    if grain == "year":
        return Period(y, grain, tuple(f"{y}-{i:02d}" for i in range(1, 13)))
    if grain == "quarter":
        q = (m - 1) // 3 + 1
        return Period(f"{y}-Q{q}", grain, tuple(f"{y}-{i:02d}" for i in range(3 * q - 2, 3 * q + 1)))
    return Period(month[:7], grain, (month[:7],))


def periods_between(first: str, last: str, grain: str) -> list[Period]:
    """Every period of grain from the one holding month first to the one holding month last."""
    out: list[Period] = []
    y, m = int(first[:4]), int(first[5:7])
    while f"{y:04d}-{m:02d}" <= last:
        p = period_of(f"{y:04d}-{m:02d}", grain)
        if not out or out[-1] != p:
            out.append(p)
        m += 1
        if m == 13:
            y, m = y + 1, 1
    return out


def is_closed(period: Period, today: dt.date, lag_days: int) -> bool:
    """Publishable: the period ended more than lag_days before today."""
    return today > period.end + dt.timedelta(days=lag_days)
