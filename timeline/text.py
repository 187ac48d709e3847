"""Untrusted text made safe to show: escaped, wrapped and shortened."""

from __future__ import annotations

import html
import re
import textwrap

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """Drop control and bidirectional-override characters, which only confuse a display."""
    return _CONTROL.sub("", text)


def escape(text: str) -> str:
    """Escape text for HTML, so markup shows literally."""
    return html.escape(clean(text), quote=True)


def plotly_escape(text: str) -> str:
    """Escape text for Plotly labels, whose pseudo-HTML decodes &lt; and &amp; but not &quot;."""
    return html.escape(clean(text), quote=False)


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


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&\"'=^])")


def md_escape(text: str) -> str:
    """Escape text for Streamlit Markdown: every punctuation mark shows as itself."""
    return _MARKDOWN.sub(r"\\\1", " ".join(clean(text).split()))
