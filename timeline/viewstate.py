"""The view state declared once: each URL parameter, its field, its widget and how it filters.

`PARAMS` is the one table of the view. The URL codec (query.py), the widgets' values
(session.py, page/widgets.py), the filter (filters.filter_mask) and the filters in words
(selection.py) iterate over it; a lane kind's entry is derived from its row in
`lanes.LANES`. A new filter is one `Param` here with its rule, and its field in
`state.FilterState`; the defaults and the choices are read from FilterState itself.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, get_args, get_type_hints

import numpy as np
import pandas as pd

from .dates import day_stamp
from .lanes import LANES
from .state import FilterState, LaneKind
from .text import fold

if TYPE_CHECKING:
    from .filters import Index

# How a parameter's values are read and written: lane or kind keys (repeated, each checked
# against the data's), one of a Literal's choices, a day (one end of a range), free text,
# an event's id.
Codec = Literal["keys", "choice", "day", "text", "event"]
# How a parameter filters: the events (a mask over the frame) that its value keeps.
Rule = Callable[[pd.DataFrame, Any, FilterState, "Index"], np.ndarray]


@dataclass(frozen=True)
class Param:
    """One parameter of the view: its URL name, its FilterState field, its widget, its rule."""

    name: str  # in the URL, and the key of its widget unless `widget` names a shared one
    field: str  # the FilterState's field (for keys, the Catalog's field of valid values too)
    codec: Codec
    widget: str = ""  # the two ends of a range share one widget: "dates", "zoom"
    lane: LaneKind | None = None  # the lane kind whose keys it chooses
    words: str = ""  # its name in the filter line ("kind", "kinds" for several; "up to" a day)
    rule: Rule | None = None  # how it keeps events; None: it does not filter

    @property
    def key(self) -> str:
        """Return the session state's key of its widget."""
        return self.widget or self.name

    @property
    def repeated(self) -> bool:
        """Say whether the URL may repeat it (leader=a&leader=b)."""
        return self.codec == "keys"

    @property
    def default(self) -> Any:
        """Return its value in the unfiltered view: the FilterState's default."""
        return _DEFAULTS[self.field]

    @property
    def choices(self) -> tuple[str, ...]:
        """Return a choice's valid values, from the FilterState field's Literal type."""
        return get_args(_HINTS[self.field]) if self.codec == "choice" else ()


_DEFAULTS = {f.name: f.default for f in dataclasses.fields(FilterState)}
_HINTS = get_type_hints(FilterState)


def _on_lanes(kind: LaneKind) -> Rule:
    def rule(frame: pd.DataFrame, chosen: Any, state: FilterState, index: Index) -> np.ndarray:
        return index.of(kind).matching(tuple(chosen), state.match)

    return rule


def _of_kinds(frame: pd.DataFrame, kinds: Any, state: FilterState, index: Index) -> np.ndarray:
    return frame["kind"].isin(kinds).to_numpy()


# A month-only event overlaps every day of its month: an event matches the days it overlaps.
def _ends_from(frame: pd.DataFrame, day: Any, state: FilterState, index: Index) -> np.ndarray:
    return (frame["last"] >= day_stamp(day)).to_numpy()


def _starts_by(frame: pd.DataFrame, day: Any, state: FilterState, index: Index) -> np.ndarray:
    return (frame["start"] <= day_stamp(day)).to_numpy()


def _says(frame: pd.DataFrame, q: Any, state: FilterState, index: Index) -> np.ndarray:
    keep = np.ones(len(frame), dtype=bool)
    for word in fold(q).split():  # every word, anywhere in the event or its people
        keep &= index.search(word)
    return keep


LANE_PARAMS: tuple[Param, ...] = tuple(
    Param(spec.param, spec.field, "keys", lane=kind, words=spec.word, rule=_on_lanes(kind))
    for kind, spec in LANES.items()
)
# In the order links are written (and their values read): the lanes, then the rest.
PARAMS: tuple[Param, ...] = (
    *LANE_PARAMS,
    Param("match", "match", "choice"),
    Param("kind", "kinds", "keys", words="kind", rule=_of_kinds),
    Param("from", "date_from", "day", widget="dates", words="from", rule=_ends_from),
    Param("to", "date_to", "day", widget="dates", words="up to", rule=_starts_by),
    Param("q", "q", "text", words="search", rule=_says),
    Param("event", "event", "event"),
    Param("view", "view", "choice"),
    Param("lanes", "lanes", "choice"),
    Param("order", "order", "choice"),
    # The chart's time axis, zoomed: what it shows, not what matches (no rule).
    Param("zoom_from", "zoom_from", "day", widget="zoom"),
    Param("zoom_to", "zoom_to", "day", widget="zoom"),
    Param("lang", "lang", "choice"),  # the interface's language (timeline/i18n.py)
    # The Story view's authored story: how to see, not what matches (checked by story.py).
    Param("story", "story", "text"),
)
BY_NAME: dict[str, Param] = {p.name: p for p in PARAMS}


def _ranges() -> dict[str, tuple[Param, Param]]:
    ends: dict[str, list[Param]] = {}
    for p in PARAMS:
        if p.codec == "day":
            ends.setdefault(p.widget, []).append(p)
    return {key: (first, last) for key, (first, last) in ends.items()}


# The ranges of days, by widget: (its first day's parameter, its last day's).
RANGES: dict[str, tuple[Param, Param]] = _ranges()
# The widgets' keys, each once, in the table's order.
WIDGET_KEYS: tuple[str, ...] = tuple(dict.fromkeys(p.key for p in PARAMS))
# The parameter that chooses each lane kind's keys ("country" for states).
LANE_PARAM: dict[LaneKind, str] = {p.lane: p.name for p in LANE_PARAMS if p.lane}


def is_filtered(state: FilterState) -> bool:
    """Say whether a state leaves events out: any parameter with a rule off its default."""
    return any(p.rule and is_set(state, p) for p in PARAMS)


def is_set(state: FilterState, p: Param) -> bool:
    """Say whether a state sets a parameter: a value, not its default."""
    value = getattr(state, p.field)
    return bool(value) and value != p.default


def filter_mask(frame: pd.DataFrame, state: FilterState, index: Index) -> np.ndarray:
    """Return a mask of the events that match every parameter chosen, by its rule."""
    keep = np.ones(len(frame), dtype=bool)
    for p in PARAMS:
        if p.rule is not None and is_set(state, p):
            keep &= p.rule(frame, getattr(state, p.field), state, index)
    return keep


def day_range(state: FilterState, key: str) -> tuple[dt.date | None, dt.date | None]:
    """Return a range's first and last day in a state (None where open)."""
    start, end = RANGES[key]
    return getattr(state, start.field), getattr(state, end.field)
