"""The story: the shown events one at a time, in order, as steps with a position.

Pure functions, no Streamlit: the Story tab, the static page and the TimelineJS export
take their order from `steps`. Without an authored story the steps are every shown event
by date, then time of day where known (an event without a time counts as the start of
its day, as TimelineJS places it), then the file's order; a title step from the file's
title and description comes first. An authored story (`stories:` in the file, `story=<id>`
in the URL) tells its own events in the author's order with the author's narration; the
steps whose events the filters hide are left out (`hidden` names them), the others keep
their order.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .card import heading as file_heading
from .card import pick, translated
from .errors import cut, shown
from .frame import Dataset
from .query import Notice
from .schema import Story

# The neighbourhood the chart shows around a step is never narrower than this: a day's
# events would otherwise fill the axis edge to edge, with nothing around them.
MIN_WINDOW_DAYS = 30
_TIME = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])")
LISTED_IDS = 8  # story ids an error message lists


class StoryError(ValueError):
    """A story id the file has no story for; the message lists the valid ones."""


@dataclass(frozen=True)
class Step:
    """One step of a story: an event (None for the title step), its headline and narration."""

    event_id: str | None
    headline: str  # the event's title, or the story's (the file's) on the title step
    narration: str | None  # the author's words for the step, or the description on the title
    position: int  # 1 for the title step
    total: int
    # The headline's language when a reader's is asked (a translation's, else the file's
    # own `lang`), for its `lang` attribute; None when not asked or not known.
    headline_lang: str | None = None
    narration_lang: str | None = None  # the narration's, likewise (a story's translation's)

    @property
    def label(self) -> str:
        """Return the position in words: '3 of 10'."""
        return f"{self.position} of {self.total}"


def stories(data: Dataset) -> tuple[Story, ...]:
    """Return the file's authored stories, in the file's order."""
    return tuple(data.stories or ())


def story_ids(data: Dataset) -> tuple[str, ...]:
    """Return the ids of the file's authored stories."""
    return tuple(s.id for s in stories(data))


def find_story(data: Dataset, story_id: str | None) -> Story | None:
    """Return the authored story with this id, None for no id; StoryError for an unknown id."""
    if not story_id:
        return None
    for story in stories(data):
        if story.id == story_id:
            return story
    ids = story_ids(data)
    valid = ", ".join(ids[:LISTED_IDS]) + (", ..." if len(ids) > LISTED_IDS else "")
    # A Notice: English text, said in the reader's language by the page (query.notice_in).
    if ids:
        raise StoryError(Notice.gettext("story: no story has the id {value} (valid: {valid})",
                                        value=shown(story_id), valid=valid))  # fmt: skip
    raise StoryError(Notice.gettext("story: no story has the id {value} (this file has no "
                                    "stories)", value=shown(story_id)))  # fmt: skip


def minutes(time: Any) -> int:
    """Return a time of day ('14:30') as minutes after midnight, -1 when none or not a time."""
    if not isinstance(time, str):
        return -1
    found = _TIME.fullmatch(time.strip())
    return int(found[1]) * 60 + int(found[2]) if found else -1


def _minutes(times: pd.Series) -> np.ndarray:
    """Return each time of day as minutes (-1: none), reading each distinct text once."""
    codes, distinct = pd.factorize(times, use_na_sentinel=True)
    # A day has 1,440 times at most: the table is small, the rows many. NA's code is -1,
    # which takes the table's last entry, -1.
    table = np.array([*(minutes(t) for t in distinct), -1], dtype=np.int64)
    return table[codes]


def _order(frame: pd.DataFrame) -> np.ndarray:
    """Return the frame's row positions by date, then time of day where known, then row."""
    times = frame["time"] if "time" in frame.columns else pd.Series(None, index=frame.index)
    # lexsort's last key sorts first; the row's position keeps the file's order of a day.
    return np.lexsort((np.arange(len(frame)), _minutes(times), frame["start"].to_numpy()))


def event_order(frame: pd.DataFrame) -> list[str]:
    """Return the frame's event ids by date, then time of day where known, then row order."""
    return [str(i) for i in frame["id"].to_numpy(dtype=object)[_order(frame)]]


def steps(
    frame: pd.DataFrame, data: Dataset, story_id: str | None = None, reader: str | None = None
) -> list[Step]:
    """Return the story's steps over the shown events (`frame`): the title step, then each event.

    `story_id` picks an authored story of `data` (StoryError when it has none by that id);
    `reader` (a language) gives the headlines, and an authored story's title, description
    and narration, in it where the file translates them.
    """
    story = find_story(data, story_id)
    ids = frame["id"].to_numpy(dtype=object)
    titles = translated(frame, reader)["title"].to_numpy(dtype=object)
    own = data.lang if reader is not None else None
    told: list[tuple[str, str, str | None, str | None]]
    if story is None:
        title = _file_title(data, reader)
        at = _order(frame)
        told = [(i, h, None, None) for i, h in zip(ids[at].tolist(), titles[at].tolist(),
                                                   strict=True)]  # fmt: skip
    else:
        title, narrations = _story_title(story, data, reader)
        row = dict(zip(ids.tolist(), range(len(ids)), strict=True))
        told, seen = [], set[str]()
        for step in story.steps:
            if step.event in row and step.event not in seen:  # told once, where first
                seen.add(step.event)
                said, lang = narrations.get(step.event, (step.narration or None, own))
                told.append((step.event, str(titles[row[step.event]]), said, lang))
    total = len(told) + 1
    out = [dataclasses.replace(title, total=total)]
    lang_of = dict(zip(ids.tolist(), _headline_langs(frame, data, reader), strict=True))
    for position, (event, headline, narration, lang) in enumerate(told, start=2):
        out.append(Step(str(event), str(headline), narration, position, total, lang_of[event],
                        lang if narration else None))  # fmt: skip
    return out


