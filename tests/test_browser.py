"""What only a browser shows: hover, clicks, the URL, and escaping, in a real Chromium."""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import matrix_js
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "artifacts"
pytestmark = pytest.mark.browser


def _need_browser() -> None:
    reason = None
    if not CHROMIUM.exists():
        reason = f"no Chromium at {CHROMIUM} (apt-get install -y chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "the playwright package is not installed (pip install -r requirements-dev.txt)"
    if reason and os.environ.get("CI") == "true":
        pytest.fail(f"browser tests cannot run in CI: {reason}")
    if reason:
        pytest.skip(reason)


def npm_install(folder: Path, packages: list[str], what: str) -> Path:
    """Install npm packages into a folder and return its node_modules (skip without npm).

    The packages come from the npm registry at run time, never vendored; in CI a missing
    npm fails the run instead of skipping.
    """
    npm = shutil.which("npm")
    if npm is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{what} cannot run in CI: npm is not installed")
        pytest.skip(f"npm is not installed (apt-get install -y npm): no {what}")
    subprocess.run(
        [npm, "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(folder),
         *packages],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return folder / "node_modules"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A `streamlit run app.py` on a free local port, stopped when done."""

    def __init__(self, events: Path | None = None):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        if events:
            env["TIMELINE_EVENTS"] = str(events)
        # A fresh clone has no artifacts/ (ignored by git), and a server may start before
        # the browser fixture makes it.
        ARTIFACTS.mkdir(exist_ok=True)
        self.log = open(ARTIFACTS / f"server-{self.port}.log", "w")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [
                sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
                "--server.headless=true", f"--server.port={self.port}",
                "--server.address=127.0.0.1", "--browser.gatherUsageStats=false",
            ],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "_stcore/health", timeout=2) as r:
                    if r.read() == b"ok":
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("streamlit did not start within 60 s")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


@pytest.fixture(scope="module")
def browser():
    _need_browser()
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
            ],
        )  # fmt: skip
        yield b
        b.close()


@pytest.fixture(scope="module")
def shipped(browser, shipped_server):
    """The shipped file's server: one for the session (conftest), after the browser's check."""
    return shipped_server


@pytest.fixture(scope="module")
def edge(browser):
    server = Server(ROOT / "tests" / "data" / "edge.yaml")
    yield server
    server.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.dialogs = dialogs
    yield pg
    context.close()


def open_page(page, url: str) -> None:
    page.goto(url)
    # Attached, not visible: the timeline may sit in a tab that is not open.
    page.wait_for_selector(".js-plotly-plot .scatterlayer .point", state="attached", timeout=60_000)
    measured(page)
    plotted(page)


def measured(page) -> None:
    """Wait until a shown timeline groups its markers for the width the browser measured.

    The page's first run draws before the browser has said how wide the chart is; the
    width then arrives and the page draws again, grouping the markers that would touch.
    """
    page.wait_for_function(
        "() => [...document.querySelectorAll('.st-key-chart .js-plotly-plot')]"
        ".filter(g => g.offsetParent !== null)"
        ".every(g => g._fullLayout && g._fullLayout.meta && g._fullLayout.meta.grouped_for_px)",
        timeout=30_000,
    )


def plotted(page) -> None:
    """Wait until every Plotly chart on the page has finished its layout."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('.js-plotly-plot')].every("
        "g => g._fullLayout && g._fullLayout.xaxis && g._fullLayout.xaxis._length > 0)",
        timeout=30_000,
    )


def settled(page) -> None:
    """Wait until the page has loaded every resource and image: any script would have run."""
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => [...document.images].every(i => i.complete)", timeout=15_000)


