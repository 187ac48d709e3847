"""The swimlane timeline: one lane per leader, state or tag; one marker per event and lane.

Built in steps, as plotly express builds its figures: the marks as one table (an event on
each of its lanes), traces from a group-by on kind, then the layout.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..dates import clip_day, day_stamp, seconds, within_calendar
from ..i18n import DEFAULT_LANG, Translator
from ..lanes import NO_LANE, Lane, LaneLayout, Membership
from ..schema import Person
from ..state import KNOWN_KINDS
from ..text import plotly_escape
from .hover import HoverTexts, group_hover
from .style import HOVER_LABEL, LEGEND, KindStyle, kind_styles, lane_tick
from .theme import themed

MARKER_SIZE = 15
# A click selects a point (that is how Streamlit hears it); Plotly would then fade every
# other marker, as if the filters had changed. The chart keeps its look instead.
LABEL_GREY = "rgba(128,128,128,1)"
KEEP_LOOK = {
    "selected": {"marker": {"opacity": 1}},
    "unselected": {"marker": {"opacity": 1}, "textfont": {"color": LABEL_GREY}},
}
LANE_HEIGHT = 56
RING_SIZE = 32  # around the open event's marker


def text_positions(
    xs: Iterable, start: pd.Timestamp, end: pd.Timestamp, edge: pd.Timedelta | None = None
) -> list[str]:
    """Return where each marker's date label goes, so that none is cut at the chart's edges.

    Labels within `edge` of an end (12% of the range unless given) grow inwards.
    """
    edge = max((end - start) * 0.12, edge if edge is not None else seconds())
    # Seconds, never nanoseconds, which reach only 1677 to 2262.
    x = np.asarray(list(xs), dtype="datetime64[s]")
    left, right = np.datetime64(start + edge, "s"), np.datetime64(end - edge, "s")
    return np.where(x < left, "top right", np.where(x > right, "top left", "top center")).tolist()


# Events whose markers would cover each other are drawn as one marker with a count. How
# close that is depends on the chart's width: a page that has measured it says; without it
# (the page's first run, a static export) a marker is taken as 15 px of a plot of 1,000.
GROUP_SHARE = 0.015
GROUP_SIZE = 24
# The numbered markers' trace, named for the legend, and the trace of their dates, drawn
# this share of a lane above them.
ONE_DAY, CLOSE_TOGETHER = "events of one day", "events close together"
GROUP_DATES, GROUP_DATES_ABOVE = "group dates", 0.4
MARGIN = {"l": 10, "r": 10, "t": 40, "b": 30}
LABEL_CHAR_PX = 6.5  # lane labels are 12 px text; Plotly widens the left margin to fit them
MIN_PLOT_PX = 120


def marker_share(chart_px: int | None, lanes: Iterable[Lane]) -> float:
    """Return the share of the x axis that one marker covers on a chart this many px wide."""
    if not chart_px or chart_px <= 0:
        return GROUP_SHARE
    widest = max((max(len(lane.name), len(lane.detail) + 2) for lane in lanes), default=0)
    plot = chart_px - MARGIN["l"] - MARGIN["r"] - LABEL_CHAR_PX * widest
    return MARKER_SIZE / max(plot, MIN_PLOT_PX)


def marks(
    frame: pd.DataFrame, layout: LaneLayout, hovers: list[str], open_event: str | None
) -> pd.DataFrame:
    """Return one row per event and lane: where its marker goes, its hover and its label."""
    counts = [len(p) for p in layout.places]
    at = np.repeat(np.arange(len(frame)), counts)
    rows = frame.iloc[at].reset_index(drop=True)
    out = pd.DataFrame(
        {
            "event": at,
            "id": rows["id"],
            "kind": rows["kind"],
            "title": rows["title"],
            "x": rows["start"].to_numpy().astype("datetime64[s]"),  # always the true date
            "date_x": rows["start"].to_numpy().astype("datetime64[s]"),
            "y": [y for place in layout.places for y in place],
            "start": rows["start"],
            "last": rows["last"],
            "spans": rows["end"].notna(),
            "vague": (rows["precision"] != "day").to_numpy(),
            "label": rows["date_label"],
            "quotes": rows["quotes"],
            "hover": np.asarray(hovers, dtype=object)[at] if len(at) else [],
            "open": (rows["id"] == open_event).to_numpy(),
        }
    )
    # One period label per lane and start is enough; more would overprint.
    first = ~out.duplicated(["start", "y"])
    out["text"] = np.where(out["vague"] & first, out["label"].map(plotly_escape), "")
    return out


GAP_PX = 2  # between two markers drawn apart


def _span(secs: float) -> pd.Timedelta:
    """Return a duration in whole seconds, which holds any span of years 1 to 9999."""
    return pd.Timedelta(np.timedelta64(round(secs), "s"))


def _radius(count: int, near: pd.Timedelta) -> pd.Timedelta:
    """Return half a marker's width in time, `near` being one lone marker's width."""
    return near * (MARKER_SIZE if count == 1 else GROUP_SIZE) / MARKER_SIZE / 2


def group_marks(table: pd.DataFrame, near: pd.Timedelta) -> np.ndarray:
    """Number the marks whose markers would cover or touch each other on one lane.

    `near` is a lone marker's width in time. Marks of one day always share a number; a
    mark joins the marker before it on its lane when the two would touch (a numbered
    marker is wider than a lone one), so no marker hides another. Numbers follow the
    lanes, then the dates.
    """
    group = np.zeros(len(table), dtype=np.int64)
    order = np.lexsort((table["event"].to_numpy(), table["x"].to_numpy(), table["y"].to_numpy()))
    xs, ys = table["x"].to_numpy()[order], table["y"].to_numpy()[order]
    gap = near * GAP_PX / MARKER_SIZE
    runs: list[list] = []  # per marker: its lane, first x, count, and where its marks are
    for k, (x, y) in enumerate(zip(xs, ys, strict=True)):
        runs.append([y, x, 1, [k]])
        # Merged from the right: a run grown into a numbered marker may now touch the one
        # before it too.
        while len(runs) > 1 and runs[-2][0] == runs[-1][0]:
            a, b = runs[-2], runs[-1]
            if b[1] - a[1] >= _radius(a[2], near) + _radius(b[2], near) + gap:
                break
            a[2] += b[2]
            a[3] += b[3]
            runs.pop()
    for number, run in enumerate(runs):
        group[order[run[3]]] = number
    return group


def spread_days(table: pd.DataFrame, px_per_second: float) -> pd.Series:
    """Return each mark's x: a day wide enough for all its events holds them side by side.

    Zoomed in so far that a day has room for a marker per event of that day (on any
    lane), the day's events take their own places across it, in the data's order; each
    stays within its day. Otherwise every mark stays at its date.
    """
    xs = table["date_x"].copy()
    day_px = 86_400 * px_per_second
    exact = table[~table["vague"]]
    if exact.empty or day_px < MARKER_SIZE + GAP_PX:
        return xs
    for _, marks_of_day in exact.groupby("date_x", sort=False):
        events = np.unique(marks_of_day["event"].to_numpy())  # sorted: the data's order
        if day_px < len(events) * (MARKER_SIZE + GAP_PX):
            continue
        place = np.searchsorted(events, marks_of_day["event"].to_numpy())
        step = 86_400 / len(events)
        xs[marks_of_day.index] = marks_of_day["date_x"] + pd.to_timedelta(
            (place + 0.5) * step, unit="s"
        ).as_unit("s")
    return xs


LABEL_PX_PER_CHAR = 6.2  # the date labels are 11 px text
LABEL_GAP_PX = 6


def _extent_px(x: float, width: float, position: str) -> tuple[float, float]:
    """Return where a label of this width reaches, left and right, at its text position."""
    if position.endswith("right"):
        return x, x + width
    if position.endswith("left"):
        return x - width, x
    return x - width / 2, x + width / 2


def _over_a_marker(
    markers: Mapping[float, list[tuple[float, float]]],
    lane: float,
    anchor: float,
    left: float,
    right: float,
) -> bool:
    """Say whether a label reaches over a marker of its lane other than its own."""
    for centre, radius in markers.get(lane, ()):
        if abs(centre - anchor) > 0.5 and centre + radius > left and centre - radius < right:
            return True
    return False


def clear_labels(
    traces: list[go.Scatter],
    px_per_second: float,
    markers: Mapping[float, list[tuple[float, float]]] | None = None,
) -> None:
    """Blank the date labels that would print over one kept before them on the same lane,
    or over another event's marker (`markers`: per lane, each marker's centre and radius in
    px), where a reader would take the date for that marker's.

    The dates of groups come first (each stands for several events), then the others,
    each in date order; a blanked date is still in its marker's hover and in the list.
    """
    markers = markers or {}
    taken: dict[float, list[tuple[float, float]]] = {}
    ordered = sorted(traces, key=lambda t: t.name != GROUP_DATES)
    for trace in ordered:
        if trace.mode not in ("text", "markers+text") or trace.text is None:
            continue
        if trace.name in (ONE_DAY, CLOSE_TOGETHER):
            continue  # their text is the count inside the marker
        texts, places = list(trace.text), trace.textposition
        positions = list(places) if isinstance(places, list | tuple) else [places] * len(texts)
        seconds_at = np.asarray(trace.x, dtype="datetime64[s]").astype(np.int64)
        for k in np.argsort(seconds_at, kind="stable"):
            if not texts[k]:
                continue
            above = GROUP_DATES_ABOVE if trace.name == GROUP_DATES else 0
            lane = round(float(trace.y[k]) + above, 3)
            width = len(str(texts[k])) * LABEL_PX_PER_CHAR + LABEL_GAP_PX
            anchor = float(seconds_at[k]) * px_per_second
            left, right = _extent_px(anchor, width, positions[k])
            kept = taken.setdefault(lane, [])
            at = bisect.bisect(kept, (left, right))
            clear = (at == 0 or kept[at - 1][1] <= left) and (
                at == len(kept) or right <= kept[at][0]
            )
            clear = clear and not _over_a_marker(markers, lane, anchor, left, right)
            if clear:
                kept.insert(at, (left, right))
            else:
                texts[k] = ""
        trace.text = texts


def _lines(xs0: Iterable, xs1: Iterable, ys0: Iterable, ys1: Iterable) -> tuple[list, list]:
    """Return one scatter's x and y for separate segments, broken by None."""
    x: list = []
    y: list = []
    for a, b, c, d in zip(xs0, xs1, ys0, ys1, strict=True):
        x += [a, b, None]
        y += [c, d, None]
    return x, y


