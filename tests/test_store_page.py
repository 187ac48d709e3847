"""The dashboard on an event store (`--events DIR`): the same page as the data file's within
the chart's marker limit, the store's own answers above it (density, a page of the table),
and a clear message for a folder that is not a store, a broken one, or an unknown engine."""

import base64
import json
import re
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import ROOT, record_spinners
from streamlit.testing.v1 import AppTest

from timeline.figures import density_figure
from timeline.files import load_file
from timeline.i18n import translator
from timeline.page.tabs import at_scale
from timeline.selection import View
from timeline.state import VIEWS, FilterState
from timeline.store import io as store_io
from timeline.store.write import tables_of

sys.path.insert(0, str(ROOT / "benchmarks"))
import store_bench  # the benchmark's ICEWS-shaped data, mapped as the benchmark maps it
import store_generate

APP = str(Path(__file__).resolve().parent.parent / "app.py")
SHIPPED = ROOT / "events.yaml"


@pytest.fixture(autouse=True)
def plain_argv(monkeypatch):
    """Each page reads its data path and engine from its own argv and environment."""
    monkeypatch.setattr(sys, "argv", ["app.py"])
    monkeypatch.delenv("TIMELINE_EVENTS", raising=False)
    monkeypatch.delenv("TIMELINE_ENGINE", raising=False)


def run(monkeypatch, events: Path, params: dict | None = None, argv: tuple = ()) -> AppTest:
    monkeypatch.setenv("TIMELINE_EVENTS", str(events))
    monkeypatch.setattr(sys, "argv", ["app.py", *argv])
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.message + "\n".join(e.stack_trace) for e in at.exception]
    return at


@pytest.fixture(scope="module")
def shipped_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("stores") / "shipped"
    store_io.write_store(folder, tables_of(load_file(SHIPPED)))
    return folder


@pytest.fixture(scope="module")
def icews(tmp_path_factory):
    """3,000 ICEWS-shaped events (benchmarks/store_generate.py) as a dataset and a store."""
    folder = tmp_path_factory.mktemp("icews")
    tab = folder / "icews.tab"
    with open(tab, "w", encoding="utf-8") as out:
        store_generate.generate(3000, out, seed=5)
    data = store_bench.dataset_from_icews(tab)
    store_io.write_store(folder / "store", tables_of(data))
    return data, folder / "store"


def error(at: AppTest) -> str:
    """Return the page's one error as a reader sees it (its Markdown escapes taken out)."""
    assert len(at.error) == 1
    return re.sub(r"\\(.)", r"\1", at.error[0].value)


def count(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.endswith("events**"))


def charts(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def lanes(at: AppTest) -> list[str]:
    return list(charts(at)[0]["layout"]["yaxis"].get("ticktext") or charts(at)[0]["data"][0]["y"])


def html(at: AppTest) -> str:
    return "\n".join(e.proto.body for e in at.get("html"))


def table_ids(at: AppTest) -> list[str]:
    return list(at.dataframe[0].value["id"]) if at.dataframe else []


# The data file's page and the store's, at the same link: each shows the same thing.
SAME = [
    {},
    {"lanes": "country", "country": ["Iran", "Russia"], "match": "all"},
    {"lanes": "tag", "order": "name", "kind": "meeting"},
    {"q": "gas"},
    {"leader": "putin", "view": "table"},
    {"view": "matrix", "lanes": "country"},
    {"view": "tempo"},
    {"view": "story"},
    {"view": "publish", "country": "Turkey"},
    {"event": "putin-raisi-tehran-2022"},
    # Opened by link though the filters hide it: the details say so on both pages.
    {"tag": "syria", "event": "gazprom-deal-2022"},
    {"lanes": "leader", "order": "count", "date_from": "2022-07-01", "date_to": "2022-12-31"},
]


@pytest.mark.parametrize("params", SAME, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()))
def test_a_store_shows_what_its_data_file_shows(monkeypatch, shipped_store, params):
    from_file = run(monkeypatch, SHIPPED, params)
    from_store = run(monkeypatch, shipped_store, params)
    assert count(from_store) == count(from_file)
    assert table_ids(from_store) == table_ids(from_file)
    assert charts(from_store) == charts(from_file)
    assert html(from_store) == html(from_file)
    assert from_store.query_params == from_file.query_params
    assert not from_store.error
    if "event" in params:
        assert from_store.selectbox(key="event").value == params["event"]


