"""The publishing tab: this view for TimelineJS, as a static page, and as an embed snippet."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from ... import figures
from ...exporters.embed import embed_snippet
from ...exporters.html import static_page
from ...exporters.tables import estimated_size
from ...exporters.timelinejs import timelinejs_json
from ...exporters.view import MAX_EXPORT_BYTES, View
from ..note import note
from ..selection import Selection
from .base import Tab

# Where the page is when Streamlit cannot say (a test run): the snippet says to replace it.
FALLBACK_URL = "http://localhost:8501/"


def _page_url() -> str:
    return st.context.url or FALLBACK_URL


def _heading(text: str) -> None:
    # h2 under the page's h1 (Streamlit's subheader is an h3), sized as a subheading.
    st.html(f"<h2 style='font-size:1.25rem;margin:.75rem 0 .25rem'>{text}</h2>")


def render(selection: Selection) -> None:
    """Offer the view as TimelineJS JSON, as a static page, and as an iframe to embed."""
    loaded = selection.loaded
    view = View(loaded.data, selection.state, loaded.index, selection.mask)
    url = _page_url()
    _heading("Download this view")
    left, right, _ = st.columns([1, 1, 2])
    # Written only when asked for (a large view would slow every rerun of the page) and
    # sent apart from the page; a file that would pass the export bound is not offered.
    # TimelineJS's slides name people and sources cut, as the static page does.
    page = estimated_size(view.shown, loaded.hovers.names, "html")
    slides = page if not view.shown.empty else 0
    left.download_button(
        "TimelineJS JSON", lambda: timelinejs_json(view, url), "timeline.json",
        "application/json", width="stretch",
        disabled=view.shown.empty or slides > MAX_EXPORT_BYTES,
        help="For TimelineJS: one slide per event, quotes and sources in its text",
    )  # fmt: skip
    right.download_button(
        "Static page (HTML)",
        lambda: static_page(view, figures, exported=dt.date.today(), base_url=url),
        "timeline.html", "text/html", width="stretch", disabled=page > MAX_EXPORT_BYTES,
        help="One file that opens without a server or network: the chart and every event",
    )  # fmt: skip
    if view.shown.empty:
        note("TimelineJS needs at least one event: widen the filters to download it.")
    big = [f"{what} (about {size / 1024**2:,.0f} MB)"
           for what, size in (("TimelineJS file", slides), ("static page", page))
           if size > MAX_EXPORT_BYTES]  # fmt: skip
    if big:
        note(
            f"The {' and the '.join(big)} of these {len(view.shown):,} events would be over "
            f"{MAX_EXPORT_BYTES // 1024**2:,} MB: narrow the filters to download them."
        )
    _heading("Embed this view")
    note(
        "Paste this into an article: the live dashboard at this view, framed. Readers can "
        "hover, open events and change the filters; it needs this server to keep running. "
        "The script after the frame sizes it to the page at any width (where an article "
        "strips scripts, the frame scrolls inside)."
    )
    st.code(embed_snippet(url, view), language="html", wrap_lines=True)


TAB = Tab(
    name="publish",
    label="Publish",
    caption="Take this view out: for TimelineJS, as a page that needs no server, or embedded "
    "in an article. Each holds the events the filters keep.",
    render=render,
    lazy=True,
)
