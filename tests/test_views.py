"""Pure functions behind the page: filters, the figure, details, table and downloads."""

import csv
import datetime as dt
import io
import itertools
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from timeline.exporters.tables import to_csv, to_json
from timeline.figures import timeline_figure as build_figure
from timeline.figures.hover import hover_text
from timeline.figures.style import KindStyle, kind_styles
from timeline.figures.timeline import text_positions
from timeline.filters import Index, apply_filters, catalog_for
from timeline.lanes import NO_LANE
from timeline.state import FilterState
from timeline.views import details_html, table_frame

NO_LEADER = NO_LANE["leader"]

D = pd.Timestamp


@pytest.mark.parametrize(
    ("state", "ids"),
    [
        (FilterState(leaders=("putin", "erdogan"), match="all"), ["tehran-trilateral-2022"]),
        (
            FilterState(leaders=("khamenei", "erdogan")),
            ["putin-khamenei-2022", "khamenei-erdogan-2022", "tehran-trilateral-2022"],
        ),
        (
            FilterState(leaders=("putin", "raisi"), match="all"),
            [
                "raisi-moscow-2022-01",
                "turkmenistan-summit-2022-06",
                "putin-raisi-tehran-2022",
                "tehran-trilateral-2022",
            ],
        ),
        (FilterState(kinds=("agreement",)), ["gazprom-deal-2022"]),
        (FilterState(q="DRONES"), ["us-drones-warning-2022-07"]),  # search ignores case
        (FilterState(q="necessity"), ["vaez-comment-2022-07"]),  # found in a quote
        (FilterState(q="terrorist everywhere"), ["khamenei-erdogan-2022"]),  # every word must match
        # A month-only event overlaps every day of its month.
        (
            FilterState(date_from=D("2022-07-20").date()),
            ["peskov-interview-2022-07", "us-drones-warning-2022-07", "vaez-comment-2022-07"],
        ),
        (FilterState(date_to=D("2022-01-15").date()), ["raisi-moscow-2022-01"]),
        (FilterState(leaders=("putin",), match="all", q="zzz"), []),
        # Search reads places, notes, people's names, roles and countries too.
        (
            FilterState(q="tehran"),
            [
                "putin-raisi-tehran-2022",
                "putin-khamenei-2022",
                "khamenei-erdogan-2022",
                "tehran-trilateral-2022",
                "us-drones-warning-2022-07",
            ],
        ),  # four held there, one names it
        (FilterState(q="ashgabat"), ["turkmenistan-summit-2022-06"]),  # only in the note
        (FilterState(q="Erdoğan"), ["khamenei-erdogan-2022", "tehran-trilateral-2022"]),  # accents
        (FilterState(q="ERDOGAN"), ["khamenei-erdogan-2022", "tehran-trilateral-2022"]),
        (FilterState(q="don't"), ["vaez-comment-2022-07"]),  # the quote has don’t
        (FilterState(q="don’t trust"), ["vaez-comment-2022-07"]),
        (FilterState(q="“necessity”"), []),  # quotation marks are part of the word searched
        (FilterState(q="crisis group"), ["vaez-comment-2022-07"]),  # a quoted person's country
        (FilterState(q="kremlin spokesman"), ["peskov-interview-2022-07"]),  # a role
        (FilterState(q="energy"), ["gazprom-deal-2022"]),  # a tag, and the summary
        (
            FilterState(q="united states"),
            ["us-drones-warning-2022-07", "putin-khamenei-2022", "vaez-comment-2022-07"],
        ),  # a state, two summaries
    ],
)
def test_filters(shipped, state, ids):
    found = list(apply_filters(shipped, state)["id"])
    assert sorted(found) == sorted(ids)


def test_catalog_names_leaders_only(shipped):
    catalog = catalog_for(shipped, Index.build(shipped.events, shipped.people))
    assert catalog.leaders == ("putin", "raisi", "khamenei", "erdogan", "peskov")  # no vaez
    assert catalog.kinds == ("meeting", "summit", "visit", "agreement", "statement")
    assert str(catalog.first) == "2022-01-01" and str(catalog.last) == "2022-07-31"


