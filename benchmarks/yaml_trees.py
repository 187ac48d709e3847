"""Two or more source trees on one large YAML file: load and each kind of rerun, interleaved.

    python benchmarks/yaml_trees.py --tree OLD --tree NEW [--events 100000] [--runs 5]

Writes `python -m timeline synth --events N --seed 1` (the file of benchmarks/run.py: users'
shapes of dates, text, lists, countries and tags) once, then, round by round so that the
drift of a shared machine hits every tree alike: the bare parses (yaml-rs, rapidyaml to
JSON to `json.loads`) and each tree's `load_file`, whole processes; then each tree's page in
a fresh AppTest process (its own disk cache, warmed first): the first run, a leader filter
set and cleared (median of four), a search, opening an event, and a switch to the matrix
tab and back. Prints medians, each tree's ratio to the first, and the load average of each
round. Compare the ratios of one run, not seconds across runs.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable

APPTEST = """
import json, statistics, sys, time
from streamlit.testing.v1 import AppTest
from timeline.files import load_cached
at = AppTest.from_file(sys.argv[1], default_timeout=600)
t = time.perf_counter(); at.run(); first = time.perf_counter() - t
assert not at.exception, at.exception
out = {"first": first}

def timed(name, step):
    t = time.perf_counter(); step().run(); out.setdefault(name, []).append(time.perf_counter() - t)
    assert not at.exception, at.exception

leader = at.multiselect(key="leader").options[0]
for value in ([leader], [], [leader], []):
    timed("filter", lambda: at.multiselect(key="leader").set_value(value))
timed("search", lambda: at.text_input(key="q").set_value("trade energy"))
timed("search cleared", lambda: at.text_input(key="q").set_value(""))
events = load_cached(sys.argv[2]).events["id"]

def put(key, value):  # as a click on a marker or a tab does: the widget's state, then a run
    at.session_state[key] = value
    return at

for n in (300, 700):  # two of the first 1,000 events, which the page's list of events offers
    timed("open event", lambda: put("event", events.iloc[n]))
    assert at.session_state["event"] == events.iloc[n], "the event did not open"
timed("close event", lambda: put("event", None))
labels = [tab.label for tab in at.tabs]

timed("tab: to the matrix", lambda: put("view", labels[1]))
timed("tab: back to the timeline", lambda: put("view", labels[0]))
print(json.dumps({k: v if isinstance(v, float) else statistics.median(v) for k, v in out.items()}))
"""


def _run(args: list[str], env: dict[str, str], cwd: Path) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run([PY, *args], env=env, cwd=cwd, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(done.stderr[-3000:])
    return time.perf_counter() - start, done.stdout


def _turn(trees: list[Path], r: int) -> list[Path]:
    """Return the trees in round r's order: each goes first in turn, none always after another."""
    return trees[r % len(trees) :] + trees[: r % len(trees)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", type=Path, action="append", required=True)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--app-runs", type=int, default=None, help="AppTest rounds (--runs)")
    args = parser.parse_args()
    trees = [t.resolve() for t in args.tree]
    work = Path(tempfile.mkdtemp(prefix="timeline-trees-"))
    path = work / "events.yaml"
    base_env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(work),
        "TIMELINE_MAX_BYTES": str(10**9),
    }
    envs = {
        str(t): {
            **base_env,
            "PYTHONPATH": str(t),
            "TIMELINE_CACHE_DIR": str(work / f"cache{i}"),
            "TIMELINE_EVENTS": str(path),
        }
        for i, t in enumerate(trees)
    }
    with open(path, "w") as f:
        subprocess.run(
            [PY, "-m", "timeline", "synth", "--events", str(args.events), "--seed", "1"],
            stdout=f,
            env=envs[str(trees[0])],
            cwd=trees[0],
            check=True,
        )
    rb, text = f"open({str(path)!r}, 'rb').read()", f"open({str(path)!r}, encoding='utf-8').read()"
    bare = {
        "yaml-rs": f"import yaml_rs; yaml_rs.loads({text}, parse_datetime=False)",
        "rapidyaml+json": f"import json, ryml; t = ryml.parse_in_arena({rb}); "
        "json.loads(ryml.emit_json_malloc(t, t.root_id()))",
    }
    load = f"from timeline.files import load_file; load_file({str(path)!r})"
    times: dict[str, list[float]] = {}
    loadavg: list[float] = []
    for r in range(args.runs):
        loadavg.append(os.getloadavg()[0])
        for name, code in bare.items():
            times.setdefault(name, []).append(_run(["-c", code], base_env, work)[0])
        for t in _turn(trees, r):
            times.setdefault(f"load {t}", []).append(_run(["-c", load], envs[str(t)], t)[0])
    app: dict[str, dict[str, list[float]]] = {str(t): {} for t in trees}
    for t in trees:  # fill each tree's disk cache, as a running server's restart finds it
        _run(["-c", load.replace("load_file", "load_cached")], envs[str(t)], t)
    for r in range(args.app_runs or args.runs):
        loadavg.append(os.getloadavg()[0])
        for t in _turn(trees, r):
            out = _run(["-c", APPTEST, str(t / "app.py"), str(path)], envs[str(t)], t)[1]
            for k, v in json.loads(out.strip().splitlines()[-1]).items():
                app[str(t)].setdefault(k, []).append(v)
    fastest = min(statistics.median(times[k]) for k in bare)
    first = str(trees[0])
    result = {
        "events": args.events,
        "MB": round(path.stat().st_size / 1e6, 1),
        "runs": args.runs,
        "load average per round": [round(x, 1) for x in loadavg],
        "bare parse s": {k: round(statistics.median(times[k]), 2) for k in bare},
        "load s": {str(t): round(statistics.median(times[f"load {t}"]), 2) for t in trees},
        "load s, each run": {str(t): [round(x, 2) for x in times[f"load {t}"]] for t in trees},
        "load / fastest bare parse": {
            str(t): round(statistics.median(times[f"load {t}"]) / fastest, 2) for t in trees
        },
        "app s (medians)": {
            t: {k: round(statistics.median(v), 3) for k, v in m.items()} for t, m in app.items()
        },
        "ratio to the first tree": {
            str(t): {
                "load": round(
                    statistics.median(times[f"load {t}"])
                    / statistics.median(times[f"load {first}"]),
                    2,
                ),
                **{
                    k: round(statistics.median(v) / statistics.median(app[first][k]), 2)
                    for k, v in app[str(t)].items()
                },
            }
            for t in trees
        },
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
