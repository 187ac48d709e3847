"""The hover of an event: title, date, place, who took part, and the quotes.

A hover is drawn once for each lane its event sits on, and Plotly sends each copy to the
browser, so every part of it is cut: the title, the place, the people (names cut once, the
first few listed) and the quotes. A hover is at most a few kilobytes, whatever the event
references (see `timeline.names`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..names import NAME_LIMIT, TITLE_LIMIT, Names
from ..schema import Person
from ..text import plotly_escape, shorten, wrap_html
from .style import HOVER_WIDTH

QUOTE_LIMIT = 220
QUOTES_IN_HOVER = 3
GROUP_QUOTE_LIMIT = 120
GROUP_LISTED = 8  # events listed in a group's hover; then "and N more"
KEPT = 5_000  # hovers kept between reruns (a few kB each at most); beyond, kept anew


def _names(people: Mapping[str, Person] | Names) -> Names:
    return people if isinstance(people, Names) else Names(people)


def hover_text(row: Mapping[str, Any], people: Mapping[str, Person] | Names) -> str:
    """Return the escaped hover of one event: title, date, place, who, and the quotes."""
    names = _names(people)
    lines = [f"<b>{wrap_html(shorten(row['title'], TITLE_LIMIT), HOVER_WIDTH)}</b>"]
    where = f" · {plotly_escape(shorten(row['place'], NAME_LIMIT))}" if row["place"] else ""
    lines.append(f"{plotly_escape(row['date_label'])}{where}")
    lines.append(f"{plotly_escape(row['kind'].capitalize())}")
    if len(row["leaders"]):
        lines.append("With: " + wrap_html(names.listing(row["leaders"]), HOVER_WIDTH))
    for quote in row["quotes"][:QUOTES_IN_HOVER]:
        said = wrap_html(f"“{shorten(quote['text'], QUOTE_LIMIT)}”", HOVER_WIDTH)
        lines.append(f"<br>{said}<br><i>— {plotly_escape(names.name(quote['by']))}</i>")
    left = len(row["quotes"]) - QUOTES_IN_HOVER
    if left > 0:
        lines.append(f"<br><i>and {left} more {'quote' if left == 1 else 'quotes'}</i>")
    lines.append("<br><i>Click to open the details</i>")
    return "<br>".join(lines)


def group_hover(members: pd.DataFrame, people: Mapping[str, Person] | Names) -> str:
    """Return the hover of a group: how many, when, and the first titles with a quote each."""
    names = _names(people)
    days = members["label"].unique()
    when = days[0] if len(days) == 1 else f"{days[0]} to {days[-1]}"
    lines = [f"<b>{len(members)} events · {plotly_escape(str(when))}</b>"]
    listed = members.iloc[:GROUP_LISTED]
    for title, label, quotes in zip(
        listed["title"], listed["label"], listed["quotes"], strict=True
    ):
        date = "" if len(days) == 1 else f" ({plotly_escape(str(label))})"
        lines.append(f"<br><b>· {wrap_html(shorten(str(title), TITLE_LIMIT), 56)}</b>{date}")
        if len(quotes):
            said = wrap_html(f"“{shorten(quotes[0]['text'], GROUP_QUOTE_LIMIT)}”", 56)
            lines.append(f"{said}<br><i>— {plotly_escape(names.name(quotes[0]['by']))}</i>")
    if len(members) > GROUP_LISTED:
        lines.append(f"<br><i>and {len(members) - GROUP_LISTED:,} more</i>")
    lines.append("<br><i>Click to list them and open one</i>")
    return "<br>".join(lines)


class HoverTexts:
    """Hover texts of one dataset, written the first time each event is drawn, then kept."""

    def __init__(self, people: Mapping[str, Person]):
        self._names = Names(people)
        self._texts: dict[str, str] = {}

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
            texts[str(row["id"])] = hover_text({str(k): v for k, v in row.items()}, self._names)
        self._texts = texts
        return [texts[i] for i in frame["id"]]
