"""`export FORMAT DIR`: a view of an event store, run on an engine, CSV and JSON streamed.

The view's events are asked of the engine (DuckDB, or Spark) in date order and come back
in Arrow batches; CSV and JSON are written a batch at a time (tables.csv_stream,
json_stream: the bytes a file's export gives for the same events), so memory follows a
batch, not the view. The static page and TimelineJS hold their events in memory: a view
of more than `MAX_FETCHED_EVENTS` is refused with a message to narrow it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pyarrow as pa

from ..files import write_chunks, write_output
from ..frame import _COLUMNS, Dataset
from ..query import parse_query, read_query
from ..selection import View
from ..state import FilterState
from ..store import query as Q
from ..store.catalog import store_catalog
from ..store.engine import connect, engine_name
from ..store.io import StoreError, table_paths
from ..store.write import frame_of
from .formats import ExportFormat, Job
from .html import FigureKit
from .tables import csv_stream, json_stream
from .view import ExportError

STREAMED = ("csv", "json")  # formats written a batch at a time, whatever the view holds
# The most events a static page or TimelineJS export is built from: the largest data file
# the dashboard reads whole holds about 100,000 events (its static page: 99 MB).
MAX_FETCHED_EVENTS = 100_000
BATCH_ROWS = 10_000  # events asked of the engine at a time
SORT_MEMORY = "256MB"  # DuckDB's memory for an export's sort; the rest spills to disk


@dataclass(frozen=True)
class StoreView:
    """A store bound to an engine, and the view a query string asks of it."""

    bound: Q.Bound
    state: FilterState
    notices: tuple[str, ...]


def open_view(folder: str, query: str, engine: str | None, max_fields: int) -> StoreView:
    """Open a store on an engine and read the view; StoreError or ValueError if it cannot."""
    name = engine_name(engine)
    paths = table_paths(folder)  # StoreError for a folder that is not a store
    params = parse_query(query, max_fields)
    named = [v for key in ("event",) for v in params.get(key, [])]
    try:
        bound = Q.on_files(connect(name), paths)
        catalog = store_catalog(bound, named)
    except (StoreError, ValueError):
        raise
    except Exception as err:  # each engine has its own errors (DuckDB's IOException, Spark's)
        raise StoreError(
            f"{folder}: the store cannot be read on {name}: {str(err).splitlines()[0]} "
            "(a table missing or damaged, or written by another version: `validate` it, "
            "or write it again)"
        ) from None
    decoded = read_query(params, catalog)
    return StoreView(bound, decoded.state, tuple(str(n) for n in decoded.notices))


def _frames(b: Q.Bound, state: FilterState) -> Iterator[pd.DataFrame]:
    """Yield the view's events in date order, a batch at a time, as build_frame's frames."""
    # Only the frame's columns are sorted (not the search text nor the lane counts).
    expr = Q.kept(b, state).select("seq", *_COLUMNS).order_by("seq")
    for batch in _batches(b, expr):
        table = pa.Table.from_batches([batch])
        names = [f.name for f in b.schema if f.name in table.column_names]
        columns = [table.column(n).cast(b.schema.field(n).type) for n in names]
        yield frame_of(pa.table(columns, names=names))


def _batches(b: Q.Bound, expr: Any) -> Iterator[pa.RecordBatch]:
    """Yield a query's rows in Arrow batches as the engine makes them, never all at once."""
    if b.con.name == "duckdb":
        # The date order is a sort of the whole view: past SORT_MEMORY DuckDB spills it to
        # disk, so memory stays flat for millions of rows.
        con = b.con.con
        con.execute(f"SET memory_limit = '{SORT_MEMORY}'")
        con.execute(f"SET temp_directory = '{tempfile.gettempdir()}/timeline-duckdb'")
        # Ibis 12's own batches call a DuckDB method that DuckDB 2 no longer has.
        yield from con.sql(b.con.compile(expr)).to_arrow_reader(BATCH_ROWS)
    else:
        yield from expr.to_pyarrow_batches(chunk_size=BATCH_ROWS)


def _fetched(view: StoreView) -> Dataset:
    """Return the view's events as a dataset of their own (for formats built in memory)."""
    b = view.bound
    frames = list(_frames(b, view.state))
    events = pd.concat(frames, ignore_index=True) if frames else frame_of(b.schema.empty_table())
    return Dataset(b.title, b.description, b.people, b.sources, events, b.periods)


def _chunks(fmt: ExportFormat, view: StoreView) -> Iterator[str]:
    frames = _frames(view.bound, view.state)
    return csv_stream(frames, view.bound.people) if fmt.name == "csv" else json_stream(frames)


def run_store_export(
    args: argparse.Namespace, fmt: ExportFormat, figures: FigureKit, today: dt.date, **kw: Any
) -> int:
    """Export a view of a store: 0 written, 1 a view too large or empty, 2 not a store."""
    err_out = sys.stderr
    where = args.file
    try:
        view = open_view(where, args.query, args.engine, kw["max_fields"])
    except StoreError as err:
        print(f"{err}; nothing exported", file=err_out)
        return 2
    except ValueError as err:  # an unknown engine, a query of too many fields
        print(f"{where}: {err}; nothing exported", file=err_out)
        return 2
    for notice in view.notices:
        print(f"--query: {notice}", file=err_out)
    total = Q.count(view.bound, FilterState())
    shown = Q.count(view.bound, view.state)
    if fmt.name in STREAMED:
        size = write_chunks(args.output, _chunks(fmt, view), err_out)
    else:
        if shown > MAX_FETCHED_EVENTS:
            print(
                f"{where}: nothing to export: the view holds {shown:,} events, more than the "
                f"{MAX_FETCHED_EVENTS:,} {fmt.words} is built from; narrow the view (--query, "
                "e.g. 'country=IR&from=2020-01-01'), or export csv or json, which take any "
                "number; no file written",
                file=err_out,
            )
            return 1
        data = _fetched(view)
        try:
            job = Job(View.of(data, view.state), figures, today, kw.get("base_url"),
                      getattr(args, "lang", None))  # fmt: skip
            text = fmt.write(job)
        except ExportError as err:
            print(f"{where}: nothing to export: {err}; no file written", file=err_out)
            return 1
        size = len(text.encode("utf-8")) if write_output(args.output, text, err_out) else None
    if size is None:
        return 2
    to = args.output or "standard output"
    print(
        f"{where}: wrote {shown:,} of {total:,} events as {fmt.words} to {to} ({size:,} bytes)",
        file=err_out,
    )
    return 0
