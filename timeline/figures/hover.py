"""The hover of an event: title, date, place, who took part, and the quotes.

A hover is drawn once for each lane its event sits on, and Plotly sends each copy to the
browser, so every part of it is cut: the title, the place, the people (names cut once, the
first few listed) and the quotes. A hover is at most a few kilobytes, whatever the event
references (see `timeline.names`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..i18n import DEFAULT_LANG, Translator, translator
from ..names import LISTED, NAME_LIMIT, TITLE_LIMIT, Names
from ..record import fields_for
from ..schema import Person
from ..state import KNOWN_KINDS
from ..text import plotly_escape, shorten, wrap_html
from .style import HOVER_WIDTH

QUOTE_LIMIT = 220
QUOTES_IN_HOVER = 3
GROUP_QUOTE_LIMIT = 120
GROUP_LISTED = 8  # events listed in a group's hover; then "and N more"
HOVER_LIMIT = 5_000  # characters of a hover, after escaping
# Markers a timeline may draw: one per event and lane, each with its hover, all sent to the
# browser. 20,000 hovers of at most about 5 kB stay near 100 MB, half Streamlit's limit on
# a message; more markers are drawn as the density chart (the page) or left out (the
# static page, which lists every event).
MAX_MARKS = 20_000
KEPT = 5_000  # hovers kept between reruns (a few kB each at most); beyond, kept anew


# The fields marked "hover" that the lines below write their own way; any other field
# marked "hover" gets a line "Name: value" (`timeline.record`).
_WRITTEN = ("title", "date", "end", "kind", "place", "leaders", "quotes")
_OTHERS = tuple(f for f in fields_for("hover") if f not in _WRITTEN)


def _words(value: Any) -> str:
    """Return a field's value as words: a text, or a list's items joined."""
    if isinstance(value, str):
        return value
    if value is None or isinstance(value, Mapping) or not hasattr(value, "__len__"):
        return ""
    return ", ".join(str(v) for v in value)


def _names(people: Mapping[str, Person] | Names) -> Names:
    return people if isinstance(people, Names) else Names(people)


@dataclass(frozen=True)
class _Form:
    title: int  # characters of a title
    people: int  # people named before "and N more"
    quotes: int  # quotes shown
    quote: int  # characters of a quote
    members: int  # a group's events listed


_FULL = _Form(title=TITLE_LIMIT, people=LISTED, quotes=QUOTES_IN_HOVER, quote=QUOTE_LIMIT,
              members=GROUP_LISTED)  # fmt: skip
# For a hover that escaping made longer than HOVER_LIMIT: at most about 4.5 kB, whatever
# the text (every character escaped to five).
_SHORT = _Form(title=100, people=3, quotes=1, quote=120, members=2)


def hover_text(
    row: Mapping[str, Any], people: Mapping[str, Person] | Names, words: Translator | None = None
) -> str:
    """Return the escaped hover of one event: title, date, place, who, and the quotes.

    At most HOVER_LIMIT characters or so: a longer one is written again in a shorter form.
    `words` is the reader's language (English when None); the row's `date_label` is its own.
    """
    t = words or translator(DEFAULT_LANG)
    text = _hover(row, _names(people), _FULL, t)
    return text if len(text) <= HOVER_LIMIT else _hover(row, _names(people), _SHORT, t)


def _hover(row: Mapping[str, Any], names: Names, form: _Form, t: Translator) -> str:
    lines = [f"<b>{wrap_html(shorten(row['title'], form.title), HOVER_WIDTH)}</b>"]
    where = f" · {plotly_escape(shorten(row['place'], NAME_LIMIT))}" if row["place"] else ""
    lines.append(f"{plotly_escape(row['date_label'])}{where}")
    kind = t.gettext(row["kind"]) if row["kind"] in KNOWN_KINDS else row["kind"]
    lines.append(f"{plotly_escape(kind.capitalize())}")
    if len(row["leaders"]):
        who = wrap_html(names.listing(row["leaders"], form.people), HOVER_WIDTH)
        lines.append(t.gettext("With: {names}", names=who))
    for name in _OTHERS:  # any other field marked "hover": a line of its own
        if value := _words(row.get(name)):
            # 'End time', named in the reader's language (views.FIELD_LABELS marks them).
            label = plotly_escape(t.gettext(name.replace("_", " ").capitalize()))
            lines.append(f"{label}: {wrap_html(shorten(value, NAME_LIMIT), HOVER_WIDTH)}")
    for quote in row["quotes"][: form.quotes]:
        said = wrap_html(f"“{shorten(quote['text'], form.quote)}”", HOVER_WIDTH)
        lines.append(f"<br>{said}<br><i>— {plotly_escape(names.name(quote['by']))}</i>")
    left = len(row["quotes"]) - form.quotes
    if left > 0:
        more = t.ngettext("and {count} more quote", "and {count} more quotes", left)
        lines.append(f"<br><i>{more}</i>")
    click = t.gettext("Click to open the details")
    lines.append(f"<br><i>{click}</i>")
    return "<br>".join(lines)


def group_hover(
    members: pd.DataFrame, people: Mapping[str, Person] | Names, words: Translator | None = None
) -> str:
    """Return the hover of a group: how many, when, and the first titles with a quote each.

    At most HOVER_LIMIT characters or so, as an event's hover. `words` is the reader's
    language (English when None); the members' `label` (their dates) are already in it.
    """
    t = words or translator(DEFAULT_LANG)
    text = _group(members, _names(people), _FULL, t)
    return text if len(text) <= HOVER_LIMIT else _group(members, _names(people), _SHORT, t)


def _group(members: pd.DataFrame, names: Names, form: _Form, t: Translator) -> str:
    days = members["label"].unique()
    when = str(days[0]) if len(days) == 1 else t.gettext("{first} to {last}", first=days[0],
                                                         last=days[-1])  # fmt: skip
    head = t.ngettext("{count} event · {when}", "{count} events · {when}", len(members),
                      when=plotly_escape(when))  # fmt: skip
    lines = [f"<b>{head}</b>"]
    listed = members.iloc[: form.members]
    for title, label, quotes in zip(
        listed["title"], listed["label"], listed["quotes"], strict=True
    ):
        date = "" if len(days) == 1 else f" ({plotly_escape(str(label))})"
        lines.append(f"<br><b>· {wrap_html(shorten(str(title), form.title), 56)}</b>{date}")
        if len(quotes) and form.quotes:
            said = wrap_html(
                f"“{shorten(quotes[0]['text'], min(form.quote, GROUP_QUOTE_LIMIT))}”", 56
            )
            lines.append(f"{said}<br><i>— {plotly_escape(names.name(quotes[0]['by']))}</i>")
    if len(members) > form.members:
        more = t.ngettext("and {count} more", "and {count} more", len(members) - form.members)
        lines.append(f"<br><i>{more}</i>")
    click = t.gettext("Click to list them and open one")
    lines.append(f"<br><i>{click}</i>")
    return "<br>".join(lines)


class HoverTexts:
    """Hover texts of one dataset, written the first time each event is drawn, then kept."""

    def __init__(self, people: Mapping[str, Person], words: Translator | None = None):
        self._names = Names(people)
        self._words = words  # the language its hovers are written in (English when None)
        self._texts: dict[str, str] = {}

    @property
    def words(self) -> Translator | None:
        """Return the language its hovers are written in (None: English)."""
        return self._words

    @property
    def names(self) -> Names:
        """Return the dataset's names as hovers show them, cut once per person."""
        return self._names

    def of(self, frame: pd.DataFrame) -> list[str]:
        """Return the hover of each event of a frame, in its order."""
        texts = self._texts  # viewers share it: each works on the store it started with
        missing = frame[~frame["id"].isin(list(texts))]
        if len(texts) + len(missing) > KEPT:
            texts, missing = {}, frame  # bounded: a long session over a large file
        for row in missing.to_dict("records"):
            row_ = {str(k): v for k, v in row.items()}
            texts[str(row["id"])] = hover_text(row_, self._names, self._words)
        self._texts = texts
        return [texts[i] for i in frame["id"]]
