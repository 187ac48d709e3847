"""The events as tables: the CSV and JSON files that the page's downloads and `export` write."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator, Mapping

import pandas as pd

from ..dates import PartialDate
from ..names import Names
from ..schema import Person
from .view import bounded_text

# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


BATCH = 1_000  # events turned into records at a time: memory follows a batch, not the view


def _batches(frame: pd.DataFrame) -> Iterator[pd.DataFrame]:
    for at in range(0, len(frame), BATCH):
        yield frame.iloc[at : at + BATCH]


def _export_records(frame: pd.DataFrame) -> Iterator[dict]:
    """Yield each event as the file writes it, a batch of rows at a time."""
    for batch in _batches(frame):
        for row in batch.to_dict("records"):
            date = PartialDate(row["start"].date(), row["precision"]).iso()
            end = None
            if not pd.isna(row["end"]):
                end = PartialDate(row["end"].date(), row["end_precision"]).iso()
            yield {
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


def json_chunks(frame: pd.DataFrame) -> Iterator[str]:
    """Yield the events as JSON, a record at a time: the text `json.dumps(records, indent=2)`
    gives, since JSON writes no line break inside a string."""
    first = True
    for record in _export_records(frame):
        text = json.dumps(record, ensure_ascii=False, indent=2)
        yield ("[\n  " if first else ",\n  ") + text.replace("\n", "\n  ")
        first = False
    yield "[]" if first else "\n]"


def to_json(frame: pd.DataFrame) -> str:
    """Return the events as JSON, field for field as in the data file (ExportError if too large)."""
    return bounded_text(json_chunks(frame), "The JSON")


_LINE_BREAKS = re.compile(r"\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def _cell(value: str) -> str:
    """Return a cell no spreadsheet runs, however its reader ends lines.

    A leading apostrophe makes a spreadsheet show text instead of running it; each line of
    the cell gets one, since a reader that ends lines at a CR (or another line break)
    would start a new row with it. Line breaks become plain newlines.
    """
    lines = _LINE_BREAKS.split(value)
    return "\n".join("'" + line if line.startswith(_FORMULA_STARTS) else line for line in lines)


CSV_COLUMNS = ["id", "date", "end", "kind", "title", "place", "leaders", "summary", "quotes",
               "sources", "note"]  # fmt: skip


def csv_chunks(frame: pd.DataFrame, people: Mapping[str, Person]) -> Iterator[str]:
    """Yield the events as CSV, a batch of rows at a time, every field quoted.

    People are named by their names cut to `names.NAME_LIMIT`, worked out once each: a
    row is bounded by its event, not by the length of the names it references.
    """
    names = Names(people)
    out = io.StringIO()
    # Every field quoted: a line break inside a cell never ends a row.
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for n, r in enumerate(_export_records(frame), start=1):
        row = [
            r["id"],
            r["date"],
            r["end"] or "",
            r["kind"],
            r["title"],
            r["place"] or "",
            "; ".join(names.name(p) for p in r["leaders"]),
            r["summary"],
            " | ".join(f"{names.name(q['by'])}: {q['text']}" for q in r["quotes"]),
            "; ".join(r["sources"]),
            r["note"] or "",
        ]
        writer.writerow([_cell(str(v)) for v in row])
        if n % BATCH == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def to_csv(frame: pd.DataFrame, people: Mapping[str, Person]) -> str:
    """Return the events as CSV, one row each, with no cell a spreadsheet would run.

    ExportError when it would pass the export bound (`view.MAX_EXPORT_BYTES`).
    """
    return bounded_text(csv_chunks(frame, people), "The CSV")
