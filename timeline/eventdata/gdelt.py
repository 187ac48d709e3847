"""GDELT 2.0 event rows: the 61-column tab-separated export, no header, read as a stream.

The columns, in order, are those of the GDELT 2.0 Event Codebook (V2.0, 2015, "Event table
format"; http://data.gdeltproject.org/documentation/GDELT-Event_Codebook-V2.0.pdf): GDELT
1.0's 57 columns and SOURCEURL, with an ADM2Code after each ADM1Code. Actor country codes
are CAMEO codes (ISO alpha-3 for most states; `gazetteer.resolve` reads them); the Geo
country codes are FIPS 10-4 codes, which the gazetteer does not read ("RS" is Russia
there, Serbia in ISO), so they are kept as written.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import Enum

from .. import gazetteer
from ..errors import shown
from .common import (
    Line,
    RowProblem,
    bad,
    count,
    decimal,
    integer,
    lines,
    value,
)

_ACTOR = ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
          "Religion2Code", "Type1Code", "Type2Code", "Type3Code")  # fmt: skip
_GEO = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor1{name}" for name in _ACTOR),
    *(f"Actor2{name}" for name in _ACTOR),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
    "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"Actor1Geo_{name}" for name in _GEO),
    *(f"Actor2Geo_{name}" for name in _GEO),
    *(f"ActionGeo_{name}" for name in _GEO),
    "DATEADDED", "SOURCEURL",
)  # fmt: skip
_AT = {name: i for i, name in enumerate(COLUMNS)}
_CAMEO = re.compile(r"[0-9]{2,4}")


@dataclass(frozen=True)
class GdeltActor:
    """One side of a GDELT event, as coded: CAMEO codes, and the name as GDELT writes it."""

    code: str | None  # the full CAMEO actor code: "RUSGOV"
    name: str | None  # "RUSSIA", "VLADIMIR PUTIN": GDELT writes names in capitals
    country: str | None  # CAMEO country code: "RUS"
    known_group: str | None
    ethnic: str | None
    religions: tuple[str, ...]
    types: tuple[str, ...]  # CAMEO type codes: "GOV", "MIL", "COP", ...


@dataclass(frozen=True)
class GdeltPlace:
    """A place GDELT gives for an actor or the action; its country code is FIPS 10-4."""

    kind: int | None  # 1 country, 2 US state, 3 US city, 4 world city, 5 world state
    name: str | None
    fips_country: str | None
    adm1: str | None
    adm2: str | None
    lat: float | None
    long: float | None
    feature: str | None


@dataclass(frozen=True)
class GdeltRow:
    """One GDELT 2.0 event row, typed."""

    line: int
    event_id: int
    day: dt.date
    actor1: GdeltActor
    actor2: GdeltActor
    root_event: bool
    event_code: str  # CAMEO, leading zero kept: "042"
    base_code: str | None
    root_code: str | None
    quad_class: int | None
    goldstein: float | None
    mentions: int
    sources: int
    articles: int
    tone: float | None
    actor1_place: GdeltPlace
    actor2_place: GdeltPlace
    action_place: GdeltPlace
    added: dt.datetime | None
    source_url: str | None


def read_gdelt(chunks: Iterable[bytes]) -> Iterator[GdeltRow | RowProblem]:
    """Yield each row of a GDELT 2.0 event export, or the problem that stops it."""
    for line in lines(chunks):
        if line.text is None:
            yield RowProblem(line.number, f"row: {line.why}; expected one GDELT event a line")
        elif line.text.strip() and not _header(line):
            try:
                yield _row(line.number, line.text.split("\t"))
            except ValueError as error:
                yield RowProblem(line.number, str(error))


def _header(line: Line) -> bool:
    """Say whether a line is a header row as BigQuery exports write one (then skipped)."""
    return line.number == 1 and (line.text or "").upper().startswith("GLOBALEVENTID\t")


def _row(number: int, cells: list[str]) -> GdeltRow:
    if len(cells) != len(COLUMNS):
        raise ValueError(
            f"row: {len(cells)} tab-separated columns; expected {len(COLUMNS)} "
            "(GDELT 2.0's event export, GLOBALEVENTID to SOURCEURL)"
        )

    def cell(name: str) -> str:
        return cells[_AT[name]]

    code = cell("EventCode").strip()
    if not _CAMEO.fullmatch(code):
        raise ValueError(bad("EventCode", code, "a CAMEO event code of 2 to 4 digits"))
    return GdeltRow(
        line=number,
        event_id=integer("GLOBALEVENTID", cell("GLOBALEVENTID")),
        day=_day(cell("SQLDATE")),
        actor1=_actor(cells, "Actor1"),
        actor2=_actor(cells, "Actor2"),
        root_event=cell("IsRootEvent").strip() == "1",
        event_code=code,
        base_code=value(cell("EventBaseCode")),
        root_code=value(cell("EventRootCode")),
        quad_class=_quad(cell("QuadClass")),
        goldstein=decimal("GoldsteinScale", cell("GoldsteinScale")),
        mentions=count("NumMentions", cell("NumMentions")),
        sources=count("NumSources", cell("NumSources")),
        articles=count("NumArticles", cell("NumArticles")),
        tone=decimal("AvgTone", cell("AvgTone")),
        actor1_place=_place(cells, "Actor1Geo_"),
        actor2_place=_place(cells, "Actor2Geo_"),
        action_place=_place(cells, "ActionGeo_"),
        added=_added(cell("DATEADDED")),
        source_url=value(cell("SOURCEURL")),
    )


def _digits(text: str, parts: tuple[int, ...]) -> tuple[int, ...] | None:
    """Return the numbers of a text of ASCII digits cut at these widths, or None.

    strptime took a fifth of the time of a row; these are fixed-width digits.
    """
    text = text.strip()
    if len(text) != sum(parts) or not (text.isascii() and text.isdigit()):
        return None
    numbers, at = [], 0
    for width in parts:
        numbers.append(int(text[at : at + width]))
        at += width
    return tuple(numbers)


def _day(text: str) -> dt.date:
    found = _digits(text, (4, 2, 2))
    try:
        if found is None:
            raise ValueError(text)
        return dt.date(*found)
    except ValueError:
        raise ValueError(bad("SQLDATE", text, "a date written YYYYMMDD")) from None


def _added(text: str) -> dt.datetime | None:
    if value(text) is None:
        return None
    found = _digits(text, (4, 2, 2, 2, 2, 2))
    try:
        if found is None:
            raise ValueError(text)
        year, month, day, hour, minute, second = found
        return dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.UTC)
    except ValueError:
        raise ValueError(bad("DATEADDED", text, "a UTC time written YYYYMMDDHHMMSS")) from None


def _quad(text: str) -> int | None:
    if value(text) is None:
        return None
    quad = integer("QuadClass", text)
    if not 1 <= quad <= 4:
        raise ValueError(bad("QuadClass", text, "1, 2, 3 or 4"))
    return quad


def _actor(cells: list[str], side: str) -> GdeltActor:
    def cell(name: str) -> str | None:
        return value(cells[_AT[side + name]])

    religions = (cell("Religion1Code"), cell("Religion2Code"))
    types = (cell("Type1Code"), cell("Type2Code"), cell("Type3Code"))
    return GdeltActor(
        code=cell("Code"),
        name=cell("Name"),
        country=cell("CountryCode"),
        known_group=cell("KnownGroupCode"),
        ethnic=cell("EthnicCode"),
        religions=tuple(r for r in religions if r),
        types=tuple(t for t in types if t),
    )


def _place(cells: list[str], prefix: str) -> GdeltPlace:
    def cell(name: str) -> str:
        return cells[_AT[prefix + name]]

    kind = value(cell("Type"))
    lat = decimal(prefix + "Lat", cell("Lat"))
    long = decimal(prefix + "Long", cell("Long"))
    if lat is not None and not -90 <= lat <= 90:
        raise ValueError(bad(prefix + "Lat", cell("Lat"), "a latitude from -90 to 90"))
    if long is not None and not -180 <= long <= 180:
        raise ValueError(bad(prefix + "Long", cell("Long"), "a longitude from -180 to 180"))
    return GdeltPlace(
        kind=integer(prefix + "Type", kind) if kind is not None else None,
        name=value(cell("FullName")),
        fips_country=value(cell("CountryCode")),
        adm1=value(cell("ADM1Code")),
        adm2=value(cell("ADM2Code")),
        lat=lat,
        long=long,
        feature=value(cell("FeatureID")),
    )


# --- Who a side is --------------------------------------------------------------------------
#
# The codebook's Actor1Name: "In the case of a political leader or organization, this will
# be the leader's formal name (GEORGE W BUSH, UNITED NATIONS), for a geographic match it
# will be either the country or capital/major city name (UNITED STATES / PARIS), and for
# ethnic, religious, and type matches it will reflect the root match class (KURD,
# CATHOLIC, POLICE OFFICER, etc)". Actor1Code is the country code followed by the role and
# type codes (RUSGOV, USAMIL, IRNELI); a geographic match is the country code alone. So:
#
# - a side with a country code that is a state is that state, except a person: a person is
#   only a side whose code carries a role or type (a leader is RUSGOV, never RUS) and
#   whose name is a personal name (two to five words, none naming a role, an organ, a
#   group or a place: "PRESIDENT", "POLICE OFFICER", "WHITE HOUSE", "NEW YORK" and
#   "MOSCOW" are the state). GOV, MIL, COP, JUD, LEG and the other types alone make an
#   agency of the state, and a company (BUS) or group with a country gives that state;
# - a CAMEO region code (MEA, AFR, EUR) names no state: the side is the region, placed as
#   an organisation is;
# - without a country, a known group (IGO, NGO, rebel group: UNO, NATO) is an organisation
#   named as GDELT names it, and a personal name a person without a state;
# - anything else (a generic name without a country, "PROTESTER") cannot be placed.

_NOT_PERSONAL = frozenset(
    """
    academy administration agency airline alliance ambassador army assembly association
    attorney authorities authority bank board brigade bureau business cabinet capital
    catholic center centre chief child children christian church citizen city civilian
    clergy coalition college commander command commission committee community company
    congress corporation council court crown department detainee diplomat director doctor
    east embassy employee farmer federal federation force forces foreign front fund gang
    general government governor guard head health hospital immigrant insurgent
    intelligence international islamic jewish journalist judge king kingdom labor labour
    lawmaker lawyer leader legislator media migrant militant military minister ministry
    monarch mosque muslim national navy new news north official officer opposition
    organisation organization parliament party people police president prime prince
    prisoner prosecutor protester province queen rebel refugee regime region republic
    resident royal saint san santa school secretary security senate senator service
    soldier south spokesman spokesperson state student supreme terrorist tribal tribe
    troops union university victim village villager west woman women worker
    african airlines amnesty arab atlantic brotherhood corp cross european gas group hall
    holdings house human inc kremlin league ltd motors nations oil palace pentagon
    petroleum red rights street treaty united watch world
    """.split()
)
_LETTERS = re.compile(r"[A-Z][A-Z'.-]*")


def personal_name(name: str) -> bool:
    """Say whether a GDELT name (in capitals) is a person's: two to five words, none generic."""
    words = name.split()
    if not 2 <= len(words) <= 5 or not all(_LETTERS.fullmatch(w) for w in words):
        return False
    if any(w.strip(".'-").casefold() in _NOT_PERSONAL for w in words):
        return False
    return gazetteer.resolve(name) is None and gazetteer.part_of(name) is None


