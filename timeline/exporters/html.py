"""A view as one self-contained HTML page: the timeline chart, then every event in full.

The page needs no server and no network: plotly.js's basic bundle (scatter, bar and pie,
all the timeline uses) is inlined from `vendor/`, the figure is inlined as JSON, and the
events are plain HTML, readable and searchable without JavaScript. The core draws
nothing itself: a front end hands in the figures (`timeline.figures`), as `FigureKit`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache
from importlib import resources
from typing import Protocol

import pandas as pd

from ..card import EventCard, Media, event_card, heading, lang_attributes, translated
from ..dates import PartialDate
from ..i18n import Translator, translator
from ..lanes import LaneLayout
from ..names import Names
from ..query import share_link
from ..schema import Period, Person
from ..story import Step, StoryError, following, previous
from ..story import steps as story_steps
from ..text import escape, shorten
from ..views import card_html, dates_in, in_language
from .scripts import inline_script, safe_json_text
from .tables import BATCH
from .view import ExportError, View, bounded_text, filters_in_words

PLOTLY_BUNDLE = "vendor/plotly-basic.min.js"  # plotly.js-basic-dist-min, from npm; MIT


class Figure(Protocol):
    """A Plotly figure, as far as the page needs it: its JSON."""

    def to_json(self) -> str:
        """Return the figure as Plotly JSON."""
        ...


class FigureKit(Protocol):
    """The figures the page draws with: the module `timeline.figures` is one."""

    MAX_MARKERS: int
    MAX_MARKS: int

    def timeline_figure(
        self,
        frame: pd.DataFrame,
        people: Mapping[str, Person],
        *,
        layout: LaneLayout | None = ...,
        open_event: str | None = ...,
        kinds: Iterable[str] = ...,
        window: tuple[dt.date | None, dt.date | None] = ...,
        words: Translator | None = ...,
    ) -> Figure:
        """Return the swimlane timeline of these events, its hovers in `words`' language."""
        ...

    def add_timeline_periods(
        self, fig: Figure, periods: Iterable[Period], t: Translator | None = ...
    ) -> Figure:
        """Draw context periods behind the timeline."""
        ...

    def in_language(self, fig: Figure, t: Translator, width: int | None = ...) -> Figure:
        """Name the timeline's legend, lanes and ticks in the translator's language."""
        ...


@cache
def plotly_bundle() -> str:
    """Return the plotly.js bundle the page inlines (read from this package, once)."""
    # Part of this package, read as its code is read: no user's file (files.py reads those).
    return resources.files(__package__).joinpath(PLOTLY_BUNDLE).read_text(encoding="utf-8")


def _media_link(media: Media, t: Translator) -> str:
    """Return an event's media as a link: the page loads nothing from elsewhere."""
    label = escape(media.caption or media.alt or media.url)
    by = f" ({escape(media.credit)})" if media.credit else ""
    href, word = escape(media.url), escape(t.gettext("Media"))
    return (
        f'<p><b>{word}:</b> <a href="{href}" target="_blank" '
        f'rel="noopener noreferrer">{label}</a>{by}</p>'
    )


def words_of(view: View) -> Translator:
    """Return the translator of the view's language: the page's, or the command's --lang."""
    return translator(view.state.lang)


def view_steps(view: View, authored: bool = True) -> list[Step]:
    """Return the steps of the view's story: its authored story (`story=`) if it names one
    and `authored`, else every shown event in order; ExportError for an unknown story."""
    try:
        chosen = (view.state.story or None) if authored else None
        return story_steps(view.shown, view.data, chosen, words_of(view).lang)
    except StoryError as err:
        raise ExportError(str(err)) from None


_HEADLINE = 60  # characters of a neighbour's headline in a step's previous and next links


def _event_anchor(step: Step) -> str:
    """Return the link to a step of every event's story: its article, or the page's top."""
    return "#top" if step.event_id is None else f"#event-{escape(step.event_id)}"


def _step_anchor(step: Step) -> str:
    """Return the link to a step of an authored story: its section, or the story's start."""
    return "#story" if step.event_id is None else f"#step-{step.position}"


