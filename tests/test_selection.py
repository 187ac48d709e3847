"""The one selection object: a state with a file, as the page and every export take it."""

import dataclasses
import datetime as dt

import numpy as np
import pytest

from timeline.figures.hover import HoverTexts
from timeline.filters import Index, catalog_for
from timeline.page.loading import Loaded
from timeline.page.selection import Selection
from timeline.selection import View, filters_in_words, read_view
from timeline.state import FilterState
from timeline.viewstate import PARAMS, RANGES, Param


@pytest.fixture(scope="module")
def everything(shipped):
    return View.of(shipped, FilterState())


def _sample(p: Param, view: View):
    """Return a value off its default for a parameter, valid in the shipped file."""
    if p.codec == "keys":
        return tuple(getattr(view.catalog, p.field)[:1])
    if p.codec == "choice":
        return [c for c in p.choices if c != p.default][-1]
    if p.codec == "day":  # the middle of July 2022, where the shipped events are
        return dt.date(2022, 7, 10) if RANGES[p.widget][0] is p else dt.date(2022, 7, 18)
    if p.codec == "text":
        return "Syria"
    return sorted(view.catalog.events)[0]


@pytest.mark.parametrize("p", PARAMS, ids=lambda p: p.name)
def test_a_parameter_with_a_rule_filters_and_is_said_in_words(everything, p):
    state = FilterState(**{p.field: _sample(p, everything)})
    view = View.of(everything.data, state, everything.index)
    words = filters_in_words(view)
    if p.rule is None:  # the choices of how to see, the open event, the zoom: no filter
        assert view.mask.all() and not view.filtered
        assert words.startswith("Every event of the file, no filter."), words
    else:
        assert 0 < view.mask.sum() < len(view.mask), p.name  # it keeps some events, not all
        assert view.filtered
        assert words.startswith(f"Filters: {p.words}"), words


@pytest.mark.parametrize(
    ("query", "shown", "words"),
    [
        ("leader=raisi&leader=putin", 5,
         "Filters: leaders: Ebrahim Raisi or Vladimir V. Putin (any of them). "
         "Lanes: leaders, first appearance."),
        # Lanes and kinds in one line; a kind matches any chosen whatever `match` says.
        ("country=Iran&kind=meeting&kind=summit&match=all", 5,
         "Filters: state: Iran; kinds: meeting or summit. Lanes: leaders, first appearance."),
        ("to=2022-07-19&q=gas&lanes=tag&order=file", 1,
         "Filters: up to 19 July 2022; search: “gas”. Lanes: tags, the file's order."),
        # The zoom is the axis, not a filter: never in the line.
        ("zoom_from=2022-07-10&view=matrix", 10,
         "Every event of the file, no filter. Lanes: leaders, first appearance."),
    ],
)  # fmt: skip
def test_filters_in_words(shipped, query, shown, words):
    view, notices = read_view(shipped, query)
    assert notices == []
    assert (len(view.shown), filters_in_words(view), view.words) == (shown, words, words)


def test_a_link_keeps_what_it_dropped_on_the_view(shipped):
    view, notices = read_view(shipped, "leader=nobody&tag=syria")
    assert view.notices == tuple(notices) and len(notices) == 1
    assert view.state == FilterState(tags=("syria",))


def test_the_pages_selection_is_the_exporters_view(shipped):
    index = Index.build(shipped.events, shipped.people)
    loaded = Loaded(shipped, index, catalog_for(shipped, index), shipped.events["title"],
                    HoverTexts(shipped.people))  # fmt: skip
    state = FilterState(countries=("Iran",), lanes="country", order="count")
    page = Selection.of_loaded(loaded, state, ("a notice",))
    view = View.of(shipped, state, index)
    assert isinstance(page, View)
    assert np.array_equal(page.mask, view.mask)
    assert page.layout == view.layout and page.groups() == view.groups()
    assert filters_in_words(page) == filters_in_words(view)
    assert page.catalog is loaded.catalog and page.notices == ("a notice",)
    assert dataclasses.replace(page, notices=()).loaded is loaded


@pytest.mark.parametrize(
    "state",
    [
        FilterState(),
        FilterState(countries=("Iran",)),
        FilterState(leaders=("putin", "raisi"), match="all"),
        FilterState(q="gas"),
        FilterState(kinds=("no-such-kind",)),  # nothing matches: the file's bytes alone
    ],
)
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_downloads_size_is_its_matching_events_as_measured_alone(shipped, state, fmt):
    from timeline.exporters.tables import estimated_size
    from timeline.page.tabs.table_tab import download_size

    index = Index.build(shipped.events, shipped.people)
    hovers = HoverTexts(shipped.people)
    loaded = Loaded(shipped, index, catalog_for(shipped, index), shipped.events["title"], hovers)
    page = Selection.of_loaded(loaded, state)
    for _ in range(2):  # measured, then summed from what the file's version kept
        assert download_size(page, fmt) == estimated_size(page.shown, hovers.names, fmt)
