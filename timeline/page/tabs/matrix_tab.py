"""Who met whom: the events each pair of lanes shares; a click shows the pair's timeline."""

from __future__ import annotations

import streamlit as st

from ...analysis import meetings
from ...figures import matrix_figure
from ...figures.style import CONFIG
from ...lanes import LANE_WORDS
from ...session import clicked_pair
from .. import widgets
from ..selection import Selection
from .base import Tab


def _narrow_to_pair() -> None:
    points = st.session_state["matrix"]["selection"]["points"]
    widgets.write(clicked_pair(points, st.session_state["lanes"]))


def render(selection: Selection) -> None:
    """Draw the matrix of the selection's lanes."""
    data, state = selection.loaded.data, selection.state
    pairs = meetings(data.events, selection.membership, selection.mask, data.people, state.order)
    if len(pairs.lanes):
        st.plotly_chart(
            matrix_figure(pairs), key="matrix", on_select=_narrow_to_pair,
            selection_mode="points", config=CONFIG,
        )  # fmt: skip
    elif selection.shown.empty:
        st.info("No event matches these filters.", icon="🔎")
    else:
        what = LANE_WORDS[state.lanes].lower()
        st.info(f"None of these events has {what} to pair: every one is on the lane of "
                "events without.", icon="🔎")  # fmt: skip


TAB = Tab(
    name="matrix",
    label="Who met whom",
    caption="How many of these events each pair of lanes shares (the diagonal: each lane's "
    "own). Click a cell to see those events on the timeline.",
    render=render,
    lazy=True,
)
