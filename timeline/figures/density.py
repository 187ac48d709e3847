"""Events per period per lane, for selections too large to draw one marker each."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..analysis import choose_unit
from ..i18n import DEFAULT_LANG, N_, Translator, translator
from ..lanes import Lane, Membership
from ..schema import Person
from ..state import MONTHS_IN, UNIT_WORDS, LaneOrder, Unit
from ..text import plotly_escape
from .style import HOVER_LABEL
from .tempo import period_in
from .theme import themed

MAX_MARKERS = 1000  # above this, one marker per event is neither readable nor quick
# The colour bar's title per period (the tempo chart's axis says the same words).
PER_UNIT = {"M": N_("events per month"), "Q": N_("events per quarter"), "Y": N_("events per year")}


def density_figure(
    frame: pd.DataFrame,
    mask: np.ndarray,
    membership: Membership,
    people: Mapping[str, Person],
    order: LaneOrder = "first",
    t: Translator | None = None,
) -> go.Figure:
    """Return a heatmap of the events a mask keeps, per period and lane (`t`: its words'
    language, English when None)."""
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
    return density_heatmap(x, z, lanes, unit, t)


def density_heatmap(
    x: np.ndarray, z: np.ndarray, lanes: Sequence[Lane], unit: Unit, t: Translator | None = None
) -> go.Figure:
    """Return the heatmap of counts per lane (rows of z) and period (x), as counted anywhere.

    `t` is the language of its colour bar and hover (English when None): Plotly names
    months in English only, so another language's hover names each period itself.
    """
    t = t or translator(DEFAULT_LANG)
    word = UNIT_WORDS[unit]
    hover = f"%{{y}}<br>%{{x|%b %Y}} ({word}): %{{z}} events<extra></extra>"
    cells = None
    bar: dict = {"title": {"text": t.gettext(PER_UNIT[unit])}}
    if t.lang != DEFAULT_LANG:
        # Each cell's period and count in the language's words and digits (Plotly names
        # months in English and writes numbers in ASCII digits only).
        names = [period_in(pd.Timestamp(day), unit, t) for day in x]
        cells = [[[name, t.count(int(n))] for name, n in zip(names, row, strict=True)]
                 for row in z]  # fmt: skip
        words = t.gettext("{period}: {count} events", period="%{customdata[0]}",
                          count="%{customdata[1]}")  # fmt: skip
        hover = f"%{{y}}<br>{words}<extra></extra>"
        bar["tickvals"], bar["ticktext"] = t.count_ticks(1, int(z.max()) if z.size else 1)
    fig = go.Figure(
        go.Heatmap(
            x=x,
            y=[plotly_escape(lane.label) for lane in lanes],
            z=np.where(z > 0, z, np.nan),  # empty periods stay blank
            colorscale="Viridis",
            colorbar=bar,
            hovertemplate=hover,
            customdata=cells,
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
