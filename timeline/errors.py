"""The one exception for bad data, carrying every located problem."""

from __future__ import annotations

import math
from dataclasses import dataclass

from .text import shorten


@dataclass(frozen=True, order=True)
class Problem:
    """One located mistake in a data file (line and column are 1-based)."""

    line: int
    column: int
    message: str

    def format(self, name: str) -> str:
        """Return the problem as FILE:LINE:COL: message."""
        return f"{name}:{self.line}:{self.column}: {self.message}"


ECHO = 60  # characters of a value a message echoes (the README says so)


def shown(value: object, limit: int = ECHO) -> str:
    """Return a value as a message echoes it: quoted, and cut short when it is long."""
    if isinstance(value, str):
        if len(value) > limit:
            return f"{value[:limit]!r}... ({len(value):,} characters)"
        return repr(value)
    if isinstance(value, int) and value.bit_length() > 14_000:
        # repr of an int over 4,300 digits raises; its length is all a reader needs.
        return f"a number of about {int(value.bit_length() * math.log10(2)) + 1:,} digits"
    text = repr(value)
    if len(text) > limit:
        return f"{text[:limit]}... ({len(text):,} characters)"
    return text


def cut(text: str, limit: int = ECHO) -> str:
    """Return text as a message lists it unquoted: at most `limit` characters, then '...'."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


MAX_KEPT = 1000  # problems a DataError keeps; `total` counts them all


class DataError(Exception):
    """A data file that cannot be used; `problems` says every place and why."""

    def __init__(self, name: str, problems: list[Problem], total: int | None = None):
        self.name = name
        # A hostile file can hold a million mistakes: the first ones are kept, all counted.
        self.total = max(total or 0, len(problems))
        self.problems = sorted(problems)[:MAX_KEPT]
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        """Return each problem as a FILE:LINE:COL: message line."""
        return [p.format(self.name) for p in self.problems]


def as_data_error(err: Exception, name: str) -> DataError:
    """Return any failure to load a file as a DataError, to show like the file's own errors."""
    if isinstance(err, DataError):
        return err
    if isinstance(err, OSError):
        return DataError(name, [Problem(1, 1, f"cannot read the file: {err.strerror or err}")])
    what = shorten(str(err), 200)
    return DataError(
        name, [Problem(1, 1, f"the file could not be loaded ({type(err).__name__}: {what})")]
    )
