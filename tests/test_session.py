"""The page's state logic, without Streamlit: seeding, reconciling, reading, clicks."""

import dataclasses
import datetime as dt

import pytest

from timeline.lanes import LANES
from timeline.query import read_query, write_query
from timeline.session import (
    clicked_event,
    clicked_pair,
    defaults,
    picked_row,
    reconcile,
    seed,
    state_of,
    zoom_by,
    zoom_to,
)
from timeline.state import LANE_KINDS, Catalog, FilterState
from timeline.viewstate import PARAMS, RANGES, Param

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
        # The zoom follows the same rules as the dates.
        ({"zoom": (D(2022, 7, 19), D(2023, 1, 1))}, SPAN, {"zoom": (D(2022, 7, 19), D(2022, 7, 31))}),
        ({"zoom": (D(2022, 1, 1), D(2022, 6, 30))}, (D(2022, 1, 1), D(2022, 6, 30)),
         {"zoom": SPAN}),
        ({"zoom": None}, SPAN, {"zoom": SPAN}),  # a session from before the zoom
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


def test_a_zoom_read_from_a_url_is_the_zoom_read_back():
    decoded = read_query({"zoom_from": ["2022-07-18"], "zoom_to": ["2022-07-20"]}, CATALOG)
    values = seed(decoded, CATALOG)
    assert values["zoom"] == (D(2022, 7, 18), D(2022, 7, 20))
    assert values["dates"] == SPAN  # the zoom filters nothing
    assert state_of(values, CATALOG) == FilterState(
        zoom_from=D(2022, 7, 18), zoom_to=D(2022, 7, 20)
    )
    # The whole span is no zoom.
    assert state_of({**values, "zoom": SPAN}, CATALOG) == FilterState()


@pytest.mark.parametrize(
    ("days", "span", "window"),
    [
        ([D(2022, 7, 19)], SPAN, (D(2022, 7, 19), D(2022, 7, 19))),  # one day, at its own scale
        ([D(2022, 7, 20), D(2022, 7, 18), D(2022, 7, 19)], SPAN, (D(2022, 7, 18), D(2022, 7, 20))),
        ([D(2021, 12, 30), D(2022, 1, 2)], SPAN, (D(2022, 1, 1), D(2022, 1, 2))),  # within the data
        ([], SPAN, SPAN),  # nothing to zoom to: everything
        ([D(2023, 1, 1)], SPAN, SPAN),  # outside the data: everything
        ([D(2022, 7, 19)], None, (D(2022, 7, 19), D(2022, 7, 19))),
    ],
)  # fmt: skip
def test_zoom_to_a_crowded_markers_days(days, span, window):
    assert zoom_to(days, span) == window


@pytest.mark.parametrize(
    ("window", "factor", "zoomed"),
    [
        # In: half as long, around the same middle (212 days to 106).
        (SPAN, 0.5, (D(2022, 2, 23), D(2022, 6, 8))),
        ((D(2022, 7, 1), D(2022, 7, 20)), 0.5, (D(2022, 7, 6), D(2022, 7, 15))),
        ((D(2022, 7, 19), D(2022, 7, 19)), 0.5, (D(2022, 7, 19), D(2022, 7, 19))),  # one day is the least
        # Out: twice as long, moved (not cut) at the data's end.
        ((D(2022, 7, 10), D(2022, 7, 31)), 2, (D(2022, 6, 18), D(2022, 7, 31))),
        ((D(2022, 1, 1), D(2022, 1, 10)), 2, (D(2022, 1, 1), D(2022, 1, 20))),
        ((D(2022, 7, 19), D(2022, 7, 19)), 2, (D(2022, 7, 18), D(2022, 7, 19))),
        ((D(2022, 3, 1), D(2022, 6, 1)), 4, SPAN),  # more than the data: all of it
        ((D(2022, 3, 1), D(2022, 3, 4)), 2, (D(2022, 2, 27), D(2022, 3, 6))),
    ],
)  # fmt: skip
def test_zoom_by(window, factor, zoomed):
    assert zoom_by(window, factor, SPAN) == zoomed
    length = (zoomed[1] - zoomed[0]).days + 1
    assert length == min(max(1, round(((window[1] - window[0]).days + 1) * factor)), 212)


