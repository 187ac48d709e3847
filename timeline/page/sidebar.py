"""The sidebar: lanes and their order, then the filters, each a widget keyed by its URL name."""

from __future__ import annotations

import streamlit as st

from ..lanes import ORDER_WORDS, person_label
from ..session import defaults
from ..state import LANE_KINDS, LANE_ORDERS, MATCHES
from ..text import clean, escape
from . import widgets
from .loading import Loaded

MATCH_WORDS = {"any": "any of them", "all": "all of them"}
LANE_CHOICES = {"leader": "leader", "country": "state", "tag": "tag"}


def _reset(loaded: Loaded) -> None:
    # Resetting the filters keeps the open tab.
    widgets.write(defaults(loaded.catalog, widgets.read()["view"]))


def render_sidebar(loaded: Loaded) -> None:
    """Draw the lane choices and the filters; their values live in the session state."""
    catalog, people = loaded.catalog, loaded.data.people
    with st.sidebar:
        st.header("Lanes")
        st.radio("One lane per", LANE_KINDS, key="lanes", horizontal=True,
                 format_func=LANE_CHOICES.__getitem__,
                 help="A state's lane holds the events of its leaders and those that name it "
                 "in `countries`.")  # fmt: skip
        st.selectbox("Order", LANE_ORDERS, key="order", format_func=ORDER_WORDS.__getitem__)
        st.header("Filters")
        st.multiselect(
            "Leaders", catalog.leaders, key="leader",
            format_func=lambda pid: clean(person_label(people[pid])), placeholder="All leaders",
            help="Events with no named leader (a deal, a report) show only while no leader "
            "is chosen.",
        )  # fmt: skip
        if catalog.countries:
            st.multiselect("States", catalog.countries, key="country", format_func=clean,
                           placeholder="All states")  # fmt: skip
            for notice in loaded.spellings[:3]:  # for the file's editor: nothing is merged
                st.html(f"<p style='font-size:.8rem;margin:0'>⚠️ {escape(notice)}</p>")
        if catalog.tags:
            st.multiselect("Tags", catalog.tags, key="tag", format_func=clean,
                           placeholder="All tags")  # fmt: skip
        st.radio(
            "Events with", MATCHES, key="match", horizontal=True,
            format_func=MATCH_WORDS.__getitem__,
            help="'all of them' answers: when did these leaders meet?",
        )  # fmt: skip
        st.multiselect("Kinds", catalog.kinds, key="kind", placeholder="All kinds")
        if catalog.span:
            st.date_input("Dates", key="dates", min_value=catalog.span[0],
                          max_value=catalog.span[1], format="YYYY-MM-DD")  # fmt: skip
        st.text_input("Search", key="q", placeholder="Titles, quotes, places, people")
        st.button("Reset filters", key="reset", on_click=_reset, args=(loaded,), width="stretch")
