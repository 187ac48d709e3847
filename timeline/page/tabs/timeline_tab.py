"""The timeline tab: its events as a list and as a chart, or a density chart when too many."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ...figures import (
    MAX_MARKERS,
    MAX_MARKS,
    add_timeline_periods,
    density_figure,
    timeline_figure,
)
from ...figures.style import CONFIG
from ...i18n import N_
from ...lanes import LANE_WORDS, LANES, LaneLayout
from ...names import LISTED, NAME_LIMIT, TITLE_LIMIT, Names, more
from ...session import clicked_event, clicked_group
from ...state import LaneKind
from ...text import escape, markdown_text, shorten
from .. import language
from ..selection import Selection
from ..width import chart_width
from ..zoom import render_zoom
from .base import Tab

MAX_LISTED = 300  # entries in the chart's text alternative; the table and the list hold all


def _open(event: str) -> None:
    st.session_state["event"] = event


def _open_from_chart() -> None:
    points = st.session_state["chart"]["selection"]["points"]
    group = clicked_group(points)
    if group:
        st.session_state["group"] = group  # listed in the side panel, each entry opens
    event = clicked_event(points)
    if event is not None:
        st.session_state["event"] = event
        st.session_state["group"] = []


def _no_match_hint(selection: Selection) -> str:
    state, t = selection.state, language.current()
    chosen = {t.gettext(spec.title).lower(): getattr(state, spec.field) for spec in LANES.values()}
    if state.match == "all" and sum(map(len, chosen.values())) > 1:
        what = [word for word, values in chosen.items() if values]
        anyone = t.gettext("any of them")
        if len(what) == 1:
            return t.gettext("These {what} never take part in one event together here; "
                             "try '{anyone}'", what=what[0], anyone=anyone)  # fmt: skip
        return t.gettext("These choices never take part in one event together here; "
                         "try '{anyone}'", anyone=anyone)  # fmt: skip
    if state.leaders:
        return t.gettext("Widen the dates, clear the search or choose other kinds (choosing a "
                         "leader hides the events that name none)")  # fmt: skip
    return t.gettext("Widen the dates, clear the search or choose other kinds")


def entry(row: pd.Series, people: dict) -> str:
    """Return one event as a line of the list: date, title and who took part, as Markdown."""
    # Cut as the table cuts them (timeline.names): an entry is bounded by its event.
    who = Names(people).listing(row["leaders"])
    countries = list(row["countries"])
    states = ", ".join(shorten(c, NAME_LIMIT) for c in countries[:LISTED])
    with_ = "; ".join(part for part in (who, states + more(len(countries) - LISTED)) if part)
    title = shorten(row["title"], TITLE_LIMIT)
    if language.current().direction == "ltr":
        return markdown_text(f"{language.when(row)}: {title}" + (f" ({with_})" if with_ else ""))
    # Right to left: the data's text isolated (after cleaning, which drops any bidi control
    # the file holds), so that a Latin title keeps its own order among Persian words.
    isolate = language.current().isolate
    line = f"{markdown_text(language.when(row))}\\: {isolate(markdown_text(title))}"
    return line + (f" \\({isolate(markdown_text(with_))}\\)" if with_ else "")


def _as_list(shown: pd.DataFrame, layout: LaneLayout, people: dict, lanes: LaneKind) -> None:
    """Show the chart's text alternative: its events by lane, each a button that opens it."""
    t, word = language.current(), LANE_WORDS[lanes].lower()[:-1]
    label = t.ngettext("The chart as a list: {count} event by {lane}",
                       "The chart as a list: {count} events by {lane}", len(shown),
                       lane=t.gettext(word))  # fmt: skip
    with st.expander(label):
        listed = 0
        for lane, events in zip(layout.lanes, layout.by_lane(), strict=True):
            if listed >= MAX_LISTED:
                st.markdown(t.gettext("The first {count} entries are listed; the table holds all.",
                                      count=t.count(MAX_LISTED)))  # fmt: skip
                break
            # A heading per lane, for screen readers' heading navigation; the page's h1 is
            # the title, so these are h2, sized as body text.
            label = escape(language.lane_word(lane.label))
            st.html(f"<h2 style='font-size:1rem;margin:.75rem 0 0'>{label}</h2>")
            for at in events[: MAX_LISTED - listed]:
                row = shown.iloc[int(at)]
                st.button(entry(row, people), key=f"list-{lane.key}-{row['id']}",
                          on_click=_open, args=(row["id"],), type="tertiary")  # fmt: skip
                listed += 1


def render(selection: Selection) -> None:
    """Draw the timeline of the selection, with its text alternative before it."""
    loaded, state, shown = selection.loaded, selection.state, selection.shown
    data = loaded.data
    t = language.current()
    if shown.empty:
        st.info(t.gettext("No event matches these filters. {hint}, or reset the filters.",
                          hint=_no_match_hint(selection)), icon="🔎")  # fmt: skip
    elif (
        len(shown) > MAX_MARKERS
        or (marks := selection.membership.marks(selection.mask)) > MAX_MARKS
    ):
        # Each marker is sent with its hover: as many as a message holds (figures.hover).
        numbers = {"count": t.number(len(shown)), "most": t.number(MAX_MARKERS)}
        if len(shown) <= MAX_MARKERS:
            too_many = t.gettext(
                "These {count} events take {marks} markers (one per lane), which are too many "
                "to draw one by one, so the chart shows how many fall in each period. Narrow "
                "the leaders, kinds, dates or search to {most} events or fewer to see each "
                "event and its quotes.", marks=t.number(marks), **numbers)  # fmt: skip
        else:
            too_many = t.gettext(
                "{count} events are too many to draw one by one, so the chart shows how many "
                "fall in each period. Narrow the leaders, kinds, dates or search to {most} "
                "events or fewer to see each event and its quotes.", **numbers)  # fmt: skip
        st.info(too_many, icon="🔭")
        figure = density_figure(
            data.events, selection.mask, selection.membership, data.people, state.order, t
        )
        st.plotly_chart(figure, key="density", config=CONFIG,
                        alt=t.gettext("Heatmap of {count} events per period and lane",
                                      count=t.number(len(shown))))  # fmt: skip
    else:
        layout = selection.membership.layout(selection.mask, data.people, state.order)
        _as_list(shown, layout, data.people, state.lanes)
        figure = timeline_figure(
            language.with_dates(shown), data.people, layout=layout, open_event=state.event,
            kinds=loaded.catalog.kinds, hovers=language.hovers_for(loaded.hovers, data.people),
            window=state.window, width=chart_width(),
        )  # fmt: skip
        add_timeline_periods(figure, data.periods, language.current())
        language.name_legend(language.name_ticks(figure, chart_width()))
        st.plotly_chart(
            figure, key="chart", on_select=_open_from_chart, selection_mode="points",
            config={**CONFIG, "scrollZoom": False},
            alt=language.current().ngettext(
                "Timeline of {count} events on {lanes} lanes; the list above it holds the "
                "same events as text",
                "Timeline of {count} events on {lanes} lanes; the list above it holds the "
                "same events as text",
                len(shown), lanes=language.current().count(len(layout.lanes)),
            ),
        )  # fmt: skip
        render_zoom(selection)  # under the time axis it zooms


TAB = Tab(
    name="timeline",
    label=N_("Timeline"),
    caption=N_(
        "One lane per leader, state or tag; an event is a marker on each of its lanes, "
        "joined by a line. A numbered marker holds events of one day (or too close to tell "
        "apart): click or tap it to list them beside the chart. Hover for quotes, click to open."
    ),
    render=render,
)