GROUPS = "events of one day"
NEAR_GROUPS = "events close together"  # the legend's name when a group spans days


def _markers(fig):
    """Return the traces of lone markers, one per kind."""
    return [t for t in fig.data if t.mode == "markers+text" and t.name not in (GROUPS, NEAR_GROUPS)]


def _placed(fig) -> dict[str, list[tuple]]:
    """Return where each event is drawn: (x, lane) of its marker, or of its group's."""
    out: dict[str, list[tuple]] = {}
    for t in fig.data:
        if t.mode != "markers+text":
            continue
        for x, y, data in zip(t.x, t.y, t.customdata, strict=True):
            for eid in data if isinstance(data, list) else [data]:
                out.setdefault(eid, []).append((pd.Timestamp(x), y))
    return out


def test_figure_has_one_lane_per_leader_and_a_marker_per_lane(shipped):
    fig = build_figure(shipped.events, shipped.people)
    assert list(fig.layout.yaxis.ticktext) == [
        "Vladimir V. Putin<br>(Russia)",  # two lines keep the label column narrow
        "Ebrahim Raisi<br>(Iran)",
        "Ali Khamenei<br>(Iran)",
        "Recep Tayyip Erdogan<br>(Turkey)",
        "Dmitri S. Peskov<br>(Russia)",
        NO_LEADER,
    ]
    placed = _placed(fig)
    # 17 marks: every event once on each of its lanes, alone or in a group.
    assert sum(map(len, placed.values())) == 17
    assert len(placed["tehran-trilateral-2022"]) == 3
    assert {t.name for t in _markers(fig)} == set(shipped.events["kind"])


def test_every_event_is_drawn_on_its_own_date(shipped):
    placed = _placed(build_figure(shipped.events, shipped.people))
    starts = dict(zip(shipped.events["id"], shipped.events["start"], strict=True))
    for eid, spots in placed.items():
        assert {x for x, _ in spots} == {starts[eid]}, eid


def test_events_of_one_day_share_one_marker_per_lane_in_the_data_order(shipped):
    fig = build_figure(shipped.events, shipped.people)
    # Two statements of "July 2022" share a marker too: not known to be of one day.
    groups = next(t for t in fig.data if t.name == NEAR_GROUPS)
    exact = shipped.events[shipped.events["precision"] == "day"].reset_index(drop=True)
    # Read at a month's scale: at its own (one day) the day's events stand apart.
    july = (dt.date(2022, 7, 1), dt.date(2022, 7, 31))
    assert GROUPS in {t.name for t in build_figure(exact, shipped.people, window=july).data}
    on_lane = {y: list(ids) for y, ids in zip(groups.y, groups.customdata, strict=True)}
    # Putin's lane on 19 July: the talks, Khamenei's endorsement, the trilateral, as filed.
    assert on_lane[0] == [
        "putin-raisi-tehran-2022",
        "putin-khamenei-2022",
        "tehran-trilateral-2022",
    ]
    # Khamenei's lane: his meeting with Erdogan came before the trilateral.
    assert on_lane[2] == ["putin-khamenei-2022", "khamenei-erdogan-2022"]
    assert list(groups.text) == [str(len(ids)) for ids in groups.customdata]  # the count
    hover = groups.hovertext[list(groups.y).index(0)]
    assert hover.startswith("<b>3 events · 19 July 2022</b>")
    assert (
        hover.index("Putin and Raisi") < hover.index("Khamenei endorses") < hover.index("three-way")
    )


def test_no_two_markers_share_a_spot(shipped):
    fig = build_figure(shipped.events, shipped.people)
    spots = [
        (x, y) for t in fig.data if t.mode == "markers+text" for x, y in zip(t.x, t.y, strict=True)
    ]
    assert len(spots) == len(set(spots))


def test_meetings_are_joined_by_vertical_connectors_at_their_date(shipped):
    fig = build_figure(shipped.events, shipped.people)
    connectors = next(t for t in fig.data if t.name == "connectors")
    xs = list(connectors.x)
    # One line per event on several lanes (tests/test_chart.py checks whose lanes).
    lines = [list(g) for none, g in itertools.groupby(xs, lambda x: x is None) if not none]
    assert len(lines) == sum(len(ls) > 1 for ls in shipped.events["leaders"])
    straight = [line for line in lines if len(line) == 2]
    assert straight and all(a == b for a, b in straight)  # vertical
    assert {pd.Timestamp(a) for a, _ in straight} <= set(shipped.events["start"])


