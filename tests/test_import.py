"""`python -m timeline import`: TimelineJS, its sheet, any table and ICEWS into a valid events file."""

import datetime as dt
import json
import os
import re
import subprocess
import sys
import zipfile

import pytest
import yaml
from conftest import ROOT

from timeline.files import load_file
from timeline.importers import registry
from timeline.importers.command import IMPORTERS
from timeline.importers.common import Imported, Options, Report, plain
from timeline.importers.dates import DateProblem, read_date
from timeline.importers.htmltext import html_to_text, web_url
from timeline.importers.ids import IdMaker, slugify
from timeline.importers.yamlout import fields, render
from timeline.loader import parse_events
from timeline.schema import Event, Source, TimelineFile

DATA = ROOT / "tests" / "data" / "import"
TODAY = dt.date(2024, 5, 1)


@pytest.fixture
def run(in_process):
    """Run the command line in process with `main(argv)`, as `run_process` does in a child."""
    return in_process


def run_process(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "timeline", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=full_env,
    )


def bring(fmt: str, name: str, raw: bytes | None = None, **options) -> Imported:
    """Import a fixture (or the given bytes under its name) with the Python API."""
    data = (DATA / name).read_bytes() if raw is None else raw
    return IMPORTERS[fmt](data, name, Options(**options), TODAY)


def events_of(imported: Imported) -> list[dict]:
    """Return the events as the file writes them: fields at their default left out."""
    return [fields(e) for e in imported.file.events]


def by_id(imported: Imported) -> dict[str, dict]:
    return {e["id"]: e for e in events_of(imported)}


def skipped(imported: Imported) -> list[tuple[str, str]]:
    return [(m.where, m.message) for m in imported.report.located if m.skipped]


def changed(imported: Imported) -> list[tuple[str, str]]:
    return [(m.where, m.message) for m in imported.report.located if not m.skipped]


def tjs(*events: dict, **top) -> bytes:
    """A TimelineJS3 file of the given events."""
    return json.dumps({"events": list(events), **top}).encode()


# --- Every fixture becomes a file the dashboard loads --------------------------------------


@pytest.mark.parametrize(
    ("fmt", "name", "extra", "events"),
    [
        ("timelinejs", "timelinejs3.json", (), 5),
        ("timelinejs", "timelinejs2.json", (), 5),
        ("timelinejs", "roundtrip.json", ("--kind", "meeting"), 4),
        ("timelinejs-sheet", "sheet.csv", (), 3),
        ("timelinejs-sheet", "sheet-old.csv", (), 2),
        ("csv", "table.csv", (), 8),
        (
            "csv",
            "table-dayfirst.tsv",
            ("--dayfirst", "--map", "date=Wann", "--map", "title=Was"),
            2,
        ),
        ("icews", "icews.tab", (), 7),
    ],
)
def test_each_fixture_imports_to_a_file_that_validates(run, tmp_path, fmt, name, extra, events):
    out = tmp_path / "out.yaml"
    result = run("import", fmt, str(DATA / name), "-o", str(out), *extra)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert re.search(rf": wrote {events} events?, .* to {re.escape(str(out))}$", result.stderr)
    data = load_file(out)
    assert len(data.events) == events
    checked = run("validate", str(out))
    assert checked.returncode == 0 and ": OK, " in checked.stdout


def test_output_is_written_for_hand_editing(run):
    result = run("import", "timelinejs", str(DATA / "roundtrip.json"))
    assert result.returncode == 0, result.stderr
    text = result.stdout
    lines = text.splitlines()
    today = dt.date.today().isoformat()
    assert lines[0].startswith(f"# Imported from roundtrip.json (TimelineJS JSON) on {today} ")
    header = lines[: lines.index("title: Russia and Iran grow closer")]
    assert all(line.startswith("# ") and len(line) <= 100 for line in header)
    assert "the input file itself, dated the day of the import" in " ".join(header)
    assert "!!" not in text and "&" not in text.split("events:")[0]  # no tags, anchors
    # Every date quoted, wherever it stands.
    for line in lines:
        if re.match(r"\s*-? ?(date|end|from|to):", line):
            assert re.match(r'\s*-? ?(date|end|from|to): "[0-9-]+"$', line), line
    # One blank line between events, none inside one.
    events = text.split("\nevents:\n", 1)[1]
    assert events.count("\n\n  - id: ") == 3
    assert "\n\n" not in events.replace("\n\n  - id: ", "")
    assert events.startswith("  - id: raisi-moscow-2022-01\n    title: Raisi visits Moscow\n")
    assert "    summary: |-\n      The Iranian president travels to Moscow.\n" in events


# Each format's samples: a registered format without one fails the test below.
SAMPLES = {
    "timelinejs": ("timelinejs3.json", "timelinejs2.json", "roundtrip.json"),
    "timelinejs-sheet": ("sheet.csv", "sheet-old.csv"),
    "csv": ("table.csv",),  # table-dayfirst.tsv needs --map: see the fixture test
    "icews": ("icews.tab", "icews-2018.tab"),
    "gdelt": ("gdelt.export.CSV",),
    "polecat": ("polecat.tsv",),
}


@pytest.mark.parametrize("fmt", registry.FORMATS, ids=registry.names())
def test_every_registered_format_is_named_helped_and_imports_its_samples(run, fmt):
    assert fmt.name and fmt.title and fmt.help and fmt.plain_name
    assert fmt.plain_name in registry.command_help()
    assert {o.dest for o in fmt.options} <= set(Options.__dataclass_fields__)
    help_text = " ".join(run("import", "--help").stdout.split())
    assert f"{fmt.name}: {' '.join(fmt.help.split())}" in help_text
    for option in fmt.options:
        assert option.flag in help_text
    assert SAMPLES.get(fmt.name), f"no sample for {fmt.name}"
    for name in SAMPLES[fmt.name]:
        imported = fmt.run((DATA / name).read_bytes(), name, Options(), TODAY)
        text = render(imported, name, fmt.title, TODAY)
        assert text.startswith(f"# Imported from {name} ({fmt.title}) on {TODAY.isoformat()}")
        assert len(parse_events(text, "out.yaml").events) == len(imported.file.events) > 0


def test_samples_name_only_registered_formats():
    assert set(SAMPLES) == set(registry.names())


class _Mood(Event):
    """An event with a field the schema may gain one day."""

    mood: str | None = None


def test_a_new_optional_field_reaches_the_written_file_in_its_place():
    event = _Mood(
        id="e", title="T", date="2020", kind="event", summary="S", sources=["s"], mood="calm"
    )
    source = Source(title="S", publisher="P", date="2020")
    file = TimelineFile(title="T", people={}, sources={"s": source}, events=[event])
    text = render(Imported(file, Report()), "in.csv", "table", TODAY)
    assert text.endswith("    sources: [s]\n    mood: calm\n")  # after the declared ones
    assert "description" not in text and "periods" not in text  # None is left out


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("import", "csv", str(DATA / "table.csv"), "--country", "Iran"), 2),  # usage
        (("import", "timelinejs", str(DATA / "table.csv")), 1),  # not its format
        (("import", "icews", str(DATA / "icews.tab")), 0),
    ],
)
def test_exit_codes_through_the_interpreter(args, code):
    result = run_process(*args)
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr


# --- Round trip: a TimelineJS export of an events file, imported back ----------------------

