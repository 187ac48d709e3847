"""A view as TimelineJS3 JSON: a title slide, a slide per event, eras from the periods.

TimelineJS shows `text.headline`, `text.text` and media captions and credits as HTML (it
sanitises them with DOMPurify), so every data text in them is escaped once. It strips the
markup from `group` and `display_date` and then writes what is left as HTML: those are
escaped twice, so that a lane named `<b>` shows as `<b>` and never becomes markup.

Every address is percent-encoded (timelinejs_media.safe_address) and is media only when
TimelineJS's own rules show it as an image. TimelineJS's autolink, after sanitising, makes
a link of any text from `www.` to the next space, quotes and all, and writes it into
`href='...'`: in the HTML it rewrites (text, caption, credit) `www.` is written `www<wbr>.`,
which shows and copies the same and which it does not find.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from ..card import EventCard, Media, event_card, lang_attributes, translated_parts
from ..card import Source as CardSource
from ..card import heading as file_heading
from ..dates import PartialDate, parse_partial_date
from ..i18n import DEFAULT_LANG, Translator, translator
from ..lanes import NO_LANE
from ..names import Names
from ..query import share_link
from ..schema import Period
from ..story import Step
from ..text import clean
from ..text import escape as _attribute
from ..views import in_language
from .html import view_steps, words_of
from .scripts import script_json
from .timelinejs_media import media_use, safe_address
from .view import MAX_EXPORT_BYTES, ExportError, View, filters_in_words

# TimelineJS's own code for each of our languages (its `language` option: the names of
# its src/js/language/locale/*.json, which has all of ours under the same codes).
TIMELINEJS_LANGUAGE = {"en": "en", "ru": "ru", "fa": "fa", "tr": "tr", "ar": "ar"}
_ENGLISH = translator(DEFAULT_LANG)


def _day(date: PartialDate, time: str | None = None) -> dict[str, int]:
    """Return a TimelineJS date as precise as ours: a month-only date has no day, and a
    time of day ("14:30", with a whole day only) gives its hour and minute."""
    day = date.first
    out = {"year": day.year}
    if date.precision in ("month", "day"):
        out["month"] = day.month
    if date.precision == "day":
        out["day"] = day.day
        if time:
            out["hour"], out["minute"] = int(time[:2]), int(time[3:5])
    return out


def _clock(row: Mapping[Any, Any]) -> tuple[str | None, str | None]:
    """Return an event's time and end time of day from its row ("" in the frame is none)."""
    return row.get("time") or None, row.get("end_time") or None


def _when(card: EventCard, time: str | None, end_time: str | None) -> str:
    """Return the date TimelineJS shows: our label, and the time of day where there is one."""
    if not time:
        return card.when
    return f"{card.when}, {time}" + (f"–{end_time}" if end_time else "")


_WWW = re.compile(r"(www)\.", re.IGNORECASE)


def _headline(text: str) -> str:
    """Escape text for HTML content: <, > and &; quotes stay quotes, as an editor typed them."""
    return html.escape(clean(text), quote=False)


def _html(text: str) -> str:
    """Escape text for HTML that TimelineJS's autolink rewrites: no `www.` left for it to find."""
    return _WWW.sub(r"\1<wbr>.", _headline(text))


def _paragraphs(text: str) -> str:
    """Return text as HTML paragraphs, a paragraph per line, escaped."""
    return "".join(f"<p>{_html(line)}</p>" for line in text.splitlines() if line.strip())


def _stripped(text: str) -> str:
    """Escape text twice for a field TimelineJS strips of markup and then writes as HTML."""
    return html.escape(html.escape(clean(text), quote=False), quote=False)


def _link(address: str, label: str) -> str:
    """Return a link to a safe address that opens in a new tab, its label already HTML."""
    return f'<a href="{_attribute(address)}" target="_blank" rel="noopener noreferrer">{label}</a>'


