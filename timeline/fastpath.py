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

import numpy as np
import pandas as pd
from pydantic import ValidationError

from .frame import Dataset, build_frame
from .schema import Person, Source, TimelineFile

try:  # An optional speed-up: without it every file takes the careful path.
    import yaml_rs
except ImportError:  # pragma: no cover - depends on the environment
    yaml_rs = None

# Tags, anchors and aliases are left to PyYAML, which reports or bounds them; this finds
# them (and some harmless text that merely looks like them, which only costs speed).
_NEEDS_CAREFUL = re.compile(r"(?:^|[\s,\[{])[!&*][^\s,\]}]", re.MULTILINE)
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


def _check_strings(values: list, spec: dict[str, Any]) -> None:
    if not values:
        return
    if set(map(type, values)) != {str}:
        raise _Unsure  # a number, a boolean or a date where text belongs: ask PyYAML
    if "maxLength" in spec and max(map(len, values)) > spec["maxLength"]:
        raise _Unsure
    if "minLength" in spec and min(map(len, values)) < spec["minLength"]:
        raise _Unsure
    if "pattern" in spec and not all(map(_matcher(spec["pattern"]), values)):
        raise _Unsure


def _check_column(values: list, spec: dict[str, Any]) -> None:
    """Check one field's values across all records against its JSON Schema."""
    spec, nullable = _resolve(spec)
    if nullable:
        values = [v for v in values if v is not None]
    kind = spec.get("type")
    if kind == "string":
        _check_strings(values, spec)
    elif kind == "array":
        if values and set(map(type, values)) != {list}:
            raise _Unsure
        if "minItems" in spec and values and min(map(len, values)) < spec["minItems"]:
            raise _Unsure
        _check_column([item for v in values for item in v], spec["items"])
    elif kind == "object" and "properties" in spec:
        _check_records(values, spec)
    else:  # pragma: no cover - a schema shape this checker does not know
        raise _Unsure


def _check_records(records: list, spec: dict[str, Any]) -> None:
    """Check a list of mappings column by column: known keys, required keys, each field."""
    if not records:
        return
    if set(map(type, records)) != {dict}:
        raise _Unsure
    properties: dict[str, Any] = spec["properties"]
    required = set(spec.get("required", ()))
    present = 0
    for name, field in properties.items():
        column = [r.get(name, _MISSING) for r in records]
        given = [v for v in column if v is not _MISSING]
        if name in required and len(given) != len(column):
            raise _Unsure
        present += len(given)
        _check_column(given, field)
    if present != sum(map(len, records)):
        raise _Unsure  # some record has a key the schema does not know


def _check_references(frame: pd.DataFrame, people: set[str], sources: set[str]) -> None:
    """Check what no single field can: unique ids, known people and sources, end after date."""
    if frame["id"].duplicated().any():
        raise _Unsure
    leaders = {p for ls in frame["leaders"] for p in ls}
    cited = {s for ss in frame["sources"] for s in ss}
    quoted = {q["by"] for qs in frame["quotes"] for q in qs}
    quote_sources = {q["source"] for qs in frame["quotes"] for q in qs}
    if not (leaders | quoted) <= people or not (cited | quote_sources) <= sources:
        raise _Unsure
    ends = frame["end"].to_numpy()
    has_end = ~np.isnat(ends)
    # The end's whole period must not lie before the date's first day.
    end_last = frame["last"].to_numpy()[has_end]
    if (end_last < frame["start"].to_numpy()[has_end]).any():
        raise _Unsure


def fast_parse(text: str) -> Dataset | None:
    """Return the Dataset of a valid file quickly, or None when the careful path must decide."""
    if yaml_rs is None or _NEEDS_CAREFUL.search(text):
        return None
    try:
        data = yaml_rs.loads(
            text, parse_datetime=False, duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.Error
        )
        schema = _schema()
        if not isinstance(data, dict):
            raise _Unsure
        top = {k: v for k, v in schema["properties"].items() if k not in ("people", "sources")}
        _check_records([{k: v for k, v in data.items() if k not in ("people", "sources")}], {
            "properties": top, "required": [r for r in schema["required"] if r in top]
        })  # fmt: skip
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
        frame = build_frame(events)
        _check_references(frame, set(person), set(source))
    except (_Unsure, ValidationError, ValueError, TypeError, KeyError, OverflowError):
        # yaml_rs raises ValueError subclasses for bad YAML, duplicate keys, alias bombs.
        return None
    return Dataset(
        title=data["title"],
        description=data.get("description"),
        people=person,
        sources=source,
        events=frame,
    )
