"""The page's parts besides the sidebar and the tabs: state, heading, notices, details, link."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pandas as pd
import streamlit as st

from ..card import translated
from ..errors import DataError
from ..exporters.embed import HEIGHT_MESSAGE
from ..query import notice_in, read_query, share_link, write_query
from ..session import reconcile, seed, state_of
from ..text import clean, escape
from ..views import details_html
from . import language, widgets, width, zoom
from .loading import Loaded, problem_lines
from .note import note
from .selection import Selection
from .tabs import LABELS, TABS
from .tabs.table_tab import MAX_ROWS
from .tabs.timeline_tab import entry

TITLE_SIZE = "font-size:clamp(1.75rem,1.2rem + 2vw,2.5rem);line-height:1.2"
# The details' drawer on a desktop: the chart moves over beside it and stays whole. A phone's
# screen is narrower than this, and the drawer fills it.
PANEL_PX = 440
WIDE_PX = 1024  # from here the page makes room for the drawer instead of lying under it


def _query() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params}


def select(loaded: Loaded) -> Selection:
    """Seed the widgets from the URL on a session's first run, fit them to the file, filter."""
    catalog = loaded.catalog
    if "notices" not in st.session_state:
        decoded = read_query(_query(), catalog)
        # No valid lang= in the link: the browser's language when it is one of ours.
        lang = language.browser_lang(st.query_params.get_all("lang"))
        decoded.state = dataclasses.replace(decoded.state, lang=lang)
        widgets.write(seed(decoded, catalog))
        st.session_state["notices"] = decoded.notices
    _apply_wanted_event()
    widgets.write({"view": widgets.read()["view"]})  # its label in the language chosen now
    widgets.write(reconcile(widgets.read(), catalog, st.session_state.get("span")))
    state = state_of(widgets.read(), catalog)
    # Keep the URL in step with the view, so that it can be shared at any moment.
    wanted = write_query(state)
    if _query() != wanted:
        st.query_params.from_dict(wanted)
    return Selection.of_loaded(loaded, state, tuple(st.session_state["notices"]))


def heading(selection: Selection, path: Path, broken: DataError | None) -> None:
    """Show the title, a warning while the file is broken, the link's notices and the count."""
    data, t = selection.loaded.data, language.current()
    # The title and description in the reader's language where the file translates them.
    shown_heading = language.heading_of(data)
    st.set_page_config(page_title=clean(shown_heading.title))
    # The page's largest heading at every width (the details' title is 1.5rem, the rest
    # smaller), grown on a wide screen.
    st.html(language.heading_html(shown_heading, TITLE_SIZE))
    if broken is not None:
        st.warning(
            t.ngettext(
                "The data file {name} was saved with {errors} error(s), so this page shows its "
                "last good version. Fix the file and interact with the page to load it.",
                "The data file {name} was saved with {errors} error(s), so this page shows its "
                "last good version. Fix the file and interact with the page to load it.",
                broken.total, name=path.name, errors=t.number(broken.total),
            ),
            icon="⚠️",
        )  # fmt: skip
        language.problems(problem_lines(broken, path.name, 5))
    if selection.notices:
        with st.container(border=True, key=language.LINK_NOTICES_KEY):
            st.warning(t.gettext("Some parts of this link were ignored or changed:"), icon="⚠️")
            # As plain text: nothing from a link becomes a link or Markdown in the page.
            st.code("\n".join(clean(notice_in(n, t)) for n in selection.notices), language=None,
                    wrap_lines=True)  # fmt: skip
            if st.button(t.gettext("Dismiss"), key="dismiss"):
                st.session_state["notices"] = []
                st.rerun()
    # TRANSLATORS: English says "events" after any total ("1 of 1 events"), as it always has.
    shown = t.ngettext("{shown} of {count} events", "{shown} of {count} events",
                       selection.loaded.total, shown=t.count(selection.matches))  # fmt: skip
    st.markdown(f"**{shown}**")


# Plotly takes a finger on the chart for itself: it holds the page still (no scrolling
# across the chart) and, having seen no mouse move, treats the first tap as a hover only.
# Keeping touches from reaching Plotly hands them back to the browser, which scrolls on a
# drag and turns a tap into the mouse move and click that Plotly reads as a click.
_TOUCH_AS_BROWSER = """<script>
(() => {
  if (window.__timelineTouch) return;
  window.__timelineTouch = true;
  document.addEventListener("touchstart", (event) => {
    if (event.target.closest && event.target.closest(".js-plotly-plot .nsewdrag")) {
      event.stopPropagation();
    }
  }, {capture: true, passive: true});
})();
</script>"""


