"""One event as it is shown: its card, built once from the event and its data.

The details panel, the static page's list and the TimelineJS slide are thin serialisers of
this card (`views.card_html`, `exporters.html`, `exporters.timelinejs`): what an event
shows is decided here, once. The people and sources it references are named cut
(`timeline.names`), so a card is bounded by its event, whatever it references. A field
of `schema.Event` marked for the details (`record.fields_for("details")`) that has no
rendering of its own here is shown as a line of its label and its value.

The card holds text as the data gives it: each serialiser escapes it for where it goes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit
from weakref import WeakKeyDictionary

import pandas as pd
from babel.lists import format_list
from pydantic import BaseModel

from .dates import PartialDate, parse_partial_date
from .frame import Dataset
from .i18n import N_, Translator
from .names import Names
from .record import fields_for
from .schema import Event, is_language, web_address

# A media address whose path ends so is shown as a picture; any other as a link.
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg", ".bmp")


def is_image_address(address: str) -> bool:
    """Tell whether an address names an image file, by its path's extension (our rule)."""
    return urlsplit(address).path.lower().endswith(IMAGE_EXTENSIONS)


@dataclass(frozen=True)
class Quote:
    """Words said at the event: the text in full, who said them, and where (the publisher)."""

    text: str
    by: str
    source: str | None


@dataclass(frozen=True)
class Source:
    """A source the event cites, as it is named beside an event (cut), or its id if unknown."""

    id: str
    title: str
    publisher: str | None = None  # None: the file lists no such source
    authors: tuple[str, ...] = ()
    more_authors: int = 0
    date: str = ""  # in words
    url: str | None = None  # an http(s) address (schema.web_address), never anything else


@dataclass(frozen=True)
class Media:
    """A picture or page shown with the event: its http(s) address and its words."""

    url: str
    caption: str | None = None
    credit: str | None = None
    alt: str | None = None

    @property
    def is_image(self) -> bool:
        """Say whether the address names an image file, by its path's extension."""
        return is_image_address(self.url)


@dataclass(frozen=True)
class Line:
    """A field with no rendering of its own: its label and its value in words."""

    label: str
    value: str


# The event's own text that a translation may give in another language (`schema.Translation`),
# each named as the card's line about the translation names it.
TRANSLATED_PARTS = {"title": N_("title"), "summary": N_("summary"), "note": N_("note")}
TRANSLATABLE = tuple(TRANSLATED_PARTS)


@dataclass(frozen=True)
class Translated:
    """The translation a card shows: its language, the texts it gives, and its source."""

    lang: str  # a BCP 47 code the schema checked (`schema.is_language`)
    fields: tuple[str, ...]  # which of TRANSLATABLE it gives, in that order
    source: Source


@dataclass(frozen=True)
class EventCard:
    """Everything one event shows, in the order it shows it."""

    id: str
    title: str
    when: str  # the date in words: "19 July 2022", "1–3 March 2023"
    start: PartialDate
    end: PartialDate | None
    kind: str
    place: str | None
    people: tuple[str, ...]  # who took part, each "Name (Role)", cut
    summary: str
    quotes: tuple[Quote, ...]
    media: Media | None
    sources: tuple[Source, ...]  # each once, in the event's order
    note: str | None
    countries: tuple[str, ...]
    tags: tuple[str, ...]
    lines: tuple[Line, ...] = ()  # other fields marked for the details, in declared order
    lang: str | None = None  # the language of the file's own text, if the file says
    translation: Translated | None = None  # shown in the place of the original's texts

    def lang_of(self, field: str) -> str | None:
        """Return the language a text of the card is in: its translation's, else the file's."""
        if self.translation is not None and field in self.translation.fields:
            return self.translation.lang
        return self.lang


# Fields the card renders by itself; any other field marked for the details is a Line.
RENDERED = frozenset(
    {"id", "title", "date", "end", "kind", "place", "leaders", "summary", "quotes",
     "sources", "note", "media", "countries", "tags", "translations"}
)  # fmt: skip


