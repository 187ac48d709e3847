"""The swimlane timeline: one lane per leader, state or tag; one marker per event and lane.

Built in steps, as plotly express builds its figures: the marks as one table (an event on
each of its lanes), traces from a group-by on kind, then the layout.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..dates import day_stamp, seconds, within_calendar
from ..lanes import LaneLayout, Membership
from ..schema import Person
from ..text import plotly_escape
from .hover import HoverTexts
from .style import HOVER_LABEL, LEGEND, KindStyle, kind_styles, lane_tick

MARKER_SIZE = 15
LANE_HEIGHT = 56


def text_positions(xs: Iterable, start: pd.Timestamp, end: pd.Timestamp) -> list[str]:
    """Return where each marker's date label goes, so that none is cut at the chart's edges."""
    edge = (end - start) * 0.12
    # Seconds, never nanoseconds, which reach only 1677 to 2262.
    x = np.asarray(list(xs), dtype="datetime64[s]")
    left, right = np.datetime64(start + edge, "s"), np.datetime64(end - edge, "s")
    return np.where(x < left, "top right", np.where(x > right, "top left", "top center")).tolist()


def dodge(frame: pd.DataFrame, places: list[list[int]]) -> np.ndarray:
    """Move apart only the events of one day that would hide each other, as little as possible.

    An event takes the lanes from its top one to its bottom one, connector included. Events
    of a day whose lanes overlap get columns a small fraction of the range apart; the others
    stay on their date. Day-precise columns go 0, +1, -1, +2, ... around the day; a month or
    year starts at its first day, so its columns go 0, +1, +2, ... and never into the period
    before. Returns each event's shift in seconds.
    """
    shift = np.zeros(len(frame), dtype="timedelta64[s]")
    if frame.empty:
        return shift
    span = frame["last"].max() - frame["start"].min()
    step = max(span * 0.02, seconds(hours=6)).to_timedelta64()  # 15 px markers touch at 1.6%
    ids = frame["id"].tolist()
    precise = (frame["precision"] == "day").to_numpy()
    _, day_of, size = np.unique(frame["start"].to_numpy(), return_inverse=True, return_counts=True)
    days: dict[int, list[int]] = {}
    for i in np.flatnonzero(size[day_of] > 1).tolist():  # most days hold one event
        days.setdefault(int(day_of[i]), []).append(i)
    for members in days.values():
        # Greedy colouring by top lane colours intervals with as few columns as possible.
        members.sort(key=lambda i: (min(places[i]), ids[i]))
        placed: list[tuple[int, int, int]] = []  # (top, bottom, column)
        centred = bool(precise[members].all())
        for i in members:
            top, bottom = min(places[i]), max(places[i])
            taken = {c for t, b, c in placed if t <= bottom and top <= b}
            column = next(c for c in range(len(members)) if c not in taken)
            placed.append((top, bottom, column))
            # Columns 1, 2, 3, 4 sit at +1, -1, +2, -2 around a day; after a month's start.
            k = (column + 1) // 2 * (1 if column % 2 else -1) if centred else column
            shift[i] = step * k
    return shift


def marks(
    frame: pd.DataFrame, layout: LaneLayout, hovers: list[str], open_event: str | None
) -> pd.DataFrame:
    """Return one row per event and lane: where its marker goes, its hover and its label."""
    shift = dodge(frame, layout.places)
    counts = [len(p) for p in layout.places]
    at = np.repeat(np.arange(len(frame)), counts)
    rows = frame.iloc[at].reset_index(drop=True)
    out = pd.DataFrame(
        {
            "event": at,
            "id": rows["id"],
            "kind": rows["kind"],
            "x": (rows["start"].to_numpy() + shift[at]).astype("datetime64[s]"),
            "y": [y for place in layout.places for y in place],
            "start": rows["start"],
            "last": rows["last"],
            "spans": rows["end"].notna(),
            "vague": (rows["precision"] != "day").to_numpy(),
            "hover": np.asarray(hovers, dtype=object)[at] if len(at) else [],
            "open": (rows["id"] == open_event).to_numpy(),
        }
    )
    # One period label per lane and start is enough; more would overprint.
    first = ~out.duplicated(["start", "y"])
    labels = rows["date_label"].map(plotly_escape)
    out["text"] = np.where(out["vague"] & first, labels, "")
    return out


def _lines(xs0: Iterable, xs1: Iterable, ys0: Iterable, ys1: Iterable) -> tuple[list, list]:
    """Return one scatter's x and y for separate segments, broken by None."""
    x: list = []
    y: list = []
    for a, b, c, d in zip(xs0, xs1, ys0, ys1, strict=True):
        x += [a, b, None]
        y += [c, d, None]
    return x, y


