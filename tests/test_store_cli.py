"""The command line on an event store: import --store, store put, validate DIR, export DIR."""

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import ROOT, disk_full_after

from timeline.exporters import stream
from timeline.files import load_file
from timeline.state import FilterState
from timeline.store import build
from timeline.store import io as store_io
from timeline.store.check import check_store

DATA = ROOT / "tests" / "data" / "import"
EVENTS = ROOT / "events.yaml"
STATES = ROOT / "tests" / "data" / "states.yaml"


def records(data):
    """Return a dataset's events, people, sources and periods as plain, comparable data."""
    events = data.events.drop(columns=["date_label"]).to_dict("records")
    return (
        sorted(events, key=lambda e: e["id"]),
        {k: v.model_dump() for k, v in data.people.items()},
        {k: v.model_dump() for k, v in data.sources.items()},
        sorted(p.model_dump_json() for p in data.periods),
    )


def same_events(a, b) -> bool:
    return records(a) == records(b)


# --- Every import format writes the events it writes to a file ----------------------------

FORMATS = [
    ("timelinejs", "timelinejs3.json", ()),
    ("timelinejs-sheet", "sheet.csv", ()),
    ("csv", "table.csv", ()),
    ("icews", "icews-2018.tab", ()),
    ("icews", "icews.tab", ("--country", "Russia", "--any")),
    ("gdelt", "gdelt.export.CSV", ()),
    ("polecat", "polecat.tsv", ()),
]


@pytest.mark.parametrize(("fmt", "name", "extra"), FORMATS)
def test_each_import_format_writes_a_store_holding_what_its_file_holds(
    in_process, tmp_path, fmt, name, extra
):
    ran = in_process("import", fmt, DATA / name, *extra, "-o", tmp_path / "out.yaml")
    assert ran.returncode == 0, ran.stderr
    stored = in_process("import", fmt, DATA / name, *extra, "--store", tmp_path / "s")
    assert stored.returncode == 0, stored.stderr
    written = load_file(tmp_path / "out.yaml")
    assert f"to the store {tmp_path / 's'} (now {len(written.events):,} event" in stored.stderr
    back = store_io.read_store(tmp_path / "s")
    assert same_events(back, written)
    assert (back.title, back.description) == (written.title, written.description)
    assert check_store(tmp_path / "s").total == 0


@pytest.mark.parametrize(
    ("fmt", "name"), [("gdelt", "gdelt.export.CSV"), ("icews", "icews-2018.tab")]
)
def test_a_streamed_import_writes_chunks_as_parts(in_process, tmp_path, monkeypatch, fmt, name):
    whole = in_process("import", fmt, DATA / name, "--no-fold", "--store", tmp_path / "whole")
    assert whole.returncode == 0, whole.stderr
    monkeypatch.setattr(build, "CHUNK_EVENTS", 2)
    parted = in_process("import", fmt, DATA / name, "--no-fold", "--store", tmp_path / "parts")
    assert parted.returncode == 0, parted.stderr
    version = store_io.version_folder(tmp_path / "parts")
    assert len(store_io.part_names(version)) > 2
    a, b = store_io.read_store(tmp_path / "whole"), store_io.read_store(tmp_path / "parts")
    if fmt == "gdelt":  # no sentence coded from both sides: nothing crosses a chunk
        assert same_events(a, b)
    else:  # ICEWS: a sentence's other side in a later chunk is an event of its own
        assert set(a.events["id"]) <= set(b.events["id"])
    assert b.events["start"].is_monotonic_increasing
    assert check_store(tmp_path / "parts").total == 0


def test_folding_in_chunks_is_said(in_process, tmp_path, monkeypatch):
    monkeypatch.setattr(build, "CHUNK_EVENTS", 2)
    ran = in_process("import", "icews", DATA / "icews-2018.tab", "--store", tmp_path / "s")
    assert "(within each chunk of events written to the store)" in ran.stderr


# --- Appending: ids already there, kept or replaced --------------------------------------


