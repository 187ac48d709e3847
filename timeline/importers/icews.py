"""ICEWS event data: tab-separated rows of who did what to whom, coded in CAMEO."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import Enum

from ..dates import parse_partial_date
from ..errors import shown
from ..schema import Event, Source
from .common import (
    PENDING_ID,
    Builder,
    Imported,
    ImportFailure,
    Options,
    Skip,
    echo,
    joined,
    one_line,
    replaced,
)
from .dates import DateProblem, parse_option_date, read_date
from .format import ImportFormat, Option
from .rows import Row, import_rows, read_table

EXPECTED = "ICEWS event data: tab-separated, with headers such as Event Date and CAMEO Code"
MISSING = "NA"
REQUIRED = ("Event Date", "Source Name", "Target Name", "CAMEO Code", "Event Text")
# Columns read into the events; every other column with a value is reported as left out.
PLACED = frozenset(
    {*REQUIRED, "Event ID", "Source Country", "Target Country", "Story ID", "Sentence Number",
     "Publisher", "City", "District", "Province", "Country"}
)  # fmt: skip
# The kind of each CAMEO code: the longest prefix listed wins (057 before 05).
CAMEO_KINDS = {
    "01": "statement",
    "02": "appeal",
    "03": "intent",
    "036": "intent-to-meet",
    "04": "consultation",
    "040": "consultation",
    "041": "call",
    "042": "visit",
    "043": "visit",
    "044": "meeting",
    "045": "mediation",
    "046": "negotiation",
    "05": "cooperation",
    "057": "agreement",
    "06": "cooperation",
    "07": "aid",
    "08": "concession",
    "09": "investigation",
    "10": "demand",
    "11": "criticism",
    "12": "rejection",
    "13": "threat",
    "14": "protest",
    "15": "force-posture",
    "16": "reduced-relations",
    "17": "coercion",
    "18": "assault",
    "19": "fighting",
    "20": "mass-violence",
}


class Role(Enum):
    """What an ICEWS actor is: a person, a state, a sector of a state, or an organisation."""

    PERSON = "person"
    STATE = "state"
    SECTOR = "sector"  # "Police (India)": the event's states gain India, its people nobody
    ORGANISATION = "organisation"  # no country: the United Nations, say


@dataclass(frozen=True)
class Actor:
    """One side of an event: its name, its country if any, and what it is."""

    name: str
    country: str | None
    role: Role

    def label(self) -> str:
        """Return the actor as the summary names it: Name (Country) for people."""
        if self.role is Role.PERSON and self.country:
            return f"{self.name} ({self.country})"
        return self.name

    def state(self) -> str | None:
        """Return the state (or organisation) this actor brings to the event's countries."""
        if self.role is Role.PERSON:
            return None
        return self.country or self.name


_SECTOR = re.compile(r".+\((?P<country>[^()]+)\)")


def actor(name: str, country: str) -> Actor:
    """Tell persons from states, sectors and organisations by the name and its country."""
    if country and name.casefold() == country.casefold():
        return Actor(name, country, Role.STATE)
    if m := _SECTOR.fullmatch(name):
        return Actor(name, country or m["country"].strip(), Role.SECTOR)
    if not country:
        return Actor(name, None, Role.ORGANISATION)
    return Actor(name, country, Role.PERSON)


def _with_zero(code: str) -> str:
    """Put back the leading zero a spreadsheet may have dropped (42: 042); roots run 01 to 20."""
    return "0" + code if len(code) == 1 or int(code[:2]) > 20 else code


def cameo_code(text: str) -> str:
    """Return a row's CAMEO code, digits only, with its leading zero."""
    code = text.strip()
    if not re.fullmatch(r"[0-9]{1,4}", code):
        raise Skip(f"CAMEO Code: {shown(text)} is not a CAMEO code (expected digits, e.g. 042)")
    return _with_zero(code)


def cameo_kind(code: str) -> str:
    """Return the kind of event a CAMEO code stands for."""
    for length in (3, 2):
        if code[:length] in CAMEO_KINDS:
            return CAMEO_KINDS[code[:length]]
    raise Skip(f"CAMEO Code: {code!r} has no root from 01 to 20 (expected e.g. 042 or 1031)")


def check_cameo_prefix(text: str) -> str:
    """Return a --cameo prefix with its leading zero; ValueError naming what is expected."""
    if not re.fullmatch(r"[0-9]{1,4}", text.strip()):
        raise ValueError(f"{shown(text)} is not a CAMEO code prefix (expected digits, e.g. 04)")
    return _with_zero(text.strip())


