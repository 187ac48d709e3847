"""Partial dates: a year, a month or a day, with the precision kept."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

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
        raise ValueError(f"{text!r} is not a valid date ({EXPECTED})")
    parts = [int(p) for p in text.split("-")]
    precision: Precision = ("year", "month", "day")[len(parts) - 1]
    year, month, day = [*parts, 1, 1][:3]
    try:
        first = dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"{text!r} is not a valid date ({EXPECTED})") from None
    return PartialDate(first, precision)


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
