"""Times of day and authored stories in the data: validated on both paths, kept by the
TimelineJS importers, and told in order by the static page and the TimelineJS export."""

import datetime as dt
import json
import re
from html.parser import HTMLParser

import pytest
from conftest import ROOT
from handwritten import padded

from timeline import DataError, figures
from timeline.exporters.html import static_page
from timeline.exporters.timelinejs import timelinejs
from timeline.exporters.view import ExportError, View, read_view
from timeline.fastpath import read_fast, ryml
from timeline.files import load_file
from timeline.importers.command import IMPORTERS
from timeline.importers.common import Options
from timeline.importers.yamlout import render
from timeline.loader import FAST_PATH_MIN_BYTES, parse_carefully, parse_events
from timeline.story import steps

TODAY = dt.date(2024, 5, 1)
STORY = ROOT / "tests" / "data" / "story.yaml"
WOMEN = ROOT / "tests" / "data" / "import" / "women_in_computing.json"

HEAD = """\
title: T
people:
  ana: {name: Ana}
sources:
  src: {title: S, publisher: P, date: "2030"}
events:
"""


def event(eid: str = "e1", date: str = "2030-05-01", **fields: str) -> str:
    """One event of a file, its extra fields (times, end) written as quoted text."""
    extra = "".join(f'\n    {k}: "{v}"' for k, v in fields.items())
    return (
        f'  - id: {eid}\n    title: {eid.title()}\n    date: "{date}"{extra}\n'
        "    kind: meeting\n    summary: S.\n    sources: [src]\n"
    )


def messages(text: str) -> list[str]:
    """The careful path's messages for a file, without their file and line."""
    with pytest.raises(DataError) as err:
        parse_carefully(text, "t.yaml")
    return [line.split(": ", 1)[1] for line in err.value.lines()]


# --- Times of day -------------------------------------------------------------------------

BAD_TIMES = [
    ({"time": "25:00"}, r"events\[0\]\.time: '25:00' is not a valid time of day \(expected HH:MM"),
    ({"time": "9:05"}, r"events\[0\]\.time: '9:05' is not a valid time of day"),
    ({"time": "14:30:00"}, r"events\[0\]\.time: '14:30:00' is not a valid time"),
    ({"time": "14h30"}, r"'14h30' is not a valid time of day \(expected HH:MM, 24-hour"),
    ({"time": "١٤:٣٠"}, r"is not a valid time of day"),  # Arabic-Indic digits
    ({"end_time": "24:00", "time": "10:00"}, r"events\[0\]\.end_time: '24:00' is not a valid"),
    ({"end_time": "10:00"}, r"events\[0\]\.end_time: '10:00' is given without a time "
     r"\(expected `time` with `end_time`"),
    ({"time": "14:30", "end_time": "14:29"}, r"events\[0\]\.end_time: '14:29' is before the "
     r"time '14:30' on the same day \(expected an end time on or after the time\)"),
    ({"time": "00:00", "end": "2030-04-30"}, r"events\[0\]\.end: '2030-04-30' is before the date"),
]  # fmt: skip


@pytest.mark.parametrize(("fields", "message"), BAD_TIMES)
def test_a_bad_time_is_refused_naming_the_field_and_echoing_the_value(fields, message):
    with pytest.raises(DataError, match=message):
        parse_carefully(HEAD + event(**fields), "t.yaml")


@pytest.mark.parametrize(
    ("date", "fields", "message"),
    [
        ("2030-05", {"time": "10:00"}, r"events\[0\]\.time: '10:00' is given with the date "
         r"'2030-05', which is not a whole day \(expected a time only with a date written "
         r"YYYY-MM-DD\)"),
        ("2030", {"time": "10:00"}, r"the date '2030', which is not a whole day"),
        ("2030-05-01", {"time": "10:00", "end": "2030-06", "end_time": "11:00"},
         r"events\[0\]\.end_time: '11:00' is given with the date '2030-06', which is not"),
    ],
)  # fmt: skip
def test_a_time_needs_a_whole_day(date, fields, message):
    with pytest.raises(DataError, match=message):
        parse_carefully(HEAD + event(date=date, **fields), "t.yaml")


