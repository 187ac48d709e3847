"""The timeline figure as an object, in the chart's own pixels: lines, markers, labels, zoom.

The figure draws for a chart of a given width (the page measures it); these tests read the
figure's traces and axis and place them on that width, as Plotly does, to check that no
reader can take two events for one and that nothing hides or is cut.
"""

import datetime as dt
import itertools
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from timeline.figures import add_timeline_periods
from timeline.figures import timeline_figure as build_figure
from timeline.figures.timeline import (
    GROUP_DATES,
    GROUP_DATES_ABOVE,
    LABEL_GAP_PX,
    LABEL_PX_PER_CHAR,
    LANE_HEIGHT,
    MARKER_SIZE,
    marker_share,
)
from timeline.files import load_file
from timeline.lanes import Membership
from timeline.loader import parse_events

DATA = Path(__file__).resolve().parent / "data"
ROOT = DATA.parent.parent
WIDTHS = [320, 390, 1366, 1920]
GROUPS = ("events of one day", "events close together")


@pytest.fixture(scope="module")
def shipped():
    return load_file(ROOT / "events.yaml")


@pytest.fixture(scope="module")
def summit():
    return load_file(DATA / "summit-day.yaml")


def _years() -> object:
    """A real timeline's shape: one event a year on one lane, then a crowded year."""
    rows = [f"{{id: y{year}, title: Y{year}, date: '{year}', kind: visit, leaders: [a]}}"
            for year in range(1985, 1992)]  # fmt: skip
    rows += [f"{{id: g{k}, title: G{k}, date: '1992-0{k}-1{k}', kind: meeting, leaders: [a, b]}}"
             for k in range(1, 5)]  # fmt: skip
    rows += ["{id: late, title: Late, date: '2012-06-01', kind: statement, leaders: [b]}"]
    events = "".join(f"  - {r[:-1]}, summary: S, sources: [s]}}\n" for r in rows)
    return parse_events(
        "title: T\npeople:\n  a: {name: A A}\n  b: {name: B B}\nsources:\n"
        f"  s: {{title: S, publisher: P, date: '2022'}}\nevents:\n{events}"
    )


IMPORTED = {"timelinejs3": ("timelinejs", "timelinejs3.json"),
            "timelinejs2": ("timelinejs", "timelinejs2.json"), "icews": ("icews", "icews.tab")}  # fmt: skip


def _imported(name):
    """Return one of the importers' real-world examples as the page would load it."""
    from timeline.importers.command import IMPORTERS
    from timeline.importers.common import Options
    from timeline.importers.yamlout import render

    fmt, file = IMPORTED[name]
    today = dt.date(2024, 5, 1)
    imported = IMPORTERS[fmt]((DATA / "import" / file).read_bytes(), file, Options(), today)
    return parse_events(render(imported, file, fmt, today))


def _data(name, shipped, summit):
    if name in IMPORTED:
        return _imported(name)
    if name == "shipped":
        return shipped
    if name == "summit":
        return summit
    if name == "years":
        return _years()
    return load_file(DATA / f"{name}.yaml")


class Drawn:
    """The cases' data and figures, each made once for the module.

    Four tests read the same figure of a case (nothing changes a figure or its data), so
    it is built once, not four times: building is most of this module's time.
    """

    def __init__(self, shipped, summit):
        self.shipped, self.summit = shipped, summit
        self._data: dict = {}
        self._figures: dict = {}

    def data(self, name):
        if name not in self._data:
            self._data[name] = _data(name, self.shipped, self.summit)
        return self._data[name]

    def figure(self, name, width):
        if (name, width) not in self._figures:
            data = self.data(name)
            self._figures[name, width] = build_figure(data.events, data.people, width=width)
        return self._figures[name, width]


@pytest.fixture(scope="module")
def drawn(shipped, summit) -> Drawn:
    return Drawn(shipped, summit)


