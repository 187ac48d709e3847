"""The page on an event store, in a browser: time to the first chart and the server's peak memory.

    python benchmarks/store_app.py STORE_DIR [--port 8624] [--views first two-states kind]

Starts `streamlit run app.py -- --events STORE_DIR` on 127.0.0.1 (its own port), opens the
page in Chromium (Playwright, /usr/bin/chromium) once per view given (a fresh browser page
each, the server kept), and times from navigation until a chart is drawn. The server's
peak resident memory is read from /proc (VmHWM: the process's own high-water mark) after
each view. A STORE_DIR is a store folder (CURRENT and its version; store_bench.py's folder
can be pointed at with one: see --point).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VIEWS = {
    "first": "",
    "two-states": "?country=Iran&country=Russia&match=all&lanes=country",
    "kind": "?kind=agreement",
    "month": "?from=2010-03-01&to=2010-03-31",
    "search": "?q=negotiation",
    "matrix": "?view=matrix&lanes=country",
}


def peak_mb(pid: int) -> float:
    """Return a process's peak resident memory (VmHWM), in MB."""
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        line = next(x for x in f if x.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def rss_mb(pid: int) -> float:
    """Return a process's resident memory now (VmRSS), in MB."""
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        line = next(x for x in f if x.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def point(store: Path, folder: Path) -> Path:
    """Make `folder` a store whose CURRENT names a link to store_bench.py's store folder."""
    folder.mkdir(parents=True, exist_ok=True)
    link = folder / "v-bench"
    if not link.exists():
        link.symlink_to(store.resolve(), target_is_directory=True)
    (folder / "CURRENT").write_text("v-bench\n", encoding="utf-8")
    return folder


def wait_up(port: int, timeout: float = 120) -> None:
    """Wait until the server answers its health check."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"the server on port {port} did not start in {timeout:.0f} s")


def views(port: int, names: list[str], pid: int) -> list[tuple[str, float, float, float]]:
    """Open each view in a fresh page; return (view, seconds to a chart, RSS now, peak)."""
    from playwright.sync_api import sync_playwright

    out = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium")
        for name in names:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            start = time.perf_counter()
            page.goto(f"http://127.0.0.1:{port}/{VIEWS[name]}")
            page.wait_for_selector(".js-plotly-plot .main-svg", timeout=600_000)
            seconds = time.perf_counter() - start
            out.append((name, seconds, rss_mb(pid), peak_mb(pid)))
            page.screenshot(path=f"/tmp/store-app-{name}.png")
            page.close()
        browser.close()
    return out


def main(argv: list[str] | None = None) -> int:
    """Start the page on a store, open the views, print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store")
    parser.add_argument("--port", type=int, default=8624)
    parser.add_argument("--views", nargs="+", default=list(VIEWS), choices=list(VIEWS))
    parser.add_argument("--point", help="make this folder a store pointing at STORE")
    args = parser.parse_args(argv)
    store = point(Path(args.store), Path(args.point)) if args.point else Path(args.store)
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
         "--server.port", str(args.port), "--server.address", "127.0.0.1",
         "--server.headless", "true", "--", "--events", str(store)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "TIMELINE_ENGINE": "duckdb"},
    )  # fmt: skip
    try:
        wait_up(args.port)
        print(f"server started: {rss_mb(server.pid):.0f} MB resident")
        print(f"load average: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
        print("| view (fresh page) | seconds to the chart | server RSS | server peak |")
        print("| --- | ---: | ---: | ---: |")
        for name, seconds, now, peak in views(args.port, args.views, server.pid):
            print(f"| {name} | {seconds:.1f} | {now:.0f} MB | {peak:.0f} MB |", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
