"""The view in the URL: filter state encoded to and decoded from query parameters."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TypeVar
from urllib.parse import urlencode, urlsplit

from .state import LANE_KINDS, LANE_ORDERS, MATCHES, VIEWS, Catalog, FilterState

T = TypeVar("T", bound=str)

PARAMS = (
    "leader", "country", "tag", "match", "kind", "from", "to", "q", "event", "view", "lanes",
    "order", "zoom_from", "zoom_to",
)  # fmt: skip
SINGLE = ("match", "from", "to", "q", "event", "view", "lanes", "order", "zoom_from", "zoom_to")
# Streamlit's own: how the page is framed in an <iframe>, never part of the view. It reads
# them from the URL itself and keeps them there while the page rewrites the view's.
EMBED_PARAMS = ("embed", "embed_options")
MAX_VALUE_LENGTH = 200
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
MAX_NOTICES = 10


@dataclass
class Decoded:
    """A decoded URL: the state, and a notice for each value that was ignored."""

    state: FilterState
    notices: list[str] = field(default_factory=list)
    embedded: bool = False  # the link asked for Streamlit's embed mode (embed=true)


def _show(value: str) -> str:
    value = value if len(value) <= 40 else value[:37] + "..."
    return repr(value)


def _valid_list(
    values: Iterable[str], known: tuple[str, ...], name: str, notices: list[str]
) -> tuple[str, ...]:
    out: list[str] = []
    for value in values:
        if value in known:
            if value not in out:
                out.append(value)
        else:
            shown = ", ".join(known[:8]) + (", ..." if len(known) > 8 else "")
            notices.append(f"Ignored {name}={_show(value)}: not in this data (valid: {shown}).")
    return tuple(out)


def _date(values: list[str], name: str, notices: list[str]) -> dt.date | None:
    if not values:
        return None
    value = values[-1]
    try:
        if not _ISO_DAY.fullmatch(value):  # fromisoformat would also take 2022-W29-2
            raise ValueError
        return dt.date.fromisoformat(value)
    except ValueError:
        notices.append(f"Ignored {name}={_show(value)}: expected a date as YYYY-MM-DD.")
        return None


def _choice(values: list[str], name: str, valid: tuple[T, ...], notices: list[str]) -> T:
    """Return the value of a single-choice parameter, or its default (the first) with a notice."""
    if values and values[-1] in valid:
        return valid[[str(v) for v in valid].index(values[-1])]
    if values:
        notices.append(f"Ignored {name}={_show(values[-1])}: expected one of {', '.join(valid)}.")
    return valid[0]


def _range(
    get: Mapping[str, list[str]], names: tuple[str, str], catalog: Catalog, notices: list[str]
) -> tuple[dt.date | None, dt.date | None]:
    """Return a range's first and last day from the URL, dropping what no event can meet."""
    start, end = names
    first = _date(get[start], start, notices)
    last = _date(get[end], end, notices)
    if first and catalog.last and first > catalog.last:
        notices.append(f"Ignored {start}={first}: it is after the last event ({catalog.last}).")
        first = None
    if last and catalog.first and last < catalog.first:
        notices.append(f"Ignored {end}={last}: it is before the first event ({catalog.first}).")
        last = None
    if first and last and first > last:
        notices.append(f"Ignored {start}={first} and {end}={last}: the start is after the end.")
        first = last = None
    return first, last


