"""The data format, declared once: typed fields, each with a short description."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Literal
from urllib.parse import urlsplit

from babel import Locale, UnknownLocaleError
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema

from .dates import DATE_PATTERN, parse_partial_date
from .errors import shown

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
KIND_PATTERN = r"^[a-z]+(-[a-z]+)*$"
_ID_RE = re.compile(ID_PATTERN)
_KIND_RE = re.compile(KIND_PATTERN)
MAX_ID_LENGTH = 80
MAX_KIND_LENGTH = 24


def _check_id(value: str) -> str:
    if len(value) > MAX_ID_LENGTH or not _ID_RE.fullmatch(value):
        raise ValueError(
            f"{shown(value)} is not a valid id (expected lowercase letters, digits and single "
            f"hyphens, at most {MAX_ID_LENGTH} characters, like 'tehran-trilateral-2022')"
        )
    return value


def is_kind(value: str) -> bool:
    """Say whether the format takes this as an event's kind: the one rule, for every reader."""
    return len(value) <= MAX_KIND_LENGTH and _KIND_RE.fullmatch(value) is not None


def _check_kind(value: str) -> str:
    if not is_kind(value):
        raise ValueError(
            f"{shown(value)} is not a valid kind (expected one short lowercase word such as "
            "visit, summit, meeting, agreement, statement or report)"
        )
    return value


def web_address(url: object) -> str | None:
    """Return an http(s) address the format takes, or None: the one rule for every URL."""
    if not isinstance(url, str) or any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:  # an unbalanced [ in the host, say
        return None
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def _check_url(value: str) -> str:
    if web_address(value) is None:
        raise ValueError(
            f"{shown(value)} is not a web address (expected an http:// or https:// URL)"
        )
    return value


def _check_text(value: str) -> str:
    if not _TEXT_RE.search(value):
        raise ValueError("must not be empty (expected some text)")
    return value


# Some character other than ASCII white space; spelled out so every regex engine agrees.
TEXT_PATTERN = r"[^ \t\n\r\f\v]"
_TEXT_RE = re.compile(TEXT_PATTERN)
Text = Annotated[
    str,
    AfterValidator(_check_text),
    WithJsonSchema({"type": "string", "minLength": 1, "pattern": TEXT_PATTERN}),
]
Id = Annotated[
    str,
    AfterValidator(_check_id),
    WithJsonSchema({"type": "string", "pattern": ID_PATTERN, "maxLength": MAX_ID_LENGTH}),
]
Kind = Annotated[
    str,
    AfterValidator(_check_kind),
    WithJsonSchema({"type": "string", "pattern": KIND_PATTERN, "maxLength": MAX_KIND_LENGTH}),
]
Url = Annotated[
    str,
    AfterValidator(_check_url),
    # The pattern is a hint for editors; `format: uri` tells the fast path to apply the rule.
    WithJsonSchema({"type": "string", "format": "uri", "pattern": "^https?://"}),
]
# A language as BCP 47 writes it, in its canonical case: a language, then optionally a script
# and a region ("fa", "pt-BR", "zh-Hant", "sr-Latn-RS"); Babel must know it (`is_language`).
LANG_PATTERN = r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-[A-Z]{2}|-[0-9]{3})?$"
_LANG_RE = re.compile(LANG_PATTERN)
LANG_EXAMPLES = "fa, ru, tr, ar, en, pt-BR, zh-Hant"


def is_language(value: object) -> bool:
    """Say whether a code names a language Babel (CLDR) knows, written as BCP 47 writes it."""
    if not isinstance(value, str) or not _LANG_RE.fullmatch(value):
        return False
    parts = value.split("-")
    try:
        found = Locale.parse(value, sep="-")
    except (ValueError, UnknownLocaleError):
        return False
    script = next((p for p in parts[1:] if len(p) == 4), None)
    region = next((p for p in parts[1:] if len(p) != 4), None)
    # Babel fills in what a code leaves out ("und" -> en_US, "en-ZZ" -> en_US): what it
    # gives back must be what was written.
    return (
        found.language == parts[0]
        and (script is None or found.script == script)
        and (region is None or found.territory == region)
    )


def _check_lang(value: str) -> str:
    if not is_language(value):
        raise ValueError(
            f"{shown(value)} is not a language code Babel knows (expected a BCP 47 code in "
            f"its usual case, such as {LANG_EXAMPLES})"
        )
    return value


LangCode = Annotated[
    str,
    AfterValidator(_check_lang),
    # `format: language` tells the fast path to apply `is_language` after the pattern.
    WithJsonSchema({"type": "string", "pattern": LANG_PATTERN, "format": "language"}),
]
# A time of day, 24-hour: "09:05", "14:30". ASCII digits only, as in dates.
TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
_TIME_RE = re.compile(TIME_PATTERN)


