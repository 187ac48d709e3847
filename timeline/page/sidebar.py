"""The sidebar: lanes and their order, then the filters, each a widget keyed by its URL name."""

from __future__ import annotations

import streamlit as st

from ..i18n import N_
from ..lanes import LANES, ORDER_WORDS, LaneSpec, person_label
from ..query import notice_in
from ..session import defaults
from ..state import LANE_KINDS, LANE_ORDERS, MATCHES
from ..text import clean, escape
from . import language, widgets
from .loading import Loaded

MATCH_WORDS = {"any": N_("any of them"), "all": N_("all of them")}
LANE_CHOICES = {kind: spec.word for kind, spec in LANES.items()}


def _reset(loaded: Loaded) -> None:
    # Resetting the filters keeps the open tab and the language.
    kept = widgets.read()
    widgets.write({**defaults(loaded.catalog, kept["view"]), "lang": kept["lang"]})


def _lane_filter(spec: LaneSpec, loaded: Loaded) -> None:
    """Draw the filter of one lane kind: its keys in this file, by name (people by label)."""
    people, keys = loaded.data.people, getattr(loaded.catalog, spec.field)
    if not keys and not spec.of_people:
        return  # a kind the file does not use (no states named, no tags)
    said = (lambda key: clean(person_label(people[key]))) if spec.of_people else clean
    t = language.current()
    title = t.gettext(spec.title)
    st.multiselect(title, keys, key=spec.param, format_func=said,
                   placeholder=t.gettext("All {what}", what=title.lower()),
                   help=spec.help and t.gettext(spec.help))  # fmt: skip
    if spec.field == "countries":  # for the file's editor: nothing is merged
        for notice in loaded.spellings[:3]:  # in the reader's language, the names as written
            words = escape(notice_in(notice, t))
            st.html(f"<p style='font-size:.8rem;margin:0'>⚠️ {words}</p>")


def render_sidebar(loaded: Loaded) -> None:
    """Draw the lane choices and the filters; their values live in the session state."""
    catalog, t = loaded.catalog, language.current()
    with st.sidebar:
        language.choose()
        st.header(t.gettext("Lanes"))
        st.radio(t.gettext("One lane per"), LANE_KINDS, key="lanes", horizontal=True,
                 format_func=lambda kind: t.gettext(LANE_CHOICES[kind]),
                 help=t.gettext("A state's lane holds the events of its leaders and those "
                                "that name it in `countries`."))  # fmt: skip
        st.selectbox(t.gettext("Order"), LANE_ORDERS, key="order",
                     format_func=lambda order: t.gettext(ORDER_WORDS[order]))  # fmt: skip
        st.header(t.gettext("Filters"))
        for spec in LANES.values():
            _lane_filter(spec, loaded)
        st.radio(
            t.gettext("Events with"), MATCHES, key="match", horizontal=True,
            format_func=lambda match: t.gettext(MATCH_WORDS[match]),
            help=t.gettext("'all of them' answers: when did these leaders meet?"),
        )  # fmt: skip
        st.multiselect(t.gettext("Kinds"), catalog.kinds, key="kind",
                       format_func=lambda kind: clean(language.kind_word(kind)),
                       placeholder=t.gettext("All kinds"))  # fmt: skip
        if catalog.span:
            st.date_input(t.gettext("Dates"), key="dates", min_value=catalog.span[0],
                          max_value=catalog.span[1], format="YYYY-MM-DD")  # fmt: skip
        st.text_input(t.gettext("Search"), key="q",
                      placeholder=t.gettext("Titles, quotes, places, people"))  # fmt: skip
        st.button(t.gettext("Reset filters"), key="reset", on_click=_reset, args=(loaded,),
                  width="stretch")  # fmt: skip
