"""The events as a DataFrame, and the Dataset that carries it with people and sources."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .dates import PartialDate
from .record import fields_for
from .schema import FileTranslation, Period, Person, Source, Story, TimelineFile


@dataclass(frozen=True)
class Dataset:
    """A validated data file: its heading, people and sources, and one event per row."""

    title: str
    description: str | None
    people: dict[str, Person]
    sources: dict[str, Source]
    events: pd.DataFrame
    periods: tuple[Period, ...] = ()
    stories: tuple[Story, ...] = ()  # authored stories, in the file's order
    lang: str | None = None  # the language of the file's own text (BCP 47), if it says
    translations: tuple[FileTranslation, ...] = ()  # the heading in other languages

    @property
    def date_range(self) -> tuple[PartialDate, PartialDate] | None:
        """Return the first and the last date the events cover, or None without events."""
        if self.events.empty:
            return None
        first = self.events["start"].min().date()
        last = self.events["last"].max().date()
        return PartialDate(first, "day"), PartialDate(last, "day")


# What the frame keeps of an event's dates, in the place of its `date` and `end`: the first
# day, the end, the last day it covers, the precisions and the words people read.
DATE_COLUMNS = ("start", "end", "last", "precision", "end_precision", "date_label")


def _columns() -> list[str]:
    """Return the frame's columns: the event's fields marked "column", dates as DATE_COLUMNS."""
    names: list[str] = []
    for name in fields_for("column"):
        if name == "date":
            names.extend(DATE_COLUMNS)
        elif name != "end":  # its columns come with the date's
            names.append(name)
    return names


_COLUMNS = _columns()
PRECISIONS = pd.CategoricalDtype(["year", "month", "day"])
# Second resolution reaches far beyond nanoseconds' 1677-2262, for historians.
DATETIME = "datetime64[s]"


def _arrow_type(spec: dict[str, Any], defs: dict[str, Any]) -> pa.DataType:
    """Return the Arrow type of a JSON Schema property (strings, lists and records)."""
    if "anyOf" in spec:
        spec = next(o for o in spec["anyOf"] if o.get("type") != "null")
    if "$ref" in spec:
        spec = defs[spec["$ref"].rsplit("/", 1)[1]]
    if spec.get("type") == "array":
        return pa.list_(_arrow_type(spec["items"], defs))
    if spec.get("type") == "object":
        return pa.struct([(k, _arrow_type(v, defs)) for k, v in spec["properties"].items()])
    return pa.string()


@cache
def event_type() -> pa.StructType:
    """Return the Arrow type of one event, read from the Event model's JSON Schema."""
    schema = TimelineFile.model_json_schema()
    return _arrow_type(schema["properties"]["events"]["items"], schema["$defs"])


def to_arrow(events: list[dict[str, Any]]) -> pa.StructArray:
    """Convert events to one Arrow array in C; raises if a value has the wrong type."""
    return pa.array(events, type=event_type())


