"""What every export shares: the bound on its size and its error; the view is the core's.

`View`, `read_view`, `filters_in_words` and `parse_query` are the core's (timeline/selection.py,
timeline/query.py), re-exported here for the exporters that import them from this module.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..query import parse_query
from ..selection import View, filters_in_words, read_view

__all__ = [
    "MAX_EXPORT_BYTES", "ExportError", "View", "bounded_text", "filters_in_words",
    "parse_query", "read_view",
]  # fmt: skip


class ExportError(Exception):
    """A view that a format cannot hold (TimelineJS needs an event, say): exit 1, no traceback."""


# The most an export may write, in UTF-8 bytes. An export names each event's people and
# sources, so a file of a few megabytes may reference gigabytes of text; past this bound
# the export is refused, counted as it is written, before it can fill the memory. The
# largest synthetic file under the size limit (100,000 events, 48 MB) makes a static page
# of 99 MB, a JSON file of 62 MB and a CSV of 34 MB.
MAX_EXPORT_BYTES = 128 * 1024 * 1024


def _utf8_size(chunk: str) -> int:
    return len(chunk) if chunk.isascii() else len(chunk.encode("utf-8", "surrogatepass"))


def bounded_text(chunks: Iterable[str], what: str, limit: int | None = None) -> str:
    """Join an export's pieces, or raise ExportError as soon as they pass `limit` bytes."""
    limit = MAX_EXPORT_BYTES if limit is None else limit
    kept: list[str] = []
    size = 0
    for chunk in chunks:
        size += _utf8_size(chunk)
        if size > limit:
            raise ExportError(
                f"{what} of this view would be over {limit / 1024**2:,.0f} MB (each event "
                "repeats the people and sources it names); narrow the view (--query, or the "
                "filters in the page)"
            )
        kept.append(chunk)
    return "".join(kept)
