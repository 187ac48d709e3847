"""Who met whom, the tempo, context periods and the schema for editors."""

import json

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT, VALID
from streamlit.testing.v1 import AppTest

from timeline import DataError, parse_events
from timeline.analysis import meetings, tempo
from timeline.cli import json_schema
from timeline.figures import (
    add_periods,
    add_timeline_periods,
    matrix_figure,
    tempo_figure,
    timeline_figure,
)
from timeline.figures.tempo import period_label
from timeline.lanes import Membership


def pairs(data, mask=None, lanes="leader", order="file"):
    """Return the matrix of a dataset's events (those a mask keeps) on lanes of one kind."""
    frame = data.events
    mask = np.ones(len(frame), dtype=bool) if mask is None else np.asarray(mask)
    return meetings(frame, Membership.build(frame, data.people, lanes), mask, data.people, order)


@pytest.mark.parametrize(
    ("a", "b", "count"),
    [
        ("putin", "raisi", 4),  # Moscow, Turkmenistan, the Tehran talks and the trilateral
        ("raisi", "putin", 4),  # the matrix is symmetric
        ("putin", "erdogan", 1),
        ("khamenei", "erdogan", 1),
        ("raisi", "khamenei", 0),
        ("putin", "putin", 5),  # the diagonal: every event of Putin's
        ("peskov", "peskov", 1),
    ],
)
def test_meeting_counts(shipped, a, b, count):
    m = pairs(shipped)
    assert m.keys == ["putin", "raisi", "khamenei", "erdogan", "peskov"]
    assert m.counts[m.keys.index(a), m.keys.index(b)] == count


def test_meetings_follow_the_filters_and_name_the_events(shipped):
    m = pairs(shipped, shipped.events["start"] >= "2022-07-01")
    i, j = m.keys.index("putin"), m.keys.index("raisi")
    assert m.counts[i, j] == 2
    assert m.examples[(i, j)] == [
        "Putin and Raisi hold talks in Tehran",
        "Putin, Raisi and Erdogan hold a three-way summit on Syria",
    ]


def test_matrix_figure_is_clickable_and_escaped(shipped, edge):
    m = pairs(shipped)
    fig = matrix_figure(m)
    squares = next(t for t in fig.data if t.name == "pairs")
    cells = {tuple(k): v for k, v in zip(squares.customdata, squares.text, strict=True)}
    assert cells["putin", "raisi"] == "4" and cells["raisi", "putin"] == "4"
    assert ("raisi", "khamenei") not in cells  # never together: no square
    keys = [tuple(k) for k in squares.customdata]
    assert (
        "Putin and Raisi hold talks in Tehran" in squares.hovertext[keys.index(("putin", "raisi"))]
    )
    assert fig.layout.yaxis.ticktext[0] == "Vladimir V. Putin<br>(Russia)"
    # A heatmap cell for each pair that met, none for the others; dark text on the lightest.
    cells = next(t for t in fig.data if t.type == "heatmap")
    putin, raisi, khamenei = (m.keys.index(p) for p in ("putin", "raisi", "khamenei"))
    assert cells.z[putin][raisi] == 4 and np.isnan(cells.z[raisi][khamenei])
    top = list(squares.text).index(max(squares.text, key=int))
    assert squares.textfont.color[top] == "#262730"
    hostile = matrix_figure(pairs(edge))
    assert "Ana &lt;i&gt;Alpha&lt;/i&gt;<br>(Atlantis)" in hostile.layout.yaxis.ticktext
    assert "Ana &lt;i&gt;Alpha&lt;/i&gt;" in hostile.layout.xaxis.ticktext


@pytest.mark.parametrize(
    ("unit", "expected", "vague"),
    [
        # By month: the year-only talks of 2022 are in no month, but across their year.
        (
            "M",
            {
                ("2023-03-01", "summit"): 1,
                ("2023-05-01", "meeting"): 1,
                ("2023-05-01", "statement"): 1,
            },
            [("2022-01-01", "year", 1)],
        ),
        (
            "Q",
            {
                ("2023-01-01", "summit"): 1,
                ("2023-04-01", "meeting"): 1,
                ("2023-04-01", "statement"): 1,
            },
            [("2022-01-01", "year", 1)],
        ),
        # By year everything has its period, the year-only talks too.
        (
            "Y",
            {
                ("2022-01-01", "talks"): 1,
                ("2023-01-01", "summit"): 1,
                ("2023-01-01", "meeting"): 1,
                ("2023-01-01", "statement"): 1,
            },
            [],
        ),
    ],
)
def test_tempo_never_puts_an_event_on_a_made_up_day(edge, unit, expected, vague):
    pace = tempo(edge.events, unit)
    got = {(str(p.date()), k): n for p, k, n in pace.counts.itertuples(index=False)}
    assert got == expected
    assert [(str(s.date()), p, n) for s, _, p, n in pace.vague.itertuples(index=False)] == vague


def test_tempo_of_the_story_chooses_months_and_shows_july(shipped):
    pace = tempo(shipped.events)
    assert pace.unit == "M"
    july = pace.counts[pace.counts["period"] == "2022-07-01"]["events"].sum()
    assert july == 8  # the Tehran day, the statements and the month-only July events
    fig = tempo_figure(
        pace, ["meeting", "summit", "visit", "agreement", "statement"], shipped.periods
    )
    assert {t.name for t in fig.data if t.type == "bar"} == set(shipped.events["kind"])
    assert fig.layout.barmode == "stack"
    meetings = next(t for t in fig.data if t.name == "meeting")
    assert "<b>July 2022</b><br>meeting: 3" in meetings.hovertext
    # The axis runs from the first period's start to the last one's end, January included.
    assert [pd.Timestamp(x) for x in fig.layout.xaxis.range] == [
        pd.Timestamp("2022-01-01"),
        pd.Timestamp("2022-08-01"),
    ]
    assert fig.layout.xaxis.ticklabelmode == "period"