# Connectors: each event on several lanes gets a line of its own between its own lanes'
# markers. Where that line would run along another event's (closer than CONNECTOR_APART px,
# over a shared stretch of lanes) or through another lane's marker, the events of that
# spot each get a line of their own beside the markers, CONNECTOR_BASE px out and
# CONNECTOR_STEP px apart, in the data's order, leaving and joining their markers
# at an angle (ELBOW of a lane above or below them).
CONNECTOR_APART, CONNECTOR_BASE, CONNECTOR_STEP, ELBOW = 5, 17, 7, 0.3
# More lines than this at one spot (hundreds of events on a phone's width) would reach far
# across the chart: the rest of that spot's events get no line, rather than one that runs
# into another's; zoomed in, they have room.
MAX_BESIDE = 10
CLEAR_PX = 2


def _crowded_connectors(
    ends: pd.DataFrame, table: pd.DataFrame, px: pd.Series, radius: pd.Series
) -> set[int]:
    """Return the events whose straight line would read as joined to another event."""
    crowded: set[int] = set()
    own = table.groupby("event")["y"].agg(frozenset)
    order = ends.sort_values("px")
    events = order.index.to_numpy()
    at, top, bottom = (order[c].to_numpy(dtype=float) for c in ("px", "top", "bottom"))
    # The marks by their markers' px, to look only at those near a line.
    by_px = np.argsort(px.to_numpy(), kind="stable")
    marks_px = px.to_numpy()[by_px]
    lanes, marks_of = table["y"].to_numpy()[by_px], table["event"].to_numpy()[by_px]
    reach = radius.to_numpy()[by_px] + CLEAR_PX
    widest = GROUP_SIZE / 2 + CLEAR_PX
    for i, event in enumerate(events):
        # Along another event's line: close in x, sharing a stretch of lanes (or one end).
        for j in range(i + 1, len(events)):
            if at[j] - at[i] >= CONNECTOR_APART:
                break
            if top[i] <= bottom[j] and top[j] <= bottom[i]:
                crowded.update((int(event), int(events[j])))
        # Through another lane's marker: a lane between its ends that is not its own.
        lo, hi = np.searchsorted(marks_px, [at[i] - widest, at[i] + widest])
        if lo == hi:
            continue
        near = (
            (lanes[lo:hi] > top[i]) & (lanes[lo:hi] < bottom[i])
            & (np.abs(marks_px[lo:hi] - at[i]) < reach[lo:hi]) & (marks_of[lo:hi] != event)
        )  # fmt: skip
        if near.any() and not set(lanes[lo:hi][near].tolist()) <= own[event]:
            crowded.add(int(event))
    return crowded