@pytest.mark.parametrize(
    "fields",
    [
        {"time": "00:00"},
        {"time": "23:59", "end_time": "23:59"},  # an end at its start is no end before it
        {"time": "23:00", "end": "2030-05-02", "end_time": "01:00"},  # past midnight
    ],
)
def test_good_times_load_and_show_in_the_frame(fields):
    frame = parse_events(HEAD + event(**fields)).events
    assert frame.loc[0, "time"] == fields["time"]
    assert frame.loc[0, "end_time"] == fields.get("end_time", "")


def test_a_day_is_ordered_by_time_then_the_files_order():
    text = HEAD + "".join(
        event(eid, "2030-05-01", **({"time": t} if t else {}))
        for eid, t in [("late", "20:00"), ("none", ""), ("early", "09:15"), ("alsoearly", "09:15")]
    ) + event("before", "2030-04-30", time="23:59")  # fmt: skip
    data = parse_events(text)
    order = ["before", "none", "early", "alsoearly", "late"]
    assert list(data.events["id"]) == order
    assert [s.event_id for s in steps(data.events, data)[1:]] == order


# --- Stories ------------------------------------------------------------------------------

TWO = HEAD + event("talks") + event("dinner")


@pytest.mark.parametrize(
    ("stories", "expected"),
    [
        ("  - {id: s, title: S, steps: [{event: talk}]}",
         ["stories[0].steps[0].event: unknown event 'talk' (did you mean 'talks'? known: "
          "dinner, talks)"]),
        ("  - {id: s, title: S, steps: [{event: talks}]}\n"
         "  - {id: s, title: T, steps: [{event: dinner}]}",
         ["stories[1].id: duplicate id 's' (already used by stories[0]; expected each story "
          "id once)"]),
        ("  - {id: s, title: S, steps: []}",
         ["stories[0].steps: expected at least one entry but got none"]),
        ("  - {id: S!, title: S, steps: [{event: talks}]}",
         ["stories[0].id: 'S!' is not a valid id (expected lowercase letters, digits and "
          "single hyphens, at most 80 characters, like 'tehran-trilateral-2022')"]),
        ("  - {id: s, title: S, steps: [{event: talks, naration: x}]}",
         ["stories[0].steps[0].naration: unknown field 'naration' (did you mean 'narration'? "
          "expected one of: event, narration)"]),
        ("  - {id: s, steps: [{event: talks}]}",
         ["stories[0]: missing required field 'title' (fields are: id, title, description, "
          "steps, translations)"]),
    ],
)  # fmt: skip
def test_stories_are_checked_with_located_messages(stories, expected):
    assert messages(TWO + "stories:\n" + stories + "\n") == expected


def test_a_story_message_names_its_line():
    text = TWO + "stories:\n  - id: s\n    title: S\n    steps:\n      - {event: talks}\n" \
        "      - {event: lunch}\n"  # fmt: skip
    with pytest.raises(DataError) as err:
        parse_carefully(text, "t.yaml")
    line = text.splitlines().index("      - {event: lunch}") + 1
    column = text.splitlines()[line - 1].index("lunch") + 1
    assert err.value.lines() == [
        f"t.yaml:{line}:{column}: stories[0].steps[1].event: unknown event 'lunch' (known: dinner, talks)"
    ]


def test_the_shipped_data_and_the_story_file_validate():
    shipped = load_file(ROOT / "events.yaml")
    assert shipped.stories == ()  # no authored story in the shipped data
    data = load_file(STORY)
    assert [s.id for s in data.stories] == ["backwards", "short"]
    assert data.stories[0].steps[0].narration == "Start at the end <b>here</b>."


def test_the_disk_cache_keeps_stories_and_times(tmp_path):
    from timeline.files import read_entry, write_entry

    data = load_file(STORY)
    path = tmp_path / "entry.arrow"
    with path.open("wb") as out:
        write_entry(data, out)
    back = read_entry(path)
    assert back.stories == data.stories
    assert list(back.events["time"]) == list(data.events["time"])


# --- Both paths ----------------------------------------------------------------------------

BOTH = [
    HEAD + event("a", time="14:30") + event("b", time="09:00", end_time="10:15"),
    HEAD + event("a") + event("b", time="23:00", end="2030-05-02", end_time="00:30"),
    TWO + "stories:\n  - id: s\n    title: S\n    description: D\n    steps:\n"
    "      - {event: dinner, narration: First}\n      - event: talks\n",
]


