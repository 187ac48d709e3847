"""The story's steps (timeline/story.py) as tables: order, authored stories, filters, links."""

import datetime as dt
import html
import re
from types import SimpleNamespace

import pandas as pd
import pytest
import yaml
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from timeline import story
from timeline.importers.common import Options
from timeline.importers.timelinejs import import_timelinejs
from timeline.importers.yamlout import render
from timeline.loader import parse_events
from timeline.story import Step, StoryError
from timeline.text import escape


def frame(*rows: tuple) -> pd.DataFrame:
    """Return a frame of events as the file lists them: (id, first day, time or None[, last])."""
    return pd.DataFrame(
        {
            "id": [r[0] for r in rows],
            "title": [f"Title {r[0]}" for r in rows],
            "start": pd.to_datetime([r[1] for r in rows]),
            "last": pd.to_datetime([r[3] if len(r) > 3 else r[1] for r in rows]),
            "time": [r[2] for r in rows],
        }
    )


ORDERS = [
    # (why, rows in the file's order, expected ids)
    ("one day, no times: the file's order", [("a", "2022-07-19", None), ("b", "2022-07-19", None)],
     ["a", "b"]),
    ("one day, times: by the time", [("a", "2022-07-19", "15:00"), ("b", "2022-07-19", "09:30")],
     ["b", "a"]),
    ("no time counts as the start of its day",
     [("a", "2022-07-19", "10:00"), ("b", "2022-07-19", None), ("c", "2022-07-19", "08:00")],
     ["b", "c", "a"]),
    ("the same time: the file's order", [("a", "2022-07-19", "10:00"), ("b", "2022-07-19", "10:00")],
     ["a", "b"]),
    ("the date before the time", [("a", "2022-07-20", "01:00"), ("b", "2022-07-19", "23:59")],
     ["b", "a"]),
    ("rows out of date order", [("a", "2023-01-01", None), ("b", "2022-01-01", None)], ["b", "a"]),
    ("a month's event starts on its first day",
     [("day", "2022-07-02", None), ("month", "2022-07-01", None)], ["month", "day"]),
    ("a text that is no time is no time",
     [("a", "2022-07-19", "09:00"), ("b", "2022-07-19", "soon")], ["b", "a"]),
    ("a single-digit hour", [("a", "2022-07-19", "10:00"), ("b", "2022-07-19", "9:15")],
     ["b", "a"]),
]  # fmt: skip


@pytest.mark.parametrize("why, rows, expected", ORDERS, ids=[o[0] for o in ORDERS])
def test_events_are_ordered_by_date_then_time_then_the_files_order(why, rows, expected):
    assert story.event_order(frame(*rows)) == expected


def test_a_frame_without_a_time_column_is_ordered_by_date_then_the_files_order():
    events = frame(("a", "2022-07-19", None), ("b", "2022-07-18", None), ("c", "2022-07-19", None))
    assert story.event_order(events.drop(columns="time")) == ["b", "a", "c"]


@pytest.mark.parametrize(
    "text, expected",
    [("00:00", 0), ("09:05", 545), ("9:05", 545), ("23:59", 1439), (" 14:30 ", 870),
     ("24:00", -1), ("12:60", -1), ("noon", -1), ("", -1), (None, -1), (float("nan"), -1),
     (1430, -1)],
)  # fmt: skip
def test_a_time_of_day_is_read_as_minutes_or_none(text, expected):
    assert story.minutes(text) == expected


def data(*stories: tuple, description: str | None = "All of it.") -> SimpleNamespace:
    """Return a stand-in Dataset: its title, description and authored stories.

    Each story is (id, title, description, [(event, narration), ...]).
    """
    return SimpleNamespace(
        title="The file",
        description=description,
        stories=[
            SimpleNamespace(
                id=sid, title=title, description=about,
                steps=[SimpleNamespace(event=e, narration=n) for e, n in told],
                translations=None,
            )
            for sid, title, about, told in stories
        ],
    )  # fmt: skip


THREE = frame(("c", "2022-03-01", None), ("a", "2022-01-01", None), ("b", "2022-02-01", None))
TOLD = ("told", "Told backwards", "A flashback.", [("c", "Last first."), ("a", None), ("b", "")])