def _lines_beside(
    beside: pd.DataFrame,
    lanes_of: Mapping[Hashable, tuple[np.ndarray, np.ndarray]],
    px_per_second: float,
) -> tuple[list, list, tuple[float, float]]:
    """Return the lines drawn beside crowded markers (`beside`: each event's first px and
    lanes, in px order), and the right-most: its markers' px and how far right it reaches.
    """
    xs: list = []
    ys: list = []
    spot_px, right = -np.inf, (0.0, 0.0)
    taken: list[list[tuple[float, float]]] = []  # per offset, the spans of the spot's lines
    for event, row in beside.iterrows():
        if row["px"] - spot_px >= MARKER_SIZE:  # a new spot
            spot_px, taken = row["px"], []
        # The first offset free over this line's lanes: lines over lanes apart can share
        # one, lines that meet at a lane cannot (they would read as one through it).
        top, bottom = row["top"], row["bottom"]
        free = (k for k, spans in enumerate(taken) if all(b < top or bottom < a for a, b in spans))
        k = next(free, len(taken))
        if k >= MAX_BESIDE:
            continue  # too many to tell apart at this zoom: the markers and lists hold them
        if k == len(taken):
            taken.append([])
        taken[k].append((row["top"], row["bottom"]))
        beyond = CONNECTOR_BASE + CONNECTOR_STEP * k
        if row["px"] + beyond > sum(right):
            right = (row["px"], beyond)
        out = row["x"] + _span(beyond / px_per_second)
        marker_xs, lanes = lanes_of[event]
        for j, (x, lane) in enumerate(zip(marker_xs, lanes, strict=True)):
            if j > 0:
                xs.append(out)
                ys.append(lane - ELBOW)
            xs.append(x)
            ys.append(lane)
            if j < len(lanes) - 1:
                xs.append(out)
                ys.append(lane + ELBOW)
        xs.append(None)
        ys.append(None)
    return xs, ys, right


