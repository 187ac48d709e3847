"""What the page shows besides the chart: the event's details and the table.

The downloads are the exporters' (`timeline.exporters.tables`): the core never imports
them, they import the core.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from html import escape as html_escape

import pandas as pd

from .card import (
    EventCard,
    Media,
    Source,
    event_card,
    lang_attributes,
    translated,
    translated_parts,
)
from .dates import PartialDate, parse_partial_date
from .frame import Dataset
from .i18n import DEFAULT_LANG, N_, Translator, span_in, translator
from .names import TITLE_LIMIT, Names, cut, more
from .schema import Person
from .state import KNOWN_KINDS
from .text import clean, escape, linkify

__all__ = [
    "card_html", "dates_in", "details_html", "in_language", "iso_dates", "media_html",
    "table_frame",
]  # fmt: skip

_ENGLISH = translator(DEFAULT_LANG)
# The labels a card derives from its other fields' names (card.label: 'end_time' is 'End
# time'), and the table's columns: marked here so that extraction finds them.
FIELD_LABELS = (N_("Time"), N_("End time"))
COLUMNS = {
    "date": N_("date"), "when": N_("when"), "title": N_("title"), "kind": N_("kind"),
    "place": N_("place"), "leaders": N_("leaders"), "quotes": N_("quotes"), "id": N_("id"),
}  # fmt: skip


URL_LIMIT = 2_048  # a longer source address is shown as its title, without the link
_LINK = 'target="_blank" rel="noopener noreferrer"'


def _source_html(source: Source, t: Translator, *, isolate: bool = True) -> str:
    """Return a source as the card names it; its date isolated on a right-to-left page
    unless `isolate` is false (the translation's line, in the language's own words)."""
    if source.publisher is None:  # a source the file does not list: its id
        return escape(source.id)
    html = escape(source.title)
    # Validated as http(s) when the file was loaded, and again when the card was made.
    if source.url and len(source.url) <= URL_LIMIT:
        html = f'<a href="{escape(source.url)}" {_LINK}>{html}</a>'
    authors = ", ".join(source.authors) + more(source.more_authors)
    publisher = escape(source.publisher)
    date = _isolated(source.date, t) if isolate else escape(source.date)
    if source.authors:
        return t.gettext("{title}, {publisher}, by {authors}, {date}", title=html,
                         publisher=publisher, authors=escape(authors),
                         date=date)  # fmt: skip
    return t.gettext("{title}, {publisher}, {date}", title=html, publisher=publisher,
                     date=date)  # fmt: skip


def media_html(media: Media, t: Translator = _ENGLISH) -> str:
    """Return an event's media as the details show it: an image with its alt text and credit,
    else a link."""
    href = escape(media.url)
    credit = f"<span style='opacity:.75'>{escape(media.credit)}</span>" if media.credit else ""
    if media.is_image:
        # No referrer: the image's host need not learn which dashboard shows it.
        image = (
            f'<img src="{href}" alt="{escape(media.alt or media.caption or "")}" '
            'loading="lazy" referrerpolicy="no-referrer" style="max-width:100%;height:auto">'
        )
        caption = escape(media.caption) if media.caption else ""
        words = " ".join(p for p in (caption, credit) if p)
        below = f"<figcaption style='font-size:.85em'>{words}</figcaption>" if words else ""
        return f"<figure style='margin:.5rem 0'>{image}{below}</figure>"
    label = escape(media.caption or media.alt or media.url)
    link = f'<a href="{href}" {_LINK}>{label}</a>'
    return _line(t.gettext("Media"), " ".join(p for p in (link, credit) if p))


def _line(label: str, html: str) -> str:
    """Return a labelled line of the card: 'Label: value' (the value already HTML)."""
    return f"<p><b>{_label(label)}:</b> {html}</p>"


def _isolated(words: str, t: Translator) -> str:
    """Escape a date in words, isolated on a right-to-left page (<bdi>): in an English line
    of the card, a Persian date keeps its day, month and year in their order."""
    return f"<bdi>{escape(words)}</bdi>" if t.direction == "rtl" else escape(words)


def _label(words: str) -> str:
    """Escape a label of ours (from the catalogs) for HTML: its apostrophes stay as typed."""
    return html_escape(words, quote=False)


def _listed(label: str, items: tuple[str, ...]) -> str:
    return _line(label, escape(", ".join(items))) if items else ""


def _quote_html(text: str, by: str, publisher: str | None) -> str:
    cite = f" ({escape(publisher)})" if publisher else ""
    return (
        "<blockquote style='margin:.5rem 0;padding-left:.75rem;"
        "border-left:3px solid rgba(128,128,128,.5)'>"
        f"“{linkify(text)}”<br><i>— {escape(by)}{cite}</i>"
        "</blockquote>"
    )


def card_html(
    card: EventCard,
    media: Callable[[Media, Translator], str] = media_html,
    t: Translator = _ENGLISH,
) -> str:
    """Return an event's card as escaped HTML: every field, quotes in full, and sources.

    `media` writes the card's media: the details show a picture, the static page a link.
    `t` names the labels in the reader's language; give it a card `in_language` too.
    """
    # The panel's own title is the h2 ("Event details"): the event's is the h3 under it.
    title = lang_attributes(card.lang_of("title"))  # a translation's, else the file's language
    parts = [f"<h3{title} style='margin:0 0 .25rem 0'>{escape(card.title)}</h3>"]
    meta = [_isolated(card.when, t), *([escape(card.place)] if card.place else []),
            escape(card.kind)]  # fmt: skip
    parts.append(f"<p style='opacity:.75;margin:0 0 .75rem 0'>{' · '.join(meta)}</p>")
    parts.append(_listed(t.gettext("Taking part"), card.people))
    parts.append(_listed(t.gettext("States"), card.countries))
    parts.append(_listed(t.gettext("Tags"), card.tags))
    # Line breaks in a summary (paragraphs of an imported text) stay line breaks.
    # Web addresses in the texts are links (http and https only; timeline.text.linkify).
    summary = lang_attributes(card.lang_of("summary"))
    parts.append(f"<p{summary} style='white-space:pre-line'>{linkify(card.summary)}</p>")
    parts.append(_translation_html(card, t))
    if card.media:
        parts.append(media(card.media, t))
    # Quotes are never translated: marked with the file's language when it says one.
    said = lang_attributes(card.lang)
    parts.extend(f"<div{said}>{_quote_html(q.text, q.by, q.source)}</div>" if said
                 else _quote_html(q.text, q.by, q.source) for q in card.quotes)  # fmt: skip
    items = "".join(f"<li>{_source_html(s, t)}</li>" for s in card.sources)
    sources = _label(t.gettext("Sources"))
    parts.append(f"<p style='margin-bottom:.25rem'><b>{sources}</b></p><ul>{items}</ul>")
    if card.note:
        note = _label(t.gettext("Editors' note"))
        said, attrs = linkify(card.note), lang_attributes(card.lang_of("note"))
        said = f"<span{attrs}>{said}</span>" if attrs else said
        parts.append(f"<p style='opacity:.75'><b>{note}:</b> {said}</p>")
    parts.extend(_line(t.gettext(line.label), escape(line.value)) for line in card.lines)
    id_word = _label(t.gettext("id"))
    parts.append(
        f"<p style='opacity:.6;font-size:.85em'>{id_word}: <code>{escape(card.id)}</code></p>"
    )
    return "\n".join(p for p in parts if p)


def _translation_html(card: EventCard, t: Translator) -> str:
    """Return the line saying which of the card's texts are a translation, and its source."""
    if card.translation is None:
        return ""
    parts = translated_parts(card.translation, t)
    source = _source_html(card.translation.source, t, isolate=False)
    return _line(t.gettext("Translation"), f"{escape(parts)} · {source}")