@pytest.mark.skipif(ryml is None, reason="rapidyaml is not installed")
@pytest.mark.parametrize("text", BOTH)
def test_the_fast_path_reads_times_and_stories_as_the_careful_path(text):
    big = padded(text, FAST_PATH_MIN_BYTES)
    fast, careful = read_fast(big), parse_carefully(big)
    assert not isinstance(fast, str), fast
    assert fast.stories == careful.stories
    assert list(fast.events["id"]) == list(careful.events["id"])
    for column in ("time", "end_time"):
        assert list(fast.events[column]) == list(careful.events[column])


@pytest.mark.skipif(ryml is None, reason="rapidyaml is not installed")
@pytest.mark.parametrize(
    "text",
    [
        HEAD + event(time="14:30", end_time="14:00"),
        HEAD + event(end_time="14:00"),
        HEAD + event(date="2030-05", time="14:00"),
        TWO + "stories:\n  - {id: s, title: S, steps: [{event: nope}]}\n",
        TWO + "stories:\n  - {id: s, title: S, steps: [{event: talks}]}\n"
        "  - {id: s, title: S, steps: [{event: talks}]}\n",
    ],
)
def test_a_broken_rule_sends_the_file_to_the_careful_path(text):
    big = padded(text, FAST_PATH_MIN_BYTES)
    assert isinstance(read_fast(big), str)
    with pytest.raises(DataError) as err:
        parse_events(big)
    assert err.value.lines() == [
        line.replace("t.yaml", "events.yaml") for line in _lines(parse_carefully, big)
    ]


def _lines(load, text: str) -> list[str]:
    with pytest.raises(DataError) as err:
        load(text, "t.yaml")
    return err.value.lines()


# --- Out: the TimelineJS export and the static page ----------------------------------------


@pytest.fixture(scope="module")
def story_data():
    return load_file(STORY)


def view_of(data, query: str = "") -> View:
    view, notices = read_view(data, query)
    assert notices == []
    return view


@pytest.mark.parametrize(
    ("query", "ids", "narrations"),
    [
        ("", ["untimed-call", "morning-talks", "late-dinner", "next-day"], [None] * 4),
        ("story=backwards", ["next-day", "late-dinner", "morning-talks"],
         ["Start at the end &lt;b&gt;here&lt;/b&gt;.", None, "Then the morning."]),
        ("story=backwards&kind=meeting", ["late-dinner", "morning-talks"],
         [None, "Then the morning."]),  # a filtered story keeps the steps it shows
        ("story=short", ["untimed-call"], [None]),
    ],
)  # fmt: skip
def test_the_timelinejs_export_keeps_the_story_order_and_narration(
    story_data, query, ids, narrations
):
    doc = timelinejs(view_of(story_data, query))
    assert [e["unique_id"] for e in doc["events"]] == ids
    for slide, narration in zip(doc["events"], narrations, strict=True):
        first = re.match(r"<p[^>]*><b>(.*?)</b></p>", slide["text"]["text"])  # lang marked
        assert (first[1] if first else None) == narration


def test_the_timelinejs_export_gives_times_of_day(story_data):
    slides = {e["unique_id"]: e for e in timelinejs(view_of(story_data))["events"]}
    dinner = slides["late-dinner"]
    assert dinner["start_date"] == {"year": 2030, "month": 5, "day": 1, "hour": 20, "minute": 0}
    assert dinner["end_date"] == {"year": 2030, "month": 5, "day": 1, "hour": 22, "minute": 30}
    assert dinner["display_date"] == "1 May 2030, 20:00–22:30"
    assert slides["morning-talks"]["start_date"]["hour"] == 9
    assert "end_date" not in slides["morning-talks"]
    assert "hour" not in slides["untimed-call"]["start_date"]


def test_an_authored_story_titles_the_timelinejs_file(story_data):
    doc = timelinejs(view_of(story_data, "story=backwards"))
    assert doc["title"]["text"] == {
        "headline": "Told backwards",
        "text": "<p>The day from its end.</p>",
    }


def test_an_unknown_story_is_an_export_error(story_data):
    view, _ = read_view(story_data, "story=nope")
    with pytest.raises(ExportError, match=r"story: no story has the id 'nope' \(valid: backwards"):
        timelinejs(view)
    with pytest.raises(ExportError, match=r"no story has the id 'nope'"):
        static_page(view, figures, exported=TODAY)


