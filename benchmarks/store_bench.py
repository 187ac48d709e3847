"""Benchmark the event store: build time against DuckDB's read_csv, and the page's queries.

    python benchmarks/store_bench.py --events 1000000 [--keep DIR] [--no-build] [--layouts]

Generates ICEWS-shaped data (benchmarks/store_generate.py) unless DIR holds it, builds a
store from it a chunk at a time (the columns mapped in Arrow as an importer would, then
write.tables_of per part and write.finish's summaries over all parts), times DuckDB's own
read_csv of the same file, then, each in a fresh process (a restart): the first page
(open, count, lanes, density) three times, and every view (count, lanes, markers up to
the chart's limit), matrix and lookup, with the peak memory of each process. --layouts
also compares the events sorted by date with a copy partitioned by year. Prints Markdown
tables and the load average beside each: the machine is shared.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pyarrow.dataset as pds
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import store_generate  # noqa: E402

from timeline.frame import Dataset, build_frame, event_type  # noqa: E402
from timeline.importers.icews import CAMEO_KINDS  # noqa: E402
from timeline.schema import Person, Source  # noqa: E402
from timeline.state import FilterState  # noqa: E402
from timeline.store import query as Q  # noqa: E402
from timeline.store.engine import connect  # noqa: E402
from timeline.store.io import ROW_GROUP_ROWS  # noqa: E402
from timeline.store.query import SMALL  # noqa: E402
from timeline.store.write import SUMMARIES, finish, tables_of  # noqa: E402


def _slug(names: pa.Array) -> pa.Array:
    return pc.replace_substring_regex(pc.utf8_lower(names), r"[^a-z0-9]+", "-")


def _kinds(codes: pa.Array) -> pa.Array:
    """Return each CAMEO code's kind: the longest listed prefix, as the ICEWS importer does."""
    three = [k for k in CAMEO_KINDS if len(k) == 3]
    two = [k for k in CAMEO_KINDS if len(k) == 2]
    by3 = pc.take(
        pa.array([CAMEO_KINDS[k] for k in three]),
        pc.index_in(pc.utf8_slice_codeunits(codes, 0, 3), pa.array(three)),
    )
    by2 = pc.take(
        pa.array([CAMEO_KINDS[k] for k in two]),
        pc.index_in(pc.utf8_slice_codeunits(codes, 0, 2), pa.array(two)),
    )
    return pc.coalesce(by3, by2)


def _is_person(name: pa.Array, sectors: pa.Array, country: pa.Array) -> np.ndarray:
    return (
        pc.and_(pc.not_equal(name, country), pc.invert(pc.match_substring(name, "(")))
    ).to_numpy(zero_copy_only=False)


def _pair_list(a: pa.Array, keep_a: np.ndarray, b: pa.Array, keep_b: np.ndarray) -> pa.ListArray:
    """Return per row a list of a (where kept) then b (where kept)."""
    n = len(a)
    both = pa.concat_arrays([a, b])
    index = np.stack([np.arange(n), np.arange(n) + n], axis=1).ravel()
    keep = np.stack([keep_a, keep_b], axis=1).ravel()
    offsets = np.concatenate([[0], np.cumsum(keep_a.astype(np.int32) + keep_b.astype(np.int32))])
    return pa.ListArray.from_arrays(
        pa.array(offsets, pa.int32()), pc.take(both, pa.array(index[keep]))
    )


PARSE = pcsv.ParseOptions(delimiter="\t", quote_char=False)
CONVERT = pcsv.ConvertOptions(column_types=dict.fromkeys(store_generate.HEADER, pa.string()))


def dataset_from_icews(path: Path) -> Dataset:
    """Read an ICEWS-shaped file into a dataset in Arrow, column by column (no row objects)."""
    return dataset_of_rows(pcsv.read_csv(path, parse_options=PARSE, convert_options=CONVERT))


