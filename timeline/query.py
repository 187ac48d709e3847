"""The view in the URL: filter state encoded to and decoded from query parameters."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from .i18n import Notice, Translator, translator
from .state import Catalog, FilterState
from .viewstate import PARAMS as VIEW_PARAMS
from .viewstate import RANGES, Param

# Derived from the one table of the view (timeline/viewstate.py).
PARAMS = tuple(p.name for p in VIEW_PARAMS)
SINGLE = tuple(p.name for p in VIEW_PARAMS if not p.repeated)
# Streamlit's own: how the page is framed in an <iframe>, never part of the view. It reads
# them from the URL itself and keeps them there while the page rewrites the view's.
EMBED_PARAMS = ("embed", "embed_options")
MAX_VALUE_LENGTH = 200
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
MAX_NOTICES = 10
_ENGLISH = translator("en")


def notice_in(notice: str, t: Translator) -> str:
    """Return a notice in the translator's language (a plain str stays as it is)."""
    return notice.said(t) if isinstance(notice, Notice) else notice


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
            notices.append(
                Notice.gettext(
                    "Ignored {name}={value}: not in this data (valid: {valid}).",
                    name=name,
                    value=_show(value),
                    valid=shown,
                )
            )
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
        notices.append(
            Notice.gettext(
                "Ignored {name}={value}: expected a date as YYYY-MM-DD.",
                name=name,
                value=_show(value),
            )
        )
        return None


def _choice(values: list[str], p: Param, notices: list[str]) -> Any:
    """Return the value of a single-choice parameter, or its default with a notice."""
    valid = p.choices
    if values and values[-1] in valid:
        return values[-1]
    if values:
        notices.append(
            Notice.gettext(
                "Ignored {name}={value}: expected one of {valid}.",
                name=p.name,
                value=_show(values[-1]),
                valid=", ".join(valid),
            )
        )
    return p.default


def _range(
    get: Mapping[str, list[str]], names: tuple[str, str], catalog: Catalog, notices: list[str]
) -> tuple[dt.date | None, dt.date | None]:
    """Return a range's first and last day from the URL, dropping what no event can meet."""
    start, end = names
    first = _date(get[start], start, notices)
    last = _date(get[end], end, notices)
    if first and catalog.last and first > catalog.last:
        notices.append(
            Notice.gettext(
                "Ignored {name}={value}: it is after the last event ({last}).",
                name=start,
                value=str(first),
                last=str(catalog.last),
            )
        )
        first = None
    if last and catalog.first and last < catalog.first:
        notices.append(
            Notice.gettext(
                "Ignored {name}={value}: it is before the first event ({first}).",
                name=end,
                value=str(last),
                first=str(catalog.first),
            )
        )
        last = None
    if first and last and first > last:
        notices.append(Notice.gettext(
            "Ignored {start}={first} and {end}={last}: the start is after the end.",
            start=start, first=str(first), end=end, last=str(last),
        ))  # fmt: skip
        first = last = None
    return first, last


def _single(get: dict[str, list[str]], notices: list[str]) -> None:
    """Keep the last value of each single parameter, as a browser form would send it."""
    for name in SINGLE:
        if len(get[name]) > 1:
            dropped = ", ".join(_show(v) for v in get[name][:-1][:3])
            used = _show(get[name][-1])
            if len(get[name]) > 4:
                notices.append(Notice.ngettext(
                    "Ignored {name}={dropped} and {count} more: {name} takes one value; used "
                    "the last, {used}.",
                    "Ignored {name}={dropped} and {count} more: {name} takes one value; used "
                    "the last, {used}.",
                    len(get[name]) - 4, name=name, dropped=dropped, used=used,
                ))  # fmt: skip
            else:
                notices.append(Notice.gettext(
                    "Ignored {name}={dropped}: {name} takes one value; used the last, {used}.",
                    name=name, dropped=dropped, used=used,
                ))  # fmt: skip
            get[name] = get[name][-1:]


def _event(values: list[str], catalog: Catalog, notices: list[str]) -> str | None:
    if values and values[-1] not in catalog.events:
        notices.append(
            Notice.gettext("Ignored event={value}: no event has that id.", value=_show(values[-1]))
        )
        return None
    return values[-1] if values else None


