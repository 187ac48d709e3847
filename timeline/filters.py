"""Filtering the events frame by a FilterState."""

from __future__ import annotations

import pandas as pd

from .chart import kind_styles
from .loader import Dataset
from .query import Catalog, FilterState


def catalog_for(data: Dataset) -> Catalog:
    """Return the values a URL may name in this dataset: leaders, kinds, events, dates."""
    frame = data.events
    leading = {p for leaders in frame["leaders"] for p in leaders}
    span = data.date_range
    return Catalog(
        leaders=tuple(p for p in data.people if p in leading),
        kinds=tuple(kind_styles(list(frame["kind"].unique()))),
        events=tuple(frame["id"]),
        first=span[0].first if span else None,
        last=span[1].first if span else None,
    )


def search_text(frame: pd.DataFrame) -> pd.Series:
    """Return, per event, the lower-cased text that a search looks in."""
    quotes = frame["quotes"].map(lambda qs: " ".join(q["text"] for q in qs))
    return (frame["title"] + " " + frame["summary"] + " " + quotes).str.casefold()


def apply_filters(
    frame: pd.DataFrame, state: FilterState, haystack: pd.Series | None = None
) -> pd.DataFrame:
    """Return the events that match the state; an event matches dates it overlaps."""
    keep = pd.Series(True, index=frame.index)
    if state.leaders:
        chosen = set(state.leaders)
        if state.match == "all":
            keep &= frame["leaders"].map(chosen.issubset)
        else:
            keep &= frame["leaders"].map(lambda ls: not chosen.isdisjoint(ls))
    if state.kinds:
        keep &= frame["kind"].isin(state.kinds)
    # A month-only event overlaps every day of its month.
    if state.date_from:
        keep &= frame["last"] >= pd.Timestamp(state.date_from)
    if state.date_to:
        keep &= frame["start"] <= pd.Timestamp(state.date_to)
    if state.q:
        if haystack is None:
            haystack = search_text(frame)
        for word in state.q.casefold().split():
            keep &= haystack.str.contains(word, regex=False)
    return frame[keep]
