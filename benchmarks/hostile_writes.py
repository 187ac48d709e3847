"""Benchmark: a planted cache entry, a real one, and writing an export, before and after.

    git archive 32a089b | (mkdir -p /tmp/before && tar -x -C /tmp/before)
    python benchmarks/hostile_writes.py --before /tmp/before [--after DIR] [--runs 3] [--events 20000]

To see one change's own cost, make --before the same commit as --after with only that
change's files taken back (the machine may compile every module in each process, so trees
of other sizes differ in start-up alone).

Each case is a whole process (`python -c`), the median wall time and the largest peak
resident memory of --runs runs, the trees' runs interleaved so that drift on a shared
machine hits both alike; compare the ratios within one run. Cases, for each tree:

- parse: load_cached with an empty cache (what reading the data file costs);
- hit: load_cached with the entry that parse wrote (what the bound check adds);
- planted: load_cached with a planted entry under the right name: 20 batches of one row
  with 100 MB of summary each, zstd-compressed (about 130 KB, 2 GB inflated), for the
  shipped events.yaml; the child is capped at --cap GB of address space, so a tree that
  inflates it fails with MemoryError ("failed") instead of taking the machine down;
- export: `export csv` of --events synthetic events to a regular file with -o.

Nothing here is asserted: the numbers go in the report (the tests check the bounds).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable

PLANT = """
import sys
import pyarrow as pa
from timeline import files
entry = files.Path(sys.argv[1])
legit = pa.ipc.open_file(pa.memory_map(str(entry))).read_all().slice(0, 1)
column = legit.schema.get_field_index("summary")
big = pa.array(["a" * 100_000_000], legit.schema.field("summary").type)
row = legit.set_column(column, "summary", big)
options = pa.ipc.IpcWriteOptions(compression="zstd")
with pa.OSFile(str(entry) + ".new", "wb") as sink:
    with pa.ipc.new_file(sink, row.schema, options=options) as writer:
        for _ in range(20):
            writer.write_table(row)
"""

LOAD = """
import resource, sys
cap = int(float(sys.argv[2]) * 1024**3)
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
from timeline import files
try:
    data = files.load_cached(sys.argv[1])
    print("ok", len(data.events))
except MemoryError:
    print("failed", 0)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

EXPORT = """
import resource, sys
from timeline.cli import main
main(["export", "csv", sys.argv[1], "-o", sys.argv[2]])
print("ok", 0)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def child(tree: Path, code: str, args: list[str], cache: Path) -> tuple[float, float, str]:
    """Run one whole process; return its wall time, its peak memory (MB) and its outcome."""
    env = {**os.environ, "PYTHONPATH": str(tree), "TIMELINE_CACHE_DIR": str(cache)}
    start = time.perf_counter()
    out = subprocess.run(
        [PY, "-c", code, *args], env=env, cwd=tree, capture_output=True, text=True, check=True
    )
    seconds = time.perf_counter() - start
    lines = out.stdout.split()
    return seconds, int(lines[-1]) / 1024, lines[-3]


def one_round(tree: Path, synthetic: Path, cap: float) -> dict[str, tuple[float, float, str]]:
    """Measure every case once for one tree, each in fresh cache folders."""
    got = {}
    data = tree / "events.yaml"
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"
        got["parse"] = child(tree, LOAD, [str(data), str(cap)], cache)
        got["hit"] = child(tree, LOAD, [str(data), str(cap)], cache)
        (entry,) = cache.glob("*.arrow")
        child(tree, PLANT + '\nprint("ok", 0)\nprint(0)', [str(entry)], cache)
        os.replace(f"{entry}.new", entry)
        got["planted"] = child(tree, LOAD, [str(data), str(cap)], cache)
        big_cache = Path(tmp) / "big"
        child(tree, LOAD, [str(synthetic), str(cap)], big_cache)  # writes its entry
        got["hit, synthetic"] = child(tree, LOAD, [str(synthetic), str(cap)], big_cache)
        got["export"] = child(tree, EXPORT, [str(synthetic), str(Path(tmp) / "out.csv")], cache)
    return got


def main() -> None:
    """Run the cases for this tree and --before, interleaved, and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="a checkout of the code before")
    parser.add_argument("--after", type=Path, default=ROOT, help="the code after (this tree)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--cap", type=float, default=5.0, help="GB of address space per child")
    args = parser.parse_args()
    trees = {
        "after": args.after.resolve(),
        **({"before": args.before.resolve()} if args.before else {}),
    }
    with tempfile.TemporaryDirectory() as tmp:
        synthetic = Path(tmp) / "synthetic.yaml"
        with synthetic.open("w") as out:
            subprocess.run(
                [PY, "-m", "timeline", "synth", "--events", str(args.events), "--seed", "1"],
                stdout=out, cwd=ROOT, check=True,
            )  # fmt: skip
        results: dict[str, dict[str, list[tuple[float, float, str]]]] = {t: {} for t in trees}
        for _ in range(args.runs):
            for name, tree in trees.items():
                for case, measured in one_round(tree, synthetic, args.cap).items():
                    results[name].setdefault(case, []).append(measured)
        size = synthetic.stat().st_size
    print(f"{args.runs} runs; synthetic file: {args.events:,} events, {size:,} bytes")
    print(f"{'case':<16} {'tree':<7} {'median s':>9} {'peak MB':>8}  outcome")
    for case in next(iter(results.values())):
        for name in trees:
            runs = results[name][case]
            seconds = statistics.median(r[0] for r in runs)
            peak = max(r[1] for r in runs)
            outcome = ",".join(sorted({r[2] for r in runs}))
            print(f"{case:<16} {name:<7} {seconds:>9.2f} {peak:>8.0f}  {outcome}")


if __name__ == "__main__":
    main()
