"""What every importer builds: people, sources, events and periods, and a report of losses."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal, get_args

from ..errors import shown
from ..schema import MAX_KIND_LENGTH, is_kind
from ..text import shorten
from .ids import IdMaker, slugify

Format = Literal["timelinejs", "timelinejs-sheet", "csv", "icews"]
FORMATS: tuple[Format, ...] = get_args(Format)
FORMAT_NAMES: dict[Format, str] = {
    "timelinejs": "TimelineJS JSON",
    "timelinejs-sheet": "TimelineJS sheet",
    "csv": "table",
    "icews": "ICEWS event data",
}
DEFAULT_KIND = "event"
ECHO_LENGTH = 60  # characters of a value a message echoes, as the README says
# The fields a table's columns can be mapped to with --map FIELD=COLUMN.
Field = Literal[
    "title", "date", "end", "kind", "place", "leaders", "countries", "tags", "summary",
    "source", "url",
]  # fmt: skip
FIELDS: tuple[Field, ...] = get_args(Field)


@dataclass(frozen=True)
class Options:
    """What the user asked for beyond the format and the input."""

    kind: str = DEFAULT_KIND  # for formats whose events have no kind of their own
    dayfirst: bool = False
    mapping: tuple[tuple[Field, str], ...] = ()  # (field, column) from --map
    countries: tuple[str, ...] = ()
    any_side: bool = False
    cameo: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None  # the last day kept


class ImportFailure(Exception):
    """The input cannot be read as its format; `where` locates it (a line, or a JSON path)."""

    def __init__(self, where: str, message: str):
        self.where = where
        self.message = message
        super().__init__(f"{where}: {message}")


class Skip(Exception):
    """One row or item cannot be imported; the message says why."""


@dataclass(frozen=True)
class Located:
    """A message about one place in the input: a line number or a JSON path."""

    where: str
    message: str
    skipped: bool  # the whole row or item was left out, not only part of it


MAX_KEPT = 100  # located messages kept whole, in the order of the input
MAX_REASONS = 1_000  # distinct messages counted; rows with others are counted together
EXAMPLES = 3  # places kept for each message


@dataclass
class Reason:
    """How many rows got one message, and the first few places."""

    count: int = 0
    examples: list[str] = field(default_factory=list)


@dataclass
class Report:
    """What an import kept, skipped, changed and left behind, for the summary.

    A file can hold millions of rows, each skipped: messages are counted by their text,
    with a few places each, and only the first `MAX_KEPT` are kept whole.
    """

    located: list[Located] = field(default_factory=list)  # the first MAX_KEPT, in order
    # (skipped, message) -> count and first places, in the order first seen
    reasons: dict[tuple[bool, str], Reason] = field(default_factory=dict)
    uncounted: Counter[bool] = field(default_factory=Counter)  # rows beyond MAX_REASONS
    skipped_count: int = 0
    changed_count: int = 0  # messages about rows imported in part
    # (field, what it was counted in: "row", "event", ...) -> how many had a value there
    unplaced: Counter[tuple[str, str]] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    filtered: int = 0  # rows left out by the filters the user asked for
    # An item's fields, held until it is kept or skipped.
    _pending: Counter[tuple[str, str]] | None = field(default=None, repr=False, compare=False)

    @property
    def skipped(self) -> list[Located]:
        """Return the rows or items kept whole that were not imported."""
        return [m for m in self.located if m.skipped]

    def _add(self, where: str, message: str, skipped: bool) -> None:
        if len(self.located) < MAX_KEPT:
            self.located.append(Located(where, message, skipped))
        if skipped:
            self.skipped_count += 1
        else:
            self.changed_count += 1
        reason = self.reasons.get((skipped, message))
        if reason is None:
            if len(self.reasons) >= MAX_REASONS:
                self.uncounted[skipped] += 1
                return
            reason = self.reasons[(skipped, message)] = Reason()
        reason.count += 1
        if len(reason.examples) < EXAMPLES:
            reason.examples.append(where)

    def skip(self, where: str, reason: str) -> None:
        """Record a row or item that was not imported, and why."""
        self._add(where, reason, skipped=True)

    def change(self, where: str, what: str) -> None:
        """Record a value that was imported in part, or changed on the way in."""
        self._add(where, what, skipped=False)

    def left_out(self, name: str, unit: str = "row", count: int = 1) -> None:
        """Count an input field that has no place in the events file."""
        counts = self.unplaced if self._pending is None else self._pending
        counts[(name, unit)] += count

    def begin_item(self) -> None:
        """Hold the fields counted from here until the item is kept or skipped."""
        self._pending = Counter()

    def end_item(self, kept: bool) -> None:
        """Count the held fields if the item was kept: a skipped item is reported whole."""
        pending, self._pending = self._pending, None
        if kept and pending:
            self.unplaced.update(pending)


def echo(value: object, limit: int = ECHO_LENGTH) -> str:
    """Return a value as a message shows it: text quoted and cut, anything else cut too."""
    if isinstance(value, str):
        return shown(value, limit)
    text = repr(value)
    if len(text) <= limit:
        return text
    return f"{shorten(text, limit)} ({len(text):,} characters)"


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def plain(text: str) -> str:
    """Return text fit for the events file: line breaks kept, control characters dropped."""
    text = _CONTROL.sub("", _LINE_BREAKS.sub("\n", unicodedata.normalize("NFC", text)))
    # Trailing spaces would keep a multi-line text out of YAML's readable block style.
    lines = [" ".join(line.replace("\t", " ").split()) for line in text.split("\n")]
    kept: list[str] = []
    for line in lines:
        if line or (kept and kept[-1]):  # at most one empty line in a row
            kept.append(line)
    return "\n".join(kept).strip("\n")


def one_line(text: str) -> str:
    """Return text on one line, for titles, names, places and tags."""
    return " ".join(plain(text).split())


@dataclass
class MediaDraft:
    """An event's picture or page, as the schema's `media` holds it."""

    url: str
    caption: str | None = None
    credit: str | None = None
    alt: str | None = None


@dataclass
class EventDraft:
    """One event on its way to the file; ids are given when it is added."""

    title: str
    date: str
    kind: str
    summary: str
    sources: list[str]
    end: str | None = None
    place: str | None = None
    leaders: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    media: MediaDraft | None = None


@dataclass
class PersonDraft:
    """Someone taking part, by name and the country they speak for."""

    name: str
    country: str | None = None


@dataclass
class SourceDraft:
    """A publication cited by events; `url` only when the input gives one."""

    title: str
    publisher: str
    date: str
    url: str | None = None


@dataclass
class PeriodDraft:
    """A context period from the input (a TimelineJS era)."""

    title: str
    start: str
    end: str | None = None
    note: str | None = None


@dataclass
class Imported:
    """A whole imported file, before it is written as YAML."""

    title: str
    description: str | None
    people: dict[str, PersonDraft]
    sources: dict[str, SourceDraft]
    events: list[dict[str, object]]
    periods: list[PeriodDraft]
    report: Report
    source_comment: str | None = None  # said at the top of the file about the sources


class Builder:
    """Collects events, people and sources, giving each a unique id."""

    def __init__(self) -> None:
        self.report = Report()
        self.people: dict[str, PersonDraft] = {}
        self.sources: dict[str, SourceDraft] = {}
        self.events: list[dict[str, object]] = []
        self.periods: list[PeriodDraft] = []
        self._event_ids = IdMaker()
        self._person_ids = IdMaker()
        self._source_ids = IdMaker()
        self._people_by_key: dict[tuple[str, str | None], str] = {}
        self._sources_by_key: dict[tuple[str, ...], str] = {}
        self.file_source_id: str | None = None

    def person(self, name: str, country: str | None) -> str:
        """Return the id of a person, adding them the first time they are named."""
        key = (name, country)
        if key not in self._people_by_key:
            pid = self._person_ids.make(name, fallback="person")
            self._people_by_key[key] = pid
            self.people[pid] = PersonDraft(name, country)
        return self._people_by_key[key]

    def source(self, key: tuple[str, ...], hint: str, draft: SourceDraft) -> str:
        """Return the id of a source, adding it the first time its key is seen."""
        if key not in self._sources_by_key:
            sid = self._source_ids.make(hint, fallback="source")
            self._sources_by_key[key] = sid
            self.sources[sid] = draft
        return self._sources_by_key[key]

    def file_source(self, name: str, format_name: str, title: str, today: dt.date) -> str:
        """Return the id of a source standing for the input file itself, dated today."""
        draft = SourceDraft(
            title=title, publisher=f"{name} ({format_name})", date=today.isoformat()
        )
        sid = self.source(("file",), name, draft)
        self.file_source_id = sid
        return sid

    def add_event(self, where: str, event: EventDraft, id_hint: str | None = None) -> str:
        """Add an event under a unique id made from its hint, or its date and title."""
        # A title without Latin letters gives no words: the id says "event" after the date.
        words = slugify(event.title) or "event"
        eid = self._event_ids.make(
            id_hint or f"{event.date}-{words}", fallback=f"{event.date}-event"
        )
        if id_hint and self._event_ids.was_renamed(eid):
            self.report.change(
                where, f"id {echo(id_hint)} is taken by an earlier event; this one's id is {eid!r}"
            )
        record: dict[str, object] = {"id": eid, "title": event.title, "date": event.date}
        if event.end and event.end != event.date:
            record["end"] = event.end
        record["kind"] = event.kind
        if event.place:
            record["place"] = event.place
        if event.leaders:
            record["leaders"] = _unique(event.leaders)
        if event.countries:
            record["countries"] = _unique(event.countries)
        if event.tags:
            record["tags"] = _unique(event.tags)
        record["summary"] = event.summary
        if event.media:
            media = {"url": event.media.url}
            for name in ("caption", "credit", "alt"):
                value = getattr(event.media, name)
                if value:
                    media[name] = value
            record["media"] = media
        record["sources"] = _unique(event.sources)
        if event.notes:
            record["note"] = " ".join(event.notes)
        self.events.append(record)
        return eid

    def build(
        self, title: str, description: str | None, source_comment: str | None = None
    ) -> Imported:
        """Return everything collected as one imported file."""
        if source_comment is None and self.file_source_id:
            source_comment = (
                f"The source '{self.file_source_id}' is the input file itself, dated the day "
                "of the import: put its real publisher and date there if you know them."
            )
        return Imported(
            title=title,
            description=description or None,
            people=self.people,
            sources=self.sources,
            events=self.events,
            periods=self.periods,
            report=self.report,
            source_comment=source_comment,
        )


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def check_kind(value: str) -> str:
    """Return a kind if the schema takes it; ValueError naming what is expected otherwise."""
    if not is_kind(value):
        raise ValueError(
            f"{echo(value)} is not a kind (expected one lowercase word, or words joined by "
            f"hyphens, at most {MAX_KIND_LENGTH} characters, like 'meeting')"
        )
    return value


def file_title(name: str) -> str:
    """Return the title an imported file gets when its input has none."""
    return f"Imported from {name}"
