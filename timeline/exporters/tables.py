"""The events as tables: the CSV and JSON files that the page's downloads and `export` write."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel

from ..names import Names
from ..record import event_record, fields_for, nested_model
from ..schema import Person
from .view import bounded_text

# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


BATCH = 1_000  # events turned into records at a time: memory follows a batch, not the view


def _batches(frame: pd.DataFrame) -> Iterator[pd.DataFrame]:
    for at in range(0, len(frame), BATCH):
        yield frame.iloc[at : at + BATCH]


def _export_records(frames: Iterable[pd.DataFrame]) -> Iterator[dict]:
    """Yield each event as the file writes it, every field, a batch of rows at a time."""
    for frame in frames:
        for batch in _batches(frame):
            for row in batch.to_dict("records"):
                yield event_record({str(k): v for k, v in row.items()})


def json_chunks(frame: pd.DataFrame) -> Iterator[str]:
    """Yield the events as JSON, a record at a time: the text `json.dumps(records, indent=2)`
    gives, since JSON writes no line break inside a string."""
    return json_stream([frame])


def json_stream(frames: Iterable[pd.DataFrame]) -> Iterator[str]:
    """Yield the events of frames in turn as one JSON array (an engine's batches, say)."""
    first = True
    for record in _export_records(frames):
        text = json.dumps(record, ensure_ascii=False, indent=2)
        yield ("[\n  " if first else ",\n  ") + text.replace("\n", "\n  ")
        first = False
    yield "[]" if first else "\n]"


def to_json(frame: pd.DataFrame) -> str:
    """Return the events as JSON, field for field as in the data file (ExportError if too large).

    Every field of each event, null or [] when the file leaves it out. The people, sources
    and periods are not in it: the JSON is the events shown, which name people and
    sources by the ids of the data file.
    """
    return bounded_text(json_chunks(frame), "The JSON")


_LINE_BREAKS = re.compile(r"\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def _cell(value: str) -> str:
    """Return a cell no spreadsheet runs, however its reader ends lines.

    A leading apostrophe makes a spreadsheet show text instead of running it; each line of
    the cell gets one, since a reader that ends lines at a CR (or another line break)
    would start a new row with it. Line breaks become plain newlines.
    """
    lines = _LINE_BREAKS.split(value)
    return "\n".join("'" + line if line.startswith(_FORMULA_STARTS) else line for line in lines)


# A spreadsheet reads the key, the when and the what first; then the fields marked
# "table", in the schema's order.
_CSV_LEAD = ("id", "date", "end", "kind")
CSV_COLUMNS = [*_CSV_LEAD, *(f for f in fields_for("table") if f not in _CSV_LEAD)]


def _joined(value: object, model: type[BaseModel] | None) -> str:
    """Return a field as one cell: a list's items by "; ", a record's table fields by " · "."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_joined(v, model) for v in value)
    if isinstance(value, dict):
        shown = (value.get(f) for f in (fields_for("table", model) if model else value))
        return " · ".join(str(v) for v in shown if v not in (None, ""))
    return str(value)


def _translation(item: dict) -> str:
    """Return one translation as "lang: title · summary: ... · note: ... · source: id"."""
    # Labelled parts: a translation may give a note without a summary; " | " between
    # translations, as between quotes, since a title may hold "; ".
    parts = [f"{item['lang']}: {item['title']}"]
    parts += [f"{key}: {item[key]}" for key in ("summary", "note") if item.get(key)]
    return " · ".join([*parts, f"source: {item['source']}"])


def _cells(record: dict, names: Names) -> list[str]:
    """Return one event's CSV cells: people by their names, quotes as "name: words"."""
    cells = []
    for column in CSV_COLUMNS:
        value = record[column]
        if column == "leaders":
            cells.append("; ".join(names.name(p) for p in value))
        elif column == "quotes":
            cells.append(" | ".join(f"{names.name(q['by'])}: {q['text']}" for q in value))
        elif column == "translations":
            cells.append(" | ".join(_translation(item) for item in value or ()))
        else:
            cells.append(_joined(value, nested_model(column)))
    return cells


def csv_chunks(frame: pd.DataFrame, people: Mapping[str, Person]) -> Iterator[str]:
    """Yield the events as CSV, a batch of rows at a time, every field quoted.

    People are named by their names cut to `names.NAME_LIMIT`, worked out once each: a
    row is bounded by its event, not by the length of the names it references.
    """
    return csv_stream([frame], people)


def csv_stream(frames: Iterable[pd.DataFrame], people: Mapping[str, Person]) -> Iterator[str]:
    """Yield the events of frames in turn as one CSV table, its header once."""
    names = Names(people)
    out = io.StringIO()
    # Every field quoted: a line break inside a cell never ends a row.
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for n, record in enumerate(_export_records(frames), start=1):
        writer.writerow([_cell(v) for v in _cells(record, names)])
        if n % BATCH == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def to_csv(frame: pd.DataFrame, people: Mapping[str, Person]) -> str:
    """Return the events as CSV, one row each, with no cell a spreadsheet would run.

    ExportError when it would pass the export bound (`view.MAX_EXPORT_BYTES`).
    """
    return bounded_text(csv_chunks(frame, people), "The CSV")


def _byte_lengths(values: pa.Array) -> np.ndarray:
    return pc.fill_null(pc.binary_length(values.cast(pa.string())), 0).to_numpy().astype(np.int64)


def _per_event(lists: pa.ListArray, sizes: np.ndarray, events: int) -> np.ndarray:
    """Sum `sizes` (one per item of the lists) per event."""
    rows = pc.list_parent_indices(lists).to_numpy()
    return np.bincount(rows, weights=sizes, minlength=events).astype(np.int64)


def _referenced(ids: pa.Array, size_of: Callable[[str], int]) -> np.ndarray:
    """Return the size of what each id stands for, worked out once per distinct id."""
    encoded = pc.dictionary_encode(ids.cast(pa.string()))
    once = np.array([size_of(i) for i in encoded.dictionary.to_pylist()], dtype=np.int64)
    return once[encoded.indices.to_numpy(zero_copy_only=False)] if len(once) else once


def _text_bytes(values: pa.Array) -> np.ndarray:
    """Return the bytes of text in each value: a text, a list's items, a record's fields."""
    if pa.types.is_list(values.type):
        return _per_event(values, _text_bytes(pc.list_flatten(values)), len(values))
    if pa.types.is_struct(values.type):
        total = np.zeros(len(values), dtype=np.int64)
        for i in range(values.type.num_fields):
            total += _text_bytes(pc.struct_field(values, [i]))
        return total
    return _byte_lengths(values)


# The dates are counted as their label; people and sources with what they stand for.
_COUNTED_BELOW = ("date", "end", "leaders", "quotes", "sources")


def _arrow_list(column: pd.Series) -> pa.Array:
    values = pa.array(column.array)
    return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values


def shown_bytes(frame: pd.DataFrame, names: Names) -> np.ndarray:
    """Return, per event, about how many bytes of text it shows with what it references.

    Its own fields, and the names of its people and the words of its sources as `names`
    cuts them, counted without writing any of it: the page offers a download only when
    this says it fits under the export bound.
    """
    n = len(frame)
    total = np.zeros(n, dtype=np.int64)
    for column in ("date_label", *fields_for("table")):
        if column not in _COUNTED_BELOW:
            total += _text_bytes(_arrow_list(frame[column]))
    leaders, quotes = _arrow_list(frame["leaders"]), _arrow_list(frame["quotes"])
    sources = _arrow_list(frame["sources"])

    def name_size(pid: str) -> int:
        return len(names.with_role(pid).encode("utf-8"))

    def source_size(sid: str) -> int:
        found = names.source(sid)
        words = (found[0], found[1], *found[2]) if found else (sid,)
        return sum(len(w.encode("utf-8")) for w in words) + 2 * len(sid)

    flat_quotes = pc.list_flatten(quotes)
    total += _per_event(leaders, _referenced(pc.list_flatten(leaders), name_size), n)
    total += _per_event(quotes, _byte_lengths(pc.struct_field(flat_quotes, "text")), n)
    total += _per_event(quotes, _referenced(pc.struct_field(flat_quotes, "by"), name_size), n)
    total += _per_event(sources, _referenced(pc.list_flatten(sources), source_size), n)
    return total


Sized = Literal["csv", "json", "html"]
# Each format's bytes per event besides the text shown (field names, quoting, markup),
# measured on synthetic files (about 100, 210 and 570), rounded up; and a page's script.
PER_EVENT: dict[Sized, int] = {"csv": 150, "json": 300, "html": 800}
PER_FILE: dict[Sized, int] = {"csv": 200, "json": 2, "html": 4 * 1024**2}


def estimated_size(frame: pd.DataFrame, names: Names, fmt: Sized) -> int:
    """Return about how many bytes an export of these events would take, without writing it."""
    return int(shown_bytes(frame, names).sum()) + PER_EVENT[fmt] * len(frame) + PER_FILE[fmt]