@dataclass
class _Icews:
    columns: dict[str, str]  # ICEWS name -> header in the file
    builder: Builder
    options: Options
    mirrored: int = 0

    def __post_init__(self) -> None:
        self.seen: dict[tuple[object, ...], int] = {}  # an event's index in the builder's
        # Notes for an event coded again from the other side, joined once at the end: a
        # note grown by each repeat would be copied whole each time.
        self.also: dict[int, list[str]] = {}
        self.countries = {c.casefold() for c in self.options.countries}
        self.cameo = tuple(check_cameo_prefix(p) for p in self.options.cameo)
        self.placed = {self.columns[c] for c in PLACED if c in self.columns}

    def value(self, row: Row, column: str) -> str:
        text = one_line(row.get(self.columns.get(column)))
        return "" if text == MISSING else text

    def wanted(self, code: str, sides: tuple[Actor, Actor], iso: str) -> bool:
        if self.cameo and not code.startswith(self.cameo):
            return False
        if self.countries:
            inside = [(a.state() or a.country or "").casefold() in self.countries for a in sides]
            if not (any(inside) if self.options.any_side else all(inside)):
                return False
        date = parse_partial_date(iso)
        if self.options.date_from and date.last < self.options.date_from:
            return False
        return not (self.options.date_to and date.first > self.options.date_to)

    def add(self, row: Row) -> None:
        date_text = self.value(row, "Event Date")
        if not date_text:
            raise Skip("no Event Date")
        iso = read_date(date_text, what="Event Date").iso
        names = [self.value(row, f"{side} Name") for side in ("Source", "Target")]
        for side, name in zip(("Source", "Target"), names, strict=True):
            if not name:
                raise Skip(f"no {side} Name")
        source = actor(names[0], self.value(row, "Source Country"))
        target = actor(names[1], self.value(row, "Target Country"))
        code = cameo_code(self.value(row, "CAMEO Code"))
        kind = cameo_kind(code)
        if not self.wanted(code, (source, target), iso):
            self.builder.report.filtered += 1
            return
        self.left_out(row)
        text = self.value(row, "Event Text") or f"CAMEO {code}"
        story, sentence = self.value(row, "Story ID"), self.value(row, "Sentence Number")
        # The same sentence read from each side ("Make a visit", "Host a visit") is one event.
        key = (iso, story, sentence, frozenset((source.name, target.name)), kind)
        if story and (kept := self.seen.get(key)) is not None:
            self.mirrored += 1
            self.also.setdefault(kept, []).append(
                f"Also coded from the other side: {text} ({code})."
            )
            return
        sides = (source, target)
        people = [a for a in sides if a.role is Role.PERSON]
        said = f"{text} (CAMEO {code})"
        event = Event(
            id=PENDING_ID,
            title=f"{text}: {source.name} → {target.name}",
            date=iso,
            kind=kind,
            place=self.place(row),
            leaders=[self.builder.person(a.name, a.country) for a in people],
            summary=f"{source.label()}: {said}, with {target.label()} as the target.",
            countries=[s for a in sides if (s := a.state())],
            sources=[self.source(row, story, iso)],
            note=self.told(row, story, sentence),
        )  # fmt: skip
        event_id = self.value(row, "Event ID")
        self.builder.add_event(str(row.line), event, f"icews-{event_id}" if event_id else None)
        if story:
            self.seen[key] = len(self.builder.events) - 1

    def left_out(self, row: Row) -> None:
        """Count the cells with a value that have no place: for the rows kept only."""
        report = self.builder.report
        for header, value in row.cells.items():
            if header not in self.placed and value.strip() not in ("", MISSING):
                report.left_out(header)
        if row.extra:
            report.left_out("(cells beyond the last header)")

    def place(self, row: Row) -> str | None:
        """Return where it happened: City, District, Province, Country, each named once."""
        parts = (self.value(row, c) for c in ("City", "District", "Province", "Country"))
        return ", ".join(dict.fromkeys(p for p in parts if p)) or None

    def told(self, row: Row, story: str, sentence: str) -> str | None:
        """Return the note saying where ICEWS tells of the event."""
        event_id = self.value(row, "Event ID")
        said = f"ICEWS event {event_id}" if event_id else "An ICEWS event"
        where_told = f", story {story}" if story else ""
        where_told += f", sentence {sentence}" if sentence else ""
        return joined([f"{said}{where_told}."])

    def source(self, row: Row, story: str, iso: str) -> str:
        publisher = self.value(row, "Publisher") or "ICEWS (publisher not given)"
        title = f"ICEWS story {story}" if story else "ICEWS event data, story not given"

        # ICEWS dates an event by the story that reports it: the story's date is the event's.
        def make() -> Source:
            return Source(title=title, publisher=publisher, date=iso)

        if story:
            return self.builder.source(("story", story), f"icews-story-{story}", make)
        return self.builder.source(
            ("date", iso, self.value(row, "Publisher")), f"icews-{iso}", make
        )


