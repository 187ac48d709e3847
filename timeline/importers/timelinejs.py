"""TimelineJS JSON in: the TimelineJS3 format, and the older v2 one ({"timeline": {...}})."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..errors import shown
from ..schema import Event, Media, Quote
from ..text import fold, shorten
from .common import (
    PENDING_ID,
    Builder,
    Imported,
    ImportFailure,
    Options,
    Report,
    Skip,
    echo,
    file_title,
    joined,
    one_line,
    period,
    reason,
)
from .dates import DateProblem, ends_before, from_parts, read_date, whole_number
from .format import KIND, ImportFormat
from .htmltext import TextAndQuotes, html_quotes, html_to_text, web_url
from .rows import PROBLEMS, decode_text

EXPECTED = "a TimelineJS JSON file: an object with 'events' (TimelineJS3) or 'timeline' (v2)"
TITLE_LENGTH = 80  # a title made from an event's text is cut here

_DATE_PARTS = ("year", "month", "day")
_TIME_PARTS = ("hour", "minute", "second", "millisecond")
_DATE_KEYS = frozenset((*_DATE_PARTS, *_TIME_PARTS, "display_date", "format"))
_V3_EVENT_KEYS = frozenset(
    "start_date end_date text media group display_date background unique_id autolink".split()
)
_V3_MEDIA_KEYS = frozenset("url caption credit alt thumbnail title link".split())
_PLACED_MEDIA_KEYS = frozenset("url caption credit alt".split())
_V2_DATE_KEYS = frozenset("startDate endDate headline text tag asset".split())
_V2_ASSET_KEYS = frozenset("media credit caption".split())


# JSON values read in one file: a TimelineJS event is about fifteen, so 100,000 events
# are 1.5 million. Five million empty objects, the most this lets in, take about 400 MB;
# 16 million in 48 MB took 4.2 GB.
MAX_JSON_VALUES = 5_000_000
_JSON_STRING = re.compile(r'"[^"\\]*+(?:\\.[^"\\]*+)*+"')


def json_values(text: str, limit: int) -> int:
    """Return at least how many values JSON text holds, counted without parsing it.

    Every value is the first in the file, the first in a list or object that is not
    empty, or follows a comma: these bound the count from above. Commas and brackets
    inside strings are counted out only when the count is over `limit`, a string at a
    time, so that no copy of the text is made.
    """
    count = _structure(text)
    if count > limit:
        for m in _JSON_STRING.finditer(text):
            count -= _structure(m[0]) - 1
    return count


def _structure(text: str) -> int:
    return (
        1 + text.count(",") + text.count("[") + text.count("{") - text.count("[]")
        - text.count("{}")
    )  # fmt: skip


def load_json(raw: bytes, name: str, expected: str) -> Any:
    """Parse JSON bytes; ImportFailure at the line and column of the first mistake."""
    if not raw.strip():
        raise ImportFailure("1", f"the file is empty (expected {expected})")
    text = decode_text(raw)
    values = json_values(text, MAX_JSON_VALUES)
    if values > MAX_JSON_VALUES:
        raise ImportFailure(
            "1",
            f"the file holds up to {values:,} JSON values, over the limit of "
            f"{MAX_JSON_VALUES:,} that an import reads (a TimelineJS event is about 15; "
            f"expected {expected})",
        )
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise ImportFailure(
            f"{err.lineno}:{err.colno}", f"not JSON: {err.msg} (expected {expected})"
        ) from None
    except RecursionError:
        raise ImportFailure("1", f"JSON nested too deeply to read (expected {expected})") from None
    except ValueError as err:  # a number of thousands of digits, say
        raise ImportFailure("1", f"not readable as JSON: {err} (expected {expected})") from None


def _text(value: Any, what: str) -> str:
    """Return a text field as a string: numbers become text, anything else is a Skip."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise Skip(f"{what}: expected text, got {_kind(value)}")


def _loose_text(value: Any) -> str:
    """Return a title slide's text; a value that is no text is left out (the title is optional)."""
    try:
        return _text(value, "title")
    except Skip:
        return ""