def _media(media: Media | None, t: Translator) -> tuple[dict[str, str] | None, str]:
    """Return TimelineJS media for an image, else a paragraph that links to the page."""
    url = safe_address(media.url) if media else None
    if media is None or url is None:
        return None, ""
    if media_use(url) == "image":
        out = {"url": url}
        if media.caption:
            out["caption"] = _html(media.caption)
        if media.credit:
            out["credit"] = _html(media.credit)
        if media.alt:
            out["alt"] = clean(media.alt)  # set as an attribute, never parsed as HTML
        return out, ""
    # Without a caption the label is the host: no address for autolink to link again.
    label = media.caption or media.alt or urlsplit(url).netloc
    by = f" ({_html(media.credit)})" if media.credit else ""
    word = _html(t.gettext("Media"))
    return None, f"<p><b>{word}:</b> {_link(url, _html(label))}{by}</p>"


def _source(source: CardSource, t: Translator) -> str:
    """Return a source as the slide names it: title (a link), publisher, date; else its id."""
    if source.publisher is None:
        return _html(source.id)
    title = _html(source.title)
    address = safe_address(source.url)  # http(s), checked when the file was loaded
    if address:
        title = _link(address, title)
    return t.gettext("{title}, {publisher}, {date}", title=title,
                     publisher=_html(source.publisher), date=_html(source.date))  # fmt: skip


def _listed(label: str, items: tuple[str, ...]) -> str:
    return f"<p><b>{label}:</b> {_html(', '.join(items))}</p>" if items else ""


def _text(card: EventCard, link: str, t: Translator = _ENGLISH) -> str:
    """Return an event's slide text: summary, who and where, states and tags, quotes, media
    link, sources, note and any other field of the details."""
    parts = [_in_lang(_paragraphs(card.summary), card.lang_of("summary"), "div")]
    if card.translation is not None:  # which texts are a translation, and its source
        given = translated_parts(card.translation, t)
        cited = _source(card.translation.source, t)
        parts.append(f"<p><b>{_html(t.gettext('Translation'))}:</b> {_html(given)} · {cited}</p>")
    about = [_html(card.kind.capitalize())]
    if card.place:
        about.append(_html(card.place))
    if card.people:
        about.append(_html(t.gettext("with {names}", names=", ".join(card.people))))
    parts.append(f"<p><i>{' · '.join(about)}</i></p>")
    parts.append(_listed(t.gettext("States"), card.countries))
    parts.append(_listed(t.gettext("Tags"), card.tags))
    for quote in card.quotes:
        cite = f" ({_html(quote.source)})" if quote.source else ""
        # The speaker in <cite>: TimelineJS styles it, and an import reads it back as the speaker.
        by = f"<cite>{_html(quote.by)}</cite>"
        parts.append(f"<blockquote>“{_html(quote.text)}”<br>— {by}{cite}</blockquote>")
    parts.append(link)
    sources = "; ".join(_source(s, t) for s in card.sources)
    word = _html(t.gettext("Sources"))
    parts.append(f"<p><b>{word}:</b> {sources}</p>")
    if card.note:
        note = _html(t.gettext("Editors' note"))
        said = _in_lang(_html(card.note), card.lang_of("note"))
        parts.append(f"<p><i>{note}: {said}</i></p>")
    parts.extend(f"<p><b>{_html(t.gettext(line.label))}:</b> {_html(line.value)}</p>"
                 for line in card.lines)  # fmt: skip
    return "".join(p for p in parts if p)


def _in_lang(html_text: str, lang: str | None, tag: str = "span") -> str:
    """Return HTML marked with its language (a translation's, or the file's), or as it is."""
    attrs = lang_attributes(lang)
    return f"<{tag}{attrs}>{html_text}</{tag}>" if attrs else html_text


def _era(period: Period, last_day: dt.date) -> dict[str, Any]:
    """Return a period as an era; one that goes on ends with the view (eras need an end)."""
    start = parse_partial_date(period.from_)
    end = parse_partial_date(period.to) if period.to else PartialDate(last_day, "day")
    era: dict[str, Any] = {
        "start_date": _day(start),
        "end_date": _day(end),
        "text": {"headline": _headline(period.title)},
    }
    if period.note:
        era["text"]["text"] = _paragraphs(period.note)
    return era


def _overlaps(period: Period, first: dt.date, last: dt.date) -> bool:
    start = parse_partial_date(period.from_).first
    end = parse_partial_date(period.to).last if period.to else dt.date.max
    return start <= last and end >= first


