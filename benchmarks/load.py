"""Load test: many concurrent browser sessions on one server, each checking what it sees.

    python benchmarks/load.py [--sessions 20] [--rounds 3] [--seconds 300]

Starts `streamlit run app.py` on a free loopback port with the shipped data, then opens
--sessions pages in one headless Chromium at once. Each session, --rounds times, opens a
shared link for a filter of its own, checks that the chart holds exactly the events that
filter should give, changes the filter in the sidebar, checks again, and opens an event
from its marker, checking the details. Meanwhile the server's /_stcore/health is polled
and its memory sampled. Bounded in count and time; loopback only. Exits 1 on any failure.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timeline.files import load_file  # noqa: E402
from timeline.filters import apply_filters  # noqa: E402
from timeline.query import query_string  # noqa: E402
from timeline.state import FilterState  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


def rss_mb(pid: int) -> float:
    """Return the resident memory of a process and its children, in MB."""
    total = 0
    for p in [pid, *_children(pid)]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def _children(pid: int) -> list[int]:
    try:
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [int(k) for k in kids]


def views(data) -> list[FilterState]:
    """The filters the sessions use, each with a different answer."""
    leaders = [p for p in data.people if any(p in ls for ls in data.events["leaders"])]
    out = [FilterState(leaders=(p,)) for p in leaders]
    out += [FilterState(leaders=("putin", "raisi"), match="all"), FilterState(kinds=("summit",)),
            FilterState(q="Syria"), FilterState(kinds=("statement",))]  # fmt: skip
    return out


async def chart_ids(page) -> set[str]:
    return set(await page.evaluate(
        "() => document.querySelector('.js-plotly-plot')._fullData"
        ".filter(t => t.mode === 'markers+text' && t.customdata).flatMap(t => t.customdata).flat()"
    ))  # fmt: skip


async def shows(page, expected: set[str], timeout: float = 90) -> bool:
    """Wait until the chart holds exactly these events (it may redraw after the count)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if await chart_ids(page) == expected:
                return True
        except Exception:  # the chart is being replaced: look again
            pass
        await asyncio.sleep(0.25)
    return False


async def ready(page, expected: int, total: int) -> None:
    await page.get_by_text(f"{expected} of {total} events", exact=True).wait_for(timeout=60_000)
    if expected:
        await page.wait_for_selector(".js-plotly-plot .scatterlayer .point", timeout=60_000)


async def session(n: int, browser, url: str, data, plan: list[FilterState], rounds: int, log: list):
    context = await browser.new_context(viewport={"width": 1300, "height": 900})
    page = await context.new_page()
    total = len(data.events)
    try:
        for r in range(rounds):
            state = plan[(n + r) % len(plan)]
            expected = set(apply_filters(data, state)["id"])
            start = time.perf_counter()
            await page.goto(url + query_string(state))
            await ready(page, len(expected), total)
            log.append(("open", time.perf_counter() - start))
            if not await shows(page, expected):
                got = sorted(await chart_ids(page))
                raise AssertionError(f"session {n}: {query_string(state)} showed {got}")
            # Change the filter in the sidebar: match all of the chosen leaders, or reset.
            start = time.perf_counter()
            if len(state.leaders) == 1:
                await page.locator("[data-testid='stSidebar']").get_by_text("all of them").click()
                await page.wait_for_url(re.compile(r"match=all"), timeout=60_000)
                after = set(
                    apply_filters(data, FilterState(leaders=state.leaders, match="all"))["id"]
                )
            else:
                await (
                    page.locator("[data-testid='stSidebar']")
                    .get_by_role("button", name="Reset filters")
                    .click()
                )
                after = set(data.events["id"])
            await ready(page, len(after), total)
            log.append(("filter", time.perf_counter() - start))
            if not await shows(page, after):
                raise AssertionError(f"session {n}: the changed filter showed other events")
            # Open one event from its marker and check the details and the URL.
            target = sorted(after)[n % len(after)]
            start = time.perf_counter()
            await page.goto(url + query_string(FilterState(event=target)))
            title = data.events.set_index("id").loc[target, "title"]
            await page.locator("[data-testid='stHtml'] h3", has_text=title).wait_for(timeout=60_000)
            log.append(("event", time.perf_counter() - start))
    finally:
        await context.close()


async def run(args) -> dict:
    from playwright.async_api import async_playwright

    data = load_file(ROOT / "events.yaml")
    plan = views(data)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/"
    log_path = ROOT / "artifacts" / "load-server.log"
    log_path.parent.mkdir(exist_ok=True)
    with open(log_path, "w") as server_log:
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
             f"--server.port={port}", "--server.address=127.0.0.1"],
            cwd=ROOT, stdout=server_log, stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )  # fmt: skip
    health_fail, memory, timings, errors, health_times = 0, [], [], [], []
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(url + "_stcore/health", timeout=2)
                break
            except OSError:
                await asyncio.sleep(0.5)
        memory.append(rss_mb(server.pid))
        stop = asyncio.Event()

        async def watch():
            nonlocal health_fail
            while not stop.is_set():
                start = time.perf_counter()
                try:
                    body = await asyncio.to_thread(
                        lambda: urllib.request.urlopen(url + "_stcore/health", timeout=30).read()
                    )
                    health_fail += body != b"ok"
                except OSError:
                    health_fail += 1
                health_times.append(time.perf_counter() - start)
                memory.append(rss_mb(server.pid))
                await asyncio.sleep(1)

        watcher = asyncio.create_task(watch())
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            start = time.perf_counter()
            results = await asyncio.wait_for(
                asyncio.gather(
                    *(
                        session(n, browser, url, data, plan, args.rounds, timings)
                        for n in range(args.sessions)
                    ),
                    return_exceptions=True,
                ),
                timeout=args.seconds,
            )
            wall = time.perf_counter() - start
            await browser.close()
        stop.set()
        await watcher
        errors = [repr(r)[:300] for r in results if isinstance(r, BaseException)]
    finally:
        server.terminate()
        server.wait(timeout=20)
    log_text = log_path.read_text()
    bad_log = [
        line for line in log_text.splitlines() if re.search(r"Traceback|Error|Exception", line)
    ]

    def p(kind: str, q: float) -> float:
        values = sorted(t for k, t in timings if k == kind)
        return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")

    return {
        "sessions": args.sessions, "rounds": args.rounds, "wall_s": round(wall, 1),
        "checks_passed": len(timings), "failures": errors, "health_failures": health_fail,
        "health_polls": len(health_times), "health_s_max": round(max(health_times, default=0), 2),
        "health_s_median": round(statistics.median(health_times), 3) if health_times else None,
        "server_log_errors": bad_log[:10], "memory_mb_start": round(memory[0]),
        "memory_mb_max": round(max(memory)), "memory_mb_end": round(memory[-1]),
        **{f"{k}_s_median": round(statistics.median(t for kk, t in timings if kk == k), 2)
           for k in ("open", "filter", "event") if any(kk == k for kk, _ in timings)},
        **{f"{k}_s_p95": round(p(k, 0.95), 2) for k in ("open", "filter", "event")},
    }  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=300, help="give up after this long")
    args = parser.parse_args()
    result = asyncio.run(run(args))
    print(json.dumps(result, indent=2))
    ok = (
        not result["failures"] and not result["health_failures"] and not result["server_log_errors"]
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