def _nav(
    story: bool, told: list[Step], step: Step, anchor: Callable[[Step], str], t: Translator
) -> str:
    """Return a step's position and its previous and next links: plain anchors, no script."""
    at = {"position": t.number(step.position), "total": t.number(step.total)}
    if story:
        label = t.gettext("Story, step {position} of {total}", **at)
    else:
        label = t.gettext("Events, step {position} of {total}", **at)
    links = [f'<span class="muted">{escape(label)}</span>']
    if (before := previous(told, step)) is not None:
        title = t.isolate(escape(shorten(before.headline, _HEADLINE)))
        # TRANSLATORS: the arrow points back as your readers read: → in a right-to-left language.
        back = t.gettext("← Previous: {title}", title=title)
        links.append(f'<a href="{anchor(before)}" rel="prev">{back}</a>')
    if (after := following(told, step)) is not None:
        title = t.isolate(escape(shorten(after.headline, _HEADLINE)))
        # TRANSLATORS: the arrow points on as your readers read: ← in a right-to-left language.
        on = t.gettext("Next: {title} →", title=title)
        links.append(f'<a href="{anchor(after)}" rel="next">{on}</a>')
    return f'<nav class="step" aria-label="{escape(label)}">{" · ".join(links)}</nav>'


def _entry(card: EventCard, nav: str = "", t: Translator | None = None) -> str:
    """Return one event in full, as the dashboard's details show it, media as a link.

    `t` names its labels (English when None); give it a card `views.in_language` too.
    """
    html = card_html(card, media=_media_link, t=t or translator("en"))
    # On a right-to-left page a card takes the direction of its own letters, as the
    # dashboard's details do: an English card's runs are not reordered.
    if t is not None and t.direction == "rtl":
        html = f'<div dir="auto">\n{html}\n</div>'
    return f'<li><article id="event-{escape(card.id)}">\n{html}\n{nav}</article></li>'


def _narration(step: Step) -> str:
    """Return a step's narration as a paragraph marked with its language, or nothing."""
    if not step.narration:
        return ""
    return f"<p{lang_attributes(step.narration_lang)}>{escape(step.narration)}</p>"


def _story_section(view: View, t: Translator) -> str:
    """Return the view's authored story (`story=`) as sections in the author's order, each
    with the narration, a link to the event's entry, and previous and next; or nothing."""
    if not view.state.story:
        return ""
    told = view_steps(view)
    title = told[0]
    # The story's title in the reader's language where translated, marked with its language.
    lang = lang_attributes(title.headline_lang)
    named = t.isolate(escape(title.headline))
    named = f"<span{lang}>{named}</span>" if lang else named
    heading = t.gettext("Story: {title}", title=named)
    parts = [
        '<section id="story" aria-labelledby="story-heading">',
        f'<h2 id="story-heading">{heading}</h2>',
        _narration(title),
        _nav(True, told, title, _step_anchor, t),
        '<ol class="story">',
    ]
    for step in told[1:]:
        narration = _narration(step)
        href = _event_anchor(step)
        parts.append(
            f'<li><section class="step" id="step-{step.position}">'
            f'<h3{lang_attributes(step.headline_lang)}><a href="{href}">'
            f"{escape(step.headline)}</a></h3>{narration}"
            f"{_nav(True, told, step, _step_anchor, t)}</section></li>"
        )
    parts.append("</ol>\n</section>\n")
    return "\n".join(p for p in parts if p)


_STYLE = """
:root { color-scheme: light; --muted: #555; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a;
  background: #fff; margin: 0 auto; max-width: 72rem; padding: 1rem 1.25rem 3rem; }
h1 { font-size: 1.9rem; margin: .5rem 0 .25rem; }
header p { margin: .25rem 0; }
.muted, footer { color: var(--muted); }
/* Time runs left to right in every language; plotly.js measures its labels in its tester. */
#chart { width: 100%; min-height: 260px; direction: ltr; }
#js-plotly-tester { direction: ltr; }
ol.events { list-style: none; padding: 0; }
ol.events > li { border-top: 1px solid #ddd; padding: .75rem 0; }
ol.events h3 { font-size: 1.15rem; }
article:target, section.step:target { background: #fff6d6; outline: 2px solid #e6b800;
  outline-offset: 4px; }
nav.step { margin-top: .5rem; font-size: .95rem; }
ol.story { padding-left: 0; list-style: none; }
ol.story > li { border-top: 1px solid #ddd; padding: .5rem 0; }
a { color: #0b5cad; }
"""

