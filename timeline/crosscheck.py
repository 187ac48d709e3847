"""The rules no single field can check, each written once, with its message, for both ways in.

An end before its start, an event id used twice, and a person or source that is not in
the file. The careful path (loader.py) applies them to the parsed data and locates every
break (`located`); the fast path (fastpath/checks.py) applies the same rules to Arrow
columns and only asks whether any rule breaks, and then the careful path says where.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .dates import ends_before, lies_before
from .errors import cut, shown
from .yamldoc import Path, dotted

Located = tuple[Path, str]


@dataclass(frozen=True)
class EndRule:
    """An item's end must not lie wholly before its start (`end: 2022-06` after `2022-06-30`)."""

    items: Literal["events", "periods"]  # the top-level list the items are in
    start: str  # the item's field for its start, as the file spells it
    end: str
    before: str  # words for the start in "... is before its start '2022'"
    after: str  # and in "expected an end on or after the start"
    doubt: str  # why the fast path declines a file that breaks the rule

    def located(self, i: int, item: Any) -> Located | None:
        """Return where and why the item at index i breaks the rule, or None."""
        if not isinstance(item, dict):
            return None
        start, end = item.get(self.start), item.get(self.end)
        if not isinstance(start, str) or not isinstance(end, str):
            return None
        try:
            if not ends_before(start, end):
                return None
        except ValueError:
            return None  # no date: the schema reports it
        path: Path = (self.items, i, self.end)
        return path, (
            f"{dotted(path)}: {shown(end)} is before {self.before} {shown(start)} "
            f"(expected an end on or after {self.after})"
        )

    def broken_in(self, frame: pd.DataFrame) -> bool:
        """Say whether any event of a frame breaks the rule (the frame's `last` is its end's)."""
        has_end = frame["end"].notna().to_numpy()
        last, first = frame["last"].to_numpy()[has_end], frame["start"].to_numpy()[has_end]
        return bool(lies_before(last, first).any())


EVENT_END = EndRule(
    "events", "date", "end", "the date", "the date", "an event's end before its date"
)
PERIOD_END = EndRule(
    "periods", "from", "to", "its start", "the start", "a period's end before its start"
)
DUPLICATE_DOUBT = "an event id used twice"
UNKNOWN_DOUBT = "a person or source that the file does not list"


@dataclass(frozen=True)
class Reference:
    """An event's field that names a person or a source by its id (its key in the file)."""

    field: Literal["leaders", "sources", "quotes"]
    inner: str | None  # in each item of a list of records, the field that names: `by`
    table: Literal["people", "sources"]
    what: str  # the word for one of the table's entries

    def values(self, events: pa.StructArray) -> pa.Array:
        """Return every id this field names in the events' Arrow array, as one column."""
        items = pc.list_flatten(events.field(self.field))
        return items if self.inner is None else items.field(self.inner)


REFERENCES = (
    Reference("leaders", None, "people", "person"),
    Reference("sources", None, "sources", "source"),
    Reference("quotes", "by", "people", "person"),
    Reference("quotes", "source", "sources", "source"),
)


def _near(value: str, known: list[str]) -> str:
    # difflib takes time in the product of the lengths: a long value is near nothing.
    near = difflib.get_close_matches(value, known, n=1, cutoff=0.6) if len(value) <= 100 else []
    hint = f"did you mean {shown(near[0])}? " if near else ""
    # The known ids are the file's own keys, valid or not: each is cut like any echo.
    listed = ", ".join(cut(k) for k in sorted(known)[:12]) + (", ..." if len(known) > 12 else "")
    return f"{hint}known: {listed or 'none'}"


def _named(i: int, event: dict[str, Any]) -> Iterator[tuple[Path, Any, Reference]]:
    """Yield each id an event names, where, and by which reference, in the file's order."""
    for field in dict.fromkeys(r.field for r in REFERENCES):
        items = event.get(field)
        if not isinstance(items, list):
            continue
        refs = [r for r in REFERENCES if r.field == field]
        for j, item in enumerate(items):
            for ref in refs:
                if ref.inner is None:
                    yield ("events", i, field, j), item, ref
                elif isinstance(item, dict):
                    yield ("events", i, field, j, ref.inner), item.get(ref.inner), ref


def _unknown(i: int, event: dict[str, Any], known: dict[str, list[str] | None]) -> list[Located]:
    """Return each id the event names that its table does not hold."""
    found = []
    for path, value, ref in _named(i, event):
        ids = known[ref.table]
        if ids is not None and isinstance(value, str) and value not in ids:
            found.append(
                (path, f"{dotted(path)}: unknown {ref.what} {shown(value)} ({_near(value, ids)})")
            )
    return found


def _duplicate(i: int, event: dict[str, Any], first_use: dict[str, int]) -> Located | None:
    """Return where and why the event's id was used before, noting its first use if not."""
    eid = event.get("id")
    if not isinstance(eid, str):
        return None
    if eid not in first_use:
        first_use[eid] = i
        return None
    return ("events", i, "id"), (
        f"events[{i}].id: duplicate id {shown(eid)} (already used by "
        f"events[{first_use[eid]}]; expected each event id once)"
    )


def located(data: dict[str, Any]) -> list[Located]:
    """Return every break of these rules in parsed data, with its path, in the file's order."""
    periods = data.get("periods")
    found = [
        hit
        for i, period in enumerate(periods if isinstance(periods, list) else ())
        if (hit := PERIOD_END.located(i, period))
    ]
    known: dict[str, list[str] | None] = {}
    for table in ("people", "sources"):
        entries = data.get(table)
        known[table] = list(entries) if isinstance(entries, dict) else None
    events = data.get("events")
    first_use: dict[str, int] = {}
    for i, event in enumerate(events if isinstance(events, list) else ()):
        if not isinstance(event, dict):
            continue
        if hit := _duplicate(i, event, first_use):
            found.append(hit)
        found += _unknown(i, event, known)
        if hit := EVENT_END.located(i, event):
            found.append(hit)
    return found


def any_duplicate_id(events: pa.StructArray) -> bool:
    """Say whether two events of an Arrow array share an id."""
    ids = events.field("id")
    return bool(pc.count_distinct(ids).as_py() != len(ids))


def any_unknown(events: pa.StructArray, known: dict[str, list[str]]) -> bool:
    """Say whether an event of an Arrow array names an id its table does not hold."""
    for ref in REFERENCES:
        values = ref.values(events)
        if not len(values):
            continue
        found = pc.is_in(values, value_set=pa.array(known[ref.table], pa.string()))
        if found.null_count or pc.all(found).as_py() is False:
            return True
    return False
