"""The swimlane timeline: one lane per leader, state or tag; one marker per event and lane.

Built in steps, as plotly express builds its figures: the marks as one table (an event on
each of its lanes), traces from a group-by on kind, then the layout.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..dates import day_stamp, seconds, within_calendar
from ..lanes import Lane, LaneLayout, Membership
from ..schema import Person
from ..text import plotly_escape
from .hover import HoverTexts, group_hover
from .style import HOVER_LABEL, LEGEND, KindStyle, kind_styles, lane_tick

MARKER_SIZE = 15
# A click selects a point (that is how Streamlit hears it); Plotly would then fade every
# other marker, as if the filters had changed. The chart keeps its look instead.
LABEL_GREY = "rgba(128,128,128,1)"
KEEP_LOOK = {
    "selected": {"marker": {"opacity": 1}},
    "unselected": {"marker": {"opacity": 1}, "textfont": {"color": LABEL_GREY}},
}
LANE_HEIGHT = 56


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
    xs = table["x"].copy()
    day_px = 86_400 * px_per_second
    exact = table[~table["vague"]]
    if exact.empty or day_px < MARKER_SIZE + GAP_PX:
        return xs
    for _, marks_of_day in exact.groupby("x", sort=False):
        events = np.unique(marks_of_day["event"].to_numpy())  # sorted: the data's order
        if day_px < len(events) * (MARKER_SIZE + GAP_PX):
            continue
        place = np.searchsorted(events, marks_of_day["event"].to_numpy())
        step = 86_400 / len(events)
        xs[marks_of_day.index] = marks_of_day["x"] + pd.to_timedelta(
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
    markers: Mapping[float, list[tuple[float, float]]], lane: float, anchor: float,
    left: float, right: float,
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


def _traces(
    table: pd.DataFrame,
    styles: Mapping[str, KindStyle],
    people: Mapping[str, Person],
    start: pd.Timestamp,
    end: pd.Timestamp,
) -> list[go.Scatter]:
    """Return the connectors, per kind its spans, periods and lone markers, then the groups."""
    traces = []
    joined = table.groupby("event").agg(x=("x", "first"), top=("y", "min"), bottom=("y", "max"))
    joined = joined[joined["top"] < joined["bottom"]]
    x, y = _lines(joined["x"], joined["x"], joined["top"], joined["bottom"])
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
        lone = alone[alone["kind"] == kind]
        # An entry even when all its events sit in groups: the legend names every kind shown.
        traces.append(
            go.Scatter(
                x=lone["x"], y=lone["y"], mode="markers+text", name=plotly_escape(kind),
                legendgroup=kind, customdata=lone["id"], hovertext=lone["hover"],
                hoverinfo="text", text=lone["text"],
                textposition=text_positions(lone["x"], start, end),
                textfont={"size": 11, "color": LABEL_GREY},
                marker={"color": style.colour, "symbol": style.symbol, "size": MARKER_SIZE,
                        "line": {"color": "rgba(255,255,255,0.9)", "width": 1}},
                **KEEP_LOOK,
            )
        )  # fmt: skip
    traces += _group_traces(table[size > 1], people, start, end)
    ring = table[table["open"]]
    if len(ring):
        # Around the event's marker: its own, or its group's.
        xs = table.groupby("group")["x"].min()
        traces.append(
            go.Scatter(x=xs[ring["group"]].to_numpy(), y=ring["y"], mode="markers",
                       hoverinfo="skip", showlegend=False, name="open event",
                       marker={"symbol": "circle-open", "size": 32, "color": "#D55E00",
                               "line": {"width": 3}})
        )  # fmt: skip
    return traces


def _group_traces(
    grouped: pd.DataFrame, people: Mapping[str, Person], start: pd.Timestamp, end: pd.Timestamp
) -> list:
    """Return the groups: a numbered marker at the first date, a bar to the last if later."""
    if grouped.empty:
        return []
    xs, ys, counts, ids, hovers, labels = [], [], [], [], [], []
    reach_x: list = []
    reach_y: list = []
    one_day = True  # every group holds events of one known day
    for _, members in grouped.sort_values("event", kind="stable").groupby("group", sort=True):
        first, last = members["x"].min(), members["x"].max()
        xs.append(first)
        ys.append(int(members["y"].iloc[0]))
        counts.append(str(len(members)))
        ids.append(list(members["id"]))  # a click lists them, in the data's order
        hovers.append(group_hover(members, people))
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
            hovertext=hovers, hoverinfo="text", text=counts, textposition="middle center",
            textfont={"size": 12, "color": "#FFFFFF"}, showlegend=True,
            marker={"color": "#3D3F4A", "symbol": "circle", "size": GROUP_SIZE,
                    "line": {"color": "rgba(255,255,255,0.95)", "width": 2}},
            selected={"marker": {"opacity": 1}},
            unselected={"marker": {"opacity": 1}, "textfont": {"color": "#FFFFFF"}},
        )
    )  # fmt: skip
    # The date sits clear above the larger marker (a text trace has no marker to step
    # around), and grown inwards at the chart's edges like the others.
    places = [p.replace("top", "middle") for p in text_positions(xs, start, end)]
    traces.append(
        go.Scatter(x=xs, y=[y - GROUP_DATES_ABOVE for y in ys], mode="text", text=labels,
                   hoverinfo="skip", showlegend=False, name=GROUP_DATES, textposition=places,
                   textfont={"size": 11, "color": LABEL_GREY})
    )  # fmt: skip
    return traces


def _extent(
    frame: pd.DataFrame, table: pd.DataFrame, window: tuple[dt.date | None, dt.date | None]
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Return the time the axis shows before padding: the events', or the chosen window.

    A window that ends before it starts (the page never asks for one) is not used.
    """
    first, last = frame["start"].min(), frame["last"].max()
    start = first if window[0] is None else day_stamp(window[0])
    end = last if window[1] is None else day_stamp(window[1]) + seconds(days=1)
    if end < start:
        start, end = first, last
    return pd.Timestamp(start), pd.Timestamp(end)


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
) -> go.Figure:
    """Return the timeline of these events on their lanes (leaders unless `layout` says).

    `kinds` fixes the colours across filters (the frame's own kinds are added to it);
    `window` is the chosen first and last day, which the axis shows whatever the events'
    own extent; `hovers` keeps hover texts between calls; `width` is the chart's width in
    pixels where the page has measured it, which decides which markers would touch.
    """
    if layout is None:
        everyone = np.ones(len(frame), dtype=bool)
        layout = Membership.build(frame, people, "leader").layout(everyone, people, "file")
    if len(layout.places) != len(frame):
        places = len(layout.places)
        raise ValueError(f"expected a place for each of {len(frame)} events, got {places}")
    styles = kind_styles([*kinds, *frame["kind"].unique()])
    texts = (hovers or HoverTexts(people)).of(frame)
    table = marks(frame, layout, texts, open_event)
    fig = go.Figure()
    start = end = pd.Timestamp("2000-01-01")
    if not frame.empty:
        start, end = _extent(frame, table, window)
    pad = max((end - start) * 0.04, seconds(days=5))
    if not frame.empty:
        share = marker_share(width, layout.lanes)
        near = (end - start + 2 * pad) * share
        table["group"] = group_marks(table, near)
        traces = _traces(table, styles, people, start, end)
        clear_labels(traces, MARKER_SIZE / share / (end - start + 2 * pad).total_seconds())
        fig.add_traces(traces)
    n = len(layout.lanes)
    fig.update_layout(
        height=max(260, 110 + LANE_HEIGHT * n),
        margin=MARGIN,
        # Which width the groups were made for: a browser test waits for the measured one.
        meta={"grouped_for_px": width},
        hovermode="closest",
        hoverlabel=HOVER_LABEL,
        legend=LEGEND,
        # Fixed axes: Plotly then leaves a finger's drag to the page, which scrolls. The
        # dates are chosen in the sidebar (and the URL), not by zooming.
        xaxis={"type": "date", "range": within_calendar(start - pad, end + pad), "showgrid": True,
               "fixedrange": True},
        yaxis={
            "tickmode": "array", "tickvals": list(range(n)),
            "ticktext": [lane_tick(lane) for lane in layout.lanes],
            "autorange": "reversed", "showgrid": True, "zeroline": False, "fixedrange": True,
            "range": [n - 0.5, -0.5],
        },
        # No drag: a finger on the chart scrolls the page, and a tap is a click.
        dragmode=False,
        clickmode="event+select",
    )  # fmt: skip
    return fig
