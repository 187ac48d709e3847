"""One selection: a file seen through a FilterState, as the page and every export see it.

A `View` is the state with the dataset: the events it keeps, their lanes of the chosen
kind and where each sits, and its filters in words. The page's tabs and the exporters
take the same object (the page's `page.selection.Selection` is a View that also carries
the loaded file's shared parts).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
import pandas as pd

from .dates import PartialDate
from .filters import Index, catalog_for, filter_mask
from .frame import Dataset
from .lanes import LANE_WORDS, ORDER_WORDS, LaneLayout, Membership, key_name
from .query import Decoded, parse_query, read_query
from .state import Catalog, FilterState
from .viewstate import PARAMS, RANGES, Param, is_filtered, is_set


@dataclass(frozen=True)
class View:
    """The events of a file that a FilterState keeps, with the lanes the dashboard gives them."""

    data: Dataset
    state: FilterState
    index: Index
    mask: np.ndarray
    notices: tuple[str, ...] = ()  # what the link that asked for it had dropped

    @classmethod
    def of(
        cls, data: Dataset, state: FilterState, index: Index | None = None, notices: tuple = ()
    ) -> View:
        """Filter a file by a state, indexing it first unless an index is given."""
        index = index or Index.build(data.events, data.people)
        return cls(data, state, index, filter_mask(data.events, state, index), tuple(notices))

    @cached_property
    def catalog(self) -> Catalog:
        """Return the values a link may name in this file (its kinds fix the colours)."""
        return catalog_for(self.data, self.index)

    @cached_property
    def shown(self) -> pd.DataFrame:
        """Return the events the filters keep, in date order."""
        return self.data.events[self.mask]

    @property
    def membership(self) -> Membership:
        """Return the lanes of the kind the viewer chose."""
        return self.index.of(self.state.lanes)

    @cached_property
    def layout(self) -> LaneLayout:
        """Return the lanes of the kept events, in the state's order, and where each sits."""
        return self.membership.layout(self.mask, self.data.people, self.state.order)

    def groups(self) -> list[str]:
        """Return each kept event's lane: its first, as the file lists its leaders (or states)."""
        lanes = self.layout.lanes
        return [lanes[place[0]].label for place in self.layout.places]

    @property
    def filtered(self) -> bool:
        """Say whether the view leaves events out: any lane, kind, date or search chosen."""
        return is_filtered(self.state)

    @property
    def link_state(self) -> FilterState:
        """Return the state a link to this view opens: the chart's tab, not the publishing one."""
        return replace(self.state, view="timeline") if self.state.view == "publish" else self.state

    @property
    def words(self) -> str:
        """Return the filters as a sentence for readers (filters_in_words)."""
        return filters_in_words(self)


def read_view(
    data: Dataset, query: str, index: Index | None = None, max_fields: int | None = None
) -> tuple[View, list[str]]:
    """Return the view a query string asks for, and a notice for each value it drops."""
    index = index or Index.build(data.events, data.people)
    decoded: Decoded = read_query(parse_query(query, max_fields), catalog_for(data, index))
    return View.of(data, decoded.state, index, tuple(decoded.notices)), decoded.notices


def _day(day: dt.date) -> str:
    return PartialDate(day, "day").label()


def _names(items: list[str], match: str, *, say_match: bool = True) -> str:
    if len(items) == 1:
        return items[0]
    joined = ", ".join(items[:-1]) + (" and " if match == "all" else " or ") + items[-1]
    return f"{joined} ({match} of them)" if say_match else joined


def _in_words(p: Param, view: View) -> str:
    """Return one chosen parameter in words: 'leaders: A or B (any of them)', 'search: “x”'."""
    state, value = view.state, getattr(view.state, p.field)
    if p.codec == "text":
        return f"{p.words}: “{value}”"
    plural = p.words if len(value) == 1 else p.words + "s"
    if p.lane is None:  # a kind matches any of those chosen, whatever `match` says
        return f"{plural}: {_names(list(value), 'any', say_match=False)}"
    names = [key_name(p.lane, view.data.people, key) for key in value]
    return f"{plural}: {_names(names, state.match)}"


def _range_words(key: str, state: FilterState) -> str:
    """Return a range in words: 'from 1 July 2022 to 19 July 2022', 'up to 30 June 2022'."""
    start, end = RANGES[key]
    first, last = getattr(state, start.field), getattr(state, end.field)
    if first and last:
        return f"{start.words} {_day(first)} to {_day(last)}"
    return f"{start.words} {_day(first)}" if first else f"{end.words} {_day(last)}"


def filters_in_words(view: View) -> str:
    """Return the filters of a view as a sentence for readers ('Leaders: ...; from 1 July 2022')."""
    state = view.state
    parts = []
    for p in PARAMS:
        if p.rule is None or not is_set(state, p):
            continue
        if p.codec == "day":  # a range in words, once, at its first chosen end
            if p is RANGES[p.widget][0] or not is_set(state, RANGES[p.widget][0]):
                parts.append(_range_words(p.widget, state))
        else:
            parts.append(_in_words(p, view))
    lanes = f"Lanes: {LANE_WORDS[state.lanes].lower()}, {ORDER_WORDS[state.order].lower()}."
    if not parts:
        return f"Every event of the file, no filter. {lanes}"
    return f"Filters: {'; '.join(parts)}. {lanes}"