def test_an_unknown_event_in_the_link_is_a_notice_as_on_the_file(monkeypatch, shipped_store):
    from_store = run(monkeypatch, shipped_store, {"event": "no-such-event"})
    from_file = run(monkeypatch, SHIPPED, {"event": "no-such-event"})
    assert [w.value for w in from_store.warning] == [w.value for w in from_file.warning]
    assert from_store.selectbox(key="event").value is None


def test_the_engine_argument_or_environment_opens_the_store(monkeypatch, shipped_store):
    at = run(
        monkeypatch, shipped_store, argv=("--events", str(shipped_store), "--engine", "duckdb")
    )
    assert count(at) == "**10 of 10 events**"


@pytest.fixture
def small_limit(monkeypatch):
    """The chart's marker limit brought down to 50, so a 3,000-event store is above it."""
    monkeypatch.setattr("timeline.figures.MAX_MARKERS", 50)


def _array(value) -> np.ndarray:
    """Return a figure's array as its JSON holds it: a list, or Plotly's typed bytes."""
    if isinstance(value, dict):
        shape = tuple(int(n) for n in value["shape"].split(","))
        return np.frombuffer(base64.b64decode(value["bdata"]), value["dtype"]).reshape(shape)
    return np.array(value, dtype=float)


def _heatmap(at: AppTest) -> dict:
    return next(t for c in charts(at) for t in c["data"] if t["type"] == "heatmap")


@pytest.mark.parametrize(
    "state",
    [
        FilterState(),
        FilterState(lanes="country", countries=("Iran", "Russia")),
        FilterState(
            lanes="country", countries=("Iran", "China"), kinds=("statement",), order="count"
        ),
        FilterState(q="negotiation", lanes="country"),
        FilterState(lanes="country", countries=("Iran",), lang="fa"),  # its words in Persian
    ],
)
def test_above_the_limit_the_timeline_is_the_density_of_every_match(
    monkeypatch, icews, small_limit, state
):
    data, folder = icews
    from timeline.query import write_query

    at = run(monkeypatch, folder, write_query(state))
    view, t = View.of(data, state), translator(state.lang)
    assert view.mask.sum() > 50
    total = t.ngettext("{shown} of {count} events", "{shown} of {count} events", 3000,
                       shown=t.count(int(view.mask.sum())))  # fmt: skip
    assert f"**{total}**" in [m.value for m in at.markdown]
    expected = density_figure(data.events, view.mask, view.membership, data.people, state.order, t)
    drawn, want = _heatmap(at), json.loads(expected.to_json())["data"][0]
    shown = min(len(want["y"]), at_scale.DENSITY_LANES)  # the first lanes, in the order chosen
    assert drawn["y"] == want["y"][:shown]
    assert drawn["x"] == want["x"]
    assert np.array_equal(_array(drawn["z"]), _array(want["z"])[:shown], equal_nan=True)
    left_out = t.ngettext(  # the note in the reader's language (its HTML escapes apostrophes)
        "The first {shown} of {count} lane in this order: choose leaders, states or tags "
        "in the sidebar, or order the lanes by most events, to see others.",
        "The first {shown} of {count} lanes in this order: choose leaders, states or tags "
        "in the sidebar, or order the lanes by most events, to see others.",
        len(want["y"]), shown=t.number(shown),
    )  # fmt: skip
    assert (left_out in html(at)) == (shown < len(want["y"]))
    assert drawn["colorbar"]["title"] == want["colorbar"]["title"]  # in the reader's language
    too_many = t.gettext(
        "{count} events are too many to draw one by one, so the chart shows how many "
        "fall in each period. Narrow the leaders, kinds, dates or search to {most} "
        "events or fewer to see each event and its quotes.",
        count=t.number(int(view.mask.sum())), most=t.number(50),
    )  # fmt: skip
    assert at.info[0].value == too_many


