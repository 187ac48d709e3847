"""One record: every field of the format is marked for where it shows, and reaches it."""

import csv
import io
import json

import pytest

from timeline import record
from timeline.exporters.tables import to_csv, to_json
from timeline.figures.hover import hover_text
from timeline.loader import parse_events
from timeline.schema import Event

# A file holding every field of an event, each with a value found nowhere else.
FULL = """\
title: Every field
description: A file for the record's tests.
people:
  zorvath: {name: Zorvath Quill, country: Vexland, role: Archon}
sources:
  src-one: {title: Plinth Gazette item, publisher: Plinth Gazette, date: "2021-03",
            url: "https://example.org/plinth", authors: [Ana Author]}
events:
  - id: everyfield-2021
    title: Titlewordq meets
    date: "2021-03-04"
    end: "2021-03-06"
    time: "13:47"
    end_time: "16:23"
    kind: summitq
    place: Placewordq
    leaders: [zorvath]
    summary: Summarywordq happened.
    quotes:
      - {by: zorvath, text: Quotewordq said, source: src-one}
    countries: [Countrywordq]
    tags: [tagwordq]
    sources: [src-one]
    note: Notewordq remark
    media: {url: "https://example.org/mediawordq.png", caption: Captionq, credit: Creditq,
            alt: Altq}
    translations:
      - {lang: fa, title: Translationwordq, summary: Tsummaryq, note: Tnoteq, source: src-one}
  - id: bare-2020
    title: Bare
    date: "2020"
    kind: visit
    summary: Nothing else.
    sources: [src-one]
periods:
  - {title: Era, from: "2019", to: "2022-01", note: An era}
"""

# The distinctive value of each field of the first event, as the file writes it.
VALUES = {
    "id": "everyfield-2021",
    "title": "Titlewordq",
    "date": "2021-03-04",
    "end": "2021-03-06",
    "time": "13:47",
    "end_time": "16:23",
    "kind": "summitq",
    "place": "Placewordq",
    "leaders": "zorvath",
    "summary": "Summarywordq",
    "quotes": "Quotewordq",
    "countries": "Countrywordq",
    "tags": "tagwordq",
    "sources": "src-one",
    "note": "Notewordq",
    "media": "mediawordq",
    "translations": "Translationwordq",
}
# How a place shows a value that it shows another way.
SHOWN_AS = {
    ("leaders", "hover"): "Zorvath Quill",  # people by their names
    ("leaders", "table"): "Zorvath Quill",
    ("date", "hover"): "4–6 March 2021",  # the dates as the date label words them
    ("end", "hover"): "4–6 March 2021",
    ("kind", "hover"): "Summitq",
}


@pytest.fixture(scope="module")
def full():
    return parse_events(FULL, "full.yaml")


@pytest.mark.parametrize("model", record.MODELS, ids=lambda m: m.__name__)
def test_every_field_is_carried_or_left_out_on_purpose(model):
    for name, mark in record.marks(model).items():
        assert mark is not None, f"{model.__name__}.{name} has no Shows mark in the schema"
        assert mark.places or mark.why, f"{model.__name__}.{name} shows nowhere and says not why"
        assert set(mark.places) <= set(record.PLACES)
    shown = {f for w in record.PLACES for f in record.fields_for(w, model)}
    assert shown | set(record.excluded(model)) == set(model.model_fields)


def test_an_unmarked_field_is_found(monkeypatch):
    from pydantic import create_model

    bare = create_model("Bare", extra=(str, ...))
    assert record.marks(bare) == {"extra": None}
    with pytest.raises(ValueError, match=r"'nowhere' is not a place \(expected one of column"):
        record.fields_for("nowhere")  # type: ignore[arg-type]


def _frame_text(full, name):
    row = full.events.set_index("id", drop=False).loc["everyfield-2021"]
    if name in ("date", "end"):
        return f"{row['start']} {row['end']}"
    return str(row[name])


@pytest.mark.parametrize(
    ("name", "where"),
    [(n, w) for w in ("column", "search", "hover", "table") for n in record.fields_for(w)],
)
def test_a_field_marked_for_a_place_reaches_it(full, name, where):
    row = full.events.set_index("id", drop=False).loc["everyfield-2021"]
    want = SHOWN_AS.get((name, where), VALUES[name])
    if where == "column":
        text = _frame_text(full, name)
        want = {"date": "2021-03-04", "end": "2021-03-06"}.get(name, want)
    elif where == "search":
        texts = record.search_text(full.events).to_pylist()
        text = texts[list(full.events["id"]).index("everyfield-2021")]
    elif where == "hover":
        text = hover_text(row, full.people)
    else:
        rows = {r["id"]: r for r in csv.DictReader(io.StringIO(to_csv(full.events, full.people)))}
        text = rows["everyfield-2021"][name]
    assert want in text


@pytest.mark.parametrize("name", ["summary", "note", "countries", "tags", "sources", "media"])
def test_a_field_not_marked_for_the_hover_stays_out(full, name):
    row = full.events.set_index("id", drop=False).loc["everyfield-2021"]
    assert name not in record.fields_for("hover")
    assert VALUES[name] not in hover_text(row, full.people)


def test_export_json_round_trips_every_field_of_the_events(full):
    file_events = {e["id"]: e for e in _file_events()}
    exported = json.loads(to_json(full.events))
    assert [e["id"] for e in exported] == ["bare-2020", "everyfield-2021"]  # in date order
    for event in exported:
        assert list(event) == list(Event.model_fields)  # every field, in the file's order
        original = Event.model_validate(file_events[event["id"]])
        again = Event.model_validate(event)
        for name in Event.model_fields:
            before, after = getattr(original, name), getattr(again, name)
            # An absent list and an empty one mean the same (schema: "none").
            assert (before or None) == (after or None), name
    full_event = next(e for e in exported if e["id"] == "everyfield-2021")
    assert full_event["media"]["credit"] == "Creditq" and full_event["countries"] == [
        "Countrywordq"
    ]


def _file_events():
    import yaml

    return yaml.safe_load(FULL)["events"]
