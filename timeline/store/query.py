"""The view's queries as Ibis expressions, built from a FilterState, run where the data is.

Each function answers what the pandas path answers for the same state (viewstate.PARAMS'
rules, lanes.Membership's order, analysis.meetings and tempo, the density chart's counts),
and brings back only what is drawn: counts, the lanes, a page of rows, the markers of
the shown events up to a limit. A store on disk and a YAML file read into memory (as
Ibis memtables of the same tables) go through the same expressions.
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import ibis  # type: ignore[import-untyped]  # no type information published
import ibis.expr.datatypes as idt  # type: ignore[import-untyped]
import ibis.expr.types as ir  # type: ignore[import-untyped]
import numpy as np
import pandas as pd
import pyarrow as pa

from ..analysis import Meetings, Tempo, choose_unit
from ..frame import PRECISIONS
from ..lanes import LANES, NO_LANE, Lane, LaneLayout, person_label
from ..names import cut
from ..schema import Period, Person, Source
from ..state import MONTHS_IN, FilterState, LaneKind, LaneOrder, Unit, check_choice
from ..text import fold
from ..viewstate import PARAMS, Param, is_set
from .write import (
    EXAMPLES,
    SLOTS,
    StoreTables,
    check_version,
    frame_of,
    lane_count_column,
    people_of,
    periods_of,
    sources_of,
)

if TYPE_CHECKING:
    from ibis.backends import BaseBackend  # type: ignore[import-untyped]

_names = (f"timeline_store_{i}" for i in itertools.count())


@dataclass(frozen=True)
class Bound:
    """A store's tables bound to an engine: events and lanes stay there, the rest in memory."""

    con: BaseBackend
    events: ir.Table
    lanes: ir.Table
    schema: pa.Schema  # the events table's, to give fetched rows the store's own types
    title: str
    description: str | None
    people: dict[str, Person]
    sources: dict[str, Source]
    periods: tuple[Period, ...]
    words: ir.Table  # (word, seq), sorted by word: what a search reads
    cells: ir.Table  # write.py's summaries: lanes per (kind, key, event kind, month)
    meets: ir.Table  # and pairs of lanes per event kind, for the matrix
    vocab: ir.Table  # and every word of `words`
    # The kept events of the last few filters, computed once each (count, lanes, markers
    # and density of one view ask for the same rows).
    memo: OrderedDict[Any, Any] = field(default_factory=OrderedDict, compare=False, repr=False)
    lock: Any = field(default_factory=threading.Lock, compare=False, repr=False)


BIG = ("events", "lanes", "words", "cells", "meets", "vocab")  # the tables that stay on the engine
SMALL = ("meta", "people", "sources", "periods")  # the tables read into memory


def _bind(con: BaseBackend, big: Mapping[str, ir.Table], small: StoreTables) -> Bound:
    check_version(small.meta)
    meta = small.meta.to_pylist()[0]
    return Bound(
        con, big["events"], big["lanes"], small.events.schema, meta["title"],
        meta["description"], people_of(small.people), sources_of(small.sources),
        periods_of(small.periods), big["words"], big["cells"], big["meets"], big["vocab"],
    )  # fmt: skip


def in_memory(con: BaseBackend, tables: StoreTables) -> Bound:
    """Bind tables held in memory (a YAML file's, from write.tables_of) as Ibis memtables."""
    named = tables.named()
    if con.name == "pyspark":  # Spark takes an Arrow table whole, nested lists included
        session = con._session
        big = {n: con.table(_spark_view(session, named[n])) for n in BIG}
    else:
        big = {n: ibis.memtable(named[n]) for n in BIG}
    return _bind(con, big, tables)


def _spark_view(session: Any, table: pa.Table) -> str:
    name = next(_names)
    session.createDataFrame(table).createOrReplaceTempView(name)
    return name


def on_files(con: BaseBackend, paths: Mapping[str, str]) -> Bound:
    """Bind a store's Parquet files (any path the engine reads); small tables are fetched."""
    read = {name: con.read_parquet(path, table_name=next(_names)) for name, path in paths.items()}
    small = {n: read[n].to_pyarrow() for n in SMALL}
    empty = {n: read[n].limit(0).to_pyarrow() for n in BIG}
    tables = StoreTables(**small, **empty)
    return _bind(con, read, tables)


