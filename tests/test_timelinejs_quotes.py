"""TimelineJS quote slides: a blockquote that names its speaker becomes a quote of a person."""

import datetime as dt
import json
from pathlib import Path

import pytest

from timeline.importers.common import Options
from timeline.importers.htmltext import MAX_QUOTES, Quoted, html_quotes
from timeline.importers.timelinejs import import_timelinejs
from timeline.importers.yamlout import render
from timeline.loader import parse_events

DATA = Path(__file__).parent / "data" / "import"
TODAY = dt.date(2024, 5, 1)
EDITH = (
    "There is no demand for women engineers, as such, as there are for women doctors; but "
    "there's always a demand for anyone who can do a good piece of work."
)


def bring(raw: bytes, name: str = "x.json"):
    return import_timelinejs(raw, name, Options(), TODAY)


def slides(*events: dict) -> bytes:
    return json.dumps({"events": list(events)}).encode()


def slide(text: str = "", headline: str = "A slide", media: dict | None = None) -> dict:
    made = {"start_date": {"year": "1950"}, "text": {"headline": headline, "text": text}}
    return {**made, "media": media} if media is not None else made


def changes(imported) -> list[str]:
    return [m.message for m in imported.report.located if not m.skipped]


# --- TimelineJS3's own example: women_in_computing (contrib/, NUKnightLab/TimelineJS3) -----


def test_women_in_computing_keeps_every_slide_and_edith_clarkes_quote():
    imported = bring((DATA / "women_in_computing.json").read_bytes(), "women_in_computing.json")
    file = imported.file
    # The title slide is the file's title and description; the other ten are events.
    assert file.title == "Women in Computing"
    assert file.description.startswith("In this sample timeline, we'll walk you through")
    assert len(file.events) == 10
    clarke = next(e for e in file.events if e.date == "1948-03-14")
    assert clarke.title == "Edith Clarke: Bucking the Trend"  # the title stays the title
    assert [(q.by, q.text, q.source) for q in clarke.quotes] == [
        ("edith-clarke", EDITH, "women-in-computing-json")
    ]
    assert file.people["edith-clarke"].name == "Edith Clarke"
    assert file.people["edith-clarke"].role == (
        "first female professor of electrical engineering in the United States"
    )
    # Only a quote on the slide: the summary says who said it, not the title again.
    assert clarke.summary == (
        "Edith Clarke, first female professor of electrical engineering in the United States"
    )
    assert clarke.media is None  # the quote was the media; no "not a web address" message
    assert changes(imported) == ["the slide holds only a quote: its summary is who said it"]
    assert [e for e in file.events if e.quotes and e is not clarke] == []
    assert list(file.people) == ["edith-clarke"]


def test_women_in_computing_writes_a_file_that_validates():
    imported = bring((DATA / "women_in_computing.json").read_bytes(), "women_in_computing.json")
    data = parse_events(render(imported, "women_in_computing.json", "TimelineJS JSON", TODAY))
    assert len(data.events) == 10
    assert "edith-clarke" in data.people


