"""The fast way in for large files: a Rust YAML parser and column-wise checks.

It only ever says "this file is valid, here is its Dataset" or "not sure". Whenever it
is not sure (an error, a tag, an alias, a number where text belongs, no parser), the
caller takes the careful path, which parses with PyYAML, keeps every node's position and
reports each problem where it stands. The checks here are read from the JSON Schema of
the same pydantic models the careful path validates with, so the rules live in one place.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import ValidationError

from .frame import Dataset, build_frame, to_arrow
from .schema import Person, Source, TimelineFile

try:  # An optional speed-up: without it every file takes the careful path.
    import yaml_rs
except ImportError:  # pragma: no cover - depends on the environment
    yaml_rs = None

# Tags, anchors and aliases are left to PyYAML, which reports or bounds them.
_MARKS = "!&*"
_BEFORE_NODE = " \t\n[{,"
MAX_LOOKALIKES = 10_000


def _needs_careful(text: str) -> bool:
    """Say whether the text may hold a tag, an anchor or an alias.

    A fast scan: `!`, `&` or `*` where a node can start (at a line start, after a space
    or a flow bracket) and followed by a name. Prose that merely looks like one ("Q &A")
    costs speed, never correctness.
    """
    for mark in _MARKS:
        if mark not in text:
            continue
        seen = 0
        at = text.find(mark)
        while at != -1:
            before = text[at - 1] if at else "\n"
            after = text[at + 1 : at + 2]
            if before in _BEFORE_NODE and after and after not in " \t\r\n,]}":
                return True
            seen += 1
            if seen > MAX_LOOKALIKES:
                return True
            at = text.find(mark, at + 1)
    return False


_MISSING = object()


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


def _heading_type(properties: dict[str, Any]) -> pa.StructType:
    return pa.struct([(name, pa.string()) for name in properties])


def _check_keys(records: list, spec: dict[str, Any]) -> None:
    """Check that every record is a mapping of known keys (Arrow would drop the others)."""
    if set(map(type, records)) - {dict}:
        raise _Unsure
    known = set(spec["properties"])
    if not all(map(known.issuperset, records)):
        raise _Unsure
    # Arrow reads a missing key and an explicit null alike; only the first is allowed for an
    # optional field that may not be null (`quotes: null`), so look for the second here.
    for name, field in spec["properties"].items():
        optional = name not in spec.get("required", ()) and not _resolve(field)[1]
        if optional and any(r.get(name, _MISSING) is None for r in records):
            raise _Unsure


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


def fast_parse(text: str) -> Dataset | None:
    """Return the Dataset of a valid file quickly, or None when the careful path must decide."""
    if yaml_rs is None or _needs_careful(text):
        return None
    try:
        data = yaml_rs.loads(
            text, parse_datetime=False, duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.Error
        )
        schema = _schema()
        if not isinstance(data, dict):
            raise _Unsure
        _check_keys([data], schema)
        nested = ("people", "sources", "events")
        if any(name not in data for name in nested):
            raise _Unsure
        # The heading's own fields (title, description), checked like any record.
        heading = {k: v for k, v in schema["properties"].items() if k not in nested}
        spec = {"properties": heading, "required": [r for r in schema["required"] if r in heading]}
        values = pa.array([{k: data.get(k) for k in heading}], type=_heading_type(heading))
        _check_struct(values, spec)
        people, sources = data.get("people"), data.get("sources")
        if not isinstance(people, dict) or not isinstance(sources, dict):
            raise _Unsure
        # People and sources are few: the models themselves check them, and their keys.
        keys = schema["properties"]["people"]
        key_check = _matcher(next(iter(keys["patternProperties"])))
        for table in (people, sources):
            if set(map(type, table)) - {str} or not all(map(key_check, table)):
                raise _Unsure
            if max(map(len, table), default=0) > keys["propertyNames"]["maxLength"]:
                raise _Unsure
        person = {k: Person.model_validate(v) for k, v in people.items()}
        source = {k: Source.model_validate(v) for k, v in sources.items()}
        events = data["events"]
        if not isinstance(events, list):
            raise _Unsure
        event_spec = _resolve(schema["properties"]["events"]["items"])[0]
        quote_spec = _resolve(event_spec["properties"]["quotes"]["items"])[0]
        _check_keys(events, event_spec)
        quotes = [q for e in events for q in (e.get("quotes") or ())]
        _check_keys(quotes, quote_spec)
        array = to_arrow(events)  # a number where text belongs fails here
        _check_struct(array, event_spec)
        _check_references(array, list(person), list(source))
        frame = build_frame(array)  # an impossible date fails here
        _check_dates(frame)
    except (
        _Unsure,
        ValidationError,
        ValueError,
        TypeError,
        KeyError,
        OverflowError,
        pa.ArrowException,
    ):
        # yaml_rs raises ValueError subclasses for bad YAML, duplicate keys, alias bombs.
        return None
    return Dataset(
        title=data["title"],
        description=data.get("description"),
        people=person,
        sources=source,
        events=frame,
    )