class Links(HTMLParser):
    """The page's ids, and each step's previous and next links by the element they are in."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.stack: list[str] = []  # ids of the open elements that have one
        self.links: dict[str, dict[str, str]] = {}  # owner id -> rel -> href
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if "id" in a:
            self.ids.add(a["id"])
        if tag in ("article", "section", "header"):
            self.stack.append(a.get("id") or "")
        if tag == "a" and a.get("rel") in ("prev", "next"):
            owner = next((i for i in reversed(self.stack) if i), "")
            self.links.setdefault(owner, {})[a["rel"]] = a["href"]

    def handle_endtag(self, tag):
        if tag in ("article", "section", "header"):
            self.stack.pop()


def walk(links: Links, start: str, rel: str) -> list[str]:
    """Follow the `rel` links from an element's id; return the ids reached, in order."""
    seen = [start]
    while (href := links.links.get(seen[-1], {}).get(rel)) is not None:
        assert href.startswith("#") and href[1:] in links.ids, href  # an anchor on the page
        seen.append(href[1:])
    return seen


def parsed(view: View) -> tuple[str, Links]:
    page = static_page(view, figures, exported=TODAY)
    links = Links()
    links.feed(page)
    return page, links


def test_the_static_page_walks_every_event_by_anchors(story_data):
    page, links = parsed(view_of(story_data))
    order = ["untimed-call", "morning-talks", "late-dinner", "next-day"]
    articles = re.findall(r'<article id="event-([^"]+)"', page)
    assert articles == order
    start = re.search(r'<a href="#([^"]+)">Read it as a story', page)[1]
    assert start == "event-untimed-call"
    assert walk(links, start, "next") == [f"event-{i}" for i in order]
    assert walk(links, "event-next-day", "prev") == [f"event-{i}" for i in reversed(order)] + [
        "top"
    ]
    assert 'aria-label="Events, step 3 of 5"' in page  # the title step is step 1


def test_the_static_page_tells_an_authored_story_as_sections(story_data):
    page, links = parsed(view_of(story_data, "story=backwards"))
    assert re.search(r'<a href="#([^"]+)">Read it as a story', page)[1] == "story"
    steps_found = walk(links, "story", "next")
    assert steps_found == ["story", "step-2", "step-3", "step-4"]
    sections = re.findall(
        r'<section class="step" id="(step-\d)"><h3><a href="#event-([^"]+)"', page
    )
    assert sections == [
        ("step-2", "next-day"),
        ("step-3", "late-dinner"),
        ("step-4", "morning-talks"),
    ]
    assert "<p>Start at the end &lt;b&gt;here&lt;/b&gt;.</p>" in page  # narration, escaped
    assert walk(links, "step-4", "prev") == ["step-4", "step-3", "step-2", "story"]


def test_the_story_needs_no_script(story_data):
    # The chart is the page's only script: without it (too many markers) there is none,
    # and the story's links are all still there.
    class NoChart:
        MAX_MARKERS = 0
        MAX_MARKS = 0
        timeline_figure = staticmethod(figures.timeline_figure)
        add_timeline_periods = staticmethod(figures.add_timeline_periods)

    page = static_page(view_of(story_data, "story=backwards"), NoChart(), exported=TODAY)
    links = Links()
    links.feed(page)
    assert links.scripts == 0
    assert walk(links, "story", "next")[-1] == "step-4"
    assert walk(links, "event-untimed-call", "next")[-1] == "event-next-day"


def test_the_pages_and_the_commands_static_page_agree_on_the_story(story_data, tmp_path):
    from timeline.cli import main

    out = tmp_path / "page.html"
    assert main(["export", "html", str(STORY), "--query", "story=backwards", "-o", str(out)]) == 0
    view = view_of(story_data, "story=backwards")
    mine = static_page(view, figures, exported=dt.date.today())
    assert out.read_text(encoding="utf-8") == mine


# --- The women_in_computing import read as a story ------------------------------------------


def _women(raw: bytes):
    imported = IMPORTERS["timelinejs"](raw, WOMEN.name, Options(), TODAY)
    return parse_events(render(imported, WOMEN.name, "TimelineJS JSON", TODAY))


