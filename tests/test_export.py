"""`python -m timeline export` and the Publish tab: TimelineJS, the static page, embeds, tables."""

import csv
import dataclasses
import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
from html import escape as html_escape
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
import yaml
from conftest import ROOT, VALID
from streamlit.testing.v1 import AppTest

from timeline import figures
from timeline.cli import main
from timeline.dates import PartialDate
from timeline.exporters.embed import embed_height, embed_snippet, embed_url
from timeline.exporters.html import plotly_bundle, static_page
from timeline.exporters.scripts import inline_script, script_json
from timeline.exporters.tables import to_csv, to_json
from timeline.exporters.timelinejs import timelinejs, timelinejs_json
from timeline.exporters.view import ExportError, View, filters_in_words, parse_query, read_view
from timeline.files import load_file
from timeline.loader import parse_events
from timeline.query import read_query, share_link, write_query
from timeline.state import Catalog, FilterState

TODAY = dt.date(2024, 5, 1)
SHIPPED_IDS = [
    "raisi-moscow-2022-01", "turkmenistan-summit-2022-06", "peskov-interview-2022-07",
    "us-drones-warning-2022-07", "vaez-comment-2022-07", "putin-raisi-tehran-2022",
    "putin-khamenei-2022", "khamenei-erdogan-2022", "tehran-trilateral-2022",
    "gazprom-deal-2022",
]  # fmt: skip

# Markup, a script end and entities in every text an export shows, media of both sorts,
# dates of each precision, and periods: open, closed, and one before every event.
HOSTILE = """\
title: "Talks </script><script>alert(1)</script> & more"
description: "A <b>test</b> file\\non two lines"
people:
  ana: {name: "Ana <i>Alpha</i>", country: "Atlantis & Co", role: "Envoy <u>"}
  bo: {name: Bo Beta, country: Borduria}
sources:
  src: {title: "A <report>", publisher: "Press & Co", date: "2023-05", url: "https://example.org/r?a=1&b=2"}
periods:
  - {title: "Long <age>", from: "2001", to: "2002"}
  - {title: "Talks season", from: "2023-02", to: "2023-04-15", note: "A note & more"}
  - {title: "Open <war>", from: "2023-04-20"}
events:
  - id: span
    title: "A <b>span</b>"
    date: "2023-03-01"
    end: "2023-03-03"
    kind: summit
    place: "<img src=x onerror=alert(1)>"
    leaders: [ana, bo]
    tags: ["<b>tag</b>", energy]
    summary: "First line </script>\\nSecond & last"
    quotes:
      - {by: ana, text: "</script><img src=x onerror=alert(2)>", source: src}
    sources: [src]
    note: "Careful <now>"
    media: {url: "https://example.org/p.jpg?size=2", caption: "A <caption>", credit: "Me & you", alt: "Two <people>"}
  - id: month
    title: A month
    date: "2023-05"
    kind: statement
    leaders: [bo]
    summary: In May.
    sources: [src]
    media: {url: "https://example.org/page", caption: "The page"}
  - id: year
    title: A year
    date: "2023"
    end: "2024-02"
    kind: report
    summary: All year.
    sources: [src]
"""


@pytest.fixture(scope="module")
def hostile():
    return parse_events(HOSTILE, "hostile.yaml")


TRANSLATED = ROOT / "tests" / "data" / "translations.yaml"  # events with translations


@pytest.fixture(scope="module")
def translated():
    return load_file(TRANSLATED)


def run(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "timeline", *args], capture_output=True, text=True, cwd=ROOT, env=env
    )


def view_of(data, query: str = "") -> View:
    view, notices = read_view(data, query)
    assert notices == []
    return view


# --- The view: a query string, read as the page reads it, and said in words -----------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("leader=putin&match=all", {"leader": ["putin"], "match": ["all"]}),
        ("?leader=putin&leader=raisi", {"leader": ["putin", "raisi"]}),
        ("http://host:8501/?q=a+b&view=table#x", {"q": ["a b"], "view": ["table"]}),
        ("  q=%E2%80%9Cdon%E2%80%99t%E2%80%9D  ", {"q": ["“don’t”"]}),
        ("q=", {"q": [""]}),
        ("", {}),
    ],
)
def test_a_query_is_read_from_a_string_or_a_link(query, expected):
    assert parse_query(query) == expected


@pytest.mark.parametrize(
    ("query", "shown", "words"),
    [
        ("", 10, "Every event of the file, no filter. Lanes: leaders, first appearance."),
        ("leader=putin&leader=erdogan&match=all", 1,
         "Filters: leaders: Vladimir V. Putin and Recep Tayyip Erdogan (all of them). "
         "Lanes: leaders, first appearance."),
        ("kind=meeting&kind=summit&from=2022-07-01", 4,
         "Filters: kinds: meeting or summit; from 1 July 2022. Lanes: leaders, first appearance."),
        ("q=Syria&lanes=country&order=count", 2,
         "Filters: search: “Syria”. Lanes: states, most events."),
        ("country=Iran&to=2022-06-30", 2,
         "Filters: state: Iran; up to 30 June 2022. Lanes: leaders, first appearance."),
        ("tag=syria&tag=drones&from=2022-07-01&to=2022-07-19", 3,
         "Filters: tags: syria or drones (any of them); from 1 July 2022 to 19 July 2022. "
         "Lanes: leaders, first appearance."),
        ("view=publish&event=gazprom-deal-2022&lanes=tag&order=name", 10,
         "Every event of the file, no filter. Lanes: tags, alphabetical."),
    ],
)  # fmt: skip
def test_filters_in_words(shipped, query, shown, words):
    view = view_of(shipped, query)
    assert len(view.shown) == shown
    assert filters_in_words(view) == words