# The events file that `roundtrip.json` was written from by hand, as a TimelineJS export
# would write it: id as unique_id, title as headline, summary as HTML, the first tag as
# group, media as media. Kind, place, leaders, quotes, countries and sources have no
# place in TimelineJS; the README lists them.
ORIGINAL = [
    {
        "id": "raisi-moscow-2022-01",
        "title": "Raisi visits Moscow",
        "date": "2022-01",
        "tags": ["visits"],
        "summary": "The Iranian president travels to Moscow.\nThe first of three meetings in 2022.",
    },
    {
        "id": "turkmenistan-summit-2022-06",
        "title": "Caspian summit in Ashgabat",
        "date": "2022-06-29",
        "end": "2022-06-30",
        "tags": ["summits"],
        "summary": "Leaders of the <Caspian> states meet & talk.",  # escaped in the HTML
        "media": {
            "url": "https://example.org/ashgabat.jpg",
            "caption": "The summit hall",
            "credit": "Example Agency",
            "alt": "Five leaders at a round table",
        },
    },
    {
        "id": "tehran-trilateral-2022",
        "title": "Putin, Raisi and Erdogan meet in Tehran",
        "date": "2022-07-19",
        "summary": "A three-way meeting on Syria, with a statement (https://example.org/syria).",
        "media": {"url": "https://example.org/tehran-statement", "caption": "The joint statement"},
    },
    {
        "id": "gazprom-deal-2022",
        "title": "Gazprom deal",
        "date": "2022",
        "summary": "Signed during the year.",
    },
]


def test_round_trip_gives_back_every_field_timelinejs_holds():
    imported = bring("timelinejs", "roundtrip.json", kind="meeting")
    assert imported.file.title == "Russia and Iran grow closer"
    assert imported.file.description == "How the war turned neighbours into partners."
    events = by_id(imported)
    assert list(events) == [e["id"] for e in ORIGINAL]
    for original in ORIGINAL:
        back = events[original["id"]]
        for field in ("title", "date", "end", "tags", "summary", "media"):
            assert back.get(field) == original.get(field), (original["id"], field)
        assert back["kind"] == "meeting"
        assert back["sources"] == ["roundtrip-json"]
    # The export's display_date is not lost: it is kept in the note.
    assert (
        events["tehran-trilateral-2022"]["note"] == "TimelineJS showed the date as '19 July 2022'."
    )
    assert imported.report.located == [] and not imported.report.unplaced


# --- TimelineJS3 ----------------------------------------------------------------------------


def test_timelinejs3_fixture_field_by_field():
    imported = bring("timelinejs", "timelinejs3.json")
    assert imported.file.title == "Ankara & Moscow, a decade"
    assert (
        imported.file.description == "Meetings between the two governments.\nWritten for the tests."
    )
    assert imported.file.sources["timelinejs3-json"].date == "2024-05-01"  # the day of the import
    assert imported.file.sources["timelinejs3-json"].url is None  # never made up
    events = by_id(imported)
    assert list(events) == [
        "2016-a-year-known-only-to-the-year",
        "sochi-talks",
        "erdogan-inauguration",  # unique_id "Erdoğan Inauguration" as an id
        "sochi-talks-2",  # the same unique_id again
        "2021-05-05-media-that-is-no-web-address",
    ]
    assert events["2016-a-year-known-only-to-the-year"] == {
        "id": "2016-a-year-known-only-to-the-year",
        "title": "A year known only to the year",
        "date": "2016",
        "kind": "event",
        "tags": ["Diplomacy"],
        "summary": "Year given as a number.",
        "sources": ["timelinejs3-json"],
    }
    assert events["sochi-talks"] == {
        "id": "sochi-talks",
        "title": "Talks in Sochi",
        "date": "2017-03",  # day "" and hour "" are no parts
        "end": "2017-04",
        "kind": "event",
        "summary": (
            "First paragraph with a report (https://example.org/report?id=1&lang=en).\n"
            "- Energy\n- Trade"
        ),
        "media": {
            "url": "https://example.org/photos/sochi.JPG",
            "caption": "The delegations",
            "credit": "Photo: Example Agency",
            "alt": "Two delegations at a table",
        },
        "sources": ["timelinejs3-json"],
    }
    inauguration = events["erdogan-inauguration"]
    assert inauguration["date"] == "2018-07-09"  # month "7", day "09"
    assert inauguration["summary"] == "Recep Tayyip Erdoğan sworn in"  # no text: the headline
    assert inauguration["media"] == {
        "url": "https://example.org/watch?v=abc",
        "caption": "Video of the ceremony",
    }
    assert inauguration["time"] == "14:30"  # the hour and minute kept
    assert inauguration["note"] == "TimelineJS showed the date as 'Summer 2018'."
    no_headline = events["sochi-talks-2"]
    assert no_headline["title"] == "No headline here, so the title comes from this text."
    assert "end" not in no_headline  # it ended before it began
    assert no_headline["media"] == {"url": "https://example.org/bg.png"}  # the background
    assert events["2021-05-05-media-that-is-no-web-address"]["summary"] == "Embedded markup."
    assert "media" not in events["2021-05-05-media-that-is-no-web-address"]
    assert [(p.title, p.from_, p.to, p.note) for p in imported.file.periods] == [
        ("First term", "2016", "2019-06", "Before the second term.")
    ]


def test_timelinejs3_reports_every_skip_change_and_leftover():
    imported = bring("timelinejs", "timelinejs3.json")
    assert skipped(imported) == [
        (
            "events[4]",
            "start_date: year -13800000000 is outside 1 to 9999, the years an events file can hold",
        ),
        ("events[5]", "start_date: day 30 is not a day of February 2020 (expected 1 to 29)"),
        ("events[6]", "no start_date (expected an object with at least a year)"),
        ("eras[1]", "start_date.year: 'abc' is not a whole number"),
    ]
    assert changed(imported) == [
        ("events[3]", "imported without its end: end_date 2019-11 is before start_date 2019-12-03"),
        (
            "events[3]",
            "id 'sochi-talks' is taken by an earlier event; this one's id is 'sochi-talks-2'",
        ),
        (
            "events[7]",
            "imported without its media: media.url: '<blockquote>an embed</blockquote>' is not a web address (expected http:// or https://)",
        ),
    ]
    assert dict(imported.report.unplaced) == {
        ("scale", "file"): 1,
        ("title.media", "file"): 1,
        ("events[].media.thumbnail", "event"): 1,
        ("events[].autolink", "event"): 1,
        ("events[].background.color", "event"): 2,
        ("events[].custom_field", "event"): 1,
    }


@pytest.mark.parametrize(
    ("start_date", "date"),
    [
        ({"year": 2016}, "2016"),
        ({"year": "2016"}, "2016"),
        ({"year": "0800"}, "0800"),  # zero-padded
        ({"year": 800}, "0800"),
        ({"year": "2017", "month": "03"}, "2017-03"),
        ({"year": "2017", "month": 3, "day": ""}, "2017-03"),  # empty fields are no parts
        ({"year": "2017", "month": "", "day": ""}, "2017"),
        ({"year": 2017.0, "month": 3.0, "day": 9.0}, "2017-03-09"),  # JSON numbers with .0
        ({"year": " 2017 ", "month": "7", "day": "09"}, "2017-07-09"),
        ({"year": "9999", "month": "12", "day": "31"}, "9999-12-31"),
        ({"year": "1", "month": "1", "day": "1"}, "0001-01-01"),
        ({"year": "2020", "month": "2", "day": "29", "millisecond": ""}, "2020-02-29"),
    ],
)
def test_timelinejs_date_shapes(start_date, date):
    imported = bring(
        "timelinejs", "x.json", tjs({"start_date": start_date, "text": {"headline": "H"}})
    )
    assert [e["date"] for e in events_of(imported)] == [date]


