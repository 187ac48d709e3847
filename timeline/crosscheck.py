"""The rules no single field can check, each written once, with its message, for both ways in.

An end before its start, an event id used twice, and a person or source that is not in
the file. The careful path (loader.py) applies them to the parsed data and locates every
break (`located`); the fast path (fastpath/checks.py) applies the same rules to Arrow
columns and only asks whether any rule breaks, and then the careful path says where.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .dates import DATE_PATTERN, day_part, ends_before, lies_before
from .errors import cut, shown
from .schema import TIME_PATTERN, Story
from .yamldoc import Path, dotted

Located = tuple[Path, str]


@dataclass(frozen=True)
class EndRule:
    """An item's end must not lie wholly before its start (`end: 2022-06` after `2022-06-30`).

    With times of day (`start_time`, `end_time` fields) the moments are compared: a day's
    start at its time (or midnight), an end's last day at its end time (or the day's end).
    """

    items: Literal["events", "periods"]  # the top-level list the items are in
    start: str  # the item's field for its start, as the file spells it
    end: str
    before: str  # words for the start in "... is before its start '2022'"
    after: str  # and in "expected an end on or after the start"
    doubt: str  # why the fast path declines a file that breaks the rule
    start_time: str | None = None  # the item's fields for its times of day, if it has any
    end_time: str | None = None

    def _times(self, item: dict[str, Any]) -> tuple[Any, Any]:
        start_time = item.get(self.start_time) if self.start_time else None
        end_time = item.get(self.end_time) if self.end_time else None
        return start_time, end_time

    def located(self, i: int, item: Any) -> Located | None:
        """Return where and why the item at index i breaks the rule, or None."""
        if not isinstance(item, dict):
            return None
        start, end = item.get(self.start), item.get(self.end)
        start_time, end_time = self._times(item)
        if isinstance(end_time, str) and end is None:
            end = start  # an end time alone ends on the start's day
        if not isinstance(start, str) or not isinstance(end, str):
            return None
        try:
            if ends_before(start, end):
                path: Path = (self.items, i, self.end)
                return path, (
                    f"{dotted(path)}: {shown(end)} is before {self.before} {shown(start)} "
                    f"(expected an end on or after {self.after})"
                )
            if not ends_before(start, end, start_time, end_time):
                return None
        except ValueError:
            return None  # no date or no time: the schema reports it
        path = (self.items, i, str(self.end_time))
        return path, (
            f"{dotted(path)}: {shown(end_time)} is before the time {shown(start_time)} on "
            f"the same day (expected an end time on or after the time)"
        )

    def broken_in(self, frame: pd.DataFrame) -> bool:
        """Say whether any event of a frame breaks the rule (the frame's `last` is its end's)."""
        end_time = frame["end_time"].to_numpy(str) if self.end_time else None
        has_end = frame["end"].notna().to_numpy()
        if end_time is not None:
            has_end = has_end | (end_time != "")
        last, first = frame["last"].to_numpy()[has_end], frame["start"].to_numpy()[has_end]
        if end_time is not None:
            last = last + day_part(end_time[has_end], end_of_day=True)
            first = first + day_part(frame["time"].to_numpy(str)[has_end])
        return bool(lies_before(last, first).any())


EVENT_END = EndRule(
    "events", "date", "end", "the date", "the date", "an event's end before its date",
    start_time="time", end_time="end_time",
)  # fmt: skip
PERIOD_END = EndRule(
    "periods", "from", "to", "its start", "the start", "a period's end before its start"
)


# A date written to the day: the only date a time of day may go with.
_DAY_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class TimeRule:
    """A time of day needs what it qualifies: `end_time` a `time`, and each a whole day."""

    field: Literal["time", "end_time"]
    day: Literal["date", "end"]  # the date the time is of (an end time's: the end, if any)

    def located(self, i: int, event: dict[str, Any]) -> Located | None:
        """Return where and why the event at index i breaks the rule, or None."""
        value = event.get(self.field)
        if not isinstance(value, str) or not _TIME_RE.fullmatch(value):
            return None  # no time: the schema reports it
        path: Path = ("events", i, self.field)
        if self.field == "end_time" and event.get("time") is None:
            return path, (
                f"{dotted(path)}: {shown(value)} is given without a time (expected `time` "
                "with `end_time`, like time: '14:30')"
            )
        day = event.get(self.day) or event.get("date")
        if isinstance(day, str) and _DATE_RE.fullmatch(day) and not _DAY_RE.fullmatch(day):
            return path, (
                f"{dotted(path)}: {shown(value)} is given with the date {shown(day)}, which is "
                "not a whole day (expected a time only with a date written YYYY-MM-DD)"
            )
        return None

    def broken_in(self, frame: pd.DataFrame) -> bool:
        """Say whether any event of a frame breaks the rule."""
        given = frame[self.field].to_numpy(str) != ""
        if self.field == "end_time" and (given & (frame["time"].to_numpy(str) == "")).any():
            return True
        precision = frame["precision"].astype(str).to_numpy()
        if self.day == "end":
            has_end = frame["end"].notna().to_numpy()
            precision = np.where(has_end, frame["end_precision"].astype(str), precision)
        return bool((given & (precision != "day")).any())


_DATE_RE = re.compile(DATE_PATTERN)
_TIME_RE = re.compile(TIME_PATTERN)
TIME_RULES = (TimeRule("time", "date"), TimeRule("end_time", "end"))
TIME_DOUBT = "a time of day without its time or its whole day"
DUPLICATE_DOUBT = "an event id used twice"
UNKNOWN_DOUBT = "a person or source that the file does not list"


@dataclass(frozen=True)
class Reference:
    """An item's field that names an entry of the file by its id: an event's person or
    source (a key of `people` or `sources`), or a story's event (an `id` of `events`)."""

    field: Literal["leaders", "sources", "quotes", "translations", "steps"]
    inner: str | None  # in each item of a list of records, the field that names: `by`
    table: Literal["people", "sources", "events"]
    what: str  # the word for one of the table's entries
    items: Literal["events", "stories"] = "events"  # the top-level list whose items name

    def values(self, events: pa.StructArray) -> pa.Array:
        """Return every id this field names in the events' Arrow array, as one column."""
        items = pc.list_flatten(events.field(self.field))
        return items if self.inner is None else items.field(self.inner)


