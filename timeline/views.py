"""What the page shows besides the chart: event details, the table and the downloads."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

import pandas as pd

from .dates import PartialDate, parse_partial_date
from .exporters.tables import to_csv, to_json
from .loader import Dataset
from .names import TITLE_LIMIT, Names, cut, more
from .schema import Person, web_address
from .text import clean, escape

# The downloads are written by the exporters, from one function each (also `export`).
__all__ = ["details_html", "iso_dates", "table_frame", "to_csv", "to_json"]


URL_LIMIT = 2_048  # a longer source address is shown as its title, without the link


def _source_html(source_id: str, names: Names) -> str:
    found = names.source(source_id)
    if found is None:
        return escape(source_id)
    title, publisher, authors, count = found
    source = names.sources[source_id]
    html = escape(title)
    # Validated as http(s) when the file was loaded; repeated for each event that cites it.
    if source.url and len(source.url) <= URL_LIMIT:
        html = (
            f'<a href="{escape(source.url)}" target="_blank" rel="noopener noreferrer">{html}</a>'
        )
    date = escape(parse_partial_date(source.date).label())
    by = f", by {escape(', '.join(authors) + more(count - len(authors)))}" if authors else ""
    return f"{html}, {escape(publisher)}{by}, {date}"


# A media address whose path ends so is shown as a picture; any other as a link.
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg", ".bmp")


def _media_html(media: object) -> str:
    """Return an event's media: an image with its alt text and credit, else a link."""
    if not isinstance(media, Mapping):
        return ""
    url = web_address(media.get("url"))
    if url is None:
        return ""
    caption, credit, alt = (
        value if isinstance(value := media.get(k), str) and value.strip() else None
        for k in ("caption", "credit", "alt")
    )
    href = escape(url)
    credit_html = f"<span style='opacity:.75'>{escape(credit)}</span>" if credit else ""
    if urlsplit(url).path.lower().endswith(IMAGE_EXTENSIONS):
        # No referrer: the image's host need not learn which dashboard shows it.
        image = (
            f'<img src="{href}" alt="{escape(alt or caption or "")}" loading="lazy" '
            'referrerpolicy="no-referrer" style="max-width:100%;height:auto">'
        )
        words = " ".join(p for p in (escape(caption) if caption else "", credit_html) if p)
        below = f"<figcaption style='font-size:.85em'>{words}</figcaption>" if words else ""
        return f"<figure style='margin:.5rem 0'>{image}{below}</figure>"
    label = escape(caption or alt or url)
    link = f'<a href="{href}" target="_blank" rel="noopener noreferrer">{label}</a>'
    return f"<p><b>Media:</b> {' '.join(p for p in (link, credit_html) if p)}</p>"


def details_html(row: Mapping, data: Dataset, names: Names | None = None) -> str:
    """Return the escaped HTML card of one event: every field, quotes in full, and sources.

    The people and sources it references are shown cut (`timeline.names`), each source
    once: a card is bounded by its event, whatever it references. Pass the `names` of the
    dataset when writing many cards, so that each name is cut once.
    """
    names = names or Names(data.people, data.sources)
    # The panel's own title is the h2 ("Event details"): the event's is the h3 under it.
    parts = [f"<h3 style='margin:0 0 .25rem 0'>{escape(row['title'])}</h3>"]
    meta = [escape(row["date_label"]), escape(row["kind"])]
    if row["place"]:
        meta.insert(1, escape(row["place"]))
    parts.append(f"<p style='opacity:.75;margin:0 0 .75rem 0'>{' · '.join(meta)}</p>")
    if row["leaders"]:
        who = ", ".join(escape(names.with_role(p)) for p in row["leaders"])
        parts.append(f"<p><b>Taking part:</b> {who}</p>")
    # Line breaks in a summary (paragraphs of an imported text) stay line breaks.
    parts.append(f"<p style='white-space:pre-line'>{escape(row['summary'])}</p>")
    if media := _media_html(row.get("media")):
        parts.append(media)
    for quote in row["quotes"]:
        source = names.source(quote["source"])
        cite = f" ({escape(source[1])})" if source else ""
        who = escape(names.name(quote["by"]))
        parts.append(
            "<blockquote style='margin:.5rem 0;padding-left:.75rem;"
            "border-left:3px solid rgba(128,128,128,.5)'>"
            f"“{escape(quote['text'])}”<br><i>— {who}{cite}</i>"
            "</blockquote>"
        )
    cited = dict.fromkeys(row["sources"])  # a source listed twice is shown once
    items = "".join(f"<li>{_source_html(s, names)}</li>" for s in cited)
    parts.append(f"<p style='margin-bottom:.25rem'><b>Sources</b></p><ul>{items}</ul>")
    if row["note"]:
        parts.append(f"<p style='opacity:.75'><b>Editors' note:</b> {escape(row['note'])}</p>")
    parts.append(f"<p style='opacity:.6;font-size:.85em'>id: <code>{escape(row['id'])}</code></p>")
    return "\n".join(parts)


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
