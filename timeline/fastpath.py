"""The fast way in for large files: rapidyaml, JSON and Arrow, with column-wise checks.

It only ever says "this file is valid, here is its Dataset" or "not sure". Whenever it
is not sure (an error, a tag, an alias, a number where text belongs, no parser), the
caller takes the careful path, which parses with PyYAML, keeps every node's position and
reports each problem where it stands. The checks here are read from the JSON Schema of
the same pydantic models the careful path validates with, so the rules live in one place.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import cache
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pj
from pydantic import ValidationError

from .dates import parse_partial_date
from .frame import Dataset, build_frame, event_type
from .schema import TEXT_PATTERN, Period, Person, Source, TimelineFile

try:  # An optional speed-up: without it every file takes the careful path.
    import ryml
except ImportError:  # pragma: no cover - depends on the environment
    ryml = None

# Tags, anchors and aliases are left to PyYAML, which reports or bounds them.
_MARKS = (b"!", b"&", b"*")
_BEFORE_NODE = b" \t\n[{,:"  # `"key":!tag x` is valid flow YAML
_END_OF_NAME = (b"", b" ", b"\t", b"\r", b"\n", b",", b"]", b"}")
MAX_LOOKALIKES = 10_000


def _occurrences(data: bytes, word: bytes):
    at = data.find(word)
    while at != -1:
        yield at
        at = data.find(word, at + 1)


def _needs_careful(data: bytes) -> bool:
    """Say whether the file may hold something rapidyaml reads otherwise than PyYAML.

    A fast scan for a tag, an anchor or an alias: `!`, `&` or `*` where a node can start
    (at a line start, after a space, a colon or a flow bracket) and followed by a name; and
    for a few bytes listed below. Prose that merely looks like one ("Q &A") costs speed,
    never correctness. YAML 1.1 nulls and nan/inf words are caught in the output instead.
    """
    # Bytes where rapidyaml and PyYAML part ways (each a quick memchr): tabs, which PyYAML
    # refuses in places rapidyaml accepts; DEL and other characters PyYAML will not read;
    # \u and \U escapes, which rapidyaml may turn into bytes that are not UTF-8; %YAML
    # directives; and runs of spaces as long as a key PyYAML refuses.
    if b"\t" in data or b"\x7f" in data or data.startswith(b"%"):
        return True
    # Control characters PyYAML refuses: rapidyaml passes them on, and Arrow refuses all of
    # them in JSON text but \b and \f, which rapidyaml writes as escapes.
    if b"\x08" in data or b"\x0c" in data:
        return True
    # A CR that does not end a CRLF is a line break to PyYAML, text to rapidyaml.
    if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):
        return True
    if b"\\" in data and (b"\\u" in data or b"\\U" in data):
        return True
    if (b"%" in data and b"\n%" in data) or b" " * 1024 in data:
        return True
    if not data.isascii():
        if b"\xef\xbf\xbe" in data or b"\xef\xbf\xbf" in data:  # U+FFFE, U+FFFF
            return True
        if b"\xe2\x80\xa8" in data or b"\xe2\x80\xa9" in data:  # U+2028, U+2029: line breaks
            return True
        for at in _occurrences(data, b"\xc2"):  # C1 controls, U+0080 to U+009F, and NEL,
            follower = data[at + 1] if at + 1 < len(data) else 0  # a line break to PyYAML
            if 0x80 <= follower <= 0x9F:
                return True
    seen = 0
    for mark in _MARKS:
        for at in _occurrences(data, mark):
            before = data[at - 1 : at] if at else b"\n"
            after = data[at + 1 : at + 2]
            if before in _BEFORE_NODE and after not in _END_OF_NAME:
                return True
            seen += 1
            if seen > MAX_LOOKALIKES:
                return True
    return False


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


def _check_dates(frame: pd.DataFrame) -> None:
    # The end's whole period must not lie before the date's first day.
    has_end = frame["end"].notna().to_numpy()
    if (frame["last"].to_numpy()[has_end] < frame["start"].to_numpy()[has_end]).any():
        raise _Unsure


# Values rapidyaml writes as text where PyYAML reads something else: YAML 1.1 nulls (~,
# Null, NULL), and nan, NaN, inf, Infinity, -inf..., which it rewrites as these while
# PyYAML keeps what was typed. Any of them in the output sends the file to the careful path.
_REWRITTEN_WORDS = ("~", "Null", "NULL", ".nan", ".inf", "-.inf", "+.inf")
_REWRITTEN = pa.array(_REWRITTEN_WORDS)


def _rewritten(value: Any) -> bool:
    if isinstance(value, str):
        return value in _REWRITTEN_WORDS
    if isinstance(value, dict):
        return any(map(_rewritten, value.values()))
    if isinstance(value, list):
        return any(map(_rewritten, value))
    return False


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


@contextmanager
def _quiet_stderr():
    """Silence rapidyaml's C++ error printing: a bad file is the careful path's to report."""
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise _Unsure  # ryml keeps duplicate keys that PyYAML would report
    return out


def _top_level(tree: Any) -> dict[str, int]:
    """Return the node of each top-level key; _Unsure on a duplicate or anything odd."""
    root = tree.root_id()
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


def _json_bytes(tree: Any, node: int) -> bytearray:
    """Write a member as a JSON document straight into bytes, with no Python str between."""
    with _quiet_stderr():
        size = ryml.compute_json_length(tree, node)
        out = bytearray(size + 2)
        out[0], out[-1] = ord("{"), ord("}")
        ryml.emit_json_in_place(tree, memoryview(out)[1 : size + 1], node)
    return out


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


def _read_events(document: bytearray) -> pa.Array:
    """Read the events' JSON into one Arrow array, in two halves on two threads."""
    cut = document.find(_BETWEEN_EVENTS, len(document) // 2)
    if cut == -1:
        return _read_json(bytes(document))
    halves = [
        bytes(document[: cut + 4]) + b"]}",
        b'{"events": [' + bytes(document[cut + len(_BETWEEN_EVENTS) - 1 :]),
    ]
    with ThreadPoolExecutor(max_workers=2) as pool:  # Arrow's reader lets go of the GIL
        first, second = pool.map(_read_json, halves)
    return pa.concat_arrays([first, second])


def fast_parse(text: str | bytes) -> Dataset | None:
    """Return the Dataset of a valid file quickly, or None when the careful path must decide.

    rapidyaml parses in C++ and writes the events as JSON, which Arrow reads in C++ into
    typed columns: no Python object is made per event. Arrow's reader refuses a number or
    a boolean where text belongs, an unknown key and a duplicate key, so each of those,
    like any error, sends the file to the careful path.
    """
    data = text.encode("utf-8") if isinstance(text, str) else text.removeprefix(b"\xef\xbb\xbf")
    if ryml is None or b"\x00" in data or _needs_careful(data):
        return None
    if not data.isascii():
        try:
            data.decode("utf-8")  # neither ryml nor Arrow checks every byte
        except UnicodeDecodeError:
            return None
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
                small.update(json.loads(_json(tree, node), object_pairs_hook=_no_duplicates))
        if _rewritten(small):
            raise _Unsure
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
        for leaf in _strings(array):
            short = pc.filter(leaf, pc.less_equal(pc.binary_length(leaf), 5))  # lengths are free
            if len(short) and pc.any(pc.is_in(short, value_set=_REWRITTEN)).as_py():
                raise _Unsure
        event_spec = _resolve(schema["properties"]["events"]["items"])[0]
        _check_struct(array, event_spec)
        _check_references(array, list(person), list(source))
        frame = build_frame(array)  # an impossible date fails here
        _check_dates(frame)
    except (_Unsure, ValidationError, ValueError, TypeError, KeyError, pa.ArrowException):
        # UnicodeDecodeError, a ValueError, sends a file that is not UTF-8 to the careful
        # path, which names the offending byte; Arrow refuses bad UTF-8 in strings itself.
        return None
    except Exception as err:  # rapidyaml's own parse errors
        if ryml is not None and type(err).__module__.startswith("ryml"):
            return None
        raise
    return Dataset(
        title=small["title"],
        description=small.get("description"),
        people=person,
        sources=source,
        events=frame,
        periods=period,
    )
