"""What every importer shares: the schema's models built with unique ids, and a report of losses."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import shown
from ..schema import MAX_KIND_LENGTH, Event, Period, Person, Source, TimelineFile, is_kind
from ..text import shorten
from .ids import IdMaker, slugify

DEFAULT_KIND = "event"
ECHO_LENGTH = 60  # characters of a value a message echoes, as the README says


@dataclass(frozen=True)
class Options:
    """What the user asked for beyond the format and the input."""

    kind: str = DEFAULT_KIND  # for formats whose events have no kind of their own
    dayfirst: bool = False
    mapping: tuple[tuple[str, str], ...] = ()  # (field, column) from --map
    countries: tuple[str, ...] = ()
    any_side: bool = False
    cameo: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None  # the last day kept
    no_fold: bool = False  # event data: each coded row its own event (eventdata/fold.py)
    event_types: tuple[str, ...] = ()  # POLECAT: the PLOVER event types kept (--type)


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


M = TypeVar("M", bound=BaseModel)
# An event is built as a model before its id is known: it carries this (valid) id until
# `Builder.add_event` gives it its own, made from its title and date or the input's id.
PENDING_ID = "pending"


def reason(err: Exception) -> str:
    """Return why a row or item was not imported: a model's check names the field it failed."""
    if not isinstance(err, ValidationError):
        return str(err)
    errors = err.errors(include_url=False)
    first = errors[0]
    where = ".".join(str(part) for part in first["loc"])
    message = first["msg"].removeprefix("Value error, ")
    if first["type"] != "value_error":  # pydantic's own words do not echo the value
        message += f" (got {echo(first['input'])})"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{where}: {message}{more}"


@dataclass
class Imported:
    """A whole imported file, as the schema's model, with the report of what was lost."""

    file: TimelineFile
    report: Report
    source_comment: str | None = None  # said at the top of the file about the sources


class Builder:
    """Collects events, people and sources as the schema's models, giving each a unique id."""

    def __init__(self) -> None:
        self.report = Report()
        self.people: dict[str, Person] = {}
        self.sources: dict[str, Source] = {}
        self.events: list[Event] = []
        self.periods: list[Period] = []
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
            person = Person(name=name, country=country or None)  # checked before an id is used
            pid = self._person_ids.make(name, fallback="person")
            self._people_by_key[key] = pid
            self.people[pid] = person
        return self._people_by_key[key]

    def source(self, key: tuple[str, ...], hint: str, make: Callable[[], Source]) -> str:
        """Return the id of a source, made by `make` the first time its key is seen."""
        if key not in self._sources_by_key:
            source = make()
            sid = self._source_ids.make(hint, fallback="source")
            self._sources_by_key[key] = sid
            self.sources[sid] = source
        return self._sources_by_key[key]

    def file_source(self, name: str, format_title: str, title: str, today: dt.date) -> str:
        """Return the id of a source standing for the input file itself, dated today."""
        publisher = f"{name} ({format_title})"
        sid = self.source(
            ("file",),
            name,
            lambda: Source(title=title, publisher=publisher, date=today.isoformat()),
        )
        self.file_source_id = sid
        return sid

    def add_event(self, where: str, event: Event, id_hint: str | None = None) -> str:
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
        self.events.append(event.model_copy(update={**tidied(event), "id": eid}))
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
        file = TimelineFile(
            title=title,
            description=description or None,
            people=self.people,
            sources=self.sources,
            events=self.events,
            periods=self.periods or None,
        )
        return Imported(file, self.report, source_comment)


def tidied(model: BaseModel) -> dict[str, object]:
    """Return the changes that tidy a model: lists of names once each, empty lists left out.

    An end on the day the event began is no end. Read from the model's fields, so that a
    field added to the schema is tidied as its kind of value is.
    """
    changes: dict[str, object] = {}
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        if not isinstance(value, list):
            continue
        if not value and not info.is_required():
            changes[name] = None
        elif all(isinstance(v, str) for v in value) and len(set(value)) < len(value):
            changes[name] = list(dict.fromkeys(value))
    if isinstance(model, Event) and model.end == model.date:
        changes["end"] = None
    return changes


def period(title: str, start: str, end: str | None, note: str | None) -> Period:
    """Return a period: its start is the field `from`, a word Python keeps for itself."""
    return Period.model_validate({"title": title, "from": start, "to": end, "note": note})


def replaced(model: M, **changes: object) -> M:
    """Return a model with some fields changed, checked again as the schema checks it."""
    return type(model).model_validate({**model.model_dump(by_alias=True), **changes})


def joined(notes: list[str]) -> str | None:
    """Return notes as one text, or None when there are none."""
    return " ".join(notes) or None


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
