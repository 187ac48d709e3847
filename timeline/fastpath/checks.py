"""The values checked as the careful path would: the JSON Schema's rules, field by field on
Arrow columns, the few people, sources and periods by the models themselves, and the rules
across fields (crosscheck.py), the same ones the careful path applies.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .. import crosscheck
from ..schema import (
    TEXT_PATTERN,
    FileTranslation,
    Period,
    Person,
    Source,
    Story,
    TimelineFile,
    is_language,
    web_address,
)  # fmt: skip
from .doubt import Unsure
from .scalars import any_ambiguous

_TEXT = re.compile(TEXT_PATTERN)


@cache
def schema() -> dict[str, Any]:
    """Return the JSON Schema of a file, which the checks read their rules from."""
    return TimelineFile.model_json_schema()


def _resolve(spec: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """Return a property's schema without its `null` alternative, and whether null is allowed."""
    if "$ref" in spec:
        return schema()["$defs"][spec["$ref"].rsplit("/", 1)[1]], False
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
    """Check one field's Arrow column against its JSON Schema; raise Unsure on doubt."""
    spec = _resolve(spec)[0]
    if values.null_count and required:
        raise Unsure  # missing, or null where a value is needed
    values = values.drop_null() if values.null_count else values
    kind = spec.get("type")
    if kind == "string":
        # RE2 in Arrow reads the ASCII-only patterns exactly as Python's re does.
        pattern = spec.get("pattern")
        if pattern and len(values) and not _all(pc.match_substring_regex(values, pattern)):
            raise Unsure
        lengths = pc.utf8_length(values)
        if "maxLength" in spec and len(values) and pc.max(lengths).as_py() > spec["maxLength"]:
            raise Unsure
        if "minLength" in spec and len(values) and pc.min(lengths).as_py() < spec["minLength"]:
            raise Unsure
        # Addresses are few (media), and the rule is Python's urlsplit: applied as it is.
        if spec.get("format") == "uri" and not all(map(web_address, values.to_pylist())):
            raise Unsure("an address the schema's rule does not take")
        # Languages are few and repeat: Babel is asked once about each distinct code.
        if spec.get("format") == "language" and not all(
            map(is_language, pc.unique(values).to_pylist())
        ):
            raise Unsure("a language code Babel does not know")
    elif kind == "array":
        least = spec.get("minItems", 0)
        if least and len(values) and pc.min(pc.list_value_length(values)).as_py() < least:
            raise Unsure
        _check_array(pc.list_flatten(values), spec["items"], required=True)
    elif kind == "object":
        _check_struct(values, spec)
    else:  # pragma: no cover - a schema shape this checker does not know
        raise Unsure


def _check_struct(values: pa.StructArray, spec: dict[str, Any]) -> None:
    required = set(spec.get("required", ()))
    for name, field in spec["properties"].items():
        _check_array(values.field(name), field, name in required)


@dataclass(frozen=True)
class Head:
    """Everything of a file but its events, checked by the same models as the careful path's."""

    title: str
    description: str | None
    people: dict[str, Person]
    sources: dict[str, Source]
    periods: tuple[Period, ...]
    stories: tuple[Story, ...] = ()
    lang: str | None = None
    translations: tuple[FileTranslation, ...] = ()


def _check_keys(tables: tuple[Any, ...], schema: dict[str, Any]) -> None:
    """Check that the people and sources are mappings whose keys the schema takes."""
    keys = schema["properties"]["people"]
    key_check = _matcher(next(iter(keys["patternProperties"])))
    for table in tables:
        if not isinstance(table, dict):
            raise Unsure
        if not all(map(key_check, table)):
            raise Unsure
        if max(map(len, table), default=0) > keys["propertyNames"]["maxLength"]:
            raise Unsure


def check_head(small: dict[str, Any], schema: dict[str, Any]) -> Head:
    """Check and type the top-level members but the events; Unsure (or the model's error)."""
    for name in ("title", "description"):
        value = small.get(name)
        if value is not None and (not isinstance(value, str) or not _TEXT.search(value)):
            raise Unsure
    if small["title"] is None:
        raise Unsure
    people, sources = small["people"], small["sources"]
    _check_keys((people, sources), schema)
    # People, sources and periods are few: the models themselves check them.
    person = {k: Person.model_validate(v) for k, v in people.items()}
    periods = small.get("periods")
    if periods is not None and not isinstance(periods, list):
        raise Unsure
    period = tuple(Period.model_validate(p) for p in periods or ())
    if any(crosscheck.PERIOD_END.located(i, p) for i, p in enumerate(periods or ())):
        raise Unsure(crosscheck.PERIOD_END.doubt)
    source = {k: Source.model_validate(v) for k, v in sources.items()}
    stories = small.get("stories")
    if stories is not None and not isinstance(stories, list):
        raise Unsure
    story = tuple(Story.model_validate(s) for s in stories or ())
    own = small.get("lang")  # the stories' translations: the careful path's rule, on the same data
    if any(
        crosscheck.story_translations(i, s, own, list(sources)) for i, s in enumerate(stories or ())
    ):
        raise Unsure(crosscheck.TRANSLATION_DOUBT)
    lang, translations = _check_languages(small, list(sources))
    return Head(small["title"], small.get("description"), person, source, period, story, lang,
                translations)  # fmt: skip


def _check_languages(
    small: dict[str, Any], sources: list[str]
) -> tuple[str | None, tuple[FileTranslation, ...]]:
    """Check the file's language and its own translations as the careful path does."""
    lang, items = small.get("lang"), small.get("translations")
    if lang is not None and not is_language(lang):
        raise Unsure("a language code Babel does not know")
    if items is not None and not isinstance(items, list):
        raise Unsure
    translations = tuple(FileTranslation.model_validate(t) for t in items or ())
    if crosscheck.file_translations(small, sources):
        raise Unsure(crosscheck.TRANSLATION_DOUBT)
    return lang, translations


def check_events(
    array: pa.StructArray, schema: dict[str, Any], known: dict[str, list[str]],
    lang: str | None = None,
) -> None:  # fmt: skip
    """Check the events as the schema and the careful path would; Unsure on any doubt.

    `known` holds the ids of the file's people and of its sources, by table; `lang` is
    the file's own language, which no translation may be in.
    """
    for leaf in _strings(array):
        if len(leaf) and any_ambiguous(leaf):
            raise Unsure("an event's value PyYAML may read otherwise")
    _check_struct(array, _resolve(schema["properties"]["events"]["items"])[0])
    if crosscheck.any_duplicate_id(array):
        raise Unsure(crosscheck.DUPLICATE_DOUBT)
    if crosscheck.any_unknown(array, known):
        raise Unsure(crosscheck.UNKNOWN_DOUBT)
    if crosscheck.any_translation_clash(array, lang):
        raise Unsure(crosscheck.TRANSLATION_DOUBT)


def check_dates(frame: pd.DataFrame) -> None:
    """Check the events' frame for an end before its date or a time without its day."""
    if crosscheck.EVENT_END.broken_in(frame):
        raise Unsure(crosscheck.EVENT_END.doubt)
    if any(rule.broken_in(frame) for rule in crosscheck.TIME_RULES):
        raise Unsure(crosscheck.TIME_DOUBT)


def check_stories(head: Head, events: pa.StructArray) -> None:
    """Check the stories' ids and that each step names an event; Unsure if not."""
    if crosscheck.stories_broken(head.stories, events.field("id")):
        raise Unsure(crosscheck.STORY_DOUBT)


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
