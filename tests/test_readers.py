"""Every reader, in a real browser: touch, keyboard, a small screen, the dark theme, axe-core.

axe-core comes from the npm registry into this session's temporary folder (it is not
vendored); without npm the audits are skipped, except in CI, where they fail.
"""

import re

import pytest
from playwright.sync_api import expect
from test_browser import (  # noqa: F401 - fixtures are used by name
    ARTIFACTS,
    ROOT,
    Server,
    browser,
    idle,
    npm_install,
    open_page,
    plotted,
    shipped,
    where,
)

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True,
         "device_scale_factor": 3}  # fmt: skip  # an iPhone 13's screen
ON_19_JULY = [
    "putin-raisi-tehran-2022",
    "putin-khamenei-2022",
    "khamenei-erdogan-2022",
    "tehran-trilateral-2022",
    "gazprom-deal-2022",
]


@pytest.fixture(scope="session")
def axe(tmp_path_factory) -> str:
    """Return the path of axe-core's script, installed from npm for this session."""
    folder = npm_install(tmp_path_factory.mktemp("axe"), ["axe-core@4"], "axe-core audits")
    return str(folder / "axe-core" / "axe.min.js")


def dialog(page):
    return page.locator("[role='dialog']")


def test_taps_alone_open_every_event_of_a_crowded_day(shipped, browser):
    page = browser.new_context(**PHONE).new_page()
    open_page(page, shipped.url)
    page.wait_for_function("() => window.__timelineTouch === true", timeout=15_000)
    for event in ON_19_JULY:
        idle(page)
        page.touchscreen.tap(*where(page, event))
        # A group lists its events (one tap); a lone marker opens its event at once.
        entry = page.locator(f"[class*='st-key-group-{event}'] button")
        # Which events share a marker depends on the width: at 390 px the deal's triangle
        # would touch July's statements, so it joins their numbered marker.
        grouped = page.evaluate(
            "(id) => document.querySelector('.st-key-chart .js-plotly-plot')._fullData.some("
            "t => (t.customdata || []).some(c => Array.isArray(c) && c.includes(id)))",
            event,
        )
        if grouped:
            page.screenshot(path=ARTIFACTS / f"phone-tap-{event}.png")
            entry.wait_for(timeout=15_000)
            entry.tap()
        page.wait_for_url(re.compile(f"event={event}"), timeout=15_000)
        panel = dialog(page)
        panel.wait_for(timeout=15_000)
        expect(panel).to_be_in_viewport(ratio=0.95, timeout=15_000)  # slid in: on the screen
        page.screenshot(path=ARTIFACTS / f"phone-{event}.png")
        panel.get_by_role("button", name="Close these details").tap()
        panel.wait_for(state="detached", timeout=15_000)
        page.wait_for_url(lambda url: "event=" not in url, timeout=15_000)
        idle(page)
    page.context.close()


NEAR = ["n2", "n3", "n4"]  # days apart, not on one day: see tests/data/near.yaml


@pytest.fixture(scope="module")
def near(browser):
    server = Server(ROOT / "tests" / "data" / "near.yaml")
    yield server
    server.stop()


def drawn_groups(page) -> list[list[str]]:
    return page.evaluate(
        "() => document.querySelector('.st-key-chart .js-plotly-plot')._fullData"
        ".filter(t => t.name === 'events close together').flatMap(t => t.customdata)"
    )


def grouped_for(page) -> int:
    return page.evaluate(
        "() => document.querySelector('.st-key-chart .js-plotly-plot')._fullLayout.meta"
        ".grouped_for_px"
    )


def test_markers_days_apart_are_one_target_on_a_phone(near, browser):
    page = browser.new_context(**PHONE).new_page()
    open_page(page, near.url)
    assert grouped_for(page) < 390  # measured in the phone's browser, not assumed
    assert drawn_groups(page) == [NEAR]  # 4 px apart there: they would cover each other
    for event in NEAR:
        idle(page)
        page.touchscreen.tap(*where(page, event))
        entry = page.locator(f"[class*='st-key-group-{event}'] button")
        entry.wait_for(timeout=15_000)
        entry.tap()
        page.wait_for_url(re.compile(f"event={event}"), timeout=15_000)
        panel = dialog(page)
        expect(panel).to_be_in_viewport(ratio=0.95, timeout=15_000)
        panel.get_by_role("button", name="Close these details").tap()
        panel.wait_for(state="detached", timeout=15_000)
        page.wait_for_url(lambda url: "event=" not in url, timeout=15_000)
    page.context.close()


def test_a_window_made_narrow_groups_the_markers_that_now_touch(near, browser):
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    open_page(page, near.url)
    assert drawn_groups(page) == []  # 17 px apart on a desktop: each its own target
    page.mouse.click(*where(page, "n3"))
    page.wait_for_url(re.compile("event=n3"), timeout=15_000)
    dialog(page).wait_for(timeout=15_000)
    page.keyboard.press("Escape")
    page.wait_for_url(lambda url: "event=" not in url, timeout=15_000)
    idle(page)
    wide = grouped_for(page)
    page.set_viewport_size({"width": 400, "height": 1000})
    page.wait_for_function(
        "(wide) => { const g = document.querySelector('.st-key-chart .js-plotly-plot');"
        " return g && g._fullLayout.meta.grouped_for_px < wide; }",
        arg=wide,
        timeout=30_000,
    )
    idle(page)
    assert drawn_groups(page) == [NEAR]
    page.context.close()


