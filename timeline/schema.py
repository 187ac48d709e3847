"""The data format, declared once: typed fields, each with a short description."""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import urlsplit

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
# Dates stay the text the editor wrote, so the precision ("2022-07") is never lost.
DateText = Annotated[
    str,
    AfterValidator(lambda v: parse_partial_date(v) and v),
    WithJsonSchema({"type": "string", "pattern": DATE_PATTERN}),
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Person(_Model):
    """Someone who takes part in an event or is quoted."""

    name: Text = Field(description="Full name as shown in the dashboard.")
    country: Text | None = Field(None, description="Country or organisation they speak for.")
    role: Text | None = Field(None, description="Role at the time, e.g. President.")


class Source(_Model):
    """A publication that events and quotes cite."""

    title: Text = Field(description="Title of the article, report or statement.")
    publisher: Text = Field(description="Who published it.")
    date: DateText = Field(description="Publication date: YYYY, YYYY-MM or YYYY-MM-DD.")
    url: Url | None = Field(None, description="Link to the source; http or https only.")
    authors: list[Text] = Field(default_factory=list, description="Authors, if known.")


class Quote(_Model):
    """Words said at an event, verbatim from a cited source."""

    by: Id = Field(description="Id of the person quoted (a key of `people`).")
    text: Text = Field(description="The words, verbatim from the source.")
    source: Id = Field(description="Id of the source of the quote (a key of `sources`).")


class Media(_Model):
    """A picture or page shown with an event: an image when the address is one, else a link."""

    url: Url = Field(description="Address of the image or page; http or https only.")
    caption: Text | None = Field(None, description="What it shows.")
    credit: Text | None = Field(None, description="Who made it or owns it.")
    alt: Text | None = Field(None, description="Text for readers who cannot see the image.")


class Event(_Model):
    """One visit, summit, meeting, agreement, statement or report."""

    id: Id = Field(description="Unique id used in links: lowercase letters, digits, hyphens.")
    title: Text = Field(description="Short title shown on the timeline.")
    date: DateText = Field(description="When it happened or began: YYYY, YYYY-MM or YYYY-MM-DD.")
    end: DateText | None = Field(
        None, description="When a multi-day event ended; not before `date`."
    )
    kind: Kind = Field(description="One lowercase word: visit, summit, meeting, agreement...")
    place: Text | None = Field(
        None, description="Where it happened; leave out when the source does not say."
    )
    # An empty `leaders:` or `quotes:` means none, as leaving the field out does.
    leaders: list[Id] | None = Field(None, description="Ids of the people taking part, if any.")
    summary: Text = Field(description="What happened, in a sentence or two.")
    quotes: list[Quote] | None = Field(None, description="Words said there, if any.")
    countries: list[Text] | None = Field(
        None,
        description="States taking part as states, beyond the leaders' own countries; "
        "spelled as people's `country` is.",
    )
    tags: list[Text] | None = Field(
        None, description="Free labels for themes, e.g. energy, drones; other tools' groups."
    )
    sources: list[Id] = Field(min_length=1, description="Ids of the sources for this event.")
    note: Text | None = Field(None, description="Editors' remark, e.g. on a date.")
    media: Media | None = Field(None, description="An image or page to show with the details.")


class Period(_Model):
    """A stretch of time that gives the events their context, drawn behind them."""

    title: Text = Field(description="Shown on the band, e.g. War in Ukraine.")
    from_: DateText = Field(alias="from", description="When it began: YYYY, YYYY-MM or YYYY-MM-DD.")
    to: DateText | None = Field(None, description="When it ended; leave out while it goes on.")
    note: Text | None = Field(None, description="Shown on hover: what it is, and its source.")


class TimelineFile(_Model):
    """A whole data file."""

    title: Text = Field(description="Shown as the page heading.")
    description: Text | None = Field(None, description="A line under the heading.")
    people: dict[Id, Person] = Field(description="Everyone who takes part or is quoted, by id.")
    sources: dict[Id, Source] = Field(description="Every source cited, by id.")
    events: list[Event] = Field(description="The events, in any order.")
    periods: list[Period] | None = Field(None, description="Context drawn behind the events.")
