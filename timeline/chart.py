"""The swimlane timeline: one lane per leader, one marker per event and lane."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from .schema import Person
from .text import plotly_escape as escape
from .text import shorten, wrap_html

# Okabe–Ito: told apart by readers with the common colour-vision deficiencies, and legible
# on Streamlit's light and dark backgrounds (its black is replaced by a grey).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#999999"]
SYMBOLS = ["circle", "diamond", "square", "triangle-up", "star", "hexagon", "pentagon", "cross"]
KNOWN_KINDS = ["meeting", "summit", "visit", "agreement", "statement", "report"]
NO_LEADER = "No named leader"
HOVER_WIDTH = 60
QUOTE_LIMIT = 220
QUOTES_IN_HOVER = 3


def kind_styles(kinds: list[str]) -> dict[str, tuple[str, str]]:
    """Give each kind a colour and a marker symbol; the usual kinds always get the same."""
    ordered = [k for k in KNOWN_KINDS if k in kinds] + sorted(set(kinds) - set(KNOWN_KINDS))
    styles = {}
    for kind in ordered:
        i = KNOWN_KINDS.index(kind) if kind in KNOWN_KINDS else len(styles)
        styles[kind] = (PALETTE[i % len(PALETTE)], SYMBOLS[i % len(SYMBOLS)])
    return styles


def person_label(person: Person) -> str:
    """Return a person as a lane shows them: name and country."""
    return f"{person.name} ({person.country})" if person.country else person.name


def lane_order(frame: pd.DataFrame, people: Mapping[str, Person]) -> list[str | None]:
    """Return the lanes for these events: leaders in the file's order, then the no-leader lane."""
    present = {p for leaders in frame["leaders"] for p in leaders}
    lanes: list[str | None] = [p for p in people if p in present]
    if (frame["leaders"].map(len) == 0).any():
        lanes.append(None)
    return lanes


def hover_text(row: Mapping, people: Mapping[str, Person]) -> str:
    """Return the escaped hover of one event: title, date, place, who, and the quotes."""
    name = lambda pid: people[pid].name if pid in people else pid  # noqa: E731
    lines = [f"<b>{wrap_html(row['title'], HOVER_WIDTH)}</b>"]
    where = f" · {escape(row['place'])}" if row["place"] else ""
    lines.append(f"{escape(row['date_label'])}{where}")
    lines.append(f"{escape(row['kind'].capitalize())}")
    if row["leaders"]:
        lines.append("With: " + wrap_html(", ".join(name(p) for p in row["leaders"]), HOVER_WIDTH))
    for quote in row["quotes"][:QUOTES_IN_HOVER]:
        said = wrap_html(f"“{shorten(quote['text'], QUOTE_LIMIT)}”", HOVER_WIDTH)
        lines.append(f"<br>{said}<br><i>— {escape(name(quote['by']))}</i>")
    more = len(row["quotes"]) - QUOTES_IN_HOVER
    if more > 0:
        lines.append(f"<br><i>and {more} more {'quote' if more == 1 else 'quotes'}</i>")
    lines.append("<br><i>Click to open the details</i>")
    return "<br>".join(lines)


def dodge(frame: pd.DataFrame, y_of: Mapping[str | None, int]) -> dict[str, pd.Timedelta]:
    """Spread events that start on the same day side by side, so none hides another.

    Each event of a crowded day gets its own column, a small fraction of the whole range
    apart, so its markers and its connector stay apart from the others'.
    """
    span = frame["last"].max() - frame["start"].min() if len(frame) else pd.Timedelta(0)
    step = max(span * 0.022, pd.Timedelta(hours=6))
    shift: dict[str, pd.Timedelta] = {}
    for _, day in frame.groupby("start", sort=False):
        top = day["leaders"].map(lambda ls: min((y_of[p] for p in ls), default=len(y_of)))
        ordered = day.assign(_top=top).sort_values(["_top", "id"])["id"]
        # Day-precise events centre on their day; a month or year starts at its first day,
        # so its markers only move later, never into the period before.
        centre = (len(ordered) - 1) / 2 if (day["precision"] == "day").all() else 0
        for k, eid in enumerate(ordered):
            shift[eid] = step * (k - centre)
    return shift