@pytest.mark.parametrize("size", [(1366, 768), (1400, 1000)])
def test_a_click_opens_details_inside_the_window(shipped, browser, size):
    width, height = size
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    open_page(page, shipped.url)
    page.mouse.click(*where(page, "gazprom-deal-2022"))
    panel = dialog(page)
    panel.wait_for(timeout=15_000)
    expect(panel).to_contain_text("Gazprom signs a $40 billion deal")
    expect(panel).to_be_in_viewport(ratio=0.95, timeout=15_000)  # no scrolling to find it
    title = panel.get_by_text("Gazprom signs a $40 billion deal")
    expect(title).to_be_in_viewport(timeout=15_000)
    page.context.close()


def test_the_keyboard_alone_opens_an_event_and_reaches_its_quotes(shipped, page):
    open_page(page, shipped.url)
    page.get_by_role("tab", name="Timeline").focus()  # the top of the main area
    presses = 0
    summary = page.get_by_text(re.compile("^The chart as a list"))
    while presses < 10 and not summary.evaluate(
        "e => e.closest('summary') === document.activeElement || e === document.activeElement || e.contains(document.activeElement) || (document.activeElement && document.activeElement.contains(e))"
    ):
        page.keyboard.press("Tab")
        presses += 1
    assert presses <= 3, "the list of events is more than a few Tab presses away"
    page.keyboard.press("Enter")  # opens the list
    entry = page.get_by_role("button", name=re.compile("Khamenei endorses Russia's war")).first
    entry.wait_for(timeout=15_000)
    for _ in range(30):  # Tab through the list to the entry, as a keyboard user would
        page.keyboard.press("Tab")
        presses += 1
        if entry.evaluate("e => e === document.activeElement"):
            break
    assert entry.evaluate("e => e === document.activeElement")
    page.keyboard.press("Enter")
    panel = dialog(page)
    expect(panel).to_contain_text("War is a violent and difficult endeavor", timeout=15_000)
    page.wait_for_url(re.compile("event=putin-khamenei-2022"))
    page.keyboard.press("Escape")  # and back to the page, the event closed
    page.wait_for_url(lambda url: "event=" not in url, timeout=15_000)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    yield context.new_page()
    context.close()


@pytest.mark.parametrize(
    ("query", "context"),
    [
        ("", {}),
        ("?view=table", {}),
        ("?view=matrix", {}),
        ("?view=tempo", {}),
        ("?event=putin-khamenei-2022", {}),  # the details panel open
        ("?lanes=country", PHONE),
        ("", {"color_scheme": "dark"}),
        ("?view=matrix&lanes=tag", {"color_scheme": "dark", **PHONE}),
    ],
)
def test_axe_finds_nothing_serious(shipped, browser, axe, query, context):
    options = {"viewport": {"width": 1400, "height": 1000}, **context}
    page = browser.new_context(**options).new_page()
    open_page(page, shipped.url + query)
    page.wait_for_load_state("networkidle")
    page.add_script_tag(path=axe)
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    serious = [
        f"{v['impact']} {v['id']}: {[n['target'] for n in v['nodes']][:3]}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    page.context.close()


def test_a_phone_shows_the_first_lane_at_once_and_scrolls_across_the_chart(shipped, browser):
    page = browser.new_context(**PHONE).new_page()
    open_page(page, shipped.url)
    first_lane = page.evaluate(
        """() => {
            const gd = document.querySelector('.js-plotly-plot');
            const ya = gd._fullLayout.yaxis;
            return gd.getBoundingClientRect().top + ya._offset + ya.d2p(0);
        }"""
    )
    assert 0 < first_lane < 844, "the first lane is below the first screen"
    # A finger dragged across the chart is left to the browser, which scrolls the page:
    # nothing cancels the touch events (Plotly did, holding the page still). The page's
    # script that sees to it runs once its element mounts, which may follow the chart's.
    page.wait_for_function("() => window.__timelineTouch === true", timeout=15_000)
    cancelled = page.evaluate(
        """() => {
            const el = document.querySelector('.js-plotly-plot .nsewdrag');
            const r = el.getBoundingClientRect();
            return [['touchstart', 120], ['touchmove', 60], ['touchend', 60]].map(([type, dy]) => {
                const t = new Touch({identifier: 1, target: el, clientX: r.x + 40, clientY: r.y + dy});
                const e = new TouchEvent(type, {bubbles: true, cancelable: true,
                    touches: type === 'touchend' ? [] : [t], changedTouches: [t]});
                el.dispatchEvent(e);
                return e.defaultPrevented;
            });
        }"""
    )
    assert cancelled == [False, False, False]
    page.context.close()


@pytest.mark.parametrize("view", ["timeline", "matrix", "tempo", "table"])
def test_every_tab_reads_on_a_phone_without_scrolling_sideways(shipped, browser, view):
    page = browser.new_context(**PHONE).new_page()
    page.goto(shipped.url + f"?view={view}")
    page.locator("[data-testid='stTabs']").wait_for(timeout=60_000)
    idle(page)
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1]
    page.screenshot(path=ARTIFACTS / f"phone-{view}.png")
    page.context.close()