class Plot:
    """The figure's marks placed in px on a chart of `width`, as Plotly draws them."""

    def __init__(self, fig, data, width):
        lanes = (
            Membership.build(data.events, data.people, "leader")
            .layout(np.ones(len(data.events), dtype=bool), data.people, "file")
            .lanes
        )
        self.fig, self.width = fig, width
        self.plot_px = MARKER_SIZE / marker_share(width, lanes)
        low, high = (pd.Timestamp(x) for x in fig.layout.xaxis.range)
        self.low, self.seconds = low, (high - low).total_seconds()

    def px(self, x) -> float:
        return (pd.Timestamp(x) - self.low).total_seconds() / self.seconds * self.plot_px

    def markers(self) -> list[tuple[float, float, float, object]]:
        """Return every marker as (x px, lane, radius px, its event ids)."""
        out = []
        for t in self.fig.data:
            if t.mode != "markers+text" or t.name == "periods":
                continue
            for x, y, data in zip(t.x, t.y, t.customdata, strict=True):
                out.append((self.px(x), float(y), t.marker.size / 2, data))
        return out

    def lines(self) -> list[list[tuple[float, float]]]:
        """Return each connector as its points (x px, lane)."""
        t = next(t for t in self.fig.data if t.name == "connectors")
        points = list(zip(t.x, t.y, strict=True))
        runs = itertools.groupby(points, lambda p: p[0] is None)
        return [[(self.px(x), float(y)) for x, y in run] for none, run in runs if not none]


def _ids(data) -> list:
    return list(data) if isinstance(data, list | tuple) else [data]


def _touched(plot, line) -> frozenset[float]:
    """Return the lanes a connector meets a marker on: where a reader sees it joined."""
    touched = set()
    for a, b in itertools.pairwise(line):
        for x, lane, radius, _ in plot.markers():
            lo, hi = sorted((a[1], b[1]))
            if not lo <= lane <= hi:
                continue
            # Where the segment crosses the lane, in px.
            at = a[0] if a[1] == b[1] else a[0] + (b[0] - a[0]) * (lane - a[1]) / (b[1] - a[1])
            if abs(at - x) < radius:
                touched.add(lane)
    return frozenset(touched)


def _lanes_of(data, fig) -> dict[str, frozenset[float]]:
    """Return each event's lanes, read from the markers that hold it."""
    out: dict[str, set[float]] = {}
    for t in fig.data:
        if t.mode == "markers+text" and t.customdata is not None and t.name != "periods":
            for y, ids in zip(t.y, t.customdata, strict=True):
                for eid in _ids(ids):
                    out.setdefault(eid, set()).add(float(y))
    return {k: frozenset(v) for k, v in out.items()}


NAMES = ("shipped", "summit", "crowded", "years", "near", "edge", *IMPORTED)
CASES = [(name, width) for name in NAMES for width in WIDTHS]


@pytest.mark.parametrize(("name", "width"), CASES)
def test_each_line_joins_the_lanes_of_one_event_and_no_other(drawn, name, width):
    data, fig = drawn.data(name), drawn.figure(name, width)
    plot = Plot(fig, data, width)
    lanes = _lanes_of(data, fig)
    several = sorted(sorted(v) for v in lanes.values() if len(v) > 1)
    # One line per event on several lanes, meeting the markers of exactly its lanes: a
    # line through a third lane's marker would read as a meeting of three.
    assert sorted(sorted(_touched(plot, line)) for line in plot.lines()) == several


@pytest.mark.parametrize(("name", "width"), CASES)
def test_no_two_lines_run_along_each_other(drawn, name, width):
    data = drawn.data(name)
    plot = Plot(drawn.figure(name, width), data, width)
    uprights = []  # each line's vertical runs: x px and the lanes it spans
    for k, line in enumerate(plot.lines()):
        for a, b in itertools.pairwise(line):
            if abs(a[0] - b[0]) < 0.5 and a[1] != b[1]:
                uprights.append((k, a[0], *sorted((a[1], b[1]))))
    for (k, x, lo, hi), (k2, x2, lo2, hi2) in itertools.combinations(uprights, 2):
        if k != k2 and lo <= hi2 and lo2 <= hi:  # over a shared stretch of lanes
            assert abs(x - x2) >= 4, (name, width, x, x2)


def test_the_shipped_day_of_many_meetings_has_a_line_each():
    # The view: Putin met Raisi and, apart, Khamenei on 19 July.
    data = load_file(ROOT / "events.yaml")
    shown = data.events[data.events["kind"] == "meeting"]
    shown = shown[shown["leaders"].map(lambda ls: "putin" in ls)].reset_index(drop=True)
    for width in WIDTHS:
        fig = build_figure(shown, data.people, width=width)
        plot = Plot(fig, data, width)
        assert sorted(sorted(_touched(plot, line)) for line in plot.lines()) == sorted(
            sorted(v) for v in _lanes_of(data, fig).values() if len(v) > 1
        )
        assert len(plot.lines()) == 2


