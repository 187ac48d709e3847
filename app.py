"""The dashboard page: `streamlit run app.py [-- --events FILE]`."""

import os
import sys
from pathlib import Path

import pandas as pd
import streamlit as st

from timeline import DataError
from timeline.analysis import meetings, tempo
from timeline.chart import (
    MAX_MARKERS,
    add_timeline_periods,
    build_figure,
    density_figure,
    matrix_figure,
    person_label,
    tempo_figure,
)
from timeline.errors import as_data_error
from timeline.files import choose_events_path, load_cached, stamp
from timeline.filters import Index, catalog_for, filter_mask
from timeline.query import FilterState, clamp, decode, encode, share_link
from timeline.text import clean, escape
from timeline.views import details_html, table_frame, to_csv, to_json

st.set_page_config(page_title="Timeline", page_icon="🗓️", layout="wide")

PATH = choose_events_path(sys.argv[1:], dict(os.environ), Path(__file__).parent)
MAX_ROWS = 1000  # rows in the table and choices in the event list; downloads hold all
TABS = {"timeline": "Timeline", "matrix": "Who met whom", "tempo": "Tempo", "table": "Table"}
VIEW_OF = {label: view for view, label in TABS.items()}


@st.cache_resource(show_spinner="Reading the data file...", max_entries=4)
def load(path: str, version: tuple[int, ...]):
    """Parse the file once per path and version (files.stamp), shared read-only by every viewer.

    A failure is returned as a DataError, not raised, so that it too happens only once.
    """
    try:
        data = load_cached(path)
    except Exception as err:
        return as_data_error(err, path)
    index = Index.build(data.events)
    names = data.events["date_label"] + " · " + data.events["title"]
    labels = pd.Series(names.array, index=data.events["id"])
    return data, index, catalog_for(data, index), labels, {}  # {}: hover texts, filled on use


@st.cache_resource
def last_good() -> dict[str, tuple]:
    """The last version of each file that loaded, to keep on screen while it is broken."""
    return {}


def problem_lines(error: DataError, most: int) -> str:
    """Return an error's first problems as FILE:LINE:COL lines, naming the file, not its path."""
    lines = [p.format(PATH.name) for p in error.problems[:most]]
    if error.total > most:
        lines.append(f"... and {error.total - most:,} more")
    return "\n".join(lines)


loaded = load(str(PATH), stamp(PATH))
broken = loaded if isinstance(loaded, DataError) else None
if broken is None:
    last_good()[str(PATH)] = loaded
elif str(PATH) in last_good():
    loaded = last_good()[str(PATH)]  # an editor saved a mistake: keep the last good view
else:
    st.error(f"The data file {PATH.name} has {broken.total:,} error(s); fix them and reload.")
    st.code(problem_lines(broken, 20), language=None, wrap_lines=True)
    st.stop()
data, index, catalog, names, hovers = loaded
events = data.events
people = data.people
st.set_page_config(page_title=clean(data.title))


def defaults() -> dict:
    """Return every filter widget's value for the unfiltered view."""
    dates = (catalog.first, catalog.last) if catalog.first else ()
    return {
        "leader": [], "match": "any", "kind": [], "dates": dates, "q": "", "event": None,
        "view": TABS["timeline"],
    }  # fmt: skip


def seed_from_url() -> None:
    """On a session's first run, set the widgets from the URL and note what was ignored."""
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    decoded = decode(params, catalog)
    s = decoded.state
    values = defaults()
    values.update(leader=list(s.leaders), match=s.match, kind=list(s.kinds), q=s.q, event=s.event)
    values["view"] = TABS[s.view]
    if catalog.first:
        values["dates"] = (s.date_from or catalog.first, s.date_to or catalog.last)
    st.session_state.update(values)
    st.session_state["notices"] = decoded.notices


def reset() -> None:
    view = st.session_state["view"]  # resetting the filters keeps the open tab
    st.session_state.update(defaults(), view=view)


def open_from_chart() -> None:
    points = st.session_state["chart"]["selection"]["points"]
    ids = [p["customdata"] for p in points if p.get("customdata")]
    if ids:
        st.session_state["event"] = ids[0]


def narrow_to_pair() -> None:
    points = st.session_state["matrix"]["selection"]["points"]
    pairs = [p["customdata"].split("|") for p in points if p.get("customdata")]
    if pairs:
        a, b = pairs[0]
        st.session_state.update(
            leader=[a] if a == b else [a, b], match="all", event=None, view=TABS["timeline"]
        )


