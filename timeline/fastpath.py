"""The fast way in for large files: rapidyaml, JSON and Arrow, with column-wise checks.

It only ever says "this file is valid, here is its Dataset" or why it is not sure; then
the caller takes the careful path (PyYAML), which is the reference and locates every
problem. The fast path is a checked translation: rapidyaml is trusted for the shape of
the tree and the text of each scalar, nothing more. Typing is done here, as the careful
path does it (every scalar is the text typed); values that the two readers could read
otherwise are looked for in the output; and forms where their grammars part ways are
looked for in the bytes before parsing (`_lexical_doubt`). The field checks are read
from the JSON Schema of the same pydantic models the careful path validates with.
"""

from __future__ import annotations

import json
import mmap
import os
import re
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pj
from pydantic import ValidationError

from .dates import parse_partial_date
from .frame import Dataset, build_frame, event_type
from .schema import TEXT_PATTERN, Period, Person, Source, TimelineFile, web_address

try:  # An optional speed-up: without it every file takes the careful path.
    import ryml
except ImportError:  # pragma: no cover - depends on the environment
    ryml = None

# Where a YAML node can start: after an indicator (`key: `, `- `, `? `, a flow bracket or
# comma) or at the start of a line, with blanks between. A tag, anchor or alias mark there
# is left to PyYAML; the same mark after a word is prose ("The *Kommersant* daily", "Q&A").
_NODE_START_BEFORE = frozenset(b"\n\r:?-[{,\xbf")  # \xbf ends a BOM
# A tab where it separates, indents or ends a line: PyYAML and rapidyaml disagree there
# (`key:<TAB>x` is a mapping to one and text to the other; PyYAML drops a tab that ends a
# line of a plain scalar and rapidyaml keeps it). A tab inside text is read alike.
# The second branch starts only where a run of blanks starts, so that a long run is read
# once, not once for each of its characters.
_SEPARATING_TAB = re.compile(
    rb"(?:^|[\n\r:?,\[{-])[ ]*\t|(?<![ \t]) *+\t[ \t]*+(?:\r?\n|$|[,\]}#:])"
)
# Double-quoted escapes rapidyaml refuses or turns into bytes that are not UTF-8 (\0, \a,
# \v, \e, NUL, surrogates, code points past U+10FFFF), and an escaped line break followed
# by an empty line, which PyYAML keeps as a line break and rapidyaml folds into a space.
_DOUBTFUL_ESCAPE = re.compile(
    rb"\\(?:[0ave]|x00|u(?:0000|[dD][89a-fA-F])|U(?!000[0-9a-fA-F]|0010)|U0000(?:0000|[dD][89a-fA-F]))"
    rb"|\\\r?\n[ \t]*\r?\n"
)


def _arrow_text(data: bytes) -> pa.Array | None:
    """Return the bytes as one Arrow string without copying them; None if not UTF-8."""
    offsets = pa.py_buffer(np.array([0, len(data)], np.int64))
    raw = pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, pa.py_buffer(data)])
    try:
        return raw.cast(pa.large_string())  # Arrow's UTF-8 check: several times Python's
    except pa.ArrowInvalid:
        return None


