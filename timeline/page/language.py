"""The page's language: the reader's choice (widget `lang`), its translator and its direction."""

from __future__ import annotations

import json
import weakref
from collections.abc import Iterable, Mapping
from typing import get_args

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ..card import Heading, heading, lang_attributes, translated
from ..dates import PartialDate, Precision
from ..figures.hover import HoverTexts
from ..figures.timeline import name_axis
from ..frame import Dataset
from ..i18n import (
    DEFAULT_LANG,
    N_,
    NATIVE_NAMES,
    Translator,
    as_lang,
    resolve_lang,
    span_in,
    translator,
)
from ..lanes import NO_LANE
from ..schema import Person
from ..state import LANGS, Lang
from ..text import escape

PRECISIONS = get_args(Precision)


def data_block(html: str) -> str:
    """Return the data's own HTML (a card) in the direction of its own letters on an RTL page."""
    # The card's English text inside a right-to-left page would otherwise reorder its runs
    # ("July 2022 · Tehran · meeting 19").
    return f"<div dir='auto'>{html}</div>" if current().direction == "rtl" else html


def browser_lang(url: Iterable[str]) -> Lang:
    """Return the URL's `lang` when valid, else the browser's first of ours, else English."""
    headers = st.context.headers
    header = headers.get("Accept-Language") if headers else None
    return resolve_lang(url, header, st.context.locale)


def current() -> Translator:
    """Return the translator of the language chosen in this session."""
    return translator(as_lang(st.session_state.get("lang")) or DEFAULT_LANG)


def _partial(day: object, precision: object) -> PartialDate | None:
    if not isinstance(day, pd.Timestamp) or pd.isna(day) or precision not in PRECISIONS:
        return None
    return PartialDate(day.date(), precision)  # type: ignore[arg-type]


def when(row: pd.Series) -> str:
    """Return an event's date in the session's language (English: the frame's own label)."""
    return _when(current().lang, row["start"], row["precision"], row["end"],
                 row["end_precision"], row["date_label"])  # fmt: skip


def _when(lang: Lang, start: object, precision: object, end: object, end_precision: object,
          label: object) -> str:  # fmt: skip
    first = _partial(start, precision)
    if lang == DEFAULT_LANG or first is None:
        return str(label)
    return span_in(lang, first, _partial(end, end_precision))


# The hover texts of each dataset in each language but English (which keeps the dataset's
# own): a hover is written once per event and kept, so one language's must never serve
# another's. Keyed weakly by the dataset's English texts: they go when the dataset goes.
_HOVERS: weakref.WeakKeyDictionary[HoverTexts, dict[Lang, HoverTexts]] = weakref.WeakKeyDictionary()


def hovers_for(english: HoverTexts, people: Mapping[str, Person]) -> HoverTexts:
    """Return the kept hover texts of a dataset in the session's language.

    English too gets its own: a file written in another language may translate its titles
    into English, and the dataset's own hovers hold the originals.
    """
    lang = current().lang
    words = None if lang == DEFAULT_LANG else current()
    return _HOVERS.setdefault(english, {}).setdefault(lang, HoverTexts(people, words))


def with_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """Return events with `date_label` in the session's language, for a chart's labels, and
    their titles, summaries and notes in it where the file translates them."""
    lang = current().lang
    frame = translated(frame, lang)
    if lang == DEFAULT_LANG:
        return frame
    columns = (frame[c] for c in ("start", "precision", "end", "end_precision", "date_label"))
    labels = [_when(lang, *values) for values in zip(*columns, strict=True)]
    return frame.assign(date_label=pd.Series(labels, index=frame.index, dtype=object))


def heading_of(data: Dataset) -> Heading:
    """Return the file's heading in the session's language where the file translates it."""
    return heading(data, current().lang)


def heading_html(head: Heading, size: str) -> str:
    """Return the heading as escaped HTML, each text marked with its language."""
    t = current()
    # On a right-to-left page the file's own text takes the direction of its own letters.
    auto = " dir='auto'" if t.direction == "rtl" else ""
    lang = lang_attributes(head.title_lang) or auto
    html = f"<h1{lang} style='margin-bottom:0;{size}'>{escape(head.title)}</h1>"
    if head.description:
        lang = lang_attributes(head.description_lang) or auto
        html += f"<p{lang} style='opacity:.8'>{escape(head.description)}</p>"
    if head.source is not None:
        said, source = escape(t.gettext("Translation")), head.source
        cited = escape(source.title)
        if source.url:  # an http(s) address (schema.web_address), checked again by the card
            link = f'href="{escape(source.url)}" target="_blank" rel="noopener noreferrer"'
            cited = f"<a {link}>{cited}</a>"
        html += f"<p style='opacity:.6;font-size:.85em'>{said}: {cited}</p>"
    return html