def dataset_of_rows(table: pa.Table) -> Dataset:
    """Map ICEWS-shaped rows (an Arrow table of strings) to a dataset, in Arrow."""
    c = {name: table.column(name).combine_chunks() for name in table.column_names}
    src_p = _is_person(c["Source Name"], c["Source Sectors"], c["Source Country"])
    tgt_p = _is_person(c["Target Name"], c["Target Sectors"], c["Target Country"])
    leaders = _pair_list(_slug(c["Source Name"]), src_p, _slug(c["Target Name"]), tgt_p)
    countries = _pair_list(
        c["Source Country"],
        np.ones(len(table), bool),
        c["Target Country"],
        np.ones(len(table), bool),
    )
    join = pc.binary_join_element_wise
    fields = {
        "id": join("icews", c["Event ID"], "-"),
        "title": join(c["Source Name"], c["Event Text"], c["Target Name"], " - "),
        "date": c["Event Date"],
        "kind": _kinds(c["CAMEO Code"]),
        "place": join(c["City"], c["Country"], ", "),
        "leaders": leaders,
        "summary": join(
            c["Source Name"], pc.utf8_lower(c["Event Text"]), "with", c["Target Name"], " "
        ),
        "countries": countries,
        "sources": pa.ListArray.from_arrays(
            pa.array(np.arange(len(table) + 1, dtype=np.int32)), _slug(c["Publisher"])
        ),
    }
    kinds = event_type()
    arrays = [fields[f.name] if f.name in fields else pa.nulls(len(table), f.type) for f in kinds]
    events = pa.StructArray.from_arrays(arrays, fields=list(kinds))
    people = {}
    for side in ("Source", "Target"):
        names = c[f"{side} Name"].filter(pa.array(src_p if side == "Source" else tgt_p))
        found = (
            pa.table(
                {
                    "n": names,
                    "c": c[f"{side} Country"].filter(
                        pa.array(src_p if side == "Source" else tgt_p)
                    ),
                }
            )
            .group_by(["n", "c"])
            .aggregate([])
        )
        for name, country in zip(
            found.column("n").to_pylist(), found.column("c").to_pylist(), strict=True
        ):
            people.setdefault(
                re.sub(r"[^a-z0-9]+", "-", name.lower()), Person(name=name, country=country)
            )
    sources = {
        re.sub(r"[^a-z0-9]+", "-", p.lower()): Source(title=p, publisher=p, date="2023")
        for p in store_generate.PUBLISHERS
    }
    return Dataset("ICEWS-shaped", None, people, sources, build_frame(events), ())


def timed(fn, runs: int = 3):
    """Return the median seconds of `runs` calls and the last result."""
    times, out = [], None
    for _ in range(runs):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def chunks(tab: Path, rows: int):
    """Yield the file's rows as Arrow tables of about `rows` rows, streamed."""
    reader = pcsv.open_csv(
        tab,
        read_options=pcsv.ReadOptions(block_size=1 << 26),
        parse_options=PARSE,
        convert_options=CONVERT,
    )
    held, size = [], 0
    for batch in reader:
        held.append(batch)
        size += len(batch)
        if size >= rows:
            yield pa.Table.from_batches(held)
            held, size = [], 0
    if held:
        yield pa.Table.from_batches(held)


def _write(path: Path, table: pa.Table) -> None:
    pq.write_table(
        table, path, row_group_size=ROW_GROUP_ROWS, compression="zstd", write_statistics=True
    )


