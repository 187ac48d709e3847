"""The tempo tab: events per month, quarter or year, stacked by kind."""

from __future__ import annotations

import streamlit as st

from ...analysis import tempo
from ...figures import tempo_figure
from ...figures.style import CONFIG
from ...i18n import N_
from .. import language
from ..selection import Selection
from .base import Tab


def render(selection: Selection) -> None:
    """Draw the tempo of the selection."""
    if selection.shown.empty:
        st.info(language.current().gettext("No event matches these filters."), icon="🔎")
        return
    loaded = selection.loaded
    figure = tempo_figure(tempo(selection.shown), loaded.catalog.kinds, loaded.data.periods,
                          language.current())  # fmt: skip
    figure = language.name_legend(language.name_ticks(figure))
    st.plotly_chart(figure, key="tempo", config=CONFIG)


TAB = Tab(
    name="tempo",
    label=N_("Tempo"),
    caption=N_(
        "Events per period, by kind: how the pace changed. A date known only to the year "
        "is drawn across its whole year, never as one month's bar."
    ),
    render=render,
    lazy=True,
)