@pytest.mark.parametrize(
    ("days", "grouped"),
    [
        (["2022-07-19", "2022-07-19"], True),  # one day
        (["2022-07-19", "2022-07-20"], True),  # a day apart on a year's axis: they would touch
        (["2022-01-01", "2022-12-31"], False),
    ],
)
def test_events_too_close_to_tell_apart_are_grouped_with_their_reach(days, grouped):
    from timeline.loader import parse_events

    events = "".join(
        f"  - {{id: e{i}, title: T{i}, date: '{d}', kind: meeting, leaders: [a], summary: S, sources: [s]}}\n"
        for i, d in enumerate(days)
    )
    wide = (
        "  - {id: w, title: W, date: '2022', kind: visit, leaders: [b], summary: S, sources: [s]}\n"
    )
    text = (
        "title: T\npeople:\n  a: {name: A}\n  b: {name: B}\nsources:\n"
        f"  s: {{title: S, publisher: P, date: '2022'}}\nevents:\n{events}{wide}"
    )
    data = parse_events(text)
    fig = build_figure(data.events, data.people)
    groups = [t.name for t in fig.data if t.name in (GROUPS, NEAR_GROUPS)]
    assert groups == ([GROUPS if days[0] == days[1] else NEAR_GROUPS] if grouped else [])
    reach = [t for t in fig.data if t.name == "group reaches"]
    # A group of two days is drawn at the first, with a bar to the second.
    assert bool(reach) == (grouped and days[0] != days[1])
    if reach:
        assert [pd.Timestamp(x) for x in reach[0].x[:2]] == [pd.Timestamp(d) for d in days]


NEAR_DAYS = (Path(__file__).resolve().parent / "data" / "near.yaml").read_text()


@pytest.mark.parametrize(
    ("width", "together"),
    [
        (None, []),  # not measured yet: a marker is taken as 1.5% of the axis
        (1240, []),  # a wide desktop: 8 days apart are 17 px apart, clear of each other
        (940, []),
        # A phone: the plot is about 200 px wide, 8 days are 4 px: the three would cover
        # each other, so they are one target (a run of 16 days from its first).
        (358, [["n2", "n3", "n4"]]),
        (0, []),  # a width of nothing is no measure at all
    ],
)
def test_markers_are_grouped_for_the_width_the_chart_has(width, together):
    from timeline.loader import parse_events

    data = parse_events(NEAR_DAYS)
    fig = build_figure(data.events, data.people, width=width)
    named = [t.name for t in fig.data if t.name in (GROUPS, NEAR_GROUPS)]
    groups = [
        list(ids) for t in fig.data if t.name in (GROUPS, NEAR_GROUPS) for ids in t.customdata
    ]
    assert groups == together
    # The legend does not call days apart "one day".
    assert named == ([NEAR_GROUPS] if together else [])
    assert fig.layout.meta["grouped_for_px"] == width  # said, so a browser can wait for it


@pytest.mark.parametrize(
    ("width", "labels", "share"),
    [
        (None, ["Ana"], 0.015),
        (1000, [], 15 / 980),  # margins of 10 px each side
        (1000, ["Ana Alpha"], 15 / (980 - 6.5 * 10)),  # its country line, "(Atlantis)", is wider
        (300, ["A very long name indeed, as a long lane label"], 15 / 120),  # a floor to the plot
    ],
)
def test_a_marker_covers_more_of_a_narrow_chart(width, labels, share):
    from timeline.figures.timeline import marker_share
    from timeline.lanes import Lane

    lanes = [Lane(key=x, label=x, name=x, detail="Atlantis" if x == "Ana Alpha" else "")
             for x in labels]  # fmt: skip
    assert marker_share(width, lanes) == pytest.approx(share)


