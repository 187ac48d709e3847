"""Who met whom: a square per pair of lanes, coloured and labelled by the events they share."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from ..analysis import Meetings
from ..i18n import DEFAULT_LANG, Translator, translator
from ..lanes import Lane
from ..text import plotly_escape, shorten
from .style import HOVER_LABEL, lane_tick
from .theme import themed

# A row is at least ROW_PX high and a column COLUMN_PX wide: one line of 12 px text each,
# the columns' labels upright where a column is narrower than TILTED_PX (tilted by 45
# degrees, neighbours would be 14 px apart at 20 px and touch). Rows of two-line labels
# ("Name" over "(State)") need TWO_LINES_PX; tighter rows get one line, cut. A narrow chart
# (a phone) cuts labels shorter and has no colour bar: every cell says its number.
# Without a measured width (a static page) the chart is taken as 1,000 px.
ROW_PX, COLUMN_PX, TILTED_PX, TWO_LINES_PX = 24, 20, 28, 34
NARROW_PX, ASSUMED_PX = 600, 1000
CHAR_PX = 6.5  # 12 px text
COLOURBAR_PX, EDGES_PX = 80, 30


@dataclass(frozen=True)
class Sizes:
    """How a matrix is laid out at a chart width."""

    label_chars: int  # a one-line row label is cut to this
    column_chars: int
    colourbar: bool
    room: float  # px left for the columns, after the row labels and the colour bar


def sizes(width: int | None) -> Sizes:
    """Return the matrix's layout at a chart width in pixels (None: not measured)."""
    chart = width if width and width > 0 else ASSUMED_PX
    narrow = chart < NARROW_PX
    label, column = (18, 14) if narrow else (26, 18)
    room = chart - CHAR_PX * label - (0 if narrow else COLOURBAR_PX) - EDGES_PX
    return Sizes(label, column, not narrow, room)


@dataclass(frozen=True)
class Fitted:
    """The lanes a matrix shows at a width, and those left out (fewest events first out)."""

    pairs: Meetings
    left_out: list[tuple[Lane, int]]  # each lane and its number of events, most first


