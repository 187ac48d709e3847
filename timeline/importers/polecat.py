"""POLECAT event data (PLOVER ontology): the Dataverse tab-separated files, read as streams.

Each row's actor and recipient may list several participants (a multilateral meeting):
each becomes a side of the event, so that every pair of them met. A participant is told
apart as ICEWS's are (`eventdata.icews_actors.classify`), POLECAT's sector codes read as
ICEWS's sector names; its ISO code gives its state's name. CONSULT's modes give the kind
(`eventdata.polecat.kind`); repeats of one interaction are folded (`eventdata.fold`).
"""

from __future__ import annotations

import datetime as dt

from .. import gazetteer
from ..errors import shown
from ..eventdata import icews_actors
from ..eventdata.common import RowProblem
from ..eventdata.fold import Coded, Group
from ..eventdata.polecat import PolecatRow, PolecatSide, kind, read_polecat
from ..eventdata.sides import Kind, Side
from ..files import max_bytes
from ..schema import Source
from .common import Imported, ImportFailure, Options, Skip, one_line
from .format import Option
from .icews import ANY, COUNTRY, FROM, NO_FOLD, TO
from .streaming import (
    Cited,
    EventData,
    Job,
    Row,
    StreamingFormat,
    Streams,
    check_filters,
    described,
    empty,
    from_bytes,
    ids_note,
    pending_event,
    summary_of,
)

EXPECTED = "POLECAT event data: tab-separated, with a header naming Event ID, Event Date, ..."
TITLE = "POLECAT event data"
# PLOVER's event types (PLOVER 2021 specification; POLECAT codes these sixteen).
PLOVER_TYPES = frozenset(
    """
    agree consult support concede cooperate aid retreat request accuse reject threaten
    protest sanction mobilize coerce assault
    """.split()
)
# POLECAT's sector codes for organs of a state, as the ICEWS sector names that say so.
_STATE_SECTORS = {
    "GOV": "Government", "MIL": "Military", "COP": "Police", "JUD": "Judicial",
    "LEG": "Legislative", "SPY": "Intelligence", "ELI": "Executive",
}  # fmt: skip
_KINDS = {
    icews_actors.Kind.PERSON: Kind.PERSON,
    icews_actors.Kind.STATE: Kind.STATE,
    icews_actors.Kind.ORGANISATION: Kind.ORGANISATION,
}
MAX_PEOPLE = 10  # of a story's people named in an event's note


def check_type(text: str) -> str:
    """Return a PLOVER event type as POLECAT writes it, lowercase; ValueError if it is none."""
    word = text.strip().casefold()
    if word not in PLOVER_TYPES:
        listed = ", ".join(sorted(PLOVER_TYPES))
        raise ValueError(f"{shown(text)} is not a PLOVER event type (expected one of {listed})")
    return word


def _participants(side: PolecatSide) -> list[Side]:
    """Return each participant of a side, classified, with its state's name."""
    names = side.names
    codes: tuple[str | None, ...] = side.countries
    if len(codes) != len(names):  # one country for all, or none that can be paired
        codes = codes[:1] * len(names) if len(codes) == 1 else (None,) * len(names)
    sectors = ", ".join(_STATE_SECTORS.get(s.upper(), s) for s in side.sectors)
    found = []
    for name, code in zip(names, codes, strict=True):
        state = gazetteer.resolve(code) if code else None
        country = state.name if state else code
        actor = icews_actors.classify(name, sectors if len(names) == 1 else "", country or "")
        found.append(
            Side(actor.name, _KINDS[actor.kind], country=actor.state or country, spelled=code)
        )
    return found


def _title(row: PolecatRow) -> str:
    what = row.event_type.capitalize()
    return f"{what} ({row.mode})" if row.mode else what


def _said(row: PolecatRow) -> str:
    """Return what PLOVER codes, as the summary says it: PLOVER CONSULT, mode visit."""
    mode = f", mode {row.mode}" if row.mode else ""
    return f"PLOVER {row.event_type.upper()}{mode}"


def _cited(row: PolecatRow) -> Cited | None:
    """Return the story's publisher as a source, dated by its publication; POLECAT links none."""
    if row.source is None:
        return None
    publisher = one_line(row.source)
    day = (row.published or row.day).isoformat()
    title = f"{publisher} story of {day}, coded by POLECAT"
    source = Source(title=title, publisher=publisher, date=day)
    return Cited(("story", publisher, day), f"{publisher}-{day}", source)


