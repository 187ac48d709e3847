"""What a link may name in a store (its Catalog), asked of the engine, not read whole.

The valid lane keys, kinds and dates come from the engine's distinct values; the events a
link may open are only the ones it names, looked up (a store of millions of ids is never
held as a set).
"""

from __future__ import annotations

from collections.abc import Iterable

from ..lanes import LANES
from ..state import Catalog, ordered_kinds
from .query import Bound


def store_catalog(b: Bound, events_named: Iterable[str] = ()) -> Catalog:
    """Return the values a link may name in a store; of the events, those it names."""
    lanes = b.lanes
    keys = lanes.select("lane", "key").distinct().to_pyarrow()
    by_kind: dict[str, list[str]] = {}
    for kind, key in zip(keys.column("lane").to_pylist(), keys.column("key").to_pylist(),
                         strict=True):  # fmt: skip
        if key is not None:
            by_kind.setdefault(kind, []).append(key)
    fields: dict[str, tuple[str, ...]] = {}
    for kind, spec in LANES.items():
        found = by_kind.get(kind, [])
        # People in the store's order of its people table (the file's), others by name.
        if spec.of_people:
            present = set(found)
            fields[spec.field] = tuple(k for k in b.people if k in present)
        else:
            fields[spec.field] = tuple(sorted(found))
    events = b.events
    span = events.aggregate(first=events.start.min(), last=events["last"].max()).to_pyarrow()
    named = sorted(set(events_named))
    ids = events.filter(events.id.isin(named)).select("id").to_pyarrow() if named else None
    kinds = events.select("kind").distinct().to_pyarrow().column("kind").to_pylist()
    return Catalog(
        kinds=tuple(ordered_kinds(k for k in kinds if k is not None)),
        events=frozenset(ids.column("id").to_pylist()) if ids is not None else frozenset(),
        first=span.column("first")[0].as_py(),
        last=span.column("last")[0].as_py(),
        **fields,
    )
