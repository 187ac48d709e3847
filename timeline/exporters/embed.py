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
# That height is only where the frame starts. The page, when it is framed, tells the article
# its content's height in a message of this type (page/parts.py), and the snippet's script
# sets the frame to it: on a phone the same view is half as tall again (1,269 px at 390 px
# wide for the default 858). It takes heights from the frame's own window and the
# dashboard's origin only, as a number within these bounds.
HEIGHT_MESSAGE = "timeline-embed:height"
FOLLOW_MIN, FOLLOW_MAX = 200, 20_000
_FOLLOW = (
    "<script>(() => {"
    "const frame = document.currentScript.previousElementSibling;"
    "const origin = new URL(frame.src).origin;"
    "addEventListener('message', (e) => {"
    "if (e.source !== frame.contentWindow || e.origin !== origin) return;"
    "const d = e.data;"
    f"if (!d || d.type !== '{HEIGHT_MESSAGE}') return;"
    "const h = Math.ceil(Number(d.height));"
    f"if (Number.isFinite(h) && h >= {FOLLOW_MIN} && h <= {FOLLOW_MAX})"
    " frame.style.height = h + 'px';"
    "});"
    "})();</script>"
)


def embed_url(page_url: str, view: View) -> str:
    """Return the address of the view in embed mode: Streamlit's `embed=true`, then the view."""
    return share_link(page_url, view.link_state, embedded=True)


def embed_height(lanes: int) -> int:
    """Return an iframe height in pixels that shows a chart of this many lanes whole."""
    return max(MIN_HEIGHT, min(MAX_HEIGHT, BASE_HEIGHT + LANE_HEIGHT * lanes))


def embed_snippet(page_url: str, view: View) -> str:
    """Return the HTML to paste into an article: an iframe of this view, titled, sized.

    A script after the frame makes its height follow the page's content at any width; where
    an article strips scripts, the frame keeps the height for its lanes and scrolls inside.
    """
    src = escape(embed_url(page_url, view))
    title = escape(f"{view.data.title}: interactive timeline")
    height = embed_height(len(view.layout.lanes))
    return (
        f'<iframe src="{src}" title="{title}" width="100%" height="{height}" '
        f'style="border:0" loading="lazy"></iframe>{_FOLLOW}'
    )
