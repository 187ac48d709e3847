"""What a viewer sees, as typed values: the choices, the filter state and the data's catalog."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar, get_args

Match = Literal["any", "all"]
ViewName = Literal["timeline", "matrix", "tempo", "table", "story", "publish"]
LaneKind = Literal["leader", "country", "tag"]
LaneOrder = Literal["first", "count", "name", "file"]
Unit = Literal["M", "Q", "Y"]
# The page's languages (timeline/i18n.py has their catalogs, names and directions).
Lang = Literal["en", "ru", "fa", "tr", "ar"]

MATCHES: tuple[Match, ...] = get_args(Match)
VIEWS: tuple[ViewName, ...] = get_args(ViewName)
LANE_KINDS: tuple[LaneKind, ...] = get_args(LaneKind)
LANE_ORDERS: tuple[LaneOrder, ...] = get_args(LaneOrder)
UNITS: tuple[Unit, ...] = get_args(Unit)
LANGS: tuple[Lang, ...] = get_args(Lang)

# Months in each unit, and the word people use for it: written once.
MONTHS_IN: dict[Unit, int] = {"M": 1, "Q": 3, "Y": 12}
UNIT_WORDS: dict[Unit, str] = {"M": "month", "Q": "quarter", "Y": "year"}

T = TypeVar("T", bound=str)

# The usual kinds, in the order lists and legends give them; others follow alphabetically.
KNOWN_KINDS = ("meeting", "summit", "visit", "agreement", "statement", "report")


def ordered_kinds(kinds: Iterable[str]) -> list[str]:
    """Return distinct kinds in a stable order: the usual ones first, then the rest by name."""
    found = set(kinds)
    return [k for k in KNOWN_KINDS if k in found] + sorted(found - set(KNOWN_KINDS))


def check_choice(name: str, value: Any, valid: tuple[T, ...]) -> T:
    """Return `value` when it is one of `valid`, else raise ValueError naming the choices."""
    if value not in valid:
        raise ValueError(
            f"Invalid value of {name}: expected one of {', '.join(map(repr, valid))}, got {value!r}"
        )
    return value


@dataclass(frozen=True)
class FilterState:
    """What a viewer sees: chosen lanes and filters, dates, search text, the open event."""

    leaders: tuple[str, ...] = ()
    match: Match = "any"
    kinds: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    q: str = ""
    event: str | None = None
    view: ViewName = "timeline"
    countries: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    lanes: LaneKind = "leader"
    order: LaneOrder = "first"
    # The chart's time axis, zoomed: what it shows, not what matches (the dates above).
    zoom_from: dt.date | None = None
    zoom_to: dt.date | None = None
    lang: Lang = "en"  # the interface's language: how it reads, not what it shows
    story: str = ""  # the Story view's authored story (timeline/story.py); "": every event

    def __post_init__(self) -> None:
        check_choice("match", self.match, MATCHES)
        check_choice("view", self.view, VIEWS)
        check_choice("lanes", self.lanes, LANE_KINDS)
        check_choice("order", self.order, LANE_ORDERS)
        check_choice("lang", self.lang, LANGS)
        if self.zoom_from and self.zoom_to and self.zoom_from > self.zoom_to:
            raise ValueError(
                f"Invalid zoom: expected its first day on or before its last, got "
                f"{self.zoom_from} to {self.zoom_to}"
            )

    @property
    def window(self) -> tuple[dt.date | None, dt.date | None]:
        """Return the days the timeline's axis shows: the zoom where set, else the dates."""
        return (self.zoom_from or self.date_from, self.zoom_to or self.date_to)


@dataclass(frozen=True)
class Catalog:
    """The valid values of a dataset, to check a URL and the widgets against."""

    leaders: tuple[str, ...]
    kinds: tuple[str, ...]
    events: frozenset[str]
    first: dt.date | None = None
    last: dt.date | None = None
    countries: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    @property
    def span(self) -> tuple[dt.date, dt.date] | None:
        """Return the first and last day of the data, or None without events."""
        return (self.first, self.last) if self.first and self.last else None