# Plotly's tooltip is for a pointer that hovers. On a touch screen a tap would leave one over
# three lanes, and the tap already opens the event or lists the marker's events; with the
# side panel open, the tooltip of the marker just clicked would stay beside the list. On a
# wide screen the page's main column makes room for the panel, so the chart is redrawn
# whole beside it rather than covered. A slider's values (the zoom's dates) are in the
# theme's primary colour, 3.9:1 on the dark theme's background: they take the body's.
_PAGE_STYLE = f"""<style>
@media (hover: none) {{ .js-plotly-plot .hoverlayer {{ display: none !important; }} }}
body:has([data-testid="stDialog"]) .js-plotly-plot .hoverlayer {{ display: none; }}
[data-testid="stSliderThumbValue"], [data-testid="stSliderThumbValue"] p {{
  color: inherit !important;
}}
@media (min-width: {WIDE_PX}px) {{
  body:has([data-testid="stDialog"]) [data-testid="stMain"] {{ padding-right: {PANEL_PX}px; }}
}}
</style>"""


# Framed in an article (the embed snippet), the page tells the article how tall its content
# is whenever that changes, and the snippet's script sizes the frame to it: no view is cut
# at the frame's foot on a phone. Only a number goes out; nothing comes in.
_REPORT_HEIGHT = f"""<script>
(() => {{
  if (window.parent === window || window.__timelineHeight) return;
  window.__timelineHeight = true;
  let sent = 0;
  const post = () => {{
    const block = document.querySelector('[data-testid="stMainBlockContainer"]');
    if (!block) return;
    const height = Math.ceil(block.getBoundingClientRect().height);
    if (Math.abs(height - sent) < 2) return;
    sent = height;
    window.parent.postMessage({{type: "{HEIGHT_MESSAGE}", height}}, "*");
  }};
  const watch = () => {{
    const block = document.querySelector('[data-testid="stMainBlockContainer"]');
    if (!block) return setTimeout(watch, 200);
    new ResizeObserver(post).observe(block);
    post();
  }};
  watch();
}})();
</script>"""


def tabs(selection: Selection) -> None:
    """Draw every registered tab; an analysis runs only while its tab is open."""
    with st.container(gap=None):  # two scripts that draw nothing: one gap above, none between
        st.html(_TOUCH_AS_BROWSER, unsafe_allow_javascript=True)  # fixed: no data goes in it
        st.html(_PAGE_STYLE + language.direction_style(language.current()))
        st.html(_REPORT_HEIGHT, unsafe_allow_javascript=True)  # fixed: no data goes in it
        # One of the fixed language codes, never text from the link.
        st.html(language.document_lang(language.current()), unsafe_allow_javascript=True)
        width.measure()  # the timeline groups the markers that would touch at this width
    t = language.current()
    containers = st.tabs([t.gettext(tab.label) for tab in TABS], key="view", on_change="rerun")
    for tab, container in zip(TABS, containers, strict=True):
        with container:
            note(language.current().gettext(tab.caption))
            if not tab.lazy or container.open:
                selection.renderer(tab)(selection)


# A button in the panel reruns only the panel; the event it opens or closes reaches the
# page's "event" field on the next whole run. A run the browser starts first (the width
# report as the panel makes room) would carry the field's old value and undo the reader's
# choice, so the choice is also kept here, outside any widget, until a whole run applies it.
WANTED = "wanted_event"


def _want(event: str | None) -> None:
    st.session_state["event"] = event
    st.session_state[WANTED] = (event,)


def _apply_wanted_event() -> None:
    wanted = st.session_state.pop(WANTED, None)
    if wanted is not None:
        st.session_state["event"] = wanted[0]


def _close() -> None:
    _want(None)
    st.session_state["group"] = []


def _back_to_group() -> None:
    _want(None)  # the marker's list comes back, the group kept


def _open(event: str) -> None:
    _want(event)


def group_of(selection: Selection) -> list[str]:
    """Return the shown events of the numbered marker last clicked, or [] when none is open."""
    wanted = list(st.session_state.get("group") or [])
    if len(wanted) < 2:  # no list open: no set of every shown id (0.05 s a run at 100,000)
        return []
    ids = selection.shown["id"]
    shown = set(ids[ids.isin(wanted)])
    group = [e for e in wanted if e in shown]
    return group if len(group) > 1 else []


def _details(selection: Selection) -> None:
    """Show the open event in full: every quote, the sources, the note."""
    loaded, event, t = selection.loaded, selection.state.event, language.current()
    at = int(loaded.titles.index.get_indexer(pd.Index([event]))[0])  # ids in the events' order
    if not selection.mask[at]:
        outside = t.gettext("This event is outside the current filters.")
        st.markdown(f"*{outside}*")
    row = loaded.data.events.iloc[at].to_dict()
    st.html(language.data_block(details_html(row, loaded.data, t=t)))
    group = group_of(selection)
    if event in group:
        back = t.ngettext("Back to the {count} event of this marker",
                          "Back to the {count} events of this marker", len(group))  # fmt: skip
        st.button(back, key="back-to-group", on_click=_back_to_group)
    st.button(t.gettext("Close these details"), key="close-details", on_click=_close)


