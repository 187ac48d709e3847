"""The lane model: which lanes there are, in which order, and which events sit where."""

import numpy as np
import pytest
from conftest import ROOT

from timeline.files import load_file
from timeline.lanes import Membership
from timeline.schema import Person

PEOPLE = {
    "putin": Person(name="Vladimir Putin", country="Russia"),
    "peskov": Person(name="Dmitri Peskov", country="Russia"),
    "raisi": Person(name="Ebrahim Raisi", country="Iran"),
    "nobody": Person(name="A. Nobody"),  # no country: no state lane from this person
}


def frame(*events):
    """Return the frame of events given as (leaders, countries, tags)."""
    import pandas as pd
    import pyarrow as pa

    lists = pa.list_(pa.string())
    columns = {
        name: pd.Series(pa.array([e[i] for e in events], lists), dtype=pd.ArrowDtype(lists))
        for i, name in enumerate(("leaders", "countries", "tags"))
    }
    return pd.DataFrame({"id": [f"e{i}" for i in range(len(events))], **columns})


def places(events, kind, order="first"):
    """Return each event's lanes, by key, and the lanes in order."""
    membership = Membership.build(frame(*events), PEOPLE, kind)
    layout = membership.layout(np.ones(len(events), dtype=bool), PEOPLE, order)
    keys = [lane.key for lane in layout.lanes]
    return [[keys[i] for i in place] for place in layout.places], keys


@pytest.mark.parametrize(
    ("events", "kind", "expected"),
    [
        # Two leaders of one state: the event sits once on that state's lane.
        ([(["putin", "peskov"], [], [])], "country", [["Russia"]]),
        # A leader's state and a state of its own, in that order.
        ([(["raisi"], ["Russia"], [])], "country", [["Iran", "Russia"]]),
        # Only `countries`: states with no named person.
        ([([], ["Japan", "Vietnam"], [])], "country", [["Japan", "Vietnam"]]),
        # A state named twice (by a leader and in countries) counts once.
        ([(["putin"], ["Russia"], [])], "country", [["Russia"]]),
        # Neither leaders nor countries: the lane of events without.
        ([([], [], ["drones"])], "country", [[None]]),
        # A leader whose state the file does not give adds no state.
        ([(["nobody"], [], [])], "country", [[None]]),
        ([(["putin", "raisi"], [], [])], "leader", [["putin", "raisi"]]),
        ([([], ["Iran"], [])], "leader", [[None]]),
        ([([], [], ["energy", "drones"])], "tag", [["energy", "drones"]]),
        ([(["putin"], [], ["energy", "energy"])], "tag", [["energy"]]),  # a tag twice: once
        ([(["putin"], [], [])], "tag", [[None]]),
    ],
)
def test_each_event_sits_once_on_each_of_its_lanes(events, kind, expected):
    assert places(events, kind)[0] == expected


EVENTS = [
    (["raisi"], [], ["energy"]),  # first in date order
    (["putin"], ["Turkey"], ["drones"]),
    (["putin", "peskov"], [], ["drones"]),
    ([], [], []),
]


@pytest.mark.parametrize(
    ("kind", "order", "lanes"),
    [
        ("leader", "first", ["raisi", "putin", "peskov", None]),
        ("leader", "count", ["putin", "raisi", "peskov", None]),  # 2, then ties by appearance
        ("leader", "name", ["peskov", "raisi", "putin", None]),  # by label: Dmitri, Ebrahim, V.
        ("leader", "file", ["putin", "peskov", "raisi", None]),  # the order of `people`
        ("country", "first", ["Iran", "Russia", "Turkey", None]),
        ("country", "count", ["Russia", "Iran", "Turkey", None]),
        ("country", "name", ["Iran", "Russia", "Turkey", None]),
        # The file's order: states as its people give them, the others after them.
        ("country", "file", ["Russia", "Iran", "Turkey", None]),
        ("tag", "first", ["energy", "drones", None]),
        ("tag", "count", ["drones", "energy", None]),
        ("tag", "name", ["drones", "energy", None]),
        ("tag", "file", ["energy", "drones", None]),  # tags have no file order: first seen
    ],
)
def test_lane_orders(kind, order, lanes):
    assert places(EVENTS, kind, order)[1] == lanes