def _decode(get: dict[str, list[str]], catalog: Catalog, notices: list[str]) -> dict[str, Any]:
    """Return the FilterState's fields, parameter by parameter in the table's order."""
    fields: dict[str, Any] = {}
    for p in VIEW_PARAMS:
        values = get[p.name]
        if p.codec == "keys":
            fields[p.field] = _valid_list(values, getattr(catalog, p.field), p.name, notices)
        elif p.codec == "choice":
            fields[p.field] = _choice(values, p, notices)
        elif p.codec == "text":
            fields[p.field] = " ".join(values[-1].split()) if values else ""
        elif p.codec == "event":
            fields[p.field] = _event(values, catalog, notices)
        elif RANGES[p.widget][0] is p:  # a range is read whole, at its first day
            start, end = RANGES[p.widget]
            days = _range(get, (start.name, end.name), catalog, notices)
            fields[start.field], fields[end.field] = days
    return fields


def read_query(params: Mapping[str, list[str]], catalog: Catalog) -> Decoded:
    """Read a FilterState from query parameters, dropping bad values with a notice each."""
    notices: list[str] = []
    for name in params:
        if name not in PARAMS and name.lower() not in EMBED_PARAMS:
            notices.append(Notice.gettext("Ignored unknown parameter {name}.", name=_show(name)))
    embed = [v for name in params if name.lower() == "embed" for v in params[name]]
    get = {name: list(params.get(name, [])) for name in PARAMS}
    _single(get, notices)
    for p in VIEW_PARAMS:
        if p.codec == "text" and get[p.name] and len(get[p.name][0]) > MAX_VALUE_LENGTH:
            notices.append(
                Notice.gettext(
                    "Shortened {name} to its first {count} characters.",
                    name=p.name,
                    count=MAX_VALUE_LENGTH,
                )
            )
    get = {name: [v[:MAX_VALUE_LENGTH] for v in values] for name, values in get.items()}
    state = FilterState(**_decode(get, catalog, notices))
    if len(notices) > MAX_NOTICES:
        extra = len(notices) - MAX_NOTICES
        notices = [*notices[:MAX_NOTICES], Notice.ngettext(
            "... and {count} more ignored value.", "... and {count} more ignored values.", extra
        )]  # fmt: skip
    embedded = bool(embed) and embed[-1].lower() == "true"
    return Decoded(clamp(state, catalog), notices, embedded)


def clamp(state: FilterState, catalog: Catalog) -> FilterState:
    """Drop dates and zoom ends at or beyond the data's bounds: a default view's URL is clean."""

    def inside(day: dt.date | None, bound: dt.date | None, before: bool) -> dt.date | None:
        if day is None or bound is None:
            return day
        return None if (day <= bound if before else day >= bound) else day

    changes: dict[str, Any] = {}
    for start, end in RANGES.values():
        changes[start.field] = inside(getattr(state, start.field), catalog.first, True)
        changes[end.field] = inside(getattr(state, end.field), catalog.last, False)
    return replace(state, **changes)


def write_query(state: FilterState, *, embedded: bool = False) -> dict[str, list[str]]:
    """Write a FilterState as query parameters, leaving out what is at its default.

    `embedded` keeps Streamlit's `embed=true` (first), for a link that opens framed.
    """
    out: dict[str, list[str]] = {"embed": ["true"]} if embedded else {}
    for p in VIEW_PARAMS:
        value = getattr(state, p.field)
        if not value or value == p.default:
            continue
        if p.repeated:
            out[p.name] = list(value)
        else:
            out[p.name] = [value.isoformat() if isinstance(value, dt.date) else str(value)]
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


def parse_query(query: str, max_fields: int | None = None) -> dict[str, list[str]]:
    """Read a dashboard query string ('leader=putin&match=all'), or a whole link, as parameters.

    ValueError when it holds more than `max_fields` parameters.
    """
    text = query.strip()
    if "://" in text or text.startswith("/"):
        text = urlsplit(text).query
    text = text.split("#", 1)[0].removeprefix("?")
    return parse_qs(text, keep_blank_values=True, max_num_fields=max_fields)