def _traces(table: pd.DataFrame, styles: Mapping[str, KindStyle], start, end) -> list[go.Scatter]:
    """Return the connectors, then per kind its spans, periods and markers, then the ring."""
    traces = []
    joined = table.groupby("event").agg(x=("x", "first"), top=("y", "min"), bottom=("y", "max"))
    joined = joined[joined["top"] < joined["bottom"]]
    x, y = _lines(joined["x"], joined["x"], joined["top"], joined["bottom"])
    traces.append(
        go.Scatter(x=x, y=y, mode="lines", hoverinfo="skip", showlegend=False, name="connectors",
                   line={"color": "rgba(128,128,128,0.6)", "width": 2})
    )  # fmt: skip
    for kind, group in table.groupby("kind", sort=False):
        style = styles[str(kind)]
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
        traces.append(
            go.Scatter(
                x=group["x"], y=group["y"], mode="markers+text", name=plotly_escape(str(kind)),
                legendgroup=kind, customdata=group["id"], hovertext=group["hover"],
                hoverinfo="text", text=group["text"],
                textposition=text_positions(group["x"], start, end),
                textfont={"size": 11, "color": "rgba(128,128,128,1)"},
                marker={"color": style.colour, "symbol": style.symbol, "size": MARKER_SIZE,
                        "line": {"color": "rgba(255,255,255,0.9)", "width": 1}},
            )
        )  # fmt: skip
    ring = table[table["open"]]
    if len(ring):
        traces.append(
            go.Scatter(x=ring["x"], y=ring["y"], mode="markers", hoverinfo="skip",
                       showlegend=False, name="open event",
                       marker={"symbol": "circle-open", "size": 28, "color": "#D55E00",
                               "line": {"width": 3}})
        )  # fmt: skip
    return traces


def _extent(
    frame: pd.DataFrame, table: pd.DataFrame, window: tuple[dt.date | None, dt.date | None]
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Return the time the axis shows before padding: the events', or the chosen window."""
    start = min(frame["start"].min(), table["x"].min())
    end = max(frame["last"].max(), table["x"].max())
    if window[0] is not None:
        start = day_stamp(window[0])
    if window[1] is not None:
        end = day_stamp(window[1]) + seconds(days=1)
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
) -> go.Figure:
    """Return the timeline of these events on their lanes (leaders unless `layout` says).

    `kinds` fixes the colours across filters (the frame's own kinds are added to it);
    `window` is the chosen first and last day, which the axis shows whatever the events'
    own extent; `hovers` keeps hover texts between calls.
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
    if frame.empty:
        start = end = pd.Timestamp("2000-01-01")
    else:
        start, end = _extent(frame, table, window)
        fig.add_traces(_traces(table, styles, start, end))
    pad = max((end - start) * 0.04, seconds(days=5))
    n = len(layout.lanes)
    fig.update_layout(
        height=max(260, 110 + LANE_HEIGHT * n),
        margin={"l": 10, "r": 10, "t": 40, "b": 30},
        hovermode="closest",
        hoverlabel=HOVER_LABEL,
        legend=LEGEND,
        xaxis={"type": "date", "range": within_calendar(start - pad, end + pad), "showgrid": True},
        yaxis={
            "tickmode": "array", "tickvals": list(range(n)),
            "ticktext": [lane_tick(lane) for lane in layout.lanes],
            "autorange": "reversed", "showgrid": True, "zeroline": False, "fixedrange": True,
            "range": [n - 0.5, -0.5],
        },
        dragmode="pan",
        clickmode="event+select",
    )  # fmt: skip
    return fig