# The rules of viewstate.PARAMS, as Ibis: (bound, events, value, state) -> which events stay.
IbisRule = Callable[[Bound, ir.Table, Any, FilterState], ir.BooleanValue]


def _on_lanes(kind: LaneKind) -> IbisRule:
    def rule(b: Bound, t: ir.Table, chosen: Any, state: FilterState) -> ir.BooleanValue:
        wanted = sorted(set(chosen))
        on = b.lanes.filter(b.lanes.lane == kind, b.lanes.key.isin(wanted))
        if state.match == "all":  # on every chosen lane (a lane counts once per event)
            on = on.group_by("seq").aggregate(n=on.count()).filter(lambda s: s.n == len(wanted))
        return t.seq.isin(on.seq)

    return rule


def _day(day: dt.date) -> ir.DateValue:
    return ibis.literal(day, type="date")


def _holding(b: Bound, word: str) -> ir.Column | None:
    """Return the seqs of the events whose search text holds a word (None: no event does).

    The text's words holding it come from the vocabulary, then their rows from `words`,
    sorted by word: a few row groups each, not every event's text."""
    v = b.vocab
    found = v.filter(v.word.contains(word)).select("word", "h").to_pyarrow()
    if not found.num_rows:
        return None
    words, hashes = found.column("word").to_pylist(), found.column("h").to_pylist()
    w = b.words
    if len(words) > 64:  # a table, not a literal list: Ibis compiles a long list slowly
        wanted = ibis.memtable({"word": words, "h": hashes})
        return w.filter(w.h.isin(wanted.h), w.word.isin(wanted.word)).seq
    # The hashes first: the rows are sorted by them, and each row group has their min/max.
    return w.filter(w.h.isin(hashes), w.word.isin(words)).seq


def _says(b: Bound, t: ir.Table, q: Any, state: FilterState) -> ir.BooleanValue:
    keep: ir.BooleanValue = ibis.literal(True)
    for word in fold(q).split():  # every word, anywhere in the event or its people
        seqs = _holding(b, word)
        keep = keep & (ibis.literal(False) if seqs is None else t.seq.isin(seqs))
    return keep


IBIS_RULES: dict[str, IbisRule] = {
    **{spec.field: _on_lanes(kind) for kind, spec in LANES.items()},
    "kinds": lambda b, t, kinds, s: t.kind.isin(list(kinds)),
    # A month-only event overlaps every day of its month: it matches the days it overlaps.
    "date_from": lambda b, t, day, s: t["last"] >= _day(day),
    "date_to": lambda b, t, day, s: t.start <= _day(day),
    "q": _says,
}


# Rules answered on any table that carries an event's kind and days (the events, the lanes);
# the others (lane keys, search words) need the events themselves, found once per filter.
_ROW_RULES = frozenset({"kinds", "date_from", "date_to"})
# The kept events' columns a view's counts, lanes and density need: the events table and
# the lanes table both carry them, so a lane filter finds them in the lanes alone.
_NARROW = ("seq", "start", "last", "kind")
_LANE_FIELDS = {spec.field: kind for kind, spec in LANES.items()}
MEMO_SIZE = 16  # filters' kept rows and answers remembered per bound store


def _filtering(state: FilterState) -> list[Param]:
    return [p for p in PARAMS if p.rule is not None and is_set(state, p)]


def _heavy(state: FilterState) -> bool:
    """Say whether a filter needs the events themselves (lane keys, search words)."""
    return any(p.field not in _ROW_RULES for p in _filtering(state))


def _summarised(state: FilterState) -> bool:
    """Say whether write.py's summaries answer the view: no filter, or kinds alone."""
    return all(p.field == "kinds" for p in _filtering(state))


def _row_rules(b: Bound, t: ir.Table, state: FilterState) -> list[ir.BooleanValue]:
    chosen = [p for p in _filtering(state) if p.field in _ROW_RULES]
    return [IBIS_RULES[p.field](b, t, getattr(state, p.field), state) for p in chosen]


def _key(state: FilterState) -> tuple[Any, ...]:
    return (state.match, *((p.field, getattr(state, p.field)) for p in _filtering(state)))