@pytest.mark.parametrize(
    ("start_date", "reason"),
    [
        ({"year": "-13800000000"}, r"year -13800000000 is outside 1 to 9999"),  # cosmological
        ({"year": 0}, r"year 0 is outside 1 to 9999"),
        ({"year": 10000}, r"year 10000 is outside 1 to 9999"),
        ({"year": True}, r"start_date\.year: True is not a whole number"),
        ({"year": 2012.5}, r"start_date\.year: 2012\.5 is not a whole number"),
        ({"year": "20x2"}, r"start_date\.year: '20x2' is not a whole number"),
        ({"year": "1" * 40}, r"start_date\.year: '1111.*' is not a whole number"),  # no huge ints
        ({"month": "3"}, r"start_date\.year: missing"),
        ({"year": ""}, r"start_date\.year: missing"),
        ({"year": "2020", "day": "5"}, r"day 5 is given without a month"),
        ({"year": "2020", "month": "00"}, r"month 0 is not a month \(expected 1 to 12\)"),
        ({"year": "2021", "month": "2", "day": "29"}, r"day 29 is not a day of February 2021"),
        ({"year": [2020]}, r"start_date\.year: expected a number or text, got list"),
        ("2020-01-01", r"start_date: expected an object, got '2020-01-01'"),
    ],
)
def test_timelinejs_dates_it_cannot_hold_are_skipped_with_a_reason(start_date, reason):
    imported = bring(
        "timelinejs",
        "x.json",
        tjs(
            {"text": {"headline": "Kept"}, "start_date": {"year": 2000}},
            {"start_date": start_date, "text": {"headline": "H"}},
        ),
    )
    assert [e["title"] for e in events_of(imported)] == ["Kept"]
    [(where, message)] = skipped(imported)
    assert where == "events[1]"
    assert re.search(reason, message), message


_HELD = "the events file holds hours and minutes"


@pytest.mark.parametrize(
    ("times", "day", "time", "note"),
    [
        ({"hour": "14", "minute": "30"}, "2", "14:30", None),
        ({"hour": 9}, "2", "09:00", None),
        ({"minute": "0"}, "2", "00:00", None),  # a minute alone is still a time of day
        ({"hour": "9", "minute": "5", "second": "7"}, "2", "09:05",
         f"The time of day in start_date (09:05:07) was kept as 09:05: {_HELD}."),
        ({"hour": "23", "minute": "59", "second": "59", "millisecond": "250"}, "2", "23:59",
         f"The time of day in start_date (23:59:59.250) was kept as 23:59: {_HELD}."),
        ({"hour": "24"}, "2", None,
         "The time of day in start_date (24:00) was dropped: not a time of day."),
        ({"hour": "14", "minute": "30"}, "", None,
         "The time of day in start_date (14:30) was dropped: the date is not a whole day."),
    ],
)  # fmt: skip
def test_times_of_day_are_kept_or_dropped_with_a_note(times, day, time, note):
    start = {"year": "2020", "month": "1", "day": day, **times}
    imported = bring("timelinejs", "x.json", tjs({"start_date": start, "text": {"headline": "H"}}))
    [event] = events_of(imported)
    assert event["date"] == ("2020-01-02" if day else "2020-01")
    assert event.get("time") == time
    assert event.get("note") == note


@pytest.mark.parametrize(
    ("event", "reason"),
    [
        (
            {"start_date": {"year": 2020}},
            "no headline and no text (expected text.headline or text.text)",
        ),
        (
            {"start_date": {"year": 2020}, "text": "just a string"},
            "text: expected an object, got 'just a string'",
        ),
        (
            {"start_date": {"year": 2020}, "text": {"headline": ["a"]}},
            "text.headline: expected text, got a list",
        ),
        ("not an event", "events[1]: expected an object, got 'not an event'"),
        (
            {"start_date": {"year": 2020}, "media": [], "text": {"headline": "H"}},
            "media: expected an object, got a list",
        ),
    ],
)
def test_timelinejs_items_of_the_wrong_shape_are_skipped(event, reason):
    imported = bring(
        "timelinejs", "x.json", tjs({"start_date": {"year": 1}, "text": {"headline": "ok"}}, event)
    )
    assert len(events_of(imported)) == 1
    assert skipped(imported) == [("events[1]", reason)]


def test_timelinejs_v2_fixture():
    imported = bring("timelinejs", "timelinejs2.json")
    assert imported.file.title == "An older timeline"
    assert imported.file.description == "Written in the v2 format."
    events = by_id(imported)
    assert [(e["date"], e.get("end")) for e in events.values()] == [
        ("2012-01-26", "2012-01-27"),
        ("2012-03", None),
        ("2013", None),
        ("2012-05-04", None),
        ("2012-06-01", None),  # an ISO date where v2 wants commas
    ]
    talks = events["2012-01-26-talks-begin"]
    assert talks["tags"] == ["Talks"]
    assert talks["summary"] == "Two days of talks."
    assert talks["media"] == {
        "url": "https://example.org/talks.gif",
        "caption": "The talks",
        "credit": "Example Agency",
    }
    assert events["2012-05-04-with-a-time"]["time"] == "14:30"
    assert "note" not in events["2012-05-04-with-a-time"]
    assert [(p.title, p.from_, p.to, p.note) for p in imported.file.periods] == [
        ("The year of talks", "2012-01-01", "2012-12-31", "All of 2012.")
    ]
    assert skipped(imported) == [
        ("timeline.date[5]", "startDate: missing (expected a date such as '2012,1,26')"),
        ("timeline.date[6]", "startDate: 'abc' is not a whole number"),
    ]
    assert dict(imported.report.unplaced) == {
        ("timeline.type", "file"): 1,
        ("timeline.startDate", "file"): 1,
        ("timeline.date[].classname", "date"): 1,
        ("timeline.date[].asset.thumbnail", "date"): 1,
        ("timeline.era[].tag", "era"): 1,
    }