def where(page, event_id: str) -> tuple[float, float]:
    """Return the centre of the marker that holds an event (its own or its group's), scrolled
    to the middle of the screen, as a reader would scroll: not under the page's header."""
    found = page.wait_for_function(
        """(id) => {
            const gd = document.querySelector('.js-plotly-plot');
            if (!gd || !gd._fullData) return null;
            for (const g of gd.querySelectorAll('.scatterlayer .trace')) {
                const trace = g.__data__ && g.__data__[0] && g.__data__[0].trace;
                if (!trace || trace.mode !== 'markers+text' || !trace.customdata) continue;
                for (const p of g.querySelectorAll('path.point')) {
                    const c = trace.customdata[p.__data__.i];
                    if (c === id || (Array.isArray(c) && c.includes(id))) {
                        p.scrollIntoView({block: 'center'});
                        const box = p.getBoundingClientRect();
                        return [box.x + box.width / 2, box.y + box.height / 2];
                    }
                }
            }
            return null;
        }""",
        arg=event_id,
        timeout=15_000,
    ).json_value()
    return found[0], found[1]


def idle(page) -> None:
    """Wait until the page has finished its run: no element is left stale or still to come."""
    page.wait_for_load_state("networkidle")
    # A first run shows skeletons where elements are yet to come: no stale mark, no status.
    busy = '[data-stale="true"], [data-testid="stStatusWidget"], [data-testid="stSkeleton"]'
    page.wait_for_function(f"() => !document.querySelector('{busy}')", timeout=30_000)
    plotted(page)


def pick(page, select, option: str) -> None:
    """Choose an option of a multiselect as a reader does: open it, type, click the option.

    On a loaded machine a rerun can redraw the widget between the click that opens its list
    and the option appearing, which closes the list; a reader would click again, so do we.
    """
    idle(page)
    for attempt in range(3):
        select.locator("input").first.click()
        select.locator("input").first.fill(option.split(" (")[0])
        choice = page.get_by_role("option", name=option)
        try:
            choice.wait_for(timeout=10_000)
        except PlaywrightTimeout:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")
            idle(page)
            continue
        choice.click()
        return


def count_text(page) -> str:
    count = page.get_by_text(re.compile(r"^\d+ of \d+ events$"))
    expect(count).to_have_count(1, timeout=15_000)  # a rerun briefly shows old and new
    return count.inner_text()


def marker(page, event_id: str):
    """Return the SVG point of the first marker of an event, found through Plotly's data."""
    where = page.evaluate(
        """(id) => {
            const gd = document.querySelector('.js-plotly-plot');
            for (const [i, t] of gd._fullData.entries()) {
                // A group marker carries a list of ids; a lone marker, one id.
                const k = (t.customdata || []).findIndex(
                    c => c === id || (Array.isArray(c) && c.includes(id)));
                if (t.mode === 'markers+text' && k >= 0) return [t.uid, k];
            }
            return null;
        }""",
        event_id,
    )
    assert where, f"no marker for {event_id}"
    # By uid: an empty trace draws no group, so positions in the data and the SVG differ.
    trace = page.locator(f".js-plotly-plot .scatterlayer .trace{where[0]}")
    return trace.locator("path.point").nth(where[1])


def centre(page, event_id: str) -> tuple[float, float]:
    """Return where a person would point at an event's marker, scrolled into view."""
    point = marker(page, event_id)
    point.scroll_into_view_if_needed()
    box = point.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def hover(page, event_id: str) -> str:
    page.mouse.move(*centre(page, event_id))
    label = page.locator(".hoverlayer .hovertext")
    label.first.wait_for(timeout=10_000)
    return label.first.text_content()


def test_hovering_a_marker_shows_its_quotes(shipped, page):
    open_page(page, shipped.url + "?leader=peskov")
    text = hover(page, "peskov-interview-2022-07")  # a marker of its own
    assert "Peskov tells an Iranian broadcaster" in text and "July 2022" in text
    open_page(page, shipped.url)
    # Khamenei's meeting with Putin shares 19 July with two more on Putin's lane: the
    # group's hover names all three, in the data's order, with their first quotes.
    text = hover(page, "putin-khamenei-2022")
    assert text.startswith("3 events · 19 July 2022")
    assert "Khamenei endorses Russia's war" in text
    assert "War is a violent and difficult endeavor" in text
    assert "— Ali Khamenei" in text
    assert text.index("Putin and Raisi") < text.index("Khamenei endorses")
    page.screenshot(path=ARTIFACTS / "hover.png")