def _retitled(tmp_path, title):
    text = EVENTS.read_text(encoding="utf-8")
    first = load_file(EVENTS).events.sort_values("id")["title"].iloc[0]
    path = tmp_path / f"{title}.yaml"
    path.write_text(text.replace(first, title, 1), encoding="utf-8")
    return path, first


@pytest.mark.parametrize(
    ("on_duplicate", "kept", "said"),
    [
        ("keep", "old", "kept the store's events (--on-duplicate keep)"),
        ("replace", "new", "replaced them by the imported ones (--on-duplicate replace)"),
    ],
)
def test_an_append_reports_ids_already_there_and_keeps_or_replaces(
    in_process, tmp_path, on_duplicate, kept, said
):
    old, _ = _retitled(tmp_path, "old")
    new, _ = _retitled(tmp_path, "new")
    store = tmp_path / "s"
    assert in_process("store", "put", old, "--store", store).returncode == 0
    assert in_process("store", "put", STATES, "--store", store).returncode == 0
    ran = in_process("store", "put", new, "--store", store, "--on-duplicate", on_duplicate)
    assert ran.returncode == 0, ran.stderr
    n = len(load_file(EVENTS).events)
    assert f"{n} events have ids the store holds already: 'raisi-moscow-2022-01'" in ran.stderr
    assert f"and {n - 5} more; {said}" in ran.stderr
    back = store_io.read_store(store)
    assert kept in set(back.events["title"]) and {"old", "new"} - {kept} - set(back.events["title"])
    assert len(back.events) == n + len(load_file(STATES).events)
    assert back.events["start"].is_monotonic_increasing
    assert check_store(store).total == 0


def test_an_append_keeps_old_parts_and_rewrites_only_those_replaced(in_process, tmp_path):
    store = tmp_path / "s"
    in_process("import", "icews", DATA / "icews.tab", "--store", store)
    in_process("import", "icews", DATA / "icews-2018.tab", "--store", store)
    before = store_io.version_folder(store)
    parts = {p: (before / "events" / p).stat().st_ino for p in store_io.part_names(before)}
    ran = in_process(
        "import", "icews", DATA / "icews.tab", "--store", store, "--on-duplicate", "replace"
    )
    assert "7 events have ids the store holds already: 'icews-1001'" in ran.stderr
    after = store_io.version_folder(store)
    inodes = {(after / "events" / p).stat().st_ino for p in store_io.part_names(after)}
    kept = [p for p, ino in parts.items() if ino in inodes]
    assert len(kept) == 1  # icews-2018.tab's part, hard-linked; icews.tab's part rewritten
    assert len(store_io.read_store(store).events) == 27


def test_import_options_of_a_store_alone_are_refused(in_process, tmp_path):
    both = in_process(
        "import", "icews", DATA / "icews.tab", "-o", tmp_path / "x", "--store", tmp_path / "s"
    )
    assert both.returncode == 2 and "not allowed with argument" in both.stderr
    alone = in_process("import", "icews", DATA / "icews.tab", "--on-duplicate", "replace")
    assert alone.returncode == 2 and "--on-duplicate is for --store only" in alone.stderr
    bad = in_process("store", "put", EVENTS, "--store", tmp_path / "s", "--on-duplicate", "merge")
    assert bad.returncode == 2 and "invalid choice: 'merge'" in bad.stderr


# --- Whole or not at all -------------------------------------------------------------------


@pytest.mark.parametrize("fail_at", [0, 1, 3])
@pytest.mark.parametrize("how", ["import", "put"])
def test_a_write_that_fails_midway_leaves_the_old_store_readable(
    in_process, tmp_path, monkeypatch, fail_at, how
):
    store = tmp_path / "s"
    assert in_process("store", "put", EVENTS, "--store", store).returncode == 0
    old = store_io.read_store(store)
    entries = sorted(p.name for p in store.iterdir())
    disk_full_after(monkeypatch, fail_at)
    monkeypatch.setattr(build, "CHUNK_EVENTS", 2)
    if how == "import":
        ran = in_process("import", "gdelt", DATA / "gdelt.export.CSV", "--store", store)
    else:
        ran = in_process("store", "put", STATES, "--store", store)
    assert ran.returncode == 2
    assert "No space left on device" in ran.stderr and "Traceback" not in ran.stderr
    assert same_events(store_io.read_store(store), old)
    assert sorted(p.name for p in store.iterdir()) == entries  # no half-written version left


