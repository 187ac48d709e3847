"""Event data read as streams (ICEWS, GDELT, POLECAT): filters, folding of repeats, events.

A streaming format reads one input or many (each a label for messages, PATH or PATH:MEMBER,
and its bytes in chunks) and never holds its rows: only the events the filters keep, each
a `Draft` until the end, repeats of one coded interaction folded into it as they come.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..errors import DataError, shown
from ..eventdata.common import RowProblem
from ..eventdata.countries import CountryAsked, CountryFilter
from ..eventdata.fold import Coded, Folder, Group
from ..eventdata.sides import Side
from ..files import bytes_streams
from ..schema import Event, Source
from .common import PENDING_ID, Builder, Imported, ImportFailure, Options, joined
from .format import Importer, ImportFormat

Streams = Iterable[tuple[str, Iterable[bytes]]]  # (label, chunks) for each input, in order
StreamImporter = Callable[[Streams, str, Options, dt.date], Imported]
MAX_IDS = 10  # ids of the folded rows named in an event's note; the rest are counted
DRAFT_BYTES = 200  # what an event adds to the written file beyond its texts, at the least


@dataclass(frozen=True)
class Chunks:
    """Where a streamed import hands its events a chunk at a time (an event store), instead
    of holding them all until the end; no bound on the events file then applies."""

    size: int  # events built at a time: repeats fold within a chunk, not across chunks
    take: Callable[[Builder], None]  # writes the builder's events; they are then let go
    # The store's writer and the inputs' paths, for an importer that writes columns itself
    # (ICEWS: importers/icews_columns.py); None when the caller gives only `take`.
    writer: Any = None
    paths: tuple[str, ...] = ()


# Set by the command while an import writes to a store (`--store`): the importers' own
# signatures stay those of a file's import, (streams, name, options, today) -> Imported.
CHUNKS: ContextVar[Chunks | None] = ContextVar("timeline_import_chunks", default=None)


def hand_over(builder: Builder) -> None:
    """Give the events built so far to the store being written, and let them go."""
    chunks = CHUNKS.get()
    if chunks is not None:
        chunks.take(builder)
        builder.events.clear()


def chunk_full(groups: int) -> bool:
    """Say whether an import writing to a store holds a chunk's events, to hand them over."""
    chunks = CHUNKS.get()
    return chunks is not None and groups >= chunks.size


@dataclass(frozen=True)
class StreamingFormat(ImportFormat):
    """An import format that reads its inputs as streams: many inputs, zipped or not."""

    stream: StreamImporter | None = None


def from_bytes(stream: StreamImporter) -> Importer:
    """Return the format's importer of one input's bytes (a zip's files in turn), for the API."""

    def run(raw: bytes, name: str, options: Options, today: dt.date) -> Imported:
        try:
            return stream(bytes_streams(raw, name), name, options, today)
        except DataError as err:  # a damaged zip, one over the limit: one located failure
            first = err.problems[0]
            raise ImportFailure(f"{err.name}:{first.line}", first.message) from None

    return run


@dataclass(frozen=True)
class Cited:
    """A source of a row, before it has an id: with its real URL, or none."""

    key: tuple[str, ...]
    hint: str
    source: Source


@dataclass
class Row:
    """What an event is built from when its row comes first; its repeats add their counts."""

    where: str  # LABEL:LINE
    row_id: str  # the input's id of the row: GLOBALEVENTID, Event ID
    event: Event  # leaders, sources and note not yet given: see `leaders` and `cited`
    leaders: list[Side]
    cited: Cited | None
    counts: Counter[str] = field(default_factory=Counter)  # NumMentions... summed when folded
    ids: list[str] = field(default_factory=list)  # the first MAX_IDS row ids folded in
    story_people: tuple[str, ...] = ()  # people its story names (POLECAT), for the note


class Job(NamedTuple):
    """What an import is: the ids' prefix, the input's name, the format's title, today."""

    prefix: str  # ids are PREFIX-ROWID: gdelt-1180000000
    name: str
    format_title: str
    today: dt.date