def test_choosing_a_leader_changes_the_url_and_the_link_reproduces_the_view(shipped, page, browser):
    open_page(page, shipped.url)
    assert count_text(page) == "10 of 10 events"
    sidebar = page.locator("[data-testid='stSidebar']")
    pick(page, sidebar.locator("[data-testid='stMultiSelect']").first, "Ali Khamenei (Iran)")
    page.keyboard.press("Escape")
    page.wait_for_url(re.compile(r"leader=khamenei"), timeout=15_000)
    page.get_by_text("2 of 10 events").wait_for(timeout=15_000)
    sidebar.get_by_text("all of them").click()
    page.wait_for_url(re.compile(r"match=all"), timeout=15_000)
    shared = page.url
    assert "leader=khamenei" in shared and "match=all" in shared

    # A colleague opens the link on a fresh page.
    fresh = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    open_page(fresh, shared)
    assert count_text(fresh) == "2 of 10 events"
    chips = fresh.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first
    assert "Ali Khamenei (Iran)" in chips.inner_text()
    match = fresh.locator("[data-testid='stSidebar'] [data-testid='stRadio']").filter(
        has_text="Events with"
    )
    assert match.locator("label:has(input:checked)").first.inner_text().strip() == "all of them"
    ids = fresh.evaluate(
        "() => document.querySelector('.js-plotly-plot')._fullData"
        ".filter(t => t.mode === 'markers+text' && t.customdata).flatMap(t => t.customdata).flat()"
    )
    assert set(ids) == {"putin-khamenei-2022", "khamenei-erdogan-2022"}
    assert fresh.url == shared
    fresh.screenshot(path=ARTIFACTS / "shared-link.png", full_page=True)
    fresh.context.close()


def test_clicking_a_marker_opens_the_event_and_puts_it_in_the_url(shipped, page):
    open_page(page, shipped.url)
    page.mouse.click(*centre(page, "gazprom-deal-2022"))  # alone on its lane that day
    page.wait_for_url(re.compile(r"event=gazprom-deal-2022"), timeout=15_000)
    page.locator("[role='dialog']", has_text="Gazprom").wait_for(timeout=15_000)
    page.keyboard.press("Escape")  # closing returns to the view, without the event
    page.wait_for_url(lambda url: "event=" not in url, timeout=15_000)
    page.wait_for_selector("[role='dialog']", state="detached", timeout=15_000)
    idle(page)
    # A group marker lists its events in the panel where details open, the tooltip gone
    # (the mouse is still over the marker); each entry opens its event there.
    page.mouse.click(*where(page, "khamenei-erdogan-2022"))
    panel = page.locator("[role='dialog']")
    entry = panel.get_by_role("button", name=re.compile("Khamenei meets Erdogan"))
    expect(entry).to_be_in_viewport(timeout=15_000)
    tip = page.locator(".st-key-chart .hoverlayer")
    expect(tip).to_have_count(1)  # Plotly's layer of tooltips: there, and not shown
    expect(tip).to_be_hidden()
    page.screenshot(path=ARTIFACTS / "group-list.png")
    entry.click()
    page.wait_for_url(re.compile(r"event=khamenei-erdogan-2022"), timeout=15_000)
    details = page.locator("[data-testid='stHtml']", has_text="Editors' note")
    details.wait_for(timeout=15_000)
    assert (
        "Our fight against terrorist organizations will continue everywhere" in details.inner_text()
    )
    page.screenshot(path=ARTIFACTS / "details.png", full_page=True)


def test_markup_in_the_data_shows_as_text_and_runs_nothing(edge, page):
    open_page(page, edge.url)
    text = hover(page, "xss")
    assert "<img src=x onerror=alert(1)>" in text
    assert "A <b>bold</b> meeting" in text
    assert '“=HYPERLINK("http://evil")”' in text
    open_page(page, edge.url + "?event=xss")
    details = page.locator("[data-testid='stHtml']", has_text="bold")
    assert "“<img src=x onerror=alert(1)>”" in details.inner_text()
    assert page.locator("img[src='x']").count() == 0
    assert "Edge <b>cases</b> & **more**" in page.locator("h1").first.inner_text()
    settled(page)
    assert page.dialogs == []
    page.screenshot(path=ARTIFACTS / "hostile.png", full_page=True)


