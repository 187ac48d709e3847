"""A dataset as the event store's tables (Arrow), and back: what a store folder holds.

The store holds exactly what an events file holds (the schema's records: events, people,
sources, periods, the heading), plus what every query would otherwise recompute:

- `events`: the frame's columns (timeline/frame.py) in date order, `seq` (the frame's row:
  date order, the file's order within a day), dates as days, a folded `search` text (the
  fields marked "search" in record.py, and the words of the people each event names as a
  leader or quotes, as `filters.Index.search` finds them) and `lanes_<kind>`, how many
  lanes of each kind the event sits on;
- `lanes`: (seq, lane kind, key, slot, start, last, kind) for each event and lane, from
  the membership rules of `lanes.LANES` themselves; slot is the lane's place within its
  event; the event's days and kind are carried so that a date or kind filter, the density
  and the matrix read this narrow table alone (no join back to the events);
- `cells`: the lanes summed per (lane kind, key, month), once per event kind and once over
  every kind (`every`): events, first place, first and last day, with key null for the
  events on no lane of the kind; the lanes, their order and the density of an unfiltered
  view or one filtered by kind read this alone;
- `meets`: per (lane kind, key a <= key b), once per event kind and once over every kind,
  how many events sit on both lanes and the first EXAMPLES of them (a row each, with its
  title): the matrix of an unfiltered or kind-filtered view.

- `words`: (word, h, seq) for each space-separated word of each event's search text,
  once, sorted by h, the word's hash (a search finds the words holding its own in `vocab`,
  then reads their rows: a searched word has no space, so it lies within one of these);
- `vocab`: each word of `words` and how many events hold it.

`cells`, `meets` and `vocab` summarise the whole store: a store written in parts gets them from
`finish` (over every part's Parquet files) after the last part.

No filesystem here (timeline/store/io.py writes and reads the folder).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from hashlib import blake2b
from typing import Any, Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import shown
from ..frame import _COLUMNS, Dataset, frame_from_table, frame_to_table
from ..lanes import LANES, Membership
from ..record import search_text
from ..schema import Period, Person, Source
from ..state import LaneKind
from ..text import fold_arrow

# 3: `meets` carries each example's title (a store of version 2 is written again).
STORE_VERSION = 3
OnDuplicate = Literal["keep", "replace"]
ON_DUPLICATE: tuple[OnDuplicate, ...] = ("keep", "replace")
DATES = ("start", "end", "last")
PRECISION_NAMES = ("year", "month", "day")  # frame.PRECISIONS's categories, in order
# seq * SLOTS + slot orders an event's lanes after every lane of an earlier event.
SLOTS = 1 << 20
EXAMPLES = 5  # titles kept per pair of lanes in `meets` (the matrix's hover shows five)


def lane_count_column(kind: LaneKind) -> str:
    """Return the events table's column counting an event's lanes of one kind."""
    return f"lanes_{kind}"


@dataclass(frozen=True)
class StoreTables:
    """The tables of one store, as Arrow tables: one Parquet file each in the folder."""

    meta: pa.Table  # one row: title, description, version
    events: pa.Table
    lanes: pa.Table
    people: pa.Table
    sources: pa.Table
    periods: pa.Table
    words: pa.Table
    cells: pa.Table
    meets: pa.Table
    vocab: pa.Table

    def named(self) -> dict[str, pa.Table]:
        """Return the tables by their file names, in the order they are written."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


TABLE_NAMES: tuple[str, ...] = tuple(f.name for f in fields(StoreTables))


