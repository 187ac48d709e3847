"""The swimlane timeline: one lane per leader, one marker per event and lane."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .dates import clip_day, day_stamp, parse_partial_date, seconds, within_calendar
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
# Light text on a dark box reads in both themes; Streamlit's grey on white was 3.7:1.
HOVER_LABEL = {
    "align": "left",
    "bgcolor": "#262730",
    "bordercolor": "#808495",
    "font": {"size": 13, "color": "#FAFAFA"},
}
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
    """Return a person as one line of text: name and country."""
    return f"{person.name} ({person.country})" if person.country else person.name


def lane_label(person: Person) -> str:
    """Return the escaped label of a timeline lane: the name, and the country below it."""
    # Two lines keep the label column narrow, which matters on a phone.
    name = escape(person.name)
    return f"{name}<br>({escape(person.country)})" if person.country else name


def text_positions(xs: list, start: pd.Timestamp, end: pd.Timestamp) -> list[str]:
    """Return where each marker's date label goes, so that none is cut at the chart's edges."""
    edge = (end - start) * 0.12
    # Seconds, never nanoseconds, which reach only 1677 to 2262.
    x = np.asarray(xs, dtype="datetime64[s]")
    left, right = np.datetime64(start + edge, "s"), np.datetime64(end - edge, "s")
    return np.where(x < left, "top right", np.where(x > right, "top left", "top center")).tolist()


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
    """Move apart only the events of one day that would hide each other, as little as possible.

    An event takes the lanes from its top leader to its bottom one, connector included (the
    no-leader lane if it has none). Events of a day whose lanes overlap get columns a small
    fraction of the range apart; the others stay on their date. Day-precise columns go
    0, +1, -1, +2, ... around the day; a month or year starts at its first day, so its
    columns go 0, +1, +2, ... and never into the period before.
    """
    if frame.empty:
        return {}
    span = frame["last"].max() - frame["start"].min()
    step = max(span * 0.02, seconds(hours=6))  # 15 px markers touch at about 1.6%
    no_lane = len(y_of)
    ids = frame["id"].tolist()
    leaders = frame["leaders"].tolist()
    precise = (frame["precision"] == "day").to_numpy()
    shift = dict.fromkeys(ids, seconds())
    _, day_of, size = np.unique(frame["start"].to_numpy(), return_inverse=True, return_counts=True)
    days: dict[int, list[int]] = {}
    for i in np.flatnonzero(size[day_of] > 1).tolist():  # most days hold one event
        days.setdefault(day_of[i], []).append(i)
    for members in days.values():
        lanes = {i: [y_of[p] for p in leaders[i]] or [no_lane] for i in members}
        # Greedy colouring by top lane colours intervals with as few columns as possible.
        members.sort(key=lambda i: (min(lanes[i]), ids[i]))
        placed: list[tuple[int, int, int]] = []  # (top, bottom, column)
        centred = bool(precise[members].all())
        for i in members:
            top, bottom = min(lanes[i]), max(lanes[i])
            taken = {c for t, b, c in placed if t <= bottom and top <= b}
            column = next(c for c in range(len(members)) if c not in taken)
            placed.append((top, bottom, column))
            # Columns 1, 2, 3, 4 sit at +1, -1, +2, -2 around a day; after a month's start.
            k = (column + 1) // 2 * (1 if column % 2 else -1) if centred else column
            shift[ids[i]] = step * k
    return shift


def build_figure(
    frame: pd.DataFrame,
    people: Mapping[str, Person],
    open_event: str | None = None,
    kinds: list[str] | None = None,
    hovers: dict[str, str] | None = None,
    window: tuple[dt.date | None, dt.date | None] = (None, None),
) -> go.Figure:
    """Return the timeline figure for these events (kinds fixes colours across filters).

    `hovers` may carry hover texts from earlier calls, by event id, and is filled in.
    `window` is the chosen first and last day, which the axis then shows, whatever the
    events' own extent.
    """
    hovers = {} if hovers is None else hovers
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
        hover = hovers.get(row["id"])
        if hover is None:
            hover = hovers[row["id"]] = hover_text(row, people)
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

    shifts = pd.Series(list(shift.values()), dtype="timedelta64[s]")
    start = frame["start"].min() + min(shifts.min(), seconds())
    end = max(frame["last"].max(), frame["start"].max() + shifts.max())
    if window[0] is not None:
        start = day_stamp(window[0])
    if window[1] is not None:
        end = day_stamp(window[1]) + seconds(days=1)
    pad = max((end - start) * 0.04, seconds(days=5))
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
        # Multi-day spans as bars; the month or year a vague date may fall in, dotted.
        for part, line, opacity in (
            ("span", {"color": colour, "width": 8}, 0.6),
            ("period", {"color": colour, "width": 2, "dash": "dot"}, 0.7),
        ):
            if b[f"{part}_x"]:
                fig.add_trace(
                    go.Scatter(
                        x=b[f"{part}_x"], y=b[f"{part}_y"], mode="lines", hoverinfo="skip",
                        showlegend=False, legendgroup=kind, name=f"{kind} {part}s", line=line,
                        opacity=opacity,
                    )
                )  # fmt: skip
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
                textposition=text_positions(b["x"], start, end),
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

    labels = [NO_LEADER if lane is None else lane_label(people[lane]) for lane in lanes]
    fig.update_layout(
        height=max(260, 110 + 56 * len(lanes)),
        margin={"l": 10, "r": 10, "t": 40, "b": 30},
        hovermode="closest",
        hoverlabel=HOVER_LABEL,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "title": None},
        xaxis={"type": "date", "range": within_calendar(start - pad, end + pad), "showgrid": True},
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


MAX_MARKERS = 1000  # above this, one marker per event is neither readable nor quick


def period_unit(first: pd.Timestamp, last: pd.Timestamp) -> tuple[str, str]:
    """Choose a bin for a date range so that there are at most about 150: month, quarter, year."""
    years = (last - first).days / 365.25
    if years <= 12:
        return "M", "month"
    if years <= 36:
        return "Q", "quarter"
    return "Y", "year"


def density_figure(
    frame: pd.DataFrame, mask: np.ndarray, people: Mapping[str, Person], index
) -> go.Figure:
    """Return a heatmap of events per period per lane, for selections too large for markers."""
    rows, codes = index.lanes(mask)
    names = np.array((*index.names, None), dtype=object)
    alone = np.flatnonzero(mask & (np.bincount(index.rows, minlength=len(frame)) == 0))
    rows = np.concatenate([rows, alone])
    codes = np.concatenate([codes, np.full(len(alone), len(index.names))])
    start = frame["start"].to_numpy()[rows]
    shown = frame["start"].to_numpy()[mask]
    unit, word = period_unit(pd.Timestamp(shown.min()), pd.Timestamp(shown.max()))
    months = start.astype("datetime64[M]").astype(np.int64)
    step = {"M": 1, "Q": 3, "Y": 12}[unit]
    # Months since 1970, floored to the period: a quarter or year starts in its first month.
    period = (months - (months % step)) if step > 1 else months
    first = period.min() if len(period) else 0
    column = (period - first) // step
    lanes = [p for p in people if p in set(names[np.unique(codes)])]
    if len(alone):
        lanes.append(None)
    lane_of = {p: i for i, p in enumerate(lanes)}
    lane = np.array([lane_of.get(p, -1) for p in names], dtype=np.int64)[codes]
    width = int(column.max()) + 1 if len(column) else 1
    z = np.zeros((len(lanes), width), dtype=np.int64)
    np.add.at(z, (lane, column), 1)
    x = (first + step * np.arange(width)).astype("datetime64[M]").astype("datetime64[s]")
    labels = [NO_LEADER if p is None else escape(person_label(people[p])) for p in lanes]
    fig = go.Figure(
        go.Heatmap(
            x=x,
            y=labels,
            z=np.where(z > 0, z, np.nan),  # empty periods stay blank
            colorscale="Viridis",
            colorbar={"title": {"text": f"events per {word}"}},
            hovertemplate=f"%{{y}}<br>%{{x|%b %Y}} ({word}): %{{z}} events<extra></extra>",
            xgap=1,
            ygap=1,
        )
    )
    fig.update_layout(
        height=max(260, 110 + 22 * len(lanes)),
        margin={"l": 10, "r": 10, "t": 30, "b": 30},
        yaxis={"autorange": "reversed", "fixedrange": True, "type": "category"},
        xaxis={"type": "date"},
        hoverlabel=HOVER_LABEL,
    )
    return fig


def add_periods(fig: go.Figure, periods, *, y: float) -> go.Figure:
    """Draw context periods behind a chart: a shaded band, or a line while one goes on.

    `y` is where, in data units, the labels sit; their hover shows each period's note.
    """
    xs, texts, hovers = [], [], []
    for period in periods:
        start = day_stamp(parse_partial_date(period.from_).first)
        if period.to:
            end = clip_day(day_stamp(parse_partial_date(period.to).last) + seconds(days=1))
            fig.add_vrect(x0=start, x1=end, fillcolor="rgba(128,128,128,0.15)", line_width=0,
                          layer="below")  # fmt: skip
        else:
            fig.add_vline(
                x=start, line={"color": "rgba(128,128,128,0.8)", "dash": "dash", "width": 2}
            )
        when = parse_partial_date(period.from_).label()
        when += f" – {parse_partial_date(period.to).label()}" if period.to else " onwards"
        xs.append(start)
        texts.append(escape(period.title))
        note = f"<br>{wrap_html(period.note, HOVER_WIDTH)}" if period.note else ""
        hovers.append(f"<b>{escape(period.title)}</b><br>{escape(when)}{note}")
    if xs:
        fig.add_trace(
            go.Scatter(
                x=xs, y=[y] * len(xs), mode="markers+text", text=texts, textposition="middle right",
                hovertext=hovers, hoverinfo="text", name="periods", showlegend=False,
                marker={"symbol": "triangle-down", "size": 10, "color": "rgba(128,128,128,0.9)"},
                textfont={"size": 11, "color": "rgba(128,128,128,1)"},
            )
        )  # fmt: skip
    return fig


# The strip above the first lane that period labels get, in lanes; a lane is 56 px high.
PERIOD_STRIP = 0.4


def add_timeline_periods(fig: go.Figure, periods) -> go.Figure:
    """Draw context periods on the timeline, labelled in a strip of their own above the lanes."""
    if not periods:
        return fig
    # Labels inside the top lane would overprint its date labels on a narrow screen.
    bottom, top = fig.layout.yaxis.range
    fig.update_yaxes(range=[bottom, top - PERIOD_STRIP])
    fig.update_layout(height=fig.layout.height + round(56 * PERIOD_STRIP))
    return add_periods(fig, periods, y=top - PERIOD_STRIP / 2)


def matrix_figure(counts, people: Mapping[str, Person]) -> go.Figure:
    """Return who met whom: a square per pair of leaders, coloured and labelled by count.

    Drawn as a heatmap (its cells grow with the chart into a grid) under an invisible scatter
    point per pair, which takes the hover and the click, so that a click selects a pair the
    same way a click on the timeline selects an event.
    """
    names = [escape(person_label(people[p])) if p in people else escape(p) for p in counts.leaders]
    rows = [lane_label(people[p]) if p in people else escape(p) for p in counts.leaders]
    # Columns get the name alone: tilted one-line labels stay apart even on a phone.
    columns = [escape(people[p].name) if p in people else escape(p) for p in counts.leaders]
    n = len(counts.leaders)
    xs, ys, values, ids, hovers = [], [], [], [], []
    for i, a in enumerate(counts.leaders):
        for j, b in enumerate(counts.leaders):
            k = int(counts.counts[i, j])
            if not k:
                continue
            titles = counts.examples.get((a, b), [])
            shown = "<br>".join("· " + escape(shorten(t, 70)) for t in titles)
            more = f"<br>and {k - len(titles)} more" if k > len(titles) else ""
            who = names[i] if i == j else f"{names[i]} and {names[j]}"
            hovers.append(f"<b>{who}</b>: {k} event{'s' if k != 1 else ''}<br>{shown}{more}")
            xs.append(j)
            ys.append(i)
            values.append(k)
            ids.append(f"{a}|{b}")
    size = max(14, min(48, 340 // max(n, 1)))
    low, high = min(values, default=0), max(values, default=0)
    shade = [(v - low) / (high - low) if high > low else 1.0 for v in values]
    z = np.where(counts.counts > 0, counts.counts, np.nan)  # no events together: no cell
    fig = go.Figure(
        [
            go.Heatmap(
                z=z, x=list(range(n)), y=list(range(n)), colorscale="Viridis", zmin=low,
                zmax=high, xgap=4, ygap=4, hoverinfo="skip", name="cells",
                colorbar={"title": {"text": "events"}},
            ),
            go.Scatter(
                x=xs, y=ys, mode="markers+text", text=[str(v) for v in values], customdata=ids,
                hovertext=hovers, hoverinfo="text", name="pairs", showlegend=False,
                marker={"symbol": "square", "size": size, "opacity": 0},
                # Viridis ends in yellow: dark text on the light cells, white on the dark ones.
                textfont={"color": ["#262730" if t > 0.6 else "white" for t in shade],
                          "size": max(10, size // 3)},
            ),
        ]
    )  # fmt: skip
    axis = {"tickmode": "array", "tickvals": list(range(n)), "showgrid": False,
            "zeroline": False, "range": [-0.6, n - 0.4], "fixedrange": True}  # fmt: skip
    fig.update_layout(
        height=max(320, 140 + size * n),
        margin={"l": 10, "r": 10, "t": 20, "b": 10},
        xaxis={**axis, "ticktext": columns, "side": "top", "tickangle": -45},
        yaxis={**axis, "ticktext": rows, "autorange": "reversed"},
        clickmode="event+select",
        dragmode=False,
        hoverlabel=HOVER_LABEL,
    )
    return fig


def period_label(start: pd.Timestamp, unit: str) -> str:
    """Return a tempo period as people say it: July 2022, Q3 2022 or 2022."""
    if unit == "M":
        return start.strftime("%B %Y")
    return f"Q{(start.month - 1) // 3 + 1} {start.year}" if unit == "Q" else str(start.year)


def tempo_figure(counts, kinds: list[str], periods=()) -> go.Figure:
    """Return events per period stacked by kind, with vaguer dates drawn across their period."""
    word = {"M": "month", "Q": "quarter", "Y": "year"}[counts.unit]
    step = {"M": 1, "Q": 3, "Y": 12}[counts.unit]
    styles = kind_styles(kinds)
    fig = go.Figure()
    width_ms = step * 30.4 * 86_400_000 * 0.85
    for kind, (colour, _) in styles.items():
        rows = counts.counts[counts.counts["kind"] == kind]
        if rows.empty:
            continue
        fig.add_trace(
            go.Bar(
                x=rows["period"] + seconds(days=step * 15.2), y=rows["events"],
                name=escape(kind), marker_color=colour, width=width_ms,
                hovertext=[
                    f"<b>{period_label(p, counts.unit)}</b><br>{escape(kind)}: {n}"
                    for p, n in zip(rows["period"], rows["events"], strict=True)
                ],
                hoverinfo="text",
            )
        )  # fmt: skip
    top = 0
    for row in counts.vague.itertuples():
        # Known only to a longer period: a translucent band across all of it, never one bar.
        end = clip_day(row.last + seconds(days=1))
        fig.add_shape(type="rect", x0=row.start, x1=end, y0=0, y1=row.events, layer="below",
                      fillcolor="rgba(128,128,128,0.25)", line={"width": 0})  # fmt: skip
        top = max(top, row.events)
    if len(counts.vague):
        vague = counts.vague
        fig.add_trace(
            go.Scatter(
                x=vague["start"] + (vague["last"] - vague["start"]) / 2, y=vague["events"],
                mode="markers", marker={"symbol": "line-ew-open", "size": 12, "color": "grey"},
                name=f"known only to the {vague['precision'].iloc[0]}",
                hovertext=[
                    f"{n} event{'s' if n != 1 else ''} known only to the {p} {s.year}"
                    for n, p, s in zip(
                        vague["events"], vague["precision"], vague["start"], strict=True
                    )
                ],
                hoverinfo="text",
            )
        )  # fmt: skip
    ymax = max(
        int(counts.counts.groupby("period")["events"].sum().max()) if len(counts.counts) else 0, top
    )
    add_periods(fig, periods, y=ymax + 0.5)
    starts = [*counts.counts["period"], *counts.vague["start"]]
    ends = [(np.datetime64(p, "M") + step).astype("datetime64[s]") for p in counts.counts["period"]]
    ends += [last + seconds(days=1) for last in counts.vague["last"]]
    x_range = within_calendar(min(starts), max(ends)) if starts else None
    fig.update_layout(
        barmode="stack", height=340, bargap=0.1,
        margin={"l": 10, "r": 10, "t": 30, "b": 30},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "title": None},
        # Labels centred under their period's bar, from the first period to the last.
        xaxis={"type": "date", "ticklabelmode": "period", "range": x_range},
        yaxis={"title": {"text": f"events per {word}"}, "rangemode": "tozero",
               "dtick": 1 if ymax <= 10 else None},
        hoverlabel=HOVER_LABEL,
    )  # fmt: skip
    return fig
