"""A store written a chunk at a time: imports, events files and appends, in bounded memory.

`StoreWriter` opens a new version of a store (io.Staged), takes events a chunk at a time
(a Dataset, or an importer's Builder when a streamed import hands over its events), builds
each chunk's tables with write.py's own `tables_of` and writes them as a new part, and on
`commit` keeps the old version's parts (hard links), rewrites only those holding ids
replaced, and writes the people, sources and periods merged.

The store's order: `seq` orders events by date, as the frame's row does for a file. Within
one chunk it is the frame's order (date, time of day, the input's order); a part written
later never renumbers an earlier one, so `seq` is the day (days since 1 January of year 1)
times `DAY_SLOTS` plus the event's place among the store's events of that day: an event
appended lands after the store's events of its day (as write.merge orders them). Every
table with a `seq` column is renumbered alike, so a table write.py adds follows.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..errors import shown
from ..frame import Dataset, build_frame, to_arrow
from ..schema import Event, Period, Person, Source
from . import io
from .write import (
    _SOURCES as SOURCE_SCHEMA,
)
from .write import (
    ON_DUPLICATE,
    OnDuplicate,
    StoreTables,
    finish,
    frame_of,
    people_of,
    periods_of,
    sources_of,
    tables_of,
)

DAY_SLOTS = 1 << 20  # events a day may hold: GDELT 2.0 codes about 330,000 a day
DAY_ZERO = 719_163  # days from 0001-01-01 to 1970-01-01: day 0 of seq is 1 January of year 1
MAX_DAY = 3_652_059  # 9999-12-31: seq * write.SLOTS + slot stays within 64 bits
CHUNK_EVENTS = 50_000  # events a streamed import hands over at a time (memory follows it)
LISTED = 1_000  # duplicate ids kept to report; the rest are counted


@dataclass
class Appended:
    """What a write did: the events now in the store, the ids found already there."""

    events: int
    duplicates: tuple[str, ...]  # the first LISTED of them, in the order met
    on_duplicate: OnDuplicate
    duplicate_count: int = 0
    added: int = 0  # events of this write now in the store


def _event_dicts(events: Iterable[Event]) -> list[dict[str, Any]]:
    """Return events as the loader reads them from a file: the fields given, as JSON."""
    return [e.model_dump(mode="json", by_alias=True, exclude_defaults=True) for e in events]


def dataset_of_events(
    events: Iterable[Event], people: dict[str, Person], sources: dict[str, Source]
) -> Dataset:
    """Return importer-built events as a dataset (the frame build_frame makes of a file)."""
    frame = build_frame(to_arrow(_event_dicts(events)))
    return Dataset("", None, people, sources, frame)


def _days(table: pa.Table) -> np.ndarray:
    start = table.column("start").combine_chunks().cast(pa.int32()).to_numpy()
    days = start.astype(np.int64) + DAY_ZERO
    if len(days) and (days.min() < 0 or days.max() > MAX_DAY):
        raise io.StoreError("an event's date is outside years 1 to 9999, which a store orders")
    return days


@dataclass
class _Order:
    """The next free place of each day: a new event of a day goes after its others."""

    next: dict[int, int] = field(default_factory=dict)

    def seen(self, seqs: np.ndarray) -> None:
        """Count the places of events already in the store."""
        if not len(seqs):
            return
        days, places = np.divmod(seqs, DAY_SLOTS)
        last = pd.DataFrame({"d": days, "p": places}).groupby("d")["p"].max()
        for day, place in zip(last.index.tolist(), last.tolist(), strict=True):
            self.next[day] = max(self.next.get(day, 0), place + 1)

    def number(self, days: np.ndarray) -> np.ndarray:
        """Return seqs of events in date order, given their days (sorted)."""
        if not len(days):
            return np.zeros(0, np.int64)
        firsts = np.flatnonzero(np.r_[True, days[1:] != days[:-1]])
        counts = np.diff(np.r_[firsts, len(days)])
        places = np.arange(len(days)) - np.repeat(firsts, counts)
        base = np.array([self.next.get(int(d), 0) for d in days[firsts]], np.int64)
        places = places + np.repeat(base, counts)
        for day, last in zip(days[firsts], places[firsts + counts - 1], strict=True):
            self.next[int(day)] = int(last) + 1
        if len(places) and places.max() >= DAY_SLOTS:
            raise io.StoreError(f"more than {DAY_SLOTS:,} events on one day, which a store orders")
        return days * DAY_SLOTS + places


def part_tables(frame: pd.DataFrame, people: dict[str, Person]) -> dict[str, pa.Table]:
    """Return a chunk's parted tables as write.tables_of makes them (seq 0..n-1), without
    the summaries, which commit makes once over every part (write.finish)."""
    chunk = Dataset("", None, people, {}, frame.reset_index(drop=True))
    named = tables_of(chunk, summarised=False).named()
    return {n: t for n, t in named.items() if io.parted(n)}


def renumbered(tables: Mapping[str, pa.Table], order: _Order) -> dict[str, pa.Table]:
    """Return a chunk's parted tables (seq 0..n-1 in date order) with the store's seqs."""
    events = tables["events"]
    seqs = order.number(_days(events))
    out = {}
    for name, table in tables.items():
        if "seq" in table.column_names:
            old = table.column("seq").combine_chunks().to_numpy()
            at = table.column_names.index("seq")
            table = table.set_column(at, "seq", pa.array(seqs[old], pa.int64()))
        out[name] = table
    return out


def _heading(meta: pa.Table) -> tuple[str, str | None]:
    row = meta.to_pylist()[0]
    return row["title"], row["description"]


class StoreWriter:
    """One write of a store: chunks of events in, the version committed whole at the end."""

    def __init__(self, folder: str | os.PathLike[str], on_duplicate: OnDuplicate = "keep"):
        if on_duplicate not in ON_DUPLICATE:
            raise ValueError(
                f"on_duplicate {shown(on_duplicate)} is not a choice (expected keep or replace)"
            )
        self.on_duplicate = on_duplicate
        self.staged = io.Staged(folder)
        self.order = _Order()
        self.old_ids = pa.array([], pa.string())
        self.people: dict[str, Person] = {}
        self.sources: dict[str, Source] = {}
        self.periods: tuple[Period, ...] = ()
        self.heading: tuple[str, str | None] | None = None
        self.duplicates: list[str] = []
        self.duplicate_count = 0
        self.replaced: set[str] = set()
        self.changed: set[str] = set()  # people whose record a replace changed
        self.added = 0
        self.offered = 0  # events given to add, those already in the store too
        # Sources given as rows (add_source_rows), spilled to a file of the staged version
        # as they come (a year of ICEWS has a source per story: millions), read at commit.
        self.source_spill: pq.ParquetWriter | None = None
        if self.staged.previous is not None:
            self._read_previous(self.staged.previous)

    def _read_previous(self, version: Path) -> None:
        small = {n: pq.read_table(version / f"{n}.parquet") for n in io.SMALL_TABLES}
        io.check_version_of(small["meta"], self.staged.folder)
        self.heading = _heading(small["meta"])
        self.people, self.sources = people_of(small["people"]), sources_of(small["sources"])
        self.periods = periods_of(small["periods"])
        ids, seqs = [], []
        for _part, table in io.iter_parts(version, ["id", "seq"]):
            ids.append(table.column("id").combine_chunks())
            seqs.append(table.column("seq").combine_chunks().to_numpy())
        self.old_ids = pa.concat_arrays(ids) if ids else self.old_ids
        self.order.seen(np.concatenate(seqs) if seqs else np.zeros(0, np.int64))

    def __enter__(self) -> StoreWriter:
        return self

    def __exit__(self, kind: object, *rest: object) -> None:
        if kind is not None:
            self.staged.abort()

    def _merge_small(
        self, people: Mapping[str, Person], sources: Mapping[str, Source], periods: Iterable[Period]
    ) -> None:
        """Take a chunk's people, sources and periods: by id, kept or replaced as events are."""
        if self.on_duplicate == "replace":
            # A person replaced by another record (another country, say) changes the lanes
            # and search text of the events in older parts that name them: those are rebuilt.
            self.changed.update(k for k, v in people.items() if self.people.get(k, v) != v)
            self.people.update(people)
            self.sources.update(sources)
        else:
            self.people.update({k: v for k, v in people.items() if k not in self.people})
            self.sources.update({k: v for k, v in sources.items() if k not in self.sources})
        self.periods = tuple(dict.fromkeys([*self.periods, *periods]))

    def add(self, data: Dataset) -> None:
        """Write a dataset's events as a new part; their people, sources and periods kept."""
        if self.heading is None and data.title:
            self.heading = (data.title, data.description)
        self._merge_small(data.people, data.sources, data.periods)
        frame = data.events
        self.offered += len(frame)
        ids = pa.array(frame["id"].to_numpy(dtype=object), pa.string())
        known = pc.is_in(ids, value_set=self.old_ids).to_numpy(zero_copy_only=False)
        if known.any():
            found = frame["id"].to_numpy(dtype=object)[known].tolist()
            self.duplicate_count += len(found)
            self.duplicates.extend(found[: max(LISTED - len(self.duplicates), 0)])
            if self.on_duplicate == "keep":
                frame = frame[~known].reset_index(drop=True)
            else:
                self.replaced.update(found)
        if len(frame) or not self.staged.parts:
            self._write(frame, data.people)
        self.added += len(frame)

    def _write(self, frame: pd.DataFrame, people: dict[str, Person]) -> None:
        """Write a chunk's tables (write.py's own, every parted one) as a part."""
        people = self.people  # as the store will hold them: kept or replaced as asked
        self.staged.add_part(renumbered(part_tables(frame, people), self.order))

    def add_events(
        self,
        events: list[Event],
        people: dict[str, Person],
        sources: dict[str, Source],
        periods: Iterable[Period] = (),
    ) -> None:
        """Write importer-built events as a new part (a streamed import's chunk)."""
        data = dataset_of_events(events, people, sources)
        self.add(Dataset(data.title, None, people, sources, data.events, tuple(periods)))

    def add_source_rows(self, table: pa.Table) -> None:
        """Take sources as rows (id, title, publisher, date; no url or authors), as `add`
        takes a dataset's: kept or replaced by id; a columnar import holds no models."""
        if not len(table):
            return
        n = len(table)
        rows = pa.table(
            {
                "id": table.column("id"),
                "title": table.column("title"),
                "publisher": table.column("publisher"),
                "date": table.column("date"),
                "url": pa.nulls(n, pa.string()),
                "authors": pa.array([[]] * n, pa.list_(pa.string())),
            }
        ).cast(SOURCE_SCHEMA)
        if self.sources and self.on_duplicate == "replace":  # by id, in _merge_small's order
            self._merge_small({}, sources_of(rows), ())
            return
        if self.sources:  # a store's own sources are kept
            rows = rows.filter(pc.invert(pc.is_in(rows["id"], pa.array(list(self.sources)))))
        if self.source_spill is None:
            self.source_spill = pq.ParquetWriter(self._spilled(), SOURCE_SCHEMA)
        self.source_spill.write_table(rows)

    def _spilled(self) -> Path:
        return self.staged.temp / ".sources-spilled.parquet"

    def _write_sources(self, first: pa.Table) -> None:
        """Write the sources table: those held as models, then the rows spilled, a row group
        at a time (as io writes a table: zstd, statistics, synced)."""
        assert self.source_spill is not None
        self.source_spill.close()
        path = self.staged.temp / f"sources{io.PART_SUFFIX}"
        options = {"compression": "zstd", "write_statistics": True}
        with pq.ParquetWriter(path, SOURCE_SCHEMA, **options) as out:
            out.write_table(first.cast(SOURCE_SCHEMA), row_group_size=io.ROW_GROUP_ROWS)
            spilled = pq.ParquetFile(self._spilled())
            for batch in spilled.iter_batches(batch_size=io.ROW_GROUP_ROWS):
                out.write_batch(batch, row_group_size=io.ROW_GROUP_ROWS)
        with open(path, "rb") as f:
            os.fsync(f.fileno())
        self._spilled().unlink()

    def name(self, title: str, description: str | None) -> None:
        """Give a new store its heading (a store's own heading stays when appended to)."""
        if self.staged.previous is None:
            self.heading = (title, description)

    def _stale(self, table: pa.Table) -> pa.Array:
        """Return which events of a part must go (replaced ids) as a mask; None if none."""
        replaced = pa.array(sorted(self.replaced), pa.string())
        return pc.is_in(table.column("id"), value_set=replaced)

    def _names_changed(self, table: pa.Table) -> bool:
        """Say whether a part's events name a person whose record this write changed."""
        if not self.changed:
            return False
        named = pa.concat_arrays(
            [
                pc.list_flatten(table.column("leaders").combine_chunks()).cast(pa.string()),
                pc.struct_field(pc.list_flatten(table.column("quotes").combine_chunks()), "by")
                .cast(pa.string()),
            ]
        )  # fmt: skip
        return bool(pc.any(pc.is_in(named, pa.array(sorted(self.changed)))).as_py())

    def _rebuilt(self, previous: Path, part: str, drop: pa.Array) -> pa.Table:
        """Write a part again without its replaced events, from write.py's own tables with
        the people as they now are; its events keep their seqs. Return its events."""
        events = io.read_part(previous, "events", part).filter(pc.invert(drop))
        frame = frame_of(events)
        tables = part_tables(frame, self.people)
        seqs = events.column("seq").combine_chunks().to_numpy()
        for name, table in tables.items():
            at = table.column_names.index("seq")
            old = table.column("seq").combine_chunks().to_numpy()
            tables[name] = table.set_column(at, "seq", pa.array(seqs[old], pa.int64()))
        if len(events):  # a part whose every event was replaced is gone
            self.staged.add_part(tables)
        return events

    def _carry_parts(self) -> int:
        """Keep the previous version's parts; rebuild those holding replaced ids or naming
        people changed; return how many of their events stay."""
        previous = self.staged.previous
        if previous is None:
            return 0
        kept = 0
        for part, table in io.iter_parts(previous, ["id", "seq", "leaders", "quotes"]):
            drop = self._stale(table)
            if not pc.any(drop).as_py() and not self._names_changed(table):
                self.staged.keep_part(part)
                kept += len(table)
            else:
                kept += len(self._rebuilt(previous, part, drop))
        return kept

    def commit(self) -> Appended:
        """Make the version written the store's, whole; return what it did."""
        kept = self._carry_parts()
        title, description = self.heading or ("", None)
        empty = build_frame(to_arrow([]))
        small = tables_of(
            Dataset(title, description, self.people, self.sources, empty, self.periods),
            summarised=False,
        ).named()
        whole = {n: t for n, t in small.items() if n in io.SMALL_TABLES}
        if self.source_spill is not None:
            self._write_sources(whole.pop("sources"))
        parted = [n for n in io.TABLE_NAMES if io.parted(n)]
        whole.update(finish({n: self.staged.part_glob(n) for n in parted}))
        self.staged.commit(whole)
        return Appended(
            kept + self.added, tuple(self.duplicates), self.on_duplicate,
            self.duplicate_count, self.added,
        )  # fmt: skip


def write_tables(folder: str | os.PathLike[str], tables: StoreTables) -> Path:
    """Write a whole dataset's tables as a store's new version (its old events not kept)."""
    named = tables.named()
    # Every table with a seq column (the summaries too) takes the store's numbers.
    numbered = renumbered({n: t for n, t in named.items() if n not in io.SMALL_TABLES}, _Order())
    with io.Staged(folder) as staged:
        staged.add_part({n: t for n, t in numbered.items() if io.parted(n)})
        whole = {n: t for n, t in numbered.items() if not io.parted(n)}
        return staged.commit({**whole, **{n: named[n] for n in io.SMALL_TABLES}})


def append_dataset(
    folder: str | os.PathLike[str], data: Dataset, on_duplicate: OnDuplicate = "keep"
) -> Appended:
    """Add a dataset's events to a store (made if missing): one new part, old parts kept."""
    with StoreWriter(folder, on_duplicate) as writer:
        writer.add(data)
        return writer.commit()
