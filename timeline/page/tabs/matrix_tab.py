"""Who met whom: the events each pair of lanes shares; a click shows the pair's timeline."""

from __future__ import annotations

import streamlit as st

from ...analysis import Meetings, meetings
from ...figures import matrix_figure
from ...figures.matrix import fit_lanes
from ...figures.style import CONFIG
from ...i18n import N_
from ...lanes import LANE_WORDS
from ...session import clicked_pair
from ...state import LaneKind
from .. import language, widgets
from ..note import note
from ..selection import Selection
from ..width import chart_width
from .base import Tab

NAMED = 40  # lanes named one by one under the matrix when they do not fit it; then a count


def _narrow_to_pair() -> None:
    points = st.session_state["matrix"]["selection"]["points"]
    widgets.write(clicked_pair(points, st.session_state["lanes"]))


def render(selection: Selection) -> None:
    """Draw the matrix of the selection's lanes."""
    data, state = selection.loaded.data, selection.state
    draw(selection, meetings(data.events, selection.membership, selection.mask, data.people,
                             state.order))  # fmt: skip


def draw(selection: Selection, pairs: Meetings) -> None:
    """Draw a matrix of pairs counted for the selection (here, or by an event store)."""
    state = selection.state
    if len(pairs.lanes):
        width = chart_width()
        fitted = fit_lanes(pairs, width)
        st.plotly_chart(
            matrix_figure(fitted.pairs, width, language.current()), key="matrix",
            on_select=_narrow_to_pair,
            selection_mode="points", config=CONFIG,
        )  # fmt: skip
        if fitted.left_out:
            _name_the_rest(fitted.left_out, len(pairs.lanes), state.lanes)
    elif not selection.matches:
        st.info(language.current().gettext("No event matches these filters."), icon="🔎")
    else:
        t = language.current()
        what = t.gettext(LANE_WORDS[state.lanes]).lower()
        st.info(t.gettext("None of these events has {what} to pair: every one is on the lane "
                          "of events without.", what=what), icon="🔎")  # fmt: skip


def _name_the_rest(left_out: list, total: int, lanes: LaneKind) -> None:
    """Say which lanes the matrix leaves out at this width, and how to pair them."""
    t = language.current()
    shown = total - len(left_out)
    what = t.gettext(LANE_WORDS[lanes]).lower()
    named = "; ".join(f"{t.isolate(lane.label)} ({t.count(count)})"
                      for lane, count in left_out[:NAMED])  # fmt: skip
    extra = len(left_out) - NAMED
    more = t.gettext("; and {count} more", count=t.count(extra)) if extra > 0 else ""
    note(
        t.gettext(
            "The {shown} {what} with most events fit this width; not shown, with their "
            "events: {named}{more}. Choose them in the sidebar, or widen the window, to pair "
            "them.",
            shown=t.count(shown), what=what, named=named, more=more,
        )
    )  # fmt: skip


TAB = Tab(
    name="matrix",
    label=N_("Who met whom"),
    caption=N_(
        "How many of these events each pair of lanes shares (the diagonal: each lane's "
        "own). Click a cell to see those events on the timeline."
    ),
    render=render,
    lazy=True,
)
