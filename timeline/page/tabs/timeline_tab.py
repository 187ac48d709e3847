"""The timeline tab: one marker per event and lane, or a density chart for large selections."""

from __future__ import annotations

import streamlit as st

from ...figures import MAX_MARKERS, add_timeline_periods, density_figure, timeline_figure
from ...figures.style import CONFIG
from ...session import clicked_event
from ..selection import Selection
from .base import Tab


def _open_from_chart() -> None:
    event = clicked_event(st.session_state["chart"]["selection"]["points"])
    if event is not None:
        st.session_state["event"] = event


def _no_match_hint(selection: Selection) -> str:
    state = selection.state
    chosen = {"leaders": state.leaders, "states": state.countries, "tags": state.tags}
    if state.match == "all" and sum(map(len, chosen.values())) > 1:
        what = [word for word, values in chosen.items() if values]
        who = f"These {what[0]}" if len(what) == 1 else "These choices"
        return f"{who} never take part in one event together here; try 'any of them'"
    return "Widen the dates, clear the search or choose other kinds"


def render(selection: Selection) -> None:
    """Draw the timeline of the selection."""
    loaded, state, shown = selection.loaded, selection.state, selection.shown
    data = loaded.data
    if shown.empty:
        st.info(
            f"No event matches these filters. {_no_match_hint(selection)}, or reset the filters.",
            icon="🔎",
        )
    elif len(shown) > MAX_MARKERS:
        st.info(
            f"{len(shown):,} events are too many to draw one by one, so the chart shows how "
            f"many fall in each period. Narrow the leaders, kinds, dates or search to "
            f"{MAX_MARKERS:,} events or fewer to see each event and its quotes.",
            icon="🔭",
        )
        figure = density_figure(
            data.events, selection.mask, selection.membership, data.people, state.order
        )
        st.plotly_chart(figure, key="density", config=CONFIG)
    else:
        layout = selection.membership.layout(selection.mask, data.people, state.order)
        figure = timeline_figure(
            shown, data.people, layout=layout, open_event=state.event,
            kinds=loaded.catalog.kinds, hovers=loaded.hovers,
            window=(state.date_from, state.date_to),
        )  # fmt: skip
        add_timeline_periods(figure, data.periods)
        st.plotly_chart(
            figure, key="chart", on_select=_open_from_chart, selection_mode="points",
            config={**CONFIG, "scrollZoom": False},
        )  # fmt: skip


TAB = Tab(
    name="timeline",
    label="Timeline",
    caption="One lane per leader, state or tag; an event is a marker on each of its lanes, "
    "joined by a line. Events of one day that would cover each other sit a little apart; "
    "the hover gives the exact date. Hover for quotes, click to open.",
    render=render,
)