@pytest.mark.parametrize(("name", "width"), CASES)
def test_no_marker_covers_or_touches_another(drawn, name, width):
    data = drawn.data(name)
    plot = Plot(drawn.figure(name, width), data, width)
    by_lane: dict[float, list] = {}
    for x, lane, radius, _ in plot.markers():
        by_lane.setdefault(lane, []).append((x, radius))
    for spots in by_lane.values():
        spots.sort()
        for (x, r), (x2, r2) in itertools.pairwise(spots):
            assert x2 - x >= r + r2, (name, width, x, x2)


def _label_boxes(plot):
    """Return every date label shown as (lane, left px, right px, anchor px)."""
    boxes = []
    for t in plot.fig.data:
        if t.mode not in ("text", "markers+text") or t.name in GROUPS or t.text is None:
            continue
        places = t.textposition
        places = list(places) if isinstance(places, list | tuple) else [places] * len(t.x)
        above = GROUP_DATES_ABOVE if t.name == GROUP_DATES else 0
        for x, y, text, place in zip(t.x, t.y, t.text, places, strict=True):
            if not text or t.name == "periods":
                continue
            width = len(text) * LABEL_PX_PER_CHAR + LABEL_GAP_PX
            at = plot.px(x)
            left = (
                at
                if place.endswith("right")
                else at - width
                if place.endswith("left")
                else at - width / 2
            )
            boxes.append((round(float(y) + above, 3), left, left + width, at))
    return boxes


@pytest.mark.parametrize(("name", "width"), CASES)
def test_no_date_label_sits_over_another_events_marker(drawn, name, width):
    data = drawn.data(name)
    plot = Plot(drawn.figure(name, width), data, width)
    boxes = _label_boxes(plot)
    for lane, left, right, at in boxes:
        for x, marker_lane, radius, _ in plot.markers():
            if marker_lane == lane and abs(x - at) > 0.5:
                assert x + radius <= left or right <= x - radius, (name, width, lane, at, x)
    if name == "shipped" and width >= 1366:
        assert len(boxes) >= 8  # on a desktop the dates are there


@pytest.mark.parametrize(("name", "width"), CASES)
def test_nothing_is_cut_at_the_charts_edges(drawn, name, width):
    data = drawn.data(name)
    # The right-most event open: its ring (32 px) is the widest thing drawn around a date.
    last = data.events.sort_values("start", kind="stable")["id"].iloc[-1]
    fig = build_figure(data.events, data.people, width=width, open_event=last)
    plot = Plot(fig, data, width)
    for x, _, radius, _ in plot.markers():
        assert radius <= x <= plot.plot_px - radius, (name, width, x)
    ring = next(t for t in fig.data if t.name == "open event")
    for x in ring.x:
        assert ring.marker.size / 2 <= plot.px(x) <= plot.plot_px - ring.marker.size / 2
    for line in plot.lines():
        assert all(0 <= x <= plot.plot_px for x, _ in line), (name, width)
    for _, left, right, _ in _label_boxes(plot):
        assert left >= 0 and right <= plot.plot_px, (name, width, left, right)


def test_the_right_most_markers_keep_their_room_on_the_narrowest_screen(shipped):
    # The issue: at 360 px the last "2" and Erdogan's diamond were cut in half.
    for width in (320, 360):
        plot = Plot(build_figure(shipped.events, shipped.people, width=width), shipped, width)
        right = max(plot.markers(), key=lambda m: m[0] + m[2])
        assert right[0] + right[2] <= plot.plot_px
        # Padded by pixels, not by a share of the dates: a marker's width at least.
        assert plot.plot_px - (right[0] + right[2]) >= 1


SUMMIT_DAY = dt.date(2024, 10, 23)
SUMMIT_IDS = ["ana-cy", "ana-di", "bo-ed", "cy-fa", "ana-bo-fa", "di-ed", "ana-note"]