REFERENCES = (
    Reference("leaders", None, "people", "person"),
    Reference("sources", None, "sources", "source"),
    Reference("quotes", "by", "people", "person"),
    Reference("quotes", "source", "sources", "source"),
    Reference("translations", "source", "sources", "source"),
)
# The stories are few and read as Python data on both paths: checked by `located`.
STORY_REFERENCES = (Reference("steps", "event", "events", "event", items="stories"),)
STORY_DOUBT = "a story whose id is used twice or whose step names no event of the file"


def _near(value: str, known: list[str]) -> str:
    # difflib takes time in the product of the lengths: a long value is near nothing.
    near = difflib.get_close_matches(value, known, n=1, cutoff=0.6) if len(value) <= 100 else []
    hint = f"did you mean {shown(near[0])}? " if near else ""
    # The known ids are the file's own keys, valid or not: each is cut like any echo.
    listed = ", ".join(cut(k) for k in sorted(known)[:12]) + (", ..." if len(known) > 12 else "")
    return f"{hint}known: {listed or 'none'}"


def _named(
    i: int, event: dict[str, Any], references: tuple[Reference, ...]
) -> Iterator[tuple[Path, Any, Reference]]:
    """Yield each id an item names, where, and by which reference, in the file's order."""
    for field in dict.fromkeys(r.field for r in references):
        items = event.get(field)
        if not isinstance(items, list):
            continue
        refs = [r for r in references if r.field == field]
        for j, item in enumerate(items):
            for ref in refs:
                if ref.inner is None:
                    yield (ref.items, i, field, j), item, ref
                elif isinstance(item, dict):
                    yield (ref.items, i, field, j, ref.inner), item.get(ref.inner), ref


