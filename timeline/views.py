"""What the page shows besides the chart: event details, the table and the downloads."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

import pandas as pd

from .dates import PartialDate, parse_partial_date
from .exporters.tables import to_csv, to_json
from .lanes import person_name
from .loader import Dataset
from .schema import Person, Source, web_address
from .text import clean, escape

# The downloads are written by the exporters, from one function each (also `export`).
__all__ = ["details_html", "iso_dates", "table_frame", "to_csv", "to_json"]


def _with_role(people: Mapping[str, Person], pid: str) -> str:
    person = people.get(pid)
    return f"{person.name} ({person.role})" if person and person.role else person_name(people, pid)


def _source_html(source_id: str, sources: Mapping[str, Source]) -> str:
    source = sources.get(source_id)
    if source is None:
        return escape(source_id)
    title = escape(source.title)
    if source.url:  # validated as http(s) when the file was loaded
        title = (
            f'<a href="{escape(source.url)}" target="_blank" rel="noopener noreferrer">{title}</a>'
        )
    date = escape(parse_partial_date(source.date).label())
    by = f", by {escape(', '.join(source.authors))}" if source.authors else ""
    return f"{title}, {escape(source.publisher)}{by}, {date}"


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


def details_html(row: Mapping, data: Dataset) -> str:
    """Return the escaped HTML card of one event: every field, quotes in full, and sources."""
    people, sources = data.people, data.sources
    # The panel's own title is the h2 ("Event details"): the event's is the h3 under it.
    parts = [f"<h3 style='margin:0 0 .25rem 0'>{escape(row['title'])}</h3>"]
    meta = [escape(row["date_label"]), escape(row["kind"])]
    if row["place"]:
        meta.insert(1, escape(row["place"]))
    parts.append(f"<p style='opacity:.75;margin:0 0 .75rem 0'>{' · '.join(meta)}</p>")
    if row["leaders"]:
        who = ", ".join(escape(_with_role(people, p)) for p in row["leaders"])
        parts.append(f"<p><b>Taking part:</b> {who}</p>")
    # Line breaks in a summary (paragraphs of an imported text) stay line breaks.
    parts.append(f"<p style='white-space:pre-line'>{escape(row['summary'])}</p>")
    if media := _media_html(row.get("media")):
        parts.append(media)
    for quote in row["quotes"]:
        source = sources.get(quote["source"])
        cite = f" ({escape(source.publisher)})" if source else ""
        who = escape(person_name(people, quote["by"]))
        parts.append(
            "<blockquote style='margin:.5rem 0;padding-left:.75rem;"
            "border-left:3px solid rgba(128,128,128,.5)'>"
            f"“{escape(quote['text'])}”<br><i>— {who}{cite}</i>"
            "</blockquote>"
        )
    items = "".join(f"<li>{_source_html(s, sources)}</li>" for s in row["sources"])
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


def table_frame(frame: pd.DataFrame, people: Mapping[str, Person]) -> pd.DataFrame:
    """Return the filtered events as the page's table shows them (dates sort as dates)."""
    return pd.DataFrame(
        {
            "date": iso_dates(frame),
            "when": frame["date_label"].map(clean),
            "title": frame["title"].map(clean),
            "kind": frame["kind"],
            "place": frame["place"].map(clean),
            "leaders": frame["leaders"].map(
                lambda ls: ", ".join(clean(person_name(people, p)) for p in ls)
            ),
            "quotes": frame["quotes"].map(len),
            "id": frame["id"],
        }
    ).reset_index(drop=True)