def _find_columns(headers: list[str]) -> dict[str, str]:
    wanted = {" ".join(c.lower().split()): c for c in (*PLACED, "Intensity")}
    found: dict[str, str] = {}
    for header in headers:
        name = wanted.get(" ".join(header.lower().replace("_", " ").split()))
        if name and name not in found:
            found[name] = header
    missing = [c for c in REQUIRED if c not in found]
    if missing:
        listed = ", ".join(echo(h) for h in headers[:12])
        raise ImportFailure(
            "1",
            f"no {', '.join(repr(m) for m in missing)} column (expected {EXPECTED}; "
            f"found {listed})",
        )
    return found


def _description(options: Options) -> str | None:
    kept = []
    if options.countries:
        joined = ", ".join(options.countries)
        kept.append(f"{'either' if options.any_side else 'both'} sides among {joined}")
    if options.cameo:
        kept.append(f"CAMEO codes starting {', '.join(options.cameo)}")
    if options.date_from:
        kept.append(f"from {options.date_from.isoformat()}")
    if options.date_to:
        kept.append(f"to {options.date_to.isoformat()}")
    return f"ICEWS events kept: {'; '.join(kept)}." if kept else None


def import_icews(raw: bytes, name: str, options: Options, today: dt.date) -> Imported:
    """Import ICEWS tab-separated bytes, keeping the countries, codes and dates asked for."""
    table = read_table(raw, name, EXPECTED, preferred="\t")
    icews = _Icews(_find_columns(table.headers), Builder(), options)
    builder = icews.builder
    import_rows(table.rows, builder.report, icews.add)
    for index, more in icews.also.items():
        event = builder.events[index]
        builder.events[index] = replaced(event, note=" ".join([event.note or "", *more]))
    if icews.mirrored:
        n = icews.mirrored
        builder.report.notes.append(
            f"{n} {'row was' if n == 1 else 'rows were'} the same event coded from the other "
            "side (same story and sentence): each was imported once"
        )
    comment = "Each source is an ICEWS story, dated like its events; ICEWS gives no title or link."
    return builder.build(f"ICEWS events from {name}", _description(options), comment)


def _first_day(text: str) -> dt.date:
    try:
        return parse_option_date(text)[0]
    except DateProblem as err:
        raise ValueError(str(err)) from None


def _last_day(text: str) -> dt.date:
    try:
        return parse_option_date(text)[1]
    except DateProblem as err:
        raise ValueError(str(err)) from None


def _check(options: Options) -> str | None:
    if options.any_side and not options.countries:
        return "--any needs --country"
    if options.date_from and options.date_to and options.date_from > options.date_to:
        return f"--from {options.date_from} is after --to {options.date_to}"
    return None


COUNTRY = Option(
    "--country",
    "countries",
    "keep events whose both sides are among these countries (repeat for each)",
    metavar="COUNTRY",
    action="append",
    read=lambda names: tuple(one_line(n) for n in names),
)
ANY = Option(
    "--any",
    "any_side",
    "with --country: keep events with either side among them",
    action="store_true",
)
CAMEO = Option(
    "--cameo",
    "cameo",
    "keep CAMEO codes starting so, e.g. 04 for consultations and visits (repeat)",
    metavar="CODE",
    action="append",
    check=check_cameo_prefix,
)
FROM = Option("--from", "date_from", "keep events from this date", metavar="DATE", check=_first_day)
TO = Option(
    "--to",
    "date_to",
    "keep events up to this date (2018-03: all of March)",
    metavar="DATE",
    check=_last_day,
)
FORMAT = ImportFormat(
    name="icews",
    title="ICEWS event data",
    help="ICEWS event data, tab-separated",
    plain_name="ICEWS event data",
    options=(COUNTRY, ANY, CAMEO, FROM, TO),
    run=import_icews,
    check=_check,
)
