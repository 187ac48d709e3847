import datetime as dt
import re

import pytest

from timeline.query import query_string, read_query, share_link, write_query
from timeline.state import Catalog, FilterState

CATALOG = Catalog(
    leaders=("putin", "raisi", "erdogan"),
    kinds=("meeting", "summit"),
    events=frozenset({"tehran-trilateral-2022", "raisi-moscow-2022-01"}),
    countries=("Iran", "Russia", "Turkey"),
    tags=("drones", "syria"),
    first=dt.date(2022, 1, 1),
    last=dt.date(2022, 7, 31),
)
D = dt.date


@pytest.mark.parametrize(
    ("params", "state"),
    [
        ({}, FilterState()),
        (
            {"leader": ["putin", "erdogan"], "match": ["all"], "event": ["tehran-trilateral-2022"]},
            FilterState(leaders=("putin", "erdogan"), match="all", event="tehran-trilateral-2022"),
        ),
        (
            {"kind": ["summit"], "q": ["  drones   iran "]},
            FilterState(kinds=("summit",), q="drones iran"),
        ),
        (
            {"from": ["2022-06-01"], "to": ["2022-07-19"]},
            FilterState(date_from=D(2022, 6, 1), date_to=D(2022, 7, 19)),
        ),
        # Dates at or beyond the data's own bounds are the default, and leave the URL.
        ({"from": ["2021-01-01"], "to": ["2022-07-31"]}, FilterState()),
        ({"leader": ["putin", "putin"]}, FilterState(leaders=("putin",))),  # repeated once
        (
            {"country": ["Iran", "Russia"], "tag": ["drones"], "match": ["all"]},
            FilterState(countries=("Iran", "Russia"), tags=("drones",), match="all"),
        ),
        ({"lanes": ["country"], "order": ["count"]}, FilterState(lanes="country", order="count")),
        ({"lanes": ["tag"], "order": ["file"]}, FilterState(lanes="tag", order="file")),
        # The defaults leave the URL: lanes=leader and order=first are never written.
        ({"lanes": ["leader"], "order": ["first"]}, FilterState()),
        # A zoom is the axis, apart from the dates that filter: both can be set at once.
        (
            {"zoom_from": ["2022-07-19"], "zoom_to": ["2022-07-19"]},
            FilterState(zoom_from=D(2022, 7, 19), zoom_to=D(2022, 7, 19)),
        ),
        (
            {"from": ["2022-06-01"], "zoom_from": ["2022-07-01"], "zoom_to": ["2022-07-20"]},
            FilterState(date_from=D(2022, 6, 1), zoom_from=D(2022, 7, 1), zoom_to=D(2022, 7, 20)),
        ),
        ({"zoom_to": ["2022-03-01"]}, FilterState(zoom_to=D(2022, 3, 1))),  # open at the start
        # A zoom at or beyond the data's bounds is no zoom at that end, and leaves the URL.
        ({"zoom_from": ["2021-12-01"], "zoom_to": ["2022-07-31"]}, FilterState()),
    ],
)
def test_round_trip(params, state):
    decoded = read_query(params, CATALOG)
    assert decoded.state == state
    assert decoded.notices == []
    assert read_query(write_query(state), CATALOG).state == state


