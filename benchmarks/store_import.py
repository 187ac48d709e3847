"""Benchmark `import icews FILE --store DIR` against DuckDB's own read_csv of the same file.

    python benchmarks/store_import.py --events 1000000 [--runs 3] [--keep FILE]

Generates ICEWS-shaped rows (benchmarks/store_generate.py), then times, each as a whole
process (interpreter start and imports included) and as the median of `--runs` runs:

- `python -m timeline import icews FILE --store DIR` into a new store, its peak resident
  memory (from /usr/bin/time) and the share spent writing the store (the same command
  once more in this process, StoreWriter's add_events and commit timed);
- DuckDB reading the same file into a table (`read_csv`, tab-separated, every column as
  text, as benchmarks/store_bench.py times it), in a process of its own.

    python benchmarks/store_import.py --export DIR [DIR ...] [--runs 3]

times `export csv DIR -o /dev/null` and `export json` of whole stores instead (each a
whole process, its peak memory: flat when the rows stream whatever their number).

`--rows` times the row-by-row importer instead of the columnar one (importers/icews_columns.py,
the default for a plain .tab file): TIMELINE_ICEWS_COLUMNS=0.

Prints a Markdown table. Timings only: never a pass/fail test.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
DUCKDB = (
    'import duckdb, sys; duckdb.connect().execute("CREATE TABLE t AS SELECT * FROM '
    "read_csv('\" + sys.argv[1] + \"', delim='\\t', header=true, quote='', all_varchar=true)\")"
)


def _timed(args: list[str]) -> tuple[float, int]:
    """Run a command; return its wall time and peak resident memory in MB."""
    start = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-v", *args], capture_output=True, text=True, env=ENV)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{args[:4]} failed:\n{done.stderr[-2000:]}")
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    return seconds, int(peak.group(1)) // 1024 if peak else -1


def _store_share(tab: Path, folder: Path) -> tuple[float, float]:
    """Return the seconds of one import in process, and of those spent writing the store
    (StoreWriter's add_events, add, add_source_rows and commit, timed around each call)."""
    sys.path.insert(0, str(ROOT))
    from timeline.cli import main
    from timeline.store.build import StoreWriter

    spent = [0.0]
    depth = [0]  # add_events calls add: timed once, at the outer call

    def timed(method):  # type: ignore[no-untyped-def]
        def run(*args, **kwargs):  # type: ignore[no-untyped-def]
            start = time.perf_counter()
            depth[0] += 1
            try:
                return method(*args, **kwargs)
            finally:
                depth[0] -= 1
                if not depth[0]:
                    spent[0] += time.perf_counter() - start

        return run

    StoreWriter.add_events = timed(StoreWriter.add_events)  # type: ignore[method-assign]
    StoreWriter.add = timed(StoreWriter.add)  # type: ignore[method-assign]
    StoreWriter.add_source_rows = timed(StoreWriter.add_source_rows)  # type: ignore[method-assign]
    StoreWriter.commit = timed(StoreWriter.commit)  # type: ignore[method-assign]
    shutil.rmtree(folder, ignore_errors=True)
    start = time.perf_counter()
    main(["import", "icews", str(tab), "--store", str(folder)])
    return time.perf_counter() - start, spent[0]


def exports(stores: list[Path], runs: int) -> None:
    """Time CSV and JSON exports of whole stores, and their peak memory."""
    print("| store | events | format | time | rows/s | peak memory |\n|---|---|---|---|---|---|")
    for store in stores:
        found = subprocess.run(
            [sys.executable, "-m", "timeline", "export", "csv", str(store), "-o", "/dev/null"],
            capture_output=True, text=True, env=ENV,
        )  # fmt: skip
        events = int(re.search(r"wrote ([\d,]+) of", found.stderr).group(1).replace(",", ""))
        for fmt in ("csv", "json"):
            args = [sys.executable, "-m", "timeline", "export", fmt, str(store), "-o", "/dev/null"]
            done = [_timed(args) for _ in range(runs)]
            seconds = statistics.median(s for s, _ in done)
            peak = max(m for _, m in done)
            print(f"| {store.name} | {events:,} | {fmt} | {seconds:.1f} s | "
                  f"{events / seconds:,.0f} | {peak:,} MB |")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    """Generate the data, time both, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="reuse (or keep) the generated file here")
    parser.add_argument("--duckdb-runs", type=int, help="runs of DuckDB (else --runs)")
    parser.add_argument("--no-share", action="store_true", help="skip the in-process run")
    parser.add_argument("--rows", action="store_true", help="the row-by-row importer")
    parser.add_argument("--export", type=Path, nargs="+", help="time exports of these stores")
    args = parser.parse_args(argv)
    if args.rows:
        ENV["TIMELINE_ICEWS_COLUMNS"] = "0"
        os.environ["TIMELINE_ICEWS_COLUMNS"] = "0"
    if args.export:
        exports(args.export, args.runs)
        return 0
    work = Path(tempfile.mkdtemp(prefix="store-import-"))
    tab = args.keep or work / "icews.tab"
    if not tab.exists():
        subprocess.run(
            [sys.executable, str(ROOT / "benchmarks" / "store_generate.py"), str(args.events),
             str(tab)], check=True,
        )  # fmt: skip
    mb = tab.stat().st_size / 1024**2
    imports, duck = [], []
    for _ in range(args.runs):
        folder = work / "store"
        shutil.rmtree(folder, ignore_errors=True)
        imports.append(_timed([sys.executable, "-m", "timeline", "import", "icews", str(tab),
                               "--store", str(folder)]))  # fmt: skip
        print(f"import run: {imports[-1][0]:.1f} s, {imports[-1][1]:,} MB", flush=True)
    for _ in range(args.duckdb_runs or args.runs):
        duck.append(_timed([sys.executable, "-c", DUCKDB, str(tab)]))
        print(f"DuckDB run: {duck[-1][0]:.1f} s, {duck[-1][1]:,} MB", flush=True)
    total, writing = (0.0, 0.0) if args.no_share else _store_share(tab, work / "store")
    ours = statistics.median(s for s, _ in imports)
    theirs = statistics.median(s for s, _ in duck)
    print(f"\n{args.events:,} ICEWS-shaped rows, {mb:,.0f} MB, medians of {args.runs} runs "
          f"(DuckDB: {len(duck)}), each a whole process\n")  # fmt: skip
    print("| step | time | rows/s | MB/s | peak memory |\n|---|---|---|---|---|")
    for name, runs, seconds in (
        ("`import icews FILE --store DIR`", imports, ours),
        ("DuckDB `read_csv` into a table", duck, theirs),
    ):
        peak = max(m for _, m in runs)
        print(f"| {name} | {seconds:.1f} s | {args.events / seconds:,.0f} | {mb / seconds:.1f} "
              f"| {peak:,} MB |")  # fmt: skip
    print(f"\nimport / DuckDB throughput: {theirs / ours:.3f} (goal: at least 0.5)")
    if total:
        print(
            f"of one import in process ({total:.1f} s), writing the store took {writing:.1f} s "
            f"({writing / total:.0%}); the rest is reading and mapping the rows"
        )
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
