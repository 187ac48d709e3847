"""Benchmark: load, reruns, memory, chart size and time to draw, for 1,000 to 100,000 events.

    python benchmarks/run.py [--sizes 1000 10000 100000] [--runs 3] [--write docs/benchmarks.md]

Every timing is a whole process (or a whole rerun) and the median of --runs runs; the
machine is shared, so compare the ratios within one run rather than seconds across runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def _once(code: str, env: dict[str, str]) -> tuple[float, float]:
    start = time.perf_counter()
    out = subprocess.run(
        [PY, "-c", code + "\nimport resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"],
        env=env, cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return time.perf_counter() - start, int(out.stdout.split()[-1]) / 1024


def whole_processes(
    codes: dict[str, str], env: dict[str, str], runs: int
) -> dict[str, tuple[float, float]]:
    """Run each `python -c code` once per round, rounds interleaved so that drift hits all alike;
    return each one's median wall time and largest peak memory (MB)."""
    times: dict[str, list[float]] = {k: [] for k in codes}
    peaks: dict[str, list[float]] = {k: [] for k in codes}
    for _ in range(runs):
        for name, code in codes.items():
            t, peak = _once(code, env)
            times[name].append(t)
            peaks[name].append(peak)
    return {k: (statistics.median(times[k]), max(peaks[k])) for k in codes}


APPTEST = """
import json, os, resource, statistics, sys, time
from streamlit.testing.v1 import AppTest
at = AppTest.from_file(sys.argv[1], default_timeout=600)
t = time.perf_counter(); at.run(); first = time.perf_counter() - t
assert not at.exception, at.exception
spec = len(at.get("plotly_chart")[0].proto.spec)
leader = at.multiselect(key="leader").options[0]
times = []
for value in ([leader], [], [leader], []):
    t = time.perf_counter(); at.multiselect(key="leader").set_value(value).run()
    times.append(time.perf_counter() - t)
    assert not at.exception
shown = int(next(m.value for m in at.markdown if m.value.endswith("events**")).split()[0].strip("*").replace(",", ""))
t = time.perf_counter(); at.text_input(key="q").set_value("trade energy").run(); search = time.perf_counter() - t
small = [m.value for m in at.markdown if m.value.endswith("events**")][0]
small_spec = len(at.get("plotly_chart")[0].proto.spec)
print(json.dumps({"first": first, "rerun": statistics.median(times), "search": search,
                  "spec": spec, "small": small, "small_spec": small_spec,
                  "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

BROWSER = """
import json, sys, time
from playwright.sync_api import sync_playwright
url = sys.argv[1]
with sync_playwright() as p:
    b = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"])
    page = b.new_page(viewport={"width": 1400, "height": 1000})
    t = time.perf_counter()
    page.goto(url)
    # Markers are SVG points; a density view is a heatmap image.
    page.wait_for_selector(".js-plotly-plot .scatterlayer .point, .js-plotly-plot .heatmaplayer image",
                           state="attached", timeout=300_000)
    print(json.dumps({"draw": time.perf_counter() - t}))
    b.close()
