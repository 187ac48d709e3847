"""The embed snippet: an <iframe> of the live dashboard at this view, to paste into an article."""

from __future__ import annotations

from ..query import share_link
from ..text import escape
from .view import View

# The embedded page shows the title, the count, the tabs and their captions before the
# chart (its top is 464 to 512 px down at widths of 700 to 1000 px, measured on the shipped
# data), then the chart: 56 px a lane, 280 px at least. Capped: an article is never mostly
# iframe, and a taller chart scrolls inside it.
BASE_HEIGHT = 690
LANE_HEIGHT = 56
MIN_HEIGHT, MAX_HEIGHT = 840, 1600


def embed_url(page_url: str, view: View) -> str:
    """Return the address of the view in embed mode: Streamlit's `embed=true`, then the view."""
    return share_link(page_url, view.link_state, embedded=True)


def embed_height(lanes: int) -> int:
    """Return an iframe height in pixels that shows a chart of this many lanes whole."""
    return max(MIN_HEIGHT, min(MAX_HEIGHT, BASE_HEIGHT + LANE_HEIGHT * lanes))


def embed_snippet(page_url: str, view: View) -> str:
    """Return the HTML to paste into an article: an iframe of this view, titled, sized."""
    src = escape(embed_url(page_url, view))
    title = escape(f"{view.data.title}: interactive timeline")
    height = embed_height(len(view.layout.lanes))
    return (
        f'<iframe src="{src}" title="{title}" width="100%" height="{height}" '
        'style="border:0" loading="lazy"></iframe>'
    )
