"""The ways out, checked by their real consumers in Chromium: TimelineJS, a browser, an iframe.

TimelineJS3 (and plotly.js's basic bundle, to compare with the one this repository ships)
come from the npm registry into this session's temporary folder; without npm these tests
are skipped, except in CI, where they fail.
"""

import contextlib
import dataclasses
import datetime as dt
import json
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
from test_timelinejs_media import ADDRESSES, TYPES, in_a_file

from timeline import figures
from timeline.exporters.embed import embed_snippet, embed_url
from timeline.exporters.html import PLOTLY_BUNDLE, static_page
from timeline.exporters.timelinejs import timelinejs_json
from timeline.exporters.timelinejs_media import (
    TIMELINEJS_VERSION,
    safe_address,
    timelinejs_media_rule,
)
from timeline.exporters.view import View, read_view
from timeline.files import load_file
from timeline.frame import Dataset
from timeline.loader import parse_events
from timeline.state import FilterState

pytestmark = pytest.mark.browser

TIMELINEJS = f"@knight-lab/timelinejs@{TIMELINEJS_VERSION}"  # whose rules we copied
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


# TimelineJS's autolink turns text that starts with www. into a link, cut at the first space:
# a quote in it would end the href it writes (the export turns autolink off).
AUTOLINKED = "www.x'onfocus='alert(100)'autofocus='"


def addresses_data() -> Dataset:
    """Return a file with an event for each address of the table, as its media and its source's.

    An address the format refuses (no http(s) address) is put in after loading, as a file
    that skipped the checks would hold it: the export checks again.
    """
    given = [a.values[0].given for a in ADDRESSES]
    kept = [g if in_a_file(g) else "https://example.org/refused" for g in given]
    lines = ["title: Addresses", "people: {}", "sources:"]
    lines += [f"  s{i}: {{title: Source {i}, publisher: P, date: '2023', url: {json.dumps(u)}}}"
              for i, u in enumerate(kept)]  # fmt: skip
    lines.append("events:")
    for i, url in enumerate(kept):
        day = dt.date(2023, 1, 1) + dt.timedelta(days=3 * i)
        lines += [
            f"  - {{id: a{i}, title: Address {i}, date: '{day}', kind: meeting,",
            f"      summary: {json.dumps(AUTOLINKED)}, sources: [s{i}],",
            f"      media: {{url: {json.dumps(url)}, caption: {json.dumps(AUTOLINKED)},",
            f"               credit: {json.dumps(AUTOLINKED)}}}}}",
        ]
    data = parse_events("\n".join(lines) + "\n", "addresses.yaml")
    events = data.events.copy()
    events["media"] = [{**m, "url": g} for m, g in zip(events["media"], given, strict=True)]
    sources = {f"s{i}": data.sources[f"s{i}"].model_copy(update={"url": g})
               for i, g in enumerate(given)}  # fmt: skip
    return dataclasses.replace(data, events=events, sources=sources)


# Everything a script could hide in: handlers, elements that run or load, and what
# TimelineJS asked of the network, loaded or linked (resolved by the browser).
INSPECT = """() => {
    const handlers = [];
    for (const e of document.querySelectorAll('*'))
        for (const a of e.attributes)
            if (a.name.startsWith('on')) handlers.push(`${e.tagName} ${a.name}=${a.value}`);
    const tl = document.getElementById('timeline');
    return {
        handlers,
        elements: [...tl.querySelectorAll('script, iframe, svg, object, embed, video, audio')]
            .map(e => e.outerHTML.slice(0, 200)),
        images: [...tl.querySelectorAll('img')].map(i => i.src),
        links: [...tl.querySelectorAll('.tl-slide a')].map(a => a.getAttribute('href')),
        media: [...tl.querySelectorAll('.tl-slide .tl-media-item')].map(e => e.className),
        resolved: data.events.filter(e => e.media).map(e => new URL(e.media.url).href),
    };
}"""


