"""Any table with a header row (CSV, TSV or .xlsx): columns mapped to fields by --map or by name."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

from ..errors import shown
from ..schema import MAX_KIND_LENGTH, Event, Source
from ..text import shorten
from .common import (
    ECHO_LENGTH,
    PENDING_ID,
    Builder,
    Imported,
    ImportFailure,
    Options,
    Skip,
    check_kind,
    echo,
    file_title,
    joined,
    one_line,
    plain,
)
from .dates import DateProblem, ReadDate, ends_before, read_date
from .format import KIND, ImportFormat, Option
from .htmltext import web_url
from .ids import slugify
from .rows import Row, import_rows, read_table

EXPECTED = "a table with a header row: CSV, TSV or .xlsx"
TITLE_LENGTH = 80
Shape = Literal["text", "texts", "other"]


def shape(prop: dict[str, Any]) -> Shape:
    """Say from its JSON Schema whether a field holds text, a list of text, or else."""
    kinds = [prop, *prop.get("anyOf", [])]
    if any(k.get("type") == "string" for k in kinds):
        return "text"
    if any(k.get("type") == "array" and k.get("items", {}).get("type") == "string" for k in kinds):
        return "texts"
    return "other"


# Fields this importer makes itself rather than read from one column.
_MADE = frozenset({"id", "sources"})
# The fields a column can fill with --map FIELD=COLUMN: an event's fields of text or lists
# of text, read from the schema, then the event's source by its name and web address.
FIELDS: tuple[str, ...] = (
    *(
        name
        for name, prop in Event.model_json_schema()["properties"].items()
        if name not in _MADE and shape(prop) != "other"
    ),
    "source",
    "url",
)
# Fields read in a way of their own; each of the others is read from its cell as it is.
_READ_APART = frozenset({"title", "date", "end", "kind", "leaders", "summary", "note"})
_AS_THEY_ARE = tuple(f for f in FIELDS if f not in _READ_APART and f not in ("source", "url"))
_SHAPES = {n: shape(p) for n, p in Event.model_json_schema()["properties"].items()}
# Header names recognised without --map, compared in lower case with spaces for _ and -.
GUESSES: dict[str, tuple[str, ...]] = {
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


def parse_mapping(text: str) -> tuple[str, str]:
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

    columns: dict[str, str]
    given: frozenset[str]

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


def choose_columns(headers: list[str], given: tuple[tuple[str, str], ...]) -> ColumnMap:
    """Map fields to columns: --map first, then recognised header names for the rest."""
    columns: dict[str, str] = {}
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
            if header not in used and key in GUESSES.get(field, ()):
                columns[field] = header
                used.add(header)
                break
    missing: list[str] = [] if "date" in columns else ["date"]
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

    def cell(self, row: Row, field: str) -> str:
        return row.get(self.mapping.columns.get(field))

    def date(self, row: Row, field: str) -> ReadDate | None:
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
        start = self.date(row, "date")
        if start is None:
            raise Skip(f"no date in {echo(self.mapping.columns['date'])}")
        notes = [note] if (note := plain(self.cell(row, "note"))) else []
        if start.time:
            notes.append(_time_note(self.mapping.columns["date"], start.time))
        end = self.end(row, start, notes)
        title = one_line(self.cell(row, "title"))
        summary = plain(self.cell(row, "summary"))
        title = title or shorten(summary, TITLE_LENGTH)
        if not title:
            raise Skip("no title and no summary")
        made = Event(
            id=PENDING_ID,
            title=title,
            date=start.iso,
            end=end,
            kind=self.kind(row, where),
            summary=summary or title,
            sources=[self.source(row, where)],
            leaders=[self.builder.person(n, None) for n in split_list(self.cell(row, "leaders"))],
            note=joined(notes),
            **self.as_they_are(row),
        )
        # Counted for the rows imported only: a skipped row is reported as a whole.
        placed = set(self.mapping.columns.values())
        for header, value in row.cells.items():
            if header not in placed and value.strip():
                self.builder.report.left_out(header)
        if row.extra:
            self.builder.report.left_out("(cells beyond the last header)")
        self.builder.add_event(where, made)

    def end(self, row: Row, start: ReadDate, notes: list[str]) -> str | None:
        """Return a row's end, or None with the reason reported when it cannot be one."""
        where = str(row.line)
        try:
            end = self.date(row, "end")
        except DateProblem as err:
            self.builder.report.change(where, f"imported without its end: {err}")
            return None
        if end is None:
            return None
        if ends_before(start.iso, end.iso):
            self.builder.report.change(
                where, f"imported without its end: {end.iso} is before {start.iso}"
            )
            return None
        if end.time:
            notes.append(_time_note(self.mapping.columns["end"], end.time))
        return end.iso

    def as_they_are(self, row: Row) -> dict[str, Any]:
        """Return the fields read from their cells as they are: text on a line, or a list."""
        found: dict[str, Any] = {}
        for field in _AS_THEY_ARE:
            if field in self.mapping.columns:
                cell = self.cell(row, field)
                value = split_list(cell) if _SHAPES[field] == "texts" else one_line(cell)
                if value:
                    found[field] = value
        return found

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
        day = self.today.isoformat()
        if url:
            # The table names no article: its address is the most honest title there is.
            by = named or urlsplit(url).hostname or url
            return self.builder.source(
                ("url", url, named),
                by,
                lambda: Source(title=url, publisher=by, date=day, url=url),
            )
        if named:
            return self.builder.source(
                ("named", named), named, lambda: Source(title=named, publisher=named, date=day)
            )
        if self.file_source is None:
            self.file_source = self.builder.file_source(
                self.name, FORMAT.title, self.name, self.today
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
    import_rows(table.rows, builder.report, reader.add)
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


MAP = Option(
    "--map",
    "mapping",
    "read a field from a column (repeat for each field)",
    metavar="FIELD=COLUMN",
    action="append",
    check=parse_mapping,
)
DAYFIRST = Option(
    "--dayfirst", "dayfirst", "read 05/09/2020 as 5 September, not May 9", action="store_true"
)
FORMAT = ImportFormat(
    name="csv",
    title="table",
    help="any table with a header row: CSV, TSV or .xlsx",
    plain_name="a spreadsheet",
    options=(KIND, MAP, DAYFIRST),
    run=import_table,
)