def test_the_notices_are_the_pages_own(shipped):
    view, notices = read_view(shipped, "leader=putn&from=2022-13-01&colour=red&embed=true")
    assert notices == [
        "Ignored unknown parameter 'colour'.",
        "Ignored leader='putn': not in this data (valid: putin, raisi, khamenei, erdogan, peskov).",
        "Ignored from='2022-13-01': expected a date as YYYY-MM-DD.",
    ]
    assert len(view.shown) == 10


# --- embed=true: Streamlit's, never a notice, kept when asked for ---------------------------

CATALOG = Catalog(leaders=("putin", "raisi"), kinds=("meeting",), events=frozenset({"a"}))


@pytest.mark.parametrize(
    ("params", "embedded"),
    [
        ({"embed": ["true"]}, True),
        ({"embed": ["True"], "embed_options": ["light_theme", "show_toolbar"]}, True),
        ({"EMBED": ["true"]}, True),  # Streamlit reads it whatever its case
        ({"embed": ["false"]}, False),
        ({"embed_options": ["dark_theme"]}, False),
        ({}, False),
    ],
)
def test_embed_parameters_are_streamlits_and_never_a_notice(params, embedded):
    decoded = read_query({**params, "leader": ["putin"]}, CATALOG)
    assert decoded.notices == []
    assert decoded.state == FilterState(leaders=("putin",))
    assert decoded.embedded is embedded


def test_an_embedded_link_keeps_embed_true_first():
    state = FilterState(leaders=("putin", "raisi"), match="all", view="table")
    assert write_query(state, embedded=True) == {
        "embed": ["true"], "leader": ["putin", "raisi"], "match": ["all"], "view": ["table"],
    }  # fmt: skip
    assert write_query(state) == {
        "leader": ["putin", "raisi"], "match": ["all"], "view": ["table"],
    }  # fmt: skip
    link = share_link("http://host:8501", state, embedded=True)
    assert link == "http://host:8501/?embed=true&leader=putin&leader=raisi&match=all&view=table"
    assert share_link("http://host:8501", FilterState(), embedded=True) == (
        "http://host:8501/?embed=true"
    )
    # And back: the link reads as the same view, embedded, without a notice.
    decoded = read_query(parse_query(link), CATALOG)
    assert (decoded.state, decoded.embedded, decoded.notices) == (state, True, [])


# --- The embed snippet --------------------------------------------------------------------


@pytest.mark.parametrize(("lanes", "height"), [(0, 840), (2, 840), (3, 858), (6, 1026),
                                               (16, 1586), (40, 1600)])  # fmt: skip
def test_embed_height_fits_the_lanes_within_bounds(lanes, height):
    assert embed_height(lanes) == height


def test_embed_snippet_is_an_escaped_iframe_of_the_view(shipped, hostile):
    view = view_of(shipped, "leader=putin&leader=erdogan&match=all&view=publish")
    assert embed_url("http://host:8501", view) == (
        "http://host:8501/?embed=true&leader=putin&leader=erdogan&match=all"
    )  # the publishing tab is not what a reader should see: the chart's is
    # The frame, then the script that sizes it to the page (tests/test_page_widths.py).
    assert embed_snippet("http://host:8501/", view).split("<script>")[0] == (
        '<iframe src="http://host:8501/?embed=true&amp;leader=putin&amp;leader=erdogan&amp;'
        'match=all" title="Russia and Iran grow closer: interactive timeline" width="100%" '
        'height="858" style="border:0" loading="lazy"></iframe>'
    )
    snippet = embed_snippet("https://news.example/t", view_of(hostile, "q=<x>"))
    assert 'src="https://news.example/t?embed=true&amp;q=%3Cx%3E"' in snippet
    assert 'title="Talks &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; more: ' in (
        snippet
    )


# --- CSV and JSON: the page's downloads, from one function ----------------------------------


def test_csv_and_json_of_a_view_list_the_same_events(shipped):
    view = view_of(shipped, "leader=putin")
    rows = list(csv.DictReader(io.StringIO(to_csv(view.shown, shipped.people))))
    records = json.loads(to_json(view.shown))
    assert [r["id"] for r in rows] == [r["id"] for r in records] == list(view.shown["id"])
    assert [r["date"] for r in rows] == [r["date"] for r in records]


# Every valid file the tests hold, read as YAML by the tests themselves: the expected values.
FILES = [ROOT / "events.yaml", *sorted((ROOT / "tests" / "data").glob("*.yaml"))]


def raw(text: str) -> dict:
    """The file as YAML reads it, dates as the file writes them."""
    doc = yaml.safe_load(text)
    for event in doc["events"]:
        for key in ("date", "end"):
            if key in event:
                event[key] = str(event[key])
    return doc


def in_view(doc: dict, keep=lambda event: True) -> list[dict]:
    """The file's events that `keep` keeps, in the view's order: by date, then time of day
    (none first), then as listed."""
    return sorted(
        (e for e in doc["events"] if keep(e)), key=lambda e: (e["date"], e.get("time") or "")
    )


def texts(data) -> dict:
    return {"shipped": (ROOT / "events.yaml").read_text(encoding="utf-8"), "hostile": HOSTILE,
            "translated": TRANSLATED.read_text(encoding="utf-8")}[data]  # fmt: skip


def cli(capsys, monkeypatch, *args: str) -> tuple[int, str, str]:
    """Run `python -m timeline ARGS` in this process, from the repository: code, out, err."""
    monkeypatch.chdir(ROOT)
    try:
        code = main(list(args))
    except SystemExit as exit:  # argparse's usage errors
        code = exit.code
    out, err = capsys.readouterr()
    return code, out, err


def unset(value):
    """A value with the keys it leaves unset (null) dropped: the file does not write them."""
    if isinstance(value, dict):
        return {k: unset(v) for k, v in value.items() if v is not None}
    return [unset(v) for v in value] if isinstance(value, list) else value


