"""The TimelineJS Google Sheets template, downloaded as CSV: columns found by their headers."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..errors import shown
from ..schema import Event, Media
from ..text import shorten
from .common import (
    PENDING_ID,
    Builder,
    Imported,
    ImportFailure,
    Options,
    Skip,
    echo,
    file_title,
    joined,
    one_line,
    period,
    replaced,
)
from .dates import DateProblem, ends_before, from_parts, whole_number
from .format import KIND, ImportFormat
from .htmltext import html_to_text, web_url
from .rows import Row, import_rows, read_table

TITLE_LENGTH = 80
# The template's columns, by the name this module uses; each matched by any of its headers.
COLUMNS: dict[str, tuple[str, ...]] = {
    "year": ("year",),
    "month": ("month",),
    "day": ("day",),
    "time": ("time",),
    "end year": ("end year",),
    "end month": ("end month",),
    "end day": ("end day",),
    "end time": ("end time",),
    "display date": ("display date",),
    "headline": ("headline",),
    "text": ("text",),
    "media": ("media",),
    "media credit": ("media credit",),
    "media caption": ("media caption",),
    "media thumbnail": ("media thumbnail",),
    "alt text": ("alt text",),
    "type": ("type",),
    "group": ("group", "tag"),  # older templates call it Tag
    "background": ("background",),
}
EXPECTED = "a TimelineJS sheet saved as CSV, with headers such as Year, Month, Day, Headline, Text"
# Columns read on every row; the rest are reported where a row had something in them.
_EVENT_COLUMNS = frozenset(COLUMNS) - {"media thumbnail"}
_TITLE_COLUMNS = frozenset({"headline", "text", "type"})
_ERA_COLUMNS = frozenset(
    {"year", "month", "day", "time", "end year", "end month", "end day", "end time"}
    | {"headline", "text", "type"}
)


def _key(header: str) -> str:
    return " ".join(header.lower().replace("_", " ").split())


@dataclass(frozen=True)
class _Columns:
    """Which header holds each of the template's columns (None when the sheet lacks it)."""

    by_name: dict[str, str]

    def cell(self, row: Row, name: str) -> str:
        """Return the cell of one of the template's columns, stripped."""
        return row.get(self.by_name.get(name))


def _find_columns(headers: list[str]) -> _Columns:
    found: dict[str, str] = {}
    for header in headers:
        key = _key(header)
        for name, spellings in COLUMNS.items():
            if key in spellings and name not in found:
                found[name] = header
    missing = [n.title() for n in ("year", "headline") if n not in found]
    if missing:
        listed = ", ".join(echo(h) for h in headers[:12])
        raise ImportFailure(
            "1",
            f"no {' or '.join(repr(m) for m in missing)} column (expected {EXPECTED}; "
            f"found {listed})",
        )
    return _Columns(found)


def _date(cols: _Columns, row: Row, prefix: str) -> str | None:
    parts = [
        whole_number(cols.cell(row, f"{prefix}{p}"), f"{prefix.title()}{p.title()}")
        for p in ("year", "month", "day")
    ]
    year, month, day = parts
    if year is None:
        if month is not None or day is not None:
            raise DateProblem(f"{prefix.title()}Year: missing (expected a year from 1 to 9999)")
        return None
    return from_parts(year, month, day, f"{prefix.title()}Year/Month/Day")


def _time_note(column: str, value: str, why: str = "the events file holds dates only") -> str:
    return f"The time of day in {column} ({value}) was dropped: {why}."


# A sheet's time of day as people type it: 14:30, 9:05:30, 10:30 AM, 2 pm, 2:30 p.m.
_CLOCK = re.compile(
    r"(?P<h>[0-9]{1,2})(?::(?P<m>[0-9]{2})(?::(?P<s>[0-9]{2})(?:[.,][0-9]+)?)?)?"
    r"\s*(?:(?P<half>[ap])\.?\s*m\.?)?",
    re.IGNORECASE,
)


def clock(text: str) -> str | None:
    """Return a typed time of day as HH:MM, 24-hour ('2:30 PM' -> '14:30'), or None."""
    found = _CLOCK.fullmatch(text.strip())
    if not found or (found["half"] is None and found["m"] is None):
        return None  # a bare number is no time of day
    hour, minute = int(found["h"]), int(found["m"] or 0)
    if found["half"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if found["half"].lower() == "p" else 0)
    return f"{hour:02d}:{minute:02d}" if hour <= 23 and minute <= 59 else None


def _times(
    cells: tuple[str, str], start: str, end: str | None
) -> tuple[str | None, str | None, list[str]]:
    """Return the Time and End Time of an event row as HH:MM, and notes on what is dropped.

    A time goes with a whole day; End Time with Time and an end not before the start.
    """
    notes: list[str] = []
    typed, typed_end = (c.strip() for c in cells)
    time = clock(typed) if typed else None
    if typed and (time is None or len(start) != 10):
        why = "not a time of day" if time is None else "the date is not a whole day"
        notes.append(_time_note("Time", typed, why))
        time = None
    if not typed_end or end is None:
        return time, None, notes
    end_time = clock(typed_end)
    if end_time is None:
        why = "not a time of day"
    elif time is None:
        why = "the start has no time of day"
    elif len(end) != 10:
        why = "the end is not a whole day"
    else:
        why = "it is before the start's" if ends_before(start, end, time, end_time) else ""
    if why:
        notes.append(_time_note("End Time", typed_end, why))
        end_time = None
    return time, end_time, notes


