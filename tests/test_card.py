"""One event card (timeline/card.py) and its three serialisers: the details panel, the static
page's list and the TimelineJS slide. Every expected text here is written out by hand."""

import dataclasses
import datetime as dt
import json
import re
from typing import Annotated

import pytest
from pydantic import Field

from timeline import figures
from timeline.card import RENDERED, EventCard, Media, Quote, Source, event_card, label, words
from timeline.dates import PartialDate
from timeline.exporters import timelinejs as tjs
from timeline.exporters.html import _entry, static_page
from timeline.exporters.view import View
from timeline.loader import parse_events
from timeline.record import fields_for
from timeline.schema import Event, Text, shows
from timeline.schema import Source as SourceModel
from timeline.state import FilterState
from timeline.views import card_html, details_html

# One event with every field, and markup, quotes and ampersands in every text.
FULL = """\
title: Full
people:
  ana: {name: "Ana <script>alert(1)</script>", country: Atlantis, role: 'Envoy "E"'}
  bo: {name: Bo Beta}
sources:
  rep: {title: "A <b>report</b>", publisher: "Press & Co", date: "2023-05",
        url: "https://example.org/r?a=1&b=2", authors: ["Cy 'C' Doe", Di Roe]}
  book: {title: A book, publisher: Someone, date: "2020"}
events:
  - id: full
    title: 'Talks "at last" <script>alert(2)</script>'
    date: "2023-03-01"
    end: "2023-03-03"
    kind: summit
    place: "Tehran <i>Iran</i>"
    leaders: [ana, bo]
    summary: "First 'line'\\nSecond & last"
    quotes:
      - {by: ana, text: 'We "agree" </script>', source: rep}
    countries: [Iran, Russia & co]
    tags: [energy, "<b>tag</b>"]
    sources: [rep, book, rep]
    note: "Careful <now>"
    media: {url: "https://example.org/p.jpg?size=2&x=1", caption: "A <caption>",
            credit: "Me & you", alt: 'Two "people"'}
"""
ANA = "Ana <script>alert(1)</script>"
TODAY = dt.date(2024, 5, 1)


@pytest.fixture(scope="module")
def full():
    return parse_events(FULL, "full.yaml")


def _row(data):
    return data.events.to_dict("records")[0]


# fmt: off
CARD = [
        ("id", "full"),
        ("title", 'Talks "at last" <script>alert(2)</script>'),
        ("when", "1–3 March 2023"),
        ("start", PartialDate(dt.date(2023, 3, 1), "day")),
        ("end", PartialDate(dt.date(2023, 3, 3), "day")),
        ("kind", "summit"),
        ("place", "Tehran <i>Iran</i>"),
        ("people", (f'{ANA} (Envoy "E")', "Bo Beta")),  # names and roles, from `people`
        ("summary", "First 'line'\nSecond & last"),
        ("quotes", (Quote('We "agree" </script>', ANA, "Press & Co"),)),  # source: its publisher
        (
            "media",
            Media(
                "https://example.org/p.jpg?size=2&x=1", "A <caption>", "Me & you", 'Two "people"'
            ),
        ),
        # `rep` is cited twice and shown once; a source without a URL has none.
        (
            "sources",
            (
                Source(
                    "rep",
                    "A <b>report</b>",
                    "Press & Co",
                    ("Cy 'C' Doe", "Di Roe"),
                    0,
                    "May 2023",
                    "https://example.org/r?a=1&b=2",
                ),
                Source("book", "A book", "Someone", (), 0, "2020", None),
            ),
        ),
        ("note", "Careful <now>"),
        ("countries", ("Iran", "Russia & co")),
        ("tags", ("energy", "<b>tag</b>")),
        ("lines", ()),  # every field of Event has a rendering of its own
        ("lang", None),  # the file says not which language it is in
        ("translation", None),  # no reader's language asked for (tests/test_translations.py)
]
# fmt: on