# Characters PyYAML refuses or takes as line breaks where rapidyaml sees text: C0 controls
# other than tab and line ends (rapidyaml writes \b and \f as JSON escapes), DEL, C1
# controls and NEL, U+2028 and U+2029, U+FFFE and U+FFFF; a CR that ends no CRLF; and a
# directive (`%YAML`) at a line start. One pass of RE2 over the whole file.
_DOUBTFUL_CHARACTERS = (
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x{80}-\x{9f}\x{2028}\x{2029}\x{fffe}\x{ffff}]"
    r"|\r[^\n]|\r$|(?:^|\n)%"
)
# rapidyaml reads ` #` inside a flow collection as text, and judges a collection over
# several lines by other rules (a continued line there is not text); PyYAML refuses `...`
# before a document and a key with no value right before a flow indicator (`{a:}`).
_FLOW_DOUBT = r"\[[^\]\n#]*[\n#]|\{[^}\n#]*[\n#]"
_DOCUMENT_END = re.compile(rb"(?:^|\n)\.\.\.(?:[ \t\r\n]|$)")
_EMPTY_FLOW_VALUE = r":[,\]}]"
# All of them in one pass of RE2 over the whole file; which one it was is asked after.
_ONE_PASS = "|".join((_DOUBTFUL_CHARACTERS, _FLOW_DOUBT, _EMPTY_FLOW_VALUE))
_REASONS = [
    (_DOUBTFUL_CHARACTERS, "a character PyYAML refuses or reads as a line break, or a directive"),
    (_FLOW_DOUBT, "a flow collection over several lines, or with a comment inside"),
    (_EMPTY_FLOW_VALUE, "a key with no value right before a flow indicator"),
]


def _lexical_doubt(data: bytes) -> str | None:
    """Name the first thing in the bytes that rapidyaml may read otherwise than PyYAML.

    Each check is a quick scan; None means the two parsers read the file alike as far as
    the bytes can tell (the values are checked again after parsing). A doubt costs speed,
    never correctness: the file goes to the careful path.
    """
    text = _arrow_text(data)
    if text is None:
        return "bytes that are not UTF-8"  # the careful path names the first one
    # Arrow lets go of the GIL: its RE2 pass runs on the other core while the scans below
    # run on this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        arrow_pass = pool.submit(pc.match_substring_regex, text, _ONE_PASS)
        doubt = _scans(data)
        if pc.any(arrow_pass.result()).as_py():
            for pattern, reason in _REASONS:
                at = pc.find_substring_regex(text, pattern)[0].as_py()  # a byte offset
                if at >= 0:
                    return reason + _where(data, at)
    return doubt


def _where(data: bytes, at: int) -> str:
    """Return where a doubt is, as words for the message: the line of the byte at `at`."""
    at += data[at : at + 1] == b"\n"  # a pattern that starts at the line break before
    line = data.count(b"\n", 0, at) + 1
    return f" (line {line:,})"


def _scans(data: bytes) -> str | None:
    """Name the first doubt that the Python scans of _lexical_doubt find, and its line."""
    if len(data) > MAX_NODES and _most_nodes(data) > MAX_NODES:
        return f"it may hold more than {MAX_NODES:,} YAML nodes"
    if (at := data.find(b" " * 1024)) >= 0:
        return "a run of 1,024 spaces" + _where(data, at)  # as long as a key PyYAML refuses
    if b"\t" in data and (tab := _SEPARATING_TAB.search(data)):
        return "a tab that indents, separates or ends a value" + _where(data, tab.start())
    if b"\\" in data and (escape := _DOUBTFUL_ESCAPE.search(data)):
        return "an escape that rapidyaml reads otherwise" + _where(data, escape.start())
    if not data.endswith((b"\n", b"\r")) and _ends_in_block_scalar(data):
        # PyYAML ends a clipped or kept block scalar at the end of the file without a line
        # break; rapidyaml adds one.
        return "a block scalar in a file with no final line break"
    end = _DOCUMENT_END.search(data) if b"..." in data else None
    after = data[end.end() :].splitlines() if end else []
    if end and any(line.strip() and not line.lstrip().startswith(b"#") for line in after):
        # PyYAML refuses what follows
        return "a document end marker before the end" + _where(data, end.start())
    for mark in b"|>":
        for at in _occurrences(data, bytes([mark])):
            if _at_node_start(data, at) and not _BLOCK_HEADER_REST.match(data, at + 1):
                return "a block scalar header PyYAML refuses" + _where(data, at)
    for mark in b"!&*":  # memchr finds each mark far faster than a regular expression
        for at in _occurrences(data, bytes([mark])):
            if _at_node_start(data, at) and not _inside_text(data, data.rfind(b"\n", 0, at) + 1):
                return "a tag, anchor or alias" + _where(data, at)
    return None


