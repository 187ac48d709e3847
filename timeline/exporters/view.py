"""A file seen through a FilterState, as every export sees it: the events kept, their lanes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cached_property
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pandas as pd

from ..dates import PartialDate
from ..filters import Index, catalog_for, filter_mask
from ..frame import Dataset
from ..lanes import LANE_WORDS, ORDER_WORDS, LaneLayout, person_name
from ..query import Decoded, read_query
from ..state import Catalog, FilterState


class ExportError(Exception):
    """A view that a format cannot hold (TimelineJS needs an event, say): exit 1, no traceback."""


# The most an export may write, in UTF-8 bytes. An export names each event's people and
# sources, so a file of a few megabytes may reference gigabytes of text; past this bound
# the export is refused, counted as it is written, before it can fill the memory. The
# largest synthetic file under the size limit (100,000 events, 48 MB) makes a static page
# of 99 MB, a JSON file of 62 MB and a CSV of 34 MB.
MAX_EXPORT_BYTES = 128 * 1024 * 1024


def _utf8_size(chunk: str) -> int:
    return len(chunk) if chunk.isascii() else len(chunk.encode("utf-8", "surrogatepass"))


def bounded_text(chunks: Iterable[str], what: str, limit: int | None = None) -> str:
    """Join an export's pieces, or raise ExportError as soon as they pass `limit` bytes."""
    limit = MAX_EXPORT_BYTES if limit is None else limit
    kept: list[str] = []
    size = 0
    for chunk in chunks:
        size += _utf8_size(chunk)
        if size > limit:
            raise ExportError(
                f"{what} of this view would be over {limit / 1024**2:,.0f} MB (each event "
                "repeats the people and sources it names); narrow the view (--query, or the "
                "filters in the page)"
            )
        kept.append(chunk)
    return "".join(kept)


@dataclass(frozen=True)
class View:
    """The events of a file that a FilterState keeps, with the lanes the dashboard gives them."""

    data: Dataset
    state: FilterState
    index: Index
    mask: np.ndarray

    @classmethod
    def of(cls, data: Dataset, state: FilterState, index: Index | None = None) -> View:
        """Filter a file by a state, indexing it first unless an index is given."""
        index = index or Index.build(data.events, data.people)
        return cls(data, state, index, filter_mask(data.events, state, index))

    @cached_property
    def catalog(self) -> Catalog:
        """Return the values a link may name in this file (its kinds fix the colours)."""
        return catalog_for(self.data, self.index)

    @cached_property
    def shown(self) -> pd.DataFrame:
        """Return the events the filters keep, in date order."""
        return self.data.events[self.mask]

    @cached_property
    def layout(self) -> LaneLayout:
        """Return the lanes of the kept events, in the state's order, and where each sits."""
        membership = self.index.of(self.state.lanes)
        return membership.layout(self.mask, self.data.people, self.state.order)

    def groups(self) -> list[str]:
        """Return each kept event's lane: its first, as the file lists its leaders (or states)."""
        lanes = self.layout.lanes
        return [lanes[place[0]].label for place in self.layout.places]

    @property
    def filtered(self) -> bool:
        """Say whether the view leaves events out: any lane, kind, date or search chosen."""
        s = self.state
        return bool(s.leaders or s.countries or s.tags or s.kinds or s.date_from or s.date_to
                    or s.q)  # fmt: skip

    @property
    def link_state(self) -> FilterState:
        """Return the state a link to this view opens: the chart's tab, not the publishing one."""
        return replace(self.state, view="timeline") if self.state.view == "publish" else self.state


def parse_query(query: str, max_fields: int | None = None) -> dict[str, list[str]]:
    """Read a dashboard query string ('leader=putin&match=all'), or a whole link, as parameters.

    ValueError when it holds more than `max_fields` parameters.
    """
    text = query.strip()
    if "://" in text or text.startswith("/"):
        text = urlsplit(text).query
    text = text.split("#", 1)[0].removeprefix("?")
    return parse_qs(text, keep_blank_values=True, max_num_fields=max_fields)


def read_view(
    data: Dataset, query: str, index: Index | None = None, max_fields: int | None = None
) -> tuple[View, list[str]]:
    """Return the view a query string asks for, and a notice for each value it drops."""
    index = index or Index.build(data.events, data.people)
    decoded: Decoded = read_query(parse_query(query, max_fields), catalog_for(data, index))
    return View.of(data, decoded.state, index), decoded.notices


def _day(day: dt.date) -> str:
    return PartialDate(day, "day").label()


def _names(items: list[str], match: str, *, say_match: bool = True) -> str:
    if len(items) == 1:
        return items[0]
    joined = ", ".join(items[:-1]) + (" and " if match == "all" else " or ") + items[-1]
    return f"{joined} ({match} of them)" if say_match else joined


def filters_in_words(view: View) -> str:
    """Return the filters of a view as a sentence for readers ('Leaders: ...; from 1 July 2022')."""
    state, people = view.state, view.data.people
    parts = []
    for word, chosen in (
        ("leader", [person_name(people, p) for p in state.leaders]),
        ("state", list(state.countries)),
        ("tag", list(state.tags)),
    ):
        if chosen:
            label = word if len(chosen) == 1 else word + "s"
            parts.append(f"{label}: {_names(chosen, state.match)}")
    if state.kinds:
        kinds = _names(list(state.kinds), "any", say_match=False)
        parts.append(f"kind{'s' if len(state.kinds) > 1 else ''}: {kinds}")
    if state.date_from and state.date_to:
        parts.append(f"from {_day(state.date_from)} to {_day(state.date_to)}")
    elif state.date_from:
        parts.append(f"from {_day(state.date_from)}")
    elif state.date_to:
        parts.append(f"up to {_day(state.date_to)}")
    if state.q:
        parts.append(f"search: “{state.q}”")
    lanes = f"Lanes: {LANE_WORDS[state.lanes].lower()}, {ORDER_WORDS[state.order].lower()}."
    if not parts:
        return f"Every event of the file, no filter. {lanes}"
    text = "; ".join(parts)
    return f"Filters: {text}. {lanes}"