@pytest.mark.parametrize(("page", "first"), [(1, 0), (2, 100), (3, 200)])
def test_above_the_limit_the_table_pages_through_the_matches(
    monkeypatch, icews, small_limit, page, first
):
    data, folder = icews
    state = {"lanes": "country", "country": ["Iran", "Russia"], "view": "table"}
    at = run(monkeypatch, folder, state)
    if page > 1:
        at.number_input(key="table_page").set_value(page).run()
        assert not at.exception
    view = View.of(data, FilterState(lanes="country", countries=("Iran", "Russia")))
    assert table_ids(at) == list(view.shown["id"][first : first + 100])


def test_above_the_limit_a_filter_change_goes_back_to_the_first_page(
    monkeypatch, icews, small_limit
):
    _, folder = icews
    at = run(monkeypatch, folder, {"view": "table"})
    at.number_input(key="table_page").set_value(3).run()
    at.text_input(key="q").set_value("negotiation").run()
    assert not at.exception
    assert at.number_input(key="table_page").value == 1


@pytest.mark.parametrize("view", VIEWS)
def test_above_the_limit_every_tab_draws_from_the_store(monkeypatch, icews, small_limit, view):
    _, folder = icews
    at = run(monkeypatch, folder, {"view": view, "lanes": "country"})
    assert not at.error
    assert count(at) == "**3000 of 3000 events**"
    if view in ("story", "publish"):
        assert any("narrow" in i.value for i in at.info)


def test_above_the_limit_the_open_event_shows_its_details(monkeypatch, icews, small_limit):
    data, folder = icews
    last = data.events["id"].iloc[-1]  # on no page shown: fetched by its id
    at = run(monkeypatch, folder, {"event": last})
    assert data.events["title"].iloc[-1].split(" - ")[0] in html(at)
    assert "outside the current filters" not in "".join(m.value for m in at.markdown)
    hidden = run(monkeypatch, folder, {"event": last, "q": "zzzz-none"})
    assert "outside the current filters" in "".join(m.value for m in hidden.markdown)


@pytest.mark.parametrize(("most", "buttons", "command"), [
    (100, 0, "python -m timeline export csv {folder} --query 'country=Iran&country=Russia' "
             "-o events.csv"),
    (20_000, 2, None),
])  # fmt: skip
def test_a_large_download_names_the_command_that_streams_it(
    monkeypatch, icews, small_limit, most, buttons, command
):
    _, folder = icews
    monkeypatch.setattr(at_scale, "DOWNLOAD_ROWS", most)
    at = run(monkeypatch, folder, {"view": "table", "country": ["Iran", "Russia"]})
    commands = [c.value for c in at.code if "export csv" in c.value]
    assert commands == ([command.format(folder=folder)] if command else [])
    assert len(at.get("download_button")) == buttons


def _broken_pointer(folder: Path) -> None:
    (folder / "CURRENT").write_text("v-missing\n", encoding="utf-8")


def _damaged_table(folder: Path) -> None:
    (store_io.version_folder(folder) / "people.parquet").write_bytes(b"not parquet")