def build(tab: Path, folder: Path, chunk: int) -> tuple[dict[str, float], dict[str, str]]:
    """Build a store from the file a chunk at a time (parts, then write.finish's summaries);
    time each stage, and DuckDB's read_csv of the same file. Return the times and paths."""
    import duckdb

    shutil.rmtree(folder, ignore_errors=True)
    for name in PARTED:
        (folder / name).mkdir(parents=True)
    out = dict.fromkeys(
        ("read and map (Arrow)", "store tables (lanes, search, words)", "write Parquet"), 0.0
    )
    people, sources, first_seq, part = {}, {}, 0, 0
    start = time.perf_counter()
    mid = start
    for rows in chunks(tab, chunk):
        data = dataset_of_rows(rows)
        now = time.perf_counter()
        out["read and map (Arrow)"] += now - mid
        tables = tables_of(data, first_seq, summarised=False)
        mid = time.perf_counter()
        out["store tables (lanes, search, words)"] += mid - now
        for name in PARTED:
            _write(folder / name / f"part-{part:05}.parquet", getattr(tables, name))
        people.update(data.people)
        sources.update(data.sources)
        first_seq, part = first_seq + len(data.events), part + 1
        now = time.perf_counter()
        out["write Parquet"] += now - mid
        mid = now
    paths = {n: str(folder / n / "*.parquet") for n in PARTED}
    summary = finish(paths)
    out["summaries (write.finish: cells, meets, vocab)"] = time.perf_counter() - mid
    small = tables_of(Dataset("ICEWS-shaped", None, people, sources, data.events.iloc[:0], ()))
    for name in ("meta", "people", "sources", "periods"):
        _write(folder / f"{name}.parquet", getattr(small, name))
    for name, table in summary.items():
        _write(folder / f"{name}.parquet", table)
    out["store build, total"] = time.perf_counter() - start
    paths.update({n: str(folder / f"{n}.parquet") for n in (*SMALL, *SUMMARIES)})
    con = duckdb.connect()
    start = time.perf_counter()
    con.execute(
        f"CREATE TABLE t AS SELECT * FROM read_csv('{tab}', delim='\t', header=true, quote='', all_varchar=true)"
    )
    out["DuckDB read_csv into a table"] = time.perf_counter() - start
    con.close()
    return out, paths


IRAN_RUSSIA = FilterState(countries=("Iran", "Russia"), match="all", lanes="country")
A_KIND = FilterState(kinds=("agreement",))
A_MONTH = FilterState(date_from=dt.date(2010, 3, 1), date_to=dt.date(2010, 3, 31))
A_YEAR = FilterState(date_from=dt.date(2010, 1, 1), date_to=dt.date(2010, 12, 31))
# A view as the page asks for it: the count, the lanes, the markers up to the chart's limit.
VIEWS = [
    ("two states (Iran and Russia, all), state lanes", IRAN_RUSSIA),
    ("two states, leader lanes", FilterState(countries=("Iran", "Russia"), match="all")),
    ("a kind (agreement)", A_KIND),
    ("a date range (one month)", A_MONTH),
    ("a date range (one year)", A_YEAR),
    ("a search word (negotiation)", FilterState(q="negotiation")),
]
MATRICES = [
    ("matrix of states, every event", FilterState(lanes="country"), None),
    ("matrix of states, a kind", FilterState(lanes="country", kinds=("agreement",)), None),
    (
        "matrix of states, two states",
        FilterState(countries=("Iran", "Russia"), lanes="country"),
        None,
    ),
    (
        "matrix of states, a month",
        FilterState(lanes="country", date_from=A_MONTH.date_from, date_to=A_MONTH.date_to),
        None,
    ),
    ("matrix of leaders, every event, 40 drawn", FilterState(), 40),
]
MAX_MARKERS = 1000  # figures.density.MAX_MARKERS: the chart's limit
PARTED = ("events", "lanes", "words")  # the tables of rows of events: one file per part


def _fresh(b: Q.Bound) -> None:
    """Forget what the bound store remembered, so each run computes its view anew."""
    for value in b.memo.values():
        if hasattr(value, "release"):
            value.release()
    b.memo.clear()