@pytest.mark.parametrize(("field", "value"), CARD, ids=[r[0] for r in CARD])
def test_the_card_of_an_event_with_every_field(full, field, value):
    card = event_card(_row(full), full)
    assert getattr(card, field) == value


def test_the_table_above_covers_every_field_of_the_card():
    assert [r[0] for r in CARD] == [f.name for f in dataclasses.fields(EventCard)]


def test_the_card_renders_the_fields_marked_for_the_details():
    # A field the card renders by itself is one the schema shows in the details; any other
    # field marked for the details is a line of the card (below).
    assert set(fields_for("details")) >= RENDERED


@pytest.fixture(scope="module")
def shown(full):
    """The event as each serialiser writes it: details, the static page's article, the slide."""
    details = details_html(_row(full), full)
    page = static_page(View.of(full, FilterState()), figures, exported=TODAY)
    article = re.search(r'<article id="event-full">.*?</article>', page, re.S)
    assert article is not None
    slide = tjs.timelinejs(View.of(full, FilterState()))["events"][0]
    return {"details": details, "static": article.group(0), "slide": slide}


# (card field, details, static page; None: as the details), then (slide key, text or value)
SHOWN = [
    ("id", "id: <code>full</code>", '<article id="event-full">', ("unique_id", "full")),
    ("title", "<h3 style='margin:0 0 .25rem 0'>Talks &quot;at last&quot; &lt;script&gt;"
     "alert(2)&lt;/script&gt;</h3>", None,
     ("headline", 'Talks "at last" &lt;script&gt;alert(2)&lt;/script&gt;')),
    ("when", "1–3 March 2023 · ", None, ("display_date", "1–3 March 2023")),
    ("start", "1–3 March 2023", None, ("start_date", {"year": 2023, "month": 3, "day": 1})),
    ("end", "1–3 March 2023", None, ("end_date", {"year": 2023, "month": 3, "day": 3})),
    ("kind", " · summit</p>", None, ("text", "<p><i>Summit · ")),
    ("place", " · Tehran &lt;i&gt;Iran&lt;/i&gt; · ", None, ("text", " · Tehran &lt;i&gt;Iran&lt;/i&gt; · ")),
    ("people", "<p><b>Taking part:</b> Ana &lt;script&gt;alert(1)&lt;/script&gt; (Envoy "
     "&quot;E&quot;), Bo Beta</p>", None,
     ("text", "with Ana &lt;script&gt;alert(1)&lt;/script&gt; (Envoy \"E\"), Bo Beta</i></p>")),
    ("summary", "<p style='white-space:pre-line'>First &#x27;line&#x27;\nSecond &amp; last</p>",
     None, ("text", "<p>First 'line'</p><p>Second &amp; last</p>")),
    ("quotes", "“We &quot;agree&quot; &lt;/script&gt;”<br><i>— Ana &lt;script&gt;alert(1)"
     "&lt;/script&gt; (Press &amp; Co)</i></blockquote>", None,
     ("text", "<blockquote>“We \"agree\" &lt;/script&gt;”<br>— <cite>Ana &lt;script&gt;alert(1)"
      "&lt;/script&gt;</cite> (Press &amp; Co)</blockquote>")),
    ("media", '<img src="https://example.org/p.jpg?size=2&amp;x=1" alt="Two &quot;people&quot;" '
     "loading=\"lazy\" referrerpolicy=\"no-referrer\" style=\"max-width:100%;height:auto\">"
     "<figcaption style='font-size:.85em'>A &lt;caption&gt; <span style='opacity:.75'>Me &amp; "
     "you</span></figcaption>",
     # The static page loads nothing from elsewhere: a link.
     '<p><b>Media:</b> <a href="https://example.org/p.jpg?size=2&amp;x=1" target="_blank" '
     'rel="noopener noreferrer">A &lt;caption&gt;</a> (Me &amp; you)</p>',
     ("media", {"url": "https://example.org/p.jpg?size=2&x=1", "caption": "A &lt;caption&gt;",
                "credit": "Me &amp; you", "alt": 'Two "people"'})),
    ("sources", '<ul><li><a href="https://example.org/r?a=1&amp;b=2" target="_blank" '
     'rel="noopener noreferrer">A &lt;b&gt;report&lt;/b&gt;</a>, Press &amp; Co, by Cy '
     "&#x27;C&#x27; Doe, Di Roe, May 2023</li><li>A book, Someone, 2020</li></ul>", None,
     ("text", '<p><b>Sources:</b> <a href="https://example.org/r?a=1&amp;b=2" target="_blank" '
      'rel="noopener noreferrer">A &lt;b&gt;report&lt;/b&gt;</a>, Press &amp; Co, May 2023; '
      "A book, Someone, 2020</p>")),
    ("note", "<p style='opacity:.75'><b>Editors' note:</b> Careful &lt;now&gt;</p>", None,
     ("text", "<p><i>Editors' note: Careful &lt;now&gt;</i></p>")),
    ("countries", "<p><b>States:</b> Iran, Russia &amp; co</p>", None,
     ("text", "<p><b>States:</b> Iran, Russia &amp; co</p>")),
    ("tags", "<p><b>Tags:</b> energy, &lt;b&gt;tag&lt;/b&gt;</p>", None,
     ("text", "<p><b>Tags:</b> energy, &lt;b&gt;tag&lt;/b&gt;</p>")),
]  # fmt: skip