def in_language(card: EventCard, data: Dataset, t: Translator) -> EventCard:
    """Return a card with its dates and its usual kind in the translator's language.

    English keeps the card as it is. The data's own text is never translated here.
    """
    if t.lang == DEFAULT_LANG:
        return card
    sources = tuple(_source_in(s, data, t) for s in card.sources)
    kind = t.gettext(card.kind) if card.kind in KNOWN_KINDS else card.kind
    translation = card.translation  # its source's date too
    if translation is not None:
        translation = replace(translation, source=_source_in(translation.source, data, t))
    return replace(card, when=t.span(card.start, card.end), kind=kind, sources=sources,
                   translation=translation)  # fmt: skip


def _source_in(source: Source, data: Dataset, t: Translator) -> Source:
    listed = data.sources.get(source.id) if source.publisher is not None else None
    if listed is None:
        return source
    return replace(source, date=t.date(parse_partial_date(listed.date)))


def details_html(
    row: Mapping, data: Dataset, names: Names | None = None, t: Translator = _ENGLISH
) -> str:
    """Return the escaped HTML card of one event (a row of `data.events`) for the details.

    Pass the `names` of the dataset when writing many cards, so that each name is cut once;
    `t` is the reader's language.
    """
    return card_html(in_language(event_card(row, data, names, lang=t.lang), data, t), t=t)