def _check_time(value: str) -> str:
    if not _TIME_RE.fullmatch(value):
        raise ValueError(
            f"{shown(value)} is not a valid time of day (expected HH:MM, 24-hour, from "
            "'00:00' to '23:59', like '14:30')"
        )
    return value


TimeText = Annotated[
    str,
    AfterValidator(_check_time),
    WithJsonSchema({"type": "string", "pattern": TIME_PATTERN}),
]
# Dates stay the text the editor wrote, so the precision ("2022-07") is never lost.
DateText = Annotated[
    str,
    AfterValidator(lambda v: parse_partial_date(v) and v),
    WithJsonSchema({"type": "string", "pattern": DATE_PATTERN}),
]


# Where a field of an event shows: a column of the events frame, the details card, the
# text a search looks in, the hover, the table downloads (CSV). `export json` carries
# every field of an event whatever its marks.
Where = Literal["column", "details", "search", "hover", "table"]


@dataclass(frozen=True)
class Shows:
    """Where a field shows, and why it is kept out of the other places (`timeline.record`)."""

    places: tuple[Where, ...]
    why: str = ""


def shows(*places: Where, why: str = "") -> Shows:
    """Mark a field for the places it shows in; `why` says why it is kept out of the others."""
    return Shows(places, why)


_ALL = shows("column", "details", "search", "hover", "table")
_NOT_HOVERED = "not in the hover, which stays a few lines: the details show it"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Person(_Model):
    """Someone who takes part in an event or is quoted."""

    name: Annotated[Text, shows("details", "search", "hover", "table")] = Field(
        description="Full name as shown in the dashboard."
    )
    country: Annotated[
        Text | None,
        shows("search", why="names the country lanes of the leaders; the card gives the role"),
    ] = Field(None, description="Country or organisation they speak for.")
    role: Annotated[
        Text | None,
        shows("details", "search", why="not in the hover or the CSV, which give names only"),
    ] = Field(None, description="Role at the time, e.g. President.")


_CITATION = "a citation, named in the details: not words of the event to search or hover"


class Source(_Model):
    """A publication that events and quotes cite."""

    title: Annotated[Text, shows("details", why=_CITATION)] = Field(
        description="Title of the article, report or statement."
    )
    publisher: Annotated[Text, shows("details", why=_CITATION)] = Field(
        description="Who published it."
    )
    date: Annotated[DateText, shows("details", why=_CITATION)] = Field(
        description="Publication date: YYYY, YYYY-MM or YYYY-MM-DD."
    )
    url: Annotated[Url | None, shows("details", why=_CITATION)] = Field(
        None, description="Link to the source; http or https only."
    )
    authors: Annotated[list[Text], shows("details", why=_CITATION)] = Field(
        default_factory=list, description="Authors, if known."
    )


class Quote(_Model):
    """Words said at an event, verbatim from a cited source."""

    by: Annotated[
        Id, shows("details", "hover", "table", why="searched by the person's own words")
    ] = Field(description="Id of the person quoted (a key of `people`).")
    text: Annotated[Text, shows("details", "search", "hover", "table")] = Field(
        description="The words, verbatim from the source."
    )
    source: Annotated[Id, shows("details", why=_CITATION)] = Field(
        description="Id of the source of the quote (a key of `sources`)."
    )


_PICTURE = "a picture or a link, for the details: no words of the event to search or hover"


class Media(_Model):
    """A picture or page shown with an event: an image when the address is one, else a link."""

    url: Annotated[Url, shows("details", "table", why=_PICTURE)] = Field(
        description="Address of the image or page; http or https only."
    )
    caption: Annotated[Text | None, shows("details", why=_PICTURE)] = Field(
        None, description="What it shows."
    )
    credit: Annotated[Text | None, shows("details", why=_PICTURE)] = Field(
        None, description="Who made it or owns it."
    )
    alt: Annotated[Text | None, shows("details", why=_PICTURE)] = Field(
        None, description="Text for readers who cannot see the image."
    )


_TRANSLATED = (
    "the event's own text in another language, shown in the original's place to readers of "
    "that language: no hover line of its own"
)


