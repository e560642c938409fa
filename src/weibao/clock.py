"""The one clock: "today" is the date in the repository's time zone (weibao.yaml `timezone`).

GitHub runners use UTC; a hotline verified at 00:30 in Beijing is verified "today" there even
though UTC is still on yesterday. Nothing else in weibao asks the machine for the date.
"""

from __future__ import annotations

import argparse
import datetime as dt
from zoneinfo import ZoneInfo


def now_utc() -> dt.datetime:
    """The current instant (tests replace this to stand at a chosen moment)."""
    return dt.datetime.now(dt.UTC)


def today(zone: ZoneInfo) -> dt.date:
    """Today's date in zone."""
    return now_utc().astimezone(zone).date()


def date_argument(value: str) -> dt.date:
    """The argparse type of every `--today`: a YYYY-MM-DD date, or a usage error (exit 2)."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"“{value}”不是日期：请写成 YYYY-MM-DD，如 2026-12-01。") from err
