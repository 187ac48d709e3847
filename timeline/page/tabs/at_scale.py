"""The tabs above the chart's marker limit on an event store: drawn from the store's answers.

Registered in one place, `AT_SCALE` (one entry per tab, a test checks), and chosen by the
selection itself (storeview.LargeSelection.renderer): the tabs' own modules stay as they
are. Each draws only what the store counted: the density per lane and period, the matrix,
the tempo, one page of the table; the story and the publishing formats ask to narrow.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from typing import cast
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from ...exporters.tables import to_csv, to_json
from ...figures import tempo_figure
from ...figures.density import density_heatmap
from ...figures.style import CONFIG
from ...query import write_query
from ...session import picked_row
from ...state import VIEWS, ViewName
from ...store import query as Q
from ...views import table_frame
from .. import language
from ..note import note
from ..selection import Selection
from ..storeview import PAGE_KEY, PAGE_ROWS, LargeSelection, filter_key, marker_limit
from . import matrix_tab

# Above this many matches the page offers no download: a file is made whole in memory
# before it is sent (Streamlit 1.67's download_button takes bytes, or a callable returning
# them), so the command line, which streams, writes it instead.
DOWNLOAD_ROWS = 20_000
# Lanes the density chart draws above the limit, in the order chosen. The first page of a
# 200,000-event store took 37 s in Chromium with all 2,101 leaders' lanes (each a row of
# the heatmap and a label), 9 s with 100: about what the 10-event file's page takes here.
DENSITY_LANES = 100


def _large(selection: Selection) -> LargeSelection:
    return cast(LargeSelection, selection)


def timeline(selection: Selection) -> None:
    """Draw how many matches fall in each period and lane (the density chart)."""
    sel, t = _large(selection), language.current()
    numbers = {"count": t.number(sel.count), "most": t.number(marker_limit())}
    st.info(t.gettext(
        "{count} events are too many to draw one by one, so the chart shows how many "
        "fall in each period. Narrow the leaders, kinds, dates or search to {most} "
        "events or fewer to see each event and its quotes.", **numbers), icon="🔭")  # fmt: skip
    b, state = sel.store.bound, sel.state
    counted = sel.store.ask("density", state, lambda: Q.density(b, state))
    x, z = Q.density_grid(counted)
    drawn = counted.lanes[:DENSITY_LANES]
    figure = density_heatmap(x, z[: len(drawn)], drawn, counted.unit, t)
    if len(counted.lanes) > len(drawn):
        note(t.ngettext(
            "The first {shown} of {count} lane in this order: choose leaders, states or tags "
            "in the sidebar, or order the lanes by most events, to see others.",
            "The first {shown} of {count} lanes in this order: choose leaders, states or tags "
            "in the sidebar, or order the lanes by most events, to see others.",
            len(counted.lanes), shown=t.number(len(drawn))))  # fmt: skip
    st.plotly_chart(figure, key="density", config=CONFIG,
                    alt=t.gettext("Heatmap of {count} events per period and lane",
                                  count=t.number(sel.count)))  # fmt: skip


def matrix(selection: Selection) -> None:
    """Draw the matrix the store counted."""
    sel = _large(selection)
    b, state = sel.store.bound, sel.state
    matrix_tab.draw(sel, sel.store.ask("matrix", state, lambda: Q.matrix(b, state)))


def tempo(selection: Selection) -> None:
    """Draw the tempo the store counted."""
    sel = _large(selection)
    b, state = sel.store.bound, sel.state
    counted = sel.store.ask("tempo", state, lambda: Q.tempo(b, state))
    figure = tempo_figure(counted, sel.catalog.kinds, sel.loaded.data.periods, language.current())
    st.plotly_chart(language.name_legend(language.name_ticks(figure)), key="tempo",
                    config=CONFIG)  # fmt: skip


def _open_from_table() -> None:
    rows = st.session_state["table"]["selection"]["rows"]
    event = picked_row(rows, st.session_state.get("table_ids", []))
    if event is not None:
        st.session_state["event"] = event


def table(selection: Selection) -> None:
    """Draw one page of the matches, the page control, and the downloads or the command."""
    sel, t = _large(selection), language.current()
    pages = -(-sel.count // PAGE_ROWS)
    rows = sel.loaded.data.events.iloc[: sel.rows]
    first = (sel.page - 1) * PAGE_ROWS
    note(t.ngettext(
        "Events {first} to {last} of {count}, in date order: page {page} of {pages}.",
        "Events {first} to {last} of {count}, in date order: page {page} of {pages}.",
        sel.count, first=t.number(first + 1), last=t.number(first + len(rows)),
        page=t.number(sel.page), pages=t.number(pages)))  # fmt: skip
    frame = table_frame(rows, sel.loaded.hovers.names)
    st.session_state["table_ids"] = list(frame["id"])
    st.dataframe(frame, key="table", on_select=_open_from_table, selection_mode="single-row",
                 hide_index=True, width="stretch")  # fmt: skip
    st.columns([1, 4])[0].number_input(
        t.gettext("Page"), min_value=1, max_value=max(1, pages), step=1, key=PAGE_KEY
    )
    _downloads(sel)


def _downloads(sel: LargeSelection) -> None:
    """Offer the matches as CSV and JSON, or the command that streams them when too many."""
    t = language.current()
    if sel.count > DOWNLOAD_ROWS:
        query = urlencode(write_query(filter_key(sel.state)), doseq=True)  # what matches
        command = f"python -m timeline export csv {shlex.quote(sel.store.path)}"
        if query:
            command += f" --query {shlex.quote(query)}"
        if sel.store.engine != "duckdb":
            command += f" --engine {sel.store.engine}"
        # {most} written as {count} is ('20000' in English, as the page's count writes it).
        note(t.ngettext(
            "These {count} events are too many to download from the page (at most {most}). "
            "The command line writes them as it reads them:",
            "These {count} events are too many to download from the page (at most {most}). "
            "The command line writes them as it reads them:",
            sel.count, most=t.count(DOWNLOAD_ROWS)))  # fmt: skip
        st.code(command + " -o events.csv", language="bash", wrap_lines=True)
        return
    people = sel.loaded.data.people
    note(t.ngettext("The downloads hold every match: {count} event, not only this page.",
                    "The downloads hold every match: {count} events, not only this page.",
                    sel.count))  # fmt: skip
    left, right, _ = st.columns([1, 1, 4])
    left.download_button(
        t.gettext("Download CSV"), lambda: to_csv(_every(sel), people), "events.csv",
        "text/csv", width="stretch",
    )  # fmt: skip
    right.download_button(
        t.gettext("Download JSON"), lambda: to_json(_every(sel)), "events.json",
        "application/json", width="stretch",
    )  # fmt: skip


def _every(sel: LargeSelection) -> pd.DataFrame:
    """Return every match, fetched when a download is asked for (at most DOWNLOAD_ROWS)."""
    store, state = sel.store, sel.state
    with store.lock:
        return Q.page(store.bound, state, 0, sel.count)


def narrow(selection: Selection) -> None:
    """Say that the story and the publishing formats take at most the chart's events."""
    sel, t = _large(selection), language.current()
    st.info(t.ngettext(
        "These {count} events are more than this view takes (at most {most}, the chart's "
        "markers): narrow the leaders, states, kinds, dates or search to see them here.",
        "These {count} events are more than this view takes (at most {most}, the chart's "
        "markers): narrow the leaders, states, kinds, dates or search to see them here.",
        sel.count, most=t.count(marker_limit())), icon="🔭")  # fmt: skip


AT_SCALE: dict[ViewName, Callable[[Selection], None]] = {
    "timeline": timeline,
    "matrix": matrix,
    "tempo": tempo,
    "table": table,
    "story": narrow,
    "publish": narrow,
}

if tuple(AT_SCALE) != VIEWS:  # every tab has its drawing at scale
    raise RuntimeError(f"tabs at scale {tuple(AT_SCALE)} do not match the views {VIEWS}")
