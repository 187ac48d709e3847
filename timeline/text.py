"""Untrusted text made safe to show: escaped, wrapped and shortened."""

from __future__ import annotations

import html
import re
import textwrap

# Control characters, and the invisible ones that reorder or hide text: zero-width
# spaces and joiners, direction marks, embeddings, overrides and isolates (U+200B-U+200F,
# U+202A-U+202E, U+2066-U+2069, U+061C), word joiners and invisible operators
# (U+2060-U+2064), the byte-order mark (U+FEFF) and tag characters (U+E0000-U+E007F).
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u2069\ufeff\U000e0000-\U000e007f]"
)


def clean(text: str) -> str:
    """Drop control characters and invisible ones that reorder or hide text on a display."""
    return _INVISIBLE.sub("", text)


def escape(text: str) -> str:
    """Escape text for HTML, so markup shows literally."""
    return html.escape(clean(text), quote=True)


def plotly_escape(text: str) -> str:
    """Escape text for Plotly labels, whose pseudo-HTML decodes &lt; and &amp; but not &quot;."""
    return html.escape(clean(text), quote=False)


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=\"'])")


def markdown_text(text: str) -> str:
    """Return text that Markdown shows as it is: every ASCII punctuation mark escaped.

    For labels Streamlit renders as Markdown (buttons, headings): no link, image, emoji
    code or formula can come from the data.
    """
    return _MARKDOWN.sub(r"\\\1", " ".join(clean(text).split()))


def shorten(text: str, limit: int) -> str:
    """Shorten text to at most `limit` characters at a word boundary, ending in an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.") + "…"


def wrap_html(text: str, width: int) -> str:
    """Escape text and wrap it at `width` characters with <br> for Plotly hovers."""
    lines = textwrap.wrap(" ".join(clean(text).split()), width=width, break_long_words=True)
    return "<br>".join(html.escape(line, quote=False) for line in lines)
