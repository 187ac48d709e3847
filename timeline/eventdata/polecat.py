"""POLECAT event rows: the Dataverse tab-separated files, with a header, read as a stream.

POLECAT (doi:10.7910/DVN/AJGVIT) codes events in the PLOVER ontology. Its header, as the
weekly and yearly files on Dataverse write it and as users' readers list it (for example the
loader of TGB's tkgl-polecat dataset, and the POLECAT notes at
andybeger.com/blog/2024-05-21-polecat-event-data):

    Event ID, Event Date, Event Type, Event Mode, Intensity, Quad Code, Contexts,
    Actor Name, Actor Country, Actor COW, Primary Actor Sector, Actor Sectors, Actor Title,
    Actor Name Raw, Wikipedia Actor ID, Recipient Name, Recipient Country, Recipient COW,
    Primary Recipient Sector, Recipient Sectors, Recipient Title, Recipient Name Raw,
    Wikipedia Recipient ID, Placename, City, District, Province, Country, Latitude,
    Longitude, GeoNames ID, Raw Placename, Feature Type, Source, Publication Date,
    Story People, Story Organizations, Story Locations, Language, Version

Some releases name Intensity "Event Intensity"; some add Headline, Event Text, Feed or Story
ID; some end rows with extra tabs. Columns are therefore found by name, extra columns are
left to the caller, and empty cells past the header are allowed. Missing values are written
"None"; lists (several actors of a multilateral meeting, their countries, sectors, the
story's people) are separated by ";". Cells are not quoted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from ..errors import cut
from .common import Line, RowProblem, bad, decimal, iso_day, lines, split_list, value

REQUIRED = ("Event ID", "Event Date", "Event Type", "Actor Name", "Recipient Name")
# Other spellings of a column in some releases, read as the name on the left.
ALIASES = {"Intensity": ("Intensity", "Event Intensity")}
# CONSULT's modes in PLOVER (how the sides met) as the kinds ICEWS's CAMEO codes give the
# same meetings: 042/043 visit, 041 call ("discuss by telephone"), 044 meeting ("meet at a
# third location"); a multilateral meeting is a meeting too, its participants on the event.
CONSULT_KINDS = {"visit": "visit", "phone": "call", "third-party": "meeting",
                 "multilateral": "meeting"}  # fmt: skip


@dataclass(frozen=True)
class PolecatSide:
    """The actor or the recipient of a POLECAT event; lists hold one item per participant."""

    names: tuple[str, ...]
    countries: tuple[str, ...]  # ISO alpha-3 codes as POLECAT writes them
    cows: tuple[str, ...]  # COW numbers as written
    primary_sector: str | None
    sectors: tuple[str, ...]
    title: str | None
    wikipedia: str | None


@dataclass(frozen=True)
class PolecatRow:
    """One POLECAT event row, typed."""

    line: int
    event_id: str
    day: dt.date
    event_type: str  # PLOVER: "consult", "agree", "accuse", ...
    mode: str | None  # for CONSULT: "visit", "third-party", "multilateral", "phone"
    intensity: float | None
    quad: str | None  # "VERBAL COOPERATION", "MATERIAL CONFLICT", ...
    contexts: tuple[str, ...]
    actor: PolecatSide
    recipient: PolecatSide
    place: str | None
    country: str | None  # where it happened, ISO alpha-3
    lat: float | None
    long: float | None
    source: str | None
    published: dt.date | None
    story_people: tuple[str, ...]
    story_organizations: tuple[str, ...]
    language: str | None


def read_polecat(chunks: Iterable[bytes]) -> Iterator[PolecatRow | RowProblem]:
    """Yield each row of a POLECAT file, or the problem that stops it.

    A header without the required columns is one problem on line 1, and nothing more is read.
    """
    columns: dict[str, int] | None = None
    width = 0
    for line in lines(chunks):
        if line.text is None:
            if columns is None:  # without its header no row can be read: the end
                yield RowProblem(
                    line.number, f"header: {line.why}; expected POLECAT's tab-separated header"
                )
                return
            yield RowProblem(line.number, f"row: {line.why}; expected one POLECAT event a line")
        elif columns is None:
            if not line.text.strip():
                continue  # blank lines before the header: a file of them is empty
            found = _header(line)
            if isinstance(found, RowProblem):
                yield found
                return
            columns, width = found, len(line.text.split("\t"))
        elif line.text.strip():
            try:
                yield _row(line.number, line.text.split("\t"), columns, width)
            except ValueError as error:
                yield RowProblem(line.number, str(error))


def kind(row: PolecatRow) -> str:
    """Return the event kind of a POLECAT row: its PLOVER type, or its CONSULT mode's kind."""
    if row.event_type == "consult":
        return CONSULT_KINDS.get(row.mode or "", "consultation")
    return row.event_type