def queries(b: Q.Bound, runs: int) -> list[tuple[str, float, str]]:
    """Time each view, matrix and lookup on a bound store; (name, median seconds, answer)."""

    def view(state):
        _fresh(b)
        n, lanes = Q.count(b, state), Q.lanes(b, state)
        Q.markers(b, state, MAX_MARKERS)
        return f"{n:,} events, {len(lanes):,} lanes"

    def density(state):
        _fresh(b)
        return f"{len(Q.density(b, state).counts):,} cells"

    def matrix(state, drawn):
        _fresh(b)
        m = Q.matrix(b, state, drawn=drawn)
        return f"{len(m.lanes)} lanes, {len(m.examples):,} pairs with examples"

    def search():
        _fresh(b)
        n, rows = Q.search(b, "negotiation", 50)
        return f"{n:,} events, page of {len(rows)}"

    def search2():
        _fresh(b)
        n, rows = Q.search(b, "iran consult", 50)
        return f"{n:,} events, page of {len(rows)}"

    calls = [(f"view: {name}", lambda s=state: view(s)) for name, state in VIEWS]
    calls += [
        ("density: two states (state lanes)", lambda: density(IRAN_RUSSIA)),
        ("density: a kind (leaders)", lambda: density(A_KIND)),
        ("density: a month (leaders)", lambda: density(A_MONTH)),
    ]
    calls += [(name, lambda s=s, d=d: matrix(s, d)) for name, s, d in MATRICES]
    calls += [
        ("search one word: count and first 50", search),
        ("search two words (iran consult): count and first 50", lambda: search2()),
        ("table page 1,000 of a kind (50 rows)", lambda: len(Q.page(b, A_KIND, 50_000, 50))),
        ("tempo, two states", lambda: int(Q.tempo(b, IRAN_RUSSIA).counts["events"].sum())),
        ("details of one event", lambda: len(Q.details(b, "icews-1500000"))),
    ]
    rows = []
    for name, call in calls:
        seconds, answer = timed(call, runs)
        rows.append((name, seconds, str(answer)))
        print(f"| {name} | {seconds:.2f} | {answer} |", flush=True)
    return rows


def first_page(paths: dict[str, str], engine: str) -> dict[str, float]:
    """Open the store and answer the first page (count, lanes, density): one fresh process."""
    start = time.perf_counter()
    b = Q.on_files(connect(engine), paths)
    opened = time.perf_counter()
    state = FilterState()
    Q.count(b, state)
    Q.lanes(b, state)
    Q.density(b, state)
    done = time.perf_counter()
    return {
        "open": opened - start,
        "count, lanes, density": done - opened,
        "first page": done - start,
    }


def _rss_mb() -> float:
    """Return this process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited
    from the parent that started it)."""
    with open("/proc/self/status", encoding="ascii") as f:
        line = next(x for x in f if x.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def _child(mode: str, paths: dict[str, str], args) -> dict:
    """Run one mode of this script in a fresh process (a restart); return what it printed."""
    import json
    import subprocess

    began = time.perf_counter()
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--paths", json.dumps(paths),
         "--runs", str(args.runs), "--engine", args.engine],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    found = json.loads(out.stdout.strip().splitlines()[-1])
    found["process"] = time.perf_counter() - began
    if mode == "queries":
        print("\n".join(out.stdout.strip().splitlines()[:-1]))
    return found


def layouts(paths: dict[str, str], runs: int) -> list[tuple[str, float, float]]:
    """Time two filters on the events sorted by date (row groups) and partitioned by year."""
    import ibis

    events = paths["events"]
    by_year = Path(events).parent.parent / "events-by-year"
    shutil.rmtree(by_year, ignore_errors=True)
    table = pds.dataset(str(Path(events).parent)).to_table()
    table = table.append_column("year", pc.year(table.column("start")))
    pds.write_dataset(
        table, by_year, format="parquet", partitioning=["year"], partitioning_flavor="hive"
    )
    con = ibis.duckdb.connect()
    lanes = con.read_parquet(paths["lanes"])
    sorted_ = con.read_parquet(events)
    parted = con.read_parquet(f"{by_year}/**/*.parquet", hive_partitioning=True)
    day0, day1 = dt.date(2010, 3, 1), dt.date(2010, 3, 31)
    pair = lanes.filter(lanes.lane == "country", lanes.key.isin(["Iran", "Russia"]))
    pair = pair.group_by("seq").aggregate(n=pair.count()).filter(lambda t: t.n == 2)
    out = []
    for name, fn in [
        (
            "a month: count",
            lambda t, y: t.filter(t["last"] >= day0, t.start <= day1, *y).count().execute(),
        ),
        (
            "a month: its rows",
            lambda t, y: len(t.filter(t["last"] >= day0, t.start <= day1, *y).to_pyarrow()),
        ),
        ("two states: their rows", lambda t, y: len(t.filter(t.seq.isin(pair.seq)).to_pyarrow())),
    ]:
        year = [parted.year == 2010] if "month" in name else []
        s, _ = timed(lambda fn=fn: fn(sorted_, []), runs)
        p, _ = timed(lambda fn=fn, year=year: fn(parted, year), runs)
        out.append((name, s, p))
    size = sum(f.stat().st_size for f in by_year.rglob("*.parquet"))
    shutil.rmtree(by_year, ignore_errors=True)
    sorted_mb = sum(p.stat().st_size for p in Path(events).parent.glob("*.parquet"))
    out.append(("(files: sorted / by year, MB)", sorted_mb / 1e6, size / 1e6))
    return out