def _memo(b: Bound, key: tuple[Any, ...], make: Callable[[], Any]) -> Any:
    """Return what `make` gives for a key, made once while the key is among the recent."""
    with b.lock:
        if key in b.memo:
            b.memo.move_to_end(key)
            return b.memo[key]
    value = make()
    with b.lock:
        b.memo[key] = value
        while len(b.memo) > MEMO_SIZE:
            _, old = b.memo.popitem(last=False)
            if hasattr(old, "release"):  # a table cached on the engine
                old.release()
    return value


@dataclass(frozen=True)
class _Cached:
    """A query's rows held on the engine (a temporary table), until released."""

    table: ir.Table
    release: Callable[[], Any]


def _cache(b: Bound, expr: ir.Table) -> _Cached:
    if b.con.name == "duckdb":
        # Ibis 12's own cache cannot drop its table on DuckDB 2 (its DROP does not parse).
        name = next(_names)
        table = b.con.create_table(name, expr, temp=True)
        return _Cached(table, lambda: b.con.raw_sql(f'DROP TABLE IF EXISTS temp.main."{name}"'))
    cached = expr.cache()
    return _Cached(cached, cached.release)


def _lane_rows(b: Bound, kind: LaneKind, chosen: tuple[str, ...], match: str) -> ir.Table:
    """Return the narrow columns of the events on any (or all) of the chosen lanes."""
    wanted = sorted(set(chosen))
    lanes = b.lanes.filter(b.lanes.lane == kind)
    if match == "all":  # one lane's rows whose events sit on each other lane too
        t = lanes.filter(lanes.key == wanted[0])
        for key in wanted[1:]:
            t = t.filter(t.seq.isin(lanes.filter(lanes.key == key).seq))
        return t.select(*_NARROW)
    return lanes.filter(lanes.key.isin(wanted)).select(*_NARROW).distinct()


def _kept_rows(b: Bound, state: FilterState) -> ir.Table:
    """Return the narrow columns of the kept events: lane filters read the lanes table (sorted
    by key: a few row groups), the other rules filter what they leave (or the events)."""
    t: ir.Table | None = None
    for p in _filtering(state):
        if p.field in _LANE_FIELDS:
            rows = _lane_rows(b, _LANE_FIELDS[p.field], getattr(state, p.field), state.match)
            t = rows if t is None else t.filter(t.seq.isin(rows.seq))
    t = b.events.select(*_NARROW) if t is None else t
    for p in _filtering(state):
        if p.field not in _LANE_FIELDS:
            t = t.filter(IBIS_RULES[p.field](b, t, getattr(state, p.field), state))
    return t


def _narrow(b: Bound, state: FilterState) -> ir.Table:
    """Return the kept events' narrow columns: cached on the engine once per filter that
    needs the events; a date or kind filter alone stays a scan the files' min/max prune."""
    if not _heavy(state):
        t = b.events.select(*_NARROW)
        rules = _row_rules(b, t, state)
        return t.filter(*rules) if rules else t
    make = lambda: _cache(b, _kept_rows(b, state))  # noqa: E731
    return _memo(b, ("narrow", _key(state)), make).table


def _words_only(state: FilterState) -> bool:
    """Say whether a filter is a search alone, of at least one word."""
    return [p.field for p in _filtering(state)] == ["q"] and bool(fold(state.q or "").split())


def _found(b: Bound, state: FilterState) -> ir.Table:
    """Return (seq) of the events holding every searched word, from the words table alone."""
    found: ir.Table | None = None
    for word in fold(state.q or "").split():
        seqs = _holding(b, word)
        if seqs is None:
            return b.words.filter(ibis.literal(False)).select("seq")
        found = seqs.as_table().distinct() if found is None else found.filter(found.seq.isin(seqs))
    assert found is not None  # _words_only: at least one word
    return found


def _kept_seqs(b: Bound, state: FilterState) -> ir.Table:
    """Return (seq) of the kept events: a search alone finds them in the words table (the
    count, the pages and the lanes need no pass over the events), the rest in the narrow."""
    if _words_only(state):
        make = lambda: _cache(b, _found(b, state))  # noqa: E731
        return _memo(b, ("seqs", _key(state)), make).table
    return _narrow(b, state).select("seq")