def _unknown(
    i: int,
    event: dict[str, Any],
    known: dict[str, list[str] | None],
    references: tuple[Reference, ...] = REFERENCES,
) -> list[Located]:
    """Return each id the item names that its table does not hold."""
    found = []
    for path, value, ref in _named(i, event, references):
        ids = known[ref.table]
        if ids is not None and isinstance(value, str) and value not in ids:
            found.append(
                (path, f"{dotted(path)}: unknown {ref.what} {shown(value)} ({_near(value, ids)})")
            )
    return found


def _duplicate(
    i: int, event: dict[str, Any], first_use: dict[str, int], items: str = "events"
) -> Located | None:
    """Return where and why the item's id was used before, noting its first use if not."""
    eid = event.get("id")
    if not isinstance(eid, str):
        return None
    if eid not in first_use:
        first_use[eid] = i
        return None
    what = "event" if items == "events" else "story"
    return (items, i, "id"), (
        f"{items}[{i}].id: duplicate id {shown(eid)} (already used by "
        f"{items}[{first_use[eid]}]; expected each {what} id once)"
    )


def _stories(
    data: dict[str, Any], event_ids: list[str] | None, sources: list[str] | None = None
) -> list[Located]:
    """Return every story id used twice, every step naming an event the file lacks, and the
    breaks of the stories' translations."""
    stories = data.get("stories")
    found: list[Located] = []
    first_use: dict[str, int] = {}
    for i, story in enumerate(stories if isinstance(stories, list) else ()):
        if not isinstance(story, dict):
            continue
        if hit := _duplicate(i, story, first_use, "stories"):
            found.append(hit)
        found += _unknown(i, story, {"events": event_ids}, STORY_REFERENCES)
        found += story_translations(i, story, data.get("lang"), sources)
    return found


TRANSLATION_DOUBT = "a language translated twice, or into the file's own language"


def _translations(where: Path, items: Any, own: Any) -> list[Located]:
    """Return each translation whose language came before in the list or is the file's own."""
    found: list[Located] = []
    first_use: dict[str, int] = {}
    for j, item in enumerate(items if isinstance(items, list) else ()):
        lang = item.get("lang") if isinstance(item, dict) else None
        if not isinstance(lang, str):
            continue
        path: Path = (*where, j, "lang")
        if lang == own:
            found.append(
                (
                    path,
                    f"{dotted(path)}: {shown(lang)} is the file's own language "
                    f"(lang: {cut(lang)}; expected a translation into another language)",
                )
            )
        elif lang in first_use:
            found.append((path, f"{dotted(path)}: {shown(lang)} is translated twice (already "
                          f"in {dotted((*where, first_use[lang]))}; expected one translation "
                          "per language)"))  # fmt: skip
        else:
            first_use[lang] = j
    return found


def _translated(where: Path, items: Any, own: Any, sources: list[str] | None) -> list[Located]:
    """Return the breaks of a list of translations: a language twice or own, a source unknown."""
    found = _translations(where, items, own)
    for j, item in enumerate(items if isinstance(items, list) else ()):
        source = item.get("source") if isinstance(item, dict) else None
        if sources is not None and isinstance(source, str) and source not in sources:
            path: Path = (*where, j, "source")
            found.append((path, f"{dotted(path)}: unknown source {shown(source)} "
                          f"({_near(source, sources)})"))  # fmt: skip
    return found


def file_translations(data: dict[str, Any], sources: list[str] | None) -> list[Located]:
    """Return the breaks of the file's own translations: language twice or own, source unknown."""
    return _translated(("translations",), data.get("translations"), data.get("lang"), sources)


