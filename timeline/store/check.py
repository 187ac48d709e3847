"""`validate DIR`: a store checked as a data file is, a part at a time.

The version, every table's columns against those write.py makes, each event against the
schema (schema.Event) and the rules across fields (crosscheck.located: people and sources
named, ends after starts, ...), ids once in the whole store, and each part's lanes and lane
counts against those write.py's own rules give its events. Memory follows one part.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import ValidationError

from ..crosscheck import located
from ..errors import shown
from ..frame import Dataset, build_frame, to_arrow
from ..importers.common import reason as validation_message
from ..record import event_record
from ..schema import Event
from . import io
from .write import event_table, frame_of, lane_table, people_of, periods_of, sources_of, tables_of

MAX_PROBLEMS = 1_000  # problems kept to print; the rest are counted


@dataclass
class StoreCheck:
    """What validating a store found: its counts, its span's events, and every problem."""

    events: int = 0
    people: int = 0
    sources: int = 0
    problems: list[str] = field(default_factory=list)
    total: int = 0  # problems found, shown or not
    ends: list[pd.DataFrame] = field(default_factory=list)  # each part's first and last events
    ids: set[str] = field(default_factory=set)  # seen in the parts read so far
    seqs: set[int] = field(default_factory=set)

    def add(self, message: str) -> None:
        """Record one problem."""
        self.total += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(message)

    def span_events(self) -> pd.DataFrame:
        """Return the events that hold the store's first start and last day, for its span."""
        return pd.concat(self.ends, ignore_index=True) if self.ends else pd.DataFrame()


def _expected() -> dict[str, pa.Schema]:
    """Return each table's columns as write.py makes them (for a store of one event)."""
    one = {"id": "e", "title": "t", "date": "2000-01-01", "kind": "k", "sources": ["s"]}
    frame = build_frame(to_arrow([one]))
    return {n: t.schema for n, t in tables_of(Dataset("", None, {}, {}, frame)).named().items()}


def _columns(where: str, table: str, got: pa.Schema, want: pa.Schema, out: StoreCheck) -> bool:
    if got.names == want.names and all(
        g.type == w.type or pa.types.is_null(g.type) for g, w in zip(got, want, strict=True)
    ):
        return True
    missing = [n for n in want.names if n not in got.names]
    wrong = [
        f"{n} ({got.field(n).type}, expected {want.field(n).type})"
        for n in want.names
        if n in got.names and got.field(n).type != want.field(n).type
    ]
    extra = [n for n in got.names if n not in want.names]
    said = (
        "; ".join(
            p
            for p in (
                f"missing {', '.join(missing)}" if missing else "",
                f"of the wrong type: {', '.join(wrong)}" if wrong else "",
                f"not expected: {', '.join(shown(n) for n in extra)}" if extra else "",
            )
            if p
        )
        or "columns in another order than write.py writes them"
    )
    out.add(f"{where}: table {table}: {said}")
    return False


def _records(
    where: str, part: str, frame: pd.DataFrame, small: dict[str, Any], out: StoreCheck
) -> None:
    """Check each event against the schema and the rules across fields."""
    records = [event_record({str(k): v for k, v in r.items()}) for r in frame.to_dict("records")]
    for record in records:
        try:
            Event.model_validate(record)
        except ValidationError as err:
            out.add(
                f"{where}: event {shown(str(record['id']))} ({part}): {validation_message(err)}"
            )
    data = {**small, "events": records}
    for path, message in located(data):
        i = path[1] if len(path) > 1 and path[0] == "events" else None
        which = f"event {shown(str(records[i]['id']))} " if isinstance(i, int) else ""
        out.add(f"{where}: {which}({part}): {message}")