def connector_lines(
    table: pd.DataFrame, px_per_second: float, origin: pd.Timestamp
) -> tuple[list, list, tuple[float, float]]:
    """Return the x and y of one line per event on several lanes, broken by None, and the
    right-most line beside the markers: its markers' px and how far right it reaches.

    `table` holds the marks with their `group`; a line is straight through its markers
    unless it would read as joined to another event, when it runs beside them, to their
    right (the axis is padded for it).
    """
    sizes = table.groupby("group")["group"].transform("size")
    radius = pd.Series(np.where(sizes > 1, GROUP_SIZE, MARKER_SIZE) / 2, index=table.index)
    # An event's line starts where its markers are: at its date, or at its group's first
    # date where close events share a marker.
    marker_x = table.groupby("group")["x"].transform("min")

    def to_px(x: pd.Series) -> pd.Series:
        return (x - origin).dt.total_seconds() * px_per_second

    at = table.assign(marker_x=marker_x).sort_values(["event", "y"], kind="stable")
    ends = at.groupby("event").agg(x=("marker_x", "min"), top=("y", "min"), bottom=("y", "max"))
    ends = ends[ends["top"] < ends["bottom"]]
    ends["px"] = to_px(ends["x"])
    crowded = _crowded_connectors(ends, table, to_px(marker_x), radius)
    # Each event's markers, lane by lane.
    events = at["event"].to_numpy()
    cuts = np.flatnonzero(np.diff(events)) + 1
    lanes_of = dict(zip(events[np.r_[0, cuts]] if len(events) else [],
                        zip(np.split(at["marker_x"].to_numpy(), cuts),
                            np.split(at["y"].to_numpy(), cuts), strict=True),
                        strict=True))  # fmt: skip
    xs: list = []
    ys: list = []
    for event in ends.index.difference(list(crowded)):
        marker_xs, lanes = lanes_of[event]  # vertical where they share a date
        xs += [*marker_xs, None]
        ys += [*lanes, None]
    beside = ends.loc[sorted(crowded)].sort_values(["px"], kind="stable")
    more_x, more_y, right = _lines_beside(beside, lanes_of, px_per_second)
    return xs + more_x, ys + more_y, right