@pytest.mark.parametrize("width", WIDTHS)
def test_a_crowded_day_read_at_its_own_scale_shows_its_events_apart_in_order(summit, width):
    whole = build_figure(summit.events, summit.people, width=width)
    grouped = [ids for t in whole.data if t.name in GROUPS for ids in t.customdata]
    assert any(set(SUMMIT_IDS) & set(ids) for ids in grouped)  # a year's axis: one spot
    fig = build_figure(summit.events, summit.people, width=width, window=(SUMMIT_DAY, SUMMIT_DAY))
    plot = Plot(fig, summit, width)
    spots = {}
    for x, _, _, ids in plot.markers():
        for eid in _ids(ids):
            spots.setdefault(eid, set()).add(round(x, 3))
    day = [eid for eid in SUMMIT_IDS if eid in spots]
    if width >= 390:  # a day of seven events needs seven markers' room
        grouped_now = [ids for t in fig.data if t.name in GROUPS for ids in t.customdata]
        assert not any(set(SUMMIT_IDS) & set(ids) for ids in grouped_now)
        # Each event at one place on all its lanes, the places in the data's order.
        assert all(len(spots[eid]) == 1 for eid in day)
        xs = [next(iter(spots[eid])) for eid in day]
        assert xs == sorted(xs) and len(set(xs)) == len(xs)
        low, high = (
            plot.px(pd.Timestamp(SUMMIT_DAY)),
            plot.px(pd.Timestamp(SUMMIT_DAY) + pd.Timedelta(days=1)),
        )
        assert all(low <= x <= high for x in xs)  # within the day
        # A straight line each for the six meetings on several lanes (not Ana's statement).
        within = [line for line in plot.lines() if all(low <= x <= high for x, _ in line)]
        assert len(within) == 6 and all(len({x for x, _ in line}) == 1 for line in within)
    # The day's own ticks name days, never hours.
    assert fig.layout.xaxis.tickformat == "%-d %b %Y" and fig.layout.xaxis.dtick == 86_400_000


@pytest.mark.parametrize(
    ("window", "width", "together"),
    [
        # A year on a phone: the three May talks, 8 days apart, are one marker ...
        ((None, None), 390, [["n2", "n3", "n4"]]),
        # ... a month apart: each its own.
        ((dt.date(2024, 5, 1), dt.date(2024, 5, 31)), 390, []),
        ((None, None), 1920, []),
    ],
)
def test_markers_regroup_at_the_zoom(window, width, together):
    data = load_file(DATA / "near.yaml")
    fig = build_figure(data.events, data.people, width=width, window=window)
    assert [list(ids) for t in fig.data if t.name in GROUPS for ids in t.customdata] == together


@pytest.mark.parametrize(
    ("window", "ticks"),
    [
        ((dt.date(2022, 7, 19), dt.date(2022, 7, 19)), True),
        ((dt.date(2022, 7, 10), dt.date(2022, 7, 23)), True),
        ((dt.date(2022, 7, 1), dt.date(2022, 7, 31)), False),  # Plotly's own ticks: days
        ((None, None), False),
    ],
)
def test_a_zoom_of_days_names_days_not_hours(shipped, window, ticks):
    fig = build_figure(shipped.events, shipped.people, window=window, width=1366)
    assert (fig.layout.xaxis.dtick == 86_400_000) == ticks
    assert (fig.layout.xaxis.ticklabelmode == "period") == ticks


def test_nothing_fades_after_a_click(shipped):
    # A click keeps a selection; Plotly dims every unselected marker and text to 0.2.
    fig = build_figure(shipped.events, shipped.people, open_event="gazprom-deal-2022")
    add_timeline_periods(fig, shipped.periods)
    kept = 0
    for t in fig.data:
        if "markers" in t.mode:
            assert t.unselected.marker.opacity == 1, t.name
            kept += 1
        if "text" in t.mode:
            colour = t.unselected.textfont.color
            assert colour is not None and colour == t.textfont.color, t.name
            kept += 1
    names = {t.name for t in fig.data}
    assert {"periods", GROUP_DATES, "open event"} <= names and kept >= 8