def _group(selection: Selection, group: list[str]) -> None:
    """List the events of the numbered marker clicked, each one tap from its details."""
    rows, t = selection.shown.set_index("id").loc[group], language.current()
    days = list(dict.fromkeys(language.when(row) for _, row in rows.iterrows()))
    when = days[0] if len(days) == 1 else t.gettext("{first} to {last}", first=days[0],
                                                    last=days[-1])  # fmt: skip
    head = t.ngettext("{count} event · {when}", "{count} events · {when}", len(group),
                      when=escape(str(when)))  # fmt: skip
    choose = t.gettext("choose one to open it.")
    st.html(f"<p style='margin:0'><b>{head}</b>: {choose}</p>")
    people = selection.loaded.data.people
    for event, row in rows.iterrows():
        st.button(entry(row, people), key=f"group-{event}", on_click=_open, args=(event,),
                  width="stretch")  # fmt: skip
    days = [d.date() for d in (*rows["start"], *rows["last"])]
    st.button(t.gettext("Zoom to these days"), key="zoom-group", icon=":material/zoom_in:",
              on_click=_zoom_to_days, args=(days, selection.loaded.catalog.span),
              help=t.gettext("Show the timeline at these days' own scale"))  # fmt: skip
    st.button(t.gettext("Close this list"), key="close-group", on_click=_close)


def _zoom_to_days(days: list[dt.date], span: tuple[dt.date, dt.date] | None) -> None:
    zoom.open_days(days, span)
    _close()  # the panel goes, the chart shows the zoomed days


def _panel(selection: Selection, showing: str | None) -> None:
    """Show the open event, or the events of the numbered marker clicked."""
    event, group = st.session_state.get("event"), group_of(selection)
    if event != showing or (event is None and not group):
        # A button here reruns only the panel: a rerun of the whole page shows what it
        # chose (an event, the marker's list again) or takes the panel away.
        st.rerun()
    if event is not None:
        _details(selection)
    else:
        _group(selection, group)


# Beside the chart on a desktop (the page makes room for it), over the page on a phone:
# where the reader is looking. A numbered marker's events are listed in the same panel,
# one dialog for both: only one may be called in a run, and a switch between two would
# close the panel.
# Made on each run, so that its title is in the reader's language.
def _panel_dialog(selection: Selection, showing: str | None) -> None:
    title = language.current().gettext("Event details")
    st.dialog(title, width=PANEL_PX, position="right", on_dismiss=_close)(_panel)(
        selection, showing
    )


def details(selection: Selection) -> None:
    """Show the list of events to open, and the open event (or marker's events) in a panel."""
    loaded, state, shown = selection.loaded, selection.state, selection.shown
    t = language.current()
    # An h2 under the page's h1, sized as a subheading; the field's own label says what
    # it holds rather than repeating the heading.
    heading = t.gettext("Open an event")
    st.html(f"<h2 style='font-size:1.25rem;margin:.75rem 0 .25rem'>{heading}</h2>")
    options = list(shown["id"][:MAX_ROWS])
    if state.event and state.event not in options:
        options.append(state.event)  # opened by link, though outside the filters or the list
    titles = loaded.titles.loc[options].map(clean)
    rows = loaded.data.events.iloc[loaded.titles.index.get_indexer(pd.Index(options))]
    reader = translated(rows, t.lang)  # the title in the reader's language where translated
    if t.lang != "en" or reader is not rows:  # the date in the reader's language too
        named = [f"{language.when(row)} · {t.isolate(clean(row['title']))}"
                 for _, row in reader.iterrows()]  # fmt: skip
        titles = pd.Series(named, index=options, dtype=object)
    st.selectbox(
        t.gettext("The events shown, by title"), options, key="event",
        format_func=titles.__getitem__,
        placeholder=t.gettext("Click a marker, pick a row in the table, or choose here"),
    )  # fmt: skip
    # The Story tab shows the open event as its step: no panel over it.
    if (state.event or group_of(selection)) and state.view != "story":
        _panel_dialog(selection, state.event)


def share(selection: Selection) -> None:
    """Show the link that reproduces this view."""
    note(language.current().gettext(
        "Share this view: the link holds the lanes, the filters, the open tab and the open event."
    ))  # fmt: skip
    st.code(share_link(st.context.url or "", selection.state), language=None, wrap_lines=True)


__all__ = ["LABELS", "details", "heading", "select", "share", "tabs"]
