"""The events as a DataFrame, and the Dataset that carries it with people and sources."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .dates import PartialDate, parse_partial_date, span_label
from .schema import Person, Source


@dataclass(frozen=True)
class Dataset:
    """A validated data file: its heading, people and sources, and one event per row."""

    title: str
    description: str | None
    people: dict[str, Person]
    sources: dict[str, Source]
    events: pd.DataFrame

    @property
    def date_range(self) -> tuple[PartialDate, PartialDate] | None:
        """Return the first and the last date the events cover, or None without events."""
        if self.events.empty:
            return None
        first = self.events["start"].min().date()
        last = self.events["last"].max().date()
        return PartialDate(first, "day"), PartialDate(last, "day")


_COLUMNS = [
    "id", "title", "kind", "start", "end", "last", "precision", "end_precision",
    "date_label", "place", "leaders", "summary", "quotes", "sources", "note",
]  # fmt: skip
_PRECISION = {4: "year", 7: "month", 10: "day"}
PRECISIONS = pd.CategoricalDtype(["year", "month", "day"])
# Second resolution reaches far beyond nanoseconds' 1677-2262, for historians.
DATETIME = "datetime64[s]"


def _period_ends(first: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Return the last day of each date's period: itself, the end of its month or year."""
    month_end = (first.astype("datetime64[M]") + 1).astype("datetime64[D]") - 1
    year_end = (first.astype("datetime64[Y]") + 1).astype("datetime64[D]") - 1
    return np.where(lengths == 10, first, np.where(lengths == 7, month_end, year_end))


def _parse_dates(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Parse YYYY, YYYY-MM and YYYY-MM-DD strings at once; ValueError if any is no date."""
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    padded = [
        t if n == 10 else t + "-01" if n == 7 else t + "-01-01"
        for t, n in zip(texts, lengths, strict=True)
    ]
    first = np.array(padded, dtype="datetime64[D]")
    return first, lengths


def build_frame(events: list[dict[str, Any]]) -> pd.DataFrame:
    """Return one row per (validated) event with typed columns, in date order."""
    n = len(events)
    dates = [e["date"] for e in events]
    ends = [e.get("end") for e in events]
    first, lengths = _parse_dates(dates)
    has_end = np.fromiter((x is not None for x in ends), dtype=bool, count=n)
    end_first, end_lengths = _parse_dates(
        [x if x is not None else d for x, d in zip(ends, dates, strict=True)]
    )
    last = np.where(has_end, _period_ends(end_first, end_lengths), _period_ends(first, lengths))
    precision = [_PRECISION[k] for k in lengths.tolist()]
    end_precision = [
        _PRECISION[k] if h else None
        for k, h in zip(end_lengths.tolist(), has_end.tolist(), strict=True)
    ]
    labels: dict[tuple, str] = {}
    date_label = []
    for d, e in zip(dates, ends, strict=True):
        key = (d, e)
        if key not in labels:
            labels[key] = span_label(parse_partial_date(d), parse_partial_date(e) if e else None)
        date_label.append(labels[key])
    frame = pd.DataFrame(
        {
            "id": [e["id"] for e in events],
            "title": [e["title"] for e in events],
            "kind": [e["kind"] for e in events],
            "start": first.astype(DATETIME),
            "end": np.where(has_end, end_first, np.datetime64("NaT")).astype(DATETIME),
            # The last day the event covers: its end, or the end of its month or year.
            "last": last.astype(DATETIME),
            "precision": pd.Categorical(precision, dtype=PRECISIONS),
            "end_precision": pd.Categorical(end_precision, dtype=PRECISIONS),
            "date_label": date_label,
            "place": [e.get("place") or "" for e in events],  # "" keeps the column text
            "leaders": [list(e.get("leaders") or ()) for e in events],
            "summary": [e["summary"] for e in events],
            "quotes": [[dict(q) for q in e.get("quotes") or ()] for e in events],
            "sources": [list(e["sources"]) for e in events],
            "note": [e.get("note") or "" for e in events],
        },
        columns=_COLUMNS,
    )
    return frame.sort_values(["start", "id"], kind="stable").reset_index(drop=True)
