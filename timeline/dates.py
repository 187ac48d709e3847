"""Partial dates: a year, a month or a day, with the precision kept."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from .errors import shown

Precision = Literal["year", "month", "day"]

# ASCII digits only: Python's \d would also take Arabic-Indic and other digits.
DATE_PATTERN = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
_DATE_RE = re.compile(DATE_PATTERN)
EXPECTED = "expected YYYY, YYYY-MM or YYYY-MM-DD"


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the year, the month or the day."""

    first: dt.date
    precision: Precision

    @property
    def last(self) -> dt.date:
        """Return the last day of the period this date stands for."""
        if self.precision == "day":
            return self.first
        if self.precision == "month":
            days = calendar.monthrange(self.first.year, self.first.month)[1]
            return self.first.replace(day=days)
        return self.first.replace(month=12, day=31)

    def iso(self) -> str:
        """Return the date as written in the data file (YYYY, YYYY-MM or YYYY-MM-DD)."""
        return self.first.isoformat()[: {"year": 4, "month": 7, "day": 10}[self.precision]]

    def label(self) -> str:
        """Return the date for people, as precise as it is known ('July 2022')."""
        d = self.first
        if self.precision == "year":
            return str(d.year)
        if self.precision == "month":
            return f"{d:%B} {d.year}"
        return f"{d.day} {d:%B} {d.year}"

    def __str__(self) -> str:
        return self.iso()


def parse_partial_date(text: str) -> PartialDate:
    """Parse YYYY, YYYY-MM or YYYY-MM-DD, raising ValueError with the expected forms."""
    if not isinstance(text, str) or not _DATE_RE.fullmatch(text):
        raise ValueError(f"{shown(text)} is not a valid date ({EXPECTED})")
    parts = [int(p) for p in text.split("-")]
    precision: Precision = ("year", "month", "day")[len(parts) - 1]
    year, month, day = [*parts, 1, 1][:3]
    try:
        first = dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"{shown(text)} is not a valid date ({EXPECTED})") from None
    return PartialDate(first, precision)


def lies_before(end_last: Any, start_first: Any) -> Any:
    """Say whether an end lies wholly before its start: its last day before the start's first.

    The one statement of the rule, for two dates or two arrays of days (the fast path).
    """
    return end_last < start_first


def ends_before(
    start: str, end: str, start_time: str | None = None, end_time: str | None = None
) -> bool:
    """Say whether the date `end` lies wholly before `start`; ValueError if either is no date.

    With times of day ("HH:MM"), the start is its first day at its time, the end its last
    day at its end time; a missing time is the day's start, a missing end time its end.
    """
    last = np.datetime64(parse_partial_date(end).last, "s")
    first = np.datetime64(parse_partial_date(start).first, "s")
    if start_time is None and end_time is None:
        return bool(lies_before(last, first))
    later = day_part(np.array([end_time or ""]), end_of_day=True)[0]
    return bool(lies_before(last + later, first + day_part(np.array([start_time or ""]))[0]))


_DAY_SECONDS = 24 * 3600


def day_part(times: np.ndarray, end_of_day: bool = False) -> np.ndarray:
    """Return times of day ("HH:MM", or "" for none) as durations since midnight, in seconds.

    A missing time is the day's start, or with `end_of_day` its last second (an end).
    """
    times = np.asarray(times, dtype=str)
    given = np.char.str_len(times) == 5
    # Each "HH:MM" as its five code points, digits read off at once (no Python per time).
    codes = np.where(given, times, "00:00").astype("U5").view(np.uint32).reshape(-1, 5)
    digits = codes.astype(np.int64) - ord("0")
    seconds = (digits[:, 0] * 10 + digits[:, 1]) * 3600 + (digits[:, 3] * 10 + digits[:, 4]) * 60
    seconds = np.where(given, seconds, _DAY_SECONDS - 1 if end_of_day else 0)
    return seconds.astype("timedelta64[s]")


def span_label(start: PartialDate, end: PartialDate | None) -> str:
    """Return a date or a span for people ('19 July 2022', '19–21 July 2022')."""
    if end is None or end == start:
        return start.label()
    a, b = start.first, end.first
    if start.precision == end.precision == "day":
        if (a.year, a.month) == (b.year, b.month):
            return f"{a.day}–{b.day} {a:%B} {a.year}"
        if a.year == b.year:
            return f"{a.day} {a:%B} – {b.day} {b:%B} {a.year}"
    return f"{start.label()} – {end.label()}"


def day_stamp(day: dt.date | np.datetime64) -> pd.Timestamp:
    """Return a day as a Timestamp at second resolution, which holds any year from 1 to 9999."""
    return pd.Timestamp(np.datetime64(day, "s"))  # type: ignore[call-overload]


def seconds(**parts: Any) -> pd.Timedelta:
    """Return a duration at second resolution: nanoseconds would overflow past 292 years."""
    return pd.Timedelta(**(parts or {"seconds": 0})).as_unit("s")


_FIRST_DAY = np.datetime64("0001-01-01", "s")
_AFTER_LAST_DAY = np.datetime64("10000-01-01", "s")


def within_calendar(start: pd.Timestamp, end: pd.Timestamp) -> list[pd.Timestamp]:
    """Return an axis range cut to years 1 to 9999, the days a chart (and Python) can name."""
    return [clip_day(start), clip_day(end)]


def clip_day(moment: pd.Timestamp) -> pd.Timestamp:
    """Return a moment moved into years 1 to 9999 (the end of a period of 9999 is past it)."""
    second = np.datetime64(moment, "s")
    return pd.Timestamp(min(max(second, _FIRST_DAY), _AFTER_LAST_DAY - np.timedelta64(1, "s")))