class SideKind(Enum):
    """What a GDELT side is."""

    PERSON = "person"
    STATE = "state"  # the state itself, a city of it, an organ or agency, a group of its people
    GROUP = "group"  # no state: an organisation (UNO, NATO) or a CAMEO region


@dataclass(frozen=True)
class GdeltSide:
    """A GDELT side, classified: its name as the events file writes it, and its state."""

    name: str
    kind: SideKind
    state: str | None  # the gazetteer's name of its state: "Russia"
    spelling: str | None  # its country code as GDELT writes it, for --country: "RUS"


def classify(actor: GdeltActor) -> GdeltSide | str:
    """Return who a GDELT side is, or why it cannot be placed (a message without the side)."""
    code = actor.country
    state = gazetteer.resolve(code) if code else None
    if state is not None:
        role = actor.code is not None and actor.code != code and bool(actor.types)
        if role and actor.name and personal_name(actor.name):
            return GdeltSide(_titled(actor.name), SideKind.PERSON, state.name, code)
        return GdeltSide(state.name, SideKind.STATE, state.name, code)
    region = gazetteer.cameo_region(code) if code else None
    if region is not None:
        return GdeltSide(region, SideKind.GROUP, None, code)
    if actor.name and actor.known_group:
        return GdeltSide(_titled(actor.name), SideKind.GROUP, None, None)
    if actor.name and personal_name(actor.name):
        return GdeltSide(_titled(actor.name), SideKind.PERSON, None, None)
    if actor.name is None and actor.code is None and code is None:
        return "no actor coded"
    said = shown(actor.name or actor.code or code or "")
    return f"{said} has no state or known group (CountryCode {shown(code or '')})"


def _titled(name: str) -> str:
    """Return a name GDELT writes in capitals as names are written: Vladimir Putin."""
    return " ".join(w.capitalize() if w.isupper() else w for w in name.split())