class EventData:
    """The rows of one import: filters, folding, located problems and the events kept."""

    def __init__(self, fmt: Job, options: Options, fold: bool, limit: int):
        self.prefix, self.name, self.format_title, self.today = fmt
        self.options = options
        self.limit = limit  # bytes the written file may take: more events are refused early
        self.builder = Builder()
        self.report = self.builder.report
        self.countries = CountryFilter.build(options.countries) if options.countries else None
        self.folder: Folder[Row] = Folder(fold)
        self.size = 0
        self.rows = 0  # rows read, skipped ones too
        self.first_label: str | None = None  # the first input's, for a file with no row
        self.folded = 0  # rows folded into an earlier row's event, in chunks handed over
        self.note: Callable[[Group[Row]], str] | None = None  # set by `chunked`

    def problem(self, label: str, problem: RowProblem) -> None:
        """Report a row a reader could not use."""
        self.rows += 1
        self.report.skip(f"{label}:{problem.line}", problem.message)

    def in_dates(self, day: dt.date) -> bool:
        """Say whether a day is within --from and --to; counts it filtered when not."""
        options = self.options
        inside = not (options.date_from and day < options.date_from) and not (
            options.date_to and day > options.date_to
        )
        if not inside:
            self.report.filtered += 1
        return inside

    def wanted(self, sides: tuple[list[Side], list[Side]]) -> bool:
        """Say whether the sides are among the --country asked for (both, or either with --any).

        A side of several participants (a multilateral meeting) is among them when one of
        its participants is. Counts the row filtered when not.
        """
        countries = self.countries
        if countries is None:
            return True
        found = [[(typed, p.spelling()) for p in side if (typed := countries.which(p.spelling()))]
                 for side in sides]  # fmt: skip
        if any(found) if self.options.any_side else all(found):
            for typed, spelling in (pair for side in found for pair in side):
                countries.record(typed, spelling or "")  # the spellings of rows kept only
            return True
        self.report.filtered += 1
        return False

    def wanted_meeting(self, participants: list[Side]) -> bool:
        """Say whether a meeting of many is among the --country asked for.

        Its participants are not two sides: it is kept when two of them are among the states
        asked for (or its only participant is), or one with --any. Counts it filtered when not.
        """
        countries = self.countries
        if countries is None:
            return True
        found = [
            (typed, p.spelling()) for p in participants if (typed := countries.which(p.spelling()))
        ]
        if len(found) >= (1 if self.options.any_side else min(2, len(participants))):
            for typed, spelling in found:
                countries.record(typed, spelling or "")
            return True
        self.report.filtered += 1
        return False

    def add(self, coded: Coded[Row]) -> None:
        """Keep a row's event, or fold it into the event of an earlier row of its key."""
        group = self.folder.add(coded)
        first = group.first.data
        if group.first is coded:
            first.ids.append(first.row_id)
            self._grow(first)
            if self.note is not None and chunk_full(len(self.folder)):
                self._emit(self.note)
                hand_over(self.builder)
                self.folded += self.folder.folded
                self.folder = Folder(self.folder.fold)
            return
        if len(first.ids) < MAX_IDS:
            first.ids.append(coded.data.row_id)
        first.counts.update(coded.data.counts)

    def _grow(self, row: Row) -> None:
        event = row.event
        self.size += DRAFT_BYTES + len(event.title) + len(event.summary)
        check_size(self.size, self.limit, row.where)

    def _sources(self, group: Group[Row]) -> list[str]:
        """Return the ids of the sources of a group's first rows, each once."""
        cited = {c.key: c for e in group.examples if (c := e.data.cited) is not None}
        ids = [self.builder.source(k, c.hint, _maker(c.source)) for k, c in cited.items()]
        if not ids:  # no row of it names a source: the input file stands for it
            ids = [self.builder.file_source(self.name, self.format_title, self.name, self.today)]
        return ids

    def chunked(self, note: Callable[[Group[Row]], str]) -> None:
        """Hand events over a chunk at a time when writing to a store, each with its note."""
        self.note = note

    def _emit(self, note: Callable[[Group[Row]], str]) -> None:
        """Build the event of each group held, with its people and sources."""
        builder = self.builder
        for group in self.folder:
            row = group.first.data
            sources = self._sources(group)
            event = row.event.model_copy(
                update={
                    "leaders": [builder.person(s.name, s.country) for s in row.leaders],
                    "sources": sources,
                    "note": note(group),
                }
            )
            builder.add_event(row.where, event, f"{self.prefix}-{row.row_id}")

    def build(
        self, title: str, description: str | None, comment: str, note: Callable[[Group[Row]], str]
    ) -> Imported:
        """Return the events kept, each with its people and sources, and the summary's notes."""
        self._emit(note)
        n = self.folded + self.folder.folded
        if n:
            self.report.notes.append(
                f"{n:,} {'row was' if n == 1 else 'rows were'} the same interaction coded "
                "again (same sides, day and code): each was folded into the event of its "
                "first row, its counts and publishers kept (--no-fold keeps each apart)"
                + (" (within each chunk of events written to the store)" if self.folded else "")
            )
        if self.countries is not None:
            self.report.notes.extend(self.countries.summary())
        return self.builder.build(title, description, comment)


