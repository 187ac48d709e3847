"""Tables in: CSV, TSV and .xlsx bytes as a header and rows, each row with its line number."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..files import max_bytes
from .common import ImportFailure
from .dates import ReadDate, from_datetime

XLSX_MAGIC = b"PK\x03\x04"
# An .xlsx is zipped XML: its parts may unzip to this many times the size limit, no more.
XLSX_EXPANSION = 4


@dataclass(frozen=True)
class Row:
    """One row under the header: its line (a spreadsheet's row number) and cells by column."""

    line: int
    cells: dict[str, str]
    dates: dict[str, ReadDate] = field(default_factory=dict)  # a spreadsheet's date cells
    extra: int = 0  # cells beyond the header's last column that hold something

    def get(self, column: str | None) -> str:
        """Return a cell's text, stripped; empty when the column is missing or None."""
        return self.cells.get(column, "").strip() if column else ""


@dataclass(frozen=True)
class Table:
    """A header and the rows under it; `kind` says what the bytes were (CSV, TSV, xlsx)."""

    headers: list[str]
    rows: Iterator[Row]  # read once, as they are asked for
    kind: str


def decode_text(raw: bytes) -> str:
    """Decode UTF-8, or UTF-16 with its byte-order mark (Excel's "Unicode text").

    ImportFailure at the line and column of the first byte that is not UTF-8, or of a NUL.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError as err:
            raise ImportFailure(
                "1", f"not UTF-16 text after its byte-order mark ({err.reason})"
            ) from None
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            line = raw.count(b"\n", 0, err.start) + 1
            column = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
            raise ImportFailure(
                f"{line}:{column}",
                f"byte 0x{raw[err.start]:02x} is not UTF-8 (expected UTF-8 or UTF-16 text; "
                "save it again as UTF-8)",
            ) from None
    if "\x00" in text:
        offset = text.index("\x00")
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        raise ImportFailure(f"{line}:{column}", "a NUL character (expected a text file)")
    return text


def _unique_headers(raw: list[str]) -> list[str]:
    headers: list[str] = []
    for i, text in enumerate(raw, start=1):
        header = " ".join(text.split()) or f"(column {i})"
        if header in headers:  # a second "Date" is still a column of its own
            header = f"{header} (column {i})"
        headers.append(header)
    return headers


def _delimiter(first_line: str, preferred: str | None) -> str:
    counts = {d: first_line.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    if preferred and (counts[preferred] or not counts[best]):
        return preferred
    return best if counts[best] else ","


def read_table(raw: bytes, name: str, expected: str, preferred: str | None = None) -> Table:
    """Open a CSV, TSV or .xlsx table; ImportFailure, located, when it is none of those.

    The rows are read as they are asked for, so a large file is never held twice.
    """
    if not raw.strip():
        raise ImportFailure("1", f"the file is empty (expected {expected})")
    if raw.startswith(XLSX_MAGIC):
        return _read_xlsx(raw, expected)
    text = decode_text(raw)
    first = text.split("\n", 1)[0]
    if first.lstrip().startswith(("{", "[")):
        raise ImportFailure("1", f"this looks like JSON (expected {expected})")
    delimiter = _delimiter(first, preferred)
    lines = _csv_rows(text, delimiter, expected)
    headers: list[str] | None = None
    for _, cells in lines:
        if any(c.strip() for c in cells):
            headers = _unique_headers(cells)
            break
    if headers is None:
        raise ImportFailure("1", f"the file has no header row (expected {expected})")
    kind = {",": "CSV", "\t": "TSV", ";": "CSV (semicolons)"}[delimiter]
    found = headers
    rows = (_row(line, found, cells) for line, cells in lines if any(c.strip() for c in cells))
    return Table(headers, rows, kind)


def _csv_rows(text: str, delimiter: str, expected: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    try:
        for cells in reader:
            start, line = line, reader.line_num + 1  # a quoted cell may span lines
            yield start, cells
    except csv.Error as err:
        raise ImportFailure(
            str(line), f"not readable as CSV: {err} (expected {expected})"
        ) from None


def _row(line: int, headers: list[str], cells: list[str]) -> Row:
    values = dict(zip(headers, cells, strict=False))
    extra = sum(1 for c in cells[len(headers) :] if c.strip())
    return Row(line, values, extra=extra)


def _read_xlsx(raw: bytes, expected: str) -> Table:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as err:
        raise ImportFailure(
            "1", f"a damaged ZIP or .xlsx file ({err}; expected {expected})"
        ) from None
    allowed = XLSX_EXPANSION * max_bytes()
    if unzipped > allowed:
        raise ImportFailure(
            "1",
            f"the workbook unzips to {unzipped:,} bytes, over the limit of {allowed:,} "
            f"({XLSX_EXPANSION} times TIMELINE_MAX_BYTES)",
        )
    try:
        return _xlsx_table(raw)
    except ImportFailure:
        raise
    except Exception as err:  # a hostile workbook can fail anywhere in openpyxl
        raise ImportFailure(
            "1", f"not a readable .xlsx workbook ({type(err).__name__}: {err}; expected {expected})"
        ) from None


def _xlsx_table(raw: bytes) -> Table:
    # Only .xlsx input needs openpyxl, which publishes no types of its own.
    from openpyxl import load_workbook  # type: ignore[import-untyped, unused-ignore]

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about styles it does not know
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    lines = enumerate(book.worksheets[0].iter_rows(), start=1)
    headers: list[str] | None = None
    for _, cells in lines:
        texts = [_cell_text(c) for c in cells]
        if any(t.strip() for t in texts):
            headers = _unique_headers(texts)
            break
    if headers is None:
        book.close()
        raise ImportFailure("1", "the first sheet of the workbook is empty")
    return Table(headers, _xlsx_rows(book, lines, headers), "xlsx")


def _xlsx_rows(book: Any, lines: Iterator[tuple[int, Any]], headers: list[str]) -> Iterator[Row]:
    try:
        for number, cells in lines:
            texts = [_cell_text(c) for c in cells]
            if not any(t.strip() for t in texts):
                continue
            row = _row(number, headers, texts)
            dates = {
                h: d
                for h, c in zip(headers, cells, strict=False)
                if (d := _cell_date(c)) is not None
            }
            yield Row(row.line, row.cells, dates, row.extra)
    except Exception as err:  # a hostile workbook can fail anywhere in openpyxl
        raise ImportFailure(
            "1", f"not a readable .xlsx workbook ({type(err).__name__}: {err})"
        ) from None
    finally:
        book.close()


def _cell_text(cell: Any) -> str:
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


_QUOTED_FORMAT = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def _cell_date(cell: Any) -> ReadDate | None:
    """Return a date cell at the precision its number format shows (mmm yyyy: a month)."""
    value = getattr(cell, "value", None)
    if not isinstance(value, dt.date):
        return None
    shown = _QUOTED_FORMAT.sub("", str(getattr(cell, "number_format", "") or "").lower())
    date_part = shown.split("h")[0]  # minutes are m too: look before the hours only
    if "d" in date_part or "m" not in date_part:
        precision = "day" if "d" in date_part or "y" not in date_part else "year"
    else:
        precision = "month"
    try:
        return from_datetime(value, precision)
    except ValueError:
        return None