_SCRIPT = """
(function () {
  var holder = document.getElementById("chart");
  var data = document.getElementById("chart-data");
  if (!holder || !data || !window.Plotly) return;
  var figure = JSON.parse(data.textContent);
  var config = {displayModeBar: false, responsive: true, scrollZoom: false};
  Plotly.newPlot(holder, figure.data, figure.layout, config).then(function () {
    holder.setAttribute("data-drawn", "true");
  });
  // A click on a marker goes to the event (the first of a group) in the list below.
  holder.on("plotly_click", function (event) {
    var point = event.points && event.points[0];
    var id = point && point.customdata;
    if (Array.isArray(id)) id = id[0];
    if (typeof id !== "string") return;
    var entry = document.getElementById("event-" + id);
    if (entry) { location.hash = "event-" + id; entry.scrollIntoView({block: "start"}); }
  });
})();
"""


def _too_many_marks(view: View, figures: FigureKit) -> bool:
    """Say whether the view's events take more markers (one per event and lane) than a chart
    draws, each with its hover."""
    return view.index.of(view.state.lanes).marks(view.mask) > figures.MAX_MARKS


def chart_json(view: View, figures: FigureKit) -> str | None:
    """Return the view's timeline as Plotly JSON, or None when too many events to draw."""
    shown = view.shown
    if shown.empty or len(shown) > figures.MAX_MARKERS or _too_many_marks(view, figures):
        return None
    state, t = view.state, words_of(view)
    if t.lang != "en":  # dates and, where the file translates them, titles in the language
        shown = translated(shown, t.lang).assign(date_label=dates_in(shown, t))
    fig = figures.timeline_figure(
        shown, view.data.people, layout=view.layout, open_event=state.event,
        kinds=view.catalog.kinds, window=(state.date_from, state.date_to),
        words=None if t.lang == "en" else t,
    )  # fmt: skip
    fig = figures.add_timeline_periods(fig, view.data.periods, t)
    return figures.in_language(fig, t).to_json()


def static_page(
    view: View,
    figures: FigureKit,
    *,
    exported: dt.date,
    base_url: str | None = None,
) -> str:
    """Return a view as one self-contained HTML page that opens from disk with no network.

    In the view's language (`state.lang`): its words, dates and numbers, and its direction.
    ExportError when it would pass the export bound (`view.MAX_EXPORT_BYTES`): each card
    names its people and sources, counted as the page is written.
    """
    return bounded_text(
        page_chunks(view, figures, exported=exported, base_url=base_url), "The static page"
    )


def _header(view: View, t: Translator, *, exported: dt.date, base_url: str | None) -> str:
    """Return the page's header: the title, the description, the filters, count and date."""
    data, shown = view.data, view.shown
    shown_head = heading(data, t.lang)  # the reader's language where the file translates it
    # On a right-to-left page the file's own text takes the direction of its own letters.
    auto = ' dir="auto"' if t.direction == "rtl" else ""
    title_lang = lang_attributes(shown_head.title_lang) or auto
    head = [f"<h1{title_lang}>{escape(shown_head.title)}</h1>"]
    if shown_head.description:
        lang = lang_attributes(shown_head.description_lang) or auto
        head.append(f"<p{lang}>{escape(shown_head.description)}</p>")
    if (source := shown_head.source) is not None:  # a translated heading says whose it is
        cited = escape(source.title)
        if source.url:  # http(s) only (schema.web_address), checked again by the card
            cited = f'<a href="{escape(source.url)}" rel="noopener noreferrer">{cited}</a>'
        head.append(f"<p class='muted'>{escape(t.gettext('Translation'))}: {cited}</p>")
    head.append(f"<p class='muted'>{escape(filters_in_words(view, t))}</p>")
    total = len(data.events)
    count = t.ngettext("{shown} of {total} event", "{shown} of {total} events", total,
                       shown=t.number(len(shown)), total=t.number(total))  # fmt: skip
    when = t.date(PartialDate(exported, "day"))
    line = f"<b>{count}</b> · " + escape(t.gettext("exported on {date}", date=when))
    if base_url:
        href = escape(share_link(base_url, view.link_state))
        live = escape(t.gettext("open this view in the live dashboard"))
        line += f' · <a href="{href}">{live}</a>'
    head.append(f"<p class='muted'>{line}</p>")
    if not shown.empty:
        start = "#story" if view.state.story else _event_anchor(view_steps(view, False)[1])
        story = escape(t.gettext("Read it as a story, one event at a time"))
        head.append(f'<p><a href="{start}">{story}</a></p>')
    return "\n".join(head)