def test_without_a_story_the_steps_are_a_title_then_every_shown_event_in_order():
    assert story.steps(THREE, data()) == [
        Step(None, "The file", "All of it.", 1, 4),
        Step("a", "Title a", None, 2, 4),
        Step("b", "Title b", None, 3, 4),
        Step("c", "Title c", None, 4, 4),
    ]


def test_an_authored_story_keeps_its_order_narration_and_titles():
    assert story.steps(THREE, data(TOLD), "told") == [
        Step(None, "Told backwards", "A flashback.", 1, 4),
        Step("c", "Title c", "Last first.", 2, 4),
        Step("a", "Title a", None, 3, 4),
        Step("b", "Title b", None, 4, 4),  # an empty narration is none
    ]


FILTERED = [
    # (why, the shown events' ids, the story's steps' events, expected ids, hidden)
    ("a step the filters hide is left out", ["a", "b"], ["c", "a", "b"], ["a", "b"], ["c"]),
    ("every step hidden", [], ["c", "a"], [], ["c", "a"]),
    ("an event twice is told once", ["a", "b", "c"], ["a", "b", "a"], ["a", "b"], []),
    ("an id no event has is hidden", ["a"], ["a", "ghost"], ["a"], ["ghost"]),
]


@pytest.mark.parametrize("why, shown, told, expected, gone", FILTERED, ids=[f[0] for f in FILTERED])
def test_an_authored_story_is_told_over_the_shown_events_only(why, shown, told, expected, gone):
    events = THREE[THREE["id"].isin(shown)]
    the = data(("s", "S", None, [(e, None) for e in told]))
    got = story.steps(events, the, "s")
    assert [s.event_id for s in got] == [None, *expected]
    assert [s.position for s in got] == list(range(1, len(expected) + 2))
    assert {s.total for s in got} == {len(expected) + 1}
    assert story.hidden(events, the, "s") == gone


def test_without_a_story_nothing_is_hidden_and_no_events_leave_the_title_step():
    assert story.hidden(THREE.iloc[:0], data(TOLD), None) == []
    assert story.steps(THREE.iloc[:0], data(description=None)) == [
        Step(None, "The file", None, 1, 1)
    ]


def test_a_storys_title_step_falls_back_to_the_files_title_for_its_words():
    the = data(("s", "S", None, [("a", None)]))
    assert story.steps(THREE, the, "s")[0] == Step(None, "S", "The file", 1, 2)


@pytest.mark.parametrize(
    "stories, asked, message",
    [
        ((TOLD,), "nope", r"^story: no story has the id 'nope' \(valid: told\)$"),
        ((), "told", r"^story: no story has the id 'told' \(this file has no stories\)$"),
        (tuple((f"s{i}", "S", None, [("a", None)]) for i in range(10)), "x" * 80,
         r"^story: no story has the id 'x{60}'\.\.\. \(80 characters\) \(valid: s0, s1, s2, "
         r"s3, s4, s5, s6, s7, \.\.\.\)$"),
    ],
)  # fmt: skip
def test_an_unknown_story_id_names_the_field_echoes_it_and_lists_the_valid_ones(
    stories, asked, message
):
    with pytest.raises(StoryError, match=message):
        story.steps(THREE, data(*stories), asked)
    with pytest.raises(StoryError, match=message):
        story.hidden(THREE, data(*stories), asked)


def test_a_file_without_stories_has_no_ids_and_a_blank_id_is_no_story():
    assert story.story_ids(SimpleNamespace(title="T", description=None, stories=None)) == ()
    assert story.story_ids(data(TOLD)) == ("told",)
    assert story.find_story(data(TOLD), "") is None


STEPS = story.steps(THREE, data())


def _name(step: Step | None) -> str | None:
    return None if step is None else (step.event_id or "title")


@pytest.mark.parametrize(
    "event, position, before, after",
    [
        (None, 1, None, "a"),
        ("a", 2, "title", "b"),  # the step before the first event is the title step
        ("b", 3, "a", "c"),
        ("c", 4, "b", None),
        ("ghost", 1, None, "a"),  # an event that is no step: the first step
    ],
)
def test_the_step_for_an_event_and_its_neighbours(event, position, before, after):
    step = story.step_for(STEPS, event)
    assert (step.position, step.label) == (position, f"{position} of 4")
    assert _name(story.previous(STEPS, step)) == before
    assert _name(story.following(STEPS, step)) == after


