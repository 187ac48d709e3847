"""Text of a data file to a validated Dataset: every problem located, all in one pass."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any, cast

from pydantic import BaseModel, TypeAdapter, ValidationError

from . import crosscheck
from .errors import MAX_KEPT, DataError, Problem, cut, shown
from .frame import Dataset, build_frame, to_arrow
from .schema import (
    Event,
    FileTranslation,
    Media,
    Period,
    Person,
    Quote,
    Source,
    Step,
    Story,
    StoryTranslation,
    TimelineFile,
    Translation,
)
from .yamldoc import Path, Positions, dotted, parse_yaml

# The model of each top-level collection's items; a path names them by position, so an id
# that happens to read "events" or "quotes" never changes whose fields are meant.
_ITEMS: dict[str, type[BaseModel]] = {
    "people": Person,
    "sources": Source,
    "events": Event,
    "periods": Period,
    "stories": Story,
    "translations": FileTranslation,
}


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return repr(cut(value))
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return shown(value)


def _model_at(loc: Path) -> type[BaseModel]:
    """Return the model that owns the last field of a pydantic error location."""
    parents = loc[:-1]
    if len(parents) < 2 or parents[0] not in _ITEMS:
        return TimelineFile
    if parents[0] == "events" and len(parents) >= 4 and parents[2] == "quotes":
        return Quote
    if parents[0] == "events" and len(parents) == 3 and parents[2] == "media":
        return Media
    if parents[0] == "events" and len(parents) >= 4 and parents[2] == "translations":
        return Translation
    if parents[0] == "stories" and len(parents) >= 4 and parents[2] == "translations":
        return Step if len(parents) >= 6 and parents[4] == "steps" else StoryTranslation
    if parents[0] == "stories" and len(parents) >= 4 and parents[2] == "steps":
        return Step
    return _ITEMS[parents[0]]


def _field_names(model: type[BaseModel]) -> list[str]:
    """Return a model's fields as the file spells them (`from`, not `from_`)."""
    return [field.alias or name for name, field in model.model_fields.items()]


def _message(err: dict[str, Any]) -> tuple[Path, str, bool]:
    """Turn one pydantic error into (path, message, whether it points at a key)."""
    loc: Path = tuple(err["loc"])
    kind = err["type"]
    value = err.get("input")
    if loc and loc[-1] == "[key]":
        # An invalid mapping key, e.g. a person id with capitals.
        loc = loc[:-1]
        reason = str(err.get("ctx", {}).get("error", err["msg"]))
        return loc, f"{dotted(loc[:-1])}: key {reason}", True
    where = dotted(loc)
    if kind == "missing":
        fields = ", ".join(_field_names(_model_at(loc)))
        owner = dotted(loc[:-1])
        return (
            loc,
            f"{owner}: missing required field {shown(loc[-1])} (fields are: {fields})",
            False,
        )
    if kind == "extra_forbidden":
        valid = _field_names(_model_at(loc))
        near = difflib.get_close_matches(str(loc[-1]), valid, n=1, cutoff=0.6)
        hint = f"did you mean {shown(near[0])}? " if near else ""
        return (
            loc,
            f"{where}: unknown field {shown(loc[-1])} ({hint}expected one of: {', '.join(valid)})",
            True,
        )
    if kind == "string_type":
        return loc, f"{where}: expected text but got {_describe(value)}", False
    if kind == "list_type":
        return loc, f"{where}: expected a list, like [a, b], but got {_describe(value)}", False
    if kind in ("dict_type", "model_type"):
        return loc, f"{where}: expected a mapping of fields but got {_describe(value)}", False
    if kind == "too_short":
        return loc, f"{where}: expected at least one entry but got none", False
    if kind == "value_error":
        return loc, f"{where}: {err.get('ctx', {}).get('error', err['msg'])}", False
    return loc, f"{where}: {err['msg']} (got {_describe(value)})", False


# Events are checked this many at a time: pydantic builds every error of a call at once, and
# a file of 250,000 empty events (750 KB) holds 1.5 million of them.
EVENTS_PER_CHECK = 1000
_EVENTS = TypeAdapter(list[Event])


def _schema_errors(data: dict[str, Any]) -> Iterator[tuple[int, ValidationError]]:
    """Yield the schema's errors with the index of the first event they count from.

    The file without its events is checked first (offset -1), then the events a slice at a
    time, so that no call holds more than a slice's errors.
    """
    events = data.get("events")
    try:
        TimelineFile.model_validate({**data, "events": []} if isinstance(events, list) else data)
    except ValidationError as err:
        yield -1, err
    if not isinstance(events, list):
        return
    for start in range(0, len(events), EVENTS_PER_CHECK):
        try:
            _EVENTS.validate_python(events[start : start + EVENTS_PER_CHECK])
        except ValidationError as err:
            yield start, err