def _kind_traces(
    group: pd.DataFrame,
    lone: pd.DataFrame,
    kind: str,
    style: KindStyle,
    axis: tuple[pd.Timestamp, pd.Timestamp, pd.Timedelta],
) -> list[go.Scatter]:
    """Return one kind's spans and periods as lines, then its lone markers.

    `group` holds the kind's marks, `lone` those not in a numbered marker; `axis` the
    extent's start and end and how close to an end a date label grows inwards.
    """
    start, end, edge = axis
    traces = []
    # Multi-day spans as bars; the month or year a vague date may fall in, dotted.
    for part, which, line, opacity in (
        ("spans", group["spans"], {"color": style.colour, "width": 8}, 0.6),
        ("periods", ~group["spans"] & group["vague"],
         {"color": style.colour, "width": 2, "dash": "dot"}, 0.7),
    ):  # fmt: skip
        bars = group[which]
        if len(bars):
            x, y = _lines(bars["start"], bars["last"], bars["y"], bars["y"])
            traces.append(
                go.Scatter(x=x, y=y, mode="lines", hoverinfo="skip", showlegend=False,
                           legendgroup=kind, name=f"{kind} {part}", line=line,
                           opacity=opacity)
            )  # fmt: skip
    # An entry even when all its events sit in groups: the legend names every kind shown.
    traces.append(
        go.Scatter(
            x=lone["x"], y=lone["y"], mode="markers+text", name=plotly_escape(kind),
            legendgroup=kind, customdata=lone["id"], hovertext=lone["hover"],
            hoverinfo="text", text=lone["text"],
            textposition=text_positions(lone["x"], start, end, edge),
            textfont={"size": 11, "color": LABEL_GREY},
            marker={"color": style.colour, "symbol": style.symbol, "size": MARKER_SIZE,
                    "line": {"color": "rgba(255,255,255,0.9)", "width": 1}},
            **KEEP_LOOK,
        )
    )  # fmt: skip
    return traces


def _traces(
    table: pd.DataFrame,
    styles: Mapping[str, KindStyle],
    hovers: HoverTexts,
    start: pd.Timestamp,
    end: pd.Timestamp,
    drawn: tuple[list, list, pd.Timedelta],
) -> list[go.Scatter]:
    """Return the connectors, per kind its spans, periods and lone markers, then the groups.

    `drawn` holds the connectors' x and y, and how close to an end a date label grows
    inwards.
    """
    x, y, edge = drawn
    traces = []
    traces.append(
        go.Scatter(x=x, y=y, mode="lines", hoverinfo="skip", showlegend=False, name="connectors",
                   line={"color": "rgba(128,128,128,0.6)", "width": 2})
    )  # fmt: skip
    size = table.groupby("group")["group"].transform("size")
    alone = table[size == 1]
    for kind, style in styles.items():
        group = table[table["kind"] == kind]
        if group.empty:
            continue  # a kind of the file with no event here: no legend entry
        lone = alone[alone["kind"] == kind]
        traces += _kind_traces(group, lone, kind, style, (start, end, edge))
    groups = _group_traces(table[size > 1], hovers, start, end, edge)
    # A group's bar reaches towards a later marker: under it, never over it.
    traces[1:1] = [t for t in groups if t.name == "group reaches"]
    traces += [t for t in groups if t.name != "group reaches"]
    ring = table[table["open"]]
    if len(ring):
        # Around the event's marker: its own, or its group's.
        xs = table.groupby("group")["x"].min()
        traces.append(
            go.Scatter(x=xs[ring["group"]].to_numpy(), y=ring["y"], mode="markers",
                       hoverinfo="skip", showlegend=False, name="open event",
                       marker={"symbol": "circle-open", "size": RING_SIZE, "color": "#D55E00",
                               "line": {"width": 3}}, **KEEP_LOOK)
        )  # fmt: skip
    return traces


