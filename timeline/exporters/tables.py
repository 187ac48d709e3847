"""The events as tables: the CSV and JSON files that the page's downloads and `export` write."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Mapping

import pandas as pd

from ..dates import PartialDate
from ..lanes import person_name
from ..schema import Person

# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _export_records(frame: pd.DataFrame) -> list[dict]:
    records = []
    for row in frame.to_dict("records"):
        date = PartialDate(row["start"].date(), row["precision"]).iso()
        end = None
        if not pd.isna(row["end"]):
            end = PartialDate(row["end"].date(), row["end_precision"]).iso()
        records.append(
            {
                "id": row["id"],
                "title": row["title"],
                "date": date,
                "end": end,
                "kind": row["kind"],
                "place": row["place"] or None,
                "leaders": list(row["leaders"]),
                "summary": row["summary"],
                "quotes": list(row["quotes"]),
                "sources": list(row["sources"]),
                "note": row["note"] or None,
            }
        )
    return records


def to_json(frame: pd.DataFrame) -> str:
    """Return the events as JSON, field for field as in the data file."""
    return json.dumps(_export_records(frame), ensure_ascii=False, indent=2)


_LINE_BREAKS = re.compile(r"\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def _cell(value: str) -> str:
    """Return a cell no spreadsheet runs, however its reader ends lines.

    A leading apostrophe makes a spreadsheet show text instead of running it; each line of
    the cell gets one, since a reader that ends lines at a CR (or another line break)
    would start a new row with it. Line breaks become plain newlines.
    """
    lines = _LINE_BREAKS.split(value)
    return "\n".join("'" + line if line.startswith(_FORMULA_STARTS) else line for line in lines)


def to_csv(frame: pd.DataFrame, people: Mapping[str, Person]) -> str:
    """Return the events as CSV, one row each, with no cell a spreadsheet would run."""
    rows = []
    for r in _export_records(frame):
        rows.append(
            {
                "id": r["id"],
                "date": r["date"],
                "end": r["end"] or "",
                "kind": r["kind"],
                "title": r["title"],
                "place": r["place"] or "",
                "leaders": "; ".join(person_name(people, p) for p in r["leaders"]),
                "summary": r["summary"],
                "quotes": " | ".join(
                    f"{person_name(people, q['by'])}: {q['text']}" for q in r["quotes"]
                ),
                "sources": "; ".join(r["sources"]),
                "note": r["note"] or "",
            }
        )
    table = pd.DataFrame(
        rows,
        columns=[
            "id",
            "date",
            "end",
            "kind",
            "title",
            "place",
            "leaders",
            "summary",
            "quotes",
            "sources",
            "note",
        ],
    )
    # Every field quoted: a line break inside a cell never ends a row.
    return table.map(lambda v: _cell(str(v))).to_csv(index=False, quoting=csv.QUOTE_ALL)
