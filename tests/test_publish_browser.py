"""The ways out, checked by their real consumers in Chromium: TimelineJS, a browser, an iframe.

TimelineJS3 (and plotly.js's basic bundle, to compare with the one this repository ships)
come from the npm registry into this session's temporary folder; without npm these tests
are skipped, except in CI, where they fail.
"""

import datetime as dt
import re
from pathlib import Path

import pytest
from conftest import ROOT
from test_browser import (  # noqa: F401 - fixtures are used by name
    ARTIFACTS,
    browser,
    hover,
    npm_install,
    open_page,
    plotted,
    shipped,
)

from timeline import figures
from timeline.exporters.embed import embed_snippet, embed_url
from timeline.exporters.html import PLOTLY_BUNDLE, static_page
from timeline.exporters.timelinejs import timelinejs_json
from timeline.exporters.view import View, read_view
from timeline.files import load_file
from timeline.loader import parse_events
from timeline.state import FilterState

pytestmark = pytest.mark.browser

TIMELINEJS = "@knight-lab/timelinejs@3"
PLOTLY_BASIC = "plotly.js-basic-dist-min@4.1.1"  # the version of the vendored bundle
DATA = ROOT / "tests" / "data"


@pytest.fixture(scope="session")
def npm_packages(tmp_path_factory) -> Path:
    """Return the node_modules folder of TimelineJS3 and plotly.js's basic bundle, from npm."""
    return npm_install(
        tmp_path_factory.mktemp("npm"), [TIMELINEJS, PLOTLY_BASIC], "TimelineJS checks"
    )


def offline(page) -> list[str]:
    """Block every request that is not a local file; return the list of those asked for."""
    asked: list[str] = []

    def route(r):
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            asked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    return asked


def console_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
    return errors