def _group_traces(
    grouped: pd.DataFrame,
    hovers: HoverTexts,  # its names and language write the groups' hovers
    start: pd.Timestamp,
    end: pd.Timestamp,
    edge: pd.Timedelta,
) -> list:
    """Return the groups: a numbered marker at the first date, a bar to the last if later."""
    if grouped.empty:
        return []
    xs, ys, counts, ids, texts, labels = [], [], [], [], [], []
    reach_x: list = []
    reach_y: list = []
    one_day = True  # every group holds events of one known day
    for _, members in grouped.sort_values("event", kind="stable").groupby("group", sort=True):
        first, last = members["x"].min(), members["x"].max()
        xs.append(first)
        ys.append(int(members["y"].iloc[0]))
        counts.append(str(len(members)))
        ids.append(list(members["id"]))  # a click lists them, in the data's order
        texts.append(group_hover(members, hovers.names, hovers.words))
        days = members["label"].unique()
        labels.append(plotly_escape(str(days[0])) if len(days) == 1 else "")
        one_day = one_day and len(days) == 1 and not members["vague"].any()
        if last > first:  # days apart: the bar shows every member's true date
            reach_x += [first, last, None]
            reach_y += [ys[-1], ys[-1], None]
    traces = []
    if reach_x:
        traces.append(
            go.Scatter(x=reach_x, y=reach_y, mode="lines", hoverinfo="skip", showlegend=False,
                       name="group reaches", line={"color": "rgba(110,110,120,0.8)", "width": 6})
        )  # fmt: skip
    traces.append(
        go.Scatter(
            x=xs, y=ys, mode="markers+text", customdata=ids,
            # The legend says what the numbered markers hold here: two events of "July
            # 2022" are not known to be of one day.
            name=ONE_DAY if one_day else CLOSE_TOGETHER,
            hovertext=texts, hoverinfo="text", text=counts, textposition="middle center",
            textfont={"size": 12, "color": "#FFFFFF"}, showlegend=True,
            marker={"color": "#3D3F4A", "symbol": "circle", "size": GROUP_SIZE,
                    "line": {"color": "rgba(255,255,255,0.95)", "width": 2}},
            selected={"marker": {"opacity": 1}},
            unselected={"marker": {"opacity": 1}, "textfont": {"color": "#FFFFFF"}},
        )
    )  # fmt: skip
    # The date sits clear above the larger marker (a text trace has no marker to step
    # around), and grown inwards at the chart's edges like the others.
    places = [p.replace("top", "middle") for p in text_positions(xs, start, end, edge)]
    traces.append(
        go.Scatter(x=xs, y=[y - GROUP_DATES_ABOVE for y in ys], mode="text", text=labels,
                   hoverinfo="skip", showlegend=False, name=GROUP_DATES, textposition=places,
                   textfont={"size": 11, "color": LABEL_GREY}, **KEEP_LOOK)
    )  # fmt: skip
    return traces