def test_previous_of_the_first_and_next_of_the_last_are_none():
    assert story.previous(STEPS, STEPS[0]) is None
    assert story.following(STEPS, STEPS[-1]) is None
    assert story.previous(STEPS, STEPS[1]) == STEPS[0]
    assert story.following(STEPS, STEPS[0]) == STEPS[1]


D = dt.date
NEAR = [
    # (why, rows, the step's event, expected window)
    ("one day's events: a month around it",
     [("a", "2022-07-19", None), ("b", "2022-07-19", None), ("c", "2022-07-19", None)], "b",
     (D(2022, 7, 2), D(2022, 8, 6))),  # 19 July -14 and +15, then 3 days each side
    ("from the step before to the step after, a tenth (36 days) more each side",
     [("a", "2022-01-01", None), ("b", "2022-06-01", None), ("c", "2022-12-31", None)], "b",
     (D(2021, 11, 26), D(2023, 2, 5))),
    ("the first event: itself and the next",
     [("a", "2022-01-01", None), ("b", "2022-12-31", None)], "a",
     (D(2021, 11, 26), D(2023, 2, 5))),
    ("an event's last day counts",
     [("a", "2022-01-01", None, "2022-12-31")], "a", (D(2021, 11, 26), D(2023, 2, 5))),
    ("at the calendar's start", [("a", "0001-01-01", None)], "a", (D.min, D(1, 1, 17))),
]  # fmt: skip


@pytest.mark.parametrize("why, rows, event, window", NEAR, ids=[n[0] for n in NEAR])
def test_the_chart_shows_the_neighbourhood_of_the_step(why, rows, event, window):
    events = frame(*rows)
    told = story.steps(events, data())
    assert story.neighbourhood(events, told, story.step_for(told, event)) == window


def test_the_title_step_and_an_event_not_shown_have_no_neighbourhood():
    assert story.neighbourhood(THREE, STEPS, STEPS[0]) is None
    assert story.neighbourhood(THREE.iloc[:1], STEPS, STEPS[2]) is None


@pytest.mark.parametrize(
    "step, words",
    [
        (Step("a", "Putin meets Raisi", None, 3, 10), "3 of 10: Putin meets Raisi"),
        (Step(None, "T" * 300, None, 1, 2), "1 of 2: " + "T" * 197 + "..."),
    ],
)
def test_a_step_is_announced_by_its_position_and_headline(step, words):
    assert story.announcement(step) == words


def test_the_shipped_storys_days_keep_the_files_order():
    text = (ROOT / "events.yaml").read_text(encoding="utf-8")
    listed = yaml.safe_load(text)["events"]
    told = [s.event_id for s in story.steps(parse_events(text).events, parse_events(text))][1:]
    assert sorted(map(str, told)) == sorted(e["id"] for e in listed)
    by_day: dict[str, list[str]] = {}
    for event in listed:
        by_day.setdefault(str(event["date"]), []).append(event["id"])
    for day, ids in by_day.items():
        if len(ids) > 1 and not any(e.get("time") for e in listed if e["id"] in ids):
            assert [e for e in told if e in ids] == ids, day


# --- The Story tab, run by Streamlit's AppTest -----------------------------------------------

APP = str(ROOT / "app.py")


@pytest.fixture(scope="module")
def shipped_data():
    return parse_events((ROOT / "events.yaml").read_text(encoding="utf-8"))