def _at_node_start(data: bytes, at: int) -> bool:
    """Say whether a node may start at `at`: after an indicator or a line start, and blanks."""
    before = at - 1
    while before >= 0 and data[before] in b" \t":
        before -= 1
    return before < 0 or data[before] in _NODE_START_BEFORE


# What may follow `|` or `>` on a block scalar's header line, as PyYAML reads it.
_BLOCK_HEADER_REST = re.compile(rb"(?:[-+][1-9]?|[1-9][-+]?)?[ \t]*(?:#[^\n]*)?\r?(?:\n|\Z)")


# A line's structure: indentation, `- ` and `? ` indicators, then a key and its value.
_LINE = re.compile(
    rb"( *)((?:[-?] +)*)(?:([^\s#'\"\[{][^:#\n]*?|\"[^\"\n]*\"|'[^'\n]*'):(?: +|$))?(.*)"
)
_BLOCK_HEADER = re.compile(rb"[|>][-+1-9]*[ \t]*(?:#.*)?")
_HEADER_TOKEN = re.compile(rb"[|>][-+0-9]*")


def _ends_in_block_header(line: bytes) -> bool:
    """Say whether a line ends in a block scalar's header (`key: |-`, a comment after it)."""
    words = line.split(b" #", 1)[0].split()  # split, not a search: linear on any line
    return bool(words) and _HEADER_TOKEN.fullmatch(words[-1]) is not None


MAX_WALK = 200  # lines _opening_line looks up


def _opening_line(data: bytes, start: int) -> tuple[bytes, int] | None:
    """Return the nearest earlier line indented less than the line at `start` (the one a
    scalar spanning that line would start on), and the indentation of the line after it."""
    this = data[start : data.find(b"\n", start) % (len(data) + 1)]
    indent = len(this) - len(this.lstrip(b" "))
    first = indent
    end = start - 1
    # Every mark on a long block scalar's lines walks up to its header: a bound keeps that
    # linear; past it the answer is None, a doubt, and PyYAML reads the file.
    for _ in range(MAX_WALK):
        if end <= 0:
            break
        begin = data.rfind(b"\n", 0, end) + 1
        line = data[begin:end].rstrip(b"\r")
        end = begin - 1
        body = line.lstrip(b" ")
        if body and len(line) - len(body) < indent:
            return line, first
        if body:
            first = len(line) - len(body)  # a line of the same scalar or block
    return None


def _inside_text(data: bytes, start: int) -> bool:
    """Say whether the line at `start` is surely inside a scalar begun on an earlier line.

    Such a line (a block scalar's content, the continuation of plain or quoted text) holds
    text only, so a `*`, `&` or `!` on it is prose. Anything else, or any doubt, says no.
    """
    this = data[start : data.find(b"\n", start) % (len(data) + 1)].rstrip(b"\r")
    indent = len(this) - len(this.lstrip(b" "))
    opening = _opening_line(data, start)
    parts = _LINE.fullmatch(opening[0]) if opening else None
    if opening is None or parts is None or opening[0].lstrip(b" ").startswith(b"#"):
        return False
    lead, dashes, _key, rest = parts.groups()
    column = len(lead) + len(dashes)  # where the key, or the entry's node, starts
    if indent <= column or not rest:
        return False  # a sibling or a child node starts on the opening line, not text
    if _BLOCK_HEADER.fullmatch(rest):
        # Content lines sit at the indentation of the first; an explicit one is PyYAML's.
        return indent >= opening[1] and not any(c in b"123456789" for c in rest[:3])
    quote = rest[:1]
    if quote == b'"':
        opened = rest.replace(b"\\\\", b"").replace(b'\\"', b"").count(b'"') % 2 == 1
        return opened and b'"' not in this.replace(b'\\"', b"")
    if quote == b"'":
        return rest.count(b"'") % 2 == 1 and b"'" not in this  # '' inside stays even
    if quote in b"[{!&*#|>":
        return False  # a flow collection, a node property, a comment
    return not any(b" #" in s or b": " in s or s.endswith(b":") for s in (rest, this))


