"""The event store: every query of a table of filters gives the pandas path's answer, on DuckDB
and on Spark (local mode), for the test files and a synthetic one; a store reads back every
field it was written with; a failed write leaves the old store; appends report duplicates."""

import datetime as dt
import itertools

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import ROOT, disk_full_after

from timeline.analysis import meetings, tempo
from timeline.figures import density_figure
from timeline.files import load_file
from timeline.loader import parse_events
from timeline.record import event_record
from timeline.selection import View
from timeline.state import FilterState
from timeline.store import io as store_io
from timeline.store import query as Q
from timeline.store.engine import ENGINES, connect, engine_name, spark_session
from timeline.store.write import SUMMARIES, dataset_of, finish, tables_of
from timeline.synth import synth_lines
from timeline.text import plotly_escape
from timeline.views import table_frame
from timeline.viewstate import PARAMS

FILES = [
    "events.yaml",
    "tests/data/states.yaml",
    "tests/data/centuries.yaml",
    "tests/data/edge.yaml",
]


def _synth(events: int, seed: int):
    return parse_events("".join(line.rstrip("\n") + "\n" for line in synth_lines(events, seed)))


@pytest.fixture(scope="module")
def datasets():
    found = {name: load_file(ROOT / name) for name in FILES}
    found["synth"] = _synth(300, 3)
    return found


def _mid(view: View) -> dt.date:
    span = view.catalog.span
    return span[0] + (span[1] - span[0]) / 2 if span else dt.date(2022, 7, 1)