class Translation(_Model):
    """An event's title, summary and note in another language, from a cited source."""

    lang: Annotated[LangCode, shows("details", "table", why=_TRANSLATED)] = Field(
        description="The translation's language, a BCP 47 code Babel knows: fa, ru, tr, ar..."
    )
    title: Annotated[Text, shows("details", "search", "table", why=_TRANSLATED)] = Field(
        description="The event's title in this language."
    )
    summary: Annotated[Text | None, shows("details", "search", "table", why=_TRANSLATED)] = Field(
        None, description="The summary in this language; leave out to show the original."
    )
    note: Annotated[Text | None, shows("details", "search", "table", why=_TRANSLATED)] = Field(
        None, description="The editors' note in this language; leave out to show the original."
    )
    source: Annotated[Id, shows("details", "table", why=_CITATION)] = Field(
        description="Id of the source that gives this translation (a key of `sources`)."
    )


class FileTranslation(_Model):
    """The file's title and description in another language, from a cited source."""

    lang: Annotated[LangCode, shows(why="the page's heading, not a part of an event")] = Field(
        description="The translation's language, a BCP 47 code Babel knows: fa, ru, tr, ar..."
    )
    title: Annotated[Text, shows(why="the page's heading, not a part of an event")] = Field(
        description="The file's title in this language."
    )
    description: Annotated[
        Text | None, shows(why="the line under the page's heading, not a part of an event")
    ] = Field(None, description="The description in this language; leave out for the original.")
    source: Annotated[Id, shows(why="the page's heading, not a part of an event")] = Field(
        description="Id of the source that gives this translation (a key of `sources`)."
    )


class Event(_Model):
    """One visit, summit, meeting, agreement, statement or report."""

    id: Annotated[
        Id,
        shows("column", "details", "table", why="a key for links, not words to search or hover"),
    ] = Field(description="Unique id used in links: lowercase letters, digits, hyphens.")
    title: Annotated[Text, _ALL] = Field(description="Short title shown on the timeline.")
    date: Annotated[
        DateText,
        shows("column", "details", "hover", "table", why="not searched: the date filter is"),
    ] = Field(description="When it happened or began: YYYY, YYYY-MM or YYYY-MM-DD.")
    end: Annotated[
        DateText | None,
        shows("column", "details", "hover", "table", why="not searched: the date filter is"),
    ] = Field(None, description="When a multi-day event ended; not before `date`.")
    time: Annotated[
        TimeText | None,
        shows("column", "details", "hover", "table", why="not searched: a time is no words"),
    ] = Field(
        None,
        description="Time of day it began, HH:MM 24-hour (local to the place); only with a "
        "full date (YYYY-MM-DD). Orders the events of one day.",
    )
    end_time: Annotated[
        TimeText | None,
        shows("column", "details", "hover", "table", why="not searched: a time is no words"),
    ] = Field(
        None,
        description="Time of day it ended, HH:MM 24-hour; only with `time`, and not before "
        "it on the same day.",
    )
    kind: Annotated[
        Kind,
        shows("column", "details", "hover", "table", why="not searched: the kind filter is"),
    ] = Field(description="One lowercase word: visit, summit, meeting, agreement...")
    place: Annotated[Text | None, _ALL] = Field(
        None, description="Where it happened; leave out when the source does not say."
    )
    # An empty `leaders:` or `quotes:` means none, as leaving the field out does.
    leaders: Annotated[
        list[Id] | None,
        shows("column", "details", "hover", "table", why="searched by each person's own words"),
    ] = Field(None, description="Ids of the people taking part, if any.")
    summary: Annotated[Text, shows("column", "details", "search", "table", why=_NOT_HOVERED)] = (
        Field(description="What happened, in a sentence or two.")
    )
    quotes: Annotated[list[Quote] | None, _ALL] = Field(
        None, description="Words said there, if any."
    )
    countries: Annotated[
        list[Text] | None,
        shows("column", "details", "search", "table", why="not in the hover: its lanes show it"),
    ] = Field(
        None,
        description="States taking part as states, beyond the leaders' own countries; "
        "spelled as people's `country` is.",
    )
    tags: Annotated[
        list[Text] | None,
        shows("column", "details", "search", "table", why="not in the hover: its lanes show it"),
    ] = Field(None, description="Free labels for themes, e.g. energy, drones; other tools' groups.")
    sources: Annotated[list[Id], shows("column", "details", "table", why=_CITATION)] = Field(
        min_length=1, description="Ids of the sources for this event."
    )
    note: Annotated[
        Text | None, shows("column", "details", "search", "table", why=_NOT_HOVERED)
    ] = Field(None, description="Editors' remark, e.g. on a date.")
    media: Annotated[Media | None, shows("column", "details", "table", why=_PICTURE)] = Field(
        None, description="An image or page to show with the details."
    )
    translations: Annotated[
        list[Translation] | None,
        shows("column", "details", "search", "table", why=_TRANSLATED),
    ] = Field(
        None,
        description="The title, summary and note in other languages, each from a source; "
        "one per language, none in the file's own `lang`.",
    )


