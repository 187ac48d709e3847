"""The page around the chart at every width: 320, 390, 1366 and 1920 px, light and dark.

In process first (the matrix's lanes at a width, a numbered marker's list and its two taps),
then in Chromium what only a browser shows: where the list and the details open, what is
clipped, the headings' sizes, the matrix's labels, the embed's height, and axe-core.
Screenshots go to artifacts/ (or $TIMELINE_SHOTS).
"""

import json
import os
import re
from pathlib import Path

import numpy as np
import pytest
from conftest import matrix_js
from playwright.sync_api import expect
from test_app import figure, html, run, url
from test_browser import (  # noqa: F401 - fixtures are used by name
    ARTIFACTS,
    ROOT,
    Server,
    browser,
    idle,
    measured,
    open_page,
    shipped,
    where,
)
from test_readers import axe  # noqa: F401 - a fixture, used by name

from timeline.analysis import meetings
from timeline.exporters.embed import embed_snippet
from timeline.exporters.view import read_view
from timeline.figures.matrix import fit_lanes, matrix_figure
from timeline.files import load_file
from timeline.lanes import Membership
from timeline.text import escape

DATA = ROOT / "tests" / "data"
KAZAN, THIRTY = DATA / "kazan.yaml", DATA / "thirty.yaml"
SHOTS = Path(os.environ.get("TIMELINE_SHOTS") or ARTIFACTS)
# The main column's width (the charts') at these window widths, as Chromium measures it with
# the sidebar open where it fits: the widths a page hands the figures.
CHART_PX = {320: 288, 390: 358, 1366: 906, 1920: 1460}


def crowded_day(path: Path) -> list[str]:
    """Return the ids of the events that start on the file's most crowded day (day-precise)."""
    events = load_file(path).events
    days = events[events["precision"] == "day"]["start"]
    busiest = days.value_counts(sort=True).index[0]
    return list(events[(events["start"] == busiest) & (events["precision"] == "day")]["id"])


def thirty_pairs():
    data = load_file(THIRTY)
    everyone = np.ones(len(data.events), dtype=bool)
    membership = Membership.build(data.events, data.people, "leader")
    return meetings(data.events, membership, everyone, data.people, "file")


# --- in process ---------------------------------------------------------------------------


@pytest.mark.parametrize("width", [*CHART_PX.values(), None])  # None: a static page's guess
def test_a_matrix_of_thirty_lanes_shows_those_with_most_events_and_names_the_rest(width):
    pairs = thirty_pairs()
    fitted = fit_lanes(pairs, width)
    shown = [lane.key for lane in fitted.pairs.lanes]
    left_out = [lane.key for lane, _ in fitted.left_out]
    assert sorted(shown + left_out) == sorted(pairs.keys)  # every lane, drawn or named
    own = dict(zip(pairs.keys, np.diag(pairs.counts).tolist(), strict=True))
    if left_out:
        assert min(own[k] for k in shown) >= max(own[k] for k in left_out)
        assert [c for _, c in fitted.left_out] == [own[k] for k in left_out]
    # The kept lanes keep the matrix's order, and their counts are the full matrix's.
    assert shown == [k for k in pairs.keys if k in shown]
    at = [pairs.keys.index(k) for k in shown]
    assert (fitted.pairs.counts == pairs.counts[np.ix_(at, at)]).all()
    fig = matrix_figure(fitted.pairs, width)
    ticks = list(fig.layout.yaxis.ticktext)
    assert len(ticks) == len(shown)
    # Rows hold their labels: one line of 12 px text needs 14 px, two lines 28.
    lines = max(t.count("<br>") + 1 for t in ticks)
    assert fig.layout.height / len(shown) >= 14 * lines


@pytest.mark.parametrize(("width", "all_shown"), [(358, False), (1460, True)])
def test_the_matrix_tab_names_the_lanes_it_leaves_out(monkeypatch, width, all_shown):
    monkeypatch.setenv("TIMELINE_EVENTS", str(THIRTY))
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["chart_width"] = {"width": width}  # as the browser reports it
    at.query_params["view"] = "matrix"
    at.run()
    assert not at.exception
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    pairs = next(t for spec in specs for t in spec["data"] if t.get("name") == "pairs")
    drawn = {key for pair in pairs["customdata"] for key in pair}
    notes = "".join(e.proto.body for e in at.get("html") if "fit this width" in e.proto.body)
    people = load_file(THIRTY).people
    for key, person in people.items():
        named = f"{person.name} ({person.country})" in notes
        assert (key in drawn) != named, key  # drawn, or else named under the matrix
    assert (len(drawn) == len(people)) is all_shown