def _lanes(
    where: str,
    part: str,
    version: Path,
    frame: pd.DataFrame,
    events: pa.Table,
    people: dict[str, Any],
    out: StoreCheck,
) -> None:
    """Check a part's lanes and lane counts against write.py's rules on its events."""
    seqs = events.column("seq").to_numpy()
    lanes = lane_table(frame, people)
    again = event_table(frame, people, lanes)
    lanes = lanes.set_column(0, "seq", pa.array(seqs[lanes.column("seq").to_numpy()]))
    stored = io.read_part(version, "lanes", part)
    key = ["seq", "lane", "key", "slot"]
    want = lanes.select(key).sort_by([(k, "ascending") for k in key])
    got = stored.select(key).sort_by([(k, "ascending") for k in key])
    if not want.equals(got):
        out.add(
            f"{where}: ({part}): its lanes are not those its events are on "
            f"({got.num_rows:,} stored, {want.num_rows:,} expected); write it again"
        )
    counts = [n for n in again.column_names if n.startswith("lanes_")]
    if not again.select(counts).equals(events.select(counts)):
        out.add(f"{where}: ({part}): its events' lane counts differ from their lanes")


def _part(
    where: str,
    version: Path,
    part: str,
    small: dict[str, Any],
    want: dict[str, pa.Schema],
    people: dict[str, Any],
    out: StoreCheck,
) -> None:
    events = io.read_part(version, "events", part)
    ok = _columns(where, f"events ({part})", events.schema, want["events"], out)
    lanes_schema = pq.read_schema(version / "lanes" / part)
    ok = _columns(where, f"lanes ({part})", lanes_schema, want["lanes"], out) and ok
    if not ok:
        return
    seq = events.column("seq").to_numpy()
    if len(seq) > 1 and not (seq[1:] > seq[:-1]).all():
        out.add(f"{where}: ({part}): its events are not in date order (seq)")
    out.events += events.num_rows
    for eid in events.column("id").to_pylist():
        if eid in out.ids:
            out.add(f"{where}: event id {shown(eid)} is used twice (expected each id once)")
        out.ids.add(eid)
    # seq places each event in the store's order: two events at one place confuse the lanes.
    for number in seq.tolist():
        if number in out.seqs:
            out.add(f"{where}: ({part}): seq {number} is another part's too (expected each once)")
        out.seqs.add(number)
    frame = frame_of(events)
    _records(where, part, frame, small, out)
    _lanes(where, part, version, frame, events, people, out)
    if len(frame):
        out.ends.append(
            frame[(frame["start"] == frame["start"].min()) | (frame["last"] == frame["last"].max())]
        )


def _tables_present(where: str, version: Path, want: dict[str, pa.Schema], out: StoreCheck) -> None:
    """Check that every table write.py makes is there: a file, or a part beside each event part."""
    parts = set(io.part_names(version))
    for name in want:
        if name in io.SMALL_TABLES:
            continue
        if not io.parted(name):
            path = version / f"{name}.parquet"
            if not path.is_file():
                out.add(f"{where}: table {name} is missing (expected {name}.parquet)")
            else:
                _columns(where, name, pq.read_schema(path), want[name], out)
            continue
        found = {p.name for p in (version / name).glob("*.parquet")}
        if found != parts:
            missing = sorted(parts - found)[:3]
            out.add(
                f"{where}: table {name}: its parts are not the events' parts "
                f"(missing {', '.join(missing) or 'none'}; "
                f"{len(found - parts)} not of an event part)"
            )


def check_store(folder: str | os.PathLike[str]) -> StoreCheck:
    """Validate a store; StoreError if it cannot be read at all (not a store, a lost file)."""
    where = str(folder)
    version = io.version_folder(folder)
    out = StoreCheck()
    want = _expected()
    try:
        small_tables = {n: pq.read_table(version / f"{n}.parquet") for n in io.SMALL_TABLES}
        io.check_version_of(small_tables["meta"], folder)
        for n, t in small_tables.items():
            _columns(where, n, t.schema, want[n], out)
        people, sources = people_of(small_tables["people"]), sources_of(small_tables["sources"])
        periods_of(small_tables["periods"])
    except ValidationError as err:
        out.add(f"{where}: people, sources or periods: {validation_message(err)}")
        return out
    except (OSError, pa.ArrowInvalid) as err:
        raise io.StoreError(f"{where}: a table cannot be read: {err}") from None
    _tables_present(where, version, want, out)
    out.people, out.sources = len(people), len(sources)
    small = {"people": dict.fromkeys(people), "sources": dict.fromkeys(sources)}
    for part in io.part_names(version):
        try:
            _part(where, version, part, small, want, people, out)
        except (OSError, pa.ArrowInvalid) as err:
            out.add(f"{where}: ({part}): cannot be read: {err}")
    return out
