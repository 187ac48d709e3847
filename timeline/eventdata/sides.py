"""The two sides of a coded interaction, put on an event: people as leaders, states as states.

Event data names who acted and on whom; an event of the format takes part in it through
`leaders` (people of the file) and `countries` (states taking part as states). A `Side`
is one actor once its source's rules have said what it is (for ICEWS,
`icews_actors.classify(...).side()`); `on_event` puts a pair of sides on an event, and
`keeps` applies the `--country` filter to them. Shared by the event data importers: ICEWS
(`timeline/importers/icews.py`) and GDELT and POLECAT, which build their `Side`s from their
own actor columns (with `spelled`, their country code) and reuse the rest.

The rules, for every source:

- a person is a leader of the event, with the country its row gives; never a state;
- a state, a part of one (Crimea, Catalonia), a sector or an agency of one (Police of
  India, the Foreign Ministry) is its state in `countries`, spelled as the file spells it;
- an organisation with a country (a party, a company, an armed group) gives its country;
  one without (the United Nations, the European Union) is named in `countries` itself,
  as the importers always did.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum

from .. import gazetteer
from .countries import CountryFilter


class Kind(Enum):
    """What an actor of event data is, for the event it takes part in."""

    PERSON = "person"
    STATE = "state"  # a state, a part of one, a sector or an agency of one
    ORGANISATION = "organisation"


@dataclass(frozen=True)
class Side:
    """One actor of an interaction: its name as the file writes it, what it is, its state."""

    name: str
    kind: Kind
    state: str | None = None  # a state's spelling in the file, for STATE sides
    country: str | None = None  # the row's country for the actor, as written (a person's too)
    # The input's own spelling of its state where that is a code (GDELT's RUS, POLECAT's
    # ISO code), matched by --country; else the state's or country's spelling is.
    spelled: str | None = None

    @functools.cached_property
    def key(self) -> tuple[str, str, str]:
        """Return what tells two sides apart when repeats are folded: the side as it lands.

        A person is a leader (name and country); a state, its part, sector or agency is its
        state in `countries`, whatever the actor's name ("Russia" and "Military (Russia)"
        are one side); an organisation is itself, with its country.
        """
        if self.kind is Kind.STATE:
            lane = self.lane() or self.name
            state = gazetteer.resolve(lane)
            return (self.kind.value, state.name if state else lane.casefold(), "")
        return (self.kind.value, self.name.casefold(), (self.country or "").casefold())

    def label(self) -> str:
        """Return the side as a summary names it: a person with their country."""
        if self.kind is Kind.PERSON and self.country:
            return f"{self.name} ({self.country})"
        return self.name

    def lane(self) -> str | None:
        """Return what this side adds to the event's `countries`, or None for a person."""
        if self.kind is Kind.PERSON:
            return None
        if self.kind is Kind.STATE:
            return self.state or self.country or self.name
        return self.country or self.name

    def spelling(self) -> str | None:
        """Return the state's spelling the `--country` filter reads for this side."""
        return self.spelled or self.state or self.country


def keeps(sides: Sequence[Side], countries: CountryFilter | None, any_side: bool = False) -> bool:
    """Say whether the `--country` filter keeps these sides: all of them, or any with --any.

    The spellings matched are recorded for the filter's summary, apart for the rows kept
    and the rows left out, so that the summary names the spellings of the rows imported.
    """
    if countries is None:
        return True
    matched = [(side, countries.which(spelling)) for side in sides
               if (spelling := side.spelling())]  # fmt: skip
    found = [(side, typed) for side, typed in matched if typed is not None]
    kept = bool(found) if any_side else len(found) == len(sides)
    for side, typed in found:
        countries.record(typed, side.spelling() or "", kept)
    return kept


def on_event(
    sides: Sequence[Side], person: Callable[[str, str | None], str]
) -> tuple[list[str], list[str]]:
    """Return an event's leaders (ids from `person(name, country)`) and its countries."""
    leaders = [person(s.name, s.country) for s in sides if s.kind is Kind.PERSON]
    lanes = [lane for s in sides if (lane := s.lane())]
    return leaders, list(dict.fromkeys(lanes))