def open_from_table() -> None:
    rows = st.session_state["table"]["selection"]["rows"]
    shown = st.session_state.get("table_ids", [])
    if rows and rows[0] < len(shown):
        st.session_state["event"] = shown[rows[0]]


def keep_valid() -> None:
    """Drop chosen values that the data no longer has: the file may change under a viewer."""
    state = st.session_state
    for key, valid in (("leader", catalog.leaders), ("kind", catalog.kinds)):
        kept = [v for v in state[key] if v in valid]
        if kept != state[key]:
            state[key] = kept
    if state["event"] is not None and state["event"] not in catalog.events:
        state["event"] = None
    span = (catalog.first, catalog.last)
    # The file changed its date range: a view of all dates stays a view of all dates.
    moved = catalog.first and state.get("span") not in (None, span)
    if moved and tuple(state.get("dates") or ()) == state["span"]:
        state["dates"] = span
    state["span"] = span
    if catalog.first:
        dates = state.get("dates") or ()
        clamped = tuple(min(max(d, catalog.first), catalog.last) for d in dates)
        if not clamped or (len(clamped) == 2 and clamped[0] > clamped[1]):
            clamped = (catalog.first, catalog.last)  # (one date: a range half chosen)
        if clamped != tuple(dates):
            state["dates"] = clamped


if "notices" not in st.session_state:
    seed_from_url()
keep_valid()

# Sidebar: the filters.
with st.sidebar:
    st.header("Filters")
    st.multiselect(
        "Leaders",
        catalog.leaders,
        key="leader",
        format_func=lambda pid: clean(person_label(people[pid])),
        placeholder="All leaders",
        help="Events with no named leader (a deal, a report) show only while no leader is chosen.",
    )
    st.radio(
        "Events with",
        ("any", "all"),
        key="match",
        horizontal=True,
        format_func=lambda m: {"any": "any of them", "all": "all of them"}[m],
        help="'all of them' answers: when did these leaders meet?",
    )
    st.multiselect("Kinds", catalog.kinds, key="kind", placeholder="All kinds")
    if catalog.first:
        st.date_input(
            "Dates",
            key="dates",
            min_value=catalog.first,
            max_value=catalog.last,
            format="YYYY-MM-DD",
        )
    st.text_input("Search", key="q", placeholder="Titles, summaries, quotes")
    st.button("Reset filters", on_click=reset, width="stretch")

dates = (st.session_state.get("dates") or ()) if catalog.first else ()
state = clamp(
    FilterState(
        leaders=tuple(st.session_state["leader"]),
        match=st.session_state["match"],
        kinds=tuple(st.session_state["kind"]),
        date_from=dates[0] if len(dates) > 0 else None,
        date_to=dates[1] if len(dates) > 1 else None,
        q=" ".join(st.session_state["q"].split()),
        event=st.session_state["event"],
        view=VIEW_OF.get(st.session_state["view"], "timeline"),
    ),
    catalog,
)
mask = filter_mask(events, state, index)
shown = events[mask]

# Keep the URL in step with the view, so that it can be shared at any moment.
wanted = encode(state)
if {k: st.query_params.get_all(k) for k in st.query_params} != wanted:
    st.query_params.from_dict(wanted)

# The page: heading, notices, chart, details, table.
heading = f"<h1 style='margin-bottom:0'>{escape(data.title)}</h1>"
if data.description:
    heading += f"<p style='opacity:.8'>{escape(data.description)}</p>"
st.html(heading)

if broken is not None:
    st.warning(
        f"The data file {PATH.name} was saved with {broken.total:,} error(s), so this "
        "page shows its last good version. Fix the file and interact with the page to load it.",
        icon="⚠️",
    )
    st.code(problem_lines(broken, 5), language=None, wrap_lines=True)

if st.session_state["notices"]:
    with st.container(border=True):
        st.warning("Some parts of this link were ignored or changed:", icon="⚠️")
        # As plain text: nothing from a link becomes a link or Markdown in the page.
        st.code("\n".join(clean(n) for n in st.session_state["notices"]), language=None,
                wrap_lines=True)  # fmt: skip
        if st.button("Dismiss", key="dismiss"):
            st.session_state["notices"] = []
            st.rerun()