# --- validate DIR ----------------------------------------------------------------------------


def _break_people(version):
    table = pq.read_table(version / "people.parquet")
    pq.write_table(table.slice(1), version / "people.parquet")


def _break_lanes(version):
    part = store_io.part_names(version)[0]
    table = pq.read_table(version / "lanes" / part)
    pq.write_table(table.slice(1), version / "lanes" / part)


def _break_meta(version):
    table = pq.read_table(version / "meta.parquet")
    pq.write_table(
        table.set_column(2, "version", pa.array([99], pa.int32())), version / "meta.parquet"
    )


def _break_column(version):
    part = store_io.part_names(version)[0]
    table = pq.read_table(version / "events" / part)
    pq.write_table(table.drop_columns(["kind"]), version / "events" / part)


def _break_kind(version):
    part = store_io.part_names(version)[0]
    table = pq.read_table(version / "events" / part)
    kinds = pa.array(["Not A Kind"] * table.num_rows)
    pq.write_table(
        table.set_column(table.column_names.index("kind"), "kind", kinds), version / "events" / part
    )


def _break_table(version):
    for part in (version / "words").iterdir():
        part.unlink()


def _break_current(version):
    (version.parent / "CURRENT").write_text("v-gone\n")


@pytest.mark.parametrize(
    ("damage", "code", "message"),
    [
        (_break_people, 1, "unknown person"),
        (_break_lanes, 1, "its lanes are not those its events are on"),
        (_break_table, 1, r"table words: its parts are not the events' parts \(missing "),
        (_break_column, 1, "table events (.*): missing kind"),
        (_break_kind, 1, r"event 'raisi-moscow-2022-01' \(.*\): kind: .*'Not A Kind'"),
        (_break_meta, 2, r"store version \[99\] is not one this code reads \(expected \[\d+\]\)"),
        (_break_current, 2, "CURRENT names 'v-gone', not a version folder of the store"),
    ],
)
def test_validate_reports_a_broken_store(in_process, tmp_path, damage, code, message):
    store = tmp_path / "s"
    in_process("store", "put", EVENTS, "--store", store)
    good = in_process("validate", store)
    assert good.returncode == 0 and not good.stderr
    assert (
        f"{store}: OK, an event store of 10 events, 6 people, 1 source, January 2022 to July 2022"
        in good.stdout
    )
    damage(store_io.version_folder(store))
    ran = in_process("validate", store)
    assert ran.returncode == code and "Traceback" not in ran.stderr
    import re

    assert re.search(message, ran.stderr), ran.stderr


def test_validate_names_a_folder_that_is_not_a_store(in_process, tmp_path):
    ran = in_process("validate", tmp_path, EVENTS)
    assert ran.returncode == 2
    assert (
        f"{tmp_path}: cannot read the file: it is a directory, not a regular file, and not an event store"
        in ran.stderr
    )
    assert "events.yaml: OK, 10 events" in ran.stdout  # the other files are still checked


# --- export FORMAT DIR ------------------------------------------------------------------------


@pytest.fixture
def stored(in_process, tmp_path):
    stores = {}
    for path in (EVENTS, STATES):
        stores[path] = tmp_path / path.stem
        assert in_process("store", "put", path, "--store", stores[path]).returncode == 0
    return stores