"""


def browser_draw(events: Path, env: dict[str, str], runs: int) -> float | None:
    """Return the median seconds from navigation until Chromium shows the chart."""
    if not Path("/usr/bin/chromium").exists():
        return None
    import socket
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [PY, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless=true",
         f"--server.port={port}", "--server.address=127.0.0.1"],
        env={**env, "TIMELINE_EVENTS": str(events)}, cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.3)
        times = []
        for _ in range(runs + 1):  # the first run warms the server's cache
            out = subprocess.run(
                [PY, "-c", BROWSER, f"http://127.0.0.1:{port}/"],
                capture_output=True, text=True, env=env,
            )  # fmt: skip
            if out.returncode:
                raise RuntimeError(out.stderr[-2000:])
            times.append(json.loads(out.stdout)["draw"])
        return statistics.median(times[1:])
    finally:
        server.terminate()
        server.wait(timeout=20)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write", type=Path, help="also write the table to this Markdown file")
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="timeline-bench-"))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TIMELINE_MAX_BYTES": str(10**9),
           "TIMELINE_CACHE_DIR": str(work / "cache")}  # fmt: skip
    rows = []
    for n in args.sizes:
        path = work / f"events-{n}.yaml"
        with open(path, "w") as f:
            subprocess.run([PY, "-m", "timeline", "synth", "--events", str(n), "--seed", "1"],
                           stdout=f, env=env, cwd=ROOT, check=True)  # fmt: skip
        mb = path.stat().st_size / 1e6
        read = f"open({str(path)!r}, encoding='utf-8').read()"
        rb = f"open({str(path)!r}, 'rb').read()"
        codes = {
            "yaml-rs": f"import yaml_rs; yaml_rs.loads({read}, parse_datetime=False)",
            "rapidyaml+json": f"import json, ryml; t = ryml.parse_in_arena({rb}); json.loads(ryml.emit_json_malloc(t, t.root_id()))",
            "load": f"from timeline.files import load_file; load_file({str(path)!r})",
        }  # fmt: skip
        if n <= 10_000:  # PyYAML's C loader takes about 30 s at 100,000 events
            codes["PyYAML C"] = f"import yaml; yaml.load({read}, Loader=yaml.CSafeLoader)"
        measured = whole_processes(codes, env, args.runs)
        load, load_peak = measured.pop("load")
        bare = measured
        fastest = min(bare, key=lambda k: bare[k][0])
        cached_code = f"from timeline.files import load_cached; load_cached({str(path)!r})"
        _once(cached_code, env)  # fill the disk cache
        cached = whole_processes({"cached": cached_code}, env, args.runs)["cached"][0]
        app = subprocess.run(
            [PY, "-c", APPTEST, str(ROOT / "app.py")], env={**env, "TIMELINE_EVENTS": str(path)},
            cwd=ROOT, capture_output=True, text=True, check=True,
        )  # fmt: skip
        a = json.loads(app.stdout.strip().splitlines()[-1])
        draw = None if args.no_browser else browser_draw(path, env, args.runs)
        rows.append({
            "events": n, "MB": mb, "bare": bare, "fastest": fastest, "load": load,
            "ratio": load / bare[fastest][0], "load_peak": load_peak, "cached": cached, **a,
            "draw": draw,
        })  # fmt: skip
        print(json.dumps(rows[-1]), file=sys.stderr)

    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d')}. Medians of {args.runs} runs; whole processes.",
        "",
        "| events | file | fastest bare parse | load (parse, validate, DataFrame) | ratio | load peak memory "
        "| restart, disk cache | app first run | filter rerun | search rerun | app peak memory "
        "| chart sent (all events) | chart sent (small selection) | drawn in Chromium |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        bare_s = r["bare"][r["fastest"]][0]
        draw = f"{r['draw']:.2f} s" if r["draw"] is not None else "n/a"
        lines.append(
            f"| {r['events']:,} | {r['MB']:.1f} MB | {bare_s:.2f} s ({r['fastest']}) | {r['load']:.2f} s "
            f"| {r['ratio']:.2f} | {r['load_peak']:.0f} MB | {r['cached']:.2f} s | {r['first']:.2f} s "
            f"| {r['rerun']:.3f} s | {r['search']:.3f} s | {r['peak']:.0f} MB "
            f"| {r['spec'] / 1e3:.0f} KB ({r['spec'] / r['events']:.1f} B/event) "
            f"| {r['small_spec'] / 1e3:.0f} KB ({r['small'].strip('*')}) | {draw} |"
        )
    table = "\n".join(lines)
    print(table)
    if args.write:
        args.write.write_text(
            args.write.read_text().split("<!-- results -->")[0]
            + "<!-- results -->\n\n"
            + table
            + "\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