def _tjs_key(date: dict) -> tuple[int, ...]:
    """TimelineJS's order of a slide: its start date, missing parts counting as the first."""
    parts = [date.get(k) for k in ("year", "month", "day", "hour", "minute")]
    return tuple(int(p) if p not in (None, "") else (1 if i in (1, 2) else 0)
                 for i, p in enumerate(parts))  # fmt: skip


def test_women_in_computing_reads_as_a_story_in_timelinejs_order():
    source = json.loads(WOMEN.read_bytes())
    data = _women(WOMEN.read_bytes())
    told = steps(data.events, data)
    assert len(told) == 11 and told[0].headline == "Women in Computing"
    # TimelineJS shows the slides by start date (a stable sort): the story's order.
    expected = sorted(source["events"], key=lambda e: _tjs_key(e["start_date"]))
    titles = {e["id"]: e["title"] for e in data.events.to_dict("records")}
    assert [titles[s.event_id] for s in told[1:]] == [
        e["text"]["headline"].replace("&quot;", '"') for e in expected
    ]
    # Every slide's media is kept: an image or page as media, the quote slide as a quote.
    rows = {r["title"]: r for r in data.events.to_dict("records")}
    for slide in expected:
        row = rows[slide["text"]["headline"].replace("&quot;", '"')]
        url = slide["media"]["url"]
        if url.startswith("<blockquote"):
            assert row["quotes"][0]["text"].startswith("There is no demand for women engineers")
        else:
            assert row["media"]["url"] == url
    assert not data.events["note"].str.contains("time of day").any()  # no time was dropped


def test_women_in_computing_keeps_times_of_day_given_to_its_slides():
    source = json.loads(WOMEN.read_bytes())
    ada = source["events"][0]
    ada["start_date"] |= {"hour": "9", "minute": "30"}
    ada["end_date"] |= {"hour": "17", "minute": "5"}
    source["events"][1]["start_date"] |= {"hour": "14"}  # Edith Clarke, an hour alone
    data = _women(json.dumps(source).encode())
    by_title = data.events.set_index("title")
    assert by_title.loc["Ada Lovelace", "time"] == "09:30"
    assert by_title.loc["Ada Lovelace", "end_time"] == "17:05"
    assert by_title.loc["Edith Clarke: Bucking the Trend", "time"] == "14:00"
    slides = timelinejs(view_of(data))["events"]
    ada_slide = next(s for s in slides if s["text"]["headline"] == "Ada Lovelace")
    assert ada_slide["start_date"] == {
        "year": 1815,
        "month": 12,
        "day": 10,
        "hour": 9,
        "minute": 30,
    }
    assert ada_slide["end_date"] == {"year": 1852, "month": 11, "day": 27, "hour": 17, "minute": 5}


# --- In a browser with JavaScript off (slow) -----------------------------------------------


@pytest.mark.browser
def test_the_static_story_steps_by_its_links_with_javascript_off(story_data, tmp_path):
    from test_browser import CHROMIUM, _need_browser

    _need_browser()
    from playwright.sync_api import sync_playwright

    path = tmp_path / "story.html"
    view = view_of(story_data, "story=backwards")
    path.write_text(static_page(view, figures, exported=TODAY), encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        page = browser.new_context(java_script_enabled=False).new_page()
        page.goto(path.as_uri())
        page.get_by_role("link", name="Read it as a story, one event at a time").click()
        reached = [page.url.rsplit("#", 1)[1]]
        while (step := page.locator(":target nav.step a[rel=next]")).count():
            step.first.click()
            reached.append(page.url.rsplit("#", 1)[1])
        assert reached == ["story", "step-2", "step-3", "step-4"]
        assert page.locator(":target h3").inner_text() == "Morning talks"
        page.locator(":target h3 a").click()  # to the event's full entry
        assert page.url.endswith("#event-morning-talks")
        assert "We begin early" in page.locator(":target").inner_text()
        reached = [page.url.rsplit("#", 1)[1]]
        while (step := page.locator(":target nav.step a[rel=next]")).count():
            step.first.click()
            reached.append(page.url.rsplit("#", 1)[1])
        assert reached == ["event-morning-talks", "event-late-dinner", "event-next-day"]
        browser.close()
