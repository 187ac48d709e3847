"""The timeline's zoom in a real Chromium: buttons, the URL, a shared link, markers apart."""

import itertools
import re

import pytest
from test_browser import (  # noqa: F401 - fixtures are used by name
    ARTIFACTS,
    browser,
    count_text,
    idle,
    open_page,
    page,
    shipped,
)

pytestmark = pytest.mark.browser

AXIS = "() => document.querySelector('.st-key-chart .js-plotly-plot')._fullLayout.xaxis.range"

# Every marker of the chart in the page's pixels, as Plotly placed it: lane, x, radius.
MARKERS = """() => {
    const gd = document.querySelector('.st-key-chart .js-plotly-plot');
    const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
    const out = [];
    for (const t of gd._fullData) {
        if (t.mode !== 'markers+text' || !t.customdata) continue;
        t.x.forEach((x, i) => out.push({
            lane: t.y[i], x: xa.d2p(x), r: t.marker.size / 2,
            ids: [].concat(t.customdata[i]), group: Array.isArray(t.customdata[i]),
        }));
    }
    return out;
}"""


def _axis_changed(page, before) -> None:
    page.wait_for_function(f"(b) => JSON.stringify(({AXIS})()) !== JSON.stringify(b)", arg=before,
                           timeout=30_000)  # fmt: skip
    idle(page)


def test_zoom_in_is_in_the_url_a_link_shows_the_same_window_and_all_dates_undo_it(
    shipped, page, browser
):
    open_page(page, shipped.url)
    whole = page.evaluate(AXIS)
    page.get_by_role("button", name="Zoom in").click()
    page.wait_for_url(
        re.compile(r"zoom_from=2022-\d\d-\d\d&zoom_to=2022-\d\d-\d\d"), timeout=15_000
    )
    _axis_changed(page, whole)
    zoomed = page.evaluate(AXIS)
    assert whole[0] < zoomed[0] < zoomed[1] < whole[1]
    assert count_text(page) == "10 of 10 events"  # a zoom shows, it does not filter
    shared = page.url

    # A colleague opens the link: the same window, the range control at the same days.
    fresh = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    open_page(fresh, shared)
    assert fresh.evaluate(AXIS) == zoomed
    days = re.search(r"zoom_from=([\d-]+)&zoom_to=([\d-]+)", shared).groups()
    slider = fresh.locator("[data-testid='stSlider']", has_text="Dates shown on the chart")
    assert all(day in slider.inner_text() for day in days)
    assert fresh.url == shared
    fresh.context.close()

    page.get_by_role("button", name="All dates").click()
    page.wait_for_url(lambda url: "zoom_" not in url, timeout=15_000)
    _axis_changed(page, zoomed)
    assert page.evaluate(AXIS) == whole


@pytest.mark.parametrize("width", [390, 1366])
def test_a_crowded_day_at_its_own_scale_shows_each_event_apart(shipped, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    pg = context.new_page()
    open_page(pg, shipped.url)
    markers = pg.evaluate(MARKERS)
    # The whole range: 19 July is numbered markers on the lanes of its meetings.
    assert any(m["group"] and "putin-khamenei-2022" in m["ids"] for m in markers)

    open_page(pg, shipped.url + "?zoom_from=2022-07-19&zoom_to=2022-07-19")
    markers = pg.evaluate(MARKERS)
    day = ["putin-raisi-tehran-2022", "putin-khamenei-2022", "khamenei-erdogan-2022",
           "tehran-trilateral-2022", "gazprom-deal-2022"]  # fmt: skip
    assert not any(m["group"] and set(m["ids"]) & set(day) for m in markers)
    # Each event at one place on all its lanes, the places in the data's order.
    places = {eid: {round(m["x"]) for m in markers if eid in m["ids"]} for eid in day}
    assert all(len(p) == 1 for p in places.values()), places
    xs = [next(iter(places[eid])) for eid in day]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    # In the page's own pixels: no marker covers or touches another on its lane.
    for lane in {m["lane"] for m in markers}:
        spots = sorted((m["x"], m["r"]) for m in markers if m["lane"] == lane)
        for (x, r), (x2, r2) in itertools.pairwise(spots):
            assert x2 - x >= r + r2 - 0.5, (width, lane, x, x2)
    pg.screenshot(path=ARTIFACTS / f"zoomed-day-{width}.png", full_page=True)
    context.close()