def test_no_address_runs_script_in_timelinejs(browser, npm_packages, tmp_path):
    data = addresses_data()
    view = View.of(data, FilterState())
    base_url = "https://dash.example/'><img/src/onerror=alert(200)>"
    document = timelinejs_json(view, base_url)
    page_file = timelinejs_page(tmp_path, npm_packages, document, "addresses")
    page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    asked = offline(page)
    page.goto(page_file.as_uri())
    page.wait_for_function(
        f"document.querySelectorAll('.tl-slide').length === {len(view.shown) + 1}", timeout=15_000
    )
    # TimelineJS loads the media of the slides near the one shown; load every slide's.
    page.evaluate("window.timeline._storyslider._slides.forEach(s => s.loadMedia())")
    unsettled = (
        "window.timeline._storyslider._slides.filter(s => s._media && !s._media._state.loaded)"
    )
    from playwright.sync_api import TimeoutError as Unsettled

    # Every image is loaded or failed at once; other types wait for their APIs (listed below).
    with contextlib.suppress(Unsettled):
        page.wait_for_function(f"{unsettled}.length === 0", timeout=10_000)
    found = page.evaluate(INSPECT)
    found["unsettled"] = page.evaluate(f"{unsettled}.map(s => s.data.media.url)")
    texts = slide_texts(page)[1:]  # the title slide first
    page.screenshot(path=ARTIFACTS / "timelinejs-addresses.png")
    page.context.close()
    written = {a.values[0].written for a in ADDRESSES} | {safe_address(base_url)}
    assert dialogs == []
    assert found["handlers"] == [] and found["elements"] == []
    assert found["unsettled"] == []
    # Media only as TimelineJS's Image class, and only the images we meant.
    images = [a.values[0].written for a in ADDRESSES if a.values[0].use == "image"]
    assert [c for c in found["media"] if "tl-media-image" in c.split()] == found["media"]
    assert len(found["media"]) == len(images)
    assert set(found["images"]) == set(found["resolved"])
    assert len(found["resolved"]) == len(images)
    # Every link as the export wrote it (no autolink cut one up), each an address we meant.
    assert found["links"] and set(found["links"]) <= written, set(found["links"]) - written
    # The text reads as written (www<wbr>. shows as www.): the summary, and the caption and
    # credit of an image or a link (an address left out leaves them out).
    shown = [3 if a.values[0].written else 1 for a in ADDRESSES]
    assert [text.count(AUTOLINKED) for text in texts] == shown
    assert set(asked) <= set(found["resolved"]), set(asked) - set(found["resolved"])


def test_the_media_rules_are_timelinejs_own(browser, npm_packages, tmp_path):
    # Every address of the tables, as given and as written, typed by the real lookupMediaType.
    samples = {s for a in ADDRESSES for s in (a.values[0].given, a.values[0].written) if s}
    samples = sorted(samples | {address for address, _ in TYPES})
    page_file = timelinejs_page(tmp_path, npm_packages, "{}", "rules")
    page = browser.new_context().new_page()
    offline(page)
    page.goto(page_file.as_uri())
    theirs = page.evaluate("urls => urls.map(url => TL.lookupMediaType({url}).type)", samples)
    page.context.close()
    ours = [timelinejs_media_rule(s).type for s in samples]
    assert dict(zip(samples, ours, strict=True)) == dict(zip(samples, theirs, strict=True))


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


LABEL_BOXES = """() => {
    const gd = document.getElementById('chart');
    const svg = gd.querySelector('.main-svg').getBoundingClientRect();
    const plot = gd.querySelector('.cartesianlayer .xy .gridlayer').getBoundingClientRect();
    const size = gd._fullLayout._size;
    const plotLeft = svg.left + size.l;
    return [...gd.querySelectorAll('.ytick text')].map(t => {
        const r = t.getBoundingClientRect();
        return {text: t.textContent, left: r.left, right: r.right, svgLeft: svg.left, plotLeft};
    });
}"""


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("events.yaml", ""),  # two-line names over their state: "Recep Tayyip Erdogan (Turkey)"
        ("events.yaml", "lanes=country"),  # "No state named"
        ("edge.yaml", ""),
        ("states.yaml", "lanes=country"),
    ],
)
def test_no_lane_name_of_the_static_page_is_cut_at_any_width(browser, tmp_path, name, query):
    data = load_file(ROOT / name if name == "events.yaml" else DATA / name)
    view, _ = read_view(data, query)
    path = tmp_path / "page.html"
    path.write_text(static_page(view, figures, exported=dt.date(2024, 5, 1)), encoding="utf-8")
    for width in (320, 390, 768, 1280, 1920):
        page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
        page.goto(path.as_uri())
        page.wait_for_selector("#chart[data-drawn='true']", timeout=30_000)
        plotted(page)
        boxes = page.evaluate(LABEL_BOXES)
        assert len(boxes) == len(view.layout.lanes)
        for box in boxes:
            # Inside the chart's own picture at its left, and clear of the plot at its right.
            assert box["left"] >= box["svgLeft"] - 0.5, (width, box)
            assert box["right"] <= box["plotLeft"] + 0.5, (width, box)
        if width in (390, 1280):
            page.locator("#chart").screenshot(path=ARTIFACTS / f"static-lanes-{width}-{name}.png")
        page.context.close()