def open_story(params: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    return at


def shown_step(at: AppTest) -> tuple[str, str]:
    """Return the step the tab shows: its announcement (position and headline) and its card."""
    bodies = [e.proto.body for e in at.get("html")]
    said = [b for b in bodies if "data-story-announce=" in b and "<script>" not in b]
    assert len(said) == 1, said
    found = re.search(r"data-story-announce=\"([^\"]*)\"|data-story-announce='([^']*)'", said[0])
    assert found
    at_step = bodies.index(said[0])
    return html.unescape(found[1] or found[2]), bodies[at_step + 1]


LAST = "the id of the story's last event"
LINKS = [
    # (why, the link's parameters, the event of the step shown (None: the title step))
    ("the title step", {"view": "story"}, None),
    ("a step of 19 July", {"view": "story", "event": "putin-khamenei-2022"}, "putin-khamenei-2022"),
    ("a month's event, before that month's days",
     {"view": "story", "event": "vaez-comment-2022-07"}, "vaez-comment-2022-07"),
    ("the last step", {"view": "story", "event": LAST}, LAST),
    ("a step of a filtered story", {"view": "story", "event": "khamenei-erdogan-2022",
                                    "leader": "khamenei"}, "khamenei-erdogan-2022"),
    ("an event the filters hide: the title step",
     {"view": "story", "event": "gazprom-deal-2022", "leader": "khamenei"}, None),
]  # fmt: skip


@pytest.mark.parametrize("why, params, event", LINKS, ids=[link[0] for link in LINKS])
def test_a_steps_link_shows_that_step(shipped_data, why, params, event):
    frame_ = shipped_data.events
    if "leader" in params:
        frame_ = frame_[[params["leader"] in (ls or ()) for ls in frame_["leaders"]]]
    told = story.steps(frame_, shipped_data)
    if event == LAST:
        event = told[-1].event_id
        params = {**params, "event": event}
    at = open_story(params)
    step = story.step_for(told, event)
    assert step.event_id == event
    said, card = shown_step(at)
    assert said == story.announcement(step)
    assert f">{escape(step.headline)}</h3>" in card
    if event is None and "leader" in params:
        assert f"<p>{len(told) - 1} events, on 19 July 2022.</p>" in card  # Khamenei's two
    elif event is None:
        assert f"<p>{len(told) - 1} events, from January 2022 to July 2022.</p>" in card
    else:
        assert f"<code>{event}</code>" in card  # the event's card, as the details show it
    assert at.button(key="story-prev").disabled == (step.position == 1)
    assert at.button(key="story-next").disabled == (step.position == step.total)
    assert not at.get("dialog")  # no details panel over the step


def test_previous_and_next_change_the_urls_event(shipped_data):
    told = story.steps(shipped_data.events, shipped_data)
    at = open_story({"view": "story", "event": told[2].event_id, "kind": "meeting"})
    told = story.steps(shipped_data.events[shipped_data.events["kind"] == "meeting"], shipped_data)
    at_step = story.step_for(told, at.query_params["event"])
    for press, to in (("story-next", 1), ("story-next", 1), ("story-prev", -1)):
        expected = told[at_step.position - 1 + to]
        at.button(key=press).click().run()
        assert not at.exception
        assert at.query_params.get("event") == expected.event_id
        assert at.query_params["view"] == "story" and at.query_params["kind"] == "meeting"
        assert shown_step(at)[0] == story.announcement(expected)
        at_step = expected
    # The page's event menu jumps to any step (a search by title, as TimelineJS lacks).
    at.selectbox(key="event").set_value(told[1].event_id).run()
    assert shown_step(at)[0] == story.announcement(told[1])
    assert at.query_params["event"] == told[1].event_id


@pytest.mark.parametrize(
    "params, warning",
    [
        ({"view": "story", "story": "nope"},
         r"Ignored story\: no story has the id \'nope\' \(this file has no stories\)\. This is "
         r"every shown event in order\."),
        # A link's text shows as text: no Markdown link, emphasis or code comes from it.
        ({"view": "story", "story": "[x](https://example.org) **b** `c`"},
         r"Ignored story\: no story has the id \'\[x\]\(https\://example\.org\) \*\*b\*\* "
         r"\`c\`\' \(this file has no stories\)\. This is every shown event in order\."),
    ],
)  # fmt: skip
def test_an_unknown_story_is_a_warning_and_the_story_of_every_event(params, warning):
    at = open_story(params)
    assert [w.value for w in at.warning] == [warning]
    assert shown_step(at)[0].startswith("1 of 11: ")


# TimelineJS3's own sample, imported: its slides as TimelineJS orders them (by date), the
# title slide first. Written out by hand from tests/data/import/women_in_computing.json.
WOMEN_SLIDES = [
    "Women in Computing",
    "Ada Lovelace",
    "The First Computer",
    "...And the women who made it work",
    "Edith Clarke: Bucking the Trend",
    "Rózsa Péter writes recursion",
    "Grace Hopper invents the compiler",
    "Contributions to space exploration",
    "The First PhD in Computer Science",
    "Karen Spärck Jones makes search possible",
    '"The Mother of the Internet"',
]
EDITH = (
    "There is no demand for women engineers, as such, as there are for women doctors; but "
    "there's always a demand for anyone who can do a good piece of work."
)


def test_the_women_in_computing_import_reads_as_a_story_of_its_eleven_slides(tmp_path, monkeypatch):
    raw = (ROOT / "tests" / "data" / "import" / "women_in_computing.json").read_bytes()
    today = dt.date(2024, 5, 1)
    imported = import_timelinejs(raw, "women_in_computing.json", Options(), today)
    path = tmp_path / "women.yaml"
    path.write_text(render(imported, "women_in_computing.json", "TimelineJS JSON", today))
    data = parse_events(path.read_text(encoding="utf-8"))
    told = story.steps(data.events, data)
    assert [s.headline for s in told] == WOMEN_SLIDES
    clarke = told[WOMEN_SLIDES.index("Edith Clarke: Bucking the Trend")]
    monkeypatch.setenv("TIMELINE_EVENTS", str(path))
    at = open_story({"view": "story", "event": str(clarke.event_id)})
    said, card = shown_step(at)
    assert said == "5 of 11: Edith Clarke: Bucking the Trend"
    assert escape(EDITH) in card  # the quote slide's words in full, and who said them
    assert "— Edith Clarke" in card


# --- A real file with times of day and authored stories (tests/data/story.yaml) -------------

STORY_FILE = ROOT / "tests" / "data" / "story.yaml"


@pytest.fixture(scope="module")
def day_of_talks():
    return parse_events(STORY_FILE.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "story_id, expected",
    [
        # The hour decides within the day; the call without one comes first, as TimelineJS
        # puts an event without a time at the start of its day.
        (None, [(None, "A day of talks", "Three meetings on one day and one the day after."),
                ("untimed-call", "A call at some hour", None),
                ("morning-talks", "Morning talks", None),
                ("late-dinner", "Late dinner", None),
                ("next-day", "The day after", None)]),
        # The author's order and words, as written (markup is escaped where shown).
        ("backwards", [(None, "Told backwards", "The day from its end."),
                       ("next-day", "The day after", "Start at the end <b>here</b>."),
                       ("late-dinner", "Late dinner", None),
                       ("morning-talks", "Morning talks", "Then the morning.")]),
        ("short", [(None, "Just one", "A day of talks"),
                   ("untimed-call", "A call at some hour", None)]),
    ],
)  # fmt: skip
def test_a_files_story_by_time_of_day_and_its_authored_stories(day_of_talks, story_id, expected):
    told = story.steps(day_of_talks.events, day_of_talks, story_id)
    assert [(s.event_id, s.headline, s.narration) for s in told] == expected
    assert [s.label for s in told] == [f"{i} of {len(expected)}" for i in range(1, len(told) + 1)]


def test_an_authored_story_in_the_page_shows_its_narration_and_the_steps_the_filters_hide(
    monkeypatch,
):
    monkeypatch.setenv("TIMELINE_EVENTS", str(STORY_FILE))
    at = open_story({"view": "story", "story": "backwards", "event": "next-day"})
    said, _ = shown_step(at)
    assert said == "2 of 4: The day after"
    page = "\n".join(e.proto.body for e in at.get("html"))
    assert "<p class='story-narration'>Start at the end &lt;b&gt;here&lt;/b&gt;.</p>" in page
    assert "Story: Told backwards</h2>" in page
    assert at.selectbox(key="story-choice").value == "backwards"
    at.button(key="story-next").click().run()
    assert (at.query_params["event"], at.query_params["story"]) == ("late-dinner", "backwards")
    # Bo alone: the statement (Ana's) is hidden, the story starts at its title step.
    at = open_story({"view": "story", "story": "backwards", "leader": "bo"})
    said, card = shown_step(at)
    assert said == "1 of 3: Told backwards"
    assert "1 step of this story is hidden by the filters." in card
    assert "2 events, on 1 May 2030." in card  # the dates of the story's shown events
    # The menu changes the story: every shown event, in order, and the URL drops story=.
    at.selectbox(key="story-choice").set_value("").run()
    assert "story" not in at.query_params
    said, card = shown_step(at)
    assert said == "1 of 4: A day of talks"
    assert "3 events, on 1 May 2030." in card  # Bo's: the three of 1 May
