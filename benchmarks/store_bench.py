"""Benchmark the event store: build time against DuckDB's read_csv, and the page's queries.

    python benchmarks/store_bench.py --events 1000000 [--keep DIR] [--engine duckdb]

Generates ICEWS-shaped data (benchmarks/store_generate.py), builds a store from it (the
columns mapped in Arrow as an importer with --store would, then timeline.store), times
DuckDB's own read_csv of the same file, then the queries of the first page and of a few
views on the store through timeline.store.query, and the same filters on a copy of the
events partitioned by year instead of sorted by date. Prints a Markdown table.
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
from timeline.store.io import table_paths, write_store  # noqa: E402
from timeline.store.write import tables_of  # noqa: E402


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


def dataset_from_icews(path: Path) -> Dataset:
    """Read an ICEWS-shaped file into a dataset in Arrow, column by column (no row objects)."""
    table = pcsv.read_csv(
        path,
        parse_options=pcsv.ParseOptions(delimiter="\t", quote_char=False),
        convert_options=pcsv.ConvertOptions(
            column_types=dict.fromkeys(store_generate.HEADER, pa.string())
        ),
    )
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


def build(tab: Path, folder: Path) -> dict[str, float]:
    """Build a store from the file; time each stage and DuckDB's read_csv of the same file."""
    import duckdb

    out = {}
    start = time.perf_counter()
    data = dataset_from_icews(tab)
    out["read and map (Arrow)"] = time.perf_counter() - start
    mid = time.perf_counter()
    tables = tables_of(data)
    out["store tables (lanes, search)"] = time.perf_counter() - mid
    mid = time.perf_counter()
    write_store(folder, tables)
    out["write Parquet"] = time.perf_counter() - mid
    out["store build, total"] = time.perf_counter() - start
    con = duckdb.connect()
    start = time.perf_counter()
    con.execute(
        f"CREATE TABLE t AS SELECT * FROM read_csv('{tab}', delim='\t', header=true, quote='', all_varchar=true)"
    )
    out["DuckDB read_csv into a table"] = time.perf_counter() - start
    return out


STATES = [
    ("first page: count", "count", FilterState()),
    ("first page: leader lanes", "lanes", FilterState()),
    ("first page: density (leaders)", "density", FilterState()),
    ("first page: table page of 50", "page", FilterState()),
    ("two states: count", "count", FilterState(countries=("Iran", "Russia"), match="all")),
    (
        "two states: state lanes",
        "lanes",
        FilterState(countries=("Iran", "Russia"), match="all", lanes="country"),
    ),
    (
        "two states: markers (up to 1,000)",
        "markers",
        FilterState(countries=("Iran", "Russia"), match="all", lanes="country"),
    ),
    ("a kind: count", "count", FilterState(kinds=("agreement",))),
    (
        "a date range (one month): count",
        "count",
        FilterState(date_from=dt.date(2010, 3, 1), date_to=dt.date(2010, 3, 31)),
    ),
    (
        "matrix of states, two states",
        "matrix",
        FilterState(countries=("Iran", "Russia"), lanes="country"),
    ),
    ("matrix of states, every event", "matrix", FilterState(lanes="country")),
    ("tempo, two states", "tempo", FilterState(countries=("Iran", "Russia"), match="all")),
    ("search one word", "search", FilterState(q="negotiation")),
    ("details of one event", "details", FilterState()),
]


def queries(b: Q.Bound, runs: int) -> list[tuple[str, float, str]]:
    """Time each query of STATES on a bound store; return (name, median seconds, answer)."""
    rows = []
    for name, what, state in STATES:
        call = {
            "count": lambda s=state: Q.count(b, s),
            "lanes": lambda s=state: len(Q.lanes(b, s)),
            "density": lambda s=state: len(Q.density(b, s).counts),
            "page": lambda s=state: len(Q.page(b, s, 0, 50)),
            "markers": lambda s=state: Q.markers(b, s, 1000).total,
            "matrix": lambda s=state: int(Q.matrix(b, s).counts.sum()),
            "tempo": lambda s=state: int(Q.tempo(b, s).counts["events"].sum()),
            "search": lambda s=state: Q.search(b, s.q, 50)[0],
            "details": lambda: len(Q.details(b, "icews-1500000")),
        }[what]
        seconds, answer = timed(call, runs)
        rows.append((name, seconds, f"{answer:,}"))
    return rows


def layouts(folder: Path, runs: int) -> list[tuple[str, float, float]]:
    """Time two filters on the events sorted by date (row groups) and partitioned by year."""
    import ibis

    events = table_paths(folder)["events"]
    by_year = folder.parent / (folder.name + "-by-year")
    shutil.rmtree(by_year, ignore_errors=True)
    table = pds.dataset(events).to_table()
    table = table.append_column("year", pc.year(table.column("start")))
    pds.write_dataset(
        table, by_year, format="parquet", partitioning=["year"], partitioning_flavor="hive"
    )
    con = ibis.duckdb.connect()
    lanes = con.read_parquet(table_paths(folder)["lanes"])
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
    out.append(("(files: sorted / by year, MB)", Path(events).stat().st_size / 1e6, size / 1e6))
    return out


def main(argv: list[str] | None = None) -> int:
    """Generate, build, query; print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", help="folder to keep the generated file and store in")
    parser.add_argument("--engine", default="duckdb")
    args = parser.parse_args(argv)
    work = Path(args.keep or tempfile.mkdtemp(prefix="store-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    tab, folder = work / f"icews-{args.events}.tab", work / f"store-{args.events}"
    if not tab.exists():
        with open(tab, "w", encoding="utf-8", newline="") as out:
            store_generate.generate(args.events, out)
    print(
        f"{args.events:,} events; file {tab.stat().st_size / 1e6:,.0f} MB; {os.cpu_count()} cores\n"
    )
    built = build(tab, folder)
    print("| build step | seconds |\n| --- | ---: |")
    for name, seconds in built.items():
        print(f"| {name} | {seconds:.1f} |")
    mb = tab.stat().st_size / 1e6
    print(
        f"\nthroughput: store {mb / built['store build, total']:.1f} MB/s, DuckDB read_csv {mb / built['DuckDB read_csv into a table']:.1f} MB/s\n"
    )
    con = connect(args.engine)
    start = time.perf_counter()
    b = Q.on_files(con, table_paths(folder))
    print(f"open the store ({args.engine}): {time.perf_counter() - start:.2f} s\n")
    print(
        f"| query ({args.engine}, median of {args.runs}) | seconds | answer |\n| --- | ---: | ---: |"
    )
    for name, seconds, answer in queries(b, args.runs):
        print(f"| {name} | {seconds:.2f} | {answer} |", flush=True)
    print(
        "\n| layout (DuckDB) | sorted by date, row groups | partitioned by year |\n| --- | ---: | ---: |"
    )
    for name, s, p in layouts(folder, args.runs):
        print(f"| {name} | {s:.2f} | {p:.2f} |")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