def _header(line: Line) -> dict[str, int] | RowProblem:
    names = [name.strip().lstrip("\ufeff") for name in (line.text or "").split("\t")]
    columns: dict[str, int] = {}
    for i, name in enumerate(names):
        if name:
            columns.setdefault(name, i)
    for name, spellings in ALIASES.items():
        for spelling in spellings:
            if spelling in columns:
                columns.setdefault(name, columns[spelling])
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        seen = cut(", ".join(n for n in names if n) or "nothing")
        return RowProblem(
            line.number,
            f"header: no column {', '.join(missing)}; expected POLECAT's tab-separated "
            f"header (Event ID, Event Date, Event Type, Actor Name, Recipient Name, ...), "
            f"found {seen}",
        )
    return columns


def _row(number: int, cells: list[str], columns: dict[str, int], width: int) -> PolecatRow:
    if len(cells) < width or any(c.strip() for c in cells[width:]):
        raise ValueError(
            f"row: {len(cells)} tab-separated columns; expected {width}, as the header names"
        )

    def cell(name: str) -> str | None:
        at = columns.get(name)
        return value(cells[at]) if at is not None else None

    event_id, day, kind = cell("Event ID"), cell("Event Date"), cell("Event Type")
    if event_id is None or day is None or kind is None:
        raise ValueError("Event ID, Event Date, Event Type: empty; expected all three")
    published = cell("Publication Date")
    return PolecatRow(
        line=number,
        event_id=event_id,
        day=iso_day("Event Date", day),
        event_type=kind.casefold(),
        mode=_lower(cell("Event Mode")),
        intensity=decimal("Intensity", cell("Intensity") or ""),
        quad=cell("Quad Code"),
        contexts=split_list(cell("Contexts")),
        actor=_side(cell, "Actor"),
        recipient=_side(cell, "Recipient"),
        place=cell("Placename"),
        country=cell("Country"),
        lat=_within("Latitude", cell("Latitude"), 90),
        long=_within("Longitude", cell("Longitude"), 180),
        source=cell("Source"),
        published=iso_day("Publication Date", published) if published else None,
        story_people=split_list(cell("Story People")),
        story_organizations=split_list(cell("Story Organizations")),
        language=cell("Language"),
    )


def _lower(text: str | None) -> str | None:
    return text.casefold() if text is not None else None


def _within(field: str, text: str | None, limit: float) -> float | None:
    number = decimal(field, text or "")
    if number is not None and not -limit <= number <= limit:
        raise ValueError(bad(field, text or "", f"a number from -{limit:g} to {limit:g}"))
    return number


def _side(cell: Callable[[str], str | None], side: str) -> PolecatSide:
    return PolecatSide(
        names=split_list(cell(f"{side} Name")),
        countries=split_list(cell(f"{side} Country")),
        cows=split_list(cell(f"{side} COW")),
        primary_sector=cell(f"Primary {side} Sector"),
        sectors=split_list(cell(f"{side} Sectors")),
        title=cell(f"{side} Title"),
        wikipedia=cell(f"Wikipedia {side} ID"),
    )