def _labelled(name, days, lanes, texts, places="top center"):
    import plotly.graph_objects as go

    return go.Scatter(x=[pd.Timestamp(d) for d in days], y=lanes, text=texts, name=name,
                      mode="text" if name == "group dates" else "markers+text",
                      textposition=places)  # fmt: skip


TEN_PX_A_DAY = 10 / 86_400


@pytest.mark.parametrize(
    ("traces", "kept"),
    [
        # "July 2022" is 9 characters, about 62 px: 3 days (30 px) apart they would touch.
        (
            [("visit", ["2022-07-01", "2022-07-04"], [0, 0], ["July 2022", "July 2022"])],
            [["July 2022", ""]],
        ),
        (
            [("visit", ["2022-07-01", "2022-07-04"], [0, 1], ["July 2022", "July 2022"])],
            [["July 2022", "July 2022"]],
        ),  # other lanes
        (
            [("visit", ["2022-07-01", "2022-07-10"], [0, 0], ["July 2022", "July 2022"])],
            [["July 2022", "July 2022"]],
        ),  # 90 px apart: clear
        # A group's date wins over a lone one, though later: it stands for several events.
        (
            [
                ("visit", ["2022-07-01"], [0], ["July 2022"]),
                ("group dates", ["2022-07-04"], [-0.4], ["4 July 2022"]),
            ],
            [[""], ["4 July 2022"]],
        ),
        (
            [
                (
                    "visit",
                    ["2022-07-01", "2022-07-10"],
                    [0, 0],
                    ["July 2022", "July 2022"],
                    "top left",
                )
            ],
            [["July 2022", "July 2022"]],
        ),  # grown leftwards, both: still 90 px apart
        (
            [
                (
                    "visit",
                    ["2022-07-01", "2022-07-08"],
                    [0, 0],
                    ["July 2022", "July 2022"],
                    ["top right", "top left"],
                )
            ],
            [["July 2022", ""]],
        ),  # 70 px apart, but grown towards each other
    ],
)
def test_date_labels_that_would_print_over_each_other_are_left_out(traces, kept):
    from timeline.figures.timeline import clear_labels

    built = [_labelled(*t) for t in traces]
    clear_labels(built, TEN_PX_A_DAY)
    assert [list(t.text) for t in built] == kept


def _labels(fig) -> set[tuple[str, float, str]]:
    return {
        (str(x)[:10], round(float(y), 1), text)
        for t in fig.data
        if t.mode in ("text", "markers+text") and t.name not in (GROUPS, NEAR_GROUPS)
        for x, y, text in zip(t.x, t.y, [] if t.text is None else t.text, strict=False)
        if text
    }


def test_a_phone_leaves_out_the_dates_that_would_cover_a_day_of_many_events(shipped):
    wide = _labels(build_figure(shipped.events, shipped.people, width=940))
    narrow = _labels(build_figure(shipped.events, shipped.people, width=358))
    # The Caspian summit's "June 2022" sits 48 days before 19 July: 160 px on a desktop,
    # under 40 px on a phone, where neither date is kept (each would sit over the other
    # event's marker, and read as its date); both are in the hover.
    assert {
        ("2022-06-01", 0.0, "June 2022"),
        ("2022-06-01", 1.0, "June 2022"),
        ("2022-07-19", -0.4, "19 July 2022"),
        ("2022-07-19", 0.6, "19 July 2022"),
    } <= wide - narrow
    assert narrow < wide


@pytest.mark.parametrize(
    "window",
    [
        (dt.date(2022, 7, 19), dt.date(2022, 7, 8)),  # ends before it starts
        (dt.date(2022, 7, 29), None),  # starts after the only event
        (None, dt.date(2022, 7, 1)),  # ends before it
    ],
)
def test_a_window_that_ends_before_it_starts_falls_back_to_the_events(window):
    from conftest import VALID

    from timeline.loader import parse_events

    data = parse_events(VALID)  # one event, 19 July 2022
    fig = build_figure(data.events, data.people, window=window, width=900)
    low, high = (pd.Timestamp(x) for x in fig.layout.xaxis.range)
    assert low < pd.Timestamp("2022-07-19") < high