def validate(data: object, positions: Positions, name: str) -> TimelineFile:
    """Validate parsed data against the schema, raising DataError with every problem.

    The model returned holds everything but the events (its `events` is empty): those go
    to a table, not to objects.
    """
    if not isinstance(data, dict):
        line, col = positions.of(())
        raise DataError(
            name,
            [
                Problem(
                    line,
                    col,
                    f"the top level is {_describe(data)}; expected a mapping "
                    "with title, people, sources and events",
                )
            ],
        )
    problems: list[Problem] = []
    total = 0
    model = None
    for start, err in _schema_errors(data):
        total += err.error_count()
        room = MAX_KEPT - len(problems)
        for e in err.errors(include_url=False)[:room] if room > 0 else ():
            detail: dict[str, Any] = dict(e)
            if start >= 0:  # a slice's index, counted from the slice's first event
                detail["loc"] = ("events", start + int(e["loc"][0]), *e["loc"][1:])
            path, message, at_key = _message(detail)
            problems.append(Problem(*positions.of(path, key=at_key), message))
    if total == 0:
        model = TimelineFile.model_validate({**data, "events": []})
    found = crosscheck.located(data)
    total += len(found)
    for path, message in found[:MAX_KEPT]:
        problems.append(Problem(*positions.of(path), message))
    if problems or model is None:
        raise DataError(name, problems, total)
    return model


# Small files, the hand-edited kind, always take the careful path: it is quick at that size.
FAST_PATH_MIN_BYTES = 1_000_000


def text_of(raw: bytes, name: str) -> str:
    """Decode UTF-8 bytes (a byte-order mark is allowed), naming the offset of a bad byte."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DataError(
            name,
            [Problem(1, 1, "the file is UTF-16 (it starts with a UTF-16 byte-order mark); "
                     "expected UTF-8: save it again as UTF-8")],
        )  # fmt: skip
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        column = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        raise DataError(
            name,
            [
                Problem(
                    line,
                    column,
                    f"byte 0x{raw[err.start]:02x} at offset {err.start} is "
                    "not UTF-8; expected a UTF-8 text file",
                )
            ],
        ) from None
    if "\x00" in text:
        offset = text.index("\x00")
        line = text.count("\n", 0, offset) + 1
        raise DataError(
            name, [Problem(line, 1, f"NUL byte at character {offset}; expected a text file")]
        )
    return text


def parse_events(source: bytes | str, name: str = "events.yaml") -> Dataset:
    """Parse and validate a data file's bytes (or text); DataError lists every problem.

    The one way in: files of a megabyte or more try the fast reader first, and whatever
    it declines (with its reason) goes to the careful one, which locates every problem.
    """
    from .fastpath import read_fast

    raw = source.encode("utf-8", "surrogatepass") if isinstance(source, str) else source
    why = ""
    if len(raw) >= FAST_PATH_MIN_BYTES:
        # Large files skip decoding: rapidyaml and Arrow read the bytes themselves.
        fast = read_fast(raw)
        if isinstance(fast, Dataset):
            return fast
        why = fast
    return parse_carefully(text_of(raw, name), name=name, why=why)


def parse_carefully(text: str, name: str = "events.yaml", why: str = "") -> Dataset:
    """Parse with PyYAML, keeping positions, and validate; DataError lists every problem.

    `why` says why the fast reader declined the file, for the message when it is too large.
    """
    data, positions, problems = parse_yaml(text, name, why)
    try:
        model = validate(data, positions, name)
    except DataError as err:
        # A node the YAML layer rejected (a tag, say) is not reported a second time.
        seen = {(p.line, p.column) for p in problems}
        extra = [p for p in err.problems if (p.line, p.column) not in seen]
        total = len(problems) + err.total - (len(err.problems) - len(extra))
        raise DataError(name, problems + extra, total) from None
    if problems:
        raise DataError(name, problems)
    return Dataset(
        title=model.title,
        description=model.description,
        people=dict(model.people),
        sources=dict(model.sources),
        events=build_frame(to_arrow(cast(dict[str, Any], data)["events"])),  # validated
        periods=tuple(model.periods or ()),
        stories=tuple(model.stories or ()),
        lang=model.lang,
        translations=tuple(model.translations or ()),
    )
