"""Events per period per lane, for selections too large to draw one marker each."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..analysis import choose_unit
from ..lanes import Lane, Membership
from ..schema import Person
from ..state import MONTHS_IN, UNIT_WORDS, LaneOrder, Unit
from ..text import plotly_escape
from .style import HOVER_LABEL
from .theme import themed

MAX_MARKERS = 1000  # above this, one marker per event is neither readable nor quick


def density_figure(
    frame: pd.DataFrame,
    mask: np.ndarray,
    membership: Membership,
    people: Mapping[str, Person],
    order: LaneOrder = "first",
) -> go.Figure:
    """Return a heatmap of the events a mask keeps, per period and lane."""
    lanes = membership.lanes(mask, people, order)
    lane_of = {lane.key: i for i, lane in enumerate(lanes)}
    rows, codes = membership.pairs(mask)
    # A lane the mask empties is not drawn; no kept pair points at it, so any index will do.
    lane = np.array([lane_of.get(k, 0) for k in membership.keys] + [0], dtype=np.int64)[codes]
    alone = membership.without(mask)
    rows = np.concatenate([rows, alone])
    lane = np.concatenate([lane, np.full(len(alone), lane_of.get(None, 0))])
    kept = frame["start"].to_numpy()[mask]
    unit = choose_unit(pd.Timestamp(kept.min()), pd.Timestamp(frame["last"].to_numpy()[mask].max()))
    step = MONTHS_IN[unit]
    months = frame["start"].to_numpy()[rows].astype("datetime64[M]").astype(np.int64)
    # Months since 1970, floored to the period: a quarter or year starts in its first month.
    period = months - (months % step)
    first = period.min() if len(period) else 0
    column = (period - first) // step
    width = int(column.max()) + 1 if len(column) else 1
    z = np.zeros((len(lanes), width), dtype=np.int64)
    np.add.at(z, (lane, column), 1)
    x = (first + step * np.arange(width)).astype("datetime64[M]").astype("datetime64[s]")
    return density_heatmap(x, z, lanes, unit)


def density_heatmap(x: np.ndarray, z: np.ndarray, lanes: Sequence[Lane], unit: Unit) -> go.Figure:
    """Return the heatmap of counts per lane (rows of z) and period (x), as counted anywhere."""
    word = UNIT_WORDS[unit]
    fig = go.Figure(
        go.Heatmap(
            x=x,
            y=[plotly_escape(lane.label) for lane in lanes],
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
        yaxis={"autorange": "reversed", "fixedrange": True, "type": "category",
               "automargin": True},
        xaxis={"type": "date"},
        hoverlabel=HOVER_LABEL,
    )  # fmt: skip
    return themed(fig)
