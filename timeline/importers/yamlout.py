"""The imported file as YAML written for people: block style, dates quoted, events apart."""

from __future__ import annotations

import datetime as dt
import textwrap
from typing import Any

import yaml

from ..text import clean
from .common import Imported

WIDTH = 80  # long text folds near here (an emitter may run a word past it)
COMMENT_WIDTH = 98
_DATE_KEYS = frozenset({"date", "end", "from", "to"})
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
        for line in _dump(items[start : start + _CHUNK]).rstrip("\n").split("\n"):
            if line.startswith("- ") and len(out) > 1:
                out.append("")
            out.append(f"  {line}" if line else line)
    return "\n".join(out) + "\n"


def _comment(text: str) -> str:
    # A file name can hold anything, line breaks included: only safe lines of comment.
    safe = " ".join(clean(text).encode("utf-8", "backslashreplace").decode("utf-8").split())
    lines = textwrap.wrap(safe, COMMENT_WIDTH - 2, break_on_hyphens=False)
    return "\n".join("# " + line for line in lines)


def render(imported: Imported, input_name: str, format_name: str, today: dt.date) -> str:
    """Return the imported file as YAML text, with a comment naming its input and the date."""
    header = [
        _comment(
            f"Imported from {input_name} ({format_name}) on {today.isoformat()} "
            "with python -m timeline import."
        )
    ]
    if imported.source_comment:
        header.append(_comment(imported.source_comment))
    header.append(_comment("Edit it by hand, then check it with `python -m timeline validate`."))
    top: dict[str, Any] = {"title": imported.title}
    if imported.description:
        top["description"] = imported.description
    people = {
        pid: {"name": p.name, **({"country": p.country} if p.country else {})}
        for pid, p in imported.people.items()
    }
    sources = {
        sid: {
            "title": s.title,
            "publisher": s.publisher,
            "date": s.date,
            **({"url": s.url} if s.url else {}),
        }
        for sid, s in imported.sources.items()
    }
    parts = ["\n".join(header) + "\n" + _dump(top), _dump({"people": people})]
    parts.append(_dump({"sources": sources}))
    if imported.periods:
        periods = [
            {
                "title": p.title,
                "from": p.start,
                **({"to": p.end} if p.end else {}),
                **({"note": p.note} if p.note else {}),
            }
            for p in imported.periods
        ]
        parts.append(_list_apart("periods", periods))
    parts.append(_list_apart("events", imported.events))
    return "\n".join(parts)
