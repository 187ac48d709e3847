"""The timeline's zoom: buttons and a range of dates above the chart, kept in the URL.

Plotly's own drag-zoom never reaches the page (only selections come back to Streamlit),
so the chart's axes stay fixed and the zoom is chosen here. The zoom is `zoom` in the
session state (no widget's key: a widget not drawn on a run would lose it); the range
control is seeded from it on every run and writes it back when moved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import streamlit as st

from ..session import zoom_by, zoom_to
from . import language
from .selection import Selection

KEY, RANGE_KEY = "zoom", "zoom_range"
ZOOM_FACTOR = 2
# The days Streamlit's slider can hold (it counts microseconds in JavaScript numbers).
SLIDER_DAYS = (dt.date(1684, 7, 29), dt.date(2255, 6, 4))


def _set(window: tuple) -> None:
    st.session_state[KEY] = tuple(window)


def _from_range() -> None:
    chosen = tuple(st.session_state[RANGE_KEY] or ())
    if len(chosen) == 2:  # a range of dates half chosen is not a zoom yet
        _set(chosen)


def shown_window(selection: Selection) -> tuple[dt.date, dt.date] | None:
    """Return the first and last day the chart shows now: the zoom, else the dates or events."""
    span = selection.loaded.catalog.span
    if span is None:
        return None
    first, last = selection.state.window
    shown = selection.shown
    if first is None:
        first = shown["start"].min().date() if len(shown) else span[0]
    if last is None:
        last = shown["last"].max().date() if len(shown) else span[1]
    first, last = max(first, span[0]), min(last, span[1])
    return (first, last) if first <= last else span


def open_days(days: Sequence[dt.date], span: tuple[dt.date, dt.date] | None) -> None:
    """Zoom to these days (a crowded marker's): a callback for a button's on_click."""
    _set(zoom_to(days, span))


def render_zoom(selection: Selection) -> None:
    """Draw the zoom's buttons and its range of dates above the timeline."""
    span = selection.loaded.catalog.span
    window = shown_window(selection)
    if span is None or window is None or span[0] == span[1]:
        return
    zoomed = selection.state.zoom_from is not None or selection.state.zoom_to is not None
    one_day = window[0] == window[1]
    t = language.current()
    with st.container(horizontal=True, vertical_alignment="bottom", key="zoom-controls"):
        st.button(t.gettext("Zoom in"), key="zoom-in", icon=":material/zoom_in:", disabled=one_day,
                  on_click=_set, args=(zoom_by(window, 1 / ZOOM_FACTOR, span),),
                  help=t.gettext("Show half as many days, around the middle"))  # fmt: skip
        st.button(t.gettext("Zoom out"), key="zoom-out", icon=":material/zoom_out:",
                  disabled=window == span,
                  on_click=_set, args=(zoom_by(window, ZOOM_FACTOR, span),),
                  help=t.gettext("Show twice as many days"))  # fmt: skip
        st.button(t.gettext("All dates"), key="zoom-reset", icon=":material/zoom_out_map:",
                  disabled=not zoomed, on_click=_set, args=(span,),
                  help=t.gettext("Show every date again (the filters stay)"))  # fmt: skip
    # Seeded from the zoom on every run: a button, a link or a reset may have changed it.
    st.session_state[RANGE_KEY] = tuple(st.session_state.get(KEY) or span)
    label, help_text = (
        t.gettext("Dates shown on the chart"),
        t.gettext(
            "Zooms the chart's time axis; the Dates filter in the sidebar chooses which events "
            "match."
        ),
    )
    if SLIDER_DAYS[0] <= span[0] and span[1] <= SLIDER_DAYS[1]:
        st.slider(label, min_value=span[0], max_value=span[1], key=RANGE_KEY,
                  format="YYYY-MM-DD", on_change=_from_range, help=help_text)  # fmt: skip
    else:  # Streamlit's slider counts microseconds from 1970 in the browser: not far enough
        st.date_input(label, min_value=span[0], max_value=span[1], key=RANGE_KEY,
                      format="YYYY-MM-DD", on_change=_from_range, help=help_text)  # fmt: skip