@pytest.mark.parametrize("path", [KAZAN, DATA / "crowded.yaml", ROOT / "events.yaml"])
def test_every_event_of_the_most_crowded_day_opens_in_two_taps(monkeypatch, path):
    at = run(env_file=path, monkeypatch=monkeypatch)
    markers = [c for t in figure(at)["data"] if t.get("mode") == "markers+text"
               for c in t.get("customdata", [])]  # fmt: skip
    for event in crowded_day(path):
        if event in markers:
            continue  # a marker of its own: one tap opens it (test_browser, test_readers)
        group = next(c for c in markers if isinstance(c, list) and event in c)
        at.session_state["group"] = group  # the first tap: what a click on the marker sets
        at.run()
        entries = {b.key for b in at.button if (b.key or "").startswith("group-")}
        assert entries == {f"group-{e}" for e in group}, entries
        at.button(key=f"group-{event}").click().run()  # the second tap
        assert not at.exception
        assert url(at)["event"] == [event]
        title = load_file(path).events.set_index("id").loc[event, "title"]
        assert escape(title) in html(at)  # the details, as the page escapes them
        # Back to the marker's list, then closed: nothing is left open.
        at.button(key="back-to-group").click().run()
        assert "event" not in url(at) and at.button(key=f"group-{event}")
        at.button(key="close-group").click().run()
        assert not [b for b in at.button if (b.key or "").startswith("group-")]


def test_a_numbered_markers_list_zooms_to_its_days(monkeypatch):
    at = run(env_file=KAZAN, monkeypatch=monkeypatch)
    at.session_state["group"] = ["kazan-summit", "kazan-petrov-lin", "kazan-yildiz-petrov"]
    at.run()
    at.button(key="zoom-group").click().run()
    assert not at.exception
    # The summit's three days, from its first to its last: the list closes on the chart.
    assert url(at)["zoom_from"] == ["2024-10-22"] and url(at)["zoom_to"] == ["2024-10-24"]
    assert not [b for b in at.button if (b.key or "").startswith("group-")]


# --- in Chromium ----------------------------------------------------------------------------

PHONE = {"has_touch": True, "is_mobile": True, "device_scale_factor": 2}


@pytest.fixture(scope="module")
def kazan(browser):
    server = Server(KAZAN)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def thirty(browser):
    server = Server(THIRTY)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def devices(browser):
    """One page for touch phones and one for desktops with a mouse, reused at every width.

    A phone's touch and pixel ratio are its context's; the width and the colour scheme are
    set on the page (set_viewport_size, emulate_media), so each test still loads its URL
    afresh but the browser keeps its contexts, processes and cached scripts.
    """
    pages = {
        phone: browser.new_context(viewport={"width": 390, "height": 844},
                                   **(PHONE if phone else {})).new_page()
        for phone in (True, False)
    }  # fmt: skip
    yield pages
    for page in pages.values():
        page.context.close()


def page_for(devices, width: int, theme: str):
    """Return the page of this width: a touch phone up to 390 px, a desktop with a mouse beyond."""
    phone = width <= 390
    page = devices[phone]
    page.set_viewport_size(
        {"width": width, "height": 844 if phone else 768 if width < 1900 else 1080}
    )
    page.emulate_media(color_scheme=theme)
    return page


CLIPPED = """() => {
    const found = [];
    const page = document.documentElement.clientWidth;
    for (const gd of document.querySelectorAll('.js-plotly-plot')) {
        if (gd.offsetParent === null || !gd._fullLayout) continue;
        const box = gd.getBoundingClientRect();
        if (box.left < -0.5 || box.right > page + 0.5) found.push(['chart', box.left, box.right]);
        const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
        if (!xa || !ya) continue;
        const area = {left: box.left + xa._offset, right: box.left + xa._offset + xa._length,
                      top: box.top + ya._offset, bottom: box.top + ya._offset + ya._length};
        // A marker or a date label that crosses the plot's edge is cut by it.
        for (const el of gd.querySelectorAll('.scatterlayer path.point, .scatterlayer .textpoint text')) {
            const r = el.getBoundingClientRect();
            if (!r.width || !r.height) continue;
            if (r.left < area.left - 1 || r.right > area.right + 1 || r.top < area.top - 1 ||
                r.bottom > area.bottom + 1) found.push([el.tagName, el.textContent, r.left, r.right]);
        }
        // Lane and date ticks, inside the chart.
        for (const el of gd.querySelectorAll('.ytick text, .xtick text')) {
            const r = el.getBoundingClientRect();
            if (r.width && (r.left < box.left - 1 || r.right > box.right + 1))
                found.push(['tick', el.textContent, r.left, r.right]);
        }
    }
    if (document.documentElement.scrollWidth > page) found.push(['page scrolls sideways']);
    return found;
}"""