@pytest.mark.parametrize(
    ("params", "state", "notice"),
    [
        (
            {"leader": ["putin", "xi"]},
            FilterState(leaders=("putin",)),
            r"Ignored leader='xi': not in this data \(valid: putin, raisi, erdogan\)",
        ),
        ({"kind": ["party"]}, FilterState(), r"Ignored kind='party'"),
        ({"match": ["most"]}, FilterState(), r"^Ignored match='most': expected one of any, all\.$"),
        (
            {"country": ["Iran", "Atlantis"]},
            FilterState(countries=("Iran",)),
            r"^Ignored country='Atlantis': not in this data \(valid: Iran, Russia, Turkey\)\.$",
        ),
        ({"tag": ["energy"]}, FilterState(), r"^Ignored tag='energy': not in this data"),
        (
            {"lanes": ["state"]},  # the sidebar says "state"; the URL says country
            FilterState(),
            r"^Ignored lanes='state': expected one of leader, country, tag\.$",
        ),
        (
            {"order": ["size"]},
            FilterState(),
            r"^Ignored order='size': expected one of first, count, name, file\.$",
        ),
        (
            {"from": ["2022-02-30"]},
            FilterState(),
            r"Ignored from='2022-02-30': expected a date as YYYY-MM-DD",
        ),
        ({"to": ["yesterday"]}, FilterState(), r"Ignored to='yesterday'"),
        ({"from": ["2022-W29-2"]}, FilterState(), r"Ignored from='2022-W29-2'"),  # an ISO week date
        (
            {"from": ["2022-07-01"], "to": ["2022-06-01"]},
            FilterState(),
            r"the start is after the end",
        ),
        ({"from": ["2030-01-01"]}, FilterState(), r"after the last event"),
        ({"to": ["1999-01-01"]}, FilterState(), r"before the first event"),
        ({"event": ["nope"]}, FilterState(), r"Ignored event='nope': no event has that id"),
        ({"utm_source": ["x"]}, FilterState(), r"Ignored unknown parameter 'utm_source'"),
        (
            {"leader": ["x" * 5000]},
            FilterState(),
            r"Ignored leader='x{37}\.\.\.'",
        ),  # echoed shortened
        # A value the page changes is noticed too, so a shared link never shows silently
        # another view than its sender saw.
        (
            {"event": ["bogus", "tehran-trilateral-2022"]},
            FilterState(event="tehran-trilateral-2022"),
            r"^Ignored event='bogus': event takes one value; used the last, 'tehran-trilateral-2022'\.$",
        ),
        (
            {"match": ["all", "any", "all"]},
            FilterState(match="all"),
            r"^Ignored match='all', 'any': match takes one value; used the last, 'all'\.$",
        ),
        (
            {"zoom_from": ["2022-7-19"]},
            FilterState(),
            r"^Ignored zoom_from='2022-7-19': expected a date as YYYY-MM-DD\.$",
        ),
        (
            {"zoom_from": ["2022-07-20"], "zoom_to": ["2022-07-19"]},
            FilterState(),
            r"^Ignored zoom_from=2022-07-20 and zoom_to=2022-07-19: the start is after the end\.$",
        ),
        (
            {"zoom_from": ["2023-01-01"]},
            FilterState(),
            r"^Ignored zoom_from=2023-01-01: it is after the last event \(2022-07-31\)\.$",
        ),
        (
            {"zoom_to": ["2021-01-01"]},
            FilterState(),
            r"^Ignored zoom_to=2021-01-01: it is before the first event",
        ),
        (
            {"zoom_to": ["2022-07-01", "2022-07-02"]},
            FilterState(zoom_to=D(2022, 7, 2)),
            r"^Ignored zoom_to='2022-07-01': zoom_to takes one value",
        ),
        (
            {"q": ["a" * 201]},
            FilterState(q="a" * 200),
            r"^Shortened q to its first 200 characters\.$",
        ),
    ],
)
def test_bad_values_are_dropped_with_a_notice(params, state, notice):
    decoded = read_query(params, CATALOG)
    assert decoded.state == state
    assert len(decoded.notices) == 1
    assert re.search(notice, decoded.notices[0]), decoded.notices


def test_thousands_of_bad_values_give_a_bounded_list_of_notices():
    decoded = read_query({"leader": [f"x{i}" for i in range(5000)]}, CATALOG)
    assert decoded.state == FilterState()
    assert len(decoded.notices) == 11
    assert decoded.notices[-1] == "... and 4990 more ignored values."


@pytest.mark.parametrize(
    ("state", "query"),
    [
        (FilterState(), ""),
        (
            FilterState(leaders=("putin", "erdogan"), match="all", event="tehran-trilateral-2022"),
            "?leader=putin&leader=erdogan&match=all&event=tehran-trilateral-2022",
        ),
        (FilterState(q="a&b=c <x>"), "?q=a%26b%3Dc+%3Cx%3E"),
        (FilterState(date_from=D(2022, 6, 1)), "?from=2022-06-01"),
        (
            FilterState(date_from=D(2022, 6, 1), zoom_from=D(2022, 7, 18), zoom_to=D(2022, 7, 20)),
            "?from=2022-06-01&zoom_from=2022-07-18&zoom_to=2022-07-20",
        ),
    ],
)
def test_query_string(state, query):
    assert query_string(state) == query


@pytest.mark.parametrize(
    ("page_url", "link"),
    [
        ("http://localhost:8501", "http://localhost:8501/?leader=putin&q=gas"),
        ("http://localhost:8501/", "http://localhost:8501/?leader=putin&q=gas"),
        ("https://example.org/timeline", "https://example.org/timeline?leader=putin&q=gas"),
        ("", "?leader=putin&q=gas"),  # AppTest has no page URL
    ],
)
def test_share_link(page_url, link):
    assert share_link(page_url, FilterState(leaders=("putin",), q="gas")) == link


def test_a_zoom_that_ends_before_it_starts_is_refused():
    with pytest.raises(
        ValueError,
        match=r"Invalid zoom: expected its first day on or before its last, got 2022-07-20 to 2022-07-19",
    ):
        FilterState(zoom_from=D(2022, 7, 20), zoom_to=D(2022, 7, 19))


@pytest.mark.parametrize(
    ("state", "window"),
    [
        (FilterState(), (None, None)),
        (FilterState(date_from=D(2022, 6, 1)), (D(2022, 6, 1), None)),
        # The zoom wins at each end it sets; the dates fill the other.
        (FilterState(date_from=D(2022, 6, 1), date_to=D(2022, 7, 1), zoom_from=D(2022, 6, 20)),
         (D(2022, 6, 20), D(2022, 7, 1))),
        (FilterState(date_from=D(2022, 6, 1), zoom_to=D(2022, 7, 25)), (D(2022, 6, 1), D(2022, 7, 25))),
    ],
)  # fmt: skip
def test_the_axis_window_is_the_zoom_else_the_dates(state, window):
    assert state.window == window