@pytest.mark.parametrize(
    ("window", "factor", "span", "zoomed"),
    [
        # The calendar's own ends: a zoom out near year 1 or 9999 is moved, never past them.
        ((D(1, 1, 1), D(1, 1, 10)), 2, (D(1, 1, 1), D(9999, 12, 31)), (D(1, 1, 1), D(1, 1, 20))),
        ((D(9999, 12, 22), D(9999, 12, 31)), 2, None, (D(9999, 12, 12), D(9999, 12, 31))),
        ((D(1, 1, 1), D(9999, 12, 31)), 2, None, (D.min, D.max)),
    ],
)  # fmt: skip
def test_zoom_by_stays_within_the_calendar(window, factor, span, zoomed):
    assert zoom_by(window, factor, span) == zoomed


# --- The one table of the view: every parameter through the URL and the widgets -------------


def _sample(p: Param):
    """Return a value off its default for a parameter, chosen from its codec and the catalog."""
    if p.codec == "keys":
        return ("one", "two")  # made valid by _catalog
    if p.codec == "choice":
        return [c for c in p.choices if c != p.default][-1]
    if p.codec == "day":  # inside the data's span, the start before the end
        return D(2022, 3, 1) if RANGES[p.widget][0] is p else D(2022, 6, 1)
    if p.codec == "text":
        return "drones iran"
    return sorted(CATALOG.events)[0]


def test_every_field_of_the_state_is_one_parameter():
    fields = [f.name for f in dataclasses.fields(FilterState)]
    assert sorted(p.field for p in PARAMS) == sorted(fields)
    assert len({p.name for p in PARAMS}) == len(PARAMS)  # one name each in the URL


def test_every_lane_kind_is_one_row_with_its_fields():
    assert tuple(LANES) == LANE_KINDS
    fields = {f.name for f in dataclasses.fields(FilterState)}
    catalog = {f.name for f in dataclasses.fields(Catalog)}
    for kind, spec in LANES.items():
        assert spec.field in fields and spec.field in catalog, kind
        assert [p.lane for p in PARAMS if p.name == spec.param] == [kind]


def _catalog(p: Param) -> Catalog:
    """Return the catalog with the sample's keys valid for a parameter of keys."""
    return dataclasses.replace(CATALOG, **{p.field: ("one", "two")}) if p.repeated else CATALOG


@pytest.mark.parametrize("p", PARAMS, ids=lambda p: p.name)
def test_each_parameter_round_trips_through_the_url_and_the_widgets(p):
    value, catalog = _sample(p), _catalog(p)
    assert value != p.default and getattr(FilterState(), p.field) == p.default
    state = FilterState(**{p.field: value})
    written = write_query(state)
    assert list(written) == [p.name]  # the one parameter off its default, alone
    assert len(written[p.name]) == (len(value) if p.repeated else 1)
    decoded = read_query(written, catalog)
    assert (decoded.state, decoded.notices) == (state, [])
    values = seed(decoded, catalog)
    assert set(values) == set(defaults(catalog))  # the same widgets, whatever is set
    assert state_of(values, catalog) == state
    # A file that no longer holds the keys drops them from the widgets.
    if p.repeated:
        assert reconcile(values, CATALOG, SPAN)[p.key] == []


# A value no data holds, for each way a parameter is read.
BAD = {"keys": "nobody", "choice": "nothing", "day": "2022-02-30", "event": "nope"}


@pytest.mark.parametrize("p", [p for p in PARAMS if p.codec in BAD], ids=lambda p: p.name)
def test_each_parameter_drops_a_bad_value_with_a_notice(p):
    decoded = read_query({p.name: [BAD[p.codec]]}, CATALOG)
    assert decoded.state == FilterState()
    assert len(decoded.notices) == 1
    assert decoded.notices[0].startswith(f"Ignored {p.name}='{BAD[p.codec]}'"), decoded.notices
