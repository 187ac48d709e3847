"""Load time of a large data file, whole processes, for one or more source trees at once.

    python benchmarks/loadtime.py [--events 100000] [--runs 7] [--tree DIR ...]

Writes two files of --events synthetic events: the generator's own (dates quoted or not,
flow and block lists) and a hand-written style one with every date an unquoted year, so
that each is a number to rapidyaml that the fast path must give back as the text typed.
Each run is a fresh `python` that reads one file with `parse_events`, as the app does
(without the disk cache). The trees take turns within each round, so that the drift of a
shared machine hits all alike; compare the ratios of one run, not seconds across runs.
Before timing, each tree is asked once whether the file took the fast path.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timeline.synth import synth_lines  # noqa: E402

LOAD = """
import sys
from timeline.loader import parse_events
raw = open(sys.argv[1], "rb").read()
print(len(parse_events(raw).events))
"""
WAY = """
import sys
from timeline.fastpath import read_fast
from timeline.loader import FAST_PATH_MIN_BYTES
raw = open(sys.argv[1], "rb").read()
result = read_fast(raw) if len(raw) >= FAST_PATH_MIN_BYTES else "smaller than the threshold"
print("fast" if not isinstance(result, str) else "careful: " + result)
"""
_DATE_LINE = re.compile(r"^(\s+(?:- )?(?:date|end): )['\"]?([0-9]{4})[^\n]*$", re.MULTILINE)


def files(folder: Path, events: int) -> dict[str, Path]:
    """Write the synthetic file and its hand-written style twin; return them by name."""
    text = "\n".join(synth_lines(events, seed=1)) + "\n"
    years = _DATE_LINE.sub(r"\1\2", text)  # `date: 2015`: a JSON number to rapidyaml
    out = {"synthetic": folder / "synthetic.yaml", "unquoted years": folder / "years.yaml"}
    out["synthetic"].write_text(text)
    out["unquoted years"].write_text(years)
    return out


def _python(tree: Path, code: str, path: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        cwd=tree, env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout.strip()


def measure(trees: list[Path], paths: dict[str, Path], runs: int) -> dict[str, dict[str, float]]:
    """Return the median whole-process load time of each file with each tree, interleaved."""
    times: dict[tuple[str, str], list[float]] = {(str(t), n): [] for t in trees for n in paths}
    for _ in range(runs):
        for name, path in paths.items():
            for tree in trees:
                start = time.perf_counter()
                _python(tree, LOAD, path)
                times[(str(tree), name)].append(time.perf_counter() - start)
    return {
        name: {str(tree): statistics.median(times[(str(tree), name)]) for tree in trees}
        for name in paths
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--tree", type=Path, action="append", help="a source tree (repeatable)")
    args = parser.parse_args()
    trees = [t.resolve() for t in args.tree or [ROOT]]
    with tempfile.TemporaryDirectory() as folder:
        paths = files(Path(folder), args.events)
        ways = {f"{t} {n}": _python(t, WAY, p) for t in trees for n, p in paths.items()}
        sizes = {n: round(p.stat().st_size / 1e6, 1) for n, p in paths.items()}
        medians = measure(trees, paths, args.runs)
    base = str(trees[0])
    ratios = {n: {t: round(s / m[base], 3) for t, s in m.items()} for n, m in medians.items()}
    print(json.dumps({"events": args.events, "runs": args.runs, "MB": sizes, "way": ways,
                      "median_s": medians, "ratio_to_first_tree": ratios}, indent=2))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
