"""What the page shows besides the chart: the event's details and the table.

The downloads are the exporters' (`timeline.exporters.tables`): the core never imports
them, they import the core.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd

from .card import EventCard, Media, Source, event_card
from .dates import PartialDate
from .frame import Dataset
from .names import TITLE_LIMIT, Names, cut, more
from .schema import Person
from .text import clean, escape, linkify

__all__ = ["card_html", "details_html", "iso_dates", "media_html", "table_frame"]


URL_LIMIT = 2_048  # a longer source address is shown as its title, without the link
_LINK = 'target="_blank" rel="noopener noreferrer"'


def _source_html(source: Source) -> str:
    if source.publisher is None:  # a source the file does not list: its id
        return escape(source.id)
    html = escape(source.title)
    # Validated as http(s) when the file was loaded, and again when the card was made.
    if source.url and len(source.url) <= URL_LIMIT:
        html = f'<a href="{escape(source.url)}" {_LINK}>{html}</a>'
    authors = ", ".join(source.authors) + more(source.more_authors)
    by = f", by {escape(authors)}" if source.authors else ""
    return f"{html}, {escape(source.publisher)}{by}, {escape(source.date)}"


def media_html(media: Media) -> str:
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
    return f"<p><b>Media:</b> {' '.join(p for p in (link, credit) if p)}</p>"


def _listed(label: str, items: tuple[str, ...]) -> str:
    return f"<p><b>{label}:</b> {escape(', '.join(items))}</p>" if items else ""


def _quote_html(text: str, by: str, publisher: str | None) -> str:
    cite = f" ({escape(publisher)})" if publisher else ""
    return (
        "<blockquote style='margin:.5rem 0;padding-left:.75rem;"
        "border-left:3px solid rgba(128,128,128,.5)'>"
        f"“{linkify(text)}”<br><i>— {escape(by)}{cite}</i>"
        "</blockquote>"
    )


def card_html(card: EventCard, media: Callable[[Media], str] = media_html) -> str:
    """Return an event's card as escaped HTML: every field, quotes in full, and sources.

    `media` writes the card's media: the details show a picture, the static page a link.
    """
    # The panel's own title is the h2 ("Event details"): the event's is the h3 under it.
    parts = [f"<h3 style='margin:0 0 .25rem 0'>{escape(card.title)}</h3>"]
    meta = [escape(card.when), *([escape(card.place)] if card.place else []), escape(card.kind)]
    parts.append(f"<p style='opacity:.75;margin:0 0 .75rem 0'>{' · '.join(meta)}</p>")
    parts.append(_listed("Taking part", card.people))
    parts.append(_listed("States", card.countries))
    parts.append(_listed("Tags", card.tags))
    # Line breaks in a summary (paragraphs of an imported text) stay line breaks.
    # Web addresses in the texts are links (http and https only; timeline.text.linkify).
    parts.append(f"<p style='white-space:pre-line'>{linkify(card.summary)}</p>")
    if card.media:
        parts.append(media(card.media))
    parts.extend(_quote_html(q.text, q.by, q.source) for q in card.quotes)
    items = "".join(f"<li>{_source_html(s)}</li>" for s in card.sources)
    parts.append(f"<p style='margin-bottom:.25rem'><b>Sources</b></p><ul>{items}</ul>")
    if card.note:
        parts.append(f"<p style='opacity:.75'><b>Editors' note:</b> {linkify(card.note)}</p>")
    parts.extend(f"<p><b>{escape(line.label)}:</b> {escape(line.value)}</p>" for line in card.lines)
    parts.append(f"<p style='opacity:.6;font-size:.85em'>id: <code>{escape(card.id)}</code></p>")
    return "\n".join(p for p in parts if p)


def details_html(row: Mapping, data: Dataset, names: Names | None = None) -> str:
    """Return the escaped HTML card of one event (a row of `data.events`) for the details.

    Pass the `names` of the dataset when writing many cards, so that each name is cut once.
    """
    return card_html(event_card(row, data, names))


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


def table_frame(frame: pd.DataFrame, people: Mapping[str, Person] | Names) -> pd.DataFrame:
    """Return the filtered events as the page's table shows them (dates sort as dates).

    Cells are cut: titles to `names.TITLE_LIMIT`, places to `names.NAME_LIMIT`, and the
    leaders to the first `names.LISTED` names, each cut, then how many more.
    """
    names = people if isinstance(people, Names) else Names(people)
    return pd.DataFrame(
        {
            "date": iso_dates(frame),
            "when": frame["date_label"].map(clean),
            "title": frame["title"].map(lambda t: clean(cut(t, TITLE_LIMIT))),
            "kind": frame["kind"],
            "place": frame["place"].map(lambda t: clean(cut(t))),
            "leaders": frame["leaders"].map(lambda ls: clean(names.listing(ls))),
            "quotes": frame["quotes"].map(len),
            "id": frame["id"],
        }
    ).reset_index(drop=True)