def _slide_part(slide: dict, key: str):
    return slide["text"][key] if key in ("text", "headline") else slide[key]


@pytest.mark.parametrize(("field", "details", "static", "slide"), SHOWN, ids=[r[0] for r in SHOWN])
def test_each_serialiser_shows_each_field_of_the_card(shown, field, details, static, slide):
    assert details in shown["details"]
    assert (static or details) in shown["static"]
    key, value = slide
    part = _slide_part(shown["slide"], key)
    assert value in part if key == "text" else part == value


def test_the_table_above_covers_every_field_but_the_lines():
    # The lines (fields without a rendering of their own) are tested with a field of their own;
    # the languages and the translation in tests/test_translations.py.
    fields = {f.name for f in dataclasses.fields(EventCard)}
    assert {r[0] for r in SHOWN} == fields - {"lines", "lang", "translation"}


def test_a_source_cited_twice_is_shown_once_everywhere(shown):
    assert shown["details"].count("A &lt;b&gt;report&lt;/b&gt;") == 1
    assert shown["static"].count("A &lt;b&gt;report&lt;/b&gt;") == 1
    assert shown["slide"]["text"]["text"].count("A &lt;b&gt;report&lt;/b&gt;") == 1


def _extended(kind):
    """Return Event with one more optional field marked for the details, as a schema edit adds it."""

    class Extended(Event):
        mood: Annotated[kind | None, shows("details", why="a test's field")] = Field(
            None, description="How it went."
        )

    return Extended


@pytest.mark.parametrize(
    ("kind", "value", "details", "slide"),
    [
        (Text, '<b>calm</b> & "still"', "<p><b>Mood:</b> &lt;b&gt;calm&lt;/b&gt; &amp; "
         "&quot;still&quot;</p>", '<p><b>Mood:</b> &lt;b&gt;calm&lt;/b&gt; &amp; "still"</p>'),
        (list[Text], ["calm", "<i>still</i>"], "<p><b>Mood:</b> calm, &lt;i&gt;still&lt;/i&gt;</p>",
         "<p><b>Mood:</b> calm, &lt;i&gt;still&lt;/i&gt;</p>"),
    ],
)  # fmt: skip
def test_a_new_field_marked_for_the_details_shows_in_every_serialiser(full, kind, value,
                                                                      details, slide):  # fmt: skip
    row = {**_row(full), "mood": value}
    card = event_card(row, full, model=_extended(kind))
    assert card.lines[-1].label == "Mood"
    assert details in card_html(card)
    assert details in _entry(card)
    assert slide in tjs._text(card, "")
    # Absent, it shows nothing (and no label).
    bare = event_card({**_row(full), "mood": None}, full, model=_extended(kind))
    assert "Mood" not in card_html(bare) and "Mood" not in tjs._text(bare, "")


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("calm", "calm"),
        ("   ", None),  # blank says nothing
        (None, None),
        (float("nan"), None),  # a missing cell of a frame
        (["a", None, "b"], "a, b"),
        ({"url": "https://e.org", "caption": None, "credit": "C"}, "url: https://e.org; credit: C"),
        ([{"by": "ana"}, {"by": "bo"}], "by: ana, by: bo"),
        (3, "3"),
        ([], None),
    ],
)
def test_words_of_a_field_without_a_rendering(value, said):
    assert words(value) == said