def check_json(records: list[dict], events: list[dict]) -> None:
    """Check JSON records field for field against the file's events, in the view's order."""
    assert [r["id"] for r in records] == [e["id"] for e in events]
    for record, event in zip(records, events, strict=True):
        for key, value in event.items():  # every field of the event, translations too
            assert unset(record[key]) == value, (event["id"], key)
        for key, value in record.items():  # what the file leaves out is empty
            if key not in event:
                assert value in (None, [], ""), (event["id"], key, value)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_json_export_is_the_file_field_for_field(path):
    data = load_file(path)
    records = json.loads(to_json(View.of(data, FilterState()).shown))
    check_json(records, in_view(raw(path.read_text(encoding="utf-8"))))


def last_day(event: dict) -> str:
    """The last day an event covers, as YYYY-MM-DD or a string that compares as it would."""
    day = event.get("end", event["date"])
    return day + {4: "-12-31", 7: "-31", 10: ""}[len(day)]


def csv_row(event: dict, doc: dict) -> dict:
    """The CSV row of an event, from the file: people by name, quotes as 'Name: text'."""
    name = {key: person["name"] for key, person in doc.get("people", {}).items()}
    return {
        "id": event["id"], "date": event["date"], "end": event.get("end", ""),
        "kind": event["kind"], "title": event["title"], "place": event.get("place", ""),
        "leaders": "; ".join(name[p] for p in event.get("leaders", [])),
        "summary": event["summary"],
        "quotes": " | ".join(f"{name[q['by']]}: {q['text']}" for q in event.get("quotes", [])),
        "sources": "; ".join(event.get("sources", [])), "note": event.get("note", ""),
        "time": event.get("time", ""), "end_time": event.get("end_time", ""),
        "countries": "; ".join(event.get("countries", [])),
        "tags": "; ".join(event.get("tags", [])),
        "translations": " | ".join(translation_cell(t) for t in event.get("translations", [])),
    }  # fmt: skip


def translation_cell(item: dict) -> str:
    """A translation as the CSV writes it: its parts labelled, so that a note without a
    summary is not taken for one."""
    parts = [f"{item['lang']}: {item['title']}"]
    parts += [f"{key}: {item[key]}" for key in ("summary", "note") if key in item]
    return " · ".join([*parts, f"source: {item['source']}"])


@pytest.mark.parametrize(
    ("data", "query", "keep"),
    [
        ("shipped", "", lambda e: True),
        ("shipped", "leader=putin", lambda e: "putin" in e.get("leaders", [])),
        ("shipped", "leader=putin&leader=raisi&match=all",
         lambda e: {"putin", "raisi"} <= set(e.get("leaders", []))),
        ("shipped", "kind=visit&kind=statement", lambda e: e["kind"] in ("visit", "statement")),
        # A month-precise event spans its month: it meets 19 July (the page's rule).
        ("shipped", "from=2022-07-19", lambda e: last_day(e) >= "2022-07-19"),
        ("hostile", "", lambda e: True),  # markup, entities and line breaks, as they are
        ("translated", "", lambda e: True),  # translations: one with a summary, one without
    ],
)  # fmt: skip
def test_csv_and_json_hold_the_files_events_of_the_view(request, data, query, keep):
    doc = raw(texts(data))
    events = in_view(doc, keep)
    view = view_of(request.getfixturevalue(data), query)
    check_json(json.loads(to_json(view.shown)), events)
    rows = list(csv.DictReader(io.StringIO(to_csv(view.shown, view.data.people))))
    assert [r["id"] for r in rows] == [e["id"] for e in events]
    for row, event in zip(rows, events, strict=True):
        expected = csv_row(event, doc)
        assert {k: row[k] for k in expected} == expected
        assert set(row) - set(expected) == {"media"}  # every other column checked above
        assert bool(row["media"]) == bool(event.get("media")), event["id"]


@pytest.mark.parametrize("fmt", ["csv", "json"])
@pytest.mark.parametrize("query", ["", "leader=putin&match=all", "q=drones", "kind=visit"])
def test_csv_and_json_exports_are_the_pages_downloads(shipped, capsys, monkeypatch, fmt, query):
    view = view_of(shipped, query)
    expected = to_csv(view.shown, shipped.people) if fmt == "csv" else to_json(view.shown)
    code, out, err = cli(capsys, monkeypatch, "export", fmt, "events.yaml", "--query", query)
    assert code == 0, err
    assert out == expected  # the table tab's download, byte for byte
    size = len(expected.encode("utf-8"))
    assert err == (
        f"events.yaml: wrote {len(view.shown)} of 10 events as {fmt.upper()} to standard output "
        f"({size:,} bytes)\n"
    )


# --- TimelineJS -----------------------------------------------------------------------------