def test_spans_and_imprecise_dates(edge):
    fig = build_figure(edge.events, edge.people)
    spans = next(t for t in fig.data if t.name == "summit spans")
    assert list(spans.x[:2]) == [D("2023-03-01"), D("2023-03-03")]
    periods = next(t for t in fig.data if t.name == "talks periods")
    assert list(periods.x[:2]) == [D("2022-01-01"), D("2022-12-31")]
    talks = next(t for t in _markers(fig) if t.name == "talks")
    assert list(talks.text) == ["2022"]  # labelled with its precision
    assert talks.x[0] == D("2022-01-01")  # drawn at the start of the period
    assert NO_LEADER in fig.layout.yaxis.ticktext


def test_kind_styles_are_stable_and_colour_blind_safe():
    styles = kind_styles(["statement", "meeting", "zeppelin"])
    assert styles["meeting"] == KindStyle("#0072B2", "circle")
    assert styles == kind_styles(["meeting", "zeppelin", "statement"])
    assert len({s.colour for s in kind_styles([f"k{i}" for i in range(7)]).values()}) == 7


def test_hover_shows_title_date_place_people_and_quotes(shipped):
    row = shipped.events.set_index("id", drop=False).loc["putin-khamenei-2022"]
    hover = hover_text(row, shipped.people)
    assert hover.startswith("<b>Khamenei endorses Russia's war in Ukraine in meeting with")
    assert "19 July 2022 · Tehran, Iran" in hover
    assert "With: Vladimir V. Putin, Ali Khamenei" in hover
    assert "“War is a violent and difficult endeavor" in hover and "— Ali Khamenei" in hover
    assert max(len(line) for line in hover.replace("<br>", "\n").splitlines()) < 90


def test_hover_escapes_markup_and_shortens_long_quotes(edge):
    rows = edge.events.set_index("id", drop=False)
    hover = hover_text(rows.loc["xss"], edge.people)
    assert "<img" not in hover and "&lt;img src=x onerror=alert(1)&gt;" in hover
    assert "&lt;b&gt;bold&lt;/b&gt;" in hover
    # Plotly shows &quot; literally, so double quotes stay as they are (text, not markup).
    assert '“=HYPERLINK("http://evil")”' in hover
    long = hover_text(rows.loc["long-quote"], edge.people)
    assert "THE-END-OF-THE-QUOTE" not in long and "…”" in long


def test_lane_labels_are_escaped(edge):
    fig = build_figure(edge.events, edge.people)
    assert "Ana &lt;i&gt;Alpha&lt;/i&gt;<br>(Atlantis)" in fig.layout.yaxis.ticktext


def test_open_event_is_highlighted(shipped):
    fig = build_figure(shipped.events, shipped.people, open_event="tehran-trilateral-2022")
    ring = next(t for t in fig.data if t.name == "open event")
    assert len(ring.x) == 3


def test_details_show_everything_escaped(edge):
    row = edge.events.set_index("id", drop=False).loc["xss"]
    html = details_html(row, edge)
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "A &lt;b&gt;bold&lt;/b&gt; meeting" in html
    assert (
        '<a href="https://example.org/r?a=1&amp;b=2" target="_blank" rel="noopener noreferrer">A report</a>'
        in html
    )
    assert "A book, Someone, May 2020" in html  # a source without a URL is no link
    long = details_html(edge.events.set_index("id", drop=False).loc["long-quote"], edge)
    assert "THE-END-OF-THE-QUOTE" in long  # the full quote


def test_table_and_downloads(edge):
    frame = edge.events
    table = table_frame(frame, edge.people)
    assert list(table.columns) == [
        "date",
        "when",
        "title",
        "kind",
        "place",
        "leaders",
        "quotes",
        "id",
    ]
    assert table.loc[table["id"] == "summit-span", "when"].item() == "1–3 March 2023"
    assert table.loc[table["id"] == "summit-span", "date"].item() == "2023-03-01 – 2023-03-03"
    records = json.loads(to_json(frame))
    assert [r["date"] for r in records] == ["2022", "2023-03-01", "2023-05", "2023-05-10"]
    assert records[1]["end"] == "2023-03-03"
    rows = list(csv.DictReader(io.StringIO(to_csv(frame, edge.people))))
    xss = next(r for r in rows if r["id"] == "xss")
    assert xss["quotes"].startswith("Ana <i>Alpha</i>: <img")
    assert rows[0]["date"] == "2022"


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_csv_cells_never_run_as_formulas(edge, start):
    frame = edge.events.copy()
    frame.loc[0, "title"] = start + "1+1"
    rows = list(csv.DictReader(io.StringIO(to_csv(frame, edge.people))))
    assert rows[0]["title"] == "'" + start + "1+1"