def test_picking_a_table_row_opens_that_event(shipped, page):
    open_page(page, shipped.url)
    page.get_by_role("tab", name="Table").click()
    page.wait_for_url(re.compile(r"view=table"), timeout=15_000)
    grid = page.locator("[data-testid='stDataFrame']")
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    row_height = 35  # Streamlit's data grid: a header, then rows of 35 px
    # Rows are in date order: Moscow, Turkmenistan, then Peskov's July interview.
    page.mouse.click(box["x"] + 18, box["y"] + row_height * 3 + row_height / 2)
    page.wait_for_url(re.compile(r"event=peskov-interview-2022-07"), timeout=15_000)
    details = page.locator("[data-testid='stHtml']", has_text="Editors' note")
    details.wait_for(timeout=15_000)
    assert "Peskov tells an Iranian broadcaster" in details.inner_text()


@pytest.fixture
def editable(browser, tmp_path):
    path = tmp_path / "events.yaml"
    path.write_text((ROOT / "events.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    server = Server(path)
    yield server, path
    server.stop()


def _save(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # a new mtime


def _interact_until(page, locator, state: str = "attached") -> None:
    """Click Reset (any interaction reruns the page) until the locator reaches the state.

    A click that lands while a rerun is still going may be folded into it, so one click is
    not always a new look at the file; a person would click again, and so does this.
    """
    from playwright.sync_api import TimeoutError as NotYet

    button = page.locator("[data-testid='stSidebar']").get_by_role("button", name="Reset filters")
    for _ in range(6):
        button.click()
        try:
            locator.wait_for(state=state, timeout=10_000)
            return
        except NotYet:
            continue
    locator.wait_for(state=state, timeout=10_000)


def test_live_edits_show_new_data_and_a_broken_save_keeps_the_last_good_view(editable, page):
    server, path = editable
    good = path.read_text(encoding="utf-8")
    open_page(page, server.url + "?view=table")  # the table shows titles as text
    assert count_text(page) == "10 of 10 events"

    # An edit shows on the next interaction (in the table grid, which keeps its cells hidden).
    _save(path, good.replace("Raisi visits Moscow", "Raisi goes to Moscow"))
    _interact_until(page, page.get_by_text("Raisi goes to Moscow").first)

    # A broken save keeps the last good data, with a warning naming file and line.
    broken = good.replace('date: "2022-06"', 'date: "2022-13"')
    _save(path, broken)
    _interact_until(page, page.get_by_text(re.compile("was saved with 1 error")), "visible")
    line = broken.splitlines().index('    date: "2022-13"') + 1
    shown = page.locator("[data-testid='stCode']").first.inner_text()
    assert shown.startswith(f"{path.name}:{line}:11: ")  # the file's name, not the server's path
    assert str(path.parent) not in page.content()
    assert count_text(page) == "10 of 10 events"
    # The last good chart stays (retried: a rerun may briefly hold the old element too).
    expect(page.locator(".js-plotly-plot")).to_have_count(1, timeout=15_000)
    page.screenshot(path=ARTIFACTS / "broken-save.png", full_page=True)

    # Fixing the file clears the warning.
    _save(path, good)
    _interact_until(page, page.get_by_text(re.compile("was saved with")), "detached")
    page.get_by_text("Raisi visits Moscow").first.wait_for(state="attached", timeout=20_000)
    assert count_text(page) == "10 of 10 events"


def test_markup_in_a_link_stays_text(edge, page):
    page.goto(edge.url + "?q=%3Cimg+src%3Dx+onerror%3Dalert(1)%3E&leader=%3Cb%3Ebo%3C%2Fb%3E")
    page.get_by_text("1 of 4 events").wait_for(timeout=60_000)  # the quote that holds it
    # The notice, as plain text (wait for it: the share link's block may come first).
    page.locator("[data-testid='stCode']", has_text="Ignored leader='<b>bo</b>'").wait_for()
    search = page.get_by_placeholder("Titles, quotes, places, people")
    expect(search).to_have_value("<img src=x onerror=alert(1)>", timeout=15_000)
    # The share link keeps the text, encoded (found by its text: the page has other blocks).
    share = page.locator(
        "[data-testid='stCode']", has_text="q=%3Cimg+src%3Dx+onerror%3Dalert%281%29%3E"
    )
    expect(share).to_have_count(1, timeout=15_000)
    assert (
        page.locator("img[src='x']").count() == 0 and page.locator("b", has_text="bo").count() == 0
    )
    settled(page)
    assert page.dialogs == []


@pytest.mark.parametrize(
    "query",
    [
        "?https://evil.example/login=1",
        "?www.evil.example/reset=1",
        "?leader=www.evil.example/reset",
        "?helpdesk@evil.example=1",
        "?leader=%5Bclick%5D(https://evil.example)",
    ],
)
def test_a_link_puts_no_link_in_the_page(shipped, page, query):
    # Markdown would turn these into live links inside the page's own notice: phishing on a
    # trusted site. The notice shows them as plain text.
    page.goto(shipped.url + query)
    notice = page.locator("[data-testid='stCode']", has_text="evil.example")
    notice.wait_for(timeout=60_000)
    assert notice.inner_text().startswith("Ignored ")
    assert page.locator("a[href*='evil']").count() == 0
    assert page.locator("a", has_text="evil").count() == 0


def test_clicking_a_matrix_square_shows_those_two_on_the_timeline(shipped, page):
    open_page(page, shipped.url)
    page.get_by_role("tab", name="Who met whom").click()
    page.wait_for_url(re.compile(r"view=matrix"), timeout=15_000)
    page.wait_for_function(matrix_js("return !!gd;"), timeout=30_000)
    plotted(page)
    where = page.evaluate(
        matrix_js("""
            const t = gd._fullData.find(t => t.name === 'pairs');
            const k = t.customdata.findIndex(c => c[0] === 'putin' && c[1] === 'raisi');
            const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
            const box = gd.getBoundingClientRect();
            return [box.left + xa._offset + xa.d2p(t.x[k]), box.top + ya._offset + ya.d2p(t.y[k])];
        """)
    )
    page.screenshot(path=ARTIFACTS / "matrix.png", full_page=True)
    page.mouse.click(*where)
    page.wait_for_url(re.compile(r"leader=putin&leader=raisi&match=all"), timeout=15_000)
    assert "view=" not in page.url  # back on the timeline, the default tab
    page.get_by_text("4 of 10 events").wait_for(timeout=15_000)
    expected = sorted([
        "raisi-moscow-2022-01", "turkmenistan-summit-2022-06",
        "putin-raisi-tehran-2022", "tehran-trilateral-2022",
    ])  # fmt: skip
    # The count changes first; Plotly redraws the chart a moment later.
    page.wait_for_function(
        """(expected) => {
            const gd = document.querySelector('.js-plotly-plot');
            const ids = gd._fullData.filter(t => t.mode === 'markers+text' && t.customdata)
                .flatMap(t => t.customdata).flat();
            return JSON.stringify([...new Set(ids)].sort()) === JSON.stringify(expected);
        }""",
        arg=expected,
        timeout=15_000,
    )
    page.screenshot(path=ARTIFACTS / "after-matrix-click.png", full_page=True)


def test_a_link_to_states_opens_the_view_it_says(shipped, page):
    query = "?lanes=country&country=Iran&country=Russia&match=all"
    open_page(page, shipped.url + query)
    assert count_text(page) == "7 of 10 events"
    ticks = page.evaluate(
        "() => document.querySelector('.js-plotly-plot')._fullLayout.yaxis.ticktext"
    )
    assert ticks == ["Iran", "Russia", "United States", "Turkey"]
    sidebar = page.locator("[data-testid='stSidebar']")
    lanes = sidebar.locator("[data-testid='stRadio']").filter(has_text="One lane per")
    assert lanes.locator("label:has(input:checked)").first.inner_text().strip() == "state"
    states = sidebar.locator("[data-testid='stMultiSelect']").filter(has_text="States")
    assert "Iran" in states.inner_text() and "Russia" in states.inner_text()
    # The page keeps the link as it was given: it is already the view's own.
    assert page.url.endswith(query)
    page.screenshot(path=ARTIFACTS / "states.png", full_page=True)