HEADINGS = """() => [...document.querySelectorAll('h1, h2, h3, h4')]
    .filter(h => h.getClientRects().length && getComputedStyle(h).visibility !== 'hidden')
    .map(h => [h.tagName, h.textContent.trim().slice(0, 40), parseFloat(getComputedStyle(h).fontSize)])"""


# Both in one round trip: what is clipped, and the headings' sizes.
LAYOUT = f"() => [({CLIPPED})(), ({HEADINGS})()]"


def serious(page, axe_path: str) -> list[str]:
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(path=axe_path)
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [
        f"{v['impact']} {v['id']}: {[n['target'] for n in v['nodes']][:3]}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


def tap(page, x: float, y: float, phone: bool) -> None:
    if phone:
        page.touchscreen.tap(x, y)
    else:
        page.mouse.click(x, y)


def open_by_taps(page, event: str, phone: bool) -> int:
    """Open an event from its marker as a reader would; return the taps it took."""
    idle(page)
    tap(page, *where(page, event), phone)
    taps = 1
    panel = page.locator("[role='dialog']")
    panel.wait_for(timeout=15_000)
    entry = panel.locator(f"[class*='st-key-group-{event}'] button")
    if not re.search(f"event={event}", page.url) and entry.count() == 0:
        # Either the details or the marker's list is coming: wait for one of them.
        page.wait_for_function(
            "(id) => location.search.includes('event=' + id) || "
            "document.querySelector(`[role=dialog] [class*='st-key-group-${id}'] button`)",
            arg=event,
            timeout=15_000,
        )
    # No tooltip stays over the chart or the list: none on a touch screen, none beside a panel.
    tip = page.locator(".st-key-chart .hoverlayer")
    expect(tip).to_have_count(1)  # Plotly's layer of tooltips: there, and not shown
    expect(tip).to_be_hidden()
    if entry.count():
        expect(panel).to_be_in_viewport(ratio=0.95, timeout=15_000)
        expect(entry).to_be_in_viewport(timeout=15_000)  # the list opens where one looks
        entry.tap() if phone else entry.click()
        taps += 1
    page.wait_for_url(re.compile(f"event={re.escape(event)}"), timeout=15_000)
    return taps


@pytest.mark.browser
@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("width", [320, 390, 1366, 1920])
@pytest.mark.parametrize("which", ["shipped", "kazan"])
def test_every_width_opens_a_crowded_days_events_in_two_taps_and_clips_nothing(
    request, devices, axe, which, width, theme
):
    server = request.getfixturevalue(which)
    path = ROOT / "events.yaml" if which == "shipped" else KAZAN
    titles = load_file(path).events.set_index("id")["title"]
    page = page_for(devices, width, theme)
    phone = width <= 390
    open_page(page, server.url)
    idle(page)
    name = f"{which}-{width}-{theme}"
    page.screenshot(path=SHOTS / f"widths-{name}.png")
    clipped, sizes = page.evaluate(LAYOUT)
    assert clipped == []
    title = next(s for tag, _, s in sizes if tag == "H1")
    assert all(s < title for tag, _, s in sizes if tag != "H1"), sizes
    assert serious(page, axe) == []
    # The taps and the panel's place do not depend on the colours: the light page walks every
    # event of the day, the dark one only the first, whose details it checks (clipping, sizes,
    # axe-core's contrast) in its own colours.
    events = crowded_day(path)
    for k, event in enumerate(events if theme == "light" else events[:1]):
        assert open_by_taps(page, event, phone) <= 2
        panel = page.locator("[role='dialog']")
        expect(panel).to_be_in_viewport(ratio=0.95, timeout=15_000)
        heading = panel.get_by_role("heading", name=titles[event])
        expect(heading).to_be_in_viewport(timeout=15_000)
        if not phone:
            # Beside the chart: the page makes room, and the chart is whole and readable.
            idle(page)
            chart = page.locator(".st-key-chart .js-plotly-plot").bounding_box()
            drawer = panel.bounding_box()
            assert chart["x"] + chart["width"] <= drawer["x"] + 1, (chart, drawer)
            assert chart["width"] >= 400
        if k == 0:
            page.screenshot(path=SHOTS / f"widths-{name}-details.png")
            clipped, sizes = page.evaluate(LAYOUT)  # the panel's title and the event's too
            assert clipped == []
            assert all(s < title for tag, _, s in sizes if tag != "H1"), sizes
            assert serious(page, axe) == []
        close = panel.get_by_role("button", name="Close these details")
        close.tap() if phone else close.click()
        panel.wait_for(state="detached", timeout=15_000)
        page.wait_for_url(lambda u: "event=" not in u, timeout=15_000)


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 390, 1366, 1920])
def test_the_matrix_of_thirty_lanes_keeps_its_labels_apart(devices, thirty, width):
    page = page_for(devices, width, "light")
    page.goto(thirty.url + "?view=matrix")
    page.wait_for_function(matrix_js("return !!gd;"), timeout=60_000)
    idle(page)
    page.wait_for_function(  # drawn for the width the browser measured
        matrix_js("return gd && gd._fullLayout.meta && gd._fullLayout.meta.fitted_for_px;"),
        timeout=30_000,
    )
    idle(page)
    overlaps = page.evaluate(
        matrix_js("""
            const found = [];
            const xa = gd._fullLayout.xaxis;
            // Upright or level labels: their boxes do not meet. Tilted ones: parallel lines of
            // text, as far apart as the columns' pitch times the sine of their angle.
            const tilted = xa.tickangle % 90 !== 0;
            for (const axis of tilted ? ['ytick'] : ['ytick', 'xtick']) {
                const boxes = [...gd.querySelectorAll(`.${axis} text`)]
                    .map(t => [t.textContent, t.getBoundingClientRect()]);
                for (let i = 1; i < boxes.length; i++) {
                    const [a, r] = boxes[i - 1], [b, s] = boxes[i];
                    const apart = axis === 'ytick' ? s.top >= r.bottom - 1 || r.top >= s.bottom - 1
                        : s.left >= r.right - 1 || r.left >= s.right - 1;
                    if (!apart) found.push([a, b]);
                }
            }
            if (tilted) {
                const pitch = xa._length / xa.tickvals.length;
                const line = xa.tickfont.size + 2;
                const gap = pitch * Math.abs(Math.sin(xa.tickangle * Math.PI / 180));
                if (gap < line) found.push(['tilted labels', gap, line]);
            }
            return [found, gd.querySelectorAll('.ytick text').length];
        """)
    )
    assert overlaps[0] == []
    assert page.evaluate(CLIPPED) == []
    shown = overlaps[1]
    if shown < 30:  # the others are named under the matrix
        page.get_by_text(re.compile("with most events fit this width; not shown")).wait_for()
    page.locator(".js-plotly-plot").last.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / f"matrix-thirty-{width}.png")


