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
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import ibis  # type: ignore[import-untyped]  # no type information published
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


def _bind(con: BaseBackend, events: ir.Table, lanes: ir.Table, small: StoreTables) -> Bound:
    check_version(small.meta)
    meta = small.meta.to_pylist()[0]
    return Bound(
        con, events, lanes, small.events.schema, meta["title"], meta["description"],
        people_of(small.people), sources_of(small.sources), periods_of(small.periods),
    )  # fmt: skip


def in_memory(con: BaseBackend, tables: StoreTables) -> Bound:
    """Bind tables held in memory (a YAML file's, from write.tables_of) as Ibis memtables."""
    if con.name == "pyspark":  # Spark takes an Arrow table whole, nested lists included
        session = con._session
        events, lanes = (con.table(_spark_view(session, t)) for t in (tables.events, tables.lanes))
    else:
        events, lanes = ibis.memtable(tables.events), ibis.memtable(tables.lanes)
    return _bind(con, events, lanes, tables)


def _spark_view(session: Any, table: pa.Table) -> str:
    name = next(_names)
    session.createDataFrame(table).createOrReplaceTempView(name)
    return name


def on_files(con: BaseBackend, paths: Mapping[str, str]) -> Bound:
    """Bind a store's Parquet files (any path the engine reads); small tables are fetched."""
    read = {name: con.read_parquet(path, table_name=next(_names)) for name, path in paths.items()}
    small = {n: read[n].to_pyarrow() for n in ("meta", "people", "sources", "periods")}
    empty = {n: read[n].limit(0).to_pyarrow() for n in ("events", "lanes")}
    tables = StoreTables(**small, **empty)
    return _bind(con, read["events"], read["lanes"], tables)


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


def _says(b: Bound, t: ir.Table, q: Any, state: FilterState) -> ir.BooleanValue:
    keep: ir.BooleanValue = ibis.literal(True)
    for word in fold(q).split():  # every word, anywhere in the event or its people
        keep = keep & t.search.contains(word)
    return keep


IBIS_RULES: dict[str, IbisRule] = {
    **{spec.field: _on_lanes(kind) for kind, spec in LANES.items()},
    "kinds": lambda b, t, kinds, s: t.kind.isin(list(kinds)),
    # A month-only event overlaps every day of its month: it matches the days it overlaps.
    "date_from": lambda b, t, day, s: t["last"] >= _day(day),
    "date_to": lambda b, t, day, s: t.start <= _day(day),
    "q": _says,
}


def _filtering(state: FilterState) -> list[Param]:
    return [p for p in PARAMS if p.rule is not None and is_set(state, p)]


def kept(b: Bound, state: FilterState) -> ir.Table:
    """Return the events a state keeps: every chosen parameter's rule, as viewstate's."""
    t = b.events
    for p in _filtering(state):
        t = t.filter(IBIS_RULES[p.field](b, t, getattr(state, p.field), state))
    return t


def count(b: Bound, state: FilterState) -> int:
    """Return how many events match the state."""
    return int(kept(b, state).count().execute())


def _rows(b: Bound, expr: ir.Table) -> tuple[pd.DataFrame, list[int]]:
    """Run a query for whole events: them as the frame build_frame makes, and their seqs."""
    table = expr.to_pyarrow()
    names = [f.name for f in b.schema if f.name in table.column_names]
    columns = [table.column(name).cast(b.schema.field(name).type) for name in names]
    return frame_of(pa.table(columns, names=names)), table.column("seq").to_pylist()


def _fetch(b: Bound, expr: ir.Table) -> pd.DataFrame:
    """Run a query for whole events and return them as the frame build_frame makes."""
    return _rows(b, expr)[0]


def _pairs(b: Bound, events: ir.Table, kind: LaneKind) -> ir.Table:
    """Return (seq, key, slot) of each event's lanes of one kind, for the given events."""
    lanes = b.lanes
    if events is b.events:  # nothing filtered: every event's lanes, no semi-join
        return lanes.filter(lanes.lane == kind)
    return lanes.filter(lanes.lane == kind, lanes.seq.isin(events.seq))


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


def lanes(b: Bound, state: FilterState, kind: LaneKind | None = None) -> list[Lane]:
    """Return the lanes of the kept events in the state's order; events without go last."""
    kind = kind or state.lanes
    check_choice("order", state.order, ("first", "count", "name", "file"))
    shown = kept(b, state)
    pairs = _pairs(b, shown, kind)
    stats = (
        pairs.group_by("key")
        .aggregate(first=(pairs.seq * SLOTS + pairs.slot).min(), n=pairs.count())
        .execute()
    )
    out = _ranked(kind, stats, b.people, state.order)
    alone = shown.filter(shown[lane_count_column(kind)] == 0).count().execute()
    if alone:
        out.append(Lane(None, NO_LANE[kind], NO_LANE[kind]))
    return out