# --- HTML to text ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>One</p><p>Two</p>", "One\nTwo"),  # paragraphs as line breaks
        ("<ul><li>a</li><li>b <b>bold</b></li></ul>", "- a\n- b bold"),
        ("<ol><li>first</li></ol>after", "- first\nafter"),
        (
            'See <a href="https://example.org/x?a=1&amp;b=2">the report</a>.',
            "See the report (https://example.org/x?a=1&b=2).",
        ),
        (
            '<a href="https://example.org">https://example.org</a>',
            "https://example.org",
        ),  # no repeat
        ('<a href="https://example.org"></a>', "https://example.org"),  # an empty label
        ('<a href="javascript:alert(1)">click</a>', "click"),  # only web addresses are kept
        ('<a href="/relative">here</a>', "here"),
        ('<a href="//example.org/p">p</a>', "p (https://example.org/p)"),
        ("line<br>break<br/>again", "line\nbreak\nagain"),
        ("<p>a</p>\n\n<p></p><br><br><p>b</p>", "a\nb"),  # no empty lines
        ("spaces   and\nnewlines\tcollapse", "spaces and newlines collapse"),
        ("&lt;b&gt; &amp; &eacute;&#233; &nbsp;x", "<b> & éé x"),
        ("<script>alert(1)</script><style>p{}</style>shown", "shown"),
        ('<img src="x" onerror="alert(1)">after', "after"),
        ('<img src="x.png" alt="a map">', "a map"),
        ("a < b and c > d", "a < b and c > d"),
        ("<p>unclosed <a href='https://e.org'>e", "unclosed e (https://e.org)"),
        ("<div><h2>Title</h2>text</div>", "Title\ntext"),
        ("plain text", "plain text"),
        ("", ""),
    ],
)
def test_html_becomes_plain_text(html, text):
    assert html_to_text(html) == text


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://example.org/a.jpg", "https://example.org/a.jpg"),
        ("HTTP://EXAMPLE.ORG", "HTTP://EXAMPLE.ORG"),
        ("//example.org/a", "https://example.org/a"),
        (" https://example.org ", "https://example.org"),
        ("javascript:alert(1)", None),
        ("data:image/png;base64,AAAA", None),
        ("www.example.org", None),
        ("https://exa mple.org", None),
        ("https://", None),
        ("http://[::1", None),  # urlsplit raises on this
    ],
)
def test_only_web_addresses_are_kept(url, kept):
    assert web_url(url) == kept


# --- Ids --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Erdoğan Inauguration", "erdogan-inauguration"),
        ("2022-07-19-Tehran summit!", "2022-07-19-tehran-summit"),
        ("Straße & Œuvre", "strasse-oeuvre"),
        ("Łódź talks", "lodz-talks"),
        ("Путин", ""),  # no Latin letters: the caller's fallback is used
        ("--a--b--", "a-b"),
        ("word " * 30, "-".join(["word"] * 16)),  # cut at a hyphen, at most 80
        ("x" * 100, "x" * 80),
    ],
)
def test_slugs(text, slug):
    assert slugify(text) == slug
    assert len(slugify(text)) <= 80


def test_ids_are_unique_and_fit_the_schema():
    ids = IdMaker()
    long = "a" * 80
    made = [
        ids.make("sochi-talks", "event"),
        ids.make("sochi-talks", "event"),
        ids.make("Sochi Talks", "event"),
        ids.make("Путин", "2022-07-19-event"),
        ids.make("Путин", "2022-07-19-event"),
        ids.make(long, "event"),
        ids.make(long, "event"),
    ]
    assert made == [
        "sochi-talks",
        "sochi-talks-2",
        "sochi-talks-3",
        "2022-07-19-event",
        "2022-07-19-event-2",
        long,
        "a" * 78 + "-2",  # still 80 characters
    ]
    assert ids.was_renamed("sochi-talks-2") and not ids.was_renamed("sochi-talks")


def test_events_without_latin_letters_get_date_ids():
    raw = tjs(
        *[{"start_date": {"year": 2022, "month": 7}, "text": {"headline": "Путин в Тегеране"}}] * 2
    )
    assert [e["id"] for e in events_of(bring("timelinejs", "x.json", raw))] == [
        "2022-07-event",
        "2022-07-event-2",
    ]


# --- The TimelineJS sheet -------------------------------------------------------------------


def test_sheet_fixture():
    imported = bring("timelinejs-sheet", "sheet.csv")
    assert imported.file.title == "Ties between Iran & Russia"  # the title row
    assert imported.file.description == "A sheet written for the tests."
    assert [(p.title, p.from_, p.to, p.note) for p in imported.file.periods] == [
        ("The war years", "2022", "2022-12", "From the invasion on.")  # the era row
    ]
    events = by_id(imported)
    assert events["2022-01-19-raisi-visits-moscow"] == {
        "id": "2022-01-19-raisi-visits-moscow",
        "title": "Raisi visits Moscow",
        "date": "2022-01-19",
        "kind": "event",
        "tags": ["Visits"],
        "summary": "He meets the president (https://example.org/kremlin).",
        "media": {
            "url": "https://example.org/raisi.jpeg",
            "caption": "Raisi in Moscow",
            "credit": "Press office",
            "alt": "Raisi at the Kremlin",
        },
        "sources": ["sheet-csv"],
    }
    drones = events["2022-07-drone-talks"]
    assert (drones["date"], drones["note"]) == ("2022-07", "TimelineJS showed the date as 'July'.")
    summit = events["2022-07-19-tehran-summit"]
    assert (summit["date"], summit["end"]) == ("2022-07-19", "2022-07-20")
    assert summit["summary"] == "- Putin\n- Erdoğan\n- Raisi"
    assert summit["media"] == {"url": "https://example.org/tehran-bg.jpg"}  # a background image
    assert (summit["time"], summit.get("note")) == ("10:30", None)  # Time "10:30 AM"
    assert skipped(imported) == [
        ("8", "Year/Month/Day: year -500 is outside 1 to 9999, the years an events file can hold"),
        ("9", "Year/Month/Day: month 13 is not a month (expected 1 to 12)"),
        ("10", "no Headline and no Text"),
    ]  # line 7 holds only blanks and is no row at all
    assert dict(imported.report.unplaced) == {
        ("Media on the title row", "row"): 1,
        ("Media Thumbnail", "row"): 1,
        ("Background", "row"): 1,  # a colour
    }


def test_older_sheet_without_alt_text_and_with_tag():
    imported = bring("timelinejs-sheet", "sheet-old.csv")
    assert imported.file.title == "Old sheet"
    assert [(e["date"], e["tags"], e["summary"]) for e in events_of(imported)] == [
        ("2019-04-08", ["Ministers"], "Two ministers meet."),
        ("2019-05", ["Treaties"], "Signing in Baku"),
    ]
    assert changed(imported) == [
        (
            "3",
            "imported without its Media: 'www.example.org/not-a-url' is not a web address (expected http:// or https://)",
        )
    ]
    assert dict(imported.report.unplaced) == {("Notes", "row"): 1}


@pytest.mark.parametrize(
    ("csv_text", "dates"),
    [
        ("Year,Headline\n2020,a\n", ["2020"]),
        ("year,headline,MONTH,day\n2020,a,03,\n", ["2020-03"]),  # any case, any order
        ("Year,Month,Day,Headline\n2020,1,5,a\n0999,,,b\n", ["2020-01-05", "0999"]),
        ("\ufeffYear,Headline\n2020,a\n", ["2020"]),  # a byte-order mark
        ('Year,Headline\r\n2020,"two\r\nlines"\r\n2021,b\r\n', ["2020", "2021"]),
    ],
)
def test_sheet_columns_are_found_by_their_headers(csv_text, dates):
    imported = bring("timelinejs-sheet", "s.csv", csv_text.encode())
    assert [e["date"] for e in events_of(imported)] == dates


def test_sheet_lines_count_cells_over_several_lines():
    raw = b'Year,Headline,Text\n2020,a,"one\ntwo\nthree"\n2021,,\n'
    assert skipped(bring("timelinejs-sheet", "s.csv", raw)) == [("5", "no Headline and no Text")]


# --- Any table --------------------------------------------------------------------------------