@pytest.mark.parametrize(
    ("start", "unit", "label"),
    [
        ("2022-07-01", "M", "July 2022"),
        ("2022-07-01", "Q", "Q3 2022"),
        ("2022-01-01", "Q", "Q1 2022"),
        ("2022-10-01", "Q", "Q4 2022"),
        ("2022-01-01", "Y", "2022"),
    ],
)
def test_period_labels(start, unit, label):
    assert period_label(pd.Timestamp(start), unit) == label


def test_every_hover_is_light_on_dark(shipped):
    pace = tempo(shipped.events)
    kinds = sorted(shipped.events["kind"].unique())
    figures = [
        timeline_figure(shipped.events, shipped.people),
        matrix_figure(pairs(shipped)),
        tempo_figure(pace, kinds),
    ]
    for fig in figures:
        assert (fig.layout.hoverlabel.bgcolor, fig.layout.hoverlabel.font.color) == (
            "#262730",
            "#FAFAFA",
        )


def test_the_war_is_drawn_behind_the_timeline_and_the_tempo(shipped):
    (war,) = shipped.periods
    assert (war.title, war.from_, war.to) == ("War in Ukraine", "2022-02-24", None)
    fig = add_timeline_periods(timeline_figure(shipped.events, shipped.people), shipped.periods)
    lines = [s for s in fig.layout.shapes if s.type == "line"]
    assert len(lines) == 1 and pd.Timestamp(lines[0].x0) == pd.Timestamp("2022-02-24")
    label = next(t for t in fig.data if t.name == "periods")
    assert (
        list(label.text) == ["War in Ukraine"] and "24 February 2022 onwards" in label.hovertext[0]
    )
    # The label has a strip of its own above the first lane (y=0) and its date labels.
    bottom, top = fig.layout.yaxis.range
    assert top < label.y[0] < -0.5 and bottom == len(fig.layout.yaxis.tickvals) - 0.5


def test_no_periods_no_strip(shipped):
    fig = timeline_figure(shipped.events, shipped.people)
    assert add_timeline_periods(fig, ()).layout.yaxis.range == (5.5, -0.5)


def test_a_closed_period_is_a_band():
    text = (
        VALID
        + 'periods:\n  - {title: "Talks <b>", from: "2022-03", to: "2022-05", note: "A note"}\n'
    )
    data = parse_events(text)
    fig = add_periods(timeline_figure(data.events, data.people), data.periods, y=0)
    (band,) = fig.layout.shapes
    assert band.type == "rect"
    assert (pd.Timestamp(band.x0), pd.Timestamp(band.x1)) == (
        pd.Timestamp("2022-03-01"),
        pd.Timestamp("2022-06-01"),
    )
    assert "Talks &lt;b&gt;" in fig.data[-1].text[0]


@pytest.mark.parametrize(
    ("period", "line", "message"),
    [
        (
            '{title: T, from: "2022-05", to: "2022-03"}',
            19,
            r"periods\[0\]\.to: '2022-03' is before its start '2022-05'",
        ),
        (
            '{title: T, from: "2022-02-30"}',
            19,
            r"periods\[0\]\.from: '2022-02-30' is not a valid date",
        ),
        (
            '{title: T, form: "2022"}',
            19,
            r"periods\[0\]\.form: unknown field 'form' \(did you mean 'from'\?",
        ),
    ],
)
def test_periods_are_checked_like_events(period, line, message):
    with pytest.raises(DataError, match=rf"t\.yaml:{line}:\d+: {message}"):
        parse_events(VALID + f"periods:\n  - {period}\n", name="t.yaml")


def test_schema_file_is_in_step_with_the_models():
    on_disk = (ROOT / "events.schema.json").read_text(encoding="utf-8")
    assert on_disk == json_schema(), "run: python -m timeline schema > events.schema.json"
    schema = json.loads(on_disk)
    assert set(schema["properties"]) == {
        "title",
        "description",
        "people",
        "sources",
        "events",
        "periods",
        "stories",
        "lang",
        "translations",
    }
    assert schema["$defs"]["Period"]["required"] == ["title", "from"]
    assert schema["$defs"]["Translation"]["required"] == ["lang", "title", "source"]
    assert schema["$defs"]["FileTranslation"]["required"] == ["lang", "title", "source"]
    assert "translations" in schema["$defs"]["Event"]["properties"]
    assert schema["$defs"]["Story"]["required"] == ["id", "title", "steps"]
    assert schema["$defs"]["Step"]["required"] == ["event"]
    event = schema["$defs"]["Event"]["properties"]
    assert event["time"]["anyOf"][0]["pattern"] == event["end_time"]["anyOf"][0]["pattern"]


def test_shipped_file_points_editors_at_the_schema():
    first = (ROOT / "events.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=events.schema.json"


@pytest.mark.parametrize(
    ("view", "element"),
    [("matrix", "matrix"), ("tempo", "tempo"), ("timeline", "chart")],
)
def test_the_open_tab_comes_from_the_url(view, element):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["view"] = view
    at.run()
    assert not at.exception
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    names = {t.get("name") for s in specs for t in s["data"]}
    assert {"matrix": "pairs", "tempo": "visit", "timeline": "connectors"}[view] in names
    expected = {} if view == "timeline" else {"view": view}  # the default stays out of the URL
    assert {k: v for k, v in at.query_params.items() if k == "view"} == expected