def kept(b: Bound, state: FilterState) -> ir.Table:
    """Return the events a state keeps: every chosen parameter's rule, as viewstate's."""
    t = b.events
    if _heavy(state):
        t = t.filter(t.seq.isin(_kept_seqs(b, state).seq))
    rules = _row_rules(b, t, state)
    return t.filter(*rules) if rules else t


def count(b: Bound, state: FilterState) -> int:
    """Return how many events match the state."""
    make = lambda: int(_kept_seqs(b, state).count().execute())  # noqa: E731
    return int(_memo(b, ("count", _key(state)), make))


def _rows(b: Bound, expr: ir.Table) -> tuple[pd.DataFrame, list[int]]:
    """Run a query for whole events: them as the frame build_frame makes, and their seqs."""
    table = expr.to_pyarrow()
    names = [f.name for f in b.schema if f.name in table.column_names]
    columns = [table.column(name).cast(b.schema.field(name).type) for name in names]
    return frame_of(pa.table(columns, names=names)), table.column("seq").to_pylist()


def _fetch(b: Bound, expr: ir.Table) -> pd.DataFrame:
    """Run a query for whole events and return them as the frame build_frame makes."""
    return _rows(b, expr)[0]


def _seqs(b: Bound, state: FilterState, offset: int, size: int) -> list[int]:
    """Return the seqs of the kept events offset to offset + size, in date order."""
    narrow = _kept_seqs(b, state)
    if b.con.name == "pyspark" and offset:
        # Ibis 12's Spark backend leaves the row number it pages by among the columns.
        numbered = narrow.mutate(page_row=ibis.row_number().over(order_by=narrow.seq))
        wanted = numbered.filter(numbered.page_row >= offset, numbered.page_row < offset + size)
        narrow = wanted.select("seq")
    else:
        narrow = narrow.order_by("seq").limit(size, offset=offset)
    return sorted(narrow.to_pyarrow().column("seq").to_pylist())


def _in(t: ir.Table, seqs: list[int]) -> ir.Table:
    """Keep the rows of the given seqs; their span first, so row groups outside it are skipped."""
    if not seqs:
        return t.filter(ibis.literal(False))
    # Many seqs as a table, not a literal list: Ibis compiles a long list slowly (a second
    # for 10,000 values).
    wanted = seqs if len(seqs) <= 64 else ibis.memtable({"seq": seqs}).seq
    return t.filter(t.seq.between(min(seqs), max(seqs)), t.seq.isin(wanted))


def _by_seqs(b: Bound, seqs: list[int]) -> tuple[pd.DataFrame, list[int]]:
    return _rows(b, _in(b.events, seqs).order_by("seq"))


def _pairs(b: Bound, state: FilterState, kind: LaneKind) -> ir.Table:
    """Return (seq, key, slot, start) of the kept events' lanes of one kind: held on the
    engine once per filter needing the events, as their narrow columns are."""
    lanes = b.lanes
    t = lanes.filter(lanes.lane == kind, *_row_rules(b, lanes, state))
    if not _heavy(state):
        span = _span(b, state)
        if span is not None:  # lanes are sorted by key within each part of the store's
            t = t.filter(t.seq.between(*span))  # events: the span skips the other parts
        return t.select("seq", "key", "slot", "start")
    seqs = _kept_seqs(b, state)
    t = t.filter(t.seq.isin(seqs.seq)).select("seq", "key", "slot", "start")
    return _memo(b, ("pairs", _key(state), kind), lambda: _cache(b, t)).table


def _span(b: Bound, state: FilterState) -> tuple[int, int] | None:
    """Return the least and greatest seq a date filter keeps (None: no date filter), found
    in the events sorted by date (their row groups' min/max skip the rest)."""
    if not any(p.field in ("date_from", "date_to") for p in _filtering(state)):
        return None

    def make() -> tuple[int, int]:
        t = _narrow(b, state)
        got = t.aggregate(lo=t.seq.min(), hi=t.seq.max()).execute()
        lo, hi = got["lo"].iloc[0], got["hi"].iloc[0]
        return (0, -1) if pd.isna(lo) else (int(lo), int(hi))

    return tuple(_memo(b, ("span", _key(state)), make))


