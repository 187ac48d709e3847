"""Filtering the events frame by a FilterState, fast enough for 100,000 events."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .dates import day_stamp
from .frame import Dataset
from .lanes import Membership
from .schema import Person
from .state import Catalog, FilterState, LaneKind, ordered_kinds
from .text import fold, fold_arrow


@dataclass(frozen=True)
class Index:
    """What filtering needs, computed once per dataset: the lanes of each kind, the search text.

    A person's words (name, country, role) are folded once, not copied into each event
    that names them: a word matches an event when its own text holds it, or when a
    person it names as a leader or quotes does.
    """

    leader: Membership
    country: Membership
    tag: Membership
    haystack: pd.Series  # per event: its own text a reader may search for, folded
    people: pa.Array  # the people's ids, and each one's words, folded
    people_words: pa.Array
    quoted_rows: np.ndarray  # each quote's event, and who said it
    quoted_by: pa.Array

    @classmethod
    def build(cls, frame: pd.DataFrame, people: Mapping[str, Person]) -> Index:
        """Index the events' lanes and text."""
        quotes = _list(frame, "quotes")
        words = [" ".join(filter(None, (v.name, v.country, v.role))) for v in people.values()]
        return cls(
            leader=Membership.build(frame, people, "leader"),
            country=Membership.build(frame, people, "country"),
            tag=Membership.build(frame, people, "tag"),
            haystack=pd.Series(fold_arrow(_texts(frame, quotes)), index=frame.index, dtype="str"),
            people=pa.array(list(people), pa.string()),
            people_words=fold_arrow(pa.array(words, pa.string())),
            quoted_rows=pc.list_parent_indices(quotes).to_numpy().astype(np.int64),
            quoted_by=pc.struct_field(pc.list_flatten(quotes), "by").cast(pa.string()),
        )

    def of(self, kind: LaneKind) -> Membership:
        """Return the membership of one lane kind."""
        return {"leader": self.leader, "country": self.country, "tag": self.tag}[kind]

    def search(self, word: str) -> np.ndarray:
        """Return a mask of the events whose text, or whose leaders' or quoted people's, holds
        a folded word."""
        keep = self.haystack.str.contains(word, regex=False).to_numpy()
        named = pc.filter(self.people, pc.match_substring(self.people_words, word))
        if len(named):
            keep = keep | self.leader.matching(tuple(named.to_pylist()), "any")
            said = pc.is_in(self.quoted_by, value_set=named).to_numpy(zero_copy_only=False)
            keep[self.quoted_rows[said]] = True
        return keep


def _list(frame: pd.DataFrame, column: str) -> pa.ListArray:
    values = pa.array(frame[column].array)
    return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values


def _texts(frame: pd.DataFrame, quotes: pa.ListArray) -> pa.Array:
    """Return each event's own searchable text: title, summary, quotes, place, note, countries
    and tags (its people are searched once each, in Index.search)."""
    texts = pa.ListArray.from_arrays(quotes.offsets, pc.struct_field(quotes.values, "text"))
    plain = [
        pa.array(frame[c].array).cast(pa.string()) for c in ("title", "summary", "place", "note")
    ]
    return pc.binary_join_element_wise(
        *plain,
        pc.binary_join(texts, " "),
        pc.binary_join(_list(frame, "countries"), " "),
        pc.binary_join(_list(frame, "tags"), " "),
        " ",
    )


def catalog_for(data: Dataset, index: Index) -> Catalog:
    """Return the values a URL may name in this dataset: lanes, kinds, events, dates."""
    frame = data.events
    leading = set(index.leader.keys)
    span = data.date_range
    everything = np.ones(len(frame), dtype=bool)
    return Catalog(
        leaders=tuple(p for p in data.people if p in leading),
        kinds=tuple(ordered_kinds(frame["kind"].unique())),
        events=frozenset(frame["id"]),
        first=span[0].first if span else None,
        last=span[1].first if span else None,
        countries=tuple(lane.key for lane in index.country.lanes(everything, data.people, "name")
                        if lane.key is not None),
        tags=tuple(lane.key for lane in index.tag.lanes(everything, data.people, "name")
                   if lane.key is not None),
    )  # fmt: skip


def filter_mask(frame: pd.DataFrame, state: FilterState, index: Index) -> np.ndarray:
    """Return a mask of the events that match the state; an event matches dates it overlaps."""
    keep = np.ones(len(frame), dtype=bool)
    for chosen, membership in (
        (state.leaders, index.leader),
        (state.countries, index.country),
        (state.tags, index.tag),
    ):
        if chosen:
            keep &= membership.matching(chosen, state.match)
    if state.kinds:
        keep &= frame["kind"].isin(state.kinds).to_numpy()
    # A month-only event overlaps every day of its month.
    if state.date_from:
        keep &= (frame["last"] >= day_stamp(state.date_from)).to_numpy()
    if state.date_to:
        keep &= (frame["start"] <= day_stamp(state.date_to)).to_numpy()
    for word in fold(state.q).split():
        keep &= index.search(word)
    return keep


def apply_filters(data: Dataset, state: FilterState, index: Index | None = None) -> pd.DataFrame:
    """Return the events of a dataset that match the state."""
    index = index or Index.build(data.events, data.people)
    return data.events[filter_mask(data.events, state, index)]
