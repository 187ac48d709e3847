"""The imported file as YAML written for people: block style, dates quoted, events apart."""

from __future__ import annotations

import datetime as dt
import textwrap
from typing import Any

import yaml
from pydantic import BaseModel

from ..dates import DATE_PATTERN
from ..schema import TimelineFile
from ..text import clean
from .common import Imported

WIDTH = 80  # long text folds near here (an emitter may run a word past it)
COMMENT_WIDTH = 98
_LONG_TEXT = 72  # longer text is written as a folded block (>-)
_SHORT_LIST = 72  # a list of plain words this long or shorter stays on one line
_CHUNK = 500  # list items written by one call of the emitter


class _Quoted(str):
    """Text written in double quotes: dates, so no reader takes them for numbers or times."""


class _Flow(list[Any]):
    """A short list of words, written on one line like `[putin, raisi]`."""


# libyaml's emitter when PyYAML has it: a hundred thousand events are written in seconds
# rather than minutes. Both are safe dumpers: they write no tags, ever.
_SAFE_DUMPER: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_SAFE_DUMPER):  # type: ignore[valid-type, misc]  # chosen at import
    """The safe dumper, with dates quoted, short lists on one line and long text as blocks."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    # Multi-line text as a literal block keeps its lines, and long text folds as a block
    # without quotes to escape; PyYAML quotes either where a block cannot hold it.
    style = "|" if "\n" in value else ">" if len(value) > _LONG_TEXT else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _quoted(dumper: yaml.SafeDumper, value: _Quoted) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style='"')


def _flow(dumper: yaml.SafeDumper, value: _Flow) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", list(value), flow_style=True)


_Dumper.add_representer(str, _text)
_Dumper.add_representer(_Quoted, _quoted)
_Dumper.add_representer(_Flow, _flow)


def _date_keys(model: type[BaseModel]) -> frozenset[str]:
    """Return the names of every field, at any depth, that holds a date (`DateText`)."""
    keys: set[str] = set()
    schema = model.model_json_schema(by_alias=True)
    for part in [schema, *schema.get("$defs", {}).values()]:
        for key, field in part.get("properties", {}).items():
            if any(t.get("pattern") == DATE_PATTERN for t in [field, *field.get("anyOf", [])]):
                keys.add(key)
    return frozenset(keys)


# Read from the schema, so that a date field added to it is quoted too.
_DATE_KEYS = _date_keys(TimelineFile)


def _styled(value: Any, key: str | None = None) -> Any:
    """Mark dates for quotes and short lists of words for one line, all the way down."""
    if isinstance(value, dict):
        return {k: _styled(v, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [_styled(v) for v in value]
        words = all(isinstance(v, str) and "\n" not in v for v in items)
        if words and len(", ".join(items)) <= _SHORT_LIST:
            return _Flow(items)
        return items
    if isinstance(value, str) and key in _DATE_KEYS:
        return _Quoted(value)
    return value


def _dump(data: dict[str, Any] | list[Any]) -> str:
    return yaml.dump(
        _styled(data),
        Dumper=_Dumper,
        default_flow_style=False,
        sort_keys=False,
        allow_unicode=True,
        width=WIDTH,
    )


def _list_apart(key: str, items: list[Any]) -> str:
    """Write a top-level list indented under its key, an empty line between its items.

    Moving every line of a block right by the same amount keeps its meaning: block scalars
    and folded lines are read relative to the lines around them.
    """
    out = [f"{key}:"]
    # A few hundred items at a time: the emitter's nodes for all of them are never held.
    for start in range(0, len(items), _CHUNK):
        chunk = [
            fields(m) if isinstance(m, BaseModel) else m for m in items[start : start + _CHUNK]
        ]
        for line in _dump(chunk).rstrip("\n").split("\n"):
            if line.startswith("- ") and len(out) > 1:
                out.append("")
            out.append(f"  {line}" if line else line)
    return "\n".join(out) + "\n"


def _comment(text: str) -> str:
    # A file name can hold anything, line breaks included: only safe lines of comment.
    safe = " ".join(clean(text).encode("utf-8", "backslashreplace").decode("utf-8").split())
    lines = textwrap.wrap(safe, COMMENT_WIDTH - 2, break_on_hyphens=False)
    return "\n".join("# " + line for line in lines)


def fields(model: BaseModel) -> dict[str, Any]:
    """Return a model's fields as the file holds them: declared order, names as written.

    A field at its default (None, an empty list) is left out, as an editor would.
    """
    return model.model_dump(by_alias=True, exclude_defaults=True)


def _plain(value: Any) -> Any:
    return fields(value) if isinstance(value, BaseModel) else value


def _part(key: str, value: Any) -> str:
    """Write one top-level collection: a list's items apart, a mapping's entries together."""
    if isinstance(value, list):
        return _list_apart(key, value)
    if isinstance(value, dict):
        return _dump({key: {k: _plain(v) for k, v in value.items()}})
    return _dump({key: _plain(value)})


def render(imported: Imported, input_name: str, format_title: str, today: dt.date) -> str:
    """Return the imported file as YAML text, with a comment naming its input and the date.

    The file's own fields are written in the order the schema declares them: its words
    (title, description) together under the comment, each collection after a blank line.
    """
    header = [
        _comment(
            f"Imported from {input_name} ({format_title}) on {today.isoformat()} "
            "with python -m timeline import."
        )
    ]
    if imported.source_comment:
        header.append(_comment(imported.source_comment))
    header.append(_comment("Edit it by hand, then check it with `python -m timeline validate`."))
    file = imported.file
    top: dict[str, Any] = {}
    parts: list[str] = []
    for name, info in type(file).model_fields.items():
        value = getattr(file, name)
        if not info.is_required() and value == info.get_default(call_default_factory=True):
            continue
        key = info.alias or name
        if isinstance(value, list | dict):
            parts.append(_part(key, value))
        else:
            top[key] = value
    return "\n".join(["\n".join(header) + "\n" + _dump(top), *parts])