def _alone(b: Bound, state: FilterState, kind: LaneKind) -> ir.Table:
    """Return (seq, start) of the kept events on no lane of one kind."""
    if _heavy(state):
        narrow, on = _narrow(b, state), _pairs(b, state, kind)
        return narrow.filter(~narrow.seq.isin(on.seq)).select("seq", "start")
    t = b.events
    rules = _row_rules(b, t, state)
    return t.filter(t[lane_count_column(kind)] == 0, *rules).select("seq", "start")


def _cells(b: Bound, state: FilterState, kind: LaneKind) -> ir.Table:
    c = b.cells.filter(b.cells.lane == kind)
    return c.filter(c.kind.isin(list(state.kinds)), ~c.every) if state.kinds else c.filter(c.every)


def lane_of(kind: LaneKind, key: str, people: Mapping[str, Person]) -> Lane:
    """Return the lane of one key with its words, as Membership.lane words it."""
    if LANES[kind].of_people:
        person = people.get(key)
        if person is None:
            return Lane(key, cut(key), cut(key))
        return Lane(key, person_label(person), cut(person.name), cut(person.country or ""))
    return Lane(key, cut(key), cut(key))


def _ranked(
    kind: LaneKind, stats: pd.DataFrame, people: Mapping[str, Person], order: LaneOrder
) -> list[Lane]:
    """Return lanes in Membership.lanes's order, from each key's first place and count."""
    made = {k: lane_of(kind, k, people) for k in stats["key"]}
    first = dict(zip(stats["key"], stats["first"].tolist(), strict=True))
    counts = dict(zip(stats["key"], stats["n"].tolist(), strict=True))
    keys = list(made)
    if order == "first":
        keys.sort(key=lambda k: first[k])
    elif order == "count":
        keys.sort(key=lambda k: (-counts[k], first[k]))
    elif order == "name":
        keys.sort(key=lambda k: (made[k].label.casefold(), made[k].label))
    else:  # the file's own order, the rest after it by first appearance
        ranks = LANES[kind].rank(people)
        keys.sort(key=lambda k: (ranks.get(k, len(people)), first[k]))
    return [made[k] for k in keys]


def _lane_stats(b: Bound, state: FilterState, kind: LaneKind) -> tuple[pd.DataFrame, int]:
    """Return each kept lane's key, first place and events, and the kept events on none."""
    if _summarised(state):
        c = _cells(b, state, kind)
        first = (c.seq * SLOTS + c.slot).min()
        stats = c.group_by("key").aggregate(first=first, n=c["n"].sum()).execute()
        none = stats["key"].isna()
        return stats[~none].reset_index(drop=True), int(stats.loc[none, "n"].sum())
    pairs = _pairs(b, state, kind)
    first = (pairs.seq * SLOTS + pairs.slot).min()
    stats = pairs.group_by("key").aggregate(first=first, n=pairs.count()).execute()
    if not _heavy(state):
        return stats, int(_alone(b, state, kind).count().execute())
    seqs = _kept_seqs(b, state)  # the events on none: no pass over the events' dates
    return stats, int(seqs.filter(~seqs.seq.isin(pairs.seq)).count().execute())


def lanes(b: Bound, state: FilterState, kind: LaneKind | None = None) -> list[Lane]:
    """Return the lanes of the kept events in the state's order; events without go last."""
    kind = kind or state.lanes
    check_choice("order", state.order, ("first", "count", "name", "file"))

    def make() -> list[Lane]:
        stats, alone = _lane_stats(b, state, kind)
        out = _ranked(kind, stats, b.people, state.order)
        if alone:
            out.append(Lane(None, NO_LANE[kind], NO_LANE[kind]))
        return out

    return list(_memo(b, ("lanes", _key(state), kind, state.order), make))


@dataclass(frozen=True)
class Markers:
    """The first shown events (up to a limit), where each sits, and how many match in all."""

    events: pd.DataFrame  # rows as build_frame makes them, in date order
    layout: LaneLayout  # the lanes of every match; places for the events above
    total: int