def test_table_fixture_with_guessed_columns():
    imported = bring("csv", "table.csv")
    assert imported.report.notes == [
        "read as CSV; columns used: title=Headline, date=Date, end=End date, kind=Type, "
        "place=Location, leaders=Participants, summary=Description, countries=Countries, "
        "tags=Tags, source=Source, url=URL (recognised from the headers; change any "
        "with --map FIELD=COLUMN)",
        "1 date with a two-digit year, read as 1969 to 2068",
    ]
    events = by_id(imported)
    assert events["2022-07-19-tehran-summit"] == {
        "id": "2022-07-19-tehran-summit",
        "title": "Tehran summit",
        "date": "2022-07-19",
        "kind": "summit",
        "place": "Tehran, Iran",
        "leaders": ["vladimir-putin", "recep-tayyip-erdogan", "ebrahim-raisi"],
        "countries": ["Russia", "Turkey", "Iran"],
        "tags": ["energy", "security"],  # commas when there is no semicolon
        "summary": "Three presidents meet.",
        "sources": ["example-news"],
    }
    assert imported.file.people["recep-tayyip-erdogan"].name == "Recep Tayyip Erdoğan"
    news = imported.file.sources["example-news"]
    assert (news.title, news.publisher, news.url) == (
        "https://example.org/news/1",
        "Example News",
        "https://example.org/news/1",
    )
    assert imported.file.sources["another-paper"].url is None  # a name without an address
    assert [(e["date"], e.get("end"), e["kind"]) for e in events.values()] == [
        ("2022-07-19", None, "summit"),
        ("2020-05-09", None, "parade"),  # 9-May-20
        ("2022-07", None, "event"),  # July 2022
        ("2022", None, "talks-more"),
        ("2022-07-19", "2022-07-21", "meeting"),
        ("2022-07-19", None, "event"),
        ("2020-05-09", None, "event"),  # 05/09/2020, month first without --dayfirst
        ("2022-08-01", None, "event"),
    ]
    assert events["2022-07-19-with-a-time"]["note"] == (
        "The time of day in Date (14:30) was dropped: the events file holds dates only."
    )
    assert events["2022-07-19-three-days"]["sources"] == ["table-csv"]  # the file itself
    # Skipped rows and changed ones, in the order of the file.
    assert [(m.where, m.skipped) for m in imported.report.located] == [
        ("5", False),
        ("6", False),
        ("9", True),
        ("10", True),
        ("11", True),
        ("12", False),
        ("13", True),
    ]
    assert changed(imported)[0] == ("5", "kind 'Talks & more' is written 'talks-more'")
    assert skipped(imported)[-1] == (
        "13",
        "date (Date): '500 BC' is before year 1, which an events file cannot hold",
    )
    assert dict(imported.report.unplaced) == {("Latitude", "row"): 2}  # of the rows imported


def test_table_with_a_mapping_and_days_first():
    mapping = (("date", "wann"), ("title", "Was"), ("leaders", "Wer"), ("source", "Quelle"))
    imported = bring("csv", "table-dayfirst.tsv", dayfirst=True, mapping=mapping)
    assert imported.report.notes == [
        "read as TSV; columns used: title=Was, date=Wann, leaders=Wer, source=Quelle (as given with --map)"
    ]
    assert [(e["date"], e["leaders"]) for e in events_of(imported)] == [
        ("2020-09-05", ["olaf-scholz"]),
        ("2022-07-19", ["emmanuel-macron", "olaf-scholz"]),
    ]
    assert skipped(imported) == [
        ("4", "date (Wann): '31/02/2022': day 31 is not a day of February 2022 (expected 1 to 28)")
    ]


@pytest.mark.parametrize(
    ("text", "dayfirst", "iso", "time"),
    [
        ("2022-07-19", False, "2022-07-19", None),
        ("2022-07", False, "2022-07", None),
        ("2022", False, "2022", None),
        ("800", False, "0800", None),
        ("2022/7/9", False, "2022-07-09", None),
        ("2022.07.19", False, "2022-07-19", None),
        ("07/2022", False, "2022-07", None),
        ("9-May-20", False, "2020-05-09", None),
        ("9-may-1920", False, "1920-05-09", None),
        ("31-Dec-69", False, "1969-12-31", None),  # %y: 69 is 1969, 68 is 2068
        ("1-Jan-68", False, "2068-01-01", None),
        ("19 July 2022", False, "2022-07-19", None),
        ("19th of July, 2022", False, "2022-07-19", None),
        ("July 19, 2022", False, "2022-07-19", None),
        ("Sept. 3 2021", False, "2021-09-03", None),
        ("July 2022", False, "2022-07", None),
        ("jul. 2022", False, "2022-07", None),
        ("05/09/2020", False, "2020-05-09", None),
        ("05/09/2020", True, "2020-09-05", None),
        ("5/9/20", False, "2020-05-09", None),
        ("19.07.2022", True, "2022-07-19", None),
        ("2022-07-19T14:30:00Z", False, "2022-07-19", "14:30:00Z"),
        ("2022-07-19 14:30", False, "2022-07-19", "14:30"),
        ("July 19, 2022, 2:30 pm", False, "2022-07-19", "2:30 pm"),
        ("  2022-07-19  ", False, "2022-07-19", None),
    ],
)
def test_date_spellings_keep_their_precision(text, dayfirst, iso, time):
    read = read_date(text, dayfirst)
    assert (read.iso, read.time) == (iso, time)


@pytest.mark.parametrize(
    ("text", "dayfirst", "message"),
    [
        (
            "2022-02-30",
            False,
            r"'2022-02-30': day 30 is not a day of February 2022 \(expected 1 to 28\)",
        ),
        (
            "19/07/2022",
            False,
            r"month 19 is not a month, read as month/day/year \(without --dayfirst\)",
        ),
        ("07/19/2022", True, r"month 19 is not a month, read as day/month/year"),
        ("sometime", False, r"'sometime' is not a date \(e\.g\. 2022-07-19"),
        ("Julember 2022", False, r"'julember' is not a month name"),
        ("0", False, r"year 0 is outside 1 to 9999"),
        ("-44", False, r"year -44 is outside 1 to 9999"),
        ("44 BC", False, r"'44 BC' is before year 1"),
        ("10000", False, r"'10000' is not a date"),
        ("", False, r"empty \(expected a date"),
        ("19 July", False, r"is not a date"),  # no year: no guess
    ],
)
def test_date_spellings_that_are_no_date(text, dayfirst, message):
    with pytest.raises(DateProblem, match=message):
        read_date(text, dayfirst)


@pytest.mark.parametrize(
    ("csv_text", "message"),
    [
        (
            "Wann,Was\n2020,a\n",
            r"no column for date or title among the headers 'Wann', 'Was' \(expected a header such as Date, or say which with --map date=COLUMN\)",
        ),
        ("Date,Place\n2020,x\n", r"no column for title among"),
        (
            "Year,Headline\n2020,a\n",
            r"no column for date .* it looks like a TimelineJS sheet: try the timelinejs-sheet format",
        ),
    ],
)
def test_table_without_the_columns_it_needs(csv_text, message):
    from timeline.importers.common import ImportFailure

    with pytest.raises(ImportFailure, match=message):
        bring("csv", "t.csv", csv_text.encode())