def story_translations(i: int, story: dict[str, Any], own: Any, sources: list[str] | None
                       ) -> list[Located]:  # fmt: skip
    """Return the breaks of a story's translations: a language twice or the file's own, a
    source unknown, a translated step naming an event that is no step of the story."""
    items = story.get("translations")
    found = _translated(("stories", i, "translations"), items, own, sources)
    steps = story.get("steps")
    named = (
        (s.get("event") for s in steps if isinstance(s, dict)) if isinstance(steps, list) else ()
    )
    told: list[str] = [e for e in named if isinstance(e, str)]
    for j, item in enumerate(items if isinstance(items, list) else ()):
        given = item.get("steps") if isinstance(item, dict) else None
        for k, step in enumerate(given if isinstance(given, list) else ()):
            event = step.get("event") if isinstance(step, dict) else None
            if isinstance(event, str) and event not in told:
                path: Path = ("stories", i, "translations", j, "steps", k, "event")
                found.append((path, f"{dotted(path)}: {shown(event)} is no step of this story "
                              f"({_near(event, told)})"))  # fmt: skip
    return found


def event_ids(data: dict[str, Any]) -> list[str] | None:
    """Return the ids of the parsed file's events (texts only), or None without a list."""
    events = data.get("events")
    if not isinstance(events, list):
        return None
    return [e["id"] for e in events if isinstance(e, dict) and isinstance(e.get("id"), str)]


def located(data: dict[str, Any]) -> list[Located]:
    """Return every break of these rules in parsed data, with its path, in the file's order."""
    periods = data.get("periods")
    found = [
        hit
        for i, period in enumerate(periods if isinstance(periods, list) else ())
        if (hit := PERIOD_END.located(i, period))
    ]
    known: dict[str, list[str] | None] = {}
    for table in ("people", "sources"):
        entries = data.get(table)
        known[table] = list(entries) if isinstance(entries, dict) else None
    events, own = data.get("events"), data.get("lang")
    first_use: dict[str, int] = {}
    for i, event in enumerate(events if isinstance(events, list) else ()):
        if not isinstance(event, dict):
            continue
        if hit := _duplicate(i, event, first_use):
            found.append(hit)
        found += _unknown(i, event, known)
        if hit := EVENT_END.located(i, event):
            found.append(hit)
        found += [hit for rule in TIME_RULES if (hit := rule.located(i, event))]
        found += _translations(("events", i, "translations"), event.get("translations"), own)
    stories = _stories(data, event_ids(data), known["sources"])
    return found + file_translations(data, known["sources"]) + stories


def stories_broken(stories: Sequence[Story], ids: pa.Array) -> bool:
    """Say whether checked stories break a rule, given the events' ids as an Arrow column."""
    story_ids = [story.id for story in stories]
    if len(set(story_ids)) != len(story_ids):
        return True
    named = pa.array(list(dict.fromkeys(s.event for st in stories for s in st.steps)), pa.string())
    return bool(len(named)) and pc.all(pc.is_in(named, value_set=ids)).as_py() is False


def any_duplicate_id(events: pa.StructArray) -> bool:
    """Say whether two events of an Arrow array share an id."""
    ids = events.field("id")
    return bool(pc.count_distinct(ids).as_py() != len(ids))


def any_translation_clash(events: pa.StructArray, own: str | None) -> bool:
    """Say whether an event of an Arrow array translates a language twice or into `own`."""
    translations = events.field("translations")
    langs = pc.list_flatten(translations).field("lang")
    if not len(langs):
        return False
    if own is not None and pc.any(pc.equal(langs, own)).as_py():
        return True
    # One key per event and language: as many distinct keys as translations, or a repeat.
    owner = pc.cast(pc.list_parent_indices(translations), pa.string())
    keys = pc.binary_join_element_wise(owner, langs, " ")
    return bool(pc.count_distinct(keys).as_py() != len(keys))


def any_unknown(events: pa.StructArray, known: dict[str, list[str]]) -> bool:
    """Say whether an event of an Arrow array names an id its table does not hold."""
    for ref in REFERENCES:
        values = ref.values(events)
        if not len(values):
            continue
        found = pc.is_in(values, value_set=pa.array(known[ref.table], pa.string()))
        if found.null_count or pc.all(found).as_py() is False:
            return True
    return False