def read_query(params: Mapping[str, list[str]], catalog: Catalog) -> Decoded:
    """Read a FilterState from query parameters, dropping bad values with a notice each."""
    notices: list[str] = []
    for name in params:
        if name not in PARAMS and name.lower() not in EMBED_PARAMS:
            notices.append(f"Ignored unknown parameter {_show(name)}.")
    embed = [v for name in params if name.lower() == "embed" for v in params[name]]
    get = {name: list(params.get(name, [])) for name in PARAMS}
    for name in SINGLE:
        if len(get[name]) > 1:  # one value counts: the last, as a browser form would send
            dropped = ", ".join(_show(v) for v in get[name][:-1][:3])
            more = f" and {len(get[name]) - 4:,} more" if len(get[name]) > 4 else ""
            notices.append(
                f"Ignored {name}={dropped}{more}: {name} takes one value; used the last, "
                f"{_show(get[name][-1])}."
            )
            get[name] = get[name][-1:]
    if get["q"] and len(get["q"][0]) > MAX_VALUE_LENGTH:
        notices.append(f"Shortened q to its first {MAX_VALUE_LENGTH} characters.")
    get = {name: [v[:MAX_VALUE_LENGTH] for v in values] for name, values in get.items()}
    leaders = _valid_list(get["leader"], catalog.leaders, "leader", notices)
    countries = _valid_list(get["country"], catalog.countries, "country", notices)
    tags = _valid_list(get["tag"], catalog.tags, "tag", notices)
    kinds = _valid_list(get["kind"], catalog.kinds, "kind", notices)
    match = _choice(get["match"], "match", MATCHES, notices)
    date_from, date_to = _range(get, ("from", "to"), catalog, notices)
    zoom_from, zoom_to = _range(get, ("zoom_from", "zoom_to"), catalog, notices)
    q = " ".join(get["q"][-1].split()) if get["q"] else ""
    event = None
    if get["event"]:
        if get["event"][-1] in catalog.events:
            event = get["event"][-1]
        else:
            notices.append(f"Ignored event={_show(get['event'][-1])}: no event has that id.")
    view = _choice(get["view"], "view", VIEWS, notices)
    lanes = _choice(get["lanes"], "lanes", LANE_KINDS, notices)
    order = _choice(get["order"], "order", LANE_ORDERS, notices)
    if len(notices) > MAX_NOTICES:
        extra = len(notices) - MAX_NOTICES
        notices = [*notices[:MAX_NOTICES], f"... and {extra} more ignored values."]
    state = FilterState(
        leaders=leaders, match=match, kinds=kinds, date_from=date_from, date_to=date_to, q=q,
        event=event, view=view, countries=countries, tags=tags, lanes=lanes, order=order,
        zoom_from=zoom_from, zoom_to=zoom_to,
    )  # fmt: skip
    embedded = bool(embed) and embed[-1].lower() == "true"
    return Decoded(clamp(state, catalog), notices, embedded)


def clamp(state: FilterState, catalog: Catalog) -> FilterState:
    """Drop dates and zoom ends at or beyond the data's bounds: a default view's URL is clean."""

    def inside(day: dt.date | None, bound: dt.date | None, before: bool) -> dt.date | None:
        if day is None or bound is None:
            return day
        return None if (day <= bound if before else day >= bound) else day

    first, last = catalog.first, catalog.last
    return replace(
        state,
        date_from=inside(state.date_from, first, True),
        date_to=inside(state.date_to, last, False),
        zoom_from=inside(state.zoom_from, first, True),
        zoom_to=inside(state.zoom_to, last, False),
    )


def write_query(state: FilterState, *, embedded: bool = False) -> dict[str, list[str]]:
    """Write a FilterState as query parameters, leaving out what is at its default.

    `embedded` keeps Streamlit's `embed=true` (first), for a link that opens framed.
    """
    out: dict[str, list[str]] = {"embed": ["true"]} if embedded else {}
    if state.leaders:
        out["leader"] = list(state.leaders)
    if state.countries:
        out["country"] = list(state.countries)
    if state.tags:
        out["tag"] = list(state.tags)
    if state.match != "any":
        out["match"] = [state.match]
    if state.kinds:
        out["kind"] = list(state.kinds)
    if state.date_from:
        out["from"] = [state.date_from.isoformat()]
    if state.date_to:
        out["to"] = [state.date_to.isoformat()]
    if state.q:
        out["q"] = [state.q]
    if state.event:
        out["event"] = [state.event]
    if state.view != "timeline":
        out["view"] = [state.view]
    if state.lanes != "leader":
        out["lanes"] = [state.lanes]
    if state.order != "first":
        out["order"] = [state.order]
    if state.zoom_from:
        out["zoom_from"] = [state.zoom_from.isoformat()]
    if state.zoom_to:
        out["zoom_to"] = [state.zoom_to.isoformat()]
    return out


def query_string(state: FilterState, *, embedded: bool = False) -> str:
    """Return the encoded state as a query string, '?leader=putin&match=all' or ''."""
    pairs = [(k, v) for k, values in write_query(state, embedded=embedded).items() for v in values]
    return "?" + urlencode(pairs) if pairs else ""


def share_link(page_url: str, state: FilterState, *, embedded: bool = False) -> str:
    """Return the link that reproduces this view, from the page's URL without its query.

    `embedded` gives the link for an <iframe>: Streamlit's embed mode, then the view.
    """
    # Streamlit gives 'http://host:8501' for the root page: the path's / is added back.
    if page_url and not urlsplit(page_url).path:
        page_url += "/"
    return page_url + query_string(state, embedded=embedded)