# --- Blockquotes read from HTML -----------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "text", "quotes", "unattributed"),
    [
        # a <cite> names the speaker
        ("<blockquote>Words. <cite>Jane Doe</cite></blockquote>", "", [("Words.", "Jane Doe")], 0),
        # the rest of the text stays, in its order, links as label (url)
        (
            '<p>Before <a href="https://x.org/a">a</a>.</p><blockquote>W <cite>J</cite>'
            "</blockquote><p>After.</p>",
            "Before a (https://x.org/a).\nAfter.",
            [("W", "J")],
            0,
        ),
        # a last line starting with a dash names the speaker
        (
            "<blockquote><p>Words.</p><p>— Jane Doe</p></blockquote>",
            "",
            [("Words.", "Jane Doe")],
            0,
        ),
        (
            "<blockquote><p>Words.</p><p>-- Jane Doe</p></blockquote>",
            "",
            [("Words.", "Jane Doe")],
            0,
        ),
        ("<blockquote>“No.” — Jane Doe</blockquote>", "", [("No.", "Jane Doe")], 0),
        ("<blockquote>Words <cite>— Jane Doe</cite></blockquote>", "", [("Words", "Jane Doe")], 0),
        # dashes inside a sentence name no one: the blockquote stays text
        (
            "<blockquote>He said — and I quote — nothing</blockquote>",
            "He said — and I quote — nothing",
            [],
            1,
        ),
        ("<blockquote>Words</blockquote>", "Words", [], 1),
        ("<blockquote><cite>Only a cite</cite></blockquote>", "Only a cite", [], 1),
        # never closed: text, as a browser would show it
        ("<blockquote>Open <cite>X</cite>", "Open X", [], 0),
        # hidden: a script's content is no quote and no text
        ("<script><blockquote>a<cite>X</cite></blockquote></script>b", "b", [], 0),
        # nested blockquotes are one quote; each cite names the speaker
        (
            "<blockquote>a<blockquote>b</blockquote><cite>Out</cite></blockquote>",
            "",
            [("a\nb", "Out")],
            0,
        ),
        # quotation marks around all the words are the display's, not words: the details add them
        ("<blockquote>“Words.” <cite>J</cite></blockquote>", "", [("Words.", "J")], 0),
        ('<blockquote>"Words." <cite>J</cite></blockquote>', "", [("Words.", "J")], 0),
        ("<blockquote>«Mots.» <cite>J</cite></blockquote>", "", [("Mots.", "J")], 0),
        ("<blockquote>“A” and “B” <cite>J</cite></blockquote>", "", [("“A” and “B”", "J")], 0),
        ("<blockquote>“Unclosed <cite>J</cite></blockquote>", "", [("“Unclosed", "J")], 0),
        # what the dash line leaves beside a cite is not said: "— (publisher)"
        (
            "<blockquote>“Said.”<br>— <cite>Jane Doe</cite> (Press)</blockquote>",
            "",
            [("Said.", "Jane Doe")],
            0,
        ),
        # markup in the quote is text; entities decoded once
        (
            "<blockquote>1 &lt; 2 <b>&amp;</b> <img alt='x'> <cite>A &amp; B</cite></blockquote>",
            "",
            [("1 < 2 & x", "A & B")],
            0,
        ),
    ],
)
def test_html_quotes(html, text, quotes, unattributed):
    read = html_quotes(html)
    assert read.text == text
    assert read.quotes == [Quoted(words, by) for words, by in quotes]
    assert read.unattributed == unattributed


def test_at_most_max_quotes_from_one_text_the_rest_stay_text():
    read = html_quotes("<blockquote>w<cite>s</cite></blockquote>" * (MAX_QUOTES + 5))
    assert len(read.quotes) == MAX_QUOTES
    assert read.text.split("\n") == ["ws"] * 5  # as html_to_text reads them


def test_many_blockquotes_read_in_one_pass():
    # 50,000 unclosed blockquotes with cites: read as text, each piece joined once.
    read = html_quotes("<blockquote>a<cite>b</cite>" * 50_000)
    assert read.quotes == []
    assert read.text.count("a") == 50_000


# --- Quotes on events, speakers as people -------------------------------------------------


@pytest.mark.parametrize(
    ("cite", "name", "role"),
    [
        ("Edith Clarke, first female professor", "Edith Clarke", "first female professor"),
        ("Plato", "Plato", None),
        ("Martin Luther King, Jr., pastor", "Martin Luther King, Jr.", "pastor"),
        ("Sammy Davis, Jr.", "Sammy Davis, Jr.", None),
        ("A, B, C", "A", "B, C"),
        ("Jane Doe (minister)", "Jane Doe", "minister"),
        ("Jane Doe (minister), Iran", "Jane Doe (minister)", "Iran"),  # the comma rule first
        ("Jane (Jo) Doe", "Jane (Jo) Doe", None),  # brackets inside a name stay
    ],
)
def test_a_cite_names_the_person_and_their_role(cite, name, role):
    html = f"<blockquote>Words.<cite>{cite}</cite></blockquote>"
    imported = bring(slides(slide(html)))
    (person,) = imported.file.people.values()
    assert (person.name, person.role) == (name, role)
    (event,) = imported.file.events
    assert event.quotes[0].by == next(iter(imported.file.people))