def _extent(
    frame: pd.DataFrame, table: pd.DataFrame, window: tuple[dt.date | None, dt.date | None]
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Return the time the axis shows before padding: the events', or the chosen window.

    A window that ends before it starts (the page never asks for one) is not used.
    """
    # To the end of the last day: a day wide enough holds its events across it.
    first, last = frame["start"].min(), clip_day(frame["last"].max() + seconds(days=1))
    start = first if window[0] is None else day_stamp(window[0])
    end = last if window[1] is None else day_stamp(window[1]) + seconds(days=1)
    if end < start:
        start, end = first, last
    return pd.Timestamp(start), pd.Timestamp(end)


LABEL_HALF_PX = 45  # half of a long date label, "19 September 2022"


def _marker_spots(
    table: pd.DataFrame, px_per_second: float
) -> dict[float, list[tuple[float, float]]]:
    """Return each lane's markers as their centres and radii in px, to keep labels off."""
    sizes = table.groupby("group")["x"].agg(["min", "size"])
    lanes = table.groupby("group")["y"].first()
    spots: dict[float, list[tuple[float, float]]] = {}
    # Seconds since 1970, as clear_labels counts them: nanoseconds reach only 1677 to 2262.
    absolute = sizes["min"].to_numpy().astype("datetime64[s]").astype(np.int64) * px_per_second
    for lane, centre, size in zip(lanes, absolute, sizes["size"], strict=True):
        radius = (GROUP_SIZE if size > 1 else MARKER_SIZE) / 2
        spots.setdefault(round(float(lane), 3), []).append((float(centre), radius))
    return spots


def _day_ticks(length: pd.Timedelta) -> dict:
    """Return the time axis' ticks: on a few days' zoom, one a day, named in its middle."""
    # Events carry no time of day: Plotly's own ticks would say "12:00".
    if length > seconds(days=14):
        return {}
    return {"dtick": 86_400_000, "tickformat": "%-d %b %Y", "ticklabelmode": "period"}


@dataclass(frozen=True)
class _Scale:
    """Where the axis starts and how many px a second is, with its pads at both ends."""

    px_per_second: float
    pad_left: pd.Timedelta
    pad_right: pd.Timedelta
    connectors: tuple[list, list]


def _fit(
    table: pd.DataFrame, start: pd.Timestamp, length: pd.Timedelta, plot_px: float, empty: bool
) -> _Scale:
    """Group the marks and draw the connectors at the scale they leave room for.

    The axis is padded by what is drawn around a date, in pixels at the chart's width: the
    open event's ring, and at the right the lines drawn beside crowded markers; so nothing
    is cut from a phone to a wide screen. Sets the table's `x` and `group`.
    """
    left_px = right_px = max(RING_SIZE / 2 + 3, plot_px * 0.04)
    lines: tuple[list, list, tuple[float, float]] = ([], [], (0.0, 0.0))
    for _ in range(4):  # again with room for the lines beside the right-most markers
        inner = max(plot_px - left_px - right_px, MIN_PLOT_PX / 2)
        px_per_second = inner / length.total_seconds()
        pad_left, pad_right = _span(left_px / px_per_second), _span(right_px / px_per_second)
        if empty:
            break
        table["x"] = spread_days(table, px_per_second)
        table["group"] = group_marks(table, _span(MARKER_SIZE / px_per_second))
        lines = connector_lines(table, px_per_second, start - pad_left)
        at, beyond = lines[2]
        if at + beyond <= plot_px - CLEAR_PX:
            break
        # The pad that brings that line within the plot at the scale it then has.
        share = (at - left_px) / inner
        room = plot_px - CLEAR_PX - beyond - left_px
        right_px = max(right_px + 1, plot_px - left_px - room / share if share > 0 else 0)
    return _Scale(px_per_second, pad_left, pad_right, (lines[0], lines[1]))


def _layout(lanes: list[Lane], width: int | None, x_range: list, length: pd.Timedelta) -> dict:
    """Return the timeline's layout: its height for its lanes, the time axis, the lane names."""
    n = len(lanes)
    return dict(
        height=max(260, 110 + LANE_HEIGHT * n),
        margin=MARGIN,
        # Which width the groups were made for: a browser test waits for the measured one.
        meta={"grouped_for_px": width},
        hovermode="closest",
        hoverlabel=HOVER_LABEL,
        legend=LEGEND,
        # Fixed axes: Plotly then leaves a finger's drag to the page, which scrolls, and a
        # drag's zoom would never reach the URL (only selections come back to the page).
        # The zoom has its own controls above the chart, kept in the URL (page/zoom.py).
        xaxis={"type": "date", "showgrid": True, "fixedrange": True, **_day_ticks(length),
               "range": x_range, "automargin": True},
        yaxis={
            "tickmode": "array", "tickvals": list(range(n)),
            "ticktext": [lane_tick(lane) for lane in lanes],
            "autorange": "reversed", "showgrid": True, "zeroline": False, "fixedrange": True,
            "range": [n - 0.5, -0.5],
            # The lane names push the margin as wide as they are: never cut, at any width.
            "automargin": True,
        },
        # No drag: a finger on the chart scrolls the page, and a tap is a click.
        dragmode=False,
        clickmode="event+select",
    )  # fmt: skip


def timeline_figure(
    frame: pd.DataFrame,
    people: Mapping[str, Person],
    *,
    layout: LaneLayout | None = None,
    open_event: str | None = None,
    kinds: Iterable[str] = (),
    hovers: HoverTexts | None = None,
    window: tuple[dt.date | None, dt.date | None] = (None, None),
    width: int | None = None,
    words: Translator | None = None,
) -> go.Figure:
    """Return the timeline of these events on their lanes (leaders unless `layout` says).

    `kinds` fixes the colours across filters (the frame's own kinds are added to it);
    `window` is the chosen first and last day, which the axis shows whatever the events'
    own extent; `hovers` keeps hover texts between calls; `width` is the chart's width in
    pixels where the page has measured it, which decides which markers would touch.
    `words` is the language of hovers written here when no `hovers` are given.
    """
    if layout is None:
        everyone = np.ones(len(frame), dtype=bool)
        layout = Membership.build(frame, people, "leader").layout(everyone, people, "file")
    if len(layout.places) != len(frame):
        places = len(layout.places)
        raise ValueError(f"expected a place for each of {len(frame)} events, got {places}")
    styles = kind_styles([*kinds, *frame["kind"].unique()])
    store = hovers or HoverTexts(people, words)
    texts = store.of(frame)
    table = marks(frame, layout, texts, open_event)
    fig = go.Figure()
    start = end = pd.Timestamp("2000-01-01")
    if not frame.empty:
        start, end = _extent(frame, table, window)
    plot_px = MARKER_SIZE / marker_share(width, layout.lanes)
    # At least a day: one event's day, or a zoom to one day, is drawn across the chart.
    length = max(end - start, seconds(days=1))
    scale = _fit(table, start, length, plot_px, frame.empty)
    if not frame.empty:
        # A date label grows inwards when half of it would reach past the plot's edge.
        px_per_second = scale.px_per_second
        edge = _span(LABEL_HALF_PX / px_per_second) - min(scale.pad_left, scale.pad_right)
        traces = _traces(table, styles, store, start, end, (*scale.connectors, edge))
        clear_labels(traces, px_per_second, _marker_spots(table, px_per_second))
        fig.add_traces(traces)
    x_range = within_calendar(start - scale.pad_left, start + length + scale.pad_right)
    fig.update_layout(**_layout(layout.lanes, width, x_range, length))
    return themed(fig)


def in_language(fig: go.Figure, t: Translator, width: int | None = None) -> go.Figure:
    """Name a timeline in the translator's language: its legend, its markers' counts, the
    lane of events without one and the time axis' ticks (English untouched).

    Plotly names its own ticks in English only. The axis runs left to right in every
    language, the earliest date on the left, as in the readers' own papers' charts of time.
    """
    if t.lang == DEFAULT_LANG:
        return fig
    legend = (*KNOWN_KINDS, ONE_DAY, CLOSE_TOGETHER)
    for trace in fig.data:
        if trace.name in (ONE_DAY, CLOSE_TOGETHER) and trace.text is not None:
            trace.text = [t.digits(str(text)) for text in trace.text]
        if trace.showlegend is not False and trace.name in legend:
            trace.name = t.gettext(trace.name)
    lanes = fig.layout.yaxis.ticktext
    if lanes:
        fig.update_yaxes(ticktext=[t.gettext(n) if n in NO_LANE.values() else n for n in lanes])
    return name_axis(fig, t, width)


def name_axis(fig: go.Figure, t: Translator, width: int | None = None) -> go.Figure:
    """Name a date axis' ticks in the translator's language (English keeps Plotly's own)."""
    shown = fig.layout.xaxis.range
    if t.lang == DEFAULT_LANG or not shown:
        return fig
    first, last = (pd.Timestamp(end).date() for end in shown)
    days, names = t.ticks(first, last, most=max(2, (width or 800) // 120))
    fig.update_xaxes(
        tickmode="array", tickvals=[d.isoformat() for d in days], ticktext=names,
        ticklabelmode="instant", dtick=None, tickformat=None,
    )  # fmt: skip
    return fig