@pytest.mark.parametrize("fmt", ["csv", "json"])
@pytest.mark.parametrize("source", [EVENTS, STATES], ids=["events", "states"])
@pytest.mark.parametrize(
    "query", ["", "country=Iran", "kind=meeting&country=Russia", "q=drone", "from=2022-06-01"]
)
def test_export_of_a_store_is_the_files_export_byte_for_byte(
    in_process, stored, tmp_path, fmt, source, query
):
    from_file = in_process("export", fmt, source, "--query", query, "-o", tmp_path / "a")
    from_store = in_process("export", fmt, stored[source], "--query", query, "-o", tmp_path / "b")
    assert from_file.returncode == from_store.returncode == 0, from_store.stderr
    assert (tmp_path / "a").read_bytes() == (tmp_path / "b").read_bytes()
    assert (
        from_store.stderr.split(" events as ")[0].split(": wrote ")[1]
        == from_file.stderr.split(" events as ")[0].split(": wrote ")[1]
    )
    if fmt == "json":
        json.loads((tmp_path / "b").read_text(encoding="utf-8"))


def test_export_streams_in_batches_to_standard_output(in_process, stored, monkeypatch):
    monkeypatch.setattr(stream, "BATCH_ROWS", 3)
    ran = in_process("export", "json", stored[EVENTS])
    assert ran.returncode == 0
    assert len(json.loads(ran.stdout)) == 10


@pytest.mark.parametrize(
    ("fmt", "query", "code", "message"),
    [
        (
            "html",
            "",
            1,
            "the view holds 10 events, more than the 3 a static page is built from; narrow the view",
        ),
        (
            "timelinejs",
            "",
            1,
            "the view holds 10 events, more than the 3 TimelineJS JSON is built from",
        ),
        ("html", "country=United States", 0, "wrote 1 of 10 events as a static page"),
        ("timelinejs", "country=United States", 0, "wrote 1 of 10 events as TimelineJS JSON"),
        ("csv", "", 0, "wrote 10 of 10 events as CSV"),
    ],
)
def test_formats_built_in_memory_keep_a_limit(
    in_process, stored, tmp_path, monkeypatch, fmt, query, code, message
):
    monkeypatch.setattr(stream, "MAX_FETCHED_EVENTS", 3)
    ran = in_process("export", fmt, stored[EVENTS], "--query", query, "-o", tmp_path / "x")
    assert ran.returncode == code and message in ran.stderr, ran.stderr
    assert (tmp_path / "x").exists() == (code == 0)


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (
            ("--engine", "postgres"),
            {},
            "engine 'postgres' is not one the store runs on (expected one of duckdb, spark)",
        ),
        ((), {"TIMELINE_ENGINE": "oracle"}, "engine 'oracle' is not one the store runs on"),
    ],
)
def test_an_unknown_engine_is_named_with_the_choices(in_process, stored, args, env, message):
    ran = in_process("export", "csv", stored[EVENTS], *args, env=env)
    assert ran.returncode == 2 and message in ran.stderr and "Traceback" not in ran.stderr


def test_export_of_a_damaged_store_is_one_message(in_process, stored):
    _break_table(store_io.version_folder(stored[EVENTS]))
    ran = in_process("export", "csv", stored[EVENTS])
    assert ran.returncode == 2 and "Traceback" not in ran.stderr
    assert "the store cannot be read on duckdb: " in ran.stderr
    assert "(a table missing or damaged, or written by another version" in ran.stderr


def test_engine_is_for_a_store_only(in_process):
    ran = in_process("export", "csv", EVENTS, "--engine", "duckdb")
    assert ran.returncode == 2 and "--engine is for an event store's folder" in ran.stderr


@pytest.mark.slow
def test_spark_exports_what_duckdb_exports(in_process, stored, tmp_path):
    for engine in ("duckdb", "spark"):
        ran = in_process(
            "export",
            "csv",
            stored[EVENTS],
            "--query",
            "country=Iran",
            "--engine",
            engine,
            "-o",
            tmp_path / engine,
        )
        assert ran.returncode == 0, ran.stderr
    assert (tmp_path / "spark").read_bytes() == (tmp_path / "duckdb").read_bytes()