def iso_dates(frame: pd.DataFrame) -> pd.Series:
    """Return each event's dates as the file writes them ("2022-07", "2022-07-19 – 2022-07-21").

    Text in this form sorts as the dates do, whatever their precision or century.
    """
    out = []
    for start, precision, end, end_precision in zip(
        frame["start"], frame["precision"], frame["end"], frame["end_precision"], strict=True
    ):
        text = PartialDate(start.date(), precision).iso()
        if not pd.isna(end):
            text += " – " + PartialDate(end.date(), end_precision).iso()
        out.append(text)
    return pd.Series(out, index=frame.index, dtype="str")


def table_frame(
    frame: pd.DataFrame, people: Mapping[str, Person] | Names, t: Translator = _ENGLISH
) -> pd.DataFrame:
    """Return the filtered events as the page's table shows them (dates sort as dates).

    Cells are cut: titles to `names.TITLE_LIMIT`, places to `names.NAME_LIMIT`, and the
    leaders to the first `names.LISTED` names, each cut, then how many more. In another
    language than English (`t`), the columns are named in it and `when` and the usual kinds
    are its words; `date` stays as the file writes it, so that it sorts. The title is the
    reader's translation where the file has one.
    """
    names = people if isinstance(people, Names) else Names(people)
    frame = translated(frame, t.lang)
    when, kinds, quotes = frame["date_label"], frame["kind"], frame["quotes"].map(len)
    if t.lang != DEFAULT_LANG:
        when = dates_in(frame, t)
        kinds = kinds.map(lambda k: t.gettext(k) if k in KNOWN_KINDS else k)
        quotes = quotes.map(t.count)  # in the language's digits ('۲'), as text
    table = pd.DataFrame(
        {
            "date": iso_dates(frame),
            "when": when.map(clean),
            "title": frame["title"].map(lambda t: clean(cut(t, TITLE_LIMIT))),
            "kind": kinds,
            "place": frame["place"].map(lambda t: clean(cut(t))),
            "leaders": frame["leaders"].map(lambda ls: clean(names.listing(ls))),
            "quotes": quotes,
            "id": frame["id"],
        }
    ).reset_index(drop=True)
    if t.lang == DEFAULT_LANG:
        return table
    return table.rename(columns={key: t.gettext(word) for key, word in COLUMNS.items()})


def dates_in(frame: pd.DataFrame, t: Translator) -> pd.Series:
    """Return each event's date or span in the translator's language ('۱۹ ژوئیه ۲۰۲۲')."""
    labels = [span_in(t.lang, *days) for days in _spans(frame)]
    return pd.Series(labels, index=frame.index, dtype=object)


def _spans(frame: pd.DataFrame) -> list[tuple[PartialDate, PartialDate | None]]:
    """Return each event's first and last date as partial dates (None: no end)."""
    out = []
    for start, precision, end, end_precision in zip(
        frame["start"], frame["precision"], frame["end"], frame["end_precision"], strict=True
    ):
        last = None if pd.isna(end) else PartialDate(end.date(), end_precision)
        out.append((PartialDate(start.date(), precision), last))
    return out
