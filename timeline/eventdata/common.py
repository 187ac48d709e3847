"""What the event data readers share: lines cut from a stream of bytes, and located problems."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..errors import Problem, shown

MAX_LINE = 64 * 1024  # bytes; a GDELT or POLECAT row is under 2 KB, a long source URL included
MISSING = frozenset({"", "NA", "None", "nan", "NaN", "NULL"})


@dataclass(frozen=True)
class RowProblem:
    """One row a reader could not use: its 1-based line, and what is wrong and expected."""

    line: int
    message: str

    def problem(self) -> Problem:
        """Return the row's problem as the importers report it (column 1: rows, not cells)."""
        return Problem(self.line, 1, self.message)


@dataclass(frozen=True)
class Line:
    """One line of a file: its 1-based number and its text, or None when it is unreadable."""

    number: int
    text: str | None
    why: str = ""  # when text is None: what is wrong with the line


def lines(chunks: Iterable[bytes], max_line: int = MAX_LINE) -> Iterator[Line]:
    """Yield the lines of a stream of UTF-8 bytes, never holding more than one line.

    A line longer than `max_line` bytes is given as unreadable and skipped to its end
    without being kept; so is a line that is not UTF-8. A final line without a newline
    counts; blank lines are given too, for the reader to skip or refuse.
    """
    number = 0
    pending = bytearray()
    overlong = False
    for chunk in chunks:
        start = 0
        while (end := chunk.find(b"\n", start)) >= 0:
            number += 1
            if overlong or len(pending) + end - start > max_line:
                yield Line(number, None, f"a line longer than {max_line:,} bytes")
            else:
                pending += chunk[start:end]
                yield _decoded(number, bytes(pending))
            pending.clear()
            overlong = False
            start = end + 1
        if not overlong:
            pending += chunk[start:]
            if len(pending) > max_line:
                pending.clear()
                overlong = True
    if overlong:
        yield Line(number + 1, None, f"a line longer than {max_line:,} bytes")
    elif pending:
        yield _decoded(number + 1, bytes(pending))


def _decoded(number: int, raw: bytes) -> Line:
    if raw.endswith(b"\r"):
        raw = raw[:-1]
    try:
        return Line(number, raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        return Line(number, None, f"bytes that are not UTF-8 text (at byte {error.start + 1})")


def value(text: str) -> str | None:
    """Return a cell's text without surrounding spaces, or None when it is a missing value."""
    text = text.strip()
    return None if text in MISSING else text


def bad(field: str, text: str, expected: str) -> str:
    """Return the message for one bad cell: the field, the value echoed, what is valid."""
    return f"{field}: {shown(text)} is not {expected}"


_INTEGER = re.compile(r"-?[0-9]{1,30}")


def integer(field: str, text: str) -> int:
    """Return a cell as a whole number, or raise ValueError with the message."""
    if not _INTEGER.fullmatch(text.strip()):
        raise ValueError(bad(field, text, "a whole number"))
    return int(text)


def count(field: str, text: str) -> int:
    """Return a cell as a count (a whole number, 0 or more), or raise ValueError."""
    number = integer(field, text) if text.strip() else 0
    if number < 0:
        raise ValueError(bad(field, text, "a count (0 or more)"))
    return number


def decimal(field: str, text: str) -> float | None:
    """Return a cell as a finite decimal number, None when missing, or raise ValueError."""
    if value(text) is None:
        return None
    try:
        number = float(text) if len(text) <= 40 else float("nan")
    except ValueError:
        number = float("nan")
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(bad(field, text, "a decimal number such as 39.93"))
    return number


def iso_day(field: str, text: str) -> dt.date:
    """Return a cell that starts with a YYYY-MM-DD date as that date, or raise ValueError."""
    head = text.strip()[:10]
    try:
        if len(head) != 10:
            raise ValueError(head)
        return dt.date.fromisoformat(head)
    except ValueError:
        raise ValueError(bad(field, text, "a date written YYYY-MM-DD")) from None


def split_list(text: str | None, separator: str = ";") -> tuple[str, ...]:
    """Return the items of a list cell, without blanks or missing values."""
    if text is None:
        return ()
    return tuple(item for part in text.split(separator) if (item := value(part)) is not None)