def test_timelinejs_slides_of_the_shipped_story(shipped):
    doc = timelinejs(view_of(shipped))
    assert list(doc) == ["title", "events", "eras"]
    assert doc["title"] == {
        "text": {
            "headline": "Russia and Iran grow closer",
            "text": "<p>How the war in Ukraine turned two wary neighbours into partners of "
            "necessity in 2022, from Ebrahim Raisi's January visit to Moscow to Vladimir "
            "Putin's trip to Tehran in July.</p>",
        }
    }
    assert [e["unique_id"] for e in doc["events"]] == SHIPPED_IDS
    trilateral = doc["events"][8]
    assert trilateral == {
        "unique_id": "tehran-trilateral-2022",
        "start_date": {"year": 2022, "month": 7, "day": 19},
        "display_date": "19 July 2022",
        "text": {
            "headline": "Putin, Raisi and Erdogan hold a three-way summit on Syria",
            "text": trilateral["text"]["text"],
        },
        "group": "Vladimir V. Putin (Russia)",
    }
    text = trilateral["text"]["text"]
    assert text.startswith("<p>The three leaders discuss the war in Ukraine and the situation in ")
    assert (
        "<p><i>Summit · Tehran, Iran · with Vladimir V. Putin (President), Ebrahim Raisi " in text
    )
    assert "<blockquote>“We expect Russia and Iran to support Turkey in this struggle.”<br>— <cite>" \
           "Recep Tayyip Erdogan</cite> (The New York Times)</blockquote>" in (
        doc["events"][7]["text"]["text"]
    )  # fmt: skip
    assert (
        "<p><b>Sources:</b> Russia and Iran grow closer in isolation, The New York Times, "
        "19 July 2022</p><p><i>Editors' note: Order on 19 July: " in text
    )
    # A month-only date has no day; the label shows as TimelineJS's date.
    assert doc["events"][0]["start_date"] == {"year": 2022, "month": 1}
    assert doc["events"][0]["display_date"] == "January 2022"
    # The war goes on: its era ends with the last event shown, since eras need an end.
    assert doc["eras"] == [
        {
            "start_date": {"year": 2022, "month": 2, "day": 24},
            "end_date": {"year": 2022, "month": 7, "day": 31},
            "text": {"headline": "War in Ukraine", "text": doc["eras"][0]["text"]["text"]},
        }
    ]
    assert doc["eras"][0]["text"]["text"].startswith("<p>Russia's full-scale invasion")


def shown_texts(event: dict, doc: dict, quote: bool = False) -> list[str]:
    """What a reader must find of an event in a slide or the static page: the file's texts,
    escaped as HTML, each run of spaces and line breaks as one space."""
    people, sources = doc.get("people", {}), doc.get("sources", {})
    words = [event["title"], event.get("place", ""), event.get("note", "")]
    words += [people[p]["name"] for p in event.get("leaders", [])]
    words += [line for line in event["summary"].splitlines() if line.strip()]
    for said in event.get("quotes", []):
        words += [said["text"], people[said["by"]]["name"]]
    words += [sources[s]["title"] for s in event.get("sources", [])]
    return [html_escape(" ".join(w.split()), quote=quote) for w in words if w.strip()]