def story_title(story: Story, reader: str | None) -> str:
    """Return an authored story's title in the reader's language where translated."""
    given = [t.model_dump() for t in story.translations or ()]
    chosen = pick(given, reader) if reader is not None else None
    return str(chosen["title"]) if chosen else story.title


def _file_title(data: Dataset, reader: str | None) -> Step:
    """Return the title step of the shown events: the file's heading, translated where given."""
    if reader is None:
        return Step(None, data.title, data.description or None, 1, 1)
    shown = file_heading(data, reader)
    return Step(None, shown.title, shown.description or None, 1, 1, shown.title_lang,
                shown.description_lang if shown.description else None)  # fmt: skip


def _story_title(
    story: Story, data: Dataset, reader: str | None
) -> tuple[Step, dict[str, tuple[str, str | None]]]:
    """Return an authored story's title step and its translated narrations (by event, with the
    language), in the reader's language where the story's translations give them."""
    own = data.lang if reader is not None else None
    given = [t.model_dump() for t in story.translations or ()]
    chosen = pick(given, reader) if reader is not None else None
    if chosen is None:
        intro = story.description or data.title
        return Step(None, story.title, intro or None, 1, 1, own, own), {}
    lang = str(chosen["lang"])
    described = chosen.get("description")
    intro, intro_lang = (described, lang) if described else (story.description or data.title, own)
    narrations: dict[str, tuple[str, str | None]] = {str(s["event"]): (str(s["narration"]), lang)
                  for s in chosen.get("steps") or () if s.get("narration")}  # fmt: skip
    return Step(None, str(chosen["title"]), intro or None, 1, 1, lang, intro_lang), narrations


def _headline_langs(frame: pd.DataFrame, data: Dataset, reader: str | None) -> list[str | None]:
    """Return each event's headline language for a reader: its translation's, else the file's."""
    if reader is None or "translations" not in frame:
        return [None] * len(frame)
    chosen = (pick(ts, reader) for ts in frame["translations"].to_numpy(dtype=object))
    return [str(c["lang"]) if c else data.lang for c in chosen]


def hidden(frame: pd.DataFrame, data: Dataset, story_id: str | None) -> list[str]:
    """Return the events of an authored story that the shown events (`frame`) leave out."""
    story = find_story(data, story_id)
    if story is None:
        return []
    kept = set(frame["id"])
    return list(dict.fromkeys(s.event for s in story.steps if s.event not in kept))


def step_for(told: Sequence[Step], event_id: str | None) -> Step:
    """Return the step of this event, or the first (the title step) when it is not one."""
    for step in told:
        if step.event_id == event_id:
            return step
    return told[0]


def previous(told: Sequence[Step], step: Step) -> Step | None:
    """Return the step before this one, or None at the first."""
    return told[step.position - 2] if step.position > 1 else None


def following(told: Sequence[Step], step: Step) -> Step | None:
    """Return the step after this one, or None at the last."""
    return told[step.position] if step.position < len(told) else None


def neighbourhood(
    frame: pd.DataFrame, told: Sequence[Step], step: Step
) -> tuple[dt.date, dt.date] | None:
    """Return the days around a step for the chart: its neighbours' and its own, padded.

    None on the title step (the chart shows every date) or for an event not in `frame`.
    """
    if step.event_id is None:
        return None
    ids = [s.event_id for s in (previous(told, step), step, following(told, step)) if s]
    rows = frame[frame["id"].isin([i for i in ids if i is not None])]
    if step.event_id not in set(rows["id"]):
        return None
    first, last = rows["start"].min().date(), rows["last"].max().date()
    spare = MIN_WINDOW_DAYS - ((last - first).days + 1)
    if spare > 0:  # widened around the middle, to a month at least
        first = _clamp_day(first, -dt.timedelta(days=spare // 2))
        last = _clamp_day(last, dt.timedelta(days=spare - spare // 2))
    # Beyond the neighbours, a tenth of the window each side: they are not drawn at its edge.
    pad = dt.timedelta(days=max(1, ((last - first).days + 1) // 10))
    return _clamp_day(first, -pad), _clamp_day(last, pad)


def _clamp_day(day: dt.date, by: dt.timedelta) -> dt.date:
    try:
        return day + by
    except OverflowError:  # at the calendar's ends (year 1 or 9999)
        return dt.date.min if by.days < 0 else dt.date.max


def announcement(step: Step) -> str:
    """Return what a screen reader hears on reaching a step: its position and headline."""
    return f"{step.label}: {cut(step.headline, 200)}"