@pytest.mark.parametrize(
    ("title", "cell"),
    [
        ("x\r=1+1", "x\n'=1+1"),  # a reader that ends lines at CR would start a row here
        ("x\r\n=1+1", "x\n'=1+1"),
        ("x\n@SUM(A1)", "x\n'@SUM(A1)"),
        ("x\u2028-2", "x\n'-2"),
        ("plain\rtext", "plain\ntext"),
    ],
)
def test_csv_cells_are_safe_under_every_line_ending(edge, title, cell):
    frame = edge.events.copy()
    frame.loc[0, "title"] = title
    text = to_csv(frame, edge.people)
    assert "\r=" not in text and "\n=" not in text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["title"] == cell
    # Whatever a reader takes for a line end, no line it reads starts a formula.
    for line in re.split(r"\r\n|[\r\n\u2028]", text):
        assert not line.startswith(("=", "+", "-", "@")), line
    assert text.startswith('"id","date"')  # every field quoted


@pytest.mark.parametrize(
    "invisible",
    ["\u202e", "\u2060", "\u2061", "\u2064", "\ufeff", "\u061c", "\U000e0041", "\U000e007f",
     "\u200b", "\u2066", "\x1b", "\x85"],
)  # fmt: skip
def test_invisible_characters_never_reach_a_label(invisible):
    from timeline.text import clean, escape

    assert clean(f"Pu{invisible}tin") == "Putin"
    assert escape(f"<b{invisible}>") == "&lt;b&gt;"


def test_control_and_direction_characters_never_reach_the_page(edge):
    row = edge.events.set_index("id", drop=False).loc["xss"].copy()
    row["title"] = "Red\x1b[31m alert\u202e txet"
    row["summary"] = "bell\x07 and null\x00"
    for shown in (hover_text(row, edge.people), details_html(row, edge)):
        assert "\x1b" not in shown and "\u202e" not in shown and "\x07" not in shown
        assert "Red[31m alert txet" in shown
    assert "\x00" not in details_html(row, edge)


def test_date_labels_near_the_edges_grow_inwards(shipped):
    fig = build_figure(shipped.events, shipped.people)
    labelled = [
        (x, pos)
        for t in _markers(fig)
        if len(t.x)
        for x, text, pos in zip(t.x, t.text, t.textposition, strict=True)
        if text
    ]
    # January 2022 starts the range, so its labels grow rightwards; June 2022 is inside.
    positions = {pd.Timestamp(x).month: pos for x, pos in labelled}
    assert positions[1] == "top right" and positions[6] == "top center"


@pytest.mark.parametrize(
    ("day", "position"),
    [
        ("2022-01-01", "top right"),
        ("2022-01-12", "top right"),  # within 12% of a 100-day range
        ("2022-02-15", "top center"),
        ("2022-04-01", "top left"),  # day 90 of 100
        ("2022-03-25", "top center"),  # day 83: 12 days from the end are left-aligned
    ],
)
def test_text_positions(day, position):
    start, end = pd.Timestamp("2022-01-01"), pd.Timestamp("2022-04-11")  # 100 days
    assert text_positions([pd.Timestamp(day)], start, end) == [position]


@pytest.mark.parametrize(
    ("window", "axis"),
    [
        ((None, None), ("2022-01-01", "2022-08-01")),  # the events' own extent
        ((dt.date(2022, 7, 1), dt.date(2022, 7, 31)), ("2022-07-01", "2022-08-01")),
        ((dt.date(2022, 6, 1), None), ("2022-06-01", "2022-08-01")),
    ],
)
def test_the_axis_shows_the_chosen_dates(shipped, window, axis):
    fig = build_figure(shipped.events, shipped.people, window=window)
    low, high = (pd.Timestamp(x) for x in fig.layout.xaxis.range)
    start, end = (pd.Timestamp(x) for x in axis)
    margin = pd.Timedelta(days=15)  # a little padding
    assert start - margin < low <= start and end <= high < end + margin


