"""Events per period stacked by kind, with vaguer dates drawn across their whole period."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..analysis import Tempo
from ..dates import PartialDate, clip_day, seconds, within_calendar
from ..i18n import DEFAULT_LANG, Translator, translator
from ..schema import Period
from ..state import KNOWN_KINDS, MONTHS_IN, UNIT_WORDS, Unit
from ..text import plotly_escape
from .periods import add_periods
from .style import HOVER_LABEL, LEGEND, kind_styles
from .theme import themed


def period_label(start: pd.Timestamp, unit: Unit) -> str:
    """Return a tempo period as people say it: July 2022, Q3 2022 or 2022."""
    if unit == "M":
        return f"{start:%B} {start.year}"
    return f"Q{(start.month - 1) // 3 + 1} {start.year}" if unit == "Q" else str(start.year)


def period_in(start: pd.Timestamp, unit: Unit, t: Translator) -> str:
    """Return a tempo period in the reader's language (English: `period_label`)."""
    if t.lang == DEFAULT_LANG:
        return period_label(start, unit)
    day = start.date()
    if unit == "Q":
        return t.quarter(day)
    return t.date(PartialDate(day, "month" if unit == "M" else "year"))


def _bars(fig: go.Figure, counts: Tempo, kinds: Iterable[str], t: Translator) -> None:
    """Add a bar per period for each kind, stacked, in the kinds' colours."""
    step = MONTHS_IN[counts.unit]
    styles = kind_styles([*kinds, *counts.counts["kind"].unique()])
    width_ms = step * 30.4 * 86_400_000 * 0.85
    for kind, style in styles.items():
        rows = counts.counts[counts.counts["kind"] == kind]
        if rows.empty:
            continue
        word = t.gettext(kind) if kind in KNOWN_KINDS else kind
        fig.add_trace(
            go.Bar(
                x=rows["period"] + seconds(days=step * 15.2), y=rows["events"],
                name=plotly_escape(kind), marker_color=style.colour, width=width_ms,
                hovertext=[
                    f"<b>{period_in(p, counts.unit, t)}</b><br>{plotly_escape(word)}: "
                    f"{t.count(int(n))}"
                    for p, n in zip(rows["period"], rows["events"], strict=True)
                ],
                hoverinfo="text",
            )
        )  # fmt: skip


def _vague(fig: go.Figure, counts: Tempo, t: Translator) -> int:
    """Add a band across each longer period that vaguer dates fall in; return the tallest."""
    top = 0
    vague = counts.vague
    for start, last, events in zip(vague["start"], vague["last"], vague["events"], strict=True):
        # Known only to a longer period: a translucent band across all of it, never one bar.
        end = clip_day(pd.Timestamp(last) + seconds(days=1))
        fig.add_shape(type="rect", x0=start, x1=end, y0=0, y1=events, layer="below",
                      fillcolor="rgba(128,128,128,0.25)", line={"width": 0})  # fmt: skip
        top = max(top, int(events))
    if len(vague):
        fig.add_trace(
            go.Scatter(
                x=vague["start"] + (vague["last"] - vague["start"]) / 2, y=vague["events"],
                mode="markers", marker={"symbol": "line-ew-open", "size": 12, "color": "grey"},
                name=f"known only to the {vague['precision'].iloc[0]}",
                hovertext=[
                    _vague_words(int(n), p, s, t)
                    for n, p, s in zip(
                        vague["events"], vague["precision"], vague["start"], strict=True
                    )
                ],
                hoverinfo="text",
            )
        )  # fmt: skip
    return top


def _vague_words(n: int, precision: str, start: pd.Timestamp, t: Translator) -> str:
    """Return a band's hover: how many events are known only to its month or year."""
    if precision == "month":
        when = t.date(PartialDate(start.date(), "month"))
        return t.ngettext("{count} event known only to the month, {when}",
                          "{count} events known only to the month, {when}", n,
                          when=when)  # fmt: skip
    when = t.date(PartialDate(start.date(), "year"))
    return t.ngettext("{count} event known only to the year {when}",
                      "{count} events known only to the year {when}", n, when=when)  # fmt: skip


def tempo_figure(
    counts: Tempo,
    kinds: Iterable[str] = (),
    periods: Iterable[Period] = (),
    t: Translator | None = None,
) -> go.Figure:
    """Return events per period stacked by kind (`kinds` fixes the colours across filters).

    `t` is the reader's language for the hovers (English when None); the page names the
    legend and the ticks itself (page/language.py).
    """
    t = t or translator(DEFAULT_LANG)
    word, step = UNIT_WORDS[counts.unit], MONTHS_IN[counts.unit]
    fig = go.Figure()
    _bars(fig, counts, kinds, t)
    top = _vague(fig, counts, t)
    ymax = max(
        int(counts.counts.groupby("period")["events"].sum().max()) if len(counts.counts) else 0, top
    )
    add_periods(fig, periods, y=ymax + 0.5, t=t)
    starts = [*counts.counts["period"], *counts.vague["start"]]
    ends = [(np.datetime64(p, "M") + step).astype("datetime64[s]") for p in counts.counts["period"]]
    ends += [last + seconds(days=1) for last in counts.vague["last"]]
    x_range = within_calendar(min(starts), max(ends)) if starts else None
    fig.update_layout(
        barmode="stack", height=340, bargap=0.1,
        margin={"l": 10, "r": 10, "t": 30, "b": 30},
        legend=LEGEND,
        # Labels centred under their period's bar, from the first period to the last.
        xaxis={"type": "date", "ticklabelmode": "period", "range": x_range, "automargin": True},
        yaxis={"title": {"text": f"events per {word}"}, "rangemode": "tozero",
               "dtick": 1 if ymax <= 10 else None, "automargin": True},
        hoverlabel=HOVER_LABEL,
    )  # fmt: skip
    if t.lang != DEFAULT_LANG:  # the counts in the language's digits: Plotly writes ASCII
        values, names = t.count_ticks(0, ymax, most=11 if ymax <= 10 else 6)
        fig.update_yaxes(tickmode="array", tickvals=values, ticktext=names)
    return themed(fig)