def child(mode: str, paths: dict[str, str], runs: int, engine: str) -> int:
    """One measurement in this fresh process; its last line is JSON."""
    import json

    if mode == "first-page":
        found = first_page(paths, engine)
    else:
        b = Q.on_files(connect(engine), paths)
        queries(b, runs)
        found = {}
    found["peak_rss_mb"] = _rss_mb()
    print(json.dumps(found))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Generate, build, query; print the tables."""
    import json

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", help="folder to keep the generated file and store in")
    parser.add_argument("--engine", default="duckdb")
    parser.add_argument("--chunk", type=int, default=1_000_000, help="events per part")
    parser.add_argument("--no-build", action="store_true", help="query the kept store")
    parser.add_argument("--layouts", action="store_true", help="also compare two layouts")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--paths", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child, json.loads(args.paths), args.runs, args.engine)
    work = Path(args.keep or tempfile.mkdtemp(prefix="store-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    tab, folder = work / f"icews-{args.events}.tab", work / f"store-{args.events}"
    if not tab.exists():
        with open(tab, "w", encoding="utf-8", newline="") as out:
            store_generate.generate(args.events, out)
    mb = tab.stat().st_size / 1e6
    print(f"{args.events:,} events; file {mb:,.0f} MB; {os.cpu_count()} cores\n")
    if args.no_build:
        paths = {n: str(folder / n / "*.parquet") for n in PARTED}
        paths.update({n: str(folder / f"{n}.parquet") for n in (*SMALL, *SUMMARIES)})
    else:
        print(f"load average before the build: {_load()}")
        built, paths = build(tab, folder, args.chunk)
        print("| build step | seconds |\n| --- | ---: |")
        for name, seconds in built.items():
            print(f"| {name} | {seconds:.1f} |")
        store, duck = mb / built["store build, total"], mb / built["DuckDB read_csv into a table"]
        print(f"\nthroughput: store {store:.1f} MB/s, DuckDB read_csv {duck:.1f} MB/s: "
              f"{store / duck:.2f} of DuckDB's\n")  # fmt: skip
    size = sum(f.stat().st_size for f in folder.rglob("*.parquet")) / 1e6
    print(f"store on disk: {size:,.0f} MB\n")
    print(f"load average before the first pages: {_load()}")
    pages = [_child("first-page", paths, args) for _ in range(args.runs)]
    print("| first page after a restart (fresh process) | median seconds |\n| --- | ---: |")
    for key in ("open", "count, lanes, density", "first page", "process", "peak_rss_mb"):
        value = statistics.median(p[key] for p in pages)
        print(f"| {key} | {value:.2f} |")
    print(f"\nload average before the queries: {_load()}")
    print(
        f"| query ({args.engine}, median of {args.runs}) | seconds | answer |\n| --- | ---: | ---: |"
    )
    done = _child("queries", paths, args)
    print(f"| peak memory of the query process | {done['peak_rss_mb']:,.0f} MB | |")
    print(f"load average after: {_load()}")
    if args.layouts:
        print(
            "\n| layout (DuckDB) | sorted by date, row groups | partitioned by year |\n| --- | ---: | ---: |"
        )
        for name, s, p in layouts(paths, args.runs):
            print(f"| {name} | {s:.2f} | {p:.2f} |")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _load() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


if __name__ == "__main__":
    sys.exit(main())