def _word(data) -> str:
    return data.events["title"].iloc[len(data.events) // 2].split()[0] if len(data.events) else "x"


# Each case builds its state from the file's own values (its catalog), so every file is
# filtered by lanes, kinds and words it really has.
CASES = {
    "everything": lambda v, d: FilterState(),
    "one leader": lambda v, d: FilterState(leaders=v.catalog.leaders[:1]),
    "two states, any, state lanes": lambda v, d: FilterState(
        countries=v.catalog.countries[:2], lanes="country"
    ),
    "two states, all, by count": lambda v, d: FilterState(
        countries=v.catalog.countries[:2], match="all", lanes="country", order="count"
    ),
    "a kind": lambda v, d: FilterState(kinds=v.catalog.kinds[:1]),
    "two kinds, state lanes by count": lambda v, d: FilterState(
        kinds=v.catalog.kinds[:2], lanes="country", order="count"
    ),
    "from the middle on": lambda v, d: FilterState(date_from=_mid(v)),
    "up to the middle, tag lanes by name": lambda v, d: FilterState(
        date_to=_mid(v), lanes="tag", order="name"
    ),
    "a search word": lambda v, d: FilterState(q=_word(d)),
    "a person's country as a word": lambda v, d: FilterState(q="russia"),
    "two words, folded": lambda v, d: FilterState(q="ERDOĞAN  “the"),
    "a wildcard is a letter": lambda v, d: FilterState(q="%_"),
    "leader and kind and dates, file order": lambda v, d: FilterState(
        leaders=v.catalog.leaders[:2],
        kinds=v.catalog.kinds[:2],
        date_from=dt.date(1900, 1, 1),
        order="file",
    ),
    "a lane no event sits on, all": lambda v, d: FilterState(
        countries=("Nowhere", *v.catalog.countries[:1]), match="all"
    ),
    "empty": lambda v, d: FilterState(q="zzzzqqqq"),
}


def _density(view: View) -> tuple[np.ndarray, np.ndarray, list[str]]:
    fig = density_figure(
        view.data.events, view.mask, view.membership, view.data.people, view.state.order
    )
    return np.asarray(fig.data[0].x), np.asarray(fig.data[0].z), list(fig.data[0].y)


def assert_same(b: Q.Bound, view: View) -> None:
    """Check every query of the store against the pandas path for one view."""
    data, state, shown = view.data, view.state, view.shown
    assert Q.count(b, state) == len(shown)
    assert Q.lanes(b, state) == view.layout.lanes
    every = Q.markers(b, state, 10_000)
    assert every.layout == view.layout and every.total == len(shown)
    assert list(every.events["id"]) == list(shown["id"])
    pdt.assert_frame_equal(every.events, shown.reset_index(drop=True))
    few = Q.markers(b, state, 2)
    assert few.layout.places == view.layout.places[:2] and few.layout.lanes == view.layout.lanes
    pdt.assert_frame_equal(
        table_frame(Q.page(b, state, 1, 3), data.people),
        table_frame(shown.iloc[1:4], data.people),
    )
    ours = Q.matrix(b, state)
    theirs = meetings(data.events, view.membership, view.mask, data.people, state.order)
    assert ours.lanes == theirs.lanes and ours.examples == theirs.examples
    np.testing.assert_array_equal(ours.counts, theirs.counts)
    if len(shown):
        got, want = Q.tempo(b, state), tempo(shown)
        assert got.unit == want.unit
        pdt.assert_frame_equal(got.counts, want.counts, check_dtype=False)
        pdt.assert_frame_equal(got.vague, want.vague.reset_index(drop=True), check_dtype=False)
        d = Q.density(b, state)
        x, z = Q.density_grid(d)
        # density_figure raises KeyError when the filter hides a lane some event outside it
        # sits on (it maps every key, kept or not): compared where it draws.
        if not set(view.membership.keys) <= {lane.key for lane in d.lanes}:
            return
        fig_x, fig_z, fig_y = _density(view)
        np.testing.assert_array_equal(x, fig_x.astype("datetime64[s]"))
        np.testing.assert_array_equal(np.where(z > 0, z, np.nan), fig_z)
        assert [plotly_escape(lane.label) for lane in d.lanes] == fig_y


@pytest.fixture(scope="module")
def duck():
    return connect("duckdb")


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("name", [*FILES, "synth"])
def test_duckdb_gives_the_pandas_answers(datasets, duck, name, case):
    data = datasets[name]
    view = View.of(data, FilterState())
    state = CASES[case](view, data)
    assert_same(Q.in_memory(duck, tables_of(data)), View.of(data, state, view.index))


@pytest.fixture(scope="session")
def spark():
    session = spark_session("local[1]", {"spark.sql.shuffle.partitions": "1"})
    yield connect("spark", session)
    session.stop()


# Spark answers the same table on one file rich in lanes, quotes and words (a few cases:
# each query is a Spark job, about a second on this machine's two shared cores).
SPARK_CASES = [
    "two states, all, by count",
    "leader and kind and dates, file order",
    "a search word",
    "empty",
]


@pytest.mark.slow
@pytest.mark.parametrize("case", SPARK_CASES)
def test_spark_gives_the_pandas_answers(datasets, spark, case):
    data = datasets["synth"]
    view = View.of(data, FilterState())
    state = CASES[case](view, data)
    assert_same(Q.in_memory(spark, tables_of(data)), View.of(data, state, view.index))


@pytest.mark.slow
def test_spark_reads_a_store_on_disk(datasets, spark, duck, tmp_path):
    data = datasets["tests/data/states.yaml"]
    store_io.write_store(tmp_path / "s", tables_of(data))
    paths = store_io.table_paths(tmp_path / "s")
    state = FilterState(countries=("Iran",), lanes="country")
    on_spark, on_duck = Q.on_files(spark, paths), Q.on_files(duck, paths)
    assert Q.lanes(on_spark, state) == Q.lanes(on_duck, state) == View.of(data, state).layout.lanes
    pdt.assert_frame_equal(Q.page(on_spark, state, 0, 10), Q.page(on_duck, state, 0, 10))


@pytest.mark.parametrize("name", [*FILES, "synth"])
def test_a_store_on_disk_answers_as_the_file_in_memory(datasets, duck, tmp_path, name):
    data = datasets[name]
    store_io.write_store(tmp_path / "s", tables_of(data))
    view = View.of(data, FilterState(countries=View.of(data, FilterState()).catalog.countries[:2]))
    assert_same(Q.on_files(duck, store_io.table_paths(tmp_path / "s")), view)


def _records(data) -> list[dict]:
    return [event_record(row) for row in data.events.to_dict("records")]


@pytest.mark.parametrize("name", [*FILES, "synth"])
def test_a_store_reads_back_every_field(datasets, tmp_path, name):
    data = datasets[name]
    store_io.write_store(tmp_path / "s", tables_of(data))
    back = store_io.read_store(tmp_path / "s")
    assert _records(back) == _records(data)
    assert (back.title, back.description, back.people, back.sources, back.periods) == (
        data.title, data.description, data.people, data.sources, data.periods
    )  # fmt: skip
    pdt.assert_frame_equal(back.events, data.events.reset_index(drop=True))


def test_every_filter_of_the_view_has_a_query_rule():
    # A filter added to viewstate.PARAMS without its Ibis rule fails here.
    missing = [p.name for p in PARAMS if p.rule is not None and p.field not in Q.IBIS_RULES]
    assert not missing


@pytest.mark.parametrize("fail_at", [0, 2, 5])
def test_a_failed_write_leaves_the_old_store(datasets, tmp_path, monkeypatch, fail_at):
    folder = tmp_path / "s"
    old, new = datasets["events.yaml"], datasets["synth"]
    store_io.write_store(folder, tables_of(old))
    before = sorted(p.name for p in folder.iterdir())
    disk_full_after(monkeypatch, fail_at)
    with pytest.raises(OSError, match="No space left"):
        store_io.write_store(folder, tables_of(new))
    assert _records(store_io.read_store(folder)) == _records(old)
    assert sorted(p.name for p in folder.iterdir()) == before  # nothing half-written left


def test_a_new_version_replaces_the_old_and_keeps_one_before(datasets, tmp_path):
    folder = tmp_path / "s"
    for name in ("events.yaml", "tests/data/states.yaml", "synth"):
        store_io.write_store(folder, tables_of(datasets[name]))
    assert _records(store_io.read_store(folder)) == _records(datasets["synth"])
    assert len([p for p in folder.iterdir() if p.name.startswith("v-")]) == 2


def _renamed(data, title: str):
    events = data.events.copy()
    events.loc[0, "title"] = title
    return type(data)(data.title, data.description, data.people, data.sources, events, data.periods)


@pytest.mark.parametrize(("on_duplicate", "kept_title"), [("keep", "old"), ("replace", "new")])
def test_an_append_reports_ids_already_there_and_keeps_or_replaces(
    datasets, tmp_path, on_duplicate, kept_title
):
    folder = tmp_path / "s"
    old, extra = datasets["events.yaml"], datasets["tests/data/states.yaml"]
    store_io.append_store(folder, _renamed(old, "old"))
    first_id = old.events["id"].iloc[0]
    done = store_io.append_store(folder, _renamed(old, "new"), on_duplicate)
    assert set(done.duplicates) == set(old.events["id"]) and done.events == len(old.events)
    store_io.append_store(folder, extra, on_duplicate)
    back = store_io.read_store(folder)
    assert back.events.loc[back.events["id"] == first_id, "title"].tolist() == [kept_title]
    assert len(back.events) == len(old.events) + len(extra.events)
    assert back.events["start"].is_monotonic_increasing


@pytest.mark.parametrize(
    ("folder_text", "message"),
    [
        (None, "not an event store"),
        ("v-gone", "not a version folder"),
        ("../x", "not a version folder"),
    ],
)
def test_a_folder_that_is_not_a_store_is_named(tmp_path, folder_text, message):
    if folder_text is not None:
        (tmp_path / "CURRENT").write_text(folder_text)
    with pytest.raises(store_io.StoreError, match=message):
        store_io.read_store(tmp_path)


@pytest.mark.parametrize(
    ("name", "env", "expected"),
    [
        (None, None, "duckdb"),
        ("spark", None, "spark"),
        (None, "spark", "spark"),
        ("duckdb", "spark", "duckdb"),
    ],
)
def test_the_engine_is_chosen_by_name_or_environment(monkeypatch, name, env, expected):
    if env is None:
        monkeypatch.delenv("TIMELINE_ENGINE", raising=False)
    else:
        monkeypatch.setenv("TIMELINE_ENGINE", env)
    assert engine_name(name) == expected in ENGINES


def test_an_unknown_engine_is_named_with_the_choices():
    with pytest.raises(ValueError, match=r"engine 'postgres' .*\(expected one of duckdb, spark\)"):
        engine_name("postgres")


@pytest.mark.parametrize("event", ["first", "no-such-event"])
def test_details_of_one_event(datasets, duck, event):
    data = datasets["events.yaml"]
    b = Q.in_memory(duck, tables_of(data))
    wanted = data.events["id"].iloc[0] if event == "first" else event
    got = Q.details(b, wanted)
    pdt.assert_frame_equal(got, data.events[data.events["id"] == wanted].reset_index(drop=True))


def test_a_dataset_with_no_events_has_no_lanes(duck):
    data = parse_events("title: T\npeople: {}\nsources: {}\nevents: []\n")
    b = Q.in_memory(duck, tables_of(data))
    assert (Q.count(b, FilterState()), Q.lanes(b, FilterState())) == (0, [])
    assert dataset_of(tables_of(data)).events.empty


def test_tables_keep_pandas_types():
    assert pd.api.types.is_datetime64_any_dtype(dataset_of(tables_of(_synth(5, 1))).events["start"])


PARTED = ("events", "lanes", "words")  # tables of rows of events: written a part at a time


def _parts(data, tmp_path, cuts: list[int]) -> dict[str, str]:
    """Write a dataset as parts (events and lanes a chunk each, cut at the given rows),
    then the summaries over them all (write.finish), as a store written in parts is."""
    frame, at = data.events.reset_index(drop=True), [0, *cuts, len(data.events)]
    for name in PARTED:
        (tmp_path / name).mkdir()
    for i, (lo, hi) in enumerate(itertools.pairwise(at)):
        chunk = type(data)(data.title, data.description, data.people, data.sources,
                           frame.iloc[lo:hi], data.periods)  # fmt: skip
        tables = tables_of(chunk, first_seq=lo, summarised=False)
        for name in PARTED:
            pq.write_table(getattr(tables, name), tmp_path / name / f"{i}.parquet")
    paths = {n: str(tmp_path / n / "*.parquet") for n in PARTED}
    whole = tables_of(data)
    for name, table in {**finish(paths), **{n: getattr(whole, n) for n in Q.SMALL}}.items():
        pq.write_table(table, tmp_path / f"{name}.parquet")
        paths[name] = str(tmp_path / f"{name}.parquet")
    return paths


@pytest.mark.parametrize("case", ["everything", "two kinds, state lanes by count", "one leader"])
def test_a_store_in_parts_answers_as_the_whole(datasets, duck, tmp_path, case):
    data = datasets["synth"]
    paths = _parts(data, tmp_path, [50, 51, 200])
    whole = tables_of(data)
    for name in SUMMARIES:  # finish over the parts gives the whole's summaries
        assert pq.read_table(paths[name]).equals(getattr(whole, name))
    view = View.of(data, FilterState())
    assert_same(Q.on_files(duck, paths), View.of(data, CASES[case](view, data), view.index))


def test_one_bound_store_answers_many_views_in_turn(datasets, duck):
    # Each view's kept rows are remembered (and the oldest released): views asked in turn,
    # more of them than are remembered, and again, each still gets its own answers.
    data = datasets["synth"]
    b = Q.in_memory(duck, tables_of(data))
    view = View.of(data, FilterState())
    for case in [*CASES, *CASES]:
        assert_same(b, View.of(data, CASES[case](view, data), view.index))
    assert len(b.memo) <= Q.MEMO_SIZE


@pytest.mark.parametrize("drawn", [1, 3, 10])
@pytest.mark.parametrize("case", ["everything", "two states, any, state lanes"])
def test_the_matrix_gives_examples_of_the_lanes_drawn(datasets, duck, drawn, case):
    data = datasets["synth"]
    view = View.of(data, FilterState())
    view = View.of(data, CASES[case](view, data), view.index)
    want = meetings(data.events, view.membership, view.mask, data.people, view.state.order)
    most = set(np.argsort(-np.diag(want.counts), kind="stable")[:drawn].tolist())
    got = Q.matrix(Q.in_memory(duck, tables_of(data)), view.state, drawn=drawn)
    np.testing.assert_array_equal(got.counts, want.counts)
    assert got.examples == {k: v for k, v in want.examples.items() if set(k) <= most}
    assert len(most) == min(drawn, len(want.lanes))


def test_summaries_of_no_events_are_empty_tables_of_their_columns():
    data = parse_events("title: T\npeople: {}\nsources: {}\nevents: []\n")
    tables = tables_of(data)
    assert [getattr(tables, n).num_rows for n in SUMMARIES] == [0, 0, 0]
    assert tables_of(data, summarised=False).cells.schema == tables.cells.schema
    assert isinstance(tables.meets.schema.field("seq").type, pa.DataType)


@pytest.mark.parametrize("version", [1, 2, 99])
def test_a_store_of_another_version_is_refused_with_what_to_do(datasets, tmp_path, version):
    # Version 3 added the examples' titles to `meets`: an older store must be written again.
    store_io.write_store(tmp_path / "s", tables_of(datasets["events.yaml"]))
    meta = store_io.version_folder(tmp_path / "s") / "meta.parquet"
    old = pq.read_table(meta)
    pq.write_table(old.set_column(2, "version", pa.array([version], pa.int32())), meta)
    with pytest.raises(store_io.StoreError, match=rf"version \[{version}\].*write the store again"):
        store_io.read_store(tmp_path / "s")


@pytest.mark.parametrize("name", ["events.yaml", "synth"])
def test_the_matrix_summary_holds_each_example_title(datasets, name):
    data = datasets[name]
    tables = tables_of(data)
    title = dict(zip(tables.events.column("seq").to_pylist(),
                     tables.events.column("title").to_pylist(), strict=True))  # fmt: skip
    meets = tables.meets.to_pylist()
    assert meets and all(row["title"] == title[row["seq"]] for row in meets)