@pytest.mark.parametrize(("on_duplicate", "kept"), [("keep", "old"), ("replace", "new")])
def test_files_put_together_that_share_ids_are_one_write(in_process, tmp_path, on_duplicate, kept):
    old, first = _retitled(tmp_path, "old")
    new, _ = _retitled(tmp_path, "new")
    store = tmp_path / "s"
    ran = in_process("store", "put", old, new, "--store", store, "--on-duplicate", on_duplicate)
    assert ran.returncode == 0, ran.stderr
    assert "10 events with an id an earlier file has too: 'raisi-moscow-2022-01'" in ran.stderr
    back = store_io.read_store(store)
    assert len(back.events) == 10 and kept in set(back.events["title"])
    assert first not in set(back.events["title"])
    assert len(store_io.part_names(store_io.version_folder(store))) == 1  # one write


def test_a_bad_file_among_those_put_leaves_the_store_unchanged(in_process, tmp_path):
    store = tmp_path / "s"
    in_process("store", "put", STATES, "--store", store)
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: x\nevents: [{id: a}]\n", encoding="utf-8")
    ran = in_process("store", "put", EVENTS, bad, "--store", store)
    assert ran.returncode == 1 and "; the store is unchanged" in ran.stderr
    assert same_events(store_io.read_store(store), load_file(STATES))


@pytest.mark.parametrize(
    ("output", "code", "message"),
    [
        ("/dev/null", 0, "wrote 10 of 10 events as CSV to /dev/null"),
        ("/dev/full", 2, "/dev/full: cannot write the file: No space left on device"),
        ("{tmp}", 2, "cannot write the file: a streamed export goes to a regular file"),
    ],
)
def test_a_streamed_export_writes_where_the_shell_would(
    in_process, stored, tmp_path, output, code, message
):
    output = output.format(tmp=tmp_path)
    ran = in_process("export", "csv", stored[EVENTS], "-o", output)
    assert ran.returncode == code and message in ran.stderr and "Traceback" not in ran.stderr
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp file left


# --- An appended store answers as the files joined -------------------------------------------


@pytest.mark.parametrize("case", ["everything", "two states, any, state lanes", "one leader"])
def test_a_store_appended_in_parts_answers_as_the_files_joined(in_process, tmp_path, case):
    from test_store import CASES, assert_same

    from timeline.selection import View
    from timeline.store import query as Q
    from timeline.store.engine import connect
    from timeline.store.write import merge

    store = tmp_path / "s"
    synth = tmp_path / "synth.yaml"
    synth.write_text(in_process("synth", "--events", 40, "--seed", 3).stdout, encoding="utf-8")
    for path in (EVENTS, synth, STATES):
        assert in_process("store", "put", path, "--store", store).returncode == 0
    again = load_file(EVENTS)  # the same days again, under other ids: placed after the first
    events = again.events.assign(id=again.events["id"] + "-b")
    again = type(again)(again.title, None, again.people, again.sources, events)
    store_io.append_store(store, again)
    assert len(store_io.part_names(store_io.version_folder(store))) == 4
    assert check_store(store).total == 0
    joined = load_file(EVENTS)
    for data in (load_file(synth), load_file(STATES), again):
        joined = merge(joined, data, "keep").data
    view = View.of(joined, FilterState())
    state = CASES[case](view, joined)
    bound = Q.on_files(connect("duckdb"), store_io.table_paths(store))
    assert_same(bound, View.of(joined, state, view.index))


@pytest.mark.parametrize("how", ["import", "put"])
def test_a_folder_in_use_is_never_made_a_store(in_process, tmp_path, how):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    if how == "import":
        ran = in_process("import", "icews", DATA / "icews.tab", "--store", tmp_path)
    else:
        ran = in_process("store", "put", EVENTS, "--store", tmp_path)
    assert ran.returncode == 2 and "Traceback" not in ran.stderr
    assert f"{tmp_path}: a folder that holds other files and is not an event store" in ran.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