def squeeze(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("data", ["shipped", "hostile"])
def test_every_slide_holds_its_events_texts(request, data):
    doc = raw(texts(data))
    slides = timelinejs(view_of(request.getfixturevalue(data)))
    assert [s["unique_id"] for s in slides["events"]] == [e["id"] for e in in_view(doc)]
    assert slides["title"]["text"]["headline"] == html_escape(doc["title"], quote=False)
    for slide, event in zip(slides["events"], in_view(doc), strict=True):
        assert slide["text"]["headline"] == html_escape(event["title"], quote=False)
        text = squeeze(slide["text"]["text"])
        for words in shown_texts(event, doc)[1:]:
            assert words in text, (event["id"], words)
        start = dict(
            zip(("year", "month", "day"), map(int, event["date"].split("-")), strict=False)
        )
        assert slide["start_date"] == start
    # Each period that meets the events is an era, under its title.
    eras = [e["text"]["headline"] for e in slides["eras"]]
    assert eras and set(eras) <= {html_escape(p["title"], quote=False) for p in doc["periods"]}


@pytest.mark.parametrize("data", ["shipped", "hostile"])
def test_the_static_page_holds_every_events_texts(request, data):
    doc = raw(texts(data))
    page = static_page(view_of(request.getfixturevalue(data)), figures, exported=TODAY)
    articles = re.findall(r'<article id="event-([^"]*)"(.*?)</article>', page, re.S)
    assert [i for i, _ in articles] == [e["id"] for e in in_view(doc)]
    assert f"<title>{html_escape(doc['title'], quote=False)}</title>" in page
    for (_, body), event in zip(articles, in_view(doc), strict=True):
        body = squeeze(body)
        for words in shown_texts(event, doc, quote=True):  # the page escapes quotes too
            assert words in body, (event["id"], words)


@pytest.mark.parametrize(
    ("query", "groups"),
    [
        ("", ["Ebrahim Raisi (Iran)", "Vladimir V. Putin (Russia)", "Dmitri S. Peskov (Russia)",
              "No named leader", "No named leader", "Vladimir V. Putin (Russia)",
              "Vladimir V. Putin (Russia)", "Ali Khamenei (Iran)", "Vladimir V. Putin (Russia)",
              "No named leader"]),
        ("lanes=country", ["Iran", "Russia", "Russia", "United States", "No state named",
                           "Russia", "Russia", "Iran", "Russia", "Russia"]),
        ("lanes=tag&order=name", ["No tag", "No tag", "finance", "drones", "No tag", "No tag",
                                  "ukraine-war", "syria", "syria", "energy"]),
        ("leader=erdogan&lanes=country", ["Iran", "Russia"]),
    ],
)  # fmt: skip
def test_the_group_is_the_first_lane_the_dashboard_gives_the_event(shipped, query, groups):
    """Each event's first lane as the file lists its leaders (or states, or tags)."""
    assert [e["group"] for e in timelinejs(view_of(shipped, query))["events"]] == groups


def test_timelinejs_dates_keep_their_precision(hostile):
    events = {e["unique_id"]: e for e in timelinejs(view_of(hostile))["events"]}
    assert [(events[i].get("start_date"), events[i].get("end_date"), events[i]["display_date"])
            for i in ("span", "month", "year")] == [
        ({"year": 2023, "month": 3, "day": 1}, {"year": 2023, "month": 3, "day": 3}, "1–3 March 2023"),
        ({"year": 2023, "month": 5}, None, "May 2023"),
        ({"year": 2023}, {"year": 2024, "month": 2}, "2023 – February 2024"),
    ]  # fmt: skip


def test_timelinejs_escapes_every_data_text(hostile):
    doc = timelinejs(view_of(hostile))
    assert [e["unique_id"] for e in doc["events"]] == ["year", "span", "month"]  # date order
    span = doc["events"][1]
    assert doc["title"]["text"]["headline"] == (
        "Talks &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"
    )
    assert (
        doc["title"]["text"]["text"] == "<p>A &lt;b&gt;test&lt;/b&gt; file</p><p>on two lines</p>"
    )
    assert span["text"]["headline"] == "A &lt;b&gt;span&lt;/b&gt;"
    assert span["text"]["text"] == (
        "<p>First line &lt;/script&gt;</p><p>Second &amp; last</p>"
        "<p><i>Summit · &lt;img src=x onerror=alert(1)&gt; · with Ana &lt;i&gt;Alpha&lt;/i&gt; "
        "(Envoy &lt;u&gt;), Bo Beta</i></p>"
        "<p><b>Tags:</b> &lt;b&gt;tag&lt;/b&gt;, energy</p>"  # the file's tags, escaped
        "<blockquote>“&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;”<br>— <cite>Ana "
        "&lt;i&gt;Alpha&lt;/i&gt;</cite> (Press &amp; Co)</blockquote>"
        '<p><b>Sources:</b> <a href="https://example.org/r?a=1&amp;b=2" target="_blank" '
        'rel="noopener noreferrer">A &lt;report&gt;</a>, Press &amp; Co, May 2023</p>'
        "<p><i>Editors' note: Careful &lt;now&gt;</i></p>"
    )
    # TimelineJS strips markup from a group, then writes it as HTML: escaped twice.
    assert span["group"] == "Ana &amp;lt;i&amp;gt;Alpha&amp;lt;/i&amp;gt; (Atlantis &amp;amp; Co)"
    # An image is TimelineJS media; its alt is an attribute, set as text.
    assert span["media"] == {
        "url": "https://example.org/p.jpg?size=2",
        "caption": "A &lt;caption&gt;",
        "credit": "Me &amp; you",
        "alt": "Two <people>",
    }
    # A page is no picture (TimelineJS would draw a broken image): a link in the text.
    month = doc["events"][2]
    assert "media" not in month
    assert '<p><b>Media:</b> <a href="https://example.org/page" target="_blank" ' \
           'rel="noopener noreferrer">The page</a></p>' in month["text"]["text"]  # fmt: skip
    text = timelinejs_json(view_of(hostile))
    assert "<" not in text and ">" not in text and "&" not in text  # safe in a <script>
    assert json.loads(text) == doc


def test_timelinejs_eras_are_the_periods_that_meet_the_view(hostile):
    def eras(query: str) -> list[tuple]:
        doc = timelinejs(view_of(hostile, query))
        return [(e["text"]["headline"], e["start_date"], e["end_date"]) for e in doc["eras"]]

    # The 2001 age meets no event; the open war ends with the view's last day (eras need an end).
    assert eras("") == [
        ("Talks season", {"year": 2023, "month": 2}, {"year": 2023, "month": 4, "day": 15}),
        ("Open &lt;war&gt;", {"year": 2023, "month": 4, "day": 20},
         {"year": 2024, "month": 2, "day": 29}),
    ]  # fmt: skip
    assert eras("q=in+may") == [
        ("Open &lt;war&gt;", {"year": 2023, "month": 4, "day": 20},
         {"year": 2023, "month": 5, "day": 31}),
    ]  # fmt: skip
    assert eras("q=first+line") == [
        ("Talks season", {"year": 2023, "month": 2}, {"year": 2023, "month": 4, "day": 15}),
    ]
    doc = timelinejs(view_of(hostile))
    assert doc["eras"][0]["text"]["text"] == "<p>A note &amp; more</p>"


def test_timelinejs_title_slide_says_the_filters_and_links_back(shipped):
    doc = timelinejs(view_of(shipped, "leader=putin&leader=erdogan&match=all&view=publish"),
                     base_url="https://example.org/timeline/")  # fmt: skip
    assert doc["title"]["text"]["text"].endswith(
        "<p><i>Filters: leaders: Vladimir V. Putin and Recep Tayyip Erdogan (all of them). "
        "Lanes: leaders, first appearance.</i></p>"
        '<p><a href="https://example.org/timeline/?leader=putin&amp;leader=erdogan&amp;'
        'match=all" target="_blank" rel="noopener">The live view</a></p>'
    )
    assert [e["unique_id"] for e in doc["events"]] == ["tehran-trilateral-2022"]


def test_timelinejs_needs_an_event(shipped):
    with pytest.raises(
        ExportError, match=r"^no event in this view, and TimelineJS needs at least one$"
    ):
        timelinejs(view_of(shipped, "q=nothing-matches-this"))


def test_any_valid_file_exports(tmp_path):
    for path in [ROOT / "events.yaml", *sorted((ROOT / "tests" / "data").glob("*.yaml"))]:
        data = load_file(path)
        doc = timelinejs(View.of(data, FilterState()))
        assert len(doc["events"]) == len(data.events), path.name
        page = static_page(View.of(data, FilterState()), figures, exported=TODAY)
        assert page.count("<article id=") == len(data.events), path.name


# --- The static page --------------------------------------------------------------------------


class Page(HTMLParser):
    """What a reader's browser would load or run from a page."""

    def __init__(self, text: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if tag == "script":
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data
        else:
            self.text.append(data)


def test_static_page_of_a_view(shipped):
    view = view_of(shipped, "leader=putin&kind=meeting&view=publish")
    page = static_page(view, figures, exported=TODAY, base_url="https://example.org/t")
    parsed = Page(page)
    text = " ".join(" ".join(parsed.text).split())
    assert "<title>Russia and Iran grow closer</title>" in page
    assert (
        "Filters: leader: Vladimir V. Putin; kind: meeting. Lanes: leaders, first appearance."
        in text
    )
    assert "2 of 10 events · exported on 1 May 2024 · open this view in the live dashboard" in text
    assert ("a", {"href": "https://example.org/t?leader=putin&kind=meeting"}) in parsed.tags
    ids = [a["id"] for tag, a in parsed.tags if tag == "article"]
    assert (
        ids
        == ["event-putin-raisi-tehran-2022", "event-putin-khamenei-2022"]
        == [f"event-{i}" for i in view.shown["id"]]
    )
    # Every quote in full, with its speaker, readable without JavaScript.
    assert "“War is a violent and difficult endeavor" in text and "— Ali Khamenei" in text
    # Three scripts: the figure as JSON, plotly.js, and the lines that draw it.
    assert [a.get("type") for tag, a in parsed.tags if tag == "script"] == [
        "application/json", None, None,
    ]  # fmt: skip
    figure = json.loads(parsed.scripts[0])
    drawn = {c for t in figure["data"] for cs in t.get("customdata", [])
             for c in (cs if isinstance(cs, list) else [cs])}  # fmt: skip
    assert drawn == set(view.shown["id"])
    assert figure["data"][-1]["name"] == "periods"  # the war, behind the lanes
    assert parsed.scripts[1].startswith("/**\n* plotly.js (basic - minified) v4.1.1\n")


def test_static_page_loads_nothing_from_elsewhere(shipped, hostile):
    for data in (shipped, hostile):
        page = static_page(View.of(data, FilterState()), figures, exported=TODAY)
        for tag, attrs in Page(page).tags:
            assert "src" not in attrs, (tag, attrs)  # no image, script or frame from outside
            assert tag not in ("link", "img", "iframe", "object", "embed"), tag
        assert "@import" not in page and "url(" not in page.split("<script>")[0]


def test_static_page_escapes_every_data_text(hostile):
    page = static_page(view_of(hostile), figures, exported=TODAY)
    # Only this page's own three scripts: data never opens or closes one.
    assert page.count("<script") == 3 and page.count("</script>") == 3
    assert "<img" not in page and "<b>span" not in page and "<i>Alpha" not in page
    assert (
        "<title>Talks &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; more</title>"
        in page
    )
    assert "“&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;”" in page
    # Media is a link: the page fetches no picture.
    assert '<a href="https://example.org/p.jpg?size=2" target="_blank" rel="noopener noreferrer">' \
           "A &lt;caption&gt;</a> (Me &amp; you)" in page  # fmt: skip
    parsed = Page(page)
    figure = json.loads(parsed.scripts[0])
    assert (
        figure["layout"]["yaxis"]["ticktext"][0]
        == "Ana &lt;i&gt;Alpha&lt;/i&gt;<br>(Atlantis &amp; Co)"
    )


def test_static_page_without_a_chart(shipped):
    too_few = SimpleNamespace(
        MAX_MARKERS=2, timeline_figure=figures.timeline_figure,
        add_timeline_periods=figures.add_timeline_periods,
    )  # fmt: skip
    page = static_page(view_of(shipped, "kind=meeting"), too_few, exported=TODAY)
    assert "<script" not in page and page.count("<article id=") == 3
    assert "3 events are too many to draw one by one: the list below holds them all. Narrow " \
           "the view to 2 events or fewer for the chart." in page  # fmt: skip
    empty = static_page(view_of(shipped, "q=nothing-matches"), figures, exported=TODAY)
    assert "<script" not in empty and "No event matches these filters." in empty


def test_static_page_of_the_shipped_data_is_small(shipped):
    page = static_page(view_of(shipped), figures, exported=TODAY)
    bundle = len(plotly_bundle().encode())
    assert bundle == 1_191_749  # plotly.js-basic-dist-min 4.1.1: scatter, bar and pie
    size = len(page.encode())
    assert bundle < size < bundle + 40_000, size  # the README gives the size


def test_script_text_cannot_end_its_element():
    assert script_json({"a": "</script><!--x-->&"}) == (
        '{"a": "\\u003c/script\\u003e\\u003c!--x--\\u003e\\u0026"}'
    )
    assert json.loads(script_json("\u2028<")) == "\u2028<"
    assert inline_script('s = "</script>"; t = "<!--";') == 's = "<\\/script>"; t = "<\\!--";'
    assert "</script" not in plotly_bundle() and "<!--" not in plotly_bundle()


# --- The command line -----------------------------------------------------------------------


def test_export_writes_a_file_and_says_so(tmp_path, capsys, monkeypatch):
    out = tmp_path / "timeline.json"
    code, stdout, stderr = cli(capsys, monkeypatch, "export", "timelinejs", "events.yaml", "-o",
                               str(out), "--query", "leader=putin&leader=erdogan&match=all")  # fmt: skip
    assert code == 0, stderr
    assert stdout == ""
    size = out.stat().st_size
    assert stderr == (
        f"events.yaml: wrote 1 of 10 events as TimelineJS JSON to {out} ({size:,} bytes)\n"
    )
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert [e["unique_id"] for e in doc["events"]] == ["tehran-trilateral-2022"]


def test_export_html_from_a_dashboard_link(tmp_path, capsys, monkeypatch):
    out = tmp_path / "page.html"
    link = "http://127.0.0.1:8501/?leader=peskov&view=table"
    code, _, stderr = cli(capsys, monkeypatch, "export", "html", "events.yaml", "-o", str(out),
                          "--query", link, "--base-url", "https://example.org/t")  # fmt: skip
    assert code == 0, stderr
    page = out.read_text(encoding="utf-8")
    assert page.count("<article id=") == 1
    assert 'href="https://example.org/t?leader=peskov&amp;view=table"' in page


def test_dropped_query_values_are_reported_as_the_page_does(capsys, monkeypatch):
    code, stdout, stderr = cli(capsys, monkeypatch, "export", "csv", "events.yaml", "--query",
                               "leader=putn&match=most&embed=true")  # fmt: skip
    assert code == 0
    assert stderr.splitlines()[:2] == [
        "--query: Ignored leader='putn': not in this data (valid: putin, raisi, khamenei, "
        "erdogan, peskov).",
        "--query: Ignored match='most': expected one of any, all.",
    ]
    assert len(list(csv.DictReader(io.StringIO(stdout)))) == 10


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("export",), 2, "the following arguments are required: FORMAT, FILE"),
        (("export", "pdf", "events.yaml"), 2, "argument FORMAT: invalid choice: 'pdf'"),
        (("export", "csv", "missing.yaml"), 2, "missing.yaml: cannot read the file: No such file"),
        (("export", "csv", "tests"), 2, "tests: cannot read the file: it is a directory"),
        (("export", "csv", "events.yaml", "--base-url", "https://x.org"), 2,
         "--base-url is for timelinejs and html only, not csv"),
        (("export", "html", "events.yaml", "--base-url", "javascript:alert(1)"), 2,
         "--base-url 'javascript:alert(1)' is not a web address (expected http:// or https://)"),
        (("export", "html", "events.yaml", "--base-url", "https://x.org/?a=1"), 2,
         "--base-url 'https://x.org/?a=1': expected the dashboard's address without a query"),
        (("export", "json", "events.yaml", "--query", "&".join(["q=a"] * 1001)), 2,
         "--query has more than 1,000 parameters"),
        (("export", "csv", "events.yaml", "-o", "/nonexistent/dir/out.csv"), 2,
         "/nonexistent/dir/out.csv: cannot write the file: No such file or directory"),
        (("export", "timelinejs", "events.yaml", "--query", "q=zzzz"), 1,
         "events.yaml: nothing to export: no event in this view, and TimelineJS needs at least "
         "one; no file written"),
        (("export", "timelinejs", "tests/data/bad/unknown-leader.yaml"), 1,
         "unknown-leader.yaml: 1 error(s); nothing exported"),
    ],
)  # fmt: skip
def test_usage_and_data_errors_exit_without_a_traceback(capsys, monkeypatch, args, code, message):
    got, stdout, stderr = cli(capsys, monkeypatch, *args)
    assert got == code, stderr
    assert message in stderr
    assert "Traceback" not in stderr
    if code:
        assert stdout == ""


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("export", "pdf", "events.yaml"), 2, "argument FORMAT: invalid choice: 'pdf'"),
        (("export", "csv", "missing.yaml"), 2, "missing.yaml: cannot read the file: No such file"),
        (("export", "timelinejs", "tests/data/bad/unknown-leader.yaml"), 1,
         "unknown-leader.yaml: 1 error(s); nothing exported"),
    ],
)  # fmt: skip
def test_the_process_exits_with_the_code_and_no_traceback(args, code, message):
    # The real process: the code reaches the shell, the message standard error.
    result = run(*args)
    assert result.returncode == code, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_export_to_standard_output_feeds_a_pipe(shipped):
    # `export csv ... | head -n 3`: the file goes down the pipe, the summary to standard error.
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    export = subprocess.Popen(
        [sys.executable, "-m", "timeline", "export", "csv", "events.yaml", "--query", "q=drones"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=env,
    )  # fmt: skip
    head = subprocess.run(["head", "-n", "2"], stdin=export.stdout, capture_output=True,
                          text=True, check=True)  # fmt: skip
    export.stdout.close()
    stderr = export.communicate()[1].decode()
    assert export.wait() == 0, stderr
    first = next(e for e in in_view(raw(texts("shipped"))) if "drones" in e.get("tags", []))
    header, row = list(csv.reader(io.StringIO(head.stdout)))
    assert header[:2] == ["id", "date"] and row[:2] == [first["id"], first["date"]]
    assert stderr.startswith("events.yaml: wrote ") and "to standard output" in stderr


@pytest.mark.parametrize("fmt", ["csv", "json", "timelinejs", "html"])
def test_one_function_writes_each_format(shipped, capsys, monkeypatch, fmt):
    # The command writes what the Publish tab and the table tab offer for the same view.
    view = view_of(shipped, "q=drones")
    today = dt.date.today()
    expected = {
        "csv": lambda: to_csv(view.shown, shipped.people), "json": lambda: to_json(view.shown),
        "timelinejs": lambda: timelinejs_json(view),
        "html": lambda: static_page(view, figures, exported=today),
    }[fmt]()  # fmt: skip
    code, out, err = cli(capsys, monkeypatch, "export", fmt, "events.yaml", "--query", "q=drones")
    assert code == 0, err
    assert out == expected


# --- Round trip: exported to TimelineJS, imported back --------------------------------------


def test_round_trip_through_timelinejs_keeps_what_it_can_hold(
    tmp_path, shipped, capsys, monkeypatch
):
    exported, imported = tmp_path / "timeline.json", tmp_path / "back.yaml"
    assert (
        cli(capsys, monkeypatch, "export", "timelinejs", "events.yaml", "-o", str(exported))[0] == 0
    )
    code, _, stderr = cli(
        capsys, monkeypatch, "import", "timelinejs", str(exported), "-o", str(imported)
    )
    assert code == 0, stderr
    assert "left out" not in stderr  # nothing of the export is unknown to the reader
    back = yaml.safe_load(imported.read_text(encoding="utf-8"))
    data = load_file(imported)  # and it is a valid events file
    assert (back["title"], back["description"]) == (shipped.title, shipped.description)
    original = {r["id"]: r for r in shipped.events.to_dict("records")}
    assert [e["id"] for e in back["events"]] == SHIPPED_IDS
    groups = [e["group"] for e in timelinejs(view_of(shipped))["events"]]
    for event, group in zip(back["events"], groups, strict=True):
        was = original[event["id"]]
        assert event["title"] == was["title"]
        assert event["date"] == PartialDate(was["start"].date(), was["precision"]).iso()
        assert "end" not in event  # no event of the shipped story spans days
        assert event["tags"] == [group]  # the lane, the one group TimelineJS holds
        assert event["kind"] == "event"  # TimelineJS has no kind: the importer's --kind
        # The summary comes back first, the sources after it as plain text; each quote comes
        # back as a quote, its <cite> as the speaker (a person of the file, by name).
        assert event["summary"].startswith(" ".join(was["summary"].split()) + "\n")
        people = {pid: p["name"] for pid, p in back["people"].items()}
        assert [(q["text"], people[q["by"]]) for q in event.get("quotes", [])] == [
            (" ".join(q["text"].split()), shipped.people[q["by"]].name) for q in was["quotes"]
        ]
        assert "“" not in event["summary"]  # no quote is left behind in the text
        assert event["note"] == f"TimelineJS showed the date as '{was['date_label']}'."
    assert [(p.title, p.from_, p.to) for p in data.periods] == [
        ("War in Ukraine", "2022-02-24", "2022-07-31")  # closed where the export ended it
    ]


def test_round_trip_of_dates_media_and_escapes(tmp_path, hostile, capsys, monkeypatch):
    exported, imported = tmp_path / "timeline.json", tmp_path / "back.yaml"
    exported.write_text(timelinejs_json(view_of(hostile)), encoding="utf-8")
    code, _, stderr = cli(
        capsys, monkeypatch, "import", "timelinejs", str(exported), "-o", str(imported)
    )
    assert code == 0, stderr
    events = {e["id"]: e for e in yaml.safe_load(imported.read_text(encoding="utf-8"))["events"]}
    assert [(i, e["date"], e.get("end")) for i, e in events.items()] == [
        ("year", "2023", "2024-02"), ("span", "2023-03-01", "2023-03-03"), ("month", "2023-05", None),
    ]  # fmt: skip
    span = events["span"]
    assert span["title"] == "A <b>span</b>"  # the text, not markup, both ways
    assert span["summary"].startswith("First line </script>\nSecond & last\n")
    assert span["media"] == {
        "url": "https://example.org/p.jpg?size=2", "caption": "A <caption>",
        "credit": "Me & you", "alt": "Two <people>",
    }  # fmt: skip
    # A page was a link in the text: it comes back in the summary, not as media.
    assert "media" not in events["month"]
    assert "The page (https://example.org/page)" in events["month"]["summary"]


# --- The Publish tab --------------------------------------------------------------------------


def test_publish_tab_offers_the_downloads_and_the_snippet():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in {"view": "publish", "leader": ["putin", "erdogan"], "match": "all",
                       "embed": "true"}.items():  # fmt: skip
        at.query_params[key] = value
    at.run()
    assert not at.exception and not at.warning  # embed=true is no unknown parameter
    buttons = {b.proto.label: b.proto for b in at.get("download_button")}
    assert not buttons["TimelineJS JSON"].disabled
    assert "Static page (HTML)" in buttons
    snippet = next(c.value for c in at.code if c.value.startswith("<iframe"))
    assert snippet.split("<script>")[0] == (  # the frame; then the script that sizes it
        '<iframe src="http://localhost:8501/?embed=true&amp;leader=putin&amp;leader=erdogan&amp;'
        'match=all" title="Russia and Iran grow closer: interactive timeline" width="100%" '
        'height="858" style="border:0" loading="lazy"></iframe>'
    )


def test_publish_tab_with_nothing_to_publish():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["view"] = "publish"
    at.query_params["q"] = "nothing-matches-this"
    at.run()
    assert not at.exception
    buttons = {b.proto.label: b.proto for b in at.get("download_button")}
    assert buttons["TimelineJS JSON"].disabled
    assert any("TimelineJS needs at least one event" in h.proto.body for h in at.get("html"))


def test_valid_is_still_the_file_the_tests_edit():
    # The small file of conftest exports too: one event, one slide.
    doc = timelinejs(View.of(parse_events(VALID, "valid.yaml"), FilterState()))
    assert [e["unique_id"] for e in doc["events"]] == ["first"]
    assert re.search(r"https://example\.org/a", doc["events"][0]["text"]["text"])


def test_media_that_is_no_web_address_is_left_out(hostile):
    # Checked when the file loads; checked again, as the details do, before an export.
    events = hostile.events.copy()
    events["media"] = [{"url": "javascript:alert(1)", "caption": "x", "credit": None,
                        "alt": None}] * len(events)  # fmt: skip
    data = dataclasses.replace(hostile, events=events)
    doc = timelinejs(View.of(data, FilterState()))
    assert all("media" not in e and "javascript" not in e["text"]["text"] for e in doc["events"])
    page = static_page(View.of(data, FilterState()), figures, exported=TODAY)
    assert "javascript:" not in page and "<b>Media:</b>" not in page


@pytest.mark.parametrize(
    ("translations", "cell"),
    [
        ([], ""),
        ([{"lang": "fa", "title": "دیدار", "summary": None, "note": "یادداشت", "source": "s"}],
         "fa: دیدار · note: یادداشت · source: s"),
        ([{"lang": "ru", "title": "A; B", "summary": "S", "note": None, "source": "s"},
          {"lang": "tr", "title": "=1+1", "summary": None, "note": None, "source": "t"}],
         "ru: A; B · summary: S · source: s | tr: =1+1 · source: t"),
    ],
)  # fmt: skip
def test_csv_writes_each_translation_with_its_parts_named(translated, translations, cell):
    frame = translated.events.head(1).copy()
    frame["translations"] = [translations]
    row = next(csv.DictReader(io.StringIO(to_csv(frame, translated.people))))
    assert row["translations"] == cell