@pytest.fixture(scope="module")
def centuries():
    from pathlib import Path

    from timeline.files import load_file

    return load_file(Path(__file__).parent / "data" / "centuries.yaml")


def test_downloads_keep_dates_of_any_century(centuries):
    records = {r["id"]: r for r in json.loads(to_json(centuries.events))}
    assert (records["year-one"]["date"], records["month-476"]["date"]) == ("0001", "0476-09")
    assert (records["long-span"]["date"], records["long-span"]["end"]) == ("1600-01", "2000-12-31")
    assert records["far-future"]["date"] == "9999-12-31"
    rows = {
        r["id"]: r for r in csv.DictReader(io.StringIO(to_csv(centuries.events, centuries.people)))
    }
    assert rows["westphalia"]["date"] == "1648-10-24"


def test_filters_reach_any_century(centuries):
    state = FilterState(date_from=dt.date(1648, 10, 24), date_to=dt.date(1700, 1, 1))
    shown = apply_filters(centuries, state)
    # The span of 1600 to 2000 overlaps those dates; the far future does not.
    assert list(shown["id"]) == ["long-span", "westphalia", "same-day-1648"]


def test_density_view_of_old_dates():
    from timeline.figures import density_figure
    from timeline.loader import parse_carefully

    events = "\n".join(
        f"  - {{id: e{i}, title: T, date: '{1500 + i % 400}-0{1 + i % 9}', kind: visit,"
        f" leaders: [ana], summary: S, sources: [s]}}"
        for i in range(1200)
    )
    text = (
        "title: Old\npeople:\n  ana: {name: Ana}\nsources:\n  s: {title: S, publisher: P, "
        f"date: '1600'}}\nevents:\n{events}\n"
    )
    data = parse_carefully(text)
    index = Index.build(data.events, data.people)
    mask = pd.Series(True, index=data.events.index).to_numpy()
    fig = density_figure(data.events, mask, index.leader, data.people)
    xs = [str(x)[:4] for x in fig.data[0].x]
    assert xs[0] == "1500" and xs[-1] == "1899"
    assert int(pd.Series(fig.data[0].z.ravel()).sum()) == 1200


_MEDIA_FILE = """\
title: Media
people: {}
sources:
  s: {title: S, publisher: P, date: "2020"}
events:
  - {id: e, title: T, date: "2020", kind: visit, summary: S, sources: [s], media: MEDIA}
"""


@pytest.mark.parametrize(
    ("media", "shown", "absent"),
    [
        # An image: its alt text, caption and credit, every one escaped.
        (
            '{url: "https://example.org/a.jpg", alt: "Two <b>men</b>", caption: "At \\"work\\"", credit: "Photo & co"}',
            [
                '<img src="https://example.org/a.jpg" alt="Two &lt;b&gt;men&lt;/b&gt;" loading="lazy" referrerpolicy="no-referrer"',
                "<figcaption style='font-size:.85em'>At &quot;work&quot; <span style='opacity:.75'>Photo &amp; co</span></figcaption>",
            ],
            ["<a href"],
        ),
        # The path decides, in any case, whatever the query says.
        (
            '{url: "https://example.org/P.PNG?size=2&x=1"}',
            ['<img src="https://example.org/P.PNG?size=2&amp;x=1" alt=""'],
            ["<figcaption"],
        ),
        # Without alt text the caption describes the image.
        ('{url: "https://example.org/a.webp", caption: A map}', ['alt="A map"'], []),
        # Anything else is a link, labelled by its caption, else its address.
        (
            '{url: "https://example.org/watch?v=1", caption: "<script>x</script>", credit: C}',
            [
                '<p><b>Media:</b> <a href="https://example.org/watch?v=1" target="_blank" rel="noopener noreferrer">&lt;script&gt;x&lt;/script&gt;</a> <span style=\'opacity:.75\'>C</span></p>'
            ],
            ["<img", "<script>"],
        ),
        (
            '{url: "https://example.org/a.jpg.html"}',
            [">https://example.org/a.jpg.html</a>"],
            ["<img"],
        ),
        (
            '{url: "http://example.org/q?a=\\"onerror=alert(1)"}',
            ['href="http://example.org/q?a=&quot;onerror=alert(1)"'],
            ['"onerror'],
        ),
    ],
)
def test_details_show_media_as_an_image_or_a_link(media, shown, absent):
    from timeline.loader import parse_carefully

    data = parse_carefully(_MEDIA_FILE.replace("MEDIA", media))
    html = details_html(data.events.iloc[0], data)
    for part in shown:
        assert part in html
    for part in absent:
        assert part not in html