@pytest.mark.browser
def test_the_embed_grows_to_its_content_on_a_phone(devices, shipped, tmp_path):
    data = load_file(ROOT / "events.yaml")
    view, _ = read_view(data, "")
    article = tmp_path / "article.html"
    article.write_text(
        "<!doctype html><html><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width'><title>An article</title></head>"
        f"<body><h1>An article</h1><p>Before.</p>{embed_snippet(shipped.url, view)}"
        "<p>After it.</p></body></html>",
        encoding="utf-8",
    )
    page = page_for(devices, 390, "light")
    page.goto(article.as_uri())
    frame_element = page.locator("iframe")
    frame = frame_element.element_handle().content_frame()
    frame.wait_for_selector(".js-plotly-plot .scatterlayer .point", state="attached",
                            timeout=60_000)  # fmt: skip
    measured(frame)  # grouped for the frame's own width
    idle(frame)
    # The frame takes the page's height: nothing inside it scrolls, nothing is cut.
    frame.wait_for_function(
        """() => { const main = document.querySelector('[data-testid="stMain"]');
                   return main && main.scrollHeight <= main.clientHeight + 1; }""",
        timeout=30_000,
    )
    box = frame_element.bounding_box()
    assert box["height"] > int(frame_element.get_attribute("height"))  # it grew from 858
    # Erdogan's lane and the time axis sit inside the frame.
    inside = frame.evaluate(
        """() => { const gd = document.querySelector('.js-plotly-plot');
                   const ticks = [...gd.querySelectorAll('.ytick text, .xtick text')];
                   const erdogan = ticks.find(t => t.textContent.includes('Erdogan'));
                   const axis = gd.querySelector('.xtick text');
                   return [erdogan.getBoundingClientRect().bottom,
                           axis.getBoundingClientRect().bottom, window.innerHeight]; }"""
    )
    assert inside[0] <= inside[2] and inside[1] <= inside[2], inside
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    page.screenshot(path=SHOTS / "embed-390.png")
