"""The page's language: the reader's choice (widget `lang`), its translator and its direction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import get_args

import pandas as pd
import streamlit as st

from ..dates import PartialDate, Precision
from ..i18n import (
    DEFAULT_LANG,
    NATIVE_NAMES,
    Translator,
    as_lang,
    resolve_lang,
    span_in,
    translator,
)
from ..state import LANGS, Lang

PRECISIONS = get_args(Precision)


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
    lang = current().lang
    start = _partial(row["start"], row["precision"])
    if lang == DEFAULT_LANG or start is None:
        return str(row["date_label"])
    return span_in(lang, start, _partial(row["end"], row["end_precision"]))


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
</style>"""


def direction_style(t: Translator) -> str:
    """Return the page's CSS for the language's direction ('' for left to right)."""
    return _RTL_STYLE if t.direction == "rtl" else ""
