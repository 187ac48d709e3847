"""The table tab: the matching events, a row to open one, and the downloads."""

from __future__ import annotations

import weakref

import numpy as np
import streamlit as st

from ...exporters.tables import (
    PER_EVENT,
    PER_FILE,
    Sized,
    estimated_size,
    shown_bytes,
    to_csv,
    to_json,
)
from ...exporters.view import MAX_EXPORT_BYTES
from ...figures.hover import HoverTexts
from ...i18n import N_
from ...session import picked_row
from ...views import table_frame
from .. import language
from ..note import note
from ..selection import Selection
from .base import Tab

MAX_ROWS = 1000  # rows in the table and choices in the event list; downloads hold all

# Each event's bytes of text (exporters.tables.shown_bytes) per file version, by its kept
# hovers: a rerun sums the matching ones instead of measuring every shown event again.
_BYTES: weakref.WeakKeyDictionary[HoverTexts, np.ndarray] = weakref.WeakKeyDictionary()


def download_size(selection: Selection, fmt: Sized) -> int:
    """Return about how many bytes the selection's download in `fmt` would take."""
    loaded = selection.loaded
    if loaded.store is not None:  # a store's selection holds its fetched events only
        return estimated_size(selection.shown, loaded.hovers.names, fmt)
    if loaded.hovers not in _BYTES:
        _BYTES[loaded.hovers] = shown_bytes(loaded.data.events, loaded.hovers.names)
    matches = int(np.count_nonzero(selection.mask))
    total = int(_BYTES[loaded.hovers][selection.mask].sum())
    return total + PER_EVENT[fmt] * matches + PER_FILE[fmt]


def _open_from_table() -> None:
    rows = st.session_state["table"]["selection"]["rows"]
    event = picked_row(rows, st.session_state.get("table_ids", []))
    if event is not None:
        st.session_state["event"] = event


def render(selection: Selection) -> None:
    """Draw the table of the selection and its downloads."""
    shown, people, t = selection.shown, selection.loaded.data.people, language.current()
    # The dataset's names, cut once for every viewer: a cell names at most ten people.
    names = selection.loaded.hovers.names
    table = table_frame(shown[:MAX_ROWS], names, t)
    if len(shown) > MAX_ROWS:
        note(t.gettext("The first {count} of {total} events; the downloads hold them all.",
                       count=t.number(MAX_ROWS), total=t.number(len(shown))))  # fmt: skip
    st.session_state["table_ids"] = list(shown["id"][:MAX_ROWS])
    # The grid lays its columns out left to right only: on a right-to-left page they are
    # given in reverse, so that the first (the date) is on the right, where its readers begin.
    order = list(reversed(table.columns)) if t.direction == "rtl" else None
    st.dataframe(table, key="table", on_select=_open_from_table, selection_mode="single-row",
                 hide_index=True, width="stretch", column_order=order)  # fmt: skip
    left, right, _ = st.columns([1, 1, 4])
    # The files are written only when asked for (a large selection would slow every rerun)
    # and sent apart from the page; one that would pass the export bound is not offered.
    sizes = {fmt: download_size(selection, fmt) for fmt in ("csv", "json")}
    left.download_button(
        t.gettext("Download CSV"), lambda: to_csv(shown, people), "events.csv", "text/csv",
        width="stretch", disabled=sizes["csv"] > MAX_EXPORT_BYTES,
    )  # fmt: skip
    right.download_button(
        t.gettext("Download JSON"), lambda: to_json(shown), "events.json", "application/json",
        width="stretch", disabled=sizes["json"] > MAX_EXPORT_BYTES,
    )  # fmt: skip
    too_large = [fmt.upper() for fmt, size in sizes.items() if size > MAX_EXPORT_BYTES]
    if too_large:
        formats = (
            too_large[0]
            if len(too_large) == 1
            else t.gettext("{first} and {second}", first=too_large[0], second=too_large[1])
        )
        note(t.gettext(
            "The {formats} of these {count} events would be over {size} MB: narrow the "
            "filters to download them.",
            formats=formats, count=t.number(len(shown)),
            size=t.number(MAX_EXPORT_BYTES // 1024**2),
        ))  # fmt: skip


TAB = Tab(
    name="table",
    label=N_("Table"),
    # The downloads are said where they are offered: above an event store's limit the page
    # may give the command line's instead (tabs/at_scale.py), so the caption cannot promise.
    caption=N_("The matching events; pick a row to open it."),
    render=render,
)