def _old_version(folder: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    meta = pa.table({"title": ["x"], "description": [None], "version": pa.array([99], pa.int32())})
    pq.write_table(meta, store_io.version_folder(folder) / "meta.parquet")


@pytest.mark.parametrize(
    ("breaks", "message"),
    [
        (_broken_pointer, r"CURRENT names 'v-missing', not a version folder of the store"),
        (_damaged_table, r"the event store cannot be read on duckdb \(.*people\.parquet"),
        (_old_version, r"store version \[99\] is not one this code reads"),
    ],
)
def test_a_folder_that_is_not_a_good_store_is_an_error_naming_it(
    monkeypatch, shipped_store, tmp_path, breaks, message
):
    folder = tmp_path / "data"
    shutil.copytree(shipped_store, folder)
    breaks(folder)
    shown = error(run(monkeypatch, folder))
    assert shown.startswith(("data", "'data'"))  # its name, not its path
    assert str(tmp_path) not in shown
    assert re.search(message, shown)


def test_a_folder_that_is_no_store_is_named_with_what_is_expected(monkeypatch, tmp_path):
    (tmp_path / "data").mkdir()
    at = run(monkeypatch, tmp_path / "data")
    assert "data has 1 error" in at.error[0].value
    assert at.code[0].value == (
        "data:1:1: cannot read the file: it is a directory, not a regular file; expected a "
        "YAML file or an event store's folder (holding a CURRENT file)"
    )


@pytest.mark.parametrize(
    ("argv", "env"),
    [(("--engine", "postgres"), None), (("--engine=postgres",), None), ((), "postgres")],
)
def test_an_unknown_engine_is_an_error_naming_it_and_the_choices(
    monkeypatch, shipped_store, argv, env
):
    if env:
        monkeypatch.setenv("TIMELINE_ENGINE", env)
    shown = error(run(monkeypatch, shipped_store, argv=argv))
    assert "engine 'postgres' is not one the store runs on (expected one of duckdb, spark)" in shown


@pytest.mark.slow
def test_the_page_on_spark_shows_what_duckdb_shows(monkeypatch, shipped_store):
    params = {"lanes": "country", "country": ["Iran", "Russia"], "match": "all", "view": "table"}
    on_duck = run(monkeypatch, shipped_store, params)
    on_spark = run(monkeypatch, shipped_store, params, argv=("--engine", "spark"))
    assert count(on_spark) == count(on_duck)
    assert table_ids(on_spark) == table_ids(on_duck)
    assert html(on_spark) == html(on_duck)


def test_a_stores_name_in_an_error_is_text_not_markdown(monkeypatch, shipped_store, tmp_path):
    folder = tmp_path / "**bold** [a link](mailto:x)"
    shutil.copytree(shipped_store, folder)
    _broken_pointer(folder)
    at = run(monkeypatch, folder)
    assert r"\*\*bold\*\* \[a link\]\(mailto\:x\)" in at.error[0].value
    assert error(at).startswith(("**bold** [a link](mailto:x):", "'**bold** [a link](mailto:x)'"))


@pytest.mark.parametrize(
    "params",
    [
        {"view": "matrix", "lanes": "country"},
        {
            "view": "matrix",
            "lanes": "country",
            "country": ["China", "Russia", "United States"],
            "order": "count",
        },
        {"view": "tempo"},
        {"view": "tempo", "date_from": "2000-01-01", "order": "name"},
    ],
    ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()),
)
def test_above_the_limit_the_matrix_and_tempo_are_the_files(monkeypatch, icews, tmp_path, params):
    """Both pages past the marker limit (3,000 events): the store's counts draw the same charts."""
    data, folder = icews
    from timeline.page import loading

    monkeypatch.setattr(loading, "load_cached", lambda path: data)  # the same events, as a file
    from_file = run(monkeypatch, tmp_path / "icews.yaml", params)
    from_store = run(monkeypatch, folder, params)
    assert count(from_store) == count(from_file)
    assert int(count(from_store).strip("*").split()[0]) > 1000  # past the limit on both
    assert charts(from_store)[-1] == charts(from_file)[-1]


@pytest.mark.parametrize(("lang", "said"), [("en", "Opening the event store..."),
                                            ("fa", "در حال گشودن انبارهٔ رویدادها...")])  # fmt: skip
def test_the_stores_spinner_speaks_the_language_and_the_store_opens_once(
    monkeypatch, shipped_store, tmp_path, lang, said
):

    from timeline.page import storeview

    folder = tmp_path / "store"  # a path of its own: not opened before by another test
    shutil.copytree(shipped_store, folder)
    opened, real_open = [], storeview._open
    spun = record_spinners(monkeypatch)
    monkeypatch.setattr(storeview, "_open", lambda *a: opened.append(a) or real_open(*a))
    at = run(monkeypatch, folder, {"lang": lang})
    at.run()  # a rerun: the cache answers
    assert not at.exception
    assert spun[:2] == [said, said]
    assert len(opened) == 1  # opened once for both runs: the cache kept its semantics
