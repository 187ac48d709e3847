"""The page's state logic, without Streamlit: seeding, reconciling, reading, clicks."""

import datetime as dt

import pytest

from timeline.query import read_query
from timeline.session import (
    clicked_event,
    clicked_pair,
    defaults,
    picked_row,
    reconcile,
    seed,
    state_of,
)
from timeline.state import Catalog, FilterState

D = dt.date
CATALOG = Catalog(
    leaders=("putin", "raisi"),
    kinds=("meeting",),
    events=frozenset({"a", "b"}),
    first=D(2022, 1, 1),
    last=D(2022, 7, 31),
    countries=("Iran", "Russia"),
    tags=("drones",),
)
SPAN = (D(2022, 1, 1), D(2022, 7, 31))


def test_seed_from_a_url_then_read_back():
    decoded = read_query(
        {"leader": ["putin"], "country": ["Iran"], "from": ["2022-03-01"], "lanes": ["country"],
         "order": ["count"], "view": ["matrix"], "event": ["a"]},
        CATALOG,
    )  # fmt: skip
    values = seed(decoded, CATALOG)
    assert values["dates"] == (D(2022, 3, 1), D(2022, 7, 31))  # the open end is the data's
    assert values["view"] == "matrix" and values["lanes"] == "country"
    assert state_of(values, CATALOG) == FilterState(
        leaders=("putin",), countries=("Iran",), date_from=D(2022, 3, 1), event="a",
        view="matrix", lanes="country", order="count",
    )  # fmt: skip


def test_defaults_read_back_as_the_empty_state():
    assert state_of(defaults(CATALOG), CATALOG) == FilterState()


@pytest.mark.parametrize(
    ("values", "span", "changes"),
    [
        # Values the file no longer has are dropped; the rest stay.
        ({"leader": ["putin", "xi"], "country": ["Atlantis"]}, SPAN,
         {"leader": ["putin"], "country": []}),
        ({"event": "gone"}, SPAN, {"event": None}),
        # Dates outside the data are clamped to it.
        ({"dates": (D(2021, 1, 1), D(2022, 3, 1))}, SPAN, {"dates": (D(2022, 1, 1), D(2022, 3, 1))}),
        # One date: a range half chosen is the whole range.
        ({"dates": (D(2022, 3, 1),)}, SPAN, {"dates": SPAN}),
        # The file's range grew: a view of all dates stays a view of all dates.
        ({"dates": (D(2022, 1, 1), D(2022, 6, 30))}, (D(2022, 1, 1), D(2022, 6, 30)),
         {"dates": SPAN}),
        # ... but a chosen part of it stays as chosen.
        ({"dates": (D(2022, 2, 1), D(2022, 6, 30))}, (D(2022, 1, 1), D(2022, 6, 30)), {}),
    ],
)  # fmt: skip
def test_reconcile_fits_the_widgets_to_a_changed_file(values, span, changes):
    widgets = {**defaults(CATALOG), **values}
    expected = {**changes, "span": SPAN}
    assert reconcile(widgets, CATALOG, span) == expected


def test_reconcile_without_events_keeps_no_dates():
    empty = Catalog(leaders=(), kinds=(), events=frozenset())
    assert reconcile({**defaults(empty), "leader": ["putin"]}, empty, None) == {
        "leader": [], "span": None,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("points", "event"),
    [
        ([{"customdata": "a"}], "a"),
        ([{"x": 1}, {"customdata": "b"}], "b"),  # a point without an event (a period label)
        ([{"customdata": ["putin", "raisi"]}], None),  # a matrix cell is not an event
        ([], None),
    ],
)
def test_clicked_event(points, event):
    assert clicked_event(points) == event


@pytest.mark.parametrize(
    ("points", "lanes", "changes"),
    [
        ([{"customdata": ["putin", "raisi"]}], "leader",
         {"leader": ["putin", "raisi"], "match": "all", "event": None, "view": "timeline"}),
        # The diagonal: one lane's own events.
        ([{"customdata": ["Iran", "Iran"]}], "country",
         {"country": ["Iran"], "match": "all", "event": None, "view": "timeline"}),
        ([{"customdata": ["drones", "energy"]}], "tag",
         {"tag": ["drones", "energy"], "match": "all", "event": None, "view": "timeline"}),
        ([{"customdata": "a"}], "leader", {}),  # not a cell
        ([{"customdata": ["a", "b", "c"]}], "leader", {}),  # not a pair
    ],
)  # fmt: skip
def test_clicked_pair(points, lanes, changes):
    assert clicked_pair(points, lanes) == changes


def test_clicked_pair_refuses_an_unknown_lane_kind():
    with pytest.raises(ValueError, match=r"lanes: expected one of 'leader', 'country', 'tag'"):
        clicked_pair([{"customdata": ["a", "b"]}], "person")


@pytest.mark.parametrize(
    ("rows", "ids", "event"),
    [([1], ["a", "b"], "b"), ([], ["a"], None), ([5], ["a"], None), ([-1], ["a"], None)],
)
def test_picked_row(rows, ids, event):
    assert picked_row(rows, ids) == event


def test_state_of_refuses_a_bad_choice():
    with pytest.raises(
        ValueError, match=r"Invalid value of match: expected one of 'any', 'all', got 'most'"
    ):
        state_of({**defaults(CATALOG), "match": "most"}, CATALOG)