def build_figure(
    frame: pd.DataFrame,
    people: Mapping[str, Person],
    open_event: str | None = None,
    kinds: list[str] | None = None,
) -> go.Figure:
    """Return the timeline figure for these events (kinds fixes colours across filters)."""
    styles = kind_styles(kinds if kinds is not None else sorted(frame["kind"].unique()))
    lanes = lane_order(frame, people)
    y_of = {lane: i for i, lane in enumerate(lanes)}
    fig = go.Figure()

    connector_x: list = []
    connector_y: list = []
    per_kind: dict[str, dict[str, list]] = {
        k: {
            "x": [],
            "y": [],
            "id": [],
            "hover": [],
            "text": [],
            "span_x": [],
            "span_y": [],
            "period_x": [],
            "period_y": [],
        }
        for k in styles
    }
    highlight_x: list = []
    highlight_y: list = []
    shift = dodge(frame, y_of)
    labelled: set[tuple] = set()
    for row in frame.to_dict("records"):
        rows_y = [y_of[p] for p in row["leaders"]] or [y_of[None]]
        hover = hover_text(row, people)
        bucket = per_kind[row["kind"]]
        imprecise = row["precision"] != "day"
        x = row["start"] + shift[row["id"]]
        for y in rows_y:
            bucket["x"].append(x)
            bucket["y"].append(y)
            bucket["id"].append(row["id"])
            bucket["hover"].append(hover)
            # One period label per lane and start is enough; more would overprint.
            label = imprecise and (row["start"], y) not in labelled
            labelled.add((row["start"], y))
            bucket["text"].append(escape(row["date_label"]) if label else "")
            if not pd.isna(row["end"]):
                bucket["span_x"] += [row["start"], row["last"], None]
                bucket["span_y"] += [y, y, None]
            elif imprecise:
                # The whole month or year the event may fall in, drawn faintly.
                bucket["period_x"] += [row["start"], row["last"], None]
                bucket["period_y"] += [y, y, None]
            if row["id"] == open_event:
                highlight_x.append(x)
                highlight_y.append(y)
        if len(rows_y) > 1:
            connector_x += [x, x, None]
            connector_y += [min(rows_y), max(rows_y), None]

    fig.add_trace(
        go.Scatter(
            x=connector_x,
            y=connector_y,
            mode="lines",
            hoverinfo="skip",
            showlegend=False,
            line={"color": "rgba(128,128,128,0.6)", "width": 2},
            name="connectors",
        )
    )
    for kind, (colour, symbol) in styles.items():
        b = per_kind[kind]
        if not b["x"]:
            continue
        if b["span_x"]:
            fig.add_trace(
                go.Scatter(
                    x=b["span_x"],
                    y=b["span_y"],
                    mode="lines",
                    hoverinfo="skip",
                    showlegend=False,
                    legendgroup=kind,
                    name=f"{kind} spans",
                    line={"color": colour, "width": 8},
                    opacity=0.6,
                )
            )
        if b["period_x"]:
            fig.add_trace(
                go.Scatter(
                    x=b["period_x"],
                    y=b["period_y"],
                    mode="lines",
                    hoverinfo="skip",
                    showlegend=False,
                    legendgroup=kind,
                    name=f"{kind} periods",
                    line={"color": colour, "width": 2, "dash": "dot"},
                    opacity=0.7,
                )
            )
        fig.add_trace(
            go.Scatter(
                x=b["x"],
                y=b["y"],
                mode="markers+text",
                name=escape(kind),
                legendgroup=kind,
                customdata=b["id"],
                hovertext=b["hover"],
                hoverinfo="text",
                text=b["text"],
                textposition="top center",
                textfont={"size": 11, "color": "rgba(128,128,128,1)"},
                marker={
                    "color": colour,
                    "symbol": symbol,
                    "size": 15,
                    "line": {"color": "rgba(255,255,255,0.9)", "width": 1},
                },
            )
        )
    if highlight_x:
        fig.add_trace(
            go.Scatter(
                x=highlight_x,
                y=highlight_y,
                mode="markers",
                hoverinfo="skip",
                showlegend=False,
                name="open event",
                marker={
                    "symbol": "circle-open",
                    "size": 28,
                    "color": "#D55E00",
                    "line": {"width": 3},
                },
            )
        )

    labels = [NO_LEADER if lane is None else escape(person_label(people[lane])) for lane in lanes]
    shifts = pd.Series(list(shift.values()), dtype="timedelta64[ns]")
    start = frame["start"].min() + min(shifts.min(), pd.Timedelta(0))
    end = max(frame["last"].max(), frame["start"].max() + shifts.max())
    pad = max((end - start) * 0.04, pd.Timedelta(days=5))
    fig.update_layout(
        height=max(260, 110 + 56 * len(lanes)),
        margin={"l": 10, "r": 10, "t": 40, "b": 30},
        hovermode="closest",
        hoverlabel={"align": "left", "font": {"size": 13}},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "title": None},
        xaxis={"type": "date", "range": [start - pad, end + pad], "showgrid": True},
        yaxis={
            "tickmode": "array",
            "tickvals": list(range(len(lanes))),
            "ticktext": labels,
            "autorange": "reversed",
            "showgrid": True,
            "zeroline": False,
            "fixedrange": True,
            "range": [len(lanes) - 0.5, -0.5],
        },
        dragmode="pan",
        clickmode="event+select",
    )
    return fig
