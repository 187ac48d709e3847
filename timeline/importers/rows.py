"""Tables in: CSV, TSV and .xlsx bytes as a header and rows, each row with its line number."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal
from xml.etree import ElementTree

from pydantic import ValidationError

from ..errors import shown
from ..files import max_bytes
from ..text import clean, shorten
from .common import ImportFailure, Report, Skip, reason
from .dates import DateProblem, ReadDate, from_datetime

XLSX_MAGIC = b"PK\x03\x04"
# An .xlsx is zipped XML: its parts may unzip to this many times the size limit, no more,
# counted as they are inflated.
XLSX_EXPANSION = 4
# A cell holds at most this many characters; a longer one is cut, with a message. The csv
# module's own limit (131,072) failed the whole file instead.
MAX_CELL = 100_000
MAX_COLUMNS = 200_000  # columns in a header row; Excel itself stops at 16,384
MAX_PARTS = 10_000  # parts in a workbook, which has a few dozen
# The parts openpyxl reads whole (workbook, styles, theme, properties, relationships) may
# unzip to this much in all; worksheets and shared strings are read here, streamed.
OTHER_PARTS = 8 * 1024 * 1024
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Row:
    """One row under the header: its line (a spreadsheet's row number) and cells by column."""

    line: int
    cells: dict[str, str]  # the cells that hold something, cut to MAX_CELL
    dates: dict[str, ReadDate] = field(default_factory=dict)  # a spreadsheet's date cells
    extra: int = 0  # cells beyond the header's last column that hold something
    cut: tuple[tuple[str, int], ...] = ()  # (column, characters it had) for cells cut
    unsplit: bool = False  # a row the reader could not split: a quote never closed

    def get(self, column: str | None) -> str:
        """Return a cell's text, stripped; empty when the column is missing or None."""
        return self.cells.get(column, "").strip() if column else ""


@dataclass(frozen=True)
class Table:
    """A header and the rows under it; `kind` says what the bytes were (CSV, TSV, xlsx)."""

    headers: list[str]
    rows: Iterator[Row]  # read once, as they are asked for
    kind: str


def take_row(row: Row, report: Report) -> bool:
    """Report the cells of a row that were cut; False (the row reported skipped) if unsplit."""
    where = str(row.line)
    if row.unsplit:
        report.skip(
            where,
            "a quote opened on this line is never closed, so the row cannot be split into "
            'cells (expected a closing " before the end of the file); the lines after it are '
            "read as rows again",
        )
        return False
    for column, length in row.cut:
        report.change(
            where,
            f"{shown(column)}: a cell of {length:,} characters, over the limit of "
            f"{MAX_CELL:,}; cut to its first {MAX_CELL:,}",
        )
    return True


# What leaves one row or item out, with its reason, rather than the whole input.
PROBLEMS = (Skip, DateProblem, ValidationError)


def import_rows(rows: Iterable[Row], report: Report, add: Callable[[Row], None]) -> None:
    """Add each row that can be split into cells; a row with a problem is skipped and said."""
    for row in rows:
        if not take_row(row, report):
            continue
        try:
            add(row)
        except PROBLEMS as err:
            report.skip(str(row.line), reason(err))


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
    if len(raw) > MAX_COLUMNS:
        raise ImportFailure(
            "1",
            f"the header row has {len(raw):,} columns, over the limit of {MAX_COLUMNS:,} "
            "(expected a table a person can read: Excel itself stops at 16,384)",
        )
    headers: list[str] = []
    seen: set[str] = set()
    for i, text in enumerate(raw, start=1):
        header = " ".join(text[:MAX_CELL].split()) or f"(column {i})"
        if header in seen:  # a second "Date" is still a column of its own
            header = f"{header} (column {i})"
            n = 2
            while header in seen:  # a column can be called "Date (column 3)" too
                header = f"{header} ({n})"
                n += 1
        seen.add(header)
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
    end = text.find("\n")
    first = text if end < 0 else text[:end]
    if first.lstrip().startswith(("{", "[")):
        raise ImportFailure("1", f"this looks like JSON (expected {expected})")
    delimiter = _delimiter(first, preferred)
    lines = _csv_rows(text, delimiter, expected)
    headers: list[str] | None = None
    for line, cells in lines:
        if cells == [UNSPLIT]:
            raise ImportFailure(
                str(line),
                "a quote opened in the header row is never closed, so it cannot be split "
                f'into columns (expected a closing " and then {expected})',
            )
        if any(c.strip() for c in cells):
            headers = _unique_headers(cells)
            break
    if headers is None:
        raise ImportFailure("1", f"the file has no header row (expected {expected})")
    kind = {",": "CSV", "\t": "TSV", ";": "CSV (semicolons)"}[delimiter]
    found = headers
    rows = (_row(line, found, cells) for line, cells in lines if any(c.strip() for c in cells))
    return Table(headers, rows, kind)


_LINE_BREAK = re.compile(r"\r\n?|\n")
_QUOTED_CELL = re.compile(r'"(?:[^"]|"")*+"')


def _csv_rows(text: str, delimiter: str, expected: str) -> Iterator[tuple[int, list[str]]]:
    """Yield each row of CSV text with the line it starts on.

    A quote opened and never closed would swallow the rest of the file into one cell:
    that row is yielded as a row the reader could not split (`UNSPLIT`), and the lines
    after its quote's line are read again. It happens at most once: every quote after an
    unclosed one is doubled, so the lines read again close every quote they open.
    """
    offset, first_line = 0, 1
    while True:
        pending: tuple[int, list[str]] | None = None
        for row in _csv_part(text, offset, first_line, delimiter, expected):
            if pending is not None:
                yield pending
            pending = row
        if pending is None:
            return
        start = pending[0]
        unclosed = _unclosed_quote(text, offset, start - first_line, delimiter)
        if unclosed is None:
            yield pending
            return
        line = start + _count_breaks(text, _line_offset(text, offset, start - first_line), unclosed)
        yield line, [UNSPLIT]
        after = _LINE_BREAK.search(text, unclosed)
        if after is None:
            return
        offset, first_line = after.end(), line + 1


UNSPLIT = "\x00unsplit"  # the one cell of a row the reader could not split into cells


def _csv_part(
    text: str, offset: int, first_line: int, delimiter: str, expected: str
) -> Iterator[tuple[int, list[str]]]:
    source = io.StringIO(text[offset:] if offset else text, newline="")
    reader = csv.reader(source, delimiter=delimiter)
    line = first_line
    while True:
        # A cell of any length is read, then cut to MAX_CELL with a message; the csv
        # module's own limit (131,072) would fail the whole file. Restored at once: it is
        # the whole process's.
        old = csv.field_size_limit(_FIELD_LIMIT)
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            raise ImportFailure(
                str(line), f"not readable as CSV: {err} (expected {expected})"
            ) from None
        finally:
            csv.field_size_limit(old)
        start, line = line, first_line + reader.line_num  # a quoted cell may span lines
        yield start, cells


_FIELD_LIMIT = 2**31 - 1


def _line_offset(text: str, offset: int, lines: int) -> int:
    """Return where the line `lines` lines after `offset` starts."""
    pos = offset
    for _ in range(lines):
        m = _LINE_BREAK.search(text, pos)
        if m is None:
            return len(text)
        pos = m.end()
    return pos


def _count_breaks(text: str, start: int, end: int) -> int:
    return sum(1 for _ in _LINE_BREAK.finditer(text, start, end))


def _unclosed_quote(text: str, offset: int, lines: int, delimiter: str) -> int | None:
    """Return where the last row's quote that is never closed opens, or None.

    Only cells that start with a quote are quoted, as the csv module reads them.
    """
    pos = _line_offset(text, offset, lines)
    end = len(text)
    stops = re.compile(f"[{re.escape(delimiter)}\r\n]")
    while pos < end:
        if text[pos] == '"':
            m = _QUOTED_CELL.match(text, pos)
            if m is None:
                return pos
            pos = m.end()
        stop = stops.search(text, pos)
        if stop is None:
            return None
        pos = stop.end()
    return None


def _row(line: int, headers: list[str], cells: list[str]) -> Row:
    if cells == [UNSPLIT]:
        return Row(line, {}, unsplit=True)
    # Only cells with something in them are kept: a row of a million empty cells is small.
    values: dict[str, str] = {}
    cut: list[tuple[str, int]] = []
    for header, cell in zip(headers, cells, strict=False):
        if cell:
            if len(cell) > MAX_CELL:
                cut.append((header, len(cell)))
                cell = cell[:MAX_CELL]
            values[header] = cell
    extra = sum(1 for c in cells[len(headers) :] if c and not c.isspace())
    return Row(line, values, extra=extra, cut=tuple(cut))


def _read_xlsx(raw: bytes, expected: str) -> Table:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # zipfile warns about duplicate names
            parts = _unzip(raw)
    except ImportFailure:
        raise
    except Exception as err:  # zipfile raises more than BadZipFile on a hostile archive
        raise ImportFailure(
            "1", f"a damaged ZIP or .xlsx file ({_said(err)}; expected {expected})"
        ) from None
    try:
        return _xlsx_table(parts)
    except ImportFailure:
        raise
    except Exception as err:  # a hostile workbook can fail anywhere in openpyxl
        raise ImportFailure(
            "1", f"not a readable .xlsx workbook ({_said(err)}; expected {expected})"
        ) from None


def _said(err: Exception) -> str:
    return f"{type(err).__name__}: {shorten(clean(str(err)), 200)}"


ARC_CONTENT_TYPES = "[Content_Types].xml"
_READ_WHOLE = frozenset(
    {ARC_CONTENT_TYPES, "xl/styles.xml", "xl/theme/theme1.xml", "docProps/core.xml",
     "docProps/custom.xml"}
)  # fmt: skip
_TYPES = "application/vnd.openxmlformats-officedocument.spreadsheetml."
_WORKSHEET = _TYPES + "worksheet+xml"
_SHARED_STRINGS = _TYPES + "sharedStrings+xml"
_WORKBOOKS = frozenset(
    {_TYPES + "sheet.main+xml", _TYPES + "template.main+xml",
     "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
     "application/vnd.ms-excel.template.macroEnabled.main+xml"}
)  # fmt: skip
_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_STAND_INS = {
    "sheet": f'<worksheet xmlns="{_NS}"><sheetData/></worksheet>'.encode(),
    "strings": f'<sst xmlns="{_NS}"/>'.encode(),
}
Role = Literal["sheet", "strings"]


@dataclass
class _Parts:
    """A workbook unzipped: the small parts for openpyxl, the large ones to stream here."""

    book: io.BytesIO  # a stored (not deflated) ZIP of the small parts, large ones stood in for
    sheets: dict[str, bytes]  # worksheets by name
    strings: bytes  # the shared strings, or nothing


def _unzip(raw: bytes) -> _Parts:
    """Unzip the parts read, counting bytes as they are inflated, never trusting a header.

    Worksheets and shared strings may unzip to XLSX_EXPANSION times the size limit in all;
    the parts openpyxl reads whole to OTHER_PARTS. Parts no reader needs (pictures,
    drawings, printer settings) are never inflated. openpyxl gets a stored copy of the
    small parts, with empty stand-ins for the large ones, so it never inflates anything.
    """
    allowed = XLSX_EXPANSION * max_bytes()
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        infos = archive.infolist()
        if len(infos) > MAX_PARTS:
            raise ImportFailure(
                "1", f"the workbook holds {len(infos):,} parts, over the limit of {MAX_PARTS:,}"
            )
        declared = sum(info.file_size for info in infos)
        if declared > allowed:  # refused before a byte is inflated
            raise _too_big(declared, allowed)
        names = {info.filename for info in infos}
        budget = _Budget(OTHER_PARTS)
        manifest = (
            _inflate(archive, ARC_CONTENT_TYPES, budget) if ARC_CONTENT_TYPES in names else b""
        )
        roles, whole = _roles(manifest, names)
        book = io.BytesIO()
        with zipfile.ZipFile(book, "w", zipfile.ZIP_STORED) as copy:
            if manifest:
                copy.writestr(ARC_CONTENT_TYPES, manifest)
            for name in sorted(whole - {ARC_CONTENT_TYPES}):
                copy.writestr(name, _inflate(archive, name, budget))
            large = _Budget(allowed - budget.used)
            sheets: dict[str, bytes] = {}
            strings = b""
            for name, role in roles.items():
                data = _inflate(archive, name, large)
                if role == "sheet":
                    sheets[name] = data
                else:
                    strings = data
                copy.writestr(name, _STAND_INS[role])
    book.seek(0)
    return _Parts(book, sheets, strings)


@dataclass
class _Budget:
    """Bytes that parts may still unzip to."""

    left: int
    used: int = 0


def _too_big(size: int, allowed: int) -> ImportFailure:
    return ImportFailure(
        "1",
        f"the workbook unzips to {size:,} bytes, over the limit of {allowed:,} "
        f"({XLSX_EXPANSION} times TIMELINE_MAX_BYTES)",
    )


def _inflate(archive: zipfile.ZipFile, name: str, budget: _Budget) -> bytes:
    """Inflate one part a megabyte at a time, stopping as soon as it is over the budget."""
    chunks: list[bytes] = []
    with archive.open(name) as part:
        # read(n) inflates at most n bytes (and zipfile stops at the declared size, then
        # checks the CRC); read() at once would inflate up to 2 GB before either.
        while chunk := part.read(_CHUNK):
            budget.used += len(chunk)
            budget.left -= len(chunk)
            if budget.left < 0:
                raise ImportFailure(
                    "1",
                    f"the workbook's part {shown(name)} unzips to more than its limit "
                    f"({budget.used:,} bytes inflated so far; worksheets and shared strings "
                    f"may unzip to {XLSX_EXPANSION} times TIMELINE_MAX_BYTES in all, the other "
                    f"parts read to {OTHER_PARTS:,} bytes)",
                )
            chunks.append(chunk)
    return b"".join(chunks)


def _roles(manifest: bytes, names: set[str]) -> tuple[dict[str, Role], set[str]]:
    """Return the parts streamed here and their roles, and the parts openpyxl reads whole."""
    roles: dict[str, Role] = {}
    whole = {n for n in names if n.endswith(".rels")} | (_READ_WHOLE & names)
    if manifest:
        root = ElementTree.fromstring(manifest)
        for override in root:
            if _local(override.tag) != "Override":
                continue
            name = (override.get("PartName") or "").lstrip("/")
            kind = override.get("ContentType")
            if name not in names:
                continue
            if kind == _WORKSHEET:
                roles[name] = "sheet"
            elif kind == _SHARED_STRINGS:
                roles[name] = "strings"
            elif kind in _WORKBOOKS:
                whole.add(name)
    # Where the manifest is silent, the names Excel gives them.
    for name in names - set(roles):
        if re.fullmatch(r"xl/worksheets/[^/]+\.xml", name):
            roles[name] = "sheet"
        elif name == "xl/sharedStrings.xml" and "strings" not in roles.values():
            roles[name] = "strings"
        elif name == "xl/workbook.xml":
            whole.add(name)
    return roles, whole - set(roles)


def _xlsx_table(parts: _Parts) -> Table:
    # Only .xlsx input needs openpyxl, which publishes no types of its own.
    from openpyxl import load_workbook  # type: ignore[import-untyped, unused-ignore]

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about styles it does not know
        book = load_workbook(parts.book, read_only=True, data_only=True, keep_links=False)
    try:
        sheets = book.worksheets
        if not sheets:
            raise ImportFailure("1", "the workbook has no sheet")
        path = sheets[0]._worksheet_path.lstrip("/")
        strings = _SharedStrings.read(parts.strings)
        sheet = _Sheet(book, strings, parts.sheets.get(path, b""))
    finally:
        book.close()
    lines = sheet.rows()
    headers: list[str] | None = None
    for _, cells in lines:
        texts = [_cell_text(c) for c in cells]
        if any(t.strip() for t in texts):
            headers = _unique_headers(texts)
            break
    if headers is None:
        raise ImportFailure("1", "the first sheet of the workbook is empty")
    return Table(headers, _xlsx_rows(lines, headers), "xlsx")


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


@dataclass
class _SharedStrings:
    """A workbook's shared strings, each cut to MAX_CELL, with the length it had."""

    texts: list[str]
    lengths: dict[int, int]  # index -> characters before the cut, for the strings cut

    @classmethod
    def read(cls, data: bytes) -> _SharedStrings:
        """Read the strings one by one, holding one string's elements at a time."""
        texts: list[str] = []
        lengths: dict[int, int] = {}
        if not data:
            return cls(texts, lengths)
        parts: list[str] = []
        size = 0
        stack: list[Any] = []
        phonetic = 0
        for event, element in ElementTree.iterparse(io.BytesIO(data), events=("start", "end")):
            tag = _local(element.tag)
            if event == "start":
                stack.append(element)
                phonetic += tag == "rPh"
                continue
            stack.pop()
            if tag == "t" and not phonetic and element.text:
                if size < MAX_CELL:
                    parts.append(element.text[: MAX_CELL - size])
                size += len(element.text)
            elif tag == "rPh":
                phonetic -= 1
            elif tag == "si":
                if size > MAX_CELL:
                    lengths[len(texts)] = size
                texts.append("".join(parts).replace("x005F_", ""))
                parts, size = [], 0
            _drop(element, stack)
        return cls(texts, lengths)


def _drop(element: Any, stack: list[Any]) -> None:
    """Let go of an element read: its parent holds it alone, so removing it costs nothing."""
    element.clear()
    if stack:
        stack[-1].remove(element)


@dataclass(frozen=True)
class _Cell:
    """A cell as read from the sheet: its value and the number format it is shown with."""

    value: Any
    number_format: str = "General"
    length: int = 0  # characters of a string cut to MAX_CELL; 0 when it was not cut


class _Sheet:
    """The first worksheet, read row by row with one row's elements held at a time."""

    def __init__(self, book: Any, strings: _SharedStrings, data: bytes):
        from openpyxl.styles.numbers import (  # type: ignore[import-untyped, unused-ignore]
            BUILTIN_FORMATS,
            BUILTIN_FORMATS_MAX_SIZE,
        )

        self.strings = strings
        self.data = data
        self.epoch = book.epoch
        self.date_styles = frozenset(book._date_formats)
        self.timedelta_styles = frozenset(book._timedelta_formats)
        self.formats: dict[int, str] = {}
        for style_id, style in enumerate(book._cell_styles):
            fmt_id = style.numFmtId
            if fmt_id < BUILTIN_FORMATS_MAX_SIZE:
                self.formats[style_id] = BUILTIN_FORMATS.get(fmt_id, "General")
            else:
                custom = book._number_formats
                index = fmt_id - BUILTIN_FORMATS_MAX_SIZE
                self.formats[style_id] = custom[index] if index < len(custom) else "General"
        self.used = 0  # characters of text the cells have given

    def rows(self) -> Iterator[tuple[int, list[_Cell]]]:
        """Yield each row that holds a cell, with its number, cells placed by column."""
        if not self.data:
            return
        stack: list[Any] = []
        row_number = 0
        column = 0
        cells: dict[int, _Cell] = {}
        cell: dict[str, Any] = {}
        inline: list[str] = []
        phonetic = 0
        for event, element in ElementTree.iterparse(io.BytesIO(self.data), events=("start", "end")):
            tag = _local(element.tag)
            if event == "start":
                stack.append(element)
                if tag == "row":
                    given = element.get("r")
                    row_number = _number(given, "row") if given else row_number + 1
                    column, cells = 0, {}
                elif tag == "c":
                    ref = element.get("r")
                    column = _column(ref) if ref else column + 1
                    if column > MAX_COLUMNS:
                        raise ImportFailure(
                            str(row_number),
                            f"a cell in column {column:,}, past the limit of {MAX_COLUMNS:,}",
                        )
                    cell = {"t": element.get("t", "n"), "s": element.get("s")}
                    inline = []
                elif tag == "rPh":
                    phonetic += 1
                continue
            stack.pop()
            if tag == "v":
                cell["v"] = element.text
            elif tag == "t" and not phonetic and len(stack) >= 2:
                inline.append(element.text or "")
            elif tag == "rPh":
                phonetic -= 1
            elif tag == "c":
                cells[column] = self.cell(cell, inline, row_number)
            elif tag == "row":
                if cells:
                    width = max(cells)
                    yield row_number, [cells.get(i, _EMPTY) for i in range(1, width + 1)]
                cells = {}
            _drop(element, stack)

    def cell(self, cell: dict[str, Any], inline: list[str], row: int) -> _Cell:
        kind, text = cell["t"], cell.get("v")
        style = int(cell["s"]) if cell.get("s") and str(cell["s"]).isdigit() else 0
        fmt = self.formats.get(style, "General")
        value: Any = None
        length = 0
        if kind == "inlineStr":
            value = "".join(inline)
        elif text is None:
            return _EMPTY
        elif kind == "s":
            index = _number(text, "shared string")
            if not 0 <= index < len(self.strings.texts):
                raise ImportFailure(
                    str(row), f"a cell names shared string {index:,}, which the workbook lacks"
                )
            value = self.strings.texts[index]
            length = self.strings.lengths.get(index, 0)
        elif kind == "n":
            from openpyxl.utils.datetime import from_excel  # type: ignore[import-untyped, unused-ignore]

            value = _cast_number(text)
            if style in self.date_styles and not isinstance(value, str):
                try:
                    value = from_excel(value, self.epoch, timedelta=style in self.timedelta_styles)
                except (OverflowError, ValueError):
                    value = "#VALUE!"
        elif kind == "b":
            value = text.strip() not in ("0", "")
        elif kind == "d":
            from openpyxl.utils.datetime import from_ISO8601  # type: ignore[import-untyped, unused-ignore]

            try:
                value = from_ISO8601(text)
            except ValueError:
                value = text
        else:  # str, e (an error such as #N/A), and kinds Excel does not write
            value = text
        if isinstance(value, str):
            if len(value) > MAX_CELL:
                length, value = len(value), value[:MAX_CELL]
            # A shared string used in many cells counts each time: the cells' text is
            # bounded, not only the workbook's bytes.
            self.used += len(value)
            if self.used > max_bytes():
                raise ImportFailure(
                    str(row),
                    f"the sheet's cells hold more than {max_bytes():,} characters of text, "
                    "the size limit (TIMELINE_MAX_BYTES); a shared string counts once for "
                    "each cell that shows it",
                )
        return _Cell(value, fmt, length)


_EMPTY = _Cell(None)
_NUMBER = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]{1,4})?")