def markers(b: Bound, state: FilterState, limit: int) -> Markers:
    """Return the shown events, up to `limit`, with their lanes as the timeline draws them."""
    total = count(b, state)
    seqs = _seqs(b, state, 0, limit)
    events, _ = _by_seqs(b, seqs)
    lanes_ = lanes(b, state)
    index = {lane.key: i for i, lane in enumerate(lanes_)}
    lanes_t = b.lanes.filter(b.lanes.lane == state.lanes)
    found = _in(lanes_t, seqs).order_by(["seq", "slot"]).select("seq", "key").execute()
    slot_of = {s: i for i, s in enumerate(seqs)}
    places: list[list[int]] = [[] for _ in seqs]
    for seq, key in zip(found["seq"].tolist(), found["key"].tolist(), strict=True):
        places[slot_of[seq]].append(index[key])
    for place in places:
        if not place:
            place.append(index[None])
    return Markers(events, LaneLayout(lanes_, places), total)


def page(b: Bound, state: FilterState, offset: int, size: int) -> pd.DataFrame:
    """Return one page of the shown events, in date order, as frame rows."""
    return _by_seqs(b, _seqs(b, state, offset, size))[0]


def search(b: Bound, q: str, limit: int) -> tuple[int, pd.DataFrame]:
    """Return how many events a search finds and the first of them, as frame rows."""
    state = FilterState(q=q)
    return count(b, state), page(b, state, 0, limit)


def details(b: Bound, event: str) -> pd.DataFrame:
    """Return one event's row (none for an unknown id), as the details card takes it."""
    return _fetch(b, b.events.filter(b.events.id == event).limit(1))


def _unit(b: Bound, state: FilterState) -> Unit:
    """Choose the period of the kept events' span, as analysis.choose_unit does."""
    if _summarised(state):  # each event is in the cells of each lane kind once
        c = _cells(b, state, state.lanes)
        span = c.aggregate(first=c.first_day.min(), last=c.last_day.max()).execute()
    else:
        n = _narrow(b, state)
        span = n.aggregate(first=n.start.min(), last=n["last"].max()).execute()
    first, last = span["first"].iloc[0], span["last"].iloc[0]
    if pd.isna(first):
        return "M"
    return choose_unit(pd.Timestamp(first), pd.Timestamp(last))


def _period(start: ir.DateValue, unit: Unit) -> ir.DateValue:
    """Return the first day of the month, quarter or year a day falls in."""
    month = start.month()
    return ibis.date(start.year(), month - (month - 1) % MONTHS_IN[unit], 1)


def _as_days(values: pd.Series) -> np.ndarray:
    return pd.to_datetime(values).to_numpy().astype("datetime64[s]")


@dataclass(frozen=True)
class Density:
    """Events per period and lane: the density chart's counts."""

    unit: Unit
    lanes: list[Lane]
    counts: pd.DataFrame  # lane (index into lanes), period (first day), events


def _density_counts(b: Bound, state: FilterState, unit: Unit) -> pd.DataFrame:
    """Return (key, period, events): kept events per lane and period, key null for none."""
    kind = state.lanes
    if _summarised(state):
        c = _cells(b, state, kind)
        period = c.month.pipe(_period, unit).name("period")
        return c.group_by(["key", period]).aggregate(events=c["n"].sum()).execute()
    pairs = _pairs(b, state, kind).select("key", "start")
    alone = _alone(b, state, kind)
    alone = alone.select(key=ibis.null().cast("string"), start=alone.start)
    both = ibis.union(pairs, alone, distinct=False)
    period = both.start.pipe(_period, unit).name("period")
    return both.group_by(["key", period]).aggregate(events=both.count()).execute()


def _places(lanes_: list[Lane], keys: pd.Series) -> np.ndarray:
    """Return each key's place among the lanes (a missing key: the lane of events on none)."""
    index = pd.Index([lane.key for lane in lanes_ if lane.key is not None], dtype=object)
    at = index.get_indexer(pd.Index(keys.astype(object).where(keys.notna(), None)))
    if (at < 0).any():  # the lane of events on none is the last
        at[at < 0] = next(i for i, lane in enumerate(lanes_) if lane.key is None)
    return at.astype(np.int64)


def density(b: Bound, state: FilterState) -> Density:
    """Count the kept events per lane and period (an event once on each of its lanes)."""
    lanes_ = lanes(b, state)
    unit = _unit(b, state)
    counted = _density_counts(b, state, unit)
    counts = pd.DataFrame(
        {
            "lane": _places(lanes_, counted["key"]),
            "period": _as_days(counted["period"]),
            "events": counted["events"].to_numpy(np.int64),
        }
    ).sort_values(["lane", "period"], ignore_index=True)
    return Density(unit, lanes_, counts)


