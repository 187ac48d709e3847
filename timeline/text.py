"""Untrusted text made safe to show: escaped, wrapped and shortened."""

from __future__ import annotations

import html
import itertools
import re
import textwrap
import unicodedata

import pyarrow as pa
import pyarrow.compute as pc

# Control characters, and the invisible ones that reorder or hide text: the zero-width
# space, direction marks, embeddings, overrides and isolates (U+200B, U+200E-U+200F,
# U+202A-U+202E, U+2066-U+2069, U+061C), word joiners and invisible operators
# (U+2060-U+2064), the byte-order mark (U+FEFF) and tag characters (U+E0000-U+E007F).
# The zero-width non-joiner and joiner (U+200C, U+200D) stay: Persian writes words with
# them ("می‌خواهم"), as do Indic scripts and emoji; they join or part letters, never reorder.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u2069\ufeff\U000e0000-\U000e007f]"
)


# Apostrophes and quotation marks typed in other styles, read as the plain ASCII ones.
_APOSTROPHES = "’‘ʼ`´′ʹ"
_QUOTES = "“”„‟″«»"
_MARKS = str.maketrans({**dict.fromkeys(_APOSTROPHES, "'"), **dict.fromkeys(_QUOTES, '"')})


def fold(text: str) -> str:
    """Return text as search compares it: lower case, no accents, plain quotes and spaces.

    'Erdoğan' and 'erdogan' fold alike, as do "don’t" and "don't"; format characters
    (Unicode's Cf: the zero-width non-joiner, joiner, bidi marks) are dropped, so a Persian
    word typed without its non-joiner ('میخواهم') finds it written with one ('می‌خواهم').
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_MARKS))
    plain = "".join(
        c for c in decomposed if not unicodedata.combining(c) and unicodedata.category(c) != "Cf"
    )
    return " ".join(plain.lower().split())


def fold_arrow(texts: pa.Array) -> pa.Array:
    """Fold a column of texts at once, as `fold` does one."""
    out = pc.utf8_normalize(texts, form="NFKD")
    out = pc.replace_substring_regex(out, r"[\p{Mn}\p{Cf}]", "")
    out = pc.replace_substring_regex(out, f"[{_APOSTROPHES}]", "'")
    out = pc.replace_substring_regex(out, f"[{_QUOTES}]", '"')
    return pc.utf8_lower(out)


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


# An http(s) address in text: up to white space, a quotation mark, an angle bracket or a
# backtick (none may stand unescaped in an address; a text's own '"' ends it).
_ADDRESS = re.compile(r"""https?://[^\s"<>`]+""", re.IGNORECASE)
# Marks that end a sentence or a clause after an address rather than belong to it.
_TRAILING = ".,;:!?'*…"
_CLOSING = {")": "(", "]": "[", "}": "{"}
LINK_ATTRIBUTES = 'target="_blank" rel="noopener noreferrer nofollow"'
LINK_LIMIT = 2_048  # characters: a longer address stays text, as a source's does in the details
# Links made in one text at most (about 40 µs each): a text of 100,000 addresses, no reader's,
# must not hold the details up for seconds; the rest stay text.
MAX_LINKS = 200


def _trimmed(address: str) -> str:
    """Return an address found in text without the punctuation after it.

    A closing bracket belongs to the address only when it closes one the address opened:
    "(see https://x.org/a_(b))" gives "https://x.org/a_(b)".
    """
    counts = {c: address.count(c) for c in "()[]{}"}  # once: "x)))..." is no square of work
    end = len(address)
    while end:
        last = address[end - 1]
        opening = _CLOSING.get(last)
        if last in _TRAILING or (opening and counts[opening] < counts[last]):
            end -= 1
            counts[last] = counts.get(last, 0) - 1
        else:
            break
    return address[:end]


def linkify(text: str) -> str:
    """Escape text for HTML, its http(s) addresses made links that open apart and are not followed.

    Text is taken as written (never already escaped) and each piece escaped once; anything
    but an http(s) address with a host (javascript:, data:, a bare www.) stays text.
    """
    # The one rule for addresses, imported here: schema imports errors, which imports this.
    from .schema import web_address

    text = clean(text)
    out, at = [], 0
    for found in itertools.islice(_ADDRESS.finditer(text), MAX_LINKS):
        address = _trimmed(found.group())
        if len(address) > LINK_LIMIT or web_address(address) is None:
            continue
        start = found.start()
        out.append(html.escape(text[at:start], quote=True))
        href = html.escape(address, quote=True)
        out.append(f'<a href="{href}" {LINK_ATTRIBUTES}>{href}</a>')
        at = start + len(address)
    out.append(html.escape(text[at:], quote=True))
    return "".join(out)