@pytest.mark.parametrize(
    ("kind", "chosen", "match", "kept"),
    [
        ("leader", ("putin",), "any", [1, 2]),
        ("leader", ("putin", "peskov"), "all", [2]),
        ("leader", ("putin", "xi"), "all", []),  # someone on no lane: nothing has them all
        ("country", ("Russia",), "any", [1, 2]),
        ("country", ("Russia", "Turkey"), "all", [1]),
        ("tag", ("drones", "energy"), "any", [0, 1, 2]),
        ("tag", ("drones", "energy"), "all", []),
    ],
)
def test_matching(kind, chosen, match, kept):
    membership = Membership.build(frame(*EVENTS), PEOPLE, kind)
    assert np.flatnonzero(membership.matching(chosen, match)).tolist() == kept


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda m: m.matching(("putin",), "ALL"),
            r"match: expected one of 'any', 'all', got 'ALL'",
        ),
        (lambda m: m.lanes(np.ones(4, bool), PEOPLE, "size"), r"order: expected one of 'first'"),
        (
            lambda m: Membership.build(frame(*EVENTS), PEOPLE, "person"),
            r"kind: expected one of 'leader'",
        ),
    ],
)
def test_bad_choices_are_refused_naming_the_valid_ones(call, message):
    membership = Membership.build(frame(*EVENTS), PEOPLE, "leader")
    with pytest.raises(ValueError, match=message):
        call(membership)


def test_a_file_of_states_and_tags_without_people():
    data = load_file(ROOT / "tests" / "data" / "states.yaml")
    everything = np.ones(len(data.events), dtype=bool)
    country = Membership.build(data.events, data.people, "country")
    assert [lane.key for lane in country.lanes(everything, data.people, "name")] == [
        "Iran", "Japan", "Russia", "Türkiye", "Vietnam", None,
    ]  # fmt: skip
    tag = Membership.build(data.events, data.people, "tag")
    assert [lane.key for lane in tag.lanes(everything, data.people, "first")] == [
        "drones", "ukraine-war", "energy", None,
    ]  # fmt: skip


def notices(people_countries, event_countries):
    """Return the spelling notices of people's countries and one event's countries."""
    from timeline.lanes import spelling_notices

    people = {f"p{i}": Person(name="P", country=c) for i, c in enumerate(people_countries)}
    table = frame(([], list(event_countries), []))
    return spelling_notices(people, table)


@pytest.mark.parametrize(
    ("people", "events", "pair"),
    [
        (["Turkey"], ["Türkiye"], ("Turkey", "Türkiye")),  # the real case: two names of one
        ([], ["Russia", "Russsia"], ("Russia", "Russsia")),  # a typo in a longer name
        ([], ["United States", "united-states"], ("United States", "united-states")),
        ([], ["Côte d'Ivoire", "Ivory Coast"], ("Côte d'Ivoire", "Ivory Coast")),
        (["USA"], ["United States"], ("United States", "USA")),  # named in folded order
        ([], ["Iran", "Iraq"], None),  # different states, one letter apart
        ([], ["Gambia", "Zambia"], None),  # different starts
        ([], ["Niger", "Nigeria"], None),  # two letters: different states
        ([], ["Austria", "Australia"], None),
        ([], ["Slovakia", "Slovenia"], None),  # one letter changed but two apart
        (["Russia"], ["Russia"], None),  # one spelling used twice is no mistake
        # The gazetteer's names and codes of one state, not near in spelling
        ([], ["USA", "United States of America"], ("United States of America", "USA")),
        ([], ["Persia", "Iran"], ("Iran", "Persia")),  # a former name
        ([], ["RUS", "Russia"], ("RUS", "Russia")),  # an ISO / CAMEO code
        ([], ["365", "Russia"], ("365", "Russia")),  # a COW number
        ([], ["Zaire", "DR Congo"], ("DR Congo", "Zaire")),
        ([], ["Guiana", "Guyana"], None),  # one letter apart, but two states it knows
        ([], ["Crimea", "Ukraine"], None),  # a part of a state is not the state
        ([], ["Atlantis", "atlantis"], ("Atlantis", "atlantis")),  # unknown, equal folded
    ],
)
def test_close_spellings_of_a_state_are_named_not_merged(people, events, pair):
    found = notices(people, events)
    if pair is None:
        assert found == []
    else:
        a, b = pair
        assert len(found) == 1
        assert found[0].startswith(f"countries: {a!r} (") and f"and {b!r} (" in found[0]
        assert found[0].endswith(f"pick {a!r} or {b!r} and use it everywhere")