def translated_parts(translation: Translated, t: Translator) -> str:
    """Return the parts a translation gives as the reader's language lists them
    ('title and summary', 'عنوان و خلاصه')."""
    names = [t.gettext(TRANSLATED_PARTS[f]) for f in translation.fields]
    return format_list(names, locale=t.locale)


def lang_attributes(lang: str | None) -> str:
    """Return the HTML attributes that mark a text's language (' lang="fa" dir="auto"').

    For the serialisers: the code is one the schema checked (letters, digits, hyphens), and
    the direction is the text's own letters'. Nothing when the language is not known.
    """
    if lang is None or not is_language(lang):
        return ""
    return f' lang="{lang}" dir="auto"'


def pick(translations: Any, reader: str) -> Mapping[str, Any] | None:
    """Return the translation for a reader's language: its own code, else a regional one.

    A reader of `fa` gets `fa`, else the first of `fa-AF`, `fa-IR`...; none for another.
    """
    items = [t for t in _items(translations) if isinstance(t, Mapping)]
    exact = next((t for t in items if t.get("lang") == reader), None)
    prefix = f"{reader}-"
    return exact or next((t for t in items if str(t.get("lang")).startswith(prefix)), None)


def translated(frame: pd.DataFrame, reader: str | None) -> pd.DataFrame:
    """Return events with their title, summary and note in the reader's language where a
    translation gives them (the originals elsewhere); the frame itself when none does."""
    if reader is None or "translations" not in frame or not len(frame):
        return frame
    given = frame["translations"].map(lambda ts: pick(ts, reader))
    given = given[given.notna()]
    if given.empty:
        return frame
    out = frame.copy()
    for field in TRANSLATABLE:
        texts = given.map(lambda t, f=field: _text(t.get(f)))
        texts = texts[texts.notna()]
        if len(texts):
            out.loc[texts.index, field] = texts
    return out


@dataclass(frozen=True)
class Heading:
    """The file's title and description as a reader gets them, and each one's language."""

    title: str
    description: str | None
    title_lang: str | None  # the translation's language, else the file's own, if it says
    description_lang: str | None
    source: Source | None = None  # the translation's source; None: the original


def heading(data: Dataset, reader: str | None) -> Heading:
    """Return the file's heading in the reader's language where the file translates it."""
    own = data.lang
    found = pick([t.model_dump() for t in data.translations], reader) if reader else None
    if found is None:
        return Heading(data.title, data.description, own, own)
    described = _text(found.get("description"))
    source = _source(found["source"], Names(data.people, data.sources))
    return Heading(found["title"], described or data.description, found["lang"],
                   found["lang"] if described else own, source)  # fmt: skip


def _translation(
    row: Mapping, names: Names, reader: str | None
) -> tuple[dict[str, str], Translated | None]:
    """Return the texts the reader's translation gives (by field) and what the card says of it."""
    chosen = pick(row.get("translations"), reader) if reader else None
    if chosen is None:
        return {}, None
    texts = {f: text for f in TRANSLATABLE if (text := _text(chosen.get(f))) is not None}
    source = _source(str(chosen.get("source")), names)
    return texts, Translated(str(chosen.get("lang")), tuple(texts), source)


def _missing(value: Any) -> bool:
    return (
        value is None
        or value is pd.NA
        or value is pd.NaT
        or (isinstance(value, float) and math.isnan(value))
    )


def _text(value: Any) -> str | None:
    """Return a text that says something, or None for a missing or blank one."""
    return value if isinstance(value, str) and value.strip() else None


def _items(value: Any) -> list[Any]:
    """Return a list field's items; a missing list is none."""
    if _missing(value) or isinstance(value, (str, Mapping)):
        return []
    return list(value) if isinstance(value, Iterable) else []