# The usual kinds (state.KNOWN_KINDS) and the legend's own entries (figures.timeline), named
# in each language; a kind a file adds stays as the file writes it.
LEGEND_WORDS = (
    N_("meeting"), N_("summit"), N_("visit"), N_("agreement"), N_("statement"), N_("report"),
    N_("events of one day"), N_("events close together"),
)  # fmt: skip


# The tempo chart's own words (figures.tempo): its bands' legend and its y axis.
TEMPO_WORDS = (
    N_("known only to the month"), N_("known only to the year"),
    N_("events per month"), N_("events per quarter"), N_("events per year"),
)  # fmt: skip


def lane_word(label: str) -> str:
    """Return a lane's label, the lane of events without one in the session's language."""
    return current().gettext(label) if label in NO_LANE.values() else label


def kind_word(kind: str) -> str:
    """Return a kind in the session's language when it is one of the usual ones."""
    return current().gettext(kind) if kind in LEGEND_WORDS else kind


def name_legend(figure: go.Figure) -> go.Figure:
    """Name a chart's legend entries in the session's language, and its markers' counts in
    the language's digits (English untouched)."""
    t = current()
    if t.lang == DEFAULT_LANG:
        return figure
    for trace in figure.data:
        if trace.name in LEGEND_WORDS[-2:] and trace.text is not None:  # numbered markers
            trace.text = [t.digits(str(text)) for text in trace.text]
        if trace.showlegend is not False and trace.name in (*LEGEND_WORDS, *TEMPO_WORDS):
            trace.name = t.gettext(trace.name)
    lanes = figure.layout.yaxis.ticktext  # the lane of events without one, by its words
    if lanes:
        figure.update_yaxes(ticktext=[lane_word(lane) for lane in lanes])
    title = figure.layout.yaxis.title.text
    if title in TEMPO_WORDS:
        figure.update_yaxes(title_text=t.gettext(title))
    return figure


def name_ticks(figure: go.Figure, width: int | None = None) -> go.Figure:
    """Name a date axis' ticks in the session's language (Plotly names them in English only).

    English keeps Plotly's own ticks; the axis runs left to right in every language
    (`figures.timeline.name_axis`, which the static page uses too).
    """
    return name_axis(figure, current(), width)


def choose() -> None:
    """Draw the language choice, each language in its own name."""
    st.selectbox("Language · Язык · زبان · Dil · اللغة", LANGS, key="lang",
                 format_func=NATIVE_NAMES.__getitem__)  # fmt: skip


# Persian and Arabic read right to left: the main column and the sidebar turn, and the
# widgets in them follow the inherited direction. The charts keep theirs: Plotly lays out
# its own SVG, and the time axis runs left to right in every language (see the README).
_RTL_STYLE = """<style>
[data-testid="stMain"], [data-testid="stSidebar"], [data-testid="stDialog"] {
  direction: rtl;
}
[data-testid="stMain"] .js-plotly-plot, [data-testid="stMain"] pre { direction: ltr; }
[data-testid="stMain"] .st-key-link-notices pre { direction: rtl; text-align: right; }
</style>"""

PROBLEMS_KEY = "data-problems"  # the container of a data file's problem lines
LINK_NOTICES_KEY = "link-notices"  # the box of the link's notices: in the page's direction
# The problem lines are the validator's English (file:line:col: message): marked so, left to
# right, on every page. A fixed script: no data goes in it.
_ENGLISH_BLOCK = f"""<script>
requestAnimationFrame(() => document.querySelectorAll(".st-key-{PROBLEMS_KEY}").forEach((e) => {{
  e.lang = "en"; e.dir = "ltr";
}}));
</script>"""


def problems(lines: str) -> None:
    """Show a data file's problem lines as the validator writes them: English, left to right."""
    with st.container(key=PROBLEMS_KEY):
        st.code(lines, language=None, wrap_lines=True)
        st.html(_ENGLISH_BLOCK, unsafe_allow_javascript=True)


def direction_style(t: Translator) -> str:
    """Return the page's CSS for the language's direction ('' for left to right)."""
    return _RTL_STYLE if t.direction == "rtl" else ""


def document_lang(t: Translator) -> str:
    """Return a script that declares the page's language on <html>, for screen readers.

    Only one of the fixed language codes goes in it, never text from a link or the file.
    """
    return f"<script>document.documentElement.lang = {json.dumps(t.lang)};</script>"