def test_a_notice_says_where_each_spelling_is_used():
    found = notices(["Turkey"], ["Türkiye"])
    assert "'Turkey' (people.p0)" in found[0] and "'Türkiye' (event e0)" in found[0]


@pytest.mark.parametrize(
    ("uses", "places"),
    [
        (1, "event e1"),
        (3, "event e1, event e2, event e3"),
        (4, "event e1, event e2, event e3, ..."),  # the first three, then that there are more
        (50, "event e1, event e2, event e3, ..."),
    ],
)
def test_a_notice_names_the_first_three_uses_of_a_spelling(uses, places):
    from timeline.lanes import spelling_notices

    table = frame(([], ["Russia"], []), *[([], ["Russsia"], [])] * uses)
    found = spelling_notices({}, table)
    assert len(found) == 1 and f"'Russsia' ({places})" in found[0]


@pytest.mark.parametrize(
    ("events", "near"),
    [
        (["Rusia"], "'Russia'"),  # no state's name, one letter from one
        (["Ukriane"], "'Ukraine'"),
        (["Russia", "Rusia"], None),  # named in the pair's notice, not twice
        (["Elbonia", "Cyrenia", "Dalmia"], None),  # made-up states: not near enough
        (["International Crisis Group", "European Union"], None),  # no state: nothing said
        (["Crimea", "Catalonia"], None),  # parts of states the gazetteer knows
    ],
)
def test_an_unknown_name_near_a_state_gets_the_nearest_names(events, near):
    found = [n for n in notices([], events) if "no state's name" in n]
    if near is None:
        assert found == []
    else:
        assert len(found) == 1
        assert f"did you mean {near}?" in found[0]


@pytest.mark.parametrize(
    ("events", "said"),
    [
        (
            ["USA", "United States of America", "US"],
            [
                "countries: 'United States of America' (event e0), 'US' (event e0) and 'USA' "
                "(event e0) look like one state spelled 3 ways; expected one spelling: pick one "
                "of 'United States of America', 'US', 'USA' and use it everywhere"
            ],
        ),
        # a typo is told as a pair beside the names the gazetteer knows
        (
            ["RUS", "Russia", "Russsia"],
            [
                "countries: 'RUS' (event e0) and 'Russia' (event e0) look like one state "
                "spelled two ways; expected one spelling: pick 'RUS' or 'Russia' and use it "
                "everywhere",
                "countries: 'Russia' (event e0) and 'Russsia' (event e0) look like one state "
                "spelled two ways; expected one spelling: pick 'Russia' or 'Russsia' and use "
                "it everywhere",
            ],
        ),
        # numbers name different things: no typo, and no chain of them
        (["Org number 1", "Org number 10", "Org number 100", "G7", "G8"], []),
    ],
)
def test_the_names_of_one_state_are_one_notice(events, said):
    assert notices([], events) == said


def test_two_states_joined_only_by_a_typo_are_told_pair_by_pair():
    # 'Guiana' and 'Guyana' are two states; a name one letter from each is near both.
    found = notices([], ["Guiana", "Guyana", "Guyiana"])
    assert len(found) == 2
    assert all("spelled two ways" in n for n in found)
    assert not any("'Guiana'" in n and "'Guyana'" in n for n in found)
