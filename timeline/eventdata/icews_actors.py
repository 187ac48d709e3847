"""ICEWS actors: is a row's Source or Target a person, a state, or an organisation?

ICEWS (Boschee et al., Harvard Dataverse doi:10.7910/DVN/28075) writes each side as a name,
a comma-separated list of sectors and a country. Its conventions, as its files show and as
tables built on them record (philip-schrodt/text_to_CAMEO's agentnames.txt and
countrynames.txt list its sectors and country names):

- a state is named by a common name while its country column has ICEWS's name for it:
  "Russia" / "Russian Federation", "Macedonia" / "Macedonia", "Palestinian Territory" /
  "Occupied Palestinian Territory"; sectors are empty (NA);
- a part of a state is named with its state in the country column: "Crimea" / "Ukraine",
  "Catalonia" / "Spain";
- a sector of a state is "Sector (Country)": "Citizen (Russia)", "Police (India)",
  "Ministry of Foreign Affairs (Iran)";
- a person is named by a personal name, with the sectors of the offices held
  ("Executive, Executive Office, Government" for Vladimir Putin) or none;
- an international organisation has no country: "United Nations", "European Union".

So the country column decides the state: a state, part of a state, sector or agency gives
its row's country (the file's own spelling) as its state. A person is recognised by its name,
never because the name differs from the country.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from .. import gazetteer
from ..text import fold
from .common import value
from .sides import Kind, Side

__all__ = ["IcewsActor", "Kind", "Why", "classify"]


class Why(Enum):
    """Which rule decided: said in messages and tested, so that each rule is seen to work."""

    SECTOR = "a sector of a state, written 'Sector (Country)'"
    STATE = "the name of a state"
    SAME_AS_COUNTRY = "the name is its row's country"
    PART = "a part of a state"
    AGENCY = "an agency of a state: an organisation's name with government sectors"
    NO_COUNTRY = "no country: an international organisation"
    PERSONAL_NAME = "a personal name"
    ORGANISATION_NAME = "an organisation's name"


@dataclass(frozen=True)
class IcewsActor:
    """One side of an ICEWS event, classified."""

    name: str
    kind: Kind
    state: str | None  # the state's name as the file spells it (the country column first)
    country: str | None  # the row's country column as written, for people and organisations
    why: Why

    def side(self) -> Side:
        """Return the actor as a side of an event (`sides.on_event` puts it there)."""
        return Side(self.name, self.kind, self.state, self.country)


_SECTOR = re.compile(r"(?P<what>.+?)\s*\((?P<country>[^()]+)\)")
# Sectors that make an organisation an organ of its state (ICEWS's government, military,
# police, legislative, judicial and state-owned sectors); parties are not organs of a state.
_GOVERNMENT = re.compile(
    r"government|executive|cabinet|ministry|police|military|army|navy|air force|marines|"
    r"coast guard|legislative|parliament|upper house|lower house|unicameral|judicial|court|"
    r"state media|state[- ]owned|intelligence|divisions|local|provincial|municipal",
    re.IGNORECASE,
)
_PARTY = re.compile(r"part(y|ies)", re.IGNORECASE)
# Words that name an organisation, not a person ("Federal Security Service", "Hamas" aside).
_ORGANISATION_WORDS = frozenset(
    """
    academy administration agency alliance army assembly association authority bank board
    brigade brotherhood bureau cabinet center centre church coalition college command
    commission committee community company congress corporation council court department
    directorate embassy federation force forces front fund government group guard institute
    international league legion majlis media ministry mission movement navy network news
    office organisation organization parliament party police press program programme radio
    regime republic school secretariat senate service society state tribunal union unit
    university
    united communist conservative liberal nationalist socialist
    """.split()  # the last line: parties' names ("United Russia", "Communist Party")
)


def classify(name: str, sectors: str, country: str) -> IcewsActor:
    """Say what an ICEWS actor is from its name, its sectors and its country column."""
    name = name.strip()
    country_text = value(country)
    if m := _SECTOR.fullmatch(name):
        return IcewsActor(name, Kind.STATE, country_text or m["country"].strip(), country_text,
                          Why.SECTOR)  # fmt: skip
    if country_text is not None and _key(name) == _key(country_text):
        return IcewsActor(name, Kind.STATE, country_text, country_text, Why.SAME_AS_COUNTRY)
    if gazetteer.resolve(name) is not None:
        # The file's own spelling of the state is its country column, when that is the same
        # state ("Russia" / "Russian Federation"); a state named apart from it is itself.
        same = country_text is not None and gazetteer.same_state(name, country_text)
        state = country_text if same else name
        return IcewsActor(name, Kind.STATE, state, country_text, Why.STATE)
    part = gazetteer.part_of(name)
    if part is not None:
        state = country_text or part.state.name
        return IcewsActor(name, Kind.STATE, state, country_text, Why.PART)
    if country_text is None:
        return IcewsActor(name, Kind.ORGANISATION, None, None, Why.NO_COUNTRY)
    if _organisation_name(name):
        if _government(sectors):
            return IcewsActor(name, Kind.STATE, country_text, country_text, Why.AGENCY)
        return IcewsActor(name, Kind.ORGANISATION, None, country_text, Why.ORGANISATION_NAME)
    return IcewsActor(name, Kind.PERSON, None, country_text, Why.PERSONAL_NAME)


def _key(text: str) -> str:
    """Return a name as names are compared: no case, accents, punctuation or extra spaces."""
    return " ".join(re.sub(r"[^\w ]+", " ", fold(text)).split())


def _government(sectors: str) -> bool:
    """Say whether a sector list names an organ of a state (and no party)."""
    items = [s for s in (value(p) for p in sectors.split(",")) if s]
    return any(_GOVERNMENT.search(s) and not _PARTY.search(s) for s in items)


def _organisation_name(name: str) -> bool:
    """Say whether a name is an organisation's rather than a person's.

    ICEWS names people by their personal names, two words or more, without digits; a
    single word ("Hamas", "Gazprom"), an acronym, a digit, or a word such as Ministry,
    Party or Council names an organisation.
    """
    words = re.findall(r"[^\W\d_]+", name.casefold())
    if len(words) < 2 or any(c.isdigit() for c in name):
        return True
    if any(word.isupper() and len(word) > 1 for word in name.split()):
        return True  # an acronym: "PKK", "NATO"
    return any(word in _ORGANISATION_WORDS for word in words)
