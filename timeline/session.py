"""The page's state logic as pure functions: widget values to and from the typed state.

The page keeps one value per widget (its key is the URL parameter's name, `dates` for the
range); these functions seed them from a URL, reconcile them with a changed file, turn
clicks into changes and read the FilterState back. None of them needs Streamlit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from .query import Decoded, clamp
from .state import LANE_KINDS, Catalog, FilterState, check_choice
from .viewstate import LANE_PARAM, PARAMS, RANGES

Values = dict[str, Any]
# The widgets that hold lists of keys, with the catalog field of their valid values.
LIST_WIDGETS = {p.key: p.field for p in PARAMS if p.repeated}


def defaults(catalog: Catalog, view: str = "timeline") -> Values:
    """Return every widget's value for the unfiltered view (keeping the open tab)."""
    values: Values = {}
    for p in PARAMS:
        values[p.key] = [] if p.repeated else p.default
    for key in RANGES:
        values[key] = catalog.span or ()
    values["view"] = view
    return values


def seed(decoded: Decoded, catalog: Catalog) -> Values:
    """Return the widgets' values for a state read from a URL."""
    s = decoded.state
    values = defaults(catalog, s.view)
    for p in PARAMS:
        if p.codec != "day":
            value = getattr(s, p.field)
            values[p.key] = list(value) if p.repeated else value
    if catalog.first and catalog.last:
        for key, (start, end) in RANGES.items():
            first, last = getattr(s, start.field), getattr(s, end.field)
            values[key] = (first or catalog.first, last or catalog.last)
    return values


def reconcile(values: Mapping[str, Any], catalog: Catalog, span: object) -> Values:
    """Return the changes that fit the widgets to a file that may have changed under them.

    Chosen values the data no longer has are dropped; dates are kept within the data's
    range, and a view of all dates stays a view of all dates when the range moves. `span`
    is the range the widgets were last fitted to (None on the first run); the new one is
    returned as `span`.
    """
    changes: Values = {}
    for key, field in LIST_WIDGETS.items():
        valid = getattr(catalog, field)
        kept = [v for v in values[key] if v in valid]
        if kept != list(values[key]):
            changes[key] = kept
    if values["event"] is not None and values["event"] not in catalog.events:
        changes["event"] = None
    new_span = catalog.span
    changes["span"] = new_span
    if new_span is None:
        return changes
    for key in RANGES:
        fitted = _fit_range(values.get(key), span, new_span)
        if fitted != tuple(values.get(key) or ()):
            changes[key] = fitted
    return changes


def _fit_range(value: object, span: object, new_span: tuple[dt.date, dt.date]) -> tuple:
    """Return a range of days kept within the data's, the whole range if it was the whole."""
    days = tuple(value or ()) if isinstance(value, Sequence) else ()
    if span is not None and span != new_span and days == span:
        days = new_span
    clamped = tuple(min(max(d, new_span[0]), new_span[1]) for d in days)
    if len(clamped) != 2 or clamped[0] > clamped[1]:
        clamped = new_span  # (one date: a range half chosen)
    return clamped


def state_of(values: Mapping[str, Any], catalog: Catalog) -> FilterState:
    """Return the FilterState the widgets show (dates at the data's bounds left out)."""
    fields: dict[str, Any] = {}
    for p in PARAMS:
        value: Any = values[p.key] if p.codec != "day" else None
        if p.repeated:
            fields[p.field] = tuple(value)
        elif p.codec == "choice":
            fields[p.field] = check_choice(p.name, value, p.choices)
        elif p.codec == "text":
            fields[p.field] = " ".join(str(value).split())
        elif p.codec == "event":
            fields[p.field] = value
    for key, (start, end) in RANGES.items():
        days: Sequence[dt.date] = (values.get(key) or ()) if catalog.first else ()
        # A range half chosen (one day picked of two) is open at its end.
        fields[start.field] = days[0] if len(days) > 0 else None
        fields[end.field] = days[1] if len(days) > 1 else None
    return clamp(FilterState(**fields), catalog)


def clicked_event(points: Sequence[Mapping[str, Any]]) -> str | None:
    """Return the event id of the first clicked marker that carries one (not a group)."""
    ids = [p["customdata"] for p in points if isinstance(p.get("customdata"), str)]
    return ids[0] if ids else None


def clicked_group(points: Sequence[Mapping[str, Any]]) -> list[str]:
    """Return the event ids of a clicked group marker (which carries a list), or []."""
    for point in points:
        data = point.get("customdata")
        if isinstance(data, list) and data and all(isinstance(i, str) for i in data):
            return list(data)
    return []


def clicked_pair(points: Sequence[Mapping[str, Any]], lanes: str) -> Values:
    """Return the changes that show a clicked matrix cell's pair on the timeline."""
    keys = [p["customdata"] for p in points if isinstance(p.get("customdata"), list)]
    if not keys or len(keys[0]) != 2:
        return {}
    a, b = map(str, keys[0])
    widget = LANE_PARAM[check_choice("lanes", lanes, LANE_KINDS)]
    return {widget: [a] if a == b else [a, b], "match": "all", "event": None, "view": "timeline"}


def picked_row(rows: Sequence[int], ids: Sequence[str]) -> str | None:
    """Return the event id of the first picked table row, if it is still listed."""
    return ids[rows[0]] if rows and 0 <= rows[0] < len(ids) else None


def zoom_to(days: Sequence[dt.date], span: tuple[dt.date, dt.date] | None) -> tuple:
    """Return the zoom that shows these days (a crowded marker's) at their own scale."""
    if not days:
        return span or ()
    first, last = min(days), max(days)
    if span is not None:
        first, last = max(first, span[0]), min(last, span[1])
        if first > last:
            return span
    return (first, last)


def zoom_by(
    window: tuple[dt.date, dt.date], factor: float, span: tuple[dt.date, dt.date] | None
) -> tuple:
    """Return the zoom `factor` times as long as `window` around its middle (0.5 zooms in).

    It stays within the data's span, and is never shorter than one day.
    """
    first, last = window
    wanted = max(1, round(((last - first).days + 1) * factor))
    # In ordinals: twice the middle day, so that the new zoom's middle is the old one's.
    start = (first.toordinal() + last.toordinal() - wanted + 1) // 2
    low, high = (span[0].toordinal(), span[1].toordinal()) if span else (1, dt.date.max.toordinal())
    if wanted >= high - low + 1:
        return span if span is not None else (dt.date.min, dt.date.max)
    # Moved, not cut, at the data's ends (or the calendar's): the zoom keeps its length.
    start = min(max(start, low), high - wanted + 1)
    return (dt.date.fromordinal(start), dt.date.fromordinal(start + wanted - 1))