@pytest.mark.parametrize(
    ("raw", "kind", "dates"),
    [
        (b"Date;Title\n2020-01-02;a\n", "CSV (semicolons)", ["2020-01-02"]),
        (b"Date\tTitle\n2020-01-02\ta\n", "TSV", ["2020-01-02"]),
        (
            "Date,Title\n2020-01-02,Erdoğan\n".encode("utf-16"),
            "CSV",
            ["2020-01-02"],
        ),  # Excel's Unicode text
        (b"Date,Title\n2020,a,extra\n", "CSV", ["2020"]),
    ],
)
def test_tables_of_every_separator(raw, kind, dates):
    imported = bring("csv", "t.csv", raw)
    assert imported.report.notes[0].startswith(f"read as {kind};")
    assert [e["date"] for e in events_of(imported)] == dates


def test_a_cell_beyond_the_header_is_reported():
    imported = bring("csv", "t.csv", b"Date,Title\n2020,a,extra\n")
    assert dict(imported.report.unplaced) == {("(cells beyond the last header)", "row"): 1}


def test_xlsx_dates_keep_the_precision_their_format_shows(run, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Title", "Date", "Leaders", "Count"])
    rows = [
        ("Day", dt.datetime(2022, 7, 19), "yyyy-mm-dd"),
        ("Month", dt.datetime(2022, 7, 1), "mmm yyyy"),
        ("Year", dt.datetime(2022, 1, 1), "yyyy"),
        ("Time", dt.datetime(2022, 7, 19, 14, 30), "yyyy-mm-dd h:mm"),
        ("US", dt.datetime(2022, 7, 19), "m/d/yy"),
    ]
    for i, (title, value, fmt) in enumerate(rows, start=2):
        sheet.append([title, value, "Vladimir Putin", 3.0])
        sheet.cell(row=i, column=2).number_format = fmt
    sheet.append(["Text date", "9-May-20", None, None])
    sheet.append(["Number year", 1648, None, None])
    path = tmp_path / "events.xlsx"
    book.save(path)
    out = tmp_path / "out.yaml"
    result = run("import", "csv", str(path), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "read as xlsx; columns used: title=Title, date=Date, leaders=Leaders" in result.stderr
    assert f"{path}: left out, no place in an events file: Count (in 5 rows)" in result.stderr
    data = load_file(out)
    assert list(
        data.events.sort_values("title")[["title", "precision"]].itertuples(index=False, name=None)
    ) == [
        ("Day", "day"),
        ("Month", "month"),
        ("Number year", "year"),
        ("Text date", "day"),
        ("Time", "day"),
        ("US", "day"),
        ("Year", "year"),
    ]
    note = data.events.set_index("title").loc["Time", "note"]
    assert note == "The time of day in Date (14:30) was dropped: the events file holds dates only."


def test_sheet_saved_as_xlsx(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Year", "Month", "Day", "Headline", "Text", "Tag"])
    book.active.append([2022, 7, None, "Drones", "<p>Reports.</p>", "security"])  # numbers
    book.active.append([None, None, None, "The title", None, None])
    book.active.cell(row=3, column=7).value = "title"  # a Type column only this row fills
    book.active.cell(row=1, column=7).value = "Type"
    path = tmp_path / "sheet.xlsx"
    book.save(path)
    imported = bring("timelinejs-sheet", "sheet.xlsx", path.read_bytes())
    assert imported.file.title == "The title"
    assert [(e["date"], e["summary"], e["tags"]) for e in events_of(imported)] == [
        ("2022-07", "Reports.", ["security"])
    ]


def test_xlsx_that_unzips_past_the_limit_is_refused(run, tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 5_000_000)
    result = run("import", "csv", str(path), env={"TIMELINE_MAX_BYTES": "1000000"})
    assert result.returncode == 1
    assert result.stderr == (
        f"{path}:1: the workbook unzips to 5,000,000 bytes, over the limit of 4,000,000 "
        "(4 times TIMELINE_MAX_BYTES)\n"
    )


def test_damaged_xlsx_is_a_located_message(run, tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    result = run("import", "csv", str(path))
    assert result.returncode == 1
    assert result.stderr.startswith(f"{path}:1: a damaged ZIP or .xlsx file (")
    assert "Traceback" not in result.stderr


# --- ICEWS --------------------------------------------------------------------------------------


def test_icews_fixture():
    imported = bring("icews", "icews.tab")
    events = by_id(imported)
    assert list(events) == [
        "icews-1001",  # 1002 is its mirror
        "icews-1003",  # 1004 is its mirror, sides swapped
        "icews-1005",
        "icews-1006",
        "icews-1008",
        "icews-1009",
        "icews-1011",
    ]
    assert events["icews-1001"] == {
        "id": "icews-1001",
        "title": "Host a visit: Recep Tayyip Erdoğan → Vladimir Putin",
        "date": "2018-04-03",
        "kind": "visit",
        "place": "Ankara, Turkey",  # City, Province, Country without repeats or NA
        "leaders": ["recep-tayyip-erdogan", "vladimir-putin"],
        "summary": "Recep Tayyip Erdoğan (Turkey): Host a visit (CAMEO 043), with Vladimir Putin (Russia) as the target.",
        "sources": ["icews-story-500"],
        "note": "ICEWS event 1001, story 500, sentence 1. Also coded from the other side: Make a visit (042).",
    }
    assert imported.file.people["recep-tayyip-erdogan"].name == "Recep Tayyip Erdoğan"
    assert imported.file.people["recep-tayyip-erdogan"].country == "Turkey"
    # States go to countries, not to people.
    assert (events["icews-1003"]["countries"], events["icews-1003"].get("leaders")) == (
        ["Russia", "Iran"],
        None,
    )
    # Sectors and agencies give their state; nobody takes part as a person.
    assert (events["icews-1005"]["countries"], events["icews-1005"].get("leaders")) == (
        ["Japan", "India"],
        None,
    )
    assert events["icews-1005"]["kind"] == "agreement"  # 057
    assert "place" not in events["icews-1005"]  # every part NA
    assert (events["icews-1006"]["leaders"], events["icews-1006"]["countries"]) == (
        ["ebrahim-raisi"],
        ["Iran"],
    )
    assert events["icews-1008"]["countries"] == ["United Nations"]  # no country: an organisation
    assert events["icews-1008"]["kind"] == "criticism"
    assert events["icews-1009"]["kind"] == "visit"  # "42" is 042 without its zero
    assert events["icews-1009"]["sources"] == ["icews-2018-04-08"]  # no story: publisher and day
    assert set(imported.file.people) == {
        "recep-tayyip-erdogan",
        "vladimir-putin",
        "ebrahim-raisi",
        "angela-merkel",
    }
    story = imported.file.sources["icews-story-502"]
    assert (story.title, story.publisher, story.date, story.url) == (
        "ICEWS story 502",
        "ICEWS (publisher not given)",
        "2018-04-05",
        None,
    )
    assert skipped(imported) == [
        ("icews.tab:8", "no Event Date"),
        ("icews.tab:11", "CAMEO Code: 'xx' is not a CAMEO code (expected digits, e.g. 042)"),
    ]
    assert imported.report.notes == [
        "2 rows were the same event coded from the other side (same story and sentence): "
        "each was imported once"
    ]
    assert dict(imported.report.unplaced) == {
        ("Source Sectors", "row"): 7,
        ("Intensity", "row"): 9,
        ("Target Sectors", "row"): 6,
        ("Latitude", "row"): 8,
        ("Longitude", "row"): 8,
    }


@pytest.mark.parametrize(
    ("options", "ids", "filtered"),
    [
        ({"countries": ("Turkey", "Russia")}, ["icews-1001", "icews-1009"], 6),
        ({"countries": ("turkey", "RUSSIA")}, ["icews-1001", "icews-1009"], 6),  # any case
        # Either side: Russia with Iran and Germany too, Turkey with the United Nations.
        (
            {"countries": ("Turkey", "Russia"), "any_side": True},
            ["icews-1001", "icews-1003", "icews-1008", "icews-1009", "icews-1011"],
            2,
        ),
        ({"countries": ("Japan", "India")}, ["icews-1005"], 8),
        (
            {"countries": ("TUR",), "any_side": True},
            ["icews-1001", "icews-1008", "icews-1009"],
            5,
        ),  # a code
        ({"cameo": ("04",)}, ["icews-1001", "icews-1003", "icews-1009", "icews-1011"], 3),
        ({"cameo": ("042", "043")}, ["icews-1001", "icews-1009"], 6),  # 1002 passes, as a mirror
        ({"cameo": ("11",)}, ["icews-1008"], 8),
        ({"cameo": ("1",)}, ["icews-1006"], 8),  # one digit is a root without its zero: 01
        (
            {"date_from": dt.date(2018, 4, 5), "date_to": dt.date(2018, 4, 7)},
            ["icews-1005", "icews-1006", "icews-1008"],
            6,
        ),
        ({"date_to": dt.date(2018, 4, 3)}, ["icews-1001"], 7),
        (
            {
                "countries": ("Russia", "Iran", "Turkey"),
                "cameo": ("04",),
                "date_from": dt.date(2018, 4, 4),
            },
            ["icews-1003", "icews-1009"],
            6,
        ),
    ],
)
def test_icews_filters(options, ids, filtered):
    imported = bring("icews", "icews.tab", **options)
    assert [e["id"] for e in events_of(imported)] == ids
    assert imported.report.filtered == filtered


def test_icews_rows_are_told_apart_by_their_story_and_sentence():
    header = (DATA / "icews.tab").read_text(encoding="utf-8").splitlines()[0]
    row = "{id}\t2018-04-03\tA B\tNA\tTurkey\tConsult\t040\t1\tC D\tNA\tRussia\t{story}\t{sentence}\tW\tNA\tNA\tNA\tNA\tNA\tNA"
    rows = [
        row.format(id=1, story=9, sentence=1),
        row.format(id=2, story=9, sentence=2),  # another sentence: another event
        row.format(id=3, story=8, sentence=1),  # another story
        row.format(id=4, story=9, sentence=1),  # the very same: once
        row.format(id=5, story="NA", sentence="NA"),  # nothing to pair it with
        row.format(id=6, story="NA", sentence="NA"),
    ]
    raw = "\n".join([header, *rows, ""]).encode()
    # Folding off: else all six are one interaction (same sides, day and code) and one event.
    assert [e["id"] for e in events_of(bring("icews", "i.tab", raw, no_fold=True))] == [
        "icews-1",
        "icews-2",
        "icews-3",
        "icews-5",
        "icews-6",
    ]


# --- The command line: exit codes and messages --------------------------------------------------


@pytest.mark.parametrize("fmt", registry.names())
def test_an_empty_file_exits_1(run, tmp_path, fmt):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"  \n")
    result = run("import", fmt, str(empty))
    assert result.returncode == 1
    assert re.fullmatch(
        rf"{re.escape(str(empty))}:1: the file is empty \(expected .*\)\n", result.stderr
    )
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("fmt", "name", "message"),
    [
        (
            "timelinejs",
            "table.csv",
            r":1:1: not JSON: Expecting value \(expected a TimelineJS JSON file",
        ),
        ("timelinejs", "icews.tab", r":1:1: not JSON: Expecting value"),
        (
            "csv",
            "timelinejs3.json",
            r":1: this looks like JSON \(expected a table with a header row",
        ),
        (
            "timelinejs-sheet",
            "table.csv",
            r":1: no 'Year' column \(expected a TimelineJS sheet saved as CSV, .*found 'Date', 'End date'",
        ),
        (
            "icews",
            "table.csv",
            r":1: no 'Event Date', 'Source Name', 'Target Name', 'CAMEO Code', 'Event Text' column \(expected ICEWS event data",
        ),
        ("icews", "timelinejs2.json", r":1: this looks like JSON"),
    ],
)
def test_the_wrong_format_exits_1_with_a_located_message(run, fmt, name, message):
    result = run("import", fmt, str(DATA / name))
    assert result.returncode == 1
    assert re.match(re.escape(str(DATA / name)) + message, result.stderr), result.stderr
    assert result.stdout == "" and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("fmt", "raw", "message"),
    [
        ("timelinejs", b'{"events": [1, 2', r":1:17: not JSON: Expecting ',' delimiter"),
        ("timelinejs", b"[" * 100_000, r":1: JSON nested too deeply to read"),
        (
            "timelinejs",
            b'{"events": [{"x": ' + b"1" * 5000 + b"}]}",
            r":1: not readable as JSON: Exceeds the limit",
        ),
        (
            "timelinejs",
            b'{"title": {}}',
            r":1: found keys 'title' \(expected a TimelineJS JSON file",
        ),
        ("timelinejs", b'{"events": {}}', r":events: expected a list, got an object"),
        ("timelinejs", b'"just text"', r":1: found 'just text'"),
        (
            "timelinejs",
            b'{"events": []}',
            r": nothing to import: the input holds no events; no file written",
        ),
        (
            "csv",
            b"Date,Title\n2020,\xff\n",
            r":2:6: byte 0xff is not UTF-8 \(expected UTF-8 or UTF-16 text",
        ),
        ("csv", b"Date,Title\n2020,a\x00\n", r":2:7: a NUL character"),
        ("csv", b"Date,Title\n", r": nothing to import: the input holds no events"),
        (
            "csv",
            b"Date,Title\nnever,a\n",
            r":2: skipped: date \(Date\): 'never' is not a date.*\n.*: nothing to import: every row was skipped \(1\)",
        ),
    ],
)
def test_unreadable_or_empty_input_exits_1(run, tmp_path, fmt, raw, message):
    path = tmp_path / "input"
    path.write_bytes(raw)
    result = run("import", fmt, str(path))
    assert result.returncode == 1
    assert re.search("^" + re.escape(str(path)) + message, result.stderr, re.MULTILINE), (
        result.stderr
    )
    assert "Traceback" not in result.stderr and result.stdout == ""


CSV_IN, ICEWS_IN = str(DATA / "table.csv"), str(DATA / "icews.tab")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("import",), "the following arguments are required: FORMAT, INPUT"),
        (("import", "excel", "x.csv"), "argument FORMAT: invalid choice: 'excel'"),
        (("import", "csv", CSV_IN, "--map", "date"), "'date' is not FIELD=COLUMN"),
        (("import", "csv", CSV_IN, "--map", "when=Date"), "'when' is not a field (expected one of title, date, end"),
        # A column the file lacks is known only once it is read, and is still a usage error.
        (("import", "csv", CSV_IN, "--map", "date=Nope"), "--map date=Nope: no column 'Nope' (columns: 'Date', 'End date'"),
        (
            ("import", "csv", CSV_IN, "--country", "Iran"),
            "--country is for icews and gdelt and polecat only, not csv",
        ),
        (("import", "csv", CSV_IN, "--kind", "Big Meeting"), "'Big Meeting' is not a kind"),
        (("import", "icews", ICEWS_IN, "--dayfirst"), "--dayfirst is for csv only, not icews"),
        (("import", "icews", ICEWS_IN, "--kind", "visit"), "--kind is for timelinejs and timelinejs-sheet and csv only"),
        (("import", "icews", ICEWS_IN, "--any"), "--any needs --country"),
        (("import", "icews", ICEWS_IN, "--from", "2018-13"), "'2018-13': month 13 is not a month"),
        (("import", "icews", ICEWS_IN, "--to", "yesterday"), "'yesterday' is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)"),
        (("import", "icews", ICEWS_IN, "--from", "2019", "--to", "2018"), "--from 2019-01-01 is after --to 2018-12-31"),
        (("import", "icews", ICEWS_IN, "--cameo", "visits"), "'visits' is not a CAMEO code prefix (expected digits, e.g. 04)"),
    ],
)  # fmt: skip
def test_usage_errors_exit_2(run, args, message):
    result = run(*args)
    assert result.returncode == 2, result.stderr
    assert "usage: python -m timeline import" in result.stderr
    assert message in result.stderr
    assert result.stdout == ""