def _chart(view: View, figures: FigureKit, t: Translator) -> str:
    """Return the chart's section: the figure and the scripts that draw it, or why there is none."""
    shown, n = view.shown, len(view.shown)
    figure = chart_json(view, figures)
    if figure is not None:
        lanes = t.ngettext("{number} lane", "{number} lanes", len(view.layout.lanes),
                           number=t.number(len(view.layout.lanes)))  # fmt: skip
        alt = t.ngettext("Timeline of {number} event on {lanes}; the list below holds them all",
                         "Timeline of {number} events on {lanes}; the list below holds them all",
                         n, number=t.number(n), lanes=lanes)  # fmt: skip
        needs = t.gettext("The chart needs JavaScript; every event is listed below.")
        return (
            f'<div id="chart" role="img" aria-label="{escape(alt)}"></div>\n'
            f'<noscript><p class="muted">{escape(needs)}</p></noscript>\n'
            f'<script type="application/json" id="chart-data">{safe_json_text(figure)}</script>\n'
            f"<script>{inline_script(plotly_bundle())}</script>\n"
            f"<script>{_SCRIPT}</script>"
        )
    if shown.empty:
        none = t.gettext("No event matches these filters.")
        return f"<p>{escape(none)}</p>"
    if n > figures.MAX_MARKERS:
        words = t.ngettext(
            "{number} event is too many to draw one by one: the list below holds them all. "
            "Narrow the view to {most} events or fewer for the chart.",
            "{number} events are too many to draw one by one: the list below holds them all. "
            "Narrow the view to {most} events or fewer for the chart.",
            n, number=t.number(n), most=t.number(figures.MAX_MARKERS),
        )  # fmt: skip
        return f"<p>{escape(words)}</p>"
    words = t.ngettext(
        "This {number} event sits on so many lanes that it would take over {most} markers to "
        "draw: the list below holds it. Narrow the view to fewer events or lanes for the chart.",
        "These {number} events sit on so many lanes that they would take over {most} markers to "
        "draw: the list below holds them all. Narrow the view to fewer events or lanes for "
        "the chart.",
        n, number=t.number(n), most=t.number(figures.MAX_MARKS),
    )  # fmt: skip
    return f"<p>{escape(words)}</p>"


# The page's frame: its language and direction, its headings and footer in that language.
_TOP = """<!doctype html>
<html lang="{lang}"{direction}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{style}</style>
</head>
<body>
<header id="top">
{header}
</header>
<main>
<section aria-label="{chart_label}">
{chart}
</section>
{story}<section aria-labelledby="events-heading">
<h2 id="events-heading">{events}</h2>
<ol class="events">
"""
_BOTTOM = """</ol>
</section>
</main>
<footer><p>{footer}</p></footer>
</body>
</html>
"""


def _top(view: View, figures: FigureKit, t: Translator, exported: dt.date,
         base_url: str | None) -> str:  # fmt: skip
    """Return the page up to its list of events, in the view's language and direction."""
    # The parts are made first, then put in the frame: no data text is read as a format.
    return _TOP.format(
        lang=t.lang,  # one of the fixed codes (state.LANGS), never text from a link
        direction=' dir="rtl"' if t.direction == "rtl" else "",
        title=escape(heading(view.data, t.lang).title),
        style=_STYLE,
        header=_header(view, t, exported=exported, base_url=base_url),
        chart_label=escape(t.gettext("Chart")),
        chart=_chart(view, figures, t),
        story=_story_section(view, t),
        events=escape(t.gettext("Events")),
    )


def _bottom(t: Translator) -> str:
    footer = t.gettext(
        "A static copy of a view of the timeline dashboard. Chart drawn with plotly.js (MIT "
        "licence), inlined in this file."
    )
    return _BOTTOM.format(footer=escape(footer))


def page_chunks(
    view: View,
    figures: FigureKit,
    *,
    exported: dt.date,
    base_url: str | None = None,
) -> Iterator[str]:
    """Yield the static page in pieces: the head and chart, then the events a batch at a time."""
    data, shown, t = view.data, view.shown, words_of(view)
    yield _top(view, figures, t, exported, base_url)
    names = Names(data.people, data.sources)
    # The events in the story's order (date, time of day, the file's), each with its step.
    told = view_steps(view, authored=False)
    if not shown.empty:
        shown = shown.set_index("id", drop=False).loc[[s.event_id for s in told[1:]]]
    for at in range(0, len(shown), BATCH):
        rows = shown.iloc[at : at + BATCH].to_dict("records")
        yield "".join(
            _entry(in_language(event_card(row, data, names, lang=t.lang), data, t),
                   _nav(False, told, step, _event_anchor, t), t) + "\n"
            for row, step in zip(rows, told[1 + at : 1 + at + BATCH], strict=True)
        )  # fmt: skip
    yield _bottom(t)