_ON_THE_CHART = "drawn behind the events on the chart, with its own hover: not an event"


class Period(_Model):
    """A stretch of time that gives the events their context, drawn behind them."""

    title: Annotated[Text, shows("hover", why=_ON_THE_CHART)] = Field(
        description="Shown on the band, e.g. War in Ukraine."
    )
    from_: Annotated[DateText, shows("hover", why=_ON_THE_CHART)] = Field(
        alias="from", description="When it began: YYYY, YYYY-MM or YYYY-MM-DD."
    )
    to: Annotated[DateText | None, shows("hover", why=_ON_THE_CHART)] = Field(
        None, description="When it ended; leave out while it goes on."
    )
    note: Annotated[Text | None, shows("hover", why=_ON_THE_CHART)] = Field(
        None, description="Shown on hover: what it is, and its source."
    )


_AUTHORED = "an authored story, told by the Story view and the exports: not a part of an event"


class Step(_Model):
    """One step of an authored story: an event, and the author's words for it."""

    event: Annotated[Id, shows(why=_AUTHORED)] = Field(
        description="Id of the event shown at this step (an `id` of `events`)."
    )
    narration: Annotated[Text | None, shows(why=_AUTHORED)] = Field(
        None, description="The author's own text for this step, shown with the event."
    )


class StoryTranslation(FileTranslation):
    """A story's title, description and narration in another language, from a cited source.

    Its `lang` and `source` are a file translation's; its steps are the story's own shape.
    """

    title: Annotated[Text, shows(why=_AUTHORED)] = Field(
        description="The story's title in this language."
    )
    description: Annotated[Text | None, shows(why=_AUTHORED)] = Field(
        None, description="The story's description in this language; leave out for the original."
    )
    steps: Annotated[list[Step] | None, shows(why=_AUTHORED)] = Field(
        None,
        description="Narration in this language, each naming its step's event as the story's "
        "steps do; a step left out keeps its original narration.",
    )


class Story(_Model):
    """An authored story: chosen events in the author's order, each with optional narration."""

    id: Annotated[Id, shows(why=_AUTHORED)] = Field(
        description="Unique id used in links (`story=<id>`): lowercase letters, digits, hyphens."
    )
    title: Annotated[Text, shows(why=_AUTHORED)] = Field(description="The story's title.")
    description: Annotated[Text | None, shows(why=_AUTHORED)] = Field(
        None, description="A line introducing the story."
    )
    steps: Annotated[list[Step], shows(why=_AUTHORED)] = Field(
        min_length=1, description="The steps, in the order they are told."
    )
    translations: Annotated[list[StoryTranslation] | None, shows(why=_AUTHORED)] = Field(
        None,
        description="The title, description and narration in other languages, each from a "
        "source; one per language, none in the file's own `lang`.",
    )


_REFERENCED = "referenced by id from the events, which show it where their fields are marked"


class TimelineFile(_Model):
    """A whole data file."""

    title: Annotated[Text, shows(why="the page's heading, not a part of an event")] = Field(
        description="Shown as the page heading."
    )
    description: Annotated[
        Text | None, shows(why="the line under the page's heading, not a part of an event")
    ] = Field(None, description="A line under the heading.")
    lang: Annotated[
        LangCode | None, shows(why="the language of the file's own text, for screen readers")
    ] = Field(
        None,
        description="The language the file's own text is written in, a BCP 47 code: en, fa...",
    )
    translations: Annotated[
        list[FileTranslation] | None, shows(why="the page's heading, not a part of an event")
    ] = Field(
        None,
        description="The title and description in other languages, each from a source; one "
        "per language, none in the file's own `lang`.",
    )
    people: Annotated[dict[Id, Person], shows(why=_REFERENCED)] = Field(
        description="Everyone who takes part or is quoted, by id."
    )
    sources: Annotated[dict[Id, Source], shows(why=_REFERENCED)] = Field(
        description="Every source cited, by id."
    )
    events: Annotated[
        list[Event], shows(why="the rows themselves: each field of an event is marked")
    ] = Field(description="The events, in any order.")
    periods: Annotated[list[Period] | None, shows(why=_ON_THE_CHART)] = Field(
        None, description="Context drawn behind the events."
    )
    stories: Annotated[list[Story] | None, shows(why=_AUTHORED)] = Field(
        None,
        description="Authored stories, if any; without them the story is every shown event "
        "in order (date, time of day, the file's order).",
    )