def _lanes_file(n: int) -> str:
    people = "".join(
        f"  p{k:02}: {{name: Person number {k}, country: Country {k}}}\n" for k in range(n)
    )
    events = "".join(
        f"  - {{id: e{k}, title: E{k}, date: '2022-{1 + k % 12:02}-{1 + k:02}', kind: meeting, "
        f"leaders: [p{k:02}, p{(k + 7) % n:02}], summary: S, sources: [s]}}\n"
        for k in range(n)
    )
    return (
        f"title: T\npeople:\n{people}sources:\n  s: {{title: S, publisher: P, date: '2022'}}\n"
        f"events:\n{events}"
    )


@pytest.mark.parametrize("lanes", [6, 30])
def test_many_lanes_grow_the_chart_so_their_labels_never_overlap(lanes):
    data = parse_events(_lanes_file(lanes))
    fig = build_figure(data.events, data.people, width=390)
    assert len(fig.layout.yaxis.ticktext) == lanes
    assert all("<br>" in t for t in fig.layout.yaxis.ticktext)  # two lines each
    margin = fig.layout.margin
    per_lane = (fig.layout.height - margin.t - margin.b) / lanes
    # Two lines of 12 px text, and the date labels' strip above each lane's markers.
    assert per_lane >= LANE_HEIGHT * 0.9 and per_lane >= 2 * 12 * 1.3 + 14


# --- One theme, resolved: the same figure wherever it is made --------------------------------

_COLOUR_KEYS = re.compile(r'"(?:[a-z_]*colou?r|bgcolor)": ?"([^"]*)"')
_REAL_COLOUR = re.compile(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?|rgba?\([\d., ]+\)|[a-z]+")
_PLACEHOLDER = re.compile(r"#0000[0-4]\d\b")  # Streamlit's, replaced only by its front end


def _each_figure(data):
    """Yield each figure builder's figure of a file: timeline, matrix, tempo, density."""
    from timeline.analysis import meetings, tempo
    from timeline.figures import density_figure, matrix_figure, tempo_figure

    everyone = np.ones(len(data.events), dtype=bool)
    membership = Membership.build(data.events, data.people, "leader")
    yield "timeline", build_figure(data.events, data.people)
    yield "matrix", matrix_figure(meetings(data.events, membership, everyone, data.people))
    yield "tempo", tempo_figure(tempo(data.events), periods=data.periods)
    yield "density", density_figure(data.events, everyone, membership, data.people)


@pytest.mark.parametrize("default", ["streamlit", "plotly", "plotly_dark"])
def test_figures_carry_the_resolved_theme_whatever_the_process_default(shipped, default):
    import plotly.io as pio
    import streamlit.elements.plotly_chart  # noqa: F401 - registers Streamlit's template

    from timeline.figures.theme import BACKGROUND, GRID, TEXT

    saved = pio.templates.default
    pio.templates.default = default
    try:
        figures = dict(_each_figure(shipped))
    finally:
        pio.templates.default = saved
    for name, fig in figures.items():
        layout = fig.layout.template.layout
        assert layout.paper_bgcolor == BACKGROUND and layout.font.color == TEXT, name
        assert layout.xaxis.gridcolor == GRID and layout.yaxis.automargin is True, name
        text = fig.to_json()
        assert not _PLACEHOLDER.search(text), name
        for colour in _COLOUR_KEYS.findall(text):
            assert _REAL_COLOUR.fullmatch(colour), (name, colour)


def test_a_figure_is_the_same_bytes_in_the_page_and_the_command(shipped):
    import plotly.io as pio
    import streamlit.elements.plotly_chart  # noqa: F401

    made = {}
    saved = pio.templates.default
    try:
        for default in ("streamlit", "plotly"):
            pio.templates.default = default
            made[default] = {name: fig.to_json() for name, fig in _each_figure(shipped)}
    finally:
        pio.templates.default = saved
    assert made["streamlit"] == made["plotly"]


@pytest.mark.parametrize("lanes", ["leader", "country", "tag"])
def test_lane_names_push_the_margin_out(shipped, lanes):
    # The lane names are never cut: Plotly widens the left margin to hold them (automargin).
    everyone = np.ones(len(shipped.events), dtype=bool)
    layout = Membership.build(shipped.events, shipped.people, lanes).layout(
        everyone, shipped.people, "file"
    )
    fig = build_figure(shipped.events, shipped.people, layout=layout)
    assert fig.layout.yaxis.automargin is True and fig.layout.xaxis.automargin is True
    assert fig.layout.margin.l == 10  # the rest is the labels', measured by Plotly
