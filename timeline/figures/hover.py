"""The hover of an event: title, date, place, who took part, and the quotes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..lanes import person_name
from ..schema import Person
from ..text import plotly_escape, shorten, wrap_html
from .style import HOVER_WIDTH

QUOTE_LIMIT = 220
QUOTES_IN_HOVER = 3


def hover_text(row: Mapping[str, Any], people: Mapping[str, Person]) -> str:
    """Return the escaped hover of one event: title, date, place, who, and the quotes."""
    lines = [f"<b>{wrap_html(row['title'], HOVER_WIDTH)}</b>"]
    where = f" · {plotly_escape(row['place'])}" if row["place"] else ""
    lines.append(f"{plotly_escape(row['date_label'])}{where}")
    lines.append(f"{plotly_escape(row['kind'].capitalize())}")
    if len(row["leaders"]):
        who = ", ".join(person_name(people, p) for p in row["leaders"])
        lines.append("With: " + wrap_html(who, HOVER_WIDTH))
    for quote in row["quotes"][:QUOTES_IN_HOVER]:
        said = wrap_html(f"“{shorten(quote['text'], QUOTE_LIMIT)}”", HOVER_WIDTH)
        lines.append(f"<br>{said}<br><i>— {plotly_escape(person_name(people, quote['by']))}</i>")
    more = len(row["quotes"]) - QUOTES_IN_HOVER
    if more > 0:
        lines.append(f"<br><i>and {more} more {'quote' if more == 1 else 'quotes'}</i>")
    lines.append("<br><i>Click to open the details</i>")
    return "<br>".join(lines)


class HoverTexts:
    """Hover texts of one dataset, written the first time each event is drawn, then kept."""

    def __init__(self, people: Mapping[str, Person]):
        self._people = people
        self._texts: dict[str, str] = {}

    def of(self, frame: pd.DataFrame) -> list[str]:
        """Return the hover of each event of a frame, in its order."""
        missing = frame[~frame["id"].isin(list(self._texts))]
        for row in missing.to_dict("records"):
            self._texts[str(row["id"])] = hover_text(
                {str(k): v for k, v in row.items()}, self._people
            )
        return [self._texts[i] for i in frame["id"]]