def density_grid(d: Density) -> tuple[np.ndarray, np.ndarray]:
    """Return the density chart's periods (x) and counts per lane and period (z)."""
    step = MONTHS_IN[d.unit]
    months = d.counts["period"].to_numpy().astype("datetime64[M]").astype(np.int64)
    first = months.min() if len(months) else 0
    column = (months - first) // step
    width = int(column.max()) + 1 if len(column) else 1
    z = np.zeros((len(d.lanes), width), dtype=np.int64)
    np.add.at(z, (d.counts["lane"].to_numpy(), column), d.counts["events"].to_numpy())
    x = (first + step * np.arange(width)).astype("datetime64[M]").astype("datetime64[s]")
    return x, z


def _meets(b: Bound, state: FilterState) -> ir.Table:
    m = b.meets.filter(b.meets.lane == state.lanes)
    return m.filter(m.kind.isin(list(state.kinds)), ~m.every) if state.kinds else m.filter(m.every)


def _mirrored(rows: pd.DataFrame) -> pd.DataFrame:
    """Return rows of pairs a <= b with each pair of two lanes also as (b, a)."""
    other = rows[rows["a"] != rows["b"]].rename(columns={"a": "b", "b": "a"})
    return pd.concat([rows, other[rows.columns]], ignore_index=True)


def _joined(b: Bound, state: FilterState) -> ir.Table:
    """Return (seq, a, b) for every pair of lanes (a lane with itself too) of each kept event."""
    pairs = _pairs(b, state, state.lanes)
    one, two = pairs.select("seq", a="key"), pairs.select(seq2="seq", b="key")
    return one.join(two, one.seq == two.seq2).select("seq", "a", "b")


def _drawn(ranked: list[Lane], counts: np.ndarray, drawn: int | None) -> list[str] | None:
    """Return the keys of the `drawn` lanes with most events (figures.matrix.fit_lanes's
    choice), or None for every lane."""
    if drawn is None or drawn >= len(ranked):
        return None
    most = np.argsort(-np.diag(counts), kind="stable")[:drawn]
    return [str(ranked[i].key) for i in sorted(most)]


def _firsts(
    b: Bound, state: FilterState, keys: list[str] | None, examples: int, summed: bool
) -> pd.DataFrame:
    """Return (a, b, seq) of the first `examples` kept events of each pair of drawn lanes,
    with their titles where the summary holds them (`meets`)."""
    if summed:
        m = _meets(b, state)
        if keys is not None:
            m = m.filter(m.a.isin(keys), m.b.isin(keys))
        rows = _mirrored(m.select("a", "b", "seq", "title").execute())
        rows = rows.sort_values(["a", "b", "seq"], kind="stable")
        return rows.groupby(["a", "b"], sort=False).head(examples)
    joined = _joined(b, state)
    if keys is not None:
        joined = joined.filter(joined.a.isin(keys), joined.b.isin(keys))
    if b.con.name == "duckdb":
        return _firsts_duckdb(joined, examples)
    number = ibis.row_number().over(group_by=[joined.a, joined.b], order_by=joined.seq)
    firsts = joined.mutate(number=number).filter(lambda j: j.number < examples)
    return firsts.order_by(["a", "b", "seq"]).select("a", "b", "seq").execute()


@ibis.udf.agg.builtin(name="min")
def _least(arg: int, n: int) -> idt.Array[idt.int64]:
    """DuckDB's min(x, n): the n least values of a group, as a list."""


def _firsts_duckdb(joined: ir.Table, examples: int) -> pd.DataFrame:
    """Return (a, b, seq) of each pair's first events by DuckDB's min(x, n) aggregate: a
    row number over every pair of millions of events took 46 s and 2.8 GB at 20 million."""
    if examples <= 0:
        return pd.DataFrame({"a": [], "b": [], "seq": []})
    least = joined.group_by(["a", "b"]).aggregate(s=_least(joined.seq, examples))
    rows = least.select("a", "b", seq=least.s.unnest()).execute()
    return rows.sort_values(["a", "b", "seq"], ignore_index=True)


