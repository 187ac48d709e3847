"""The Story tab in Chromium: keys, a swipe, the links of steps (framed too), the live region,
axe-core and the phone's order. One server and one browser for the module.

Screenshots at 1366 and 390 px go to artifacts/ (or $TIMELINE_SHOTS).
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from test_browser import ARTIFACTS, ROOT, browser, idle, shipped  # noqa: F401 - fixtures
from test_page_widths import serious
from test_readers import axe  # noqa: F401 - a fixture, used by name

from timeline import story
from timeline.files import load_file

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("TIMELINE_SHOTS") or ARTIFACTS)
STEP, LIVE = ".st-key-story-step", "#timeline-story-live"
HEADLINE = f"{STEP} h3"


@pytest.fixture(scope="module")
def told() -> list[story.Step]:
    """Return the shipped file's story, every event in order, as the page should tell it."""
    data = load_file(ROOT / "events.yaml")
    return story.steps(data.events, data)


@pytest.fixture(scope="module")
def desktop(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def phone(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True,
        device_scale_factor=2,
    )  # fmt: skip
    yield context.new_page()
    context.close()


def link(base: str, step: story.Step, embed: bool = False) -> str:
    query = ("embed=true&" if embed else "") + "view=story"
    return base + "?" + query + (f"&event={step.event_id}" if step.event_id else "")


def ready(page) -> None:
    """Wait until the story's script is in and the page's run is done."""
    page.wait_for_selector(STEP, timeout=60_000)
    page.wait_for_function("() => window.__timelineStory === true", timeout=60_000)
    # The chart drawn for the width the browser measured: the run that report starts is done.
    page.wait_for_function(
        "() => [...document.querySelectorAll('.st-key-story-chart .js-plotly-plot')]"
        ".some(g => g._fullLayout && g._fullLayout.meta && g._fullLayout.meta.grouped_for_px)",
        timeout=60_000,
    )
    idle(page)


def shows(page, step: story.Step) -> None:
    """Wait until the page shows this step (its position, headline and URL) and its run ends."""
    expect(page.locator(STEP).get_by_text(f"Step {step.label}", exact=True)).to_be_visible(
        timeout=60_000
    )
    expect(page.locator(HEADLINE)).to_have_text(step.headline)
    wanted = f"event={step.event_id}" if step.event_id else "view=story"
    expect(page).to_have_url(re.compile(re.escape(wanted)))
    if step.event_id is None:
        assert "event=" not in page.url
    idle(page)  # a reader reads the step before the next: the run that drew it has ended


def active(page) -> str:
    """Return where the focus is: the step, a button of the story (by key), or elsewhere."""
    return page.evaluate(
        """() => {
            const a = document.activeElement;
            if (a.matches('.st-key-story-step')) return 'step';
            const key = a.closest('[class*="st-key-story-"]');
            const name = key && [...key.classList].find(c => c.startsWith('st-key-story-'));
            return a.tagName === 'BUTTON' && name ? name.slice(7) : a.tagName;
        }"""
    )


def test_the_keys_step_through_the_story_announce_each_headline_and_keep_the_focus(
    shipped, desktop, told, axe
):
    page = desktop
    page.goto(link(shipped.url, told[0]))
    ready(page)
    shows(page, told[0])
    assert page.locator(LIVE).get_attribute("aria-live") == "polite"
    expect(page.get_by_role("region", name="Story step")).to_have_count(1)  # focusable, named
    page.locator(STEP).focus()
    for step in told[1:]:
        page.keyboard.press("ArrowRight")
        shows(page, step)
        expect(page.locator(LIVE)).to_have_text(story.announcement(step))
        assert active(page) == "step"
    page.keyboard.press("ArrowRight")  # the last step: nothing after it
    idle(page)
    shows(page, told[-1])
    for step in reversed(told[:-1]):
        page.keyboard.press("ArrowLeft")
        shows(page, step)
        expect(page.locator(LIVE)).to_have_text(story.announcement(step))
    # The buttons in tab order, Previous before Next; pressed, the focus stays on them.
    page.locator(STEP).focus()
    page.keyboard.press("Tab")  # Previous is disabled on the title step: Next
    assert active(page) == "story-next"
    page.keyboard.press("Enter")
    shows(page, told[1])
    idle(page)
    assert active(page) == "story-next"
    page.keyboard.press("Shift+Tab")
    assert active(page) == "story-prev"
    page.keyboard.press("Enter")  # to the title step, where Previous is disabled: Next has it
    shows(page, told[0])
    idle(page)
    assert active(page) == "story-next"
    page.keyboard.press("ArrowRight")  # the arrows work from a button too
    shows(page, told[1])
    assert serious(page, axe) == []


def test_a_swipe_steps_and_a_phone_shows_the_step_before_the_chart(shipped, phone, told):
    page = phone
    page.goto(link(shipped.url, told[3]))
    ready(page)
    shows(page, told[3])
    step_box = page.locator(STEP).bounding_box()
    chart_box = page.locator(".st-key-story-chart").bounding_box()
    assert step_box and chart_box and step_box["y"] + step_box["height"] <= chart_box["y"]
    page.locator(HEADLINE).scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "story-390.png"))
    cdp = page.context.new_cdp_session(page)
    for step in (told[4], told[5]):
        swipe(page, cdp, "left")
        shows(page, step)
        expect(page.locator(LIVE)).to_have_text(story.announcement(step))


# Without the story's touch-action and overscroll rules, about one swipe back in five was
# undone: the browser's own swipe back through the history took the URL to the step before.
def test_a_swipe_to_the_right_goes_back_a_step(shipped, phone, told):
    page = phone
    page.goto(link(shipped.url, told[5]))
    ready(page)
    shows(page, told[5])
    page.locator(HEADLINE).scroll_into_view_if_needed()
    swipe(page, page.context.new_cdp_session(page), "right")
    shows(page, told[4])
    expect(page.locator(LIVE)).to_have_text(story.announcement(told[4]))


def swipe(page, cdp, direction: str) -> None:
    """Swipe a finger across the step's headline, as a touch screen sends it."""
    box = page.locator(HEADLINE).bounding_box()
    assert box
    y = box["y"] + box["height"] / 2
    start, end = (340, 60) if direction == "left" else (60, 340)
    send = cdp.send
    send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": start, "y": y}]})
    for i in range(1, 6):
        x = start + (end - start) * i / 5
        send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
    send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


@pytest.mark.parametrize("embed", [False, True], ids=["fresh browser", "framed"])
def test_a_steps_link_opens_that_step_in_a_fresh_browser_and_framed(browser, shipped, told, embed):
    step = told[7]  # a meeting of 19 July 2022, one of that day's five
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    try:
        if embed:
            page.set_content(
                f'<iframe title="Story" src="{link(shipped.url, step, embed=True)}" '
                'style="width:1200px;height:1400px;border:0"></iframe>'
            )
            frame = page.frame_locator("iframe")
            expect(frame.locator(HEADLINE)).to_have_text(step.headline, timeout=60_000)
            expect(
                frame.locator(STEP).get_by_text(f"Step {step.label}", exact=True)
            ).to_be_visible()
        else:
            page.goto(link(shipped.url, step))
            ready(page)
            shows(page, step)
            share = page.locator("[data-testid='stCode']").last
            expect(share).to_contain_text(f"event={step.event_id}")
            expect(share).to_contain_text("view=story")
            page.screenshot(path=str(SHOTS / "story-1366.png"))
    finally:
        context.close()