def timelinejs_page(folder: Path, lib: Path, document: str, name: str) -> Path:
    """Write a local page that loads TimelineJS3 and hands it an exported document."""
    dist = lib / "@knight-lab" / "timelinejs" / "dist"
    page = folder / f"{name}.html"
    # font: null, or TimelineJS loads its fonts from a CDN (blocked here: an error).
    page.write_text(
        f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{name}</title>
<link rel="stylesheet" href="{(dist / "css" / "timeline.css").as_uri()}">
<script src="{(dist / "js" / "timeline.js").as_uri()}"></script></head>
<body><div id="timeline" style="width:100%;height:640px"></div>
<script type="application/json" id="export">{document}</script>
<script>
  const data = JSON.parse(document.getElementById("export").textContent);
  window.timeline = new TL.Timeline("timeline", data, {{font: null}});
</script></body></html>""",
        encoding="utf-8",
    )
    return page


def slide_texts(page) -> list[str]:
    return page.evaluate("[...document.querySelectorAll('.tl-slide')].map(s => s.textContent)")


HOSTILE = """\
title: "Talks </script><script>alert(1)</script>"
people:
  ana: {name: "Ana <img src=x onerror=alert(2)>", country: "<b>Atlantis</b>"}
sources:
  src: {title: "A <script>alert(3)</script>", publisher: P, date: "2023"}
events:
  - id: one
    title: "<img src=x onerror=alert(4)>"
    date: "2023-05-10"
    kind: meeting
    leaders: [ana]
    summary: "</script><svg onload=alert(5)>"
    quotes: [{by: ana, text: "<iframe src=javascript:alert(6)>", source: src}]
    sources: [src]
"""


@pytest.mark.parametrize(
    ("name", "query", "quote", "group"),
    [
        ("events.yaml", "", "War is a violent and difficult endeavor", "Ali Khamenei (Iran)"),
        ("events.yaml", "lanes=country&from=2022-07-01", "developing at a good pace", "Russia"),
        ("edge.yaml", "", "THE-END-OF-THE-QUOTE", "Cy Gamma (Cyrenia)"),
        ("centuries.yaml", "lanes=tag", "Peace at last", "No tag"),  # years 1 to 9999
        ("hostile.yaml", "", "<iframe src=javascript:alert(6)>", "Ana <img src=x onerror=alert(2)> (<b>Atlantis</b>)"),
    ],
)  # fmt: skip
def test_timelinejs_renders_the_export(browser, npm_packages, tmp_path, name, query, quote, group):
    if name == "hostile.yaml":
        data = parse_events(HOSTILE, name)
    else:
        data = load_file(ROOT / name if name == "events.yaml" else DATA / name)
    view, notices = read_view(data, query)
    assert notices == []
    page_file = timelinejs_page(tmp_path, npm_packages, timelinejs_json(view), name)
    page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    errors = console_errors(page)
    asked = offline(page)
    page.goto(page_file.as_uri())
    slides = page.locator(".tl-slide")
    # Every event a slide, and the title slide.
    page.wait_for_function(
        f"document.querySelectorAll('.tl-slide').length === {len(view.shown) + 1}", timeout=15_000
    )
    assert slides.count() == len(view.shown) + 1
    texts = slide_texts(page)
    assert any(quote in text for text in texts), quote  # as text, never as markup
    groups = page.evaluate(
        "[...document.querySelectorAll('.tl-timegroup-message')].map(e => e.textContent)"
    )
    assert group in groups
    assert page.locator(".tl-slide img[src='x'], .tl-timegroup svg, iframe").count() == 0
    page.screenshot(path=ARTIFACTS / f"timelinejs-{name}-{len(view.shown)}.png")
    assert errors == [] and asked == []
    page.context.close()


def test_the_vendored_plotly_bundle_is_npms(npm_packages):
    vendored = (ROOT / "timeline" / "exporters" / PLOTLY_BUNDLE).read_bytes()
    published = npm_packages / "plotly.js-basic-dist-min" / "plotly-basic.min.js"
    assert vendored == published.read_bytes()


@pytest.fixture(scope="module")
def static_file(tmp_path_factory) -> tuple[Path, View]:
    data = load_file(ROOT / "events.yaml")
    view = View.of(data, FilterState())
    path = tmp_path_factory.mktemp("static") / "timeline.html"
    path.write_text(static_page(view, figures, exported=dt.date(2024, 5, 1)), encoding="utf-8")
    return path, view


def test_static_page_works_from_disk_with_no_network(browser, static_file):
    path, view = static_file
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    errors = console_errors(page)
    asked = offline(page)
    page.goto(path.as_uri())
    page.wait_for_selector("#chart[data-drawn='true']", timeout=30_000)
    plotted(page)
    # A hover shows the quotes: the lone marker of Peskov's interview, and the group of
    # three on Putin's lane on 19 July.
    text = hover_fresh(page, "peskov-interview-2022-07")
    assert "Peskov tells an Iranian broadcaster" in text
    text = hover_fresh(page, "putin-khamenei-2022")
    assert text.startswith("3 events · 19 July 2022")
    assert "War is a violent and difficult endeavor" in text and "— Ali Khamenei" in text
    page.screenshot(path=ARTIFACTS / "static-page-hover.png")
    # The list holds every shown event; a click on a marker goes to its entry.
    articles = page.locator("ol.events article")
    assert articles.evaluate_all("a => a.map(e => e.id)") == [
        f"event-{i}" for i in view.shown["id"]
    ]
    hover_fresh(page, "gazprom-deal-2022")
    page.mouse.down()
    page.mouse.up()
    page.wait_for_function("location.hash === '#event-gazprom-deal-2022'", timeout=10_000)
    assert errors == [] and asked == []
    page.context.close()


def test_static_page_reads_without_javascript(browser, static_file):
    path, view = static_file
    page = browser.new_context(java_script_enabled=False).new_page()
    asked = offline(page)
    page.goto(path.as_uri())
    assert page.locator("ol.events article").count() == len(view.shown)
    body = page.locator("body").inner_text()
    assert "Our fight against terrorist organizations will continue everywhere" in body
    assert "The chart needs JavaScript; every event is listed below." in body
    assert asked == []
    page.screenshot(path=ARTIFACTS / "static-page-no-js.png", full_page=True)
    page.context.close()


def hover_fresh(page, event_id: str) -> str:
    """Hover an event's marker after the last hover label has gone."""
    page.mouse.move(0, 0)
    page.locator(".hoverlayer .hovertext").first.wait_for(state="detached", timeout=10_000)
    return hover(page, event_id)


def marker_ids(frame) -> list[str]:
    return frame.evaluate(
        """() => {
            const gd = document.querySelector('.js-plotly-plot');
            const ids = [];
            for (const t of gd._fullData) {
                if (t.mode !== 'markers+text') continue;
                for (const c of t.customdata || []) ids.push(...(Array.isArray(c) ? c : [c]));
            }
            return [...new Set(ids)].sort();  // an event has a marker on each of its lanes
        }"""
    )


def test_the_embed_snippet_reproduces_the_view(browser, shipped, tmp_path):
    data = load_file(ROOT / "events.yaml")
    view, _ = read_view(data, "leader=putin&leader=erdogan&match=all&lanes=country&view=publish")
    assert embed_url(shipped.url, view) == (
        f"{shipped.url}?embed=true&leader=putin&leader=erdogan&match=all&lanes=country"
    )
    article = tmp_path / "article.html"
    article.write_text(
        "<!doctype html><html><head><meta charset='utf-8'><title>An article</title></head>"
        f"<body><h1>An article</h1><p>Before the timeline.</p>{embed_snippet(shipped.url, view)}"
        "<p>After it.</p></body></html>",
        encoding="utf-8",
    )
    page = browser.new_context(viewport={"width": 1000, "height": 1000}).new_page()
    page.goto(article.as_uri())
    frame_element = page.locator("iframe")
    assert frame_element.get_attribute("title") == (
        "Russia and Iran grow closer: interactive timeline"
    )
    frame = frame_element.element_handle().content_frame()
    frame.wait_for_selector(
        ".js-plotly-plot .scatterlayer .point", state="attached", timeout=60_000
    )
    plotted(frame)
    frame.get_by_text("1 of 10 events").wait_for(timeout=15_000)
    assert marker_ids(frame) == ["tehran-trilateral-2022"]
    ticks = frame.evaluate("document.querySelector('.js-plotly-plot')._fullLayout.yaxis.ticktext")
    assert ticks == ["Russia", "Iran", "Turkey"]
    # Streamlit's embed mode: no header or toolbar over the article; the chart fits whole.
    assert frame.locator("[data-testid='stToolbar']").count() == 0
    bottom = frame.evaluate(
        "(() => { const b = document.querySelector('.js-plotly-plot').getBoundingClientRect();"
        " return b.bottom + window.scrollY; })()"
    )
    assert bottom <= int(frame_element.get_attribute("height")), bottom
    frame_element.scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / "embed-in-an-article.png")
    # Another tab rewrites the view's parameters; Streamlit keeps embed=true in the frame.
    frame.get_by_role("tab", name="Table").click()
    frame.wait_for_url(re.compile(r"view=table"), timeout=15_000)
    assert frame.url == (
        f"{shipped.url}?embed=true&leader=putin&leader=erdogan&match=all&view=table&lanes=country"
    )
    page.context.close()
