"""Filtering the events frame by a FilterState, fast enough for 100,000 events."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import viewstate
from .frame import Dataset
from .lanes import LANES, Membership
from .record import search_text
from .schema import Person
from .state import Catalog, FilterState, LaneKind, LaneOrder, ordered_kinds
from .text import fold_arrow


@dataclass(frozen=True)
class Index:
    """What filtering needs, computed once per dataset: the lanes of each kind, the search text.

    A person's words (name, country, role) are folded once, not copied into each event
    that names them: a word matches an event when its own text holds it, or when a
    person it names as a leader or quotes does.
    """

    memberships: dict[LaneKind, Membership]  # each lane kind's, by kind (lanes.LANES)
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
            memberships={kind: Membership.build(frame, people, kind) for kind in LANES},
            # The fields marked "search" in the schema (timeline/record.py).
            haystack=pd.Series(fold_arrow(search_text(frame)), index=frame.index, dtype="str"),
            people=pa.array(list(people), pa.string()),
            people_words=fold_arrow(pa.array(words, pa.string())),
            quoted_rows=pc.list_parent_indices(quotes).to_numpy().astype(np.int64),
            quoted_by=pc.struct_field(pc.list_flatten(quotes), "by").cast(pa.string()),
        )

    def of(self, kind: LaneKind) -> Membership:
        """Return the membership of one lane kind."""
        return self.memberships[kind]

    @property
    def leader(self) -> Membership:
        """Return the leaders' lanes: a person found by a search names the events they lead."""
        return self.memberships["leader"]

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


def catalog_for(data: Dataset, index: Index) -> Catalog:
    """Return the values a URL may name in this dataset: lanes, kinds, events, dates."""
    frame = data.events
    span = data.date_range
    everything = np.ones(len(frame), dtype=bool)
    lanes: dict[str, tuple[str, ...]] = {}
    for kind, spec in LANES.items():
        # People in the file's order (those it lists); other keys by name.
        order: LaneOrder = "file" if spec.of_people else "name"
        found = index.of(kind).lanes(everything, data.people, order)
        keys = (lane.key for lane in found if lane.key is not None)
        lanes[spec.field] = tuple(k for k in keys if not spec.of_people or k in data.people)
    return Catalog(
        kinds=tuple(ordered_kinds(frame["kind"].unique())),
        events=frozenset(frame["id"]),
        first=span[0].first if span else None,
        last=span[1].first if span else None,
        **lanes,
    )


def filter_mask(frame: pd.DataFrame, state: FilterState, index: Index) -> np.ndarray:
    """Return a mask of the events that match the state; an event matches dates it overlaps."""
    return viewstate.filter_mask(frame, state, index)


def apply_filters(data: Dataset, state: FilterState, index: Index | None = None) -> pd.DataFrame:
    """Return the events of a dataset that match the state."""
    index = index or Index.build(data.events, data.people)
    return data.events[filter_mask(data.events, state, index)]
