"""Any table with a header row (CSV, TSV or .xlsx): columns mapped to fields by --map or by name."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..errors import shown
from ..schema import MAX_KIND_LENGTH
from ..text import shorten
from .common import (
    ECHO_LENGTH,
    FIELDS,
    Builder,
    EventDraft,
    Field,
    Imported,
    ImportFailure,
    Options,
    Skip,
    SourceDraft,
    check_kind,
    echo,
    file_title,
    one_line,
    plain,
)
from .dates import DateProblem, ReadDate, ends_before, read_date
from .htmltext import web_url
from .ids import slugify
from .rows import Row, read_table, take_row

FORMAT_NAME = "table"
EXPECTED = "a table with a header row: CSV, TSV or .xlsx"
TITLE_LENGTH = 80
# Header names recognised without --map, compared in lower case with spaces for _ and -.
GUESSES: dict[Field, tuple[str, ...]] = {
    "date": ("date", "start", "start date", "begin", "event date", "from", "when"),
    "end": ("end", "end date", "until", "finish", "to", "ends"),
    "title": ("title", "headline", "event", "event name", "name", "subject"),
    "summary": ("summary", "description", "text", "details", "body", "notes"),
    "kind": ("kind", "type", "category", "event type"),
    "place": ("place", "location", "city", "where", "venue"),
    "leaders": ("leaders", "leader", "people", "participants", "persons", "who"),
    "countries": ("countries", "country", "states", "nations"),
    "tags": ("tags", "tag", "group", "groups", "labels", "themes", "topics", "topic"),
    "source": ("source", "publisher", "outlet", "reference", "citation"),
    "url": ("url", "link", "source url", "href", "web address"),
}


class UsageProblem(Exception):
    """An option that does not fit the input, such as --map naming a column it lacks."""


def parse_mapping(text: str) -> tuple[Field, str]:
    """Read one --map option, FIELD=COLUMN; ValueError naming the fields it takes."""
    field, sep, column = text.partition("=")
    field = field.strip().lower()
    if not sep or not column.strip():
        raise ValueError(f"{shown(text)} is not FIELD=COLUMN (e.g. date=Start)")
    for known in FIELDS:
        if known == field:
            return known, column.strip()
    raise ValueError(f"{shown(field)} is not a field (expected one of {', '.join(FIELDS)})")


def _key(header: str) -> str:
    return " ".join(re.sub(r"[_\-]", " ", header).lower().split())


@dataclass(frozen=True)
class ColumnMap:
    """Which column each field is read from, and whether the user said so or it was guessed."""

    columns: dict[Field, str]
    given: frozenset[Field]

    def describe(self) -> str:
        """Return the mapping as the summary shows it: date=Start, title=Headline, ..."""
        parts = [f"{f}={self.columns[f]}" for f in FIELDS if f in self.columns]
        guessed = set(self.columns) - self.given
        how = (
            "recognised from the headers; change any with --map FIELD=COLUMN"
            if guessed
            else "as given with --map"
        )
        return f"columns used: {', '.join(parts)} ({how})"


def choose_columns(headers: list[str], given: tuple[tuple[Field, str], ...]) -> ColumnMap:
    """Map fields to columns: --map first, then recognised header names for the rest."""
    columns: dict[Field, str] = {}
    keyed = [(h, _key(h)) for h in headers]  # each header's key made once
    by_key = {k: h for h, k in reversed(keyed)}  # the first of equal names wins
    for field, column in given:
        if column in headers:
            found = column
        elif _key(column) in by_key:
            found = by_key[_key(column)]
        else:
            listed = ", ".join(echo(h) for h in headers[:20])
            raise UsageProblem(
                f"--map {field}={shorten(column, ECHO_LENGTH)}: no column {echo(column)} "
                f"(columns: {listed})"
            )
        columns[field] = found
    used = set(columns.values())
    for field in FIELDS:
        if field in columns:
            continue
        for header, key in keyed:
            if header not in used and key in GUESSES[field]:
                columns[field] = header
                used.add(header)
                break
    missing: list[Field] = [] if "date" in columns else ["date"]
    if not ("title" in columns or "summary" in columns):
        missing.append("title")
    if missing:
        listed = ", ".join(echo(h) for h in headers[:20])
        keys = set(by_key)
        hint = (
            "; it looks like a TimelineJS sheet: try the timelinejs-sheet format"
            if {"year", "headline"} <= keys
            else ""
        )
        raise ImportFailure(
            "1",
            f"no column for {' or '.join(missing)} among the headers {listed} "
            f"(expected a header such as {GUESSES[missing[0]][0].title()}, "
            f"or say which with --map {missing[0]}=COLUMN{hint})",
        )
    return ColumnMap(columns, frozenset(f for f, _ in given))


def split_list(cell: str) -> list[str]:
    """Split a cell holding several names: at semicolons or line breaks, else at commas."""
    parts = re.split(r"[;\n]", cell) if re.search(r"[;\n]", cell) else cell.split(",")
    return [p for p in (one_line(x) for x in parts) if p]


@dataclass
class _Reader:
    mapping: ColumnMap
    builder: Builder
    options: Options
    today: dt.date
    name: str
    file_source: str | None = None
    two_digit_years: int = 0

    def cell(self, row: Row, field: Field) -> str:
        return row.get(self.mapping.columns.get(field))

    def date(self, row: Row, field: Field) -> ReadDate | None:
        column = self.mapping.columns.get(field)
        if column is None:
            return None
        if column in row.dates:  # a spreadsheet's date cell, at its format's precision
            return row.dates[column]
        text = row.get(column)
        if not text:
            return None
        read = read_date(
            text, self.options.dayfirst, what=f"{field} ({shorten(column, ECHO_LENGTH)})"
        )
        self.two_digit_years += read.two_digit_year
        return read

    def add(self, row: Row) -> None:
        where = str(row.line)
        report = self.builder.report
        start = self.date(row, "date")
        if start is None:
            raise Skip(f"no date in {echo(self.mapping.columns['date'])}")
        notes: list[str] = []
        if start.time:
            notes.append(_time_note(self.mapping.columns["date"], start.time))
        end = None
        try:
            end_read = self.date(row, "end")
        except DateProblem as err:
            report.change(where, f"imported without its end: {err}")
            end_read = None
        if end_read and ends_before(start.iso, end_read.iso):
            report.change(where, f"imported without its end: {end_read.iso} is before {start.iso}")
        elif end_read:
            end = end_read.iso
            if end_read.time:
                notes.append(_time_note(self.mapping.columns["end"], end_read.time))
        title = one_line(self.cell(row, "title"))
        summary = plain(self.cell(row, "summary"))
        title = title or shorten(summary, TITLE_LENGTH)
        if not title:
            raise Skip("no title and no summary")
        draft = EventDraft(
            title=title,
            date=start.iso,
            end=end,
            kind=self.kind(row, where),
            summary=summary or title,
            sources=[self.source(row, where)],
            place=one_line(self.cell(row, "place")) or None,
            leaders=[self.builder.person(n, None) for n in split_list(self.cell(row, "leaders"))],
            countries=split_list(self.cell(row, "countries")),
            tags=split_list(self.cell(row, "tags")),
            notes=notes,
        )
        # Counted for the rows imported only: a skipped row is reported as a whole.
        placed = set(self.mapping.columns.values())
        for header, value in row.cells.items():
            if header not in placed and value.strip():
                report.left_out(header)
        if row.extra:
            report.left_out("(cells beyond the last header)")
        self.builder.add_event(where, draft)

    def kind(self, row: Row, where: str) -> str:
        text = self.cell(row, "kind")
        if not text:
            return self.options.kind
        try:
            kind = check_kind(slugify(text, MAX_KIND_LENGTH))
        except ValueError:
            self.builder.report.change(
                where,
                f"kind {shown(text)} is not one lowercase word or words joined by hyphens; "
                f"it is {self.options.kind!r}",
            )
            return self.options.kind
        if kind != text.lower():
            self.builder.report.change(where, f"kind {shown(text)} is written {kind!r}")
        return kind

    def source(self, row: Row, where: str) -> str:
        named = one_line(self.cell(row, "source"))
        raw_url = self.cell(row, "url")
        url = web_url(raw_url) if raw_url else None
        if raw_url and url is None:
            self.builder.report.change(
                where,
                f"url {shown(raw_url)} is not a web address (expected http:// or https://); "
                "the source has no link",
            )
        if url:
            # The table names no article: its address is the most honest title there is.
            host = urlsplit(url).hostname or url
            draft = SourceDraft(url, named or host, self.today.isoformat(), url)
            return self.builder.source(("url", url, named), named or host, draft)
        if named:
            draft = SourceDraft(named, named, self.today.isoformat())
            return self.builder.source(("named", named), named, draft)
        if self.file_source is None:
            self.file_source = self.builder.file_source(
                self.name, FORMAT_NAME, self.name, self.today
            )
        return self.file_source


def _time_note(column: str, time: str) -> str:
    return f"The time of day in {column} ({time}) was dropped: the events file holds dates only."


def import_table(raw: bytes, name: str, options: Options, today: dt.date) -> Imported:
    """Import a CSV, TSV or .xlsx table's bytes."""
    table = read_table(raw, name, EXPECTED)
    mapping = choose_columns(table.headers, options.mapping)
    builder = Builder()
    reader = _Reader(mapping, builder, options, today, name)
    builder.report.notes.append(f"read as {table.kind}; {mapping.describe()}")
    for row in table.rows:
        if not take_row(row, builder.report):
            continue
        try:
            reader.add(row)
        except (Skip, DateProblem) as err:
            builder.report.skip(str(row.line), str(err))
    if n := reader.two_digit_years:
        builder.report.notes.append(
            f"{n} {'date' if n == 1 else 'dates'} with a two-digit year, read as 1969 to 2068"
        )
    comment = None
    if len(builder.sources) > (1 if reader.file_source else 0):
        comment = (
            "Sources made from the table's source and url columns are dated the day of the "
            "import: put their real dates there if you know them."
        )
        if reader.file_source:
            comment += f" The source '{reader.file_source}' is the input file itself."
    return builder.build(file_title(name), None, comment)