@dataclass(frozen=True)
class Markers:
    """The first shown events (up to a limit), where each sits, and how many match in all."""

    events: pd.DataFrame  # rows as build_frame makes them, in date order
    layout: LaneLayout  # the lanes of every match; places for the events above
    total: int


def markers(b: Bound, state: FilterState, limit: int) -> Markers:
    """Return the shown events, up to `limit`, with their lanes as the timeline draws them."""
    shown = kept(b, state)
    total = int(shown.count().execute())
    events, seqs = _rows(b, shown.order_by("seq").limit(limit))
    lanes_ = lanes(b, state)
    index = {lane.key: i for i, lane in enumerate(lanes_)}
    lanes_t = b.lanes
    found = (
        lanes_t.filter(lanes_t.lane == state.lanes, lanes_t.seq.isin(seqs))
        .order_by(["seq", "slot"])
        .select("seq", "key")
        .execute()
    )
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
    shown = kept(b, state)
    if b.con.name == "pyspark" and offset:
        # Ibis 12's Spark backend leaves the row number it pages by among the columns.
        number = ibis.row_number().over(order_by=shown.seq)
        numbered = shown.mutate(page_row=number)
        wanted = numbered.filter(numbered.page_row >= offset, numbered.page_row < offset + size)
        return _fetch(b, wanted.order_by("seq").drop("page_row"))
    return _fetch(b, shown.order_by("seq").limit(size, offset=offset))


def search(b: Bound, q: str, limit: int) -> tuple[int, pd.DataFrame]:
    """Return how many events a search finds and the first of them, as frame rows."""
    state = FilterState(q=q)
    return count(b, state), page(b, state, 0, limit)


def details(b: Bound, event: str) -> pd.DataFrame:
    """Return one event's row (none for an unknown id), as the details card takes it."""
    return _fetch(b, b.events.filter(b.events.id == event).limit(1))


def _unit(b: Bound, shown: ir.Table) -> Unit:
    span = shown.aggregate(first=shown.start.min(), last=shown["last"].max()).execute()
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


def density(b: Bound, state: FilterState) -> Density:
    """Count the kept events per lane and period (an event once on each of its lanes)."""
    shown = kept(b, state)
    lanes_ = lanes(b, state)
    unit = _unit(b, shown)
    kind = state.lanes
    dated = shown.select("seq", "start")
    pairs = _pairs(b, shown, kind).select("seq", "key")
    alone = shown.filter(shown[lane_count_column(kind)] == 0).select(
        "seq", key=ibis.null().cast("string")
    )
    both = ibis.union(pairs, alone, distinct=False).join(dated, "seq")
    counted = (
        both.group_by(["key", both.start.pipe(_period, unit).name("period")])
        .aggregate(events=both.count())
        .execute()
    )
    index = {lane.key: i for i, lane in enumerate(lanes_)}
    keys = [None if pd.isna(k) else k for k in counted["key"]]
    counts = pd.DataFrame(
        {
            "lane": np.array([index[k] for k in keys], dtype=np.int64),
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


def matrix(b: Bound, state: FilterState, examples: int = 5) -> Meetings:
    """Count the kept events every pair of lanes shares, with the first few titles of each."""
    shown = kept(b, state)
    ranked = [lane for lane in lanes(b, state) if lane.key is not None]
    at = {lane.key: i for i, lane in enumerate(ranked)}
    pairs = _pairs(b, shown, state.lanes)
    one, two = pairs.select("seq", a="key"), pairs.select(seq2="seq", b="key")
    joined = one.join(two, one.seq == two.seq2)
    totals = joined.group_by(["a", "b"]).aggregate(n=joined.count()).execute()
    counts = np.zeros((len(ranked), len(ranked)), dtype=np.int64)
    if len(totals):
        rows = [at[k] for k in totals["a"]]
        cols = [at[k] for k in totals["b"]]
        counts[rows, cols] = totals["n"].to_numpy()
    number = ibis.row_number().over(group_by=[joined.a, joined.b], order_by=joined.seq)
    firsts = joined.mutate(number=number).filter(lambda j: j.number < examples)
    titles = shown.select(seq3="seq", title="title")
    titled = firsts.join(titles, firsts.seq == titles.seq3)
    rows_ = titled.order_by(["a", "b", "seq"]).select("a", "b", "title").execute()
    found: dict[tuple[int, int], list[str]] = {}
    for a, b_, title in zip(rows_["a"], rows_["b"], rows_["title"], strict=True):
        found.setdefault((at[a], at[b_]), []).append(str(title))
    return Meetings(ranked, counts, found)


_FINE: dict[Unit, tuple[str, ...]] = {
    "M": ("day", "month"),
    "Q": ("day", "month"),  # a month fits a quarter; a year-only date fits neither
    "Y": ("day", "month", "year"),
}


def tempo(b: Bound, state: FilterState, unit: Unit | None = None) -> Tempo:
    """Count kept events per period and kind; dates too vague for the unit counted apart."""
    shown = kept(b, state)
    unit = unit or _unit(b, shown)
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