def _cast_number(text: str) -> int | float | str:
    """Return a number cell's value: an int, a float, or its text when it is no number."""
    text = text.strip()
    if len(text) > 40 or not _NUMBER.fullmatch(text):
        return text
    if "." in text or "e" in text.lower():
        return float(text)
    return int(text)


def _number(text: str, what: str) -> int:
    if not (text.isascii() and text.strip().isdigit()) or len(text) > 12:
        raise ImportFailure("1", f"the sheet's {what} number {shown(text)} is not a number")
    return int(text)


def _column(ref: str) -> int:
    letters = ref.rstrip("0123456789$").lstrip("$").upper()
    if not letters or len(letters) > 3 or not letters.isalpha() or not letters.isascii():
        raise ImportFailure("1", f"the sheet's cell reference {shown(ref)} is not one like B7")
    n = 0
    for letter in letters:
        n = n * 26 + ord(letter) - 64
    return n


def _xlsx_rows(lines: Iterator[tuple[int, list[_Cell]]], headers: list[str]) -> Iterator[Row]:
    try:
        for number, cells in lines:
            texts = [_cell_text(c) for c in cells]
            if not any(t.strip() for t in texts):
                continue
            row = _row(number, headers, texts)
            cut = dict(row.cut)
            cut.update((h, c.length) for h, c in zip(headers, cells, strict=False) if c.length)
            dates = {
                h: d
                for h, c in zip(headers, cells, strict=False)
                if (d := _cell_date(c)) is not None
            }
            yield Row(row.line, row.cells, dates, row.extra, tuple(cut.items()))
    except ImportFailure:
        raise
    except Exception as err:  # a hostile sheet can fail anywhere in its XML
        raise ImportFailure("1", f"not a readable .xlsx workbook ({_said(err)})") from None


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
