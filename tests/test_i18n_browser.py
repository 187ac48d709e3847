"""The reader's language in a real browser: direction, the document's lang, ticks, the link, axe."""

import re

import pytest
from test_browser import ARTIFACTS, ROOT, browser, open_page, shipped  # noqa: F401 - fixtures by name
from test_publish_browser import npm_packages  # noqa: F401 - the fixture, by name
from test_readers import axe  # noqa: F401 - the fixture, by name

from timeline.state import FilterState

pytestmark = pytest.mark.browser

DIRECTION = """() => [
  document.documentElement.lang,
  getComputedStyle(document.querySelector('[data-testid="stMain"]')).direction,
  getComputedStyle(document.querySelector('[data-testid="stSidebar"]')).direction,
  [...document.querySelectorAll('.js-plotly-plot .xtick text')].map(t => t.textContent)[0],
]"""


@pytest.mark.parametrize(
    ("lang", "direction", "heading", "tick"),
    [
        ("en", "ltr", "Lanes", "Jan 2022"),
        ("ru", "ltr", "Дорожки", "янв. 2022\u202fг."),
        ("fa", "rtl", "مسیرها", "ژانویه ۲۰۲۲"),
        ("tr", "ltr", "Şeritler", "Oca 2022"),
        ("ar", "rtl", "المسارات", "يناير 2022"),
    ],
)
def test_each_language_reads_in_its_direction_with_its_ticks(
    shipped, browser, lang, direction, heading, tick
):
    page = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
    open_page(page, f"{shipped.url}?lang={lang}")
    page.get_by_role("heading", name=heading).wait_for()
    declared, main, sidebar, first_tick = page.evaluate(DIRECTION)
    assert (declared, main, sidebar) == (lang, direction, direction)
    assert first_tick == tick
    page.screenshot(path=str(ARTIFACTS / f"i18n-{lang}.png"))
    page.context.close()


def test_the_browsers_language_is_the_default_and_the_link_keeps_it(shipped, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="fa-IR")
    page = context.new_page()
    open_page(page, shipped.url)
    page.get_by_role("heading", name="مسیرها").wait_for()
    page.wait_for_url(lambda url: "lang=fa" in url, timeout=15_000)
    share = page.locator("[data-testid='stCode']").filter(has_text="?").last.inner_text()
    assert "lang=fa" in share
    context.close()


def test_axe_finds_nothing_serious_on_the_persian_page(shipped, browser, axe):
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    open_page(page, f"{shipped.url}?lang=fa")
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


def test_the_persian_details_show_the_files_persian_title_marked_fa(browser):
    # tests/data/translations.yaml: test data, its translations written for the tests.
    from test_browser import ROOT, Server

    server = Server(ROOT / "tests" / "data" / "translations.yaml")
    try:
        page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        open_page(page, f"{server.url}?lang=fa&event=tehran-2022")
        dialog = page.locator("[data-testid='stDialog']")
        title = dialog.locator("h3[lang='fa']")
        title.wait_for()
        assert (title.inner_text(), title.get_attribute("dir")) == ("پوتین در تهران", "auto")
        # The note has no translation: the English original, marked so.
        note = dialog.locator("span[lang='en']")
        assert note.inner_text() == "The date is the day of arrival."
        heading = page.locator("h1[lang='fa']")
        assert heading.inner_text() == "دیدار همسایگان"
        page.screenshot(path=str(ARTIFACTS / "i18n-fa-translation.png"))
        page.context.close()
    finally:
        server.stop()


@pytest.mark.parametrize(
    ("lang", "taking_part", "sources", "when"),
    [
        ("fa", "شرکت‌کنندگان:", "منابع", "ژانویه ۲۰۲۲"),
        ("ru", "Участники:", "Источники", "январь 2022\u202fг."),
    ],
)
def test_the_details_card_is_labelled_in_the_language(shipped, browser, lang, taking_part,
                                                       sources, when):  # fmt: skip
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    open_page(page, f"{shipped.url}?lang={lang}&event=raisi-moscow-2022-01")
    dialog = page.locator("[data-testid='stDialog']")
    dialog.locator("b", has_text=sources).wait_for()
    # Waited for, not read once: the dialog is drawn again while the page settles (its width
    # measured), and a read between two drawings saw a half-drawn card (2 of 4 runs under load).
    exact = re.compile(rf"^\s*{re.escape(taking_part)}\s*$")
    dialog.locator("b", has_text=exact).first.wait_for()
    # The date in the language; on a right-to-left page isolated from the English around it.
    dialog.locator("bdi" if lang == "fa" else "p", has_text=when).first.wait_for()
    page.screenshot(path=str(ARTIFACTS / f"i18n-details-{lang}.png"))
    page.context.close()


def test_timelinejs_reads_the_files_language_option(browser, npm_packages, tmp_path):
    """The Persian TimelineJS file, loaded as the README says (its options beside the data),
    turns TimelineJS itself Persian: its right-to-left layout from its own fa locale."""
    import dataclasses
    import functools
    import http.server
    import threading

    from test_publish_browser import console_errors

    from timeline.exporters.timelinejs import timelinejs_json
    from timeline.files import load_file
    from timeline.selection import read_view

    view, _ = read_view(load_file(ROOT / "events.yaml"), "")
    document = timelinejs_json(dataclasses.replace(view, state=FilterState(lang="fa")))
    (tmp_path / "page.html").write_text(
        f"""<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<link rel="stylesheet" href="lib/@knight-lab/timelinejs/dist/css/timeline.css">
<script src="lib/@knight-lab/timelinejs/dist/js/timeline.js"></script></head>
<body><div id="timeline" style="width:100%;height:640px"></div>
<script type="application/json" id="export">{document}</script>
<script>
  const doc = JSON.parse(document.getElementById("export").textContent);
  const where = {{font: null, script_path: "lib/@knight-lab/timelinejs/dist/js/"}};
  window.timeline = new TL.Timeline("timeline", doc, Object.assign(where, doc.options));
</script></body></html>""",
        encoding="utf-8",
    )
    (tmp_path / "lib").symlink_to(npm_packages)
    # TimelineJS fetches its locale file: served over http, as a page that embeds it would be.
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = browser.new_context(viewport={"width": 1200, "height": 800}).new_page()
        errors = console_errors(page)
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/page.html")
        page.wait_for_selector("#timeline.tl-rtl .tl-slide", timeout=30_000)
        titles = page.evaluate(
            "[...document.querySelectorAll('.tl-slide')].map(s => s.textContent)"
        )
        assert any("۱۹ ژوئیه ۲۰۲۲" in text for text in titles)  # our display_date
        assert errors == []
        page.screenshot(path=str(ARTIFACTS / "i18n-timelinejs-fa.png"))
        page.context.close()
    finally:
        server.shutdown()
