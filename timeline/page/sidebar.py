"""The sidebar: lanes and their order, then the filters, each a widget keyed by its URL name."""

from __future__ import annotations

import streamlit as st

from ..lanes import LANES, ORDER_WORDS, LaneSpec, person_label
from ..session import defaults
from ..state import LANE_KINDS, LANE_ORDERS, MATCHES
from ..text import clean, escape
from . import widgets
from .loading import Loaded

MATCH_WORDS = {"any": "any of them", "all": "all of them"}
LANE_CHOICES = {kind: spec.word for kind, spec in LANES.items()}


def _reset(loaded: Loaded) -> None:
    # Resetting the filters keeps the open tab.
    widgets.write(defaults(loaded.catalog, widgets.read()["view"]))


def _lane_filter(spec: LaneSpec, loaded: Loaded) -> None:
    """Draw the filter of one lane kind: its keys in this file, by name (people by label)."""
    people, keys = loaded.data.people, getattr(loaded.catalog, spec.field)
    if not keys and not spec.of_people:
        return  # a kind the file does not use (no states named, no tags)
    said = (lambda key: clean(person_label(people[key]))) if spec.of_people else clean
    st.multiselect(spec.title, keys, key=spec.param, format_func=said,
                   placeholder=f"All {spec.title.lower()}", help=spec.help)  # fmt: skip
    if spec.field == "countries":  # for the file's editor: nothing is merged
        for notice in loaded.spellings[:3]:
            st.html(f"<p style='font-size:.8rem;margin:0'>⚠️ {escape(notice)}</p>")


def render_sidebar(loaded: Loaded) -> None:
    """Draw the lane choices and the filters; their values live in the session state."""
    catalog = loaded.catalog
    with st.sidebar:
        st.header("Lanes")
        st.radio("One lane per", LANE_KINDS, key="lanes", horizontal=True,
                 format_func=LANE_CHOICES.__getitem__,
                 help="A state's lane holds the events of its leaders and those that name it "
                 "in `countries`.")  # fmt: skip
        st.selectbox("Order", LANE_ORDERS, key="order", format_func=ORDER_WORDS.__getitem__)
        st.header("Filters")
        for spec in LANES.values():
            _lane_filter(spec, loaded)
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
