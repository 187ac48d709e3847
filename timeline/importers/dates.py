"""Dates as other tools write them, read into YYYY, YYYY-MM or YYYY-MM-DD with their precision."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

# The one rule of an end before its start, re-exported for the importers.
from ..dates import ends_before as ends_before
from ..errors import shown
from .common import echo

FIRST_YEAR, LAST_YEAR = 1, 9999
MONTHS = {
    name: number
    for number in range(1, 13)
    for name in (calendar.month_name[number].lower(), calendar.month_abbr[number].lower())
} | {"sept": 9}
EXAMPLES = "e.g. 2022-07-19, 2022-07, 2022, 19 July 2022, July 19, 2022, 9-May-20 or 05/09/2020"


class DateProblem(ValueError):
    """A date that cannot be held: the message says which value and what is expected."""


@dataclass(frozen=True)
class ReadDate:
    """A date as the events file holds it, and the time of day the input gave, if any."""

    iso: str
    time: str | None = None
    two_digit_year: bool = False


def from_parts(year: int, month: int | None, day: int | None, what: str = "") -> str:
    """Return YYYY, YYYY-MM or YYYY-MM-DD from numbers; DateProblem when they are no date."""
    at = f"{what}: " if what else ""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise DateProblem(
            f"{at}year {echo(year)} is outside {FIRST_YEAR} to {LAST_YEAR}, the years an events "
            "file can hold"
        )
    if month is None:
        if day is not None:
            raise DateProblem(f"{at}day {echo(day)} is given without a month (expected both)")
        return f"{year:04d}"
    if not 1 <= month <= 12:
        raise DateProblem(f"{at}month {echo(month)} is not a month (expected 1 to 12)")
    if day is None:
        return f"{year:04d}-{month:02d}"
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise DateProblem(
            f"{at}day {echo(day)} is not a day of {calendar.month_name[month]} {year} "
            f"(expected 1 to {last})"
        )
    return f"{year:04d}-{month:02d}-{day:02d}"


def whole_number(value: object, what: str) -> int | None:
    """Return a date part given as a number or as text (zero-padded or empty: None)."""
    if value is None:
        return None
    if isinstance(value, bool):  # JSON true is no number, though Python says it is
        raise DateProblem(f"{what}: {echo(value)} is not a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise DateProblem(f"{what}: {echo(value)} is not a whole number")
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        # ASCII digits only, and few enough that int() never works for long.
        if re.fullmatch(r"[-+]?[0-9]{1,30}", text):
            return int(text)
        raise DateProblem(f"{what}: {shown(value)} is not a whole number")
    raise DateProblem(f"{what}: expected a number or text, got {type(value).__name__}")


_TIME = re.compile(
    r"(?:[T ]+|,\s*)(?P<time>[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]+)?)?"
    r"(?:\s*[ap]\.?m\.?)?\s*(?:Z|[+-][0-9]{2}:?[0-9]{2}|UTC|GMT)?)$",
    re.IGNORECASE,
)
_ERA = re.compile(r"\b(?:BC|BCE|B\.C\.)$", re.IGNORECASE)
_NUM_SEP = r"[-/.]"
_YEAR = re.compile(r"[0-9]{1,4}")
_Y_M = re.compile(rf"([0-9]{{4}}){_NUM_SEP}([0-9]{{1,2}})")
_Y_M_D = re.compile(rf"([0-9]{{4}})({_NUM_SEP})([0-9]{{1,2}})\2([0-9]{{1,2}})")
_A_B_Y = re.compile(rf"([0-9]{{1,2}})({_NUM_SEP})([0-9]{{1,2}})\2([0-9]{{4}}|[0-9]{{2}})")
_M_Y = re.compile(rf"([0-9]{{1,2}}){_NUM_SEP}([0-9]{{4}})")
_ORDINAL = r"(?:st|nd|rd|th)?"
_D_MON_Y = re.compile(
    rf"([0-9]{{1,2}}){_ORDINAL}(?:\s+of)?[-\s/.]+([a-z]+)\.?,?[-\s/.]+([0-9]{{4}}|[0-9]{{2}})"
)
_MON_D_Y = re.compile(rf"([a-z]+)\.?\s+([0-9]{{1,2}}){_ORDINAL},?\s+([0-9]{{4}})")
_MON_Y = re.compile(r"([a-z]+)\.?,?[-\s/]+([0-9]{4})")


def read_date(text: str, dayfirst: bool = False, what: str = "date") -> ReadDate:
    """Read a date in a common spelling, keeping the precision it is written with.

    `dayfirst` reads 05/09/2020 as 5 September rather than May 9. Two-digit years are read
    as strptime's %y does: 69 to 99 are 1969 to 1999, 00 to 68 are 2000 to 2068.
    """
    raw = " ".join(text.split())
    if not raw:
        raise DateProblem(f"{what}: empty (expected a date, {EXAMPLES})")
    if _ERA.search(raw):
        raise DateProblem(
            f"{what}: {shown(raw)} is before year {FIRST_YEAR}, which an events file cannot hold"
        )
    time = None
    if m := _TIME.search(raw):
        time, raw = m.group("time"), raw[: m.start()].strip()
    low = raw.lower()
    try:
        iso, short = _read(low, dayfirst)
    except DateProblem as err:
        raise DateProblem(f"{what}: {shown(text.strip())}: {err}") from None
    if iso is None:
        hint = " or the other order with --dayfirst" if _A_B_Y.fullmatch(low) else ""
        raise DateProblem(f"{what}: {shown(text.strip())} is not a date ({EXAMPLES}{hint})")
    return ReadDate(iso, time, short)


def _year(digits: str) -> tuple[int, bool]:
    if len(digits) == 2:
        n = int(digits)
        return (2000 + n if n < 69 else 1900 + n), True
    return int(digits), False


def _month(name: str) -> int:
    if name not in MONTHS:
        raise DateProblem(f"{echo(name)} is not a month name (expected e.g. July or Jul)")
    return MONTHS[name]


def _read(low: str, dayfirst: bool) -> tuple[str | None, bool]:
    if re.fullmatch(r"-[0-9]{1,30}", low):  # a year before 1, said as such below
        return from_parts(int(low), None, None), False
    if _YEAR.fullmatch(low):
        return from_parts(int(low), None, None), False
    if m := _Y_M.fullmatch(low):
        return from_parts(int(m[1]), int(m[2]), None), False
    if m := _Y_M_D.fullmatch(low):
        return from_parts(int(m[1]), int(m[3]), int(m[4])), False
    if m := _A_B_Y.fullmatch(low):
        first, second = int(m[1]), int(m[3])
        day, month = (first, second) if dayfirst else (second, first)
        if month > 12:
            order = "day/month/year" if dayfirst else "month/day/year (without --dayfirst)"
            raise DateProblem(f"month {month} is not a month, read as {order}")
        year, short = _year(m[4])
        return from_parts(year, month, day), short
    if m := _M_Y.fullmatch(low):
        return from_parts(int(m[2]), int(m[1]), None), False
    if m := _D_MON_Y.fullmatch(low):
        year, short = _year(m[3])
        return from_parts(year, _month(m[2]), int(m[1])), short
    if m := _MON_D_Y.fullmatch(low):
        return from_parts(int(m[3]), _month(m[1]), int(m[2])), False
    if m := _MON_Y.fullmatch(low):
        return from_parts(int(m[2]), _month(m[1]), None), False
    return None, False


def from_datetime(value: dt.date, precision: str = "day") -> ReadDate:
    """Return a spreadsheet's date cell at the precision its number format shows."""
    iso = from_parts(
        value.year,
        value.month if precision in ("month", "day") else None,
        value.day if precision == "day" else None,
    )
    time = None
    if isinstance(value, dt.datetime) and value.time() != dt.time(0):
        time = value.time().isoformat(timespec="minutes")
    return ReadDate(iso, time)


def parse_option_date(text: str) -> tuple[dt.date, dt.date]:
    """Return the first and last day of YYYY, YYYY-MM or YYYY-MM-DD, for --from and --to."""
    m = re.fullmatch(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?", text.strip())
    if not m:
        raise DateProblem(f"{shown(text)} is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)")
    year = int(m[1])
    month = int(m[2]) if m[2] else None
    day = int(m[3]) if m[3] else None
    try:
        from_parts(year, month, day)
    except DateProblem as err:
        raise DateProblem(f"{shown(text)}: {err}") from None
    first = dt.date(year, month or 1, day or 1)
    if day is not None:
        return first, first
    if month is not None:
        return first, first.replace(day=calendar.monthrange(year, month)[1])
    return first, dt.date(year, 12, 31)