def test_missing_input_and_unwritable_output_exit_2(run, tmp_path):
    result = run("import", "csv", str(tmp_path / "missing.csv"))
    assert result.returncode == 2
    assert (
        result.stderr
        == f"{tmp_path / 'missing.csv'}: cannot read the file: No such file or directory\n"
    )
    result = run("import", "csv", str(DATA / "table.csv"), "-o", str(tmp_path / "no" / "out.yaml"))
    assert result.returncode == 2
    assert result.stderr.endswith(
        f"{tmp_path / 'no' / 'out.yaml'}: cannot write the file: No such file or directory\n"
    )
    assert not (tmp_path / "no").exists()


def test_summary_on_stderr_and_the_file_on_stdout():
    # A real process: the file goes down the pipe of standard output, the summary apart.
    result = run_process(
        "import", "icews", str(DATA / "icews.tab"), "--country", "Turkey", "--country", "Russia"
    )
    assert result.returncode == 0
    name = str(DATA / "icews.tab")
    assert result.stderr.splitlines() == [
        f"{name}: 1 row was the same event coded from the other side (same story and sentence): each was imported once",
        f"{name}: --country 'Turkey' matched 'Turkey'",
        f"{name}: --country 'Russia' matched 'Russia'",
        f"{name}:8: skipped: no Event Date",
        f"{name}:11: skipped: CAMEO Code: 'xx' is not a CAMEO code (expected digits, e.g. 042)",
        f"{name}: left out, no place in an events file: Source Sectors (in 3 rows)",
        f"{name}: left out, no place in an events file: Intensity (in 3 rows)",
        f"{name}: left out, no place in an events file: Target Sectors (in 3 rows)",
        f"{name}: left out, no place in an events file: Latitude (in 3 rows)",
        f"{name}: left out, no place in an events file: Longitude (in 3 rows)",
        f"{name}: 6 rows outside the filters asked for",
        f"{name}: wrote 2 events, 2 people and 2 sources to standard output",
    ]
    data = parse_events(result.stdout, "stdout.yaml")
    assert data.description == "ICEWS events kept: both sides among Turkey, Russia."