class _Polecat(EventData):
    def take(self, label: str, row: PolecatRow) -> None:
        """Keep a row's event if the filters want it; Skip when it is wanted but unusable."""
        if not self.in_dates(row.day):
            return
        if self.options.event_types and row.event_type not in self.options.event_types:
            self.report.filtered += 1
            return
        actors, recipients = _participants(row.actor), _participants(row.recipient)
        if not actors:
            raise Skip("Actor Name: empty; expected who acted (names separated by ';')")
        multilateral = row.mode == "multilateral"
        if not recipients and not multilateral:
            raise Skip("Recipient Name: empty; expected whom it was done to")
        if recipients and not self.wanted((actors, recipients)):
            return
        if not recipients and not self.wanted_meeting(actors):
            return
        sides = (actors, recipients)
        everyone = [*actors, *recipients]
        countries = [c for s in everyone if (c := s.lane())]
        first = ", ".join(s.name for s in actors)
        second = ", ".join(s.name for s in recipients)
        event = pending_event(
            title=f"{_title(row)}: {first}" + (f" → {second}" if second else ""),
            date=row.day.isoformat(),
            kind=kind(row),
            place=one_line(row.place) if row.place else None,
            summary=summary_of(sides, _said(row)),
            countries=list(dict.fromkeys(countries)) or None,
        )
        cited = _cited(row)
        people = [s for s in everyone if s.kind is Kind.PERSON]
        data = Row(f"{label}:{row.line}", row.event_id, event, people, cited)
        data.story_people = row.story_people[:MAX_PEOPLE]
        keys = [tuple(s.key for s in side) for side in sides]
        self.add(
            Coded(
                day=row.day.isoformat(),
                sides=(keys[0], keys[1]),
                code=f"{row.event_type}/{row.mode or ''}",
                data=data,
                where=data.where,
                story=cited.key[1] + cited.key[2] if cited else None,
                publisher=cited.source.publisher if cited else None,
            )
        )


def _note(group: Group[Row]) -> str:
    row = group.first.data
    people = row.story_people
    parts = [
        ids_note(row, group.rows, "POLECAT event"),
        f"The story names {', '.join(people)}." if people else None,
        group.told("story"),
    ]
    return " ".join(p for p in parts if p)


def import_polecat_streams(
    streams: Streams, name: str, options: Options, today: dt.date
) -> Imported:
    """Import POLECAT files, read as streams, keeping the filters' events."""
    job = _Polecat(Job("polecat", name, TITLE, today), options, not options.no_fold, max_bytes())
    job.chunked(_note)  # a store (--store) takes the events a chunk at a time
    for label, chunks in streams:
        job.first_label = job.first_label or label
        for item in read_polecat(chunks):
            if isinstance(item, RowProblem):
                if item.message.startswith("header:"):  # no row of this input can be read
                    raise ImportFailure(f"{label}:{item.line}", item.message)
                job.problem(label, item)
                continue
            job.rows += 1
            try:
                job.take(label, item)
            except Skip as err:
                job.report.skip(f"{label}:{item.line}", str(err))
    if not job.rows:
        raise empty(job.first_label, EXPECTED)
    types = options.event_types
    codes = f"PLOVER types {', '.join(types)}" if types else None
    comment = (
        "Each source is a publisher's stories of one day, as POLECAT names them; POLECAT "
        "gives no title or link. PLOVER codes no public statements: none are imported."
    )
    description = described("POLECAT", options, codes)
    return job.build(f"POLECAT events from {name}", description, comment, _note)


TYPE = Option(
    "--type",
    "event_types",
    "keep these PLOVER event types, e.g. consult (repeat)",
    metavar="TYPE",
    action="append",
    check=check_type,
)
FORMAT = StreamingFormat(
    name="polecat",
    title=TITLE,
    help="POLECAT event data (PLOVER), Dataverse's tab-separated files, one or many, zipped or not",
    plain_name="POLECAT event data",
    options=(COUNTRY, ANY, TYPE, FROM, TO, NO_FOLD),
    run=from_bytes(import_polecat_streams),
    check=check_filters,
    stream=import_polecat_streams,
)