def _ends_in_block_scalar(data: bytes, most_lines: int = 10_000) -> bool:
    """Say whether the file's last line may belong to a block scalar (`key: |`)."""
    text = data.rstrip()
    end = len(text)
    least = None  # the least indentation from the last line up to here
    for _ in range(most_lines):
        begin = text.rfind(b"\n", 0, end) + 1
        line = text[begin:end].rstrip(b"\r")
        body = line.lstrip(b" ")
        indent = len(line) - len(body)
        if body and (least is None or indent < least):
            # Every line below this one is indented more: if it opens a block scalar, the
            # last line is part of it.
            if _ends_in_block_header(line):
                return True
            least = indent
            if indent == 0:
                return False
        if begin == 0:
            return False
        end = begin - 1
    return True  # too far to tell: say maybe


def _occurrences(data: bytes, word: bytes):
    at = data.find(word)
    while at != -1:
        yield at
        at = data.find(word, at + 1)


_TEXT = re.compile(TEXT_PATTERN)


class _Unsure(Exception):
    pass


@cache
def _schema() -> dict[str, Any]:
    return TimelineFile.model_json_schema()


def _resolve(spec: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """Return a property's schema without its `null` alternative, and whether null is allowed."""
    if "$ref" in spec:
        return _schema()["$defs"][spec["$ref"].rsplit("/", 1)[1]], False
    if "anyOf" in spec:
        options = [o for o in spec["anyOf"] if o.get("type") != "null"]
        if len(options) == 1 and len(spec["anyOf"]) == 2:
            return _resolve(options[0])[0], True
    return spec, False


def _matcher(pattern: str) -> Callable[[str], object]:
    # The careful path matches whole strings (fullmatch), so the anchors mean the same here.
    if pattern.startswith("^") and pattern.endswith("$"):
        return re.compile(pattern[1:-1]).fullmatch
    return re.compile(pattern).search


def _all(mask: pa.Array) -> bool:
    return mask.null_count == 0 and pc.all(mask).as_py() is not False


def _check_array(values: pa.Array, spec: dict[str, Any], required: bool) -> None:
    """Check one field's Arrow column against its JSON Schema; raise _Unsure on doubt."""
    spec = _resolve(spec)[0]
    if values.null_count and required:
        raise _Unsure  # missing, or null where a value is needed
    values = values.drop_null() if values.null_count else values
    kind = spec.get("type")
    if kind == "string":
        # RE2 in Arrow reads the ASCII-only patterns exactly as Python's re does.
        pattern = spec.get("pattern")
        if pattern and len(values) and not _all(pc.match_substring_regex(values, pattern)):
            raise _Unsure
        lengths = pc.utf8_length(values)
        if "maxLength" in spec and len(values) and pc.max(lengths).as_py() > spec["maxLength"]:
            raise _Unsure
        if "minLength" in spec and len(values) and pc.min(lengths).as_py() < spec["minLength"]:
            raise _Unsure
        # Addresses are few (media), and the rule is Python's urlsplit: applied as it is.
        if spec.get("format") == "uri" and not all(map(web_address, values.to_pylist())):
            raise _Unsure("an address the schema's rule does not take")
    elif kind == "array":
        least = spec.get("minItems", 0)
        if least and len(values) and pc.min(pc.list_value_length(values)).as_py() < least:
            raise _Unsure
        _check_array(pc.list_flatten(values), spec["items"], required=True)
    elif kind == "object":
        _check_struct(values, spec)
    else:  # pragma: no cover - a schema shape this checker does not know
        raise _Unsure


def _check_struct(values: pa.StructArray, spec: dict[str, Any]) -> None:
    required = set(spec.get("required", ()))
    for name, field in spec["properties"].items():
        _check_array(values.field(name), field, name in required)


def _check_references(events: pa.StructArray, people: list[str], sources: list[str]) -> None:
    """Check what no single field can: unique ids and known people and sources."""
    ids = events.field("id")
    if pc.count_distinct(ids).as_py() != len(ids):
        raise _Unsure
    quotes = pc.list_flatten(events.field("quotes"))
    for values, known in (
        (pc.list_flatten(events.field("leaders")), people),
        (quotes.field("by"), people),
        (pc.list_flatten(events.field("sources")), sources),
        (quotes.field("source"), sources),
    ):
        if len(values) and not _all(pc.is_in(values, value_set=pa.array(known, pa.string()))):
            raise _Unsure


def _check_events(
    array: pa.StructArray, schema: dict[str, Any], people: list[str], sources: list[str]
) -> None:
    """Check the events as the schema and the careful path would; _Unsure on any doubt."""
    for leaf in _strings(array):
        if len(leaf) and _any_ambiguous(leaf):
            raise _Unsure("an event's value PyYAML may read otherwise")
    _check_struct(array, _resolve(schema["properties"]["events"]["items"])[0])
    _check_references(array, people, sources)


def _check_dates(frame: pd.DataFrame) -> None:
    # The end's whole period must not lie before the date's first day.
    has_end = frame["end"].notna().to_numpy()
    if (frame["last"].to_numpy()[has_end] < frame["start"].to_numpy()[has_end]).any():
        raise _Unsure


# Every scalar is text to the careful path, as typed. rapidyaml's JSON writes most plain
# scalars as strings of exactly that text, but some otherwise, and those are typed here:
# - a plain scalar that reads as a JSON number or boolean is written bare (`2023`, `1.10`,
#   `true`); _quote_bare_values makes it the string it was typed as, except where
#   rapidyaml may have rewritten it (`.5` becomes `0.5`, `1.` becomes `1.0`, `+1` stays
#   invalid JSON), which stays bare and so sends the file to the careful path;
# - YAML 1.1 nulls (~, Null, NULL) are nothing to PyYAML and the text "~" to rapidyaml, and
#   `nan` or `inf` come out as ".nan" or ".inf": an output value that one of these words
#   could have produced is ambiguous, and so is `<<`, a merge key to PyYAML;
# - PyYAML refuses a plain scalar that starts with @ or ` (reserved), with ] or } (flow
#   indicators), with % (a directive's mark), or in a flow collection with : or ?, all of
#   which rapidyaml takes as text; an output value starting with one of them is
#   ambiguous (it may have been quoted).
# Ambiguous values send the file to the careful path, which reads them as the text typed.
_AMBIGUOUS_WORDS = ("~", "Null", "NULL", ".nan", ".inf", "-.inf", "+.inf", ".NaN", "<<")
_AMBIGUOUS = pa.array(_AMBIGUOUS_WORDS)
_AMBIGUOUS_START = "^[@`\\]}%:?]"
_MAY_BE_REWRITTEN = re.compile(r"[-+]?0\..*|.*\.0(?:[eE].*)?")
# A JSON number rapidyaml writes exactly as it was typed (no leading `0.`, no `.0` before
# the exponent or the end, both of which it may have added), or a JSON boolean.
_BARE = (
    rb"(?:-?(?:[1-9][0-9]*|0(?![.0-9]))(?:\.(?!0(?![0-9]))[0-9]+)?(?:[eE][-+]?[0-9]+)?|true|false)"
)
# One line of rapidyaml's JSON holding bare values: a block mapping's `"key": 2022`, a
# block sequence's item, or one-line flow collections (`"tags": [2022,"energy"]`,
# `{"by": "x","text": 1984}`): strings, exact bare values and punctuation, nothing else.
# A bare value must reach a delimiter, so that no number can be read as two.
_STRING = rb'"[^"\\]*+(?:\\.[^"\\]*+)*+"'  # runs of plain characters at once
_BARE_ITEM = _BARE + rb"(?=[\]},\s]|\Z)"
_JSON_LINE = re.compile(rb"(?:" + _STRING + rb"|" + _BARE_ITEM + rb"|[\[\]{},: ])*+")
_QUOTABLE = re.compile(rb"(" + _STRING + rb")|(" + _BARE_ITEM + rb")")
_COMMA, _DIGITS = ord(","), np.frombuffer(b"0123456789e", np.uint8)
_OPEN, _COLON, _SPACE = ord("["), ord(":"), ord(" ")
_BARE_STARTS = np.zeros(256, bool)  # rapidyaml writes `[2022,7]`, and `"key": 2022` in a map
_BARE_STARTS[list(b"-0123456789tf")] = True
_CHUNK = 1 << 20


def _quoted_line(line: bytes) -> bytes:
    return _QUOTABLE.sub(lambda m: m[1] or b'"' + m[2] + b'"', line)


def _quote_bare_values(document: mmap.mmap, start: int, stop: int) -> list[memoryview | bytes]:
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


def _as_text(token: str) -> str:
    if _MAY_BE_REWRITTEN.fullmatch(token):
        raise _Unsure(f"{token}, a number rapidyaml may have rewritten")
    return token


def _typed_as_text(value: Any) -> Any:
    """Return parsed JSON with booleans as the words typed; _Unsure on an ambiguous value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        if value in _AMBIGUOUS_WORDS or re.match(_AMBIGUOUS_START, value):
            raise _Unsure(f"{value[:20]!r}, a value PyYAML may read otherwise")
        return value
    if isinstance(value, dict):
        return {k: _typed_as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed_as_text(v) for v in value]
    return value


def _load_json(document: str) -> Any:
    """Read a small JSON document with every number kept as the text written."""
    pairs = json.loads(
        document, object_pairs_hook=_no_duplicates, parse_int=_as_text, parse_float=_as_text
    )
    return _typed_as_text(pairs)


def _any_ambiguous(leaf: pa.Array) -> bool:
    """Say whether any value of a string column may have been read otherwise by PyYAML."""
    short = pc.filter(leaf, pc.less_equal(pc.binary_length(leaf), 6))  # lengths are free
    if len(short) and pc.any(pc.is_in(short, value_set=_AMBIGUOUS)).as_py():
        return True
    first = pc.utf8_slice_codeunits(pc.drop_null(leaf), 0, 1)
    return bool(pc.any(pc.is_in(first, value_set=_FIRST_AMBIGUOUS)).as_py())


_FIRST_AMBIGUOUS = pa.array(["@", "`", "]", "}", "%", ":", "?"])


def _strings(array: pa.Array) -> list[pa.Array]:
    """Return every string leaf of an Arrow array, lists and structs flattened."""
    kind = array.type
    if pa.types.is_string(kind):
        return [array]
    if pa.types.is_list(kind):
        return _strings(pc.list_flatten(array))
    if pa.types.is_struct(kind):
        return [leaf for i in range(kind.num_fields) for leaf in _strings(array.field(i))]
    return []


class _QuietStderr:
    """Silence rapidyaml's C++ error printing: a bad file is the careful path's to report.

    rapidyaml prints from C++ before it raises, with no way to turn that off from Python,
    so file descriptor 2 points at /dev/null while it works. The server loads files on
    several threads: the first to enter saves the real stderr and the last to leave puts
    it back, under a lock, so overlapping loads can never leave it silenced.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._depth = 0
        self._saved: int | None = None

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self._lock:
            if self._depth == 0:
                sys.stderr.flush()
                self._saved = os.dup(2)
                null = os.open(os.devnull, os.O_WRONLY)
                os.dup2(null, 2)
                os.close(null)
            self._depth += 1
        try:
            yield
        finally:
            with self._lock:
                self._depth -= 1
                if self._depth == 0 and self._saved is not None:
                    os.dup2(self._saved, 2)
                    os.close(self._saved)
                    self._saved = None


_quiet_stderr = _QuietStderr()


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise _Unsure  # ryml keeps duplicate keys that PyYAML would report
    return out


def _top_level(tree: Any) -> dict[str, int]:
    """Return the node of each top-level key; _Unsure on a duplicate or anything odd."""
    root = tree.root_id()
    if tree.is_stream(root):  # a file that starts with `---`: one document, no more
        if tree.num_children(root) != 1:
            raise _Unsure
        root = tree.first_child(root)
    if not tree.is_map(root):
        raise _Unsure
    nodes: dict[str, int] = {}
    child = tree.first_child(root)
    for _ in range(tree.num_children(root)):
        key = bytes(tree.key(child)).decode("utf-8")
        if key in nodes:
            raise _Unsure
        nodes[key] = child
        child = tree.next_sibling(child)
    return nodes


def _json(tree: Any, node: int) -> str:
    # ryml writes a member as `"key": value`; braces make it a document of its own.
    with _quiet_stderr():  # a node nested too deep is refused with a printed error
        return "{" + ryml.emit_json_malloc(tree, node) + "}"


def _json_bytes(tree: Any, node: int) -> mmap.mmap:
    """Write a member as a JSON document straight into memory, with no Python str between.

    The JSON is rarely more than twice the YAML, so it is written into an anonymous map of
    that size (pages that are never written cost nothing), sparing rapidyaml a first pass
    that only measures it; when it does not fit, the exact size is asked for.
    """
    size = 2 * tree.arena_size() + 4096
    for _ in range(2):
        out = mmap.mmap(-1, size + 2)
        with _quiet_stderr():
            failed, needed = ryml.emit_json_to_substr(tree, node, memoryview(out)[1 : size + 1])
        if not failed:
            out[0], out[needed + 1] = ord("{"), ord("}")
            out.resize(needed + 2)
            return out
        out.close()
        if needed > 4 * tree.arena_size() + (1 << 20):
            # Deep nesting makes JSON's indentation grow with the square of the depth.
            raise _Unsure("its JSON would be more than four times the file")
        size = needed
    raise _Unsure  # pragma: no cover - the second size is the exact one


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
        raise _Unsure
    return pc.list_flatten(column)


# ryml indents the events by two spaces and their fields deeper, and JSON strings hold no
# raw newline, so this stands only between two events of the top-level list.
_BETWEEN_EVENTS = b"\n  },\n  {"


def _read_events(document: mmap.mmap) -> pa.Array:
    """Read the events' JSON into one Arrow array, in two halves on two threads."""
    cut = document.find(_BETWEEN_EVENTS, len(document) // 2)
    if cut == -1:
        return _read_json(b"".join(_quote_bare_values(document, 0, len(document))))
    halves = [
        b"".join([*_quote_bare_values(document, 0, cut + 4), b"]}"]),
        b"".join(
            [
                b'{"events": [',
                *_quote_bare_values(document, cut + len(_BETWEEN_EVENTS) - 1, len(document)),
            ]
        ),
    ]
    with ThreadPoolExecutor(max_workers=2) as pool:  # Arrow's reader lets go of the GIL
        first, second = pool.map(_read_json, halves)
    return pa.concat_arrays([first, second])


# rapidyaml's tree takes about 150 bytes a node: this keeps a load under about 1.4 GB. A
# hand-written file needs one node for every 30 bytes or so (100,000 events: 1.7 million).
MAX_NODES = 7_000_000
_ENDS_A_SCALAR = b",]}:\n"


def _most_nodes(data: bytes) -> int:
    """Return an upper bound of the YAML nodes in the bytes, without parsing them.

    A scalar ends before a comma, a closing bracket, a colon or a line end (or at the end
    of the file), and every collection holds a scalar or is a flow collection, which ends
    with a bracket: so there are at most twice as many nodes as those bytes, plus two.
    Any node takes at least a byte, so only files larger than the limit need counting.
    """
    # `- - - x` and `? ? x` open a collection at each indicator, with one line end for all.
    nested = data.count(b"- ") + data.count(b"? ")
    return 2 * (len(data) - len(data.translate(None, _ENDS_A_SCALAR))) + nested + 2


def read_fast(text: str | bytes) -> Dataset | str:
    """Return the Dataset of a valid file, or why the careful path must decide instead.

    rapidyaml parses in C++ and writes the events as JSON, which Arrow reads in C++ into
    typed columns: no Python object is made per event. Every scalar is typed as the text
    written, as the careful path reads it. Arrow's reader refuses a value it cannot take as
    text, an unknown key and a duplicate key, so each of those, like any error or doubt,
    sends the file to the careful path.
    """
    data = (text.encode("utf-8") if isinstance(text, str) else text).removeprefix(b"\xef\xbb\xbf")
    if ryml is None:
        return "rapidyaml is not installed"
    doubt = "a NUL byte" if b"\x00" in data else _lexical_doubt(data)
    if doubt is not None:
        return doubt
    try:
        with _quiet_stderr():
            tree = ryml.parse_in_arena(data)
        schema = _schema()
        nodes = _top_level(tree)
        if not set(nodes) <= set(schema["properties"]) or not set(schema["required"]) <= set(nodes):
            raise _Unsure
        small = {}
        for name, node in nodes.items():
            if name != "events":
                small.update(_load_json(_json(tree, node)))
        for name in ("title", "description"):
            value = small.get(name)
            if value is not None and (not isinstance(value, str) or not _TEXT.search(value)):
                raise _Unsure
        if small["title"] is None:
            raise _Unsure
        people, sources = small["people"], small["sources"]
        if not isinstance(people, dict) or not isinstance(sources, dict):
            raise _Unsure
        # People and sources are few: the models themselves check them, and their keys.
        keys = schema["properties"]["people"]
        key_check = _matcher(next(iter(keys["patternProperties"])))
        for table in (people, sources):
            if not all(map(key_check, table)):
                raise _Unsure
            if max(map(len, table), default=0) > keys["propertyNames"]["maxLength"]:
                raise _Unsure
        person = {k: Person.model_validate(v) for k, v in people.items()}
        periods = small.get("periods")
        if periods is not None and not isinstance(periods, list):
            raise _Unsure
        period = tuple(Period.model_validate(p) for p in periods or ())
        for p in period:
            if p.to and parse_partial_date(p.to).last < parse_partial_date(p.from_).first:
                raise _Unsure
        source = {k: Source.model_validate(v) for k, v in sources.items()}
        events_json = _json_bytes(tree, nodes["events"])
        del tree  # its arena is as large as the file
        array = _read_events(events_json)
        # The checks run in Arrow, which lets go of the GIL: on the other core, while this
        # one builds the frame.
        with ThreadPoolExecutor(max_workers=1) as pool:
            checked = pool.submit(_check_events, array, schema, list(person), list(source))
            try:
                frame = build_frame(array)  # an impossible date fails here
            finally:
                # The checks' reason comes first: a frame of events that lack fields fails
                # with whatever numpy says about the holes.
                checked.result()
        _check_dates(frame)
    except _Unsure as err:
        return str(err) or "a value or shape the fast checks do not take"
    except (
        ValidationError, ValueError, TypeError, KeyError, OverflowError, pa.ArrowException
    ) as err:  # fmt: skip
        return f"{type(err).__name__}: {str(err)[:200]}"
    except Exception as err:  # rapidyaml's own parse errors
        if type(err).__module__.startswith("ryml"):
            return f"rapidyaml: {str(err)[:200]}"
        raise
    return Dataset(
        title=small["title"],
        description=small.get("description"),
        people=person,
        sources=source,
        events=frame,
        periods=period,
    )
