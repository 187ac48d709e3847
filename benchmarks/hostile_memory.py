"""Benchmark: peak memory, time and bytes sent or written for files that reference a lot.

    python benchmarks/hostile_memory.py [--runs 3] [--root DIR] [--cases amplified ...]

Each measurement is a whole process (the page through AppTest, an export through
`main(argv)`) under a 4 GB address-space cap, the median time and the largest peak of
--runs runs. --root runs another copy of the code (say `git archive` of an older commit)
on the same files, to compare before and after in one run; the machine is shared, so
compare the ratios within one run rather than seconds across runs. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # the tests' generators write the files

from test_hostile_memory import SENT_SIZES, amplified, wide  # noqa: E402

from timeline.synth import synth_lines  # noqa: E402

CAP = 4 * 1024**3

FILES: dict[str, Callable[[], str]] = {
    # The 582 KB file, and its 782 KB one (3,000 events).
    "amplified": amplified,
    "amplified-3000": lambda: amplified(events=3_000),
    # 20 people with names of a million characters, 1,000 events naming all of them.
    "long-names": lambda: amplified(name=1_000_000, events=1_000),
    "wide": wide,
    # An ordinary large file: what the bounds must not slow down.
    "synthetic-100k": lambda: "\n".join(synth_lines(100_000)) + "\n",
}

PAGE = (
    """
import os
from streamlit.testing.v1 import AppTest
os.environ["TIMELINE_EVENTS"] = sys.argv[1]
at = AppTest.from_file(os.path.join(sys.argv[2], "app.py"), default_timeout=900)
for pair in sys.argv[3:]:
    key, value = pair.split("=", 1)
    at.query_params[key] = value
at.run()
"""
    + SENT_SIZES
    + """out = {"ok": not at.exception, "largest": max(sizes), "bytes": sum(sizes),
       "error": " ".join(str(e.message) for e in at.exception)[:200]}
"""
)

EXPORT = """
from timeline.cli import main
code = main(["export", sys.argv[3], sys.argv[1], "-o", sys.argv[4]])
out = {"ok": code == 0, "code": code,
       "bytes": os.path.getsize(sys.argv[4]) if os.path.exists(sys.argv[4]) else 0}
"""

PRELUDE = f"""
import json, os, resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({CAP}, {CAP}))
sys.path.insert(0, os.environ["BENCH_ROOT"])
"""
CODA = """
out["peak"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print("RESULT " + json.dumps(out))
"""

# What to run on each file: the page as it opens, the page on half a year, and exports.
RUNS: dict[str, tuple[str, list[str]]] = {
    "page": (PAGE, []),
    "page, half a year": (PAGE, ["from=2022-01-01", "to=2022-06-15"]),
    "export csv": (EXPORT, ["csv"]),
    "export json": (EXPORT, ["json"]),
    "export html": (EXPORT, ["html"]),
}
PLAN = {
    "amplified": list(RUNS),
    "amplified-3000": ["page", "export csv"],
    "long-names": ["page", "export csv", "export html"],
    "wide": ["page", "export csv", "export html"],
    "synthetic-100k": ["page", "export csv", "export json", "export html"],
}


def once(root: Path, code: str, args: list[str], env: dict[str, str]) -> dict:
    """Run one measurement in a fresh process; its wall time, peak and bytes."""
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", PRELUDE + code + CODA, *args],
        capture_output=True, text=True, cwd=root, timeout=1800,
        env={**env, "PYTHONPATH": str(root), "BENCH_ROOT": str(root)},
    )  # fmt: skip
    seconds = time.perf_counter() - start
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return {**json.loads(line[7:]), "seconds": seconds}
    last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
    return {"ok": False, "error": last[:200], "seconds": seconds, "peak": None, "bytes": None}


def measure(root: Path, name: str, path: Path, run: str, runs: int, work: Path, env: dict) -> dict:
    """Return the median time, the largest peak and the bytes of `runs` runs."""
    code, extra = RUNS[run]
    results = []
    for k in range(runs):
        if code is PAGE:
            args = [str(path), str(root), *extra]
        else:  # FILE ROOT FORMAT OUTPUT
            args = [str(path), str(root), extra[0], str(work / f"{name}-{k}.{extra[0]}")]
        # A cache of its own each run: every run parses the file, as a first viewer does.
        env = {**env, "TIMELINE_CACHE_DIR": tempfile.mkdtemp(dir=work)}
        results.append(once(root, code, args, env))
    peaks = [r["peak"] for r in results if r.get("peak") is not None]
    return {
        "ok": all(r["ok"] for r in results),
        "seconds": statistics.median(r["seconds"] for r in results),
        "peak": max(peaks) if peaks else None,
        "bytes": results[-1].get("bytes"),
        "largest": results[-1].get("largest"),
        "error": next((r.get("error") for r in results if r.get("error")), ""),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--root", type=Path, action="append", help="code to measure (repeat)")
    parser.add_argument("--cases", nargs="+", default=list(PLAN), choices=list(PLAN))
    args = parser.parse_args()
    roots = args.root or [ROOT]
    work = Path(tempfile.mkdtemp(prefix="timeline-hostile-"))
    print(
        "| file | size | run | code | time (s) | peak (MB) | written or sent (MB) | "
        "largest element (MB) | note |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for name in args.cases:
        path = work / f"{name}.yaml"
        path.write_text(FILES[name]())
        size = f"{path.stat().st_size / 1024:,.0f} KB"
        for run in PLAN[name]:
            for root in roots:
                r = measure(root, name, path, run, args.runs, work, dict(os.environ))
                mb = lambda v: "" if v is None else f"{v / 1e6:,.1f}"  # noqa: E731
                peak = "" if r["peak"] is None else f"{r['peak']:,.0f}"
                note = "" if r["ok"] else (r["error"] or "failed")
                print(f"| {name} | {size} | {run} | {root} | {r['seconds']:.1f} | {peak} | "
                      f"{mb(r['bytes'])} | {mb(r['largest'])} | {note} |", flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