@pytest.mark.parametrize(
    "media",
    [None, pd.NA, {}, {"url": "javascript:alert(1)"}, {"url": "data:image/png;base64,AA"},
     {"url": "https://exa mple.org/a.png"}, {"url": 5}, "https://example.org/a.png"],
)  # fmt: skip
def test_details_show_no_media_that_is_not_a_web_address(edge, media):
    # Rows may come from a cache or an edited frame: nothing but http(s) is ever shown.
    row = edge.events.set_index("id", drop=False).loc["xss"].copy()
    row["media"] = media
    html = details_html(row, edge)
    assert "Media:" not in html and "<figure" not in html
    assert 'href="javascript' not in html and 'src="data:' not in html


@pytest.mark.parametrize(
    ("dates", "order"),
    [
        # As labels these sort "19 July 2022" < "January 2022" < "July 2022"; as dates, not.
        (["2022-07-19", "2022-01", "2022-07"], ["2022-01", "2022-07", "2022-07-19"]),
        (["2000", "0476-09", "1648-10-24"], ["0476-09", "1648-10-24", "2000"]),
    ],
)
def test_the_table_dates_sort_as_dates(dates, order):
    from timeline.loader import parse_events

    events = "".join(
        f"  - {{id: e{i}, title: T, date: '{d}', kind: visit, summary: S, sources: [s]}}\n"
        for i, d in enumerate(dates)
    )
    data = parse_events(
        f"title: T\npeople: {{}}\nsources:\n  s: {{title: S, publisher: P, date: '2022'}}\nevents:\n{events}"
    )
    shuffled = data.events.sample(frac=1, random_state=1)
    assert sorted(table_frame(shuffled, data.people)["date"]) == order


def test_a_click_does_not_fade_the_other_markers(shipped):
    # Streamlit hears a click as a selection; Plotly's default dims every other point.
    fig = build_figure(shipped.events, shipped.people)
    for trace in fig.data:
        if trace.mode == "markers+text":
            assert trace.unselected.marker.opacity == 1, trace.name


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda d: FilterState(match="ALL"), r"match: expected one of 'any', 'all', got 'ALL'"),
        (lambda d: FilterState(view="map"), r"view: expected one of 'timeline', 'matrix'"),
        (lambda d: FilterState(lanes="person"), r"lanes: expected one of 'leader', 'country', 'tag'"),
        (lambda d: FilterState(order="size"), r"order: expected one of 'first', 'count', 'name', 'file'"),
        (lambda d: __import__("timeline.analysis").analysis.tempo(d.events, "W"),
         r"unit: expected one of 'M', 'Q', 'Y', got 'W'"),
        (lambda d: Index.build(d.events, d.people).leader.matching(("putin",), "ALL"),
         r"match: expected one of 'any', 'all', got 'ALL'"),
    ],
)  # fmt: skip
def test_bad_choices_name_the_valid_ones(shipped, call, message):
    with pytest.raises(ValueError, match=message):
        call(shipped)


def test_kinds_given_for_colours_need_not_cover_the_events(shipped):
    # A kind list that misses some of the events' kinds still draws them all.
    fig = build_figure(shipped.events, shipped.people, kinds=["meeting"])
    assert {t.name for t in _markers(fig)} == set(shipped.events["kind"])