def _pair_counts(b: Bound, state: FilterState, ranked: list[Lane], summed: bool) -> np.ndarray:
    """Return the events each pair of lanes shares, the lanes placed on the engine (a
    million pairs of leaders as strings into pandas took two seconds)."""
    if summed:
        m = _meets(b, state)
        if len(state.kinds) <= 1:  # one row per pair holds its count, the rest hold 0
            totals = m.filter(m.n > 0).select("a", "b", "n")
        else:
            totals = m.group_by(["a", "b"]).aggregate(n=m["n"].sum())
    else:
        joined = _joined(b, state)  # each pair both ways already
        totals = joined.group_by(["a", "b"]).aggregate(n=joined.count())
    keys = [str(lane.key) for lane in ranked]
    places = ibis.memtable(
        pa.table({"key": pa.array(keys, pa.string()), "at": pa.array(range(len(keys)), pa.int64())})
    )
    one, two = places.rename(a_key="key", i="at"), places.rename(b_key="key", j="at")
    placed = totals.join(one, totals.a == one.a_key).join(two, totals.b == two.b_key)
    got = placed.select("i", "j", "n").to_pyarrow()
    i, j = (got.column(c).to_numpy().astype(np.int64) for c in ("i", "j"))
    n = got.column("n").to_numpy().astype(np.int64)
    counts = np.zeros((len(ranked), len(ranked)), dtype=np.int64)
    counts[i, j] = n
    if summed:  # the summary holds each pair once, a <= b
        counts[j, i] = n
    return counts


def matrix(
    b: Bound, state: FilterState, examples: int = EXAMPLES, drawn: int | None = None
) -> Meetings:
    """Count the kept events every pair of lanes shares, with the first few titles of each
    pair (of every pair, or of those among the `drawn` lanes with most events)."""
    ranked = [lane for lane in lanes(b, state) if lane.key is not None]
    at = {lane.key: i for i, lane in enumerate(ranked)}
    summed = _summarised(state) and examples <= EXAMPLES
    counts = _pair_counts(b, state, ranked, summed)
    firsts = _firsts(b, state, _drawn(ranked, counts, drawn), examples, summed)
    if "title" in firsts.columns:
        titles = firsts["title"].tolist()
    else:
        seqs = sorted(set(firsts["seq"].tolist()))
        named = _in(b.events, seqs).select("seq", "title").execute() if seqs else None
        title = {} if named is None else dict(zip(named["seq"], named["title"], strict=True))
        titles = [title[seq] for seq in firsts["seq"].tolist()]
    found: dict[tuple[int, int], list[str]] = {}
    for a, b_, name in zip(firsts["a"], firsts["b"], titles, strict=True):
        found.setdefault((at[a], at[b_]), []).append(str(name))
    return Meetings(ranked, counts, found)


_FINE: dict[Unit, tuple[str, ...]] = {
    "M": ("day", "month"),
    "Q": ("day", "month"),  # a month fits a quarter; a year-only date fits neither
    "Y": ("day", "month", "year"),
}


def tempo(b: Bound, state: FilterState, unit: Unit | None = None) -> Tempo:
    """Count kept events per period and kind; dates too vague for the unit counted apart."""
    shown = kept(b, state).select("start", "last", "kind", "precision")
    unit = unit or _unit(b, state)
    fine = shown.precision.isin(list(_FINE[unit]))
    sharp = shown.filter(fine)
    per = (
        sharp.group_by([sharp.start.pipe(_period, unit).name("period"), "kind"])
        .aggregate(events=sharp.count())
        .execute()
    )
    counts = pd.DataFrame(
        {
            "period": _as_days(per["period"]),
            "kind": per["kind"].astype("str"),
            "events": per["events"].to_numpy(np.int64),
        }
    ).sort_values(["period", "kind"], ignore_index=True)
    vague = shown.filter(~fine)
    grouped = vague.group_by(["start", "last", "precision"]).aggregate(events=vague.count())
    return Tempo(unit, counts, _vague_frame(grouped.execute()))


def _vague_frame(grouped: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(
        {
            "start": _as_days(grouped["start"]),
            "last": _as_days(grouped["last"]),
            "precision": pd.Categorical(grouped["precision"], dtype=PRECISIONS),
            "events": grouped["events"].to_numpy(np.int64),
        }
    )
    return out.sort_values(["start", "last", "precision"], ignore_index=True)