def _as_shown(value: str) -> str:
    """Return a group or display date as TimelineJS shows it: stripped, then read as HTML.

    TimelineJS takes the text of these fields (decoding entities once) and writes that
    as HTML (decoding them again), so `Trade &amp;amp; energy` shows as `Trade & energy`;
    our own export escapes them twice for that reason, and this undoes both.
    """
    return html_to_text(html_to_text(value))


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true" if value else "false"
    return echo(value)


def _object(value: Any, what: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise Skip(f"{what}: expected an object, got {_kind(value)}")
    return value


@dataclass
class _When:
    """A date read from TimelineJS, with what it said that the events file cannot hold."""

    iso: str
    notes: list[str] = field(default_factory=list)
    time: str | None = None  # "HH:MM", when TimelineJS gave an hour of a whole day
    untimed: str = ""  # the note for a period, which holds no time: the time dropped


def _v3_date(value: Any, what: str, report: Report, unit: str, prefix: str) -> _When:
    obj = _object(value, what)
    for key in obj.keys() - _DATE_KEYS:
        report.left_out(f"{prefix}.{key}", unit)
    parts = [whole_number(obj.get(k), f"{what}.{k}") for k in _DATE_PARTS]
    year, month, day = parts
    if year is None:
        raise DateProblem(f"{what}.year: missing (expected a year from 1 to 9999)")
    when = _When(from_parts(year, month, day, what))
    times = [_text(obj.get(k), f"{what}.{k}").strip() for k in _TIME_PARTS]
    when.time = _clock(what, times, when)
    shown_as = one_line(html_to_text(_text(obj.get("display_date"), f"{what}.display_date")))
    if shown_as:
        when.notes.append(f"TimelineJS showed {what} as '{shown_as}'.")
    return when


def _time_note(what: str, times: list[str], why: str, done: str = "was dropped") -> str:
    hour, minute, second, milli = (t or "0" for t in times)
    clock = f"{hour.zfill(2)}:{minute.zfill(2)}"
    if times[2] or times[3]:
        clock += f":{second.zfill(2)}"
    if times[3]:
        clock += f".{milli}"
    return f"The time of day in {what} ({clock}) {done}: {why}."


def _clock(what: str, times: list[str], when: _When) -> str | None:
    """Return the time of day an hour and minute give ("14:30"), noting on `when` what is lost.

    The events file holds hours and minutes of a whole day: seconds are dropped with a
    note, and so is a time of a month or a year, or an hour or minute out of range.
    """
    if not any(times):
        return None
    # A part left out is zero, as TimelineJS reads it: a minute alone is just past midnight.
    hour, minute = (int(t or "0") if (t or "0").isascii() and (t or "0").isdigit() else -1
                    for t in times[:2])  # fmt: skip
    if len(when.iso) != 10 or not (0 <= hour <= 23 and 0 <= minute <= 59):
        why = "not a time of day" if len(when.iso) == 10 else "the date is not a whole day"
        when.notes.append(_time_note(what, times, why))
        return None
    clock = f"{hour:02d}:{minute:02d}"
    if any(t.strip("0") for t in times[2:]):
        held = "the events file holds hours and minutes"
        when.notes.append(_time_note(what, times, held, f"was kept as {clock}"))
    when.untimed = _time_note(what, times, "a period holds dates only")
    return clock


def _end_time(start: _When, end: _When | None, where: str, report: Report) -> str | None:
    """Return the end's time of day, or None, reported, when the start has none or is later."""
    if end is None or end.time is None:
        return None
    if start.time and not ends_before(start.iso, end.iso, start.time, end.time):
        return end.time
    why = "it is before the start's" if start.time else "the start has none"
    report.change(where, f"imported without its end's time of day {end.time}: {why}")
    return None


def _untimed(note: str | None, start: _When, end: _When | None) -> str | None:
    """Return a period's note with the times of day it drops said."""
    dropped = [w.untimed for w in (start, end) if w and w.untimed]
    return " ".join([note, *dropped] if note else dropped) or None


def _media(obj: dict[str, Any], what: str, report: Report) -> Media | None:
    url = _text(obj.get("url"), f"{what}.url").strip()
    if not url:
        return None
    address = web_url(url)
    if address is None:
        raise Skip(f"{what}.url: {shown(url)} is not a web address (expected http:// or https://)")
    return Media(
        url=address,
        caption=html_to_text(_text(obj.get("caption"), f"{what}.caption")) or None,
        credit=html_to_text(_text(obj.get("credit"), f"{what}.credit")) or None,
        alt=one_line(_text(obj.get("alt"), f"{what}.alt")) or None,
    )


def _title_and_summary(headline: str, body: str, fallback: str = "") -> tuple[str, str]:
    title = one_line(html_to_text(headline))
    summary = html_to_text(body)
    if not title:
        title = shorten(summary or fallback, TITLE_LENGTH)
    if not title:
        raise Skip("no headline and no text (expected text.headline or text.text)")
    return title, summary or title


@dataclass
class _Context:
    """What every event of one file shares: the builder, options and the file's source."""

    builder: Builder
    options: Options
    source: str
    speakers: dict[str, str] = field(default_factory=dict)  # folded name -> person id


def _media_quote(url: Any) -> TextAndQuotes | None:
    """Return media whose address is a blockquote naming its speaker, read; else None.

    TimelineJS shows such an address as a quote; one naming no speaker stays media that is
    no web address, reported as such.
    """
    text = url.strip() if isinstance(url, str) else ""
    read = html_quotes(text) if text[:11].lower() == "<blockquote" else None
    return read if read is not None and read.quotes else None


@dataclass(frozen=True)
class _Slide:
    """A slide's title, summary and quotes."""

    title: str
    summary: str
    quotes: list[Quote]


def _slide(
    headline: str, body: str, fallback: str, quote: TextAndQuotes | None, ctx: _Context, where: str
) -> _Slide:
    """Read a slide's text; a blockquote naming its speaker (in the text or the media) is a quote.

    The rest of the text is the summary; a slide that is only a quote gets its attribution
    as the summary ("Edith Clarke, first female professor ..."), never its title.
    """
    read = [html_quotes(body), *([quote] if quote else [])]
    quoted = [q for r in read for q in r.quotes]
    summary = "\n".join(r.text for r in read if r.text)
    report = ctx.builder.report
    if unattributed := sum(r.unattributed for r in read):
        report.change(
            where,
            f"{unattributed} blockquote(s) kept in the summary: no <cite> or '\u2014 name' line "
            "says who said it (expected <blockquote>words <cite>Name, role</cite></blockquote>)",
        )
    title = one_line(html_to_text(headline)) or shorten(
        summary or fallback or (quoted[0].words if quoted else ""), TITLE_LENGTH
    )
    if not title:
        raise Skip("no headline and no text (expected text.headline or text.text)")
    quotes = [Quote(by=_speaker(ctx, q.by), text=q.words, source=ctx.source) for q in quoted]
    if not summary and quoted:
        summary = quoted[0].by
        report.change(where, "the slide holds only a quote: its summary is who said it")
    return _Slide(title, summary or title, quotes)


# What follows a comma in a cite and is still the name: "Martin Luther King, Jr."
_NAME_SUFFIX = re.compile(r"(?:Jr|Sr|I{2,3}|IV)\.?(?:,|$)")


def _bracketed(name: str) -> tuple[str, str]:
    """Split "Name (role)" into the name and the role; any other text is a name alone."""
    opening = name.find("(")
    if name.endswith(")") and name.count("(") == name.count(")") == 1:
        before, inside = name[:opening].strip(), name[opening + 1 : -1].strip()
        if before and inside:
            return before, inside
    return name, ""


def _speaker(ctx: _Context, cited: str) -> str:
    """Return the person a cite names ("Name, role"), made the first time they are cited."""
    name, _, role = cited.partition(", ")
    if _NAME_SUFFIX.match(role):
        suffix, _, role = role.partition(", ")
        name = f"{name}, {suffix}"
    if not role:  # "Name (role)", as the TimelineJS export writes a quote's
        name, role = _bracketed(name)
    key = fold(name)
    if key not in ctx.speakers:
        builder = ctx.builder
        pid = builder.person(name.strip(), None)
        if role.strip() and builder.people[pid].role is None:
            builder.people[pid] = builder.people[pid].model_copy(update={"role": role.strip()})
        ctx.speakers[key] = pid
    return ctx.speakers[key]


def _v3_event(item: Any, where: str, ctx: _Context) -> None:
    report = ctx.builder.report
    event = _object(item, where)
    for key in event.keys() - _V3_EVENT_KEYS:
        report.left_out(f"events[].{key}", "event")
    if "start_date" not in event:
        raise Skip("no start_date (expected an object with at least a year)")
    start = _v3_date(event["start_date"], "start_date", report, "event", "events[].start_date")
    end = _v3_end(event.get("end_date"), start, where, report)
    text = _object(event.get("text"), "text")
    for key in text.keys() - {"headline", "text"}:
        report.left_out(f"events[].text.{key}", "event")
    media_obj = _object(event.get("media"), "media")
    quote = _media_quote(media_obj.get("url"))
    slide = _slide(
        _text(text.get("headline"), "text.headline"),
        _text(text.get("text"), "text.text"),
        html_to_text(_text(media_obj.get("caption"), "media.caption")),
        quote,
        ctx,
        where,
    )
    notes = [*start.notes, *(end.notes if end else [])]
    shown_as = one_line(_as_shown(_text(event.get("display_date"), "display_date")))
    if shown_as:
        notes.append(f"TimelineJS showed the date as '{shown_as}'.")
    if event.get("autolink") is not None:
        report.left_out("events[].autolink", "event")
    group = one_line(_as_shown(_text(event.get("group"), "group")))
    unique_id = one_line(_text(event.get("unique_id"), "unique_id"))
    made = Event(
        id=PENDING_ID,
        title=slide.title,
        date=start.iso,
        end=end.iso if end else None,
        time=start.time,
        end_time=_end_time(start, end, where, report),
        kind=ctx.options.kind,
        summary=slide.summary,
        quotes=slide.quotes or None,
        sources=[ctx.source],
        tags=[group] if group else None,
        note=joined(notes),
        media=_v3_media(event, _without_quote(media_obj, quote, report), where, report),
    )
    ctx.builder.add_event(where, made, unique_id or None)


def _without_quote(
    media: dict[str, Any], quote: TextAndQuotes | None, report: Report
) -> dict[str, Any]:
    """Return an event's media object, without its address when that was a quote."""
    if not quote:
        return media
    for key in ("caption", "credit"):
        if media.get(key) not in (None, ""):
            report.left_out(f"events[].media.{key} (of a quote)", "event")
    return {key: value for key, value in media.items() if key not in ("url", "caption", "credit")}


def _v3_end(value: Any, start: _When, where: str, report: Report) -> _When | None:
    """Return an event's end, or None with the reason reported when it cannot be one."""
    if value in (None, {}, ""):
        return None
    try:
        end = _v3_date(value, "end_date", report, "event", "events[].end_date")
    except (DateProblem, Skip) as err:
        report.change(where, f"imported without its end: {err}")
        return None
    if ends_before(start.iso, end.iso):
        report.change(
            where,
            f"imported without its end: end_date {end.iso} is before start_date {start.iso}",
        )
        return None
    return end


def _v3_media(
    event: dict[str, Any], media_obj: dict[str, Any], where: str, report: Report
) -> Media | None:
    """Return an event's media, else its background image; what is left is reported."""
    for key in media_obj.keys() - _PLACED_MEDIA_KEYS:
        if key in _V3_MEDIA_KEYS or media_obj[key] not in (None, ""):
            report.left_out(f"events[].media.{key}", "event")
    media = _checked_media(media_obj, "media", where, report)
    background = _object(event.get("background"), "background")
    for key in background.keys() - {"url", "alt"}:
        report.left_out(f"events[].background.{key}", "event")
    if background.get("url"):
        if media is None:
            media = _checked_media(background, "background", where, report)
        else:
            report.left_out("events[].background.url (the event has media)", "event")
    return media


def _checked_media(obj: dict[str, Any], what: str, where: str, report: Report) -> Media | None:
    """Return media, or None with the reason reported when its address is no web address."""
    try:
        return _media(obj, what, report)
    except Skip as err:
        report.change(where, f"imported without its {what}: {err}")
        return None


def _v3_era(item: Any, ctx: _Context) -> None:
    report = ctx.builder.report
    era = _object(item, "era")
    for key in era.keys() - {"start_date", "end_date", "text"}:
        report.left_out(f"eras[].{key}", "era")
    start = _v3_date(era.get("start_date"), "start_date", report, "era", "eras[].start_date")
    end = None
    if era.get("end_date") not in (None, {}, ""):
        end = _v3_date(era["end_date"], "end_date", report, "era", "eras[].end_date")
        if ends_before(start.iso, end.iso):
            raise Skip(f"end_date {end.iso} is before start_date {start.iso}")
    text = _object(era.get("text"), "text")
    for key in text.keys() - {"headline", "text"}:
        report.left_out(f"eras[].text.{key}", "era")
    headline = one_line(html_to_text(_text(text.get("headline"), "text.headline")))
    body = html_to_text(_text(text.get("text"), "text.text"))
    title = headline or shorten(body, TITLE_LENGTH)
    if not title:
        raise Skip("no headline and no text (expected text.headline or text.text)")
    notes = [*start.notes, *(end.notes if end else [])]
    note = " ".join([body, *notes] if headline else notes) or None
    note = _untimed(note, start, end)
    ctx.builder.periods.append(period(title, start.iso, end.iso if end else None, note))


def _items(value: Any, what: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ImportFailure(what, f"expected a list, got {_kind(value)}")
    return value


def _each(items: list[Any], path: str, report: Report, add: Callable[[Any, str], None]) -> None:
    for i, item in enumerate(items):
        where = f"{path}[{i}]"
        report.begin_item()  # a skipped item is reported whole, not field by field
        try:
            add(item, where)
        except PROBLEMS as err:
            report.end_item(kept=False)
            report.skip(where, reason(err))
        else:
            report.end_item(kept=True)


def _v3(data: dict[str, Any], name: str, options: Options, today: dt.date) -> Imported:
    builder = Builder()
    report = builder.report
    for key in data.keys() - {"title", "events", "eras"}:
        report.left_out(key, "file")
    title_slide = _object_or_fail(data.get("title"), "title")
    for key in title_slide.keys() - {"text"}:
        report.left_out(f"title.{key}", "file")
    title_text = _object_or_fail(title_slide.get("text"), "title.text")
    for key in title_text.keys() - {"headline", "text"}:
        report.left_out(f"title.text.{key}", "file")
    title = one_line(html_to_text(_loose_text(title_text.get("headline"))))
    description = html_to_text(_loose_text(title_text.get("text"))) or None
    ctx = _Context(builder, options, builder.file_source(name, FORMAT.title, title or name, today))
    events = _items(data.get("events"), "events")
    _each(events, "events", report, lambda item, where: _v3_event(item, where, ctx))
    _each(_items(data.get("eras"), "eras"), "eras", report, lambda item, _: _v3_era(item, ctx))
    return builder.build(title or file_title(name), description)


def _object_or_fail(value: Any, what: str) -> dict[str, Any]:
    """Return a part the whole file hangs on; ImportFailure at its path when it is no object."""
    if value is not None and not isinstance(value, dict):
        raise ImportFailure(what, f"expected an object, got {_kind(value)}")
    return value or {}


def _v2_date(value: Any, what: str) -> _When:
    text = _text(value, what).strip()
    if not text:
        raise DateProblem(f"{what}: missing (expected a date such as '2012,1,26')")
    if "," not in text and not text.isdigit():
        return _When(read_date(text, what=what).iso)
    parts = [p.strip() for p in text.split(",")]
    year, month, day = (whole_number(p, what) for p in [*parts[:3], "", ""][:3])
    if year is None:
        raise DateProblem(f"{what}: {shown(text)} has no year (expected e.g. '2012,1,26')")
    when = _When(from_parts(year, month, day, what))
    times = [p for p in parts[3:7]] + [""] * (4 - len(parts[3:7]))
    when.time = _clock(what, times, when)
    return when


def _v2_item(item: Any, where: str, ctx: _Context, era: bool) -> None:
    report = ctx.builder.report
    unit = "era" if era else "date"
    path = "timeline.era[]" if era else "timeline.date[]"
    obj = _object(item, where)
    for key in obj.keys() - _V2_DATE_KEYS:
        report.left_out(f"{path}.{key}", unit)
    start = _v2_date(obj.get("startDate"), "startDate")
    end = None
    if _text(obj.get("endDate"), "endDate").strip():
        end = _v2_date(obj["endDate"], "endDate")
        if ends_before(start.iso, end.iso):
            if era:
                raise Skip(f"endDate {end.iso} is before startDate {start.iso}")
            report.change(
                where,
                f"imported without its end: endDate {end.iso} is before startDate {start.iso}",
            )
            end = None
    asset = _object(obj.get("asset"), "asset")
    for key in asset.keys() - _V2_ASSET_KEYS:
        report.left_out(f"{path}.asset.{key}", unit)
    headline, body = _text(obj.get("headline"), "headline"), _text(obj.get("text"), "text")
    caption = _text(asset.get("caption"), "asset.caption")
    tag = one_line(_text(obj.get("tag"), "tag"))
    notes = [*start.notes, *(end.notes if end else [])]
    if era:
        title, summary = _title_and_summary(headline, body, caption)
        note = " ".join([summary, *notes] if summary != title else notes) or None
        note = _untimed(note, start, end)
        ctx.builder.periods.append(period(title, start.iso, end.iso if end else None, note))
        if tag:
            report.left_out(f"{path}.tag", unit)
        return
    quote = _media_quote(asset.get("media"))  # TimelineJS 2 showed a blockquote too
    slide = _slide(headline, body, html_to_text(caption), quote, ctx, where)
    asset = {"url": asset.get("media"), **asset}
    media = None if quote else _checked_media(asset, "asset", where, report)
    made = Event(
        id=PENDING_ID,
        title=slide.title,
        date=start.iso,
        end=end.iso if end else None,
        time=start.time,
        end_time=_end_time(start, end, where, report),
        kind=ctx.options.kind,
        summary=slide.summary,
        quotes=slide.quotes or None,
        sources=[ctx.source],
        tags=[tag] if tag else None,
        note=joined(notes),
        media=media,
    )
    ctx.builder.add_event(where, made)


def _v2(data: dict[str, Any], name: str, options: Options, today: dt.date) -> Imported:
    builder = Builder()
    report = builder.report
    timeline = _object_or_fail(data["timeline"], "timeline")
    for key in data.keys() - {"timeline"}:
        report.left_out(key, "file")
    for key in timeline.keys() - {"headline", "text", "date", "era"}:
        report.left_out(f"timeline.{key}", "file")
    title = one_line(html_to_text(_loose_text(timeline.get("headline"))))
    description = html_to_text(_loose_text(timeline.get("text"))) or None
    ctx = _Context(builder, options, builder.file_source(name, FORMAT.title, title or name, today))
    dates = _items(timeline.get("date"), "timeline.date")
    _each(dates, "timeline.date", report, lambda item, where: _v2_item(item, where, ctx, False))
    eras = _items(timeline.get("era"), "timeline.era")
    _each(eras, "timeline.era", report, lambda item, where: _v2_item(item, where, ctx, True))
    return builder.build(title or file_title(name), description)


def import_timelinejs(raw: bytes, name: str, options: Options, today: dt.date) -> Imported:
    """Import a TimelineJS3 or v2 JSON file's bytes."""
    data = load_json(raw, name, EXPECTED)
    if isinstance(data, dict) and isinstance(data.get("timeline"), dict):
        return _v2(data, name, options, today)
    if isinstance(data, dict) and "events" in data:
        return _v3(data, name, options, today)
    found = (
        f"keys {', '.join(map(echo, list(data)[:8]))}" if isinstance(data, dict) else _kind(data)
    )
    raise ImportFailure("1", f"found {found} (expected {EXPECTED})")


FORMAT = ImportFormat(
    name="timelinejs",
    title="TimelineJS JSON",
    help="TimelineJS3 or v2 JSON",
    plain_name="TimelineJS",
    options=(KIND,),
    run=import_timelinejs,
)