def check_size(size: int, limit: int, where: str) -> None:
    """Refuse events kept past the bytes the written file may take, before holding more
    (no bound when the events go to a store a chunk at a time)."""
    if size > limit and CHUNKS.get() is None:
        raise ImportFailure(
            where,
            f"the events kept so far would make a file over the limit of {limit:,} "
            "bytes that the dashboard reads; keep fewer rows (--country, --from, --to, "
            "the format's code filter) or set TIMELINE_MAX_BYTES; no file written",
        )


def _maker(source: Source) -> Callable[[], Source]:
    return lambda: source


def ids_note(row: Row, rows: int, what: str) -> str:
    """Return the sentence naming the rows an event stands for."""
    if rows == 1:
        return f"{what} {row.ids[0]}."
    more = rows - len(row.ids)
    listed = ", ".join(row.ids) + (f" and {more:,} more" if more else "")
    return f"{what}s {listed}."


def check_filters(options: Options) -> str | None:
    """Return the usage error of the filters asked for, or None: an unknown --country names
    the nearest states; a state asked for twice is refused."""
    if options.any_side and not options.countries:
        return "--any needs --country"
    if options.date_from and options.date_to and options.date_from > options.date_to:
        return f"--from {options.date_from} is after --to {options.date_to}"
    try:
        CountryFilter.build(options.countries)
    except CountryAsked as err:
        return str(err)
    return None


def described(what: str, options: Options, codes: str | None) -> str | None:
    """Return the file's description: the filters the events were kept by."""
    kept = []
    if options.countries:
        listed = ", ".join(options.countries)
        kept.append(f"{'either' if options.any_side else 'both'} sides among {listed}")
    if codes:
        kept.append(codes)
    if options.date_from:
        kept.append(f"from {options.date_from.isoformat()}")
    if options.date_to:
        kept.append(f"to {options.date_to.isoformat()}")
    return f"{what} events kept: {'; '.join(kept)}." if kept else None


def pending_event(**fields: object) -> Event:
    """Return an event of a row, before its id, people and sources are given."""
    return Event.model_validate({"id": PENDING_ID, "sources": ["pending"], **fields})


def empty(label: str | None, expected: str) -> ImportFailure:
    """Return the failure of inputs that hold no row at all."""
    return ImportFailure(f"{label or 'input'}:1", f"the file is empty (expected {expected})")


def summary_of(sides: tuple[list[Side], list[Side]], said: str) -> str:
    """Return an event's summary: who did what to whom, as the data codes it."""
    first = ", ".join(s.label() for s in sides[0])
    second = ", ".join(s.label() for s in sides[1])
    return f"{first}: {said}, with {second} as the target." if second else f"{first}: {said}."


def notes_joined(parts: list[str | None]) -> str | None:
    """Return the parts of a note that are given, as one text."""
    return joined([p for p in parts if p])


def echo_code(text: str) -> str:
    """Return a code as messages echo it."""
    return shown(text)