def words(value: Any) -> str | None:
    """Return any field's value as words (lists joined, records as 'key: value'), or None."""
    if _missing(value):
        return None
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, Mapping):
        pairs = [f"{k}: {w}" for k, v in value.items() if (w := words(v)) is not None]
        return "; ".join(pairs) or None
    if isinstance(value, Iterable):
        return ", ".join(w for v in value if (w := words(v)) is not None) or None
    return str(value)


def label(field: str) -> str:
    """Return a field's name as a label: 'first_seen' -> 'First seen'."""
    return field.replace("_", " ").strip().capitalize()


def _media(value: Any) -> Media | None:
    """Return an event's media when its address is http(s) (checked again: rows may be edited)."""
    if not isinstance(value, Mapping):
        return None
    url = web_address(value.get("url"))
    if url is None:
        return None
    caption, credit, alt = (_text(value.get(k)) for k in ("caption", "credit", "alt"))
    return Media(url, caption, credit, alt)


# Each source's entry, made once per Names (a dataset's names): many events cite one source.
_SOURCES: WeakKeyDictionary[Names, dict[str, Source]] = WeakKeyDictionary()


def _source(source_id: str, names: Names) -> Source:
    made = _SOURCES.setdefault(names, {})
    found = made.get(source_id)
    if found is None:
        found = made[source_id] = _new_source(source_id, names)
    return found


def _new_source(source_id: str, names: Names) -> Source:
    found = names.source(source_id)
    if found is None:
        return Source(source_id, source_id)
    title, publisher, authors, count = found
    source = names.sources[source_id]
    date = parse_partial_date(source.date).label()
    return Source(source_id, title, publisher, authors, count - len(authors), date,
                  web_address(source.url))  # fmt: skip


def _quote(quote: Mapping[str, Any], names: Names) -> Quote:
    cited = names.source(quote["source"])
    return Quote(quote["text"], names.name(quote["by"]), cited[1] if cited else None)


def _date(day: Any, precision: Any) -> PartialDate | None:
    if _missing(day) or precision not in ("year", "month", "day"):
        return None
    return PartialDate(pd.Timestamp(day).date(), precision)


def _lines(row: Mapping, model: type[BaseModel]) -> tuple[Line, ...]:
    """Return the fields marked for the details that the card has no rendering of."""
    out = []
    for field in fields_for("details", model):
        if field in RENDERED:
            continue
        value = words(row.get(field))
        if value is not None:
            out.append(Line(label(field), value))
    return tuple(out)


def event_card(
    row: Mapping,
    data: Dataset,
    names: Names | None = None,
    *,
    model: type[BaseModel] = Event,
    lang: str | None = None,
) -> EventCard:
    """Return the card of one event (a row of `data.events`), its references named cut.

    Pass the `names` of the dataset when making many cards, so that each name is cut once.
    `model` is the event's model, whose fields marked for the details the card shows.
    `lang` is the reader's language: a translation into it gives the title, summary and
    note it has; the quotes are never translated.
    """
    names = names or Names(data.people, data.sources)
    texts, translation = _translation(row, names, lang)
    return EventCard(
        id=row["id"],
        title=texts.get("title", row["title"]),
        when=row["date_label"],
        start=PartialDate(pd.Timestamp(row["start"]).date(), row["precision"]),
        end=_date(row.get("end"), row.get("end_precision")),
        kind=row["kind"],
        place=_text(row.get("place")),
        people=tuple(names.with_role(p) for p in _items(row.get("leaders"))),
        summary=texts.get("summary", row["summary"]),
        quotes=tuple(_quote(q, names) for q in _items(row.get("quotes"))),
        media=_media(row.get("media")),
        # A source listed twice is shown once.
        sources=tuple(_source(s, names) for s in dict.fromkeys(_items(row.get("sources")))),
        note=texts.get("note", _text(row.get("note"))),
        countries=tuple(c for c in _items(row.get("countries")) if _text(c)),
        tags=tuple(t for t in _items(row.get("tags")) if _text(t)),
        lines=_lines(row, model),
        lang=data.lang,
        translation=translation,
    )