def test_long_lists_of_skipped_rows_are_cut_short(run, tmp_path):
    path = tmp_path / "many.csv"
    # Each row's date is another word: 150 messages, none alike.
    path.write_text("Date,Title\n2020,kept\n" + "".join(f"never{i},a\n" for i in range(150)))
    result = run("import", "csv", str(path))
    assert result.returncode == 0
    lines = result.stderr.splitlines()
    assert sum(": skipped: " in line for line in lines) == 100
    assert f"{path}: ... and 50 more rows not shown (50 skipped, 0 imported with changes)" in lines


@pytest.mark.parametrize(
    ("fmt", "name", "said"),
    [
        # Read whole (987 bytes in, 2,602 out): the file written is checked at the end.
        ("csv", "table.csv", "the events file would be "),
        # Streamed: the events kept are counted as they come, and the import stops early.
        ("icews", "icews.tab", "icews.tab:9: the events kept so far would make a file "),
    ],
)
def test_output_over_the_size_limit_is_not_written(run, tmp_path, fmt, name, said):
    out = tmp_path / "out.yaml"
    result = run(
        "import", fmt, str(DATA / name), "-o", str(out), env={"TIMELINE_MAX_BYTES": "2000"}
    )
    assert result.returncode == 1
    assert said in result.stderr and "over the limit of 2,000" in result.stderr
    assert not out.exists()


def test_input_over_the_size_limit_exits_1(run, tmp_path):
    result = run("import", "csv", str(DATA / "table.csv"), env={"TIMELINE_MAX_BYTES": "100"})
    assert result.returncode == 1
    assert "over the limit of 100" in result.stderr


# --- The YAML written -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "no",
        "on",
        "1.10",
        "2022-07-19",
        "null",
        "~",
        "- a list?",
        "key: value",
        "# not a comment",
        "'quoted'",
        '"double"',
        "*star &amp !bang",
        "@at `tick`",
        "a" * 200,
        "trailing: ",
        "two\nlines",
        "three\n\nwith a gap",
        "ümlaut and Erdoğan",
        "tab\tinside",
        "[flow]",
        "{map}",
        "a very long sentence " * 10,
    ],
)
def test_any_text_reads_back_as_written(text):
    value = plain(text)
    event = Event(
        id="e", title=value, date="2020", kind="event", summary=value, tags=[value, "b"],
        sources=["s"],
    )  # fmt: skip
    source = Source(title=value, publisher=value, date="2020")
    file = TimelineFile(
        title=value, description=value, people={}, sources={"s": source}, events=[event]
    )
    imported = Imported(file, Report())
    text_out = render(imported, "in.csv", "table", TODAY)
    loaded = yaml.safe_load(text_out)
    event = loaded["events"][0]
    assert (loaded["title"], event["summary"], event["tags"][0], event["date"]) == (
        value,
        value,
        value,
        "2020",
    )
    assert len(parse_events(text_out, "t.yaml").events) == 1


def test_control_characters_and_odd_line_breaks_are_cleaned():
    assert plain("a\x00b\x1b[31m\u2028c\r\nd \u0085e\ud800") == "ab[31m\nc\nd\ne"
    assert plain("  spaced   out  \n\n\n\nnext  ") == "spaced out\n\nnext"


def test_a_file_name_cannot_break_the_top_comment(run, tmp_path):
    path = tmp_path / "evil\nname: x.json"
    path.write_bytes(tjs({"start_date": {"year": 2020}, "text": {"headline": "H"}}))
    result = run("import", "timelinejs", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Imported from evil name: x.json (TimelineJS JSON)")
    assert yaml.safe_load(result.stdout)["title"] == "Imported from evil name: x.json"


@pytest.mark.parametrize(
    ("group", "tag"),
    [
        ("Trade & energy", "Trade & energy"),  # a group as people type it
        ("Trade &amp;amp; energy", "Trade & energy"),  # our export's double escape
        ("&amp;lt;img onerror=1&amp;gt;", "<img onerror=1>"),  # markup that was text
        ("&lt;b&gt;bold&lt;/b&gt;", "bold"),  # TimelineJS would show it bold: the text
    ],
)
def test_groups_import_as_timelinejs_shows_them(group, tag):
    from timeline.importers.timelinejs import _as_shown

    assert _as_shown(group) == tag
