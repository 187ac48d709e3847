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


def _day(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text.strip(), "%Y%m%d").date()
    except ValueError:
        raise ValueError(bad("SQLDATE", text, "a date written YYYYMMDD")) from None


def _added(text: str) -> dt.datetime | None:
    if value(text) is None:
        return None
    try:
        return dt.datetime.strptime(text.strip(), "%Y%m%d%H%M%S").replace(tzinfo=dt.UTC)
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
