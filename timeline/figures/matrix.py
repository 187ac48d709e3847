"""Who met whom: a square per pair of lanes, coloured and labelled by the events they share."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ..analysis import Meetings
from ..text import plotly_escape, shorten
from .style import HOVER_LABEL, lane_tick


def matrix_figure(pairs: Meetings) -> go.Figure:
    """Return the matrix of shared events; a click's customdata is the pair's two lane keys.

    Drawn as a heatmap (its cells grow with the chart into a grid) under an invisible scatter
    point per pair, which takes the hover and the click, so that a click selects a pair the
    same way a click on the timeline selects an event.
    """
    lanes = pairs.lanes
    names = [plotly_escape(lane.label) for lane in lanes]
    # Columns get the name alone: tilted one-line labels stay apart even on a phone.
    columns = [plotly_escape(lane.name) for lane in lanes]
    n = len(lanes)
    xs, ys, values, keys, hovers = [], [], [], [], []
    for i, a in enumerate(lanes):
        for j, b in enumerate(lanes):
            k = int(pairs.counts[i, j])
            if not k:
                continue
            titles = pairs.examples.get((i, j), [])
            shown = "<br>".join("· " + plotly_escape(shorten(t, 70)) for t in titles)
            more = f"<br>and {k - len(titles)} more" if k > len(titles) else ""
            who = names[i] if i == j else f"{names[i]} and {names[j]}"
            hovers.append(f"<b>{who}</b>: {k} event{'s' if k != 1 else ''}<br>{shown}{more}")
            xs.append(j)
            ys.append(i)
            values.append(k)
            keys.append([a.key, b.key])
    size = max(14, min(48, 340 // max(n, 1)))
    low, high = min(values, default=0), max(values, default=0)
    shade = [(v - low) / (high - low) if high > low else 1.0 for v in values]
    z = np.where(pairs.counts > 0, pairs.counts, np.nan)  # no events together: no cell
    fig = go.Figure(
        [
            go.Heatmap(
                z=z, x=list(range(n)), y=list(range(n)), colorscale="Viridis", zmin=low,
                zmax=high, xgap=4, ygap=4, hoverinfo="skip", name="cells",
                colorbar={"title": {"text": "events"}},
            ),
            go.Scatter(
                x=xs, y=ys, mode="markers+text", text=[str(v) for v in values], customdata=keys,
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
        yaxis={**axis, "ticktext": [lane_tick(lane) for lane in lanes], "autorange": "reversed"},
        clickmode="event+select",
        dragmode=False,
        hoverlabel=HOVER_LABEL,
    )
    return fig