def test_the_static_pages_media_needs_no_sources_markup(full):
    # The page writes the card, not the details' markup: no sources, no "Sources" to find.
    card = dataclasses.replace(event_card(_row(full), full), sources=(), quotes=())
    entry = _entry(card)
    link = '<p><b>Media:</b> <a href="https://example.org/p.jpg?size=2&amp;x=1"'
    assert entry.count(link) == 1 and "<img" not in entry
    # Where the details put media: after the summary, before the quotes.
    quoted = _entry(event_card(_row(full), full))
    assert quoted.index("Second &amp; last") < quoted.index(link) < quoted.index("<blockquote")


def test_a_summary_that_reads_like_the_sources_markup_stays_text(full):
    row = {**_row(full), "summary": "<p style='margin-bottom:.25rem'><b>Sources</b></p>"}
    entry = _entry(event_card(row, full))
    assert entry.count("<b>Sources</b>") == 1 and entry.count("<b>Media:</b>") == 1


HOSTILE_ADDRESSES = ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)",
                     "data:text/html,<script>alert(1)</script>", "vbscript:x"]  # fmt: skip


@pytest.mark.parametrize("address", HOSTILE_ADDRESSES)
def test_no_address_but_http_reaches_any_serialiser(full, address):
    # Rows and sources may come from an edited frame or a cache: checked again in the card.
    events = full.events.copy()
    events["media"] = [{"url": address, "caption": "x", "credit": None, "alt": None}]
    # fmt: off
    sources = {**full.sources, "rep": SourceModel.model_construct(
        title="T", publisher="P", date="2020", url=address, authors=[])}
    # fmt: on
    data = dataclasses.replace(full, events=events, sources=sources)
    card = event_card(_row(data), data)
    assert card.media is None and card.sources[0].url is None
    view = View.of(data, FilterState())
    page = static_page(view, figures, exported=TODAY)
    article = page[page.index('<article id="event-full">') :]
    # The card's part: the story's step links after it are anchors within the page.
    article = article[: article.index('<nav class="step"')]
    slide = tjs.timelinejs(view)["events"][0]
    for text in (details_html(_row(data), data), article, slide["text"]["text"]):
        # The book had no address, the report's is not http(s): no link at all, no media.
        assert "<a " not in text and "Media:" not in text and "<figure" not in text
        assert ">T</" not in text and "T, P, 2020" in text  # the source's title, not a link
    assert "media" not in slide


@pytest.mark.parametrize("serialiser", ["details", "static", "slide"])
def test_no_data_text_becomes_markup(shown, serialiser):
    text = shown[serialiser]
    if serialiser == "slide":
        text = json.dumps(text, ensure_ascii=False)
    # The file's <script>, <b>, <i> and quotes all arrive as text.
    assert "<script" not in text and "</script" not in text
    assert "<b>report" not in text and "<i>Iran" not in text and "<b>tag" not in text
    assert 'alt="Two "people"' not in text


@pytest.mark.parametrize(("field", "shown"), [("mood", "Mood"), ("first_seen", "First seen")])
def test_a_field_without_a_rendering_is_labelled_by_its_name(field, shown):
    assert label(field) == shown
