"""rapidyaml's JSON of the events to one Arrow array: bare values quoted as typed, then Arrow."""

from __future__ import annotations

import mmap
import re
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pj

from ..frame import event_type
from .doubt import Unsure
from .scalars import BARE

# One line of rapidyaml's JSON holding bare values: a block mapping's `"key": 2022`, a
# block sequence's item, or one-line flow collections (`"tags": [2022,"energy"]`,
# `{"by": "x","text": 1984}`): strings, exact bare values and punctuation, nothing else.
# A bare value must reach a delimiter, so that no number can be read as two.
_STRING = rb'"[^"\\]*+(?:\\.[^"\\]*+)*+"'  # runs of plain characters at once
_BARE_ITEM = BARE + rb"(?=[\]},\s]|\Z)"
_JSON_LINE = re.compile(rb"(?:" + _STRING + rb"|" + _BARE_ITEM + rb"|[\[\]{},: ])*+")
_QUOTABLE = re.compile(rb"(" + _STRING + rb")|(" + _BARE_ITEM + rb")")
_COMMA, _DIGITS = ord(","), np.frombuffer(b"0123456789e", np.uint8)
_OPEN, _COLON, _SPACE = ord("["), ord(":"), ord(" ")
_BARE_STARTS = np.zeros(256, bool)  # rapidyaml writes `[2022,7]`, and `"key": 2022` in a map
_BARE_STARTS[list(b"-0123456789tf")] = True
_CHUNK = 1 << 20


def _quoted_line(line: bytes) -> bytes:
    return _QUOTABLE.sub(lambda m: m[1] or b'"' + m[2] + b'"', line)


def quote_bare_values(document: mmap.mmap, start: int, stop: int) -> list[memoryview | bytes]:
    """Return document[start:stop] in pieces, its bare numbers and booleans as the text typed.

    JSON strings hold no raw line break, so each line is structure, and a line that ends in
    a digit or an `e` (after an optional comma) ends in a bare value; a line of one-line
    flow collections has one after a `[`, `,` or `: `. Only those lines are rewritten, and
    only when they read as strings, punctuation and exact numbers or booleans; any other
    (a value rapidyaml may have rewritten, a `null`) is left bare, for Arrow to refuse.
    """
    raw = np.frombuffer(document, np.uint8)
    view = memoryview(document)
    breaks = np.empty(_CHUNK, bool)  # one small buffer: a 75 MB mask costs page faults
    pieces: list[memoryview | bytes] = []
    done = seen = start  # written up to; lines looked at up to
    for begin in range(start, stop, _CHUNK):
        part = raw[begin : min(begin + _CHUNK, stop)]
        np.equal(part, ord("\n"), out=breaks[: len(part)])
        ends = np.flatnonzero(breaks[: len(part)]) + begin
        ends = ends[ends >= 2]
        last = raw[ends - 1]
        last = np.where(last == _COMMA, raw[ends - 2], last)
        bare_ends = ends[np.isin(last, _DIGITS)]
        # Mid-line, a bare value follows a `[`, a `,` or a `: ` at once; so, now and then,
        # does text inside a string, which the line's match then sorts out. (Comparisons
        # first, tables only on the few bytes they leave: a table over every byte is 5x.)
        at = np.flatnonzero((part == _OPEN) | (part == _COMMA)) + begin
        at = at[at + 1 < stop]
        at = at[_BARE_STARTS[raw[at + 1]]]
        key = np.flatnonzero(part == _COLON) + begin
        key = key[key + 2 < stop]
        key = key[raw[key + 1] == _SPACE]
        opens = np.concatenate([at, key[_BARE_STARTS[raw[key + 2]]]])
        # Each to the end of its line, by the chunk's own line ends: a find from each
        # would walk a long line once per opener (quadratic on `tags: [1, 2, 3, ...]`).
        line_of = np.searchsorted(ends, opens)
        inside = set(ends[line_of[line_of < len(ends)]].tolist())
        going_on = opens[(line_of == len(ends)) & (opens > seen)]  # the chunk's last line
        if len(going_on):
            inside.add(document.find(b"\n", int(going_on.min()), stop))
        inside.discard(-1)
        for end in sorted(inside.union(bare_ends.tolist())):
            if end <= seen:
                continue  # a line across two chunks, looked at with the first
            seen = end
            line = document.rfind(b"\n", 0, end) + 1
            if _JSON_LINE.fullmatch(document, line, end):
                pieces += [view[done:line], _quoted_line(document[line:end])]
                done = end
    pieces.append(view[done:stop])
    return pieces


def _read_json(document: bytes) -> pa.Array:
    table = pj.read_json(
        pa.BufferReader(pa.py_buffer(document)),
        read_options=pj.ReadOptions(block_size=len(document) + 1),
        parse_options=pj.ParseOptions(
            explicit_schema=pa.schema([("events", pa.list_(event_type()))]),
            unexpected_field_behavior="error",
            newlines_in_values=True,  # ryml writes one JSON document over many lines
        ),
    )
    column = table.column("events").combine_chunks()
    if column.null_count:
        raise Unsure
    return pc.list_flatten(column)


# ryml indents the events by two spaces and their fields deeper, and JSON strings hold no
# raw newline, so this stands only between two events of the top-level list.
_BETWEEN_EVENTS = b"\n  },\n  {"


def read_events(document: mmap.mmap) -> pa.Array:
    """Read the events' JSON into one Arrow array, in two halves on two threads."""
    cut = document.find(_BETWEEN_EVENTS, len(document) // 2)
    if cut == -1:
        return _read_json(b"".join(quote_bare_values(document, 0, len(document))))
    halves = [
        b"".join([*quote_bare_values(document, 0, cut + 4), b"]}"]),
        b"".join(
            [
                b'{"events": [',
                *quote_bare_values(document, cut + len(_BETWEEN_EVENTS) - 1, len(document)),
            ]
        ),
    ]
    with ThreadPoolExecutor(max_workers=2) as pool:  # Arrow's reader lets go of the GIL
        first, second = pool.map(_read_json, halves)
    return pa.concat_arrays([first, second])