def test_one_speaker_cited_twice_is_one_person():
    first = "<blockquote>One.<cite>Jane Doe, minister</cite></blockquote>"
    second = "<p>Text.</p><blockquote>Two.<cite>jane doe</cite></blockquote>"
    imported = bring(slides(slide(first, "A"), slide(second, "B")))
    assert list(imported.file.people) == ["jane-doe"]
    assert [(q.by, q.text) for e in imported.file.events for q in e.quotes] == [
        ("jane-doe", "One."),
        ("jane-doe", "Two."),
    ]
    assert imported.file.events[1].summary == "Text."


def test_a_quote_in_the_text_leaves_the_rest_as_the_summary():
    html = "<p>Before.</p><blockquote>Said. <cite>Jane Doe</cite></blockquote><p>After.</p>"
    (event,) = bring(slides(slide(html, "Headline"))).file.events
    assert (event.title, event.summary) == ("Headline", "Before.\nAfter.")
    assert event.quotes[0].text == "Said."


def test_a_blockquote_without_a_speaker_stays_in_the_summary_with_a_message():
    imported = bring(slides(slide("<p>A.</p><blockquote>Unsaid.</blockquote>")))
    (event,) = imported.file.events
    assert event.summary == "A.\nUnsaid."
    assert event.quotes is None and imported.file.people == {}
    assert changes(imported) == [
        "1 blockquote(s) kept in the summary: no <cite> or '— name' line says who said it "
        "(expected <blockquote>words <cite>Name, role</cite></blockquote>)"
    ]


def test_a_quote_slide_without_a_headline_is_titled_by_its_words():
    media = {"url": "<blockquote>Short words. <cite>Jane Doe</cite></blockquote>"}
    (event,) = bring(slides(slide("", "", media))).file.events
    assert event.title == "Short words."
    assert event.quotes[0].text == "Short words."


def test_a_quote_medias_caption_and_credit_are_reported_left_out():
    media = {"url": "<blockquote>W <cite>J</cite></blockquote>", "caption": "c", "credit": "d"}
    imported = bring(slides(slide("Text.", "T", media)))
    assert dict(imported.report.unplaced) == {
        ("events[].media.caption (of a quote)", "event"): 1,
        ("events[].media.credit (of a quote)", "event"): 1,
    }
    assert imported.file.events[0].media is None


def test_a_timelinejs2_blockquote_asset_is_a_quote():
    date = {
        "startDate": "1948,3,14",
        "headline": "Bucking the trend",
        "text": "<p>Said in 1948.</p>",
        "asset": {"media": "<blockquote>Words. <cite>Edith Clarke, professor</cite></blockquote>"},
    }
    imported = bring(json.dumps({"timeline": {"headline": "T", "date": [date]}}).encode())
    (event,) = imported.file.events
    assert (event.title, event.summary, event.media) == ("Bucking the trend", "Said in 1948.", None)
    assert [(q.by, q.text) for q in event.quotes] == [("edith-clarke", "Words.")]
    assert imported.file.people["edith-clarke"].role == "professor"
    assert changes(imported) == []


def test_the_timelinejs_export_of_a_quote_comes_back_as_the_same_quote():
    # The format exporters/timelinejs.py writes a quote in: “words”<br>— name (publisher).
    said = (
        "<blockquote>“This is no longer a partnership of choice, but an alliance out of "
        "necessity.”<br>— Ali Vaez (The New York Times)</blockquote>"
    )
    imported = bring(slides(slide(f"<p>Ali Vaez describes a partnership.</p>{said}")))
    (event,) = imported.file.events
    assert [(q.by, q.text) for q in event.quotes] == [
        ("ali-vaez", "This is no longer a partnership of choice, but an alliance out of necessity.")
    ]
    assert event.summary == "Ali Vaez describes a partnership."
    # The publisher in brackets is read as the role: the slide cannot tell them apart.
    assert imported.file.people["ali-vaez"].role == "The New York Times"


@pytest.mark.parametrize(
    "cite",
    [
        "x (" + "y" * 100_000,  # an unclosed bracket: a regular expression once took 379 s
        "(" * 100_000,
        "a, " * 50_000,
        "Jr., " * 50_000,
    ],
    ids=lambda cite: cite[:12],
)
def test_a_hostile_cite_is_a_name_read_in_one_pass(cite):
    html = f"<blockquote>Words.<cite>{cite}</cite></blockquote>"
    (event,) = bring(slides(slide(html))).file.events
    assert event.quotes[0].text == "Words."