st.markdown(f"**{len(shown)} of {len(events)} events**")

timeline_tab, matrix_tab, tempo_tab, table_tab = st.tabs(
    list(TABS.values()), key="view", on_change="rerun"
)

with timeline_tab:
    st.caption(
        "One lane per leader; an event is a marker on the lane of everyone taking part, "
        "joined by a line. Events of one day that would cover each other sit a little apart; "
        "the hover gives the exact date. Hover for quotes, click to open."
    )
    if shown.empty:
        hint = "Widen the dates, clear the search or choose other kinds"
        if state.match == "all" and len(state.leaders) > 1:
            hint = "These leaders never take part in one event together here; try 'any of them'"
        st.info(f"No event matches these filters. {hint}, or reset the filters.", icon="🔎")
    elif len(shown) > MAX_MARKERS:
        st.info(
            f"{len(shown):,} events are too many to draw one by one, so the chart shows how "
            f"many fall in each period. Narrow the leaders, kinds, dates or search to "
            f"{MAX_MARKERS:,} events or fewer to see each event and its quotes.",
            icon="🔭",
        )
        st.plotly_chart(density_figure(events, mask, people, index), key="density")
    else:
        figure = build_figure(
            shown, people, state.event, kinds=list(catalog.kinds), hovers=hovers,
            window=(state.date_from, state.date_to),
        )  # fmt: skip
        add_timeline_periods(figure, data.periods)
        st.plotly_chart(
            figure,
            key="chart",
            on_select=open_from_chart,
            selection_mode="points",
            config={"displaylogo": False, "scrollZoom": False},
        )

# The analyses run only while their tab is open: on a large file they take a moment.
with matrix_tab:
    st.caption(
        "How many of these events each pair of leaders took part in together (the diagonal: "
        "each leader's own). Click a cell to see those meetings on the timeline."
    )
    if matrix_tab.open:
        pairs = meetings(shown, people)
        if len(pairs.leaders):
            st.plotly_chart(
                matrix_figure(pairs, people),
                key="matrix",
                on_select=narrow_to_pair,
                selection_mode="points",
                config={"displaylogo": False},
            )
        else:
            st.info("None of these events has a named leader.", icon="🔎")

with tempo_tab:
    st.caption(
        "Events per period, by kind: how the pace changed. A date known only to the year is "
        "drawn across its whole year, never as one month's bar."
    )
    if tempo_tab.open:
        if shown.empty:
            st.info("No event matches these filters.", icon="🔎")
        else:
            pace = tempo(shown)
            st.plotly_chart(
                tempo_figure(pace, list(catalog.kinds), data.periods),
                key="tempo",
                config={"displaylogo": False},
            )

with table_tab:
    st.caption("The matching events; pick a row to open it. The downloads hold every match.")
    table = table_frame(shown[:MAX_ROWS], people)
    if len(shown) > MAX_ROWS:
        st.caption(f"The first {MAX_ROWS:,} of {len(shown):,} events; the downloads hold them all.")
    st.session_state["table_ids"] = list(table["id"])
    st.dataframe(
        table,
        key="table",
        on_select=open_from_table,
        selection_mode="single-row",
        hide_index=True,
        width="stretch",
    )
    left, right, _ = st.columns([1, 1, 4])
    # The files are written only when asked for: a large selection would slow every rerun.
    left.download_button(
        "Download CSV", lambda: to_csv(shown, people), "events.csv", "text/csv", width="stretch"
    )
    right.download_button(
        "Download JSON", lambda: to_json(shown), "events.json", "application/json", width="stretch"
    )

# Details of the open event.
st.subheader("Event details")
options = list(shown["id"][:MAX_ROWS])
if state.event and state.event not in options:
    options.append(state.event)  # opened by link, though outside the filters or the list
st.selectbox(
    "Open an event",
    options,
    key="event",
    format_func=lambda eid: clean(names[eid]),
    placeholder="Click a marker, pick a row in the table, or choose here",
)
if state.event:
    at = names.index.get_loc(state.event)  # `names` is indexed by id in the events' order
    row = events.iloc[at]
    if not mask[at]:
        st.caption("This event is outside the current filters.")
    with st.container(border=True):
        st.html(details_html(row, data))

st.caption("Share this view: the link holds the filters, the open tab and the open event.")
st.code(share_link(st.context.url or "", state), language=None, wrap_lines=True)