def _pad(dates: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Parse YYYY, YYYY-MM and YYYY-MM-DD at once; ValueError if any is not a real date."""
    lengths = pc.utf8_length(dates).to_numpy(zero_copy_only=False)
    padded = pc.if_else(
        pc.equal(lengths, 4),
        pc.binary_join_element_wise(dates, "01-01", "-"),
        pc.if_else(pc.equal(lengths, 7), pc.binary_join_element_wise(dates, "01", "-"), dates),
    )
    # numpy rejects 2022-02-30; it takes year 0000, which the calendar has not.
    first = np.asarray(padded.to_numpy(zero_copy_only=False), dtype="datetime64[D]")
    if len(first) and first.min() < np.datetime64("0001-01-01"):
        raise ValueError("a date in year 0")
    return first, lengths


def _period_ends(first: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Return the last day of each date's period: itself, the end of its month or year."""
    month_end = (first.astype("datetime64[M]") + 1).astype("datetime64[D]") - 1
    year_end = (first.astype("datetime64[Y]") + 1).astype("datetime64[D]") - 1
    return np.where(lengths == 10, first, np.where(lengths == 7, month_end, year_end))


def _precision(lengths: np.ndarray, mask: np.ndarray | None = None) -> pd.Categorical:
    codes = np.select([lengths == 4, lengths == 7], [0, 1], 2)
    if mask is not None:
        codes = np.where(mask, codes, -1)
    return pd.Categorical.from_codes(codes, dtype=PRECISIONS)


_MONTHS = pa.array(list(calendar.month_name)[1:])  # the names %B gives, in the same locale


def _parts(days: np.ndarray) -> tuple[pa.Array, pa.Array, pa.Array]:
    """Return the day of the month, the month's name and the year of each date, as text."""
    months = days.astype("datetime64[M]")
    years = months.astype("datetime64[Y]")
    day = (days - months.astype("datetime64[D]")).astype(np.int64) + 1
    month = (months - years.astype("datetime64[M]")).astype(np.int64)
    year = years.astype(np.int64) + 1970
    as_text = pa.string()
    return (
        pc.cast(pa.array(day), as_text),
        pc.take(_MONTHS, pa.array(month)),
        pc.cast(pa.array(year), as_text),
    )


def _labels(
    first: np.ndarray, lengths: np.ndarray, end_first: np.ndarray, end_lengths: np.ndarray,
    has_end: np.ndarray,
) -> pa.Array:  # fmt: skip
    """Return each event's date for people, as dates.span_label words it, all at once."""
    join = pc.binary_join_element_wise
    d1, m1, y1 = _parts(first)
    d2, m2, y2 = _parts(end_first)

    def word(d: pa.Array, m: pa.Array, y: pa.Array, sizes: np.ndarray) -> pa.Array:
        return pc.if_else(
            pa.array(sizes == 10), join(d, m, y, " "),
            pc.if_else(pa.array(sizes == 7), join(m, y, " "), y),
        )  # fmt: skip

    start, end = word(d1, m1, y1, lengths), word(d2, m2, y2, end_lengths)
    days = has_end & (lengths == 10) & (end_lengths == 10)
    same_month = days & (first.astype("datetime64[M]") == end_first.astype("datetime64[M]"))
    same_year = days & (first.astype("datetime64[Y]") == end_first.astype("datetime64[Y]"))
    alone = ~has_end | ((first == end_first) & (lengths == end_lengths))
    return pc.if_else(
        pa.array(alone), start,
        pc.if_else(
            pa.array(same_month), join(join(d1, d2, "–"), m1, y1, " "),
            pc.if_else(
                pa.array(same_year), join(d1, m1, "–", d2, m2, y1, " "),
                join(start, end, " – "),
            ),
        ),
    )  # fmt: skip


def _unique_labels(
    first: np.ndarray, lengths: np.ndarray, end_first: np.ndarray, end_lengths: np.ndarray,
    has_end: np.ndarray,
) -> pa.Array:  # fmt: skip
    """Word each distinct date (and end) once: many events share a day."""
    # One integer per (date, precision, end, precision): days since 1970 fit in 23 bits for
    # years 1 to 9999 once shifted positive, so the fields pack into 64 bits.
    shift = 800_000
    key = (
        ((first.astype(np.int64) + shift) << 28)
        | ((end_first.astype(np.int64) + shift) << 5)
        | ((lengths // 3) << 2)  # 4, 7, 10 -> 1, 2, 3
        | (end_lengths // 3 * has_end)
    )
    _, pick, back = np.unique(key, return_index=True, return_inverse=True)
    labels = _labels(first[pick], lengths[pick], end_first[pick], end_lengths[pick], has_end[pick])
    return pc.take(labels, pa.array(back.ravel()))


def _no_null_lists(array: pa.Array) -> pa.Array:
    """Return a list array whose null entries are empty lists (a missing field means none)."""
    if not array.null_count:
        return array
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    rebuilt = pa.ListArray.from_arrays(array.offsets, array.values)
    # Arrow gives null entries no items, so dropping the null mask leaves them empty.
    if pc.max(pc.list_value_length(pc.filter(rebuilt, pc.is_null(array)))).as_py():
        return pc.fill_null(array, pa.scalar([], array.type))  # pragma: no cover
    return rebuilt


def _column(array: pa.Array) -> pd.Series:
    if pa.types.is_string(array.type):
        return pd.Series(array, dtype="str")
    return pd.Series(array, dtype=pd.ArrowDtype(array.type))


def _field_column(values: pa.Array) -> pd.Series:
    """Return a field's column: a missing list as no items, a missing text as "" (the column
    stays text), a missing record as null."""
    if pa.types.is_list(values.type):
        return _column(_no_null_lists(values))
    if pa.types.is_string(values.type):
        return _column(pc.fill_null(values, ""))
    return _column(values)


def _date_columns(events: pa.StructArray) -> tuple[dict[str, Any], np.ndarray]:
    """Return the DATE_COLUMNS of the events, and each one's first day."""
    dates, ends = events.field("date"), events.field("end")
    first, lengths = _pad(dates)
    has_end = pc.is_valid(ends).to_numpy(zero_copy_only=False)
    end_first, end_lengths = _pad(pc.coalesce(ends, dates))
    last = np.where(has_end, _period_ends(end_first, end_lengths), _period_ends(first, lengths))
    columns = {
        "start": first.astype(DATETIME),
        "end": np.where(has_end, end_first, np.datetime64("NaT")).astype(DATETIME),
        # The last day the event covers: its end, or the end of its month or year.
        "last": last.astype(DATETIME),
        "precision": _precision(lengths),
        "end_precision": _precision(end_lengths, has_end),
        "date_label": _column(_unique_labels(first, lengths, end_first, end_lengths, has_end)),
    }
    return columns, first


def build_frame(events: pa.StructArray) -> pd.DataFrame:
    """Return one row per (validated) event with typed columns, in date order."""
    columns, first = _date_columns(events)
    for name in _COLUMNS:
        if name not in columns:
            columns[name] = _field_column(events.field(name))
    frame = pd.DataFrame(columns, columns=_COLUMNS)
    # Date order, then time of day ("HH:MM" sorts as text; none, "", comes first); events
    # of one day and time keep the order of the file (lexsort is stable).
    order = np.lexsort((frame["time"].to_numpy(str), first))
    return frame.take(order).reset_index(drop=True)


_DATES = ("start", "end", "last")
_CODES = ("precision", "end_precision")


def frame_to_table(frame: pd.DataFrame) -> pa.Table:
    """Return the events frame as an Arrow table, for a disk cache that holds data only."""
    columns = {
        name: pa.array(frame[name].cat.codes.to_numpy())
        if name in _CODES
        else pa.Array.from_pandas(frame[name])
        for name in _COLUMNS
    }
    return pa.table(columns)


def frame_from_table(table: pa.Table) -> pd.DataFrame:
    """Return the frame frame_to_table was given, with the same types build_frame makes."""
    if table.column_names != _COLUMNS:
        raise ValueError(f"expected the columns {_COLUMNS}, got {table.column_names}")
    out: dict[str, Any] = {}
    for name in _COLUMNS:
        values = table.column(name).combine_chunks()
        if name in _DATES:
            out[name] = values.cast(pa.timestamp("s")).to_numpy(zero_copy_only=False)
        elif name in _CODES:
            out[name] = pd.Categorical.from_codes(values.to_numpy(), dtype=PRECISIONS)
        else:
            if pa.types.is_large_string(values.type):
                values = values.cast(pa.string())  # pandas writes its text as large strings
            out[name] = _column(values)
    return pd.DataFrame(out, columns=_COLUMNS)
