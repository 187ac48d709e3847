"""Where each field of the format shows, read from the marks on the schema's fields.

Each field of every model in `timeline.schema` carries one `Shows` mark: the places it
shows in (a column of the events frame, the details card, the search text, the hover,
the table downloads), and why it is kept out of the others. The frame, the hover, the
search text and the downloads are derived from these marks, so a new field of an event
is one declaration in the schema; `tests/test_record.py` fails when a field has no mark.
`export json` carries every field of an event, whatever its marks.
"""

from __future__ import annotations

from functools import cache
from typing import Any, get_args

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel

from .dates import PartialDate
from .schema import (
    Event,
    FileTranslation,
    Media,
    Period,
    Person,
    Quote,
    Shows,
    Source,
    TimelineFile,
    Translation,
    Where,
)  # fmt: skip

__all__ = [
    "MODELS", "PLACES", "Where", "event_record", "excluded", "fields_for", "marks",
    "nested_model", "search_text",
]  # fmt: skip

PLACES: tuple[Where, ...] = get_args(Where)
MODELS: tuple[type[BaseModel], ...] = (
    Event, Person, Source, Quote, Media, Translation, Period, FileTranslation, TimelineFile,
)  # fmt: skip


@cache
def marks(model: type[BaseModel] = Event) -> dict[str, Shows | None]:
    """Return each field's mark (None for a field without one), in declared order."""
    found: dict[str, Shows | None] = {}
    for name, info in model.model_fields.items():
        mine = [m for m in info.metadata if isinstance(m, Shows)]
        found[name] = mine[-1] if mine else None
    return found


@cache
def fields_for(where: Where, model: type[BaseModel] = Event) -> tuple[str, ...]:
    """Return the names of a model's fields that show in one place, in declared order."""
    if where not in PLACES:
        raise ValueError(f"{where!r} is not a place (expected one of {', '.join(PLACES)})")
    return tuple(name for name, mark in marks(model).items() if mark and where in mark.places)


def excluded(model: type[BaseModel] = Event) -> dict[str, str]:
    """Return, for each field kept out of some place on purpose, why."""
    return {name: mark.why for name, mark in marks(model).items() if mark and mark.why}


def nested_model(name: str, model: type[BaseModel] = Event) -> type[BaseModel] | None:
    """Return the model a field holds (or holds a list of), e.g. Quote for `quotes`."""
    kinds = [model.model_fields[name].annotation]
    while kinds:
        kind = kinds.pop()
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            return kind
        kinds.extend(get_args(kind))
    return None


def _as_list(column: pd.Series | pa.Array) -> pa.Array:
    values = column if isinstance(column, pa.Array | pa.ChunkedArray) else pa.array(column.array)
    return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values


def _words(values: pa.Array, searched: tuple[str, ...]) -> pa.Array:
    """Return each value's searchable text: itself, its items, or its record's searched fields."""
    kind = values.type
    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        items = _words(values.values, searched)
        return pc.binary_join(pa.ListArray.from_arrays(values.offsets, items), " ")
    if pa.types.is_struct(kind):
        parts = [_words(pc.struct_field(values, f), ()) for f in searched]
        return pc.binary_join_element_wise(*parts, pa.array([""] * len(values), pa.string()), " ")
    return pc.fill_null(values.cast(pa.string()), "")


def search_text(frame: pd.DataFrame) -> pa.Array:
    """Return each event's own text a search looks in: its fields marked "search", joined.

    A list gives its items; a record (a quote) the fields of its model marked "search".
    People are searched by their own words once each, not copied here (`filters.Index`).
    """
    parts = []
    for name in fields_for("search"):
        inner = nested_model(name)
        searched = fields_for("search", inner) if inner else ()
        parts.append(_words(_as_list(frame[name]), searched))
    return pc.binary_join_element_wise(*parts, " ")


def _plain(value: Any) -> Any:
    """Return a frame cell as plain Python: lists as lists, records as dicts."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [_plain(v) for v in value]
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    return value


def event_record(row: dict[str, Any]) -> dict[str, Any]:
    """Return one row of the events frame as the data file writes the event: every field."""
    record: dict[str, Any] = {}
    for name, info in Event.model_fields.items():
        if name == "date":
            value: Any = PartialDate(row["start"].date(), row["precision"]).iso()
        elif name == "end":
            value = None
            if not pd.isna(row["end"]):
                value = PartialDate(row["end"].date(), row["end_precision"]).iso()
        else:
            value = _plain(row[name])
            # The frame keeps an absent text as "" (a text column): the file leaves it out.
            if value == "" and not info.is_required():
                value = None
        record[info.alias or name] = value
    return record