@dataclass
class _Sheet:
    cols: _Columns
    builder: Builder
    options: Options
    source: str
    title: str | None = None
    description: str | None = None

    def left_out(self, row: Row, read: frozenset[str], note: str = "") -> None:
        by_header = {h: n for n, h in self.cols.by_name.items()}
        for header, value in row.cells.items():
            if value.strip() and by_header.get(header) not in read:
                self.builder.report.left_out(f"{header}{note}")
        if row.extra:
            self.builder.report.left_out("(cells beyond the last header)")

    def add(self, row: Row) -> None:
        kind = _key(self.cols.cell(row, "type"))
        if kind == "title":
            self.title_row(row)
        elif kind == "era":
            self.era_row(row)
        else:
            self.event_row(row)

    def title_row(self, row: Row) -> None:
        if self.title is not None:
            raise Skip("a second title row (only the first one titles the file)")
        self.left_out(row, _TITLE_COLUMNS, " on the title row")
        self.title = one_line(html_to_text(self.cols.cell(row, "headline")))
        self.description = html_to_text(self.cols.cell(row, "text")) or None

    def era_row(self, row: Row) -> None:
        start = _date(self.cols, row, "")
        if start is None:
            raise Skip("an era without a Year (expected a year from 1 to 9999)")
        end = _date(self.cols, row, "end ")
        if end and ends_before(start, end):
            raise Skip(f"the era ends ({end}) before it starts ({start})")
        headline = one_line(html_to_text(self.cols.cell(row, "headline")))
        body = html_to_text(self.cols.cell(row, "text"))
        title = headline or shorten(body, TITLE_LENGTH)
        if not title:
            raise Skip("an era without Headline or Text")
        notes = [body] if headline and body else []
        for column in ("time", "end time"):
            if value := self.cols.cell(row, column):
                notes.append(_time_note(column.title(), value, "a period holds dates only"))
        self.left_out(row, _ERA_COLUMNS, " on an era row")
        self.builder.periods.append(period(title, start, end, joined(notes)))

    def event_row(self, row: Row) -> None:
        where = str(row.line)
        report = self.builder.report
        cell = self.cols.cell
        start = _date(self.cols, row, "")
        if start is None:
            raise Skip("no Year (expected a year from 1 to 9999)")
        end = None
        try:
            end = _date(self.cols, row, "end ")
        except DateProblem as err:
            report.change(where, f"imported without its end: {err}")
        if end and ends_before(start, end):
            report.change(where, f"imported without its end: {end} is before {start}")
            end = None
        time, end_time, notes = _times((cell(row, "time"), cell(row, "end time")), start, end)
        if shown_as := one_line(html_to_text(cell(row, "display date"))):
            notes.append(f"TimelineJS showed the date as '{shown_as}'.")
        headline = one_line(html_to_text(cell(row, "headline")))
        body = html_to_text(cell(row, "text"))
        title = headline or shorten(body or html_to_text(cell(row, "media caption")), TITLE_LENGTH)
        if not title:
            raise Skip("no Headline and no Text")
        group = one_line(cell(row, "group"))
        # Counted for the rows imported only: a skipped row is reported as a whole.
        self.left_out(row, _EVENT_COLUMNS)
        made = Event(
            id=PENDING_ID,
            title=title,
            date=start,
            end=end,
            time=time,
            end_time=end_time,
            kind=self.options.kind,
            summary=body or title,
            sources=[self.source],
            tags=[group] if group else None,
            note=joined(notes),
            media=self.media(row, where),
        )
        self.builder.add_event(where, made)

    def media(self, row: Row, where: str) -> Media | None:
        cell, report = self.cols.cell, self.builder.report
        url = cell(row, "media")
        background = cell(row, "background")
        if url and web_url(url) is None:
            report.change(
                where,
                f"imported without its Media: {shown(url)} is not a web address "
                "(expected http:// or https://)",
            )
            url = ""
        if background:
            if url or web_url(background) is None:  # a colour, or a second picture
                report.left_out("Background")
            else:
                url = background
        if not url:
            for column in ("media credit", "media caption", "alt text"):
                if cell(row, column):
                    report.left_out(f"{column.title()} (no Media)")
            return None
        address = web_url(url)
        assert address is not None  # checked above
        return Media(
            url=address,
            caption=html_to_text(cell(row, "media caption")) or None,
            credit=html_to_text(cell(row, "media credit")) or None,
            alt=one_line(cell(row, "alt text")) or None,
        )


def import_sheet(raw: bytes, name: str, options: Options, today: dt.date) -> Imported:
    """Import a TimelineJS sheet's CSV (or .xlsx) bytes."""
    table = read_table(raw, name, EXPECTED, preferred=",")
    cols = _find_columns(table.headers)
    builder = Builder()
    source = builder.file_source(name, FORMAT.title, name, today)
    sheet = _Sheet(cols, builder, options, source)
    # One pass, a row at a time: the title row may come anywhere, so the source standing
    # for the file is titled after it once all rows are read.
    import_rows(table.rows, builder.report, sheet.add)
    if sheet.title:
        builder.sources[source] = replaced(builder.sources[source], title=sheet.title)
    return builder.build(sheet.title or file_title(name), sheet.description)


FORMAT = ImportFormat(
    name="timelinejs-sheet",
    title="TimelineJS sheet",
    help="the TimelineJS Google Sheets template saved as CSV or .xlsx",
    plain_name="TimelineJS",
    options=(KIND,),
    run=import_sheet,
)