def _row_px(n: int) -> int:
    return max(ROW_PX, min(48, 340 // max(n, 1)))


def row_label(lane: Lane, n: int, chars: int) -> str:
    """Return a row's escaped label: name over state where rows are tall, else one short line."""
    if _row_px(n) >= TWO_LINES_PX:
        # As the timeline's lane labels, each line cut as a one-line label would be.
        cut = Lane(lane.key, lane.label, shorten(lane.name, chars), shorten(lane.detail, chars))
        return lane_tick(cut)
    return plotly_escape(shorten(lane.label, chars))


def fit_lanes(pairs: Meetings, width: int | None) -> Fitted:
    """Keep the lanes with most events that fit this width as columns; name the others.

    The kept lanes stay in the matrix's order; a lane left out is listed with its count, so
    that the page can say who is missing and how to see them (choose them in the filters).
    """
    n = len(pairs.lanes)
    fits = max(2, int(sizes(width).room // COLUMN_PX))
    if n <= fits:
        return Fitted(pairs, [])
    own = np.diag(pairs.counts)
    # Most events first; ties keep the matrix's order (a stable sort on the negated count).
    ranked = np.argsort(-own, kind="stable")
    kept = np.sort(ranked[:fits])
    at = {int(old): new for new, old in enumerate(kept)}
    examples = {(at[a], at[b]): titles for (a, b), titles in pairs.examples.items()
                if a in at and b in at}  # fmt: skip
    fitted = Meetings([pairs.lanes[i] for i in kept], pairs.counts[np.ix_(kept, kept)], examples)
    left_out = [(pairs.lanes[i], int(own[i])) for i in ranked[fits:]]
    return Fitted(fitted, left_out)


def _cells(
    pairs: Meetings, t: Translator
) -> tuple[list[int], list[int], list[int], list, list[str]]:
    """Return each pair with events: its column, row, count, two lane keys and hover."""
    lanes = pairs.lanes
    names = [plotly_escape(lane.label) for lane in lanes]
    xs, ys, values, keys, hovers = [], [], [], [], []
    for i, a in enumerate(lanes):
        for j, b in enumerate(lanes):
            k = int(pairs.counts[i, j])
            if not k:
                continue
            titles = pairs.examples.get((i, j), [])
            shown = "<br>".join("· " + plotly_escape(shorten(t, 70)) for t in titles)
            left = k - len(titles)
            more = "<br>" + t.ngettext("and {count} more", "and {count} more", left) if left else ""
            who = names[i] if i == j else t.gettext("{first} and {second}", first=names[i],
                                                    second=names[j])  # fmt: skip
            events = t.ngettext("{count} event", "{count} events", k)
            hovers.append(f"<b>{who}</b>: {events}<br>{shown}{more}")
            xs.append(j)
            ys.append(i)
            values.append(k)
            keys.append([a.key, b.key])
    return xs, ys, values, keys, hovers


def _axes(lanes: list[Lane], columns: list[str], upright: bool, chars: int) -> dict:
    """Return the layout's two axes: the columns' names on top, the rows' labels at the left."""
    n = len(lanes)
    axis = {"tickmode": "array", "tickvals": list(range(n)), "showgrid": False,
            "zeroline": False, "range": [-0.6, n - 0.4], "fixedrange": True,
            "automargin": True, "tickfont": {"size": 12}}  # fmt: skip
    return {
        "xaxis": {**axis, "ticktext": columns, "side": "top",
                  "tickangle": -90 if upright else -45},
        "yaxis": {**axis, "ticktext": [row_label(lane, n, chars) for lane in lanes],
                  "autorange": "reversed"},
    }  # fmt: skip


def _colour_bar(t: Translator, low: int, high: int) -> dict:
    """Return the colour bar: its title, and outside English its counts in the language's
    digits (Plotly writes numbers in ASCII digits only)."""
    bar: dict = {"title": {"text": t.gettext("events")}}
    if t.lang != DEFAULT_LANG:
        bar["tickvals"], bar["ticktext"] = t.count_ticks(low, high)
    return bar


def matrix_figure(
    pairs: Meetings, width: int | None = None, t: Translator | None = None
) -> go.Figure:
    """Return the matrix of shared events; a click's customdata is the pair's two lane keys.

    Drawn as a heatmap (its cells grow with the chart into a grid) under an invisible scatter
    point per pair, which takes the hover and the click, so that a click selects a pair the
    same way a click on the timeline selects an event. Rows grow with the lanes; with many,
    their labels are one line each. `width` is the chart's in pixels where measured; see
    `fit_lanes` for the lanes a width holds. `t` is the reader's language (English if None):
    the hover's words, the colour bar's title and the cells' digits.
    """
    t = t or translator(DEFAULT_LANG)
    lanes = pairs.lanes
    n = len(lanes)
    # Columns get the name alone: tilted one-line labels stay apart even on a phone.
    size_at = sizes(width)
    columns = [plotly_escape(shorten(lane.name, size_at.column_chars)) for lane in lanes]
    upright = size_at.room / max(n, 1) < TILTED_PX
    xs, ys, values, keys, hovers = _cells(pairs, t)
    row = _row_px(n)
    # The invisible squares that take the clicks stay inside their cells.
    size = int(min(row, size_at.room / max(n, 1), 48))
    low, high = min(values, default=0), max(values, default=0)
    shade = [(v - low) / (high - low) if high > low else 1.0 for v in values]
    z = np.where(pairs.counts > 0, pairs.counts, np.nan)  # no events together: no cell
    fig = go.Figure(
        [
            go.Heatmap(
                z=z, x=list(range(n)), y=list(range(n)), colorscale="Viridis", zmin=low,
                zmax=high, xgap=4, ygap=4, hoverinfo="skip", name="cells",
                colorbar=_colour_bar(t, low, high), showscale=size_at.colourbar,
            ),
            go.Scatter(
                x=xs, y=ys, mode="markers+text", text=[t.digits(str(v)) for v in values],
                customdata=keys,
                hovertext=hovers, hoverinfo="text", name="pairs", showlegend=False,
                marker={"symbol": "square", "size": size, "opacity": 0},
                # Viridis ends in yellow: dark text on the light cells, white on the dark ones.
                textfont={"color": ["#262730" if t > 0.6 else "white" for t in shade],
                          "size": max(10, size // 3)},
            ),
        ]
    )  # fmt: skip
    # The column labels take their longest name's height above the cells.
    longest = CHAR_PX * max((len(c) for c in columns), default=0)
    top = 20 + int(longest if upright else longest * 0.71)
    fig.update_layout(
        height=max(320, top + 40 + row * n),
        margin={"l": 10, "r": 10, "t": 20, "b": 10},
        # Which width the lanes were fitted to: a browser test waits for the measured one.
        meta={"fitted_for_px": width},
        **_axes(lanes, columns, upright, size_at.label_chars),
        clickmode="event+select",
        dragmode=False,
        hoverlabel=HOVER_LABEL,
    )
    return themed(fig)
