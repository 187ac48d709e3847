"""Context periods drawn behind a chart: a band, or a line while one goes on."""

from __future__ import annotations

from collections.abc import Iterable

import plotly.graph_objects as go

from ..dates import clip_day, day_stamp, parse_partial_date, seconds
from ..i18n import DEFAULT_LANG, Translator, translator
from ..schema import Period
from ..text import plotly_escape, wrap_html
from .style import HOVER_WIDTH

# The strip above the first lane that period labels get, in lanes; a lane is 56 px high.
PERIOD_STRIP = 0.4
LANE_HEIGHT = 56


def add_periods(
    fig: go.Figure, periods: Iterable[Period], *, y: float, t: Translator | None = None
) -> go.Figure:
    """Draw context periods behind a chart, labelled at height `y`, the note on hover.

    `t` is the reader's language for the hover's dates (English when None).
    """
    t = t or translator(DEFAULT_LANG)
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
        when = _when(period, t)
        xs.append(start)
        texts.append(plotly_escape(period.title))
        note = f"<br>{wrap_html(period.note, HOVER_WIDTH)}" if period.note else ""
        hovers.append(f"<b>{plotly_escape(period.title)}</b><br>{plotly_escape(when)}{note}")
    if xs:
        fig.add_trace(
            go.Scatter(
                x=xs, y=[y] * len(xs), mode="markers+text", text=texts, textposition="middle right",
                hovertext=hovers, hoverinfo="text", name="periods", showlegend=False,
                marker={"symbol": "triangle-down", "size": 10, "color": "rgba(128,128,128,0.9)"},
                textfont={"size": 11, "color": "rgba(128,128,128,1)"},
                # A click on the chart keeps a selection: Plotly would fade these for good.
                selected={"marker": {"opacity": 1}},
                unselected={"marker": {"opacity": 1},
                            "textfont": {"color": "rgba(128,128,128,1)"}},
            )
        )  # fmt: skip
    return fig


def _when(period: Period, t: Translator) -> str:
    """Return a period's dates in words: '24 February 2022 onwards', or from and to."""
    first = parse_partial_date(period.from_)
    if period.to is None:
        return t.gettext("{first} onwards", first=t.date(first))
    last = parse_partial_date(period.to)
    return t.gettext("{first} – {last}", first=t.date(first), last=t.date(last))


def add_timeline_periods(
    fig: go.Figure, periods: Iterable[Period], t: Translator | None = None
) -> go.Figure:
    """Draw context periods on the timeline, labelled in a strip of their own above the lanes."""
    periods = list(periods)
    if not periods:
        return fig
    # Labels inside the top lane would overprint its date labels on a narrow screen.
    bottom, top = fig.layout.yaxis.range
    fig.update_yaxes(range=[bottom, top - PERIOD_STRIP])
    fig.update_layout(height=fig.layout.height + round(LANE_HEIGHT * PERIOD_STRIP))
    return add_periods(fig, periods, y=top - PERIOD_STRIP / 2, t=t)