def _plain_text(array: pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    return array.cast(pa.string()) if pa.types.is_large_string(array.type) else array


def _people_words(frame: pd.DataFrame, people: dict[str, Person]) -> pa.Array:
    """Return, per event, the folded words of the people it names as leaders or quotes."""
    ids = pa.array(list(people), pa.string())
    words = fold_arrow(
        pa.array(
            [" ".join(filter(None, (p.name, p.country, p.role))) for p in people.values()],
            pa.string(),
        )
    )
    leaders = pa.array(frame["leaders"].array)
    quotes = pa.array(frame["quotes"].array)
    leaders = leaders.combine_chunks() if isinstance(leaders, pa.ChunkedArray) else leaders
    quotes = quotes.combine_chunks() if isinstance(quotes, pa.ChunkedArray) else quotes
    rows = np.concatenate(
        [pc.list_parent_indices(leaders).to_numpy(), pc.list_parent_indices(quotes).to_numpy()]
    ).astype(np.int64)
    named = pa.concat_arrays(
        [
            pc.list_flatten(leaders).cast(pa.string()),
            pc.struct_field(pc.list_flatten(quotes), "by").cast(pa.string()),
        ]
    )
    said = pc.take(words, pc.index_in(named, value_set=ids)) if len(ids) else pa.nulls(len(named))
    order = np.argsort(rows, kind="stable")
    rows, said = rows[order], pc.take(pc.fill_null(said.cast(pa.string()), ""), order)
    offsets = np.searchsorted(rows, np.arange(len(frame) + 1)).astype(np.int32)
    return pc.binary_join(pa.ListArray.from_arrays(pa.array(offsets), said), " ")


def _fold(texts: pa.Array) -> pa.Array:
    """Fold texts as text.fold_arrow does, the ASCII ones the short way (the same result:
    NFKD leaves ASCII as it is, and its one apostrophe to read as ' is the backtick)."""
    texts = _plain_text(texts)
    ascii_ = pc.fill_null(pc.string_is_ascii(texts), True)
    if pc.all(ascii_).as_py() is not False:
        return pc.replace_substring(pc.ascii_lower(texts), "`", "'")
    out = pc.replace_substring(pc.ascii_lower(texts), "`", "'")
    other = pc.invert(ascii_)
    return pc.replace_with_mask(out, other, fold_arrow(pc.filter(texts, other)))


def search_column(frame: pd.DataFrame, people: dict[str, Person]) -> pa.Array:
    """Return each event's folded search text: its own words, then its people's."""
    own = _fold(search_text(frame))
    return pc.binary_join_element_wise(own, _people_words(frame, people), " ")


def _days(frame: pd.DataFrame, name: str) -> pa.Array:
    return pa.array(frame[name].to_numpy().astype("datetime64[D]"), pa.date32())


def lane_table(frame: pd.DataFrame, people: dict[str, Person], first_seq: int = 0) -> pa.Table:
    """Return (seq, lane, key, slot, start, last, kind) for every event and lane of every
    kind, sorted by kind and key; seq counts from first_seq (a part's first event)."""
    parts = []
    start, last = _days(frame, "start"), _days(frame, "last")
    kinds = _plain_text(pa.array(frame["kind"].array))
    for kind in sorted(LANES):
        member = Membership.build(frame, people, kind)
        rows, keys = member.rows, pa.array(member.keys, pa.string())
        # Pairs come sorted by (row, position): the slot is the place within the row.
        slots = np.arange(len(rows)) - np.searchsorted(rows, rows, side="left")
        # Sorted by key, then seq: a filter by a few keys reads a few row groups. Python
        # orders text by code point, as UTF-8 bytes sort: the keys are sorted once each.
        rank = np.empty(len(member.keys), dtype=np.int64)
        rank[np.argsort(np.array(member.keys, dtype=object))] = np.arange(len(member.keys))
        order = np.lexsort((rows, rank[member.codes])) if len(rows) else np.arange(0)
        at = pa.array(rows[order], pa.int64())
        parts.append(
            pa.table(
                {
                    "seq": pa.array(rows[order] + first_seq, pa.int64()),
                    "lane": pa.array(np.full(len(rows), kind, dtype=object), pa.string()),
                    "key": pc.take(keys, pa.array(member.codes[order], pa.int64())),
                    "slot": pa.array(slots[order], pa.int32()),
                    "start": pc.take(start, at),
                    "last": pc.take(last, at),
                    "kind": pc.take(kinds, at),
                }
            )
        )
    return pa.concat_tables(parts)


def _lane_counts(lanes: pa.Table, size: int, first_seq: int) -> dict[str, pa.Array]:
    counts = {}
    seqs = lanes.column("seq").to_numpy() - first_seq
    kinds = lanes.column("lane").to_numpy(zero_copy_only=False)
    for kind in LANES:
        counts[lane_count_column(kind)] = pa.array(
            np.bincount(seqs[kinds == kind], minlength=size), pa.int32()
        )
    return counts


def event_table(
    frame: pd.DataFrame, people: dict[str, Person], lanes: pa.Table, first_seq: int = 0
) -> pa.Table:
    """Return the events table: the frame's columns, seq, days as dates, search, lane counts."""
    base = frame_to_table(frame.reset_index(drop=True))
    seqs = np.arange(first_seq, first_seq + len(frame))
    columns: dict[str, pa.Array] = {"seq": pa.array(seqs, pa.int64())}
    for name in _COLUMNS:
        values = _plain_text(base.column(name))
        if name in DATES:
            values = values.cast(pa.timestamp("s")).cast(pa.date32())
        elif name in ("precision", "end_precision"):
            codes = pc.if_else(pc.less(values, 0), None, values)
            values = pc.take(pa.array(PRECISION_NAMES), codes)
        columns[name] = values
    columns["search"] = search_column(frame, people)
    columns.update(_lane_counts(lanes, len(frame), first_seq))
    return pa.table(columns)


def frame_of(events: pa.Table) -> pd.DataFrame:
    """Return rows of the events table as the frame build_frame makes (same types)."""
    columns = {}
    for name in _COLUMNS:
        values = events.column(name)
        if name in DATES:
            values = values.cast(pa.date32()).cast(pa.timestamp("s"))
        elif name in ("precision", "end_precision"):
            values = pc.fill_null(pc.index_in(values, value_set=pa.array(PRECISION_NAMES)), -1)
            values = values.cast(pa.int8())
        columns[name] = values
    return frame_from_table(pa.table(columns))


def _records(models: Iterable[Any], ids: Iterable[str] | None = None) -> list[dict[str, Any]]:
    rows = [m.model_dump(by_alias=True, mode="json") for m in models]
    if ids is not None:
        rows = [{"id": i, **row} for i, row in zip(ids, rows, strict=True)]
    return rows


_PEOPLE = pa.schema([(n, pa.string()) for n in ("id", "name", "country", "role")])
_SOURCES = pa.schema(
    [*((n, pa.string()) for n in ("id", "title", "publisher", "date", "url")),
     ("authors", pa.list_(pa.string()))]
)  # fmt: skip
_PERIODS = pa.schema([(n, pa.string()) for n in ("title", "from", "to", "note")])
_META = pa.schema([("title", pa.string()), ("description", pa.string()), ("version", pa.int32())])


def tables_of(data: Dataset, first_seq: int = 0, summarised: bool = True) -> StoreTables:
    """Return a dataset as the store's tables (its events' seq counting from first_seq);
    a part of a store written in parts skips the summaries (empty), which `finish` makes."""
    frame = data.events.reset_index(drop=True)
    people = dict(data.people)
    lanes = lane_table(frame, people, first_seq)
    events = event_table(frame, people, lanes, first_seq)
    words = word_table(events)
    parts = {"events": events, "lanes": lanes, "words": words}
    meta = [{"title": data.title, "description": data.description, "version": STORE_VERSION}]
    return StoreTables(
        meta=pa.Table.from_pylist(meta, _META),
        events=events,
        lanes=lanes,
        words=words,
        people=pa.Table.from_pylist(_records(people.values(), people), _PEOPLE),
        sources=pa.Table.from_pylist(_records(data.sources.values(), data.sources), _SOURCES),
        periods=pa.Table.from_pylist(_records(data.periods), _PERIODS),
        **(summaries(parts) if summarised else _no_summaries()),
    )


def _no_summaries() -> dict[str, pa.Table]:
    return {n: schema.empty_table() for n, schema in _SUMMARY_SCHEMAS.items()}


_WORDS = pa.schema([("word", pa.string()), ("h", pa.int64()), ("seq", pa.int64())])
HASH_BITS = 40  # of a word's hash: the rows are sorted by it (an integer sorts fast)
_ROW_BITS = 63 - HASH_BITS  # events a part may hold: 2^23, about 8 million


def word_hashes(words: list[str]) -> np.ndarray:
    """Return each word's hash (HASH_BITS of BLAKE2b): the same on every engine and run."""
    return np.array(
        [int.from_bytes(blake2b(w.encode(), digest_size=8).digest()) >> (64 - HASH_BITS)
         for w in words],
        dtype=np.int64,
    )  # fmt: skip


def word_table(events: pa.Table) -> pa.Table:
    """Return (word, h, seq): each space-separated word of each event's search text once,
    sorted by the word's hash h (a search reads the few row groups of its words' hashes)."""
    if len(events) >= 1 << _ROW_BITS:
        raise ValueError(f"a part of {len(events):,} events: at most {(1 << _ROW_BITS) - 1:,}")
    split = pc.split_pattern(_plain_text(events.column("search")), " ")
    rows = pc.list_parent_indices(split).to_numpy().astype(np.int64)
    words = pc.dictionary_encode(pc.list_flatten(split))
    codes = words.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    hashes = word_hashes(words.dictionary.to_pylist())
    # One sort of one integer per word and event: the word's place in hash order, then the
    # row; repeats dropped. np.sort, not argsort: both halves are read back from the key.
    by_hash = np.lexsort((np.arange(len(hashes)), hashes))
    place = np.empty(len(hashes), np.int64)
    place[by_hash] = np.arange(len(hashes))
    key = np.sort((place[codes] << _ROW_BITS) | rows)
    key = key[np.concatenate([[True], key[1:] != key[:-1]])] if len(key) else key
    codes, rows = by_hash[key >> _ROW_BITS], key & ((1 << _ROW_BITS) - 1)
    table = pa.table(
        {
            "word": pc.take(words.dictionary, pa.array(codes)),
            "h": pa.array(hashes[codes], pa.int64()),
            "seq": pc.take(events.column("seq"), pa.array(rows)),
        }
    )
    return table.filter(pc.not_equal(table.column("word"), "")).cast(_WORDS)


def _cells_sql(events: str, lanes: str) -> str:
    month = "CAST(date_trunc('month', start) AS DATE)"
    sums = "count(*) AS n, min(start) AS first_day, max(last) AS last_day"
    alone = [
        f"SELECT '{kind}' AS lane, CAST(NULL AS VARCHAR) AS key, kind, {month} AS month, "
        f"min(seq * {SLOTS}) AS f, {sums} FROM {events} "
        f"WHERE {lane_count_column(kind)} = 0 GROUP BY kind, month"
        for kind in sorted(LANES)
    ]
    per_kind = " UNION ALL ".join(
        [
            f"SELECT lane, key, kind, {month} AS month, min(seq * {SLOTS} + slot) AS f, {sums} "
            f"FROM {lanes} GROUP BY lane, key, kind, month",
            *alone,
        ]
    )
    # Per event kind (a kind filter), and over every kind (no filter: far fewer rows).
    every = (
        "SELECT lane, key, NULL AS kind, month, min(f) AS f, sum(n) AS n, "
        "min(first_day) AS first_day, max(last_day) AS last_day FROM k GROUP BY lane, key, month"
    )
    # The first place as (seq, slot): a seq column, renumbered as every table's is.
    return (
        f"WITH k AS ({per_kind}) SELECT lane, key, kind, every, month, n, f // {SLOTS} AS seq, "
        f"f % {SLOTS} AS slot, first_day, last_day FROM ("
        "SELECT lane, key, kind, false AS every, month, f, n, first_day, last_day FROM k "
        f"UNION ALL SELECT lane, key, kind, true, month, f, n, first_day, last_day FROM ({every}))"
    )


def _meets_sql(events: str, lanes: str) -> str:
    # Each pair once, a <= b (the matrix is symmetric): the query mirrors it.
    pairs = (
        f"SELECT x.lane, x.key AS a, y.key AS b, x.kind, x.seq FROM {lanes} x "
        f"JOIN {lanes} y ON x.seq = y.seq AND x.lane = y.lane AND x.key <= y.key"
    )
    # Per event kind (a kind filter), and over every kind (no filter), from the former.
    per_kind = (
        f"SELECT lane, a, b, kind, count(*) AS n, min(seq, {EXAMPLES}) AS s FROM p GROUP BY ALL"
    )
    every = (
        f"SELECT lane, a, b, NULL AS kind, sum(n) AS n, list_sort(flatten(list(s)))[1:{EXAMPLES}] "
        "AS s FROM k GROUP BY lane, a, b"
    )
    groups = (
        "SELECT lane, a, b, kind, false AS every, n, s FROM k UNION ALL "
        f"SELECT lane, a, b, kind, true, n, s FROM ({every})"
    )
    # One row per example event (a seq column, and its title: the matrix's hover reads it
    # here, not from the events, whose titles of scattered events are a scan of them all);
    # the pair's count on its first row, 0 after.
    rows = (
        "SELECT lane, a, b, kind, every, CASE WHEN seq = low THEN n ELSE 0 END AS n, seq "
        "FROM (SELECT lane, a, b, kind, every, n, unnest(s) AS seq, list_min(s) AS low FROM g)"
    )
    return (
        f"WITH p AS ({pairs}), k AS ({per_kind}), g AS ({groups}), r AS ({rows}) "
        f"SELECT r.*, e.title FROM r JOIN (SELECT seq, title FROM {events}) e USING (seq)"
    )


_CELLS = pa.schema(
    [("lane", pa.string()), ("key", pa.string()), ("kind", pa.string()), ("every", pa.bool_()),
     ("month", pa.date32()), ("n", pa.int64()), ("seq", pa.int64()), ("slot", pa.int64()),
     ("first_day", pa.date32()), ("last_day", pa.date32())]
)  # fmt: skip
_MEETS = pa.schema(
    [("lane", pa.string()), ("a", pa.string()), ("b", pa.string()), ("kind", pa.string()),
     ("every", pa.bool_()), ("n", pa.int64()), ("seq", pa.int64()), ("title", pa.string())]
)  # fmt: skip
_VOCAB = pa.schema([("word", pa.string()), ("h", pa.int64()), ("n", pa.int64())])
_SUMMARY_SCHEMAS = {"cells": _CELLS, "meets": _MEETS, "vocab": _VOCAB}
# The tables that summarise a whole store (finish), not rows of events, lanes or words.
SUMMARIES = tuple(_SUMMARY_SCHEMAS)


def _summarise(con: Any, events: str, lanes: str, words: str) -> dict[str, pa.Table]:
    cells = con.sql(_cells_sql(events, lanes) + " ORDER BY lane, every, key, kind, month")
    meets = con.sql(_meets_sql(events, lanes) + " ORDER BY lane, every, kind, a, b, seq")
    vocab = con.sql(f"SELECT word, h, count(*) AS n FROM {words} GROUP BY word, h ORDER BY word")
    return {
        "cells": cells.to_arrow_table().cast(_CELLS),
        "meets": meets.to_arrow_table().cast(_MEETS),
        "vocab": vocab.to_arrow_table().cast(_VOCAB),
    }


def summaries(tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
    """Return the summaries of a store's events, lanes and words (Arrow tables), by name."""
    import duckdb

    con = duckdb.connect()
    for name in ("events", "lanes", "words"):
        con.register(f"{name}_", tables[name])
    return _summarise(con, "events_", "lanes_", "words_")


def finish(paths: Mapping[str, Any]) -> dict[str, pa.Table]:
    """Return the summaries over a store written in parts: `paths` names the events', the
    lanes' and the words' Parquet files (a file, a glob or a list read_parquet takes)."""
    import duckdb

    con = duckdb.connect()
    events, lanes, words = (f"read_parquet({paths[n]!r})" for n in ("events", "lanes", "words"))
    return _summarise(con, events, lanes, words)


def _models(table: pa.Table, model: type[Any]) -> dict[str, Any]:
    """Return the rows of a people or sources table as models, by id."""
    out = {}
    for row in table.to_pylist():
        key = row.pop("id")
        out[key] = model.model_validate({k: v for k, v in row.items() if v is not None})
    return out


def people_of(table: pa.Table) -> dict[str, Person]:
    """Return the people of a store's people table, by id, in the file's order."""
    return _models(table, Person)


def sources_of(table: pa.Table) -> dict[str, Source]:
    """Return the sources of a store's sources table, by id."""
    return _models(table, Source)


def periods_of(table: pa.Table) -> tuple[Period, ...]:
    """Return the periods of a store's periods table."""
    rows = table.to_pylist()
    return tuple(Period.model_validate({k: v for k, v in r.items() if v is not None}) for r in rows)


def check_version(meta: pa.Table) -> None:
    """Raise ValueError unless the meta table is one row of this code's store version."""
    version = meta.column("version").to_pylist() if "version" in meta.column_names else []
    if version != [STORE_VERSION]:
        raise ValueError(
            f"store version {shown(version)} is not one this code reads "
            f"(expected [{STORE_VERSION}]): write the store again from its events"
        )


def dataset_of(tables: StoreTables) -> Dataset:
    """Return the dataset a store's tables hold (every event in memory: for small stores)."""
    check_version(tables.meta)
    meta = tables.meta.to_pylist()[0]
    events = tables.events.sort_by("seq")
    return Dataset(
        title=meta["title"],
        description=meta["description"],
        people=people_of(tables.people),
        sources=sources_of(tables.sources),
        events=frame_of(events),
        periods=periods_of(tables.periods),
    )


@dataclass(frozen=True)
class Merged:
    """Two datasets as one, and the ids of events both held (kept or replaced as asked)."""

    data: Dataset
    duplicates: tuple[str, ...]


def merge(old: Dataset, new: Dataset, on_duplicate: OnDuplicate) -> Merged:
    """Return old and new together; an event id in both keeps old's or takes new's event.

    People and sources by id follow the same choice; periods are joined without repeats;
    the heading stays old's. Events stay in date order, old before new within a day.
    """
    if on_duplicate not in ON_DUPLICATE:
        raise ValueError(
            f"on_duplicate {shown(on_duplicate)} is not a choice (expected keep or replace)"
        )
    ids_new = set(new.events["id"])
    both = old.events["id"][old.events["id"].isin(ids_new)]
    if on_duplicate == "keep":
        parts = [old.events, new.events[~new.events["id"].isin(set(old.events["id"]))]]
        people, sources = {**new.people, **old.people}, {**new.sources, **old.sources}
    else:
        parts = [old.events[~old.events["id"].isin(ids_new)], new.events]
        people, sources = {**old.people, **new.people}, {**old.sources, **new.sources}
    joined = pd.concat(parts, ignore_index=True)
    order = np.argsort(joined["start"].to_numpy(), kind="stable")
    events = joined.take(order).reset_index(drop=True)
    # Old's people first, in old's order: the file's own lane order stays.
    people = {k: people[k] for k in [*old.people, *new.people] if k in people}
    sources = {k: sources[k] for k in [*old.sources, *new.sources] if k in sources}
    periods = tuple(dict.fromkeys([*old.periods, *new.periods]))
    data = Dataset(old.title, old.description, people, sources, events, periods)
    return Merged(data, tuple(both))