def _title(view: View, heading: Step, base_url: str | None, t: Translator) -> dict[str, Any]:
    """Return the title slide: the story's (the file's) title and words, filters, the link."""
    shown = file_heading(view.data, t.lang)  # the heading translated where the file does
    words = heading.narration if view.state.story else shown.description
    title_text = _paragraphs(words or "")
    # The story's words (maybe translated) or the file's description, marked with their language.
    said = heading.narration_lang if view.state.story else shown.description_lang
    title_text = _in_lang(title_text, said, "div") if words else ""
    if view.filtered:
        title_text += f"<p><i>{_html(filters_in_words(view, t))}</i></p>"
    live = safe_address(share_link(base_url, view.link_state)) if base_url else None
    if live:
        href = _attribute(live)
        live = _html(t.gettext("The live view"))
        title_text += f'<p><a href="{href}" target="_blank" rel="noopener">{live}</a></p>'
    headline = _in_lang(_headline(heading.headline), heading.headline_lang)
    if not view.state.story:
        headline = _in_lang(_headline(shown.title), shown.title_lang)
    return {"text": {"headline": headline, "text": title_text}}


def _slide(
    row: Mapping[Any, Any], card: EventCard, group: str, step: Step, t: Translator
) -> dict[str, Any]:
    """Return one event's slide: the author's narration first, then the card; its times."""
    media, link = _media(card.media, t)
    text = _text(card, link, t)
    if step.narration:
        marked = lang_attributes(step.narration_lang)  # the author's, or a translation's
        text = f"<p{marked}><b>{_html(step.narration)}</b></p>" + text
    time, end_time = _clock(row)
    event: dict[str, Any] = {
        "unique_id": card.id,
        "start_date": _day(card.start, time),
        "display_date": _stripped(_when(card, time, end_time)),
        "text": {"headline": _in_lang(_headline(card.title), card.lang_of("title")), "text": text},
        "group": _stripped(t.gettext(group) if group in NO_LANE.values() else group),
    }
    if card.end or end_time:
        event["end_date"] = _day(card.end or card.start, end_time)
    if media:
        event["media"] = media
    return event


def timelinejs(view: View, base_url: str | None = None) -> dict[str, Any]:
    """Return a view as a TimelineJS3 document; ExportError when it keeps no event.

    The slides follow the story (`timeline.story`): the view's authored story (`story=`)
    with its narration, else every shown event by date, time of day and the file's order.
    """
    data, shown, t = view.data, view.shown, words_of(view)
    if shown.empty:
        raise ExportError("no event in this view, and TimelineJS needs at least one")
    told = view_steps(view)
    groups = dict(zip(shown["id"], view.groups(), strict=True))
    rows = shown.set_index("id", drop=False).loc[[s.event_id for s in told[1:]]]
    # People and sources are named cut once (names.Names), as in every export: a file's
    # ids can stand for names of megabytes, repeated by every slide that names them.
    names = Names(data.people, data.sources)
    events = []
    size = 0
    for row, step in zip(rows.to_dict("records"), told[1:], strict=True):
        card = in_language(event_card(row, data, names, lang=t.lang), data, t)
        event = _slide(row, card, groups[card.id], step, t)
        size += len(event["text"]["text"]) + len(card.title) + len(event["group"])
        if size > MAX_EXPORT_BYTES:
            raise ExportError(
                f"The TimelineJS file of this view would be over "
                f"{MAX_EXPORT_BYTES / 1024**2:,.0f} MB; narrow the view (--query, or the "
                "filters in the page)"
            )
        events.append(event)
    first, last = rows["start"].min().date(), rows["last"].max().date()
    eras = [_era(p, last) for p in data.periods if _overlaps(p, first, last)]
    out: dict[str, Any] = {"title": _title(view, told[0], base_url, t), "events": events}
    if eras:
        out["eras"] = eras
    if t.lang != DEFAULT_LANG:  # TimelineJS's default is English: the file then says nothing
        # TimelineJS takes its options beside the data: new TL.Timeline(id, doc, doc.options).
        out["options"] = {"language": TIMELINEJS_LANGUAGE[t.lang]}
    return out


def timelinejs_json(view: View, base_url: str | None = None) -> str:
    """Return a view as the text of a TimelineJS3 JSON file (also safe inside a <script>)."""
    return script_json(timelinejs(view, base_url), indent=2) + "\n"
