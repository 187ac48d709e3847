"""The page's parts besides the sidebar and the tabs: state, heading, notices, details, link."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from ..errors import DataError
from ..filters import filter_mask
from ..query import read_query, share_link, write_query
from ..session import reconcile, seed, state_of
from ..text import clean, escape
from ..views import details_html
from . import widgets, width
from .loading import Loaded, problem_lines
from .note import note
from .selection import Selection
from .tabs import LABELS, TABS
from .tabs.table_tab import MAX_ROWS


def _query() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params}


def select(loaded: Loaded) -> Selection:
    """Seed the widgets from the URL on a session's first run, fit them to the file, filter."""
    catalog = loaded.catalog
    if "notices" not in st.session_state:
        decoded = read_query(_query(), catalog)
        widgets.write(seed(decoded, catalog))
        st.session_state["notices"] = decoded.notices
    widgets.write(reconcile(widgets.read(), catalog, st.session_state.get("span")))
    state = state_of(widgets.read(), catalog)
    # Keep the URL in step with the view, so that it can be shared at any moment.
    wanted = write_query(state)
    if _query() != wanted:
        st.query_params.from_dict(wanted)
    mask = filter_mask(loaded.data.events, state, loaded.index)
    return Selection(loaded, state, mask, tuple(st.session_state["notices"]))


def heading(selection: Selection, path: Path, broken: DataError | None) -> None:
    """Show the title, a warning while the file is broken, the link's notices and the count."""
    data = selection.loaded.data
    st.set_page_config(page_title=clean(data.title))
    title = f"<h1 style='margin-bottom:0'>{escape(data.title)}</h1>"
    if data.description:
        title += f"<p style='opacity:.8'>{escape(data.description)}</p>"
    st.html(title)
    if broken is not None:
        st.warning(
            f"The data file {path.name} was saved with {broken.total:,} error(s), so this "
            "page shows its last good version. Fix the file and interact with the page to "
            "load it.",
            icon="⚠️",
        )
        st.code(problem_lines(broken, path.name, 5), language=None, wrap_lines=True)
    if selection.notices:
        with st.container(border=True):
            st.warning("Some parts of this link were ignored or changed:", icon="⚠️")
            # As plain text: nothing from a link becomes a link or Markdown in the page.
            st.code("\n".join(clean(n) for n in selection.notices), language=None,
                    wrap_lines=True)  # fmt: skip
            if st.button("Dismiss", key="dismiss"):
                st.session_state["notices"] = []
                st.rerun()
    st.markdown(f"**{len(selection.shown)} of {len(data.events)} events**")


# Plotly takes a finger on the chart for itself: it holds the page still (no scrolling
# across the chart) and, having seen no mouse move, treats the first tap as a hover only.
# Keeping touches from reaching Plotly hands them back to the browser, which scrolls on a
# drag and turns a tap into the mouse move and click that Plotly reads as a click.
_TOUCH_AS_BROWSER = """<script>
(() => {
  if (window.__timelineTouch) return;
  window.__timelineTouch = true;
  document.addEventListener("touchstart", (event) => {
    if (event.target.closest && event.target.closest(".js-plotly-plot .nsewdrag")) {
      event.stopPropagation();
    }
  }, {capture: true, passive: true});
})();
</script>"""


def tabs(selection: Selection) -> None:
    """Draw every registered tab; an analysis runs only while its tab is open."""
    with st.container(gap=None):  # two scripts that draw nothing: one gap above, none between
        st.html(_TOUCH_AS_BROWSER, unsafe_allow_javascript=True)  # fixed: no data goes in it
        width.measure()  # the timeline groups the markers that would touch at this width
    containers = st.tabs([tab.label for tab in TABS], key="view", on_change="rerun")
    for tab, container in zip(TABS, containers, strict=True):
        with container:
            note(tab.caption)
            if not tab.lazy or container.open:
                tab.render(selection)


def _close() -> None:
    st.session_state["event"] = None


def _details(selection: Selection) -> None:
    """Show the open event in full: every quote, the sources, the note."""
    if st.session_state.get("event") is None:
        # Closed by the button below: a button in a dialog reruns only the dialog, and only
        # a rerun of the whole page takes the dialog away.
        st.rerun()
    loaded, event = selection.loaded, selection.state.event
    at = int(loaded.titles.index.get_indexer(pd.Index([event]))[0])  # ids in the events' order
    if not selection.mask[at]:
        st.markdown("*This event is outside the current filters.*")
    st.html(details_html(loaded.data.events.iloc[at].to_dict(), loaded.data))
    st.button("Close these details", key="close-details", on_click=_close)


# Beside the chart on a desktop, over the page on a phone: where the reader is looking.
_details_dialog = st.dialog("Event details", width="large", position="right",
                            on_dismiss=_close)(_details)  # fmt: skip


def details(selection: Selection) -> None:
    """Show the list of events to open, and the open event's details in a side panel."""
    loaded, state, shown = selection.loaded, selection.state, selection.shown
    st.header("Open an event", anchor=False)
    options = list(shown["id"][:MAX_ROWS])
    if state.event and state.event not in options:
        options.append(state.event)  # opened by link, though outside the filters or the list
    st.selectbox(
        "Open an event", options, key="event",
        format_func=lambda eid: clean(loaded.titles[eid]),
        placeholder="Click a marker, pick a row in the table, or choose here",
    )  # fmt: skip
    if state.event:
        _details_dialog(selection)


def share(selection: Selection) -> None:
    """Show the link that reproduces this view."""
    note("Share this view: the link holds the lanes, the filters, the open tab and the open event.")
    st.code(share_link(st.context.url or "", selection.state), language=None, wrap_lines=True)


__all__ = ["LABELS", "details", "heading", "select", "share", "tabs"]
