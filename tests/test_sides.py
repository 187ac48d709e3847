"""The sides of a coded interaction put on an event (timeline/eventdata/sides.py)."""

import pytest

from timeline.eventdata.countries import CountryFilter
from timeline.eventdata.sides import Kind, Side, keeps, on_event

PUTIN = Side("Vladimir Putin", Kind.PERSON, None, "Russian Federation")
RUSSIA = Side("Russia", Kind.STATE, "Russian Federation", "Russian Federation")
IRAN = Side("Iran", Kind.STATE, "Iran", "Iran")
CRIMEA = Side("Crimea", Kind.STATE, "Ukraine", "Ukraine")
POLICE = Side("Police (India)", Kind.STATE, "India", None)
HAMAS = Side("Hamas", Kind.ORGANISATION, None, "Occupied Palestinian Territory")
UN = Side("United Nations", Kind.ORGANISATION)


@pytest.mark.parametrize(
    ("sides", "leaders", "countries"),
    [
        ((IRAN, RUSSIA), [], ["Iran", "Russian Federation"]),
        ((PUTIN, IRAN), ["Vladimir Putin (Russian Federation)"], ["Iran"]),
        ((CRIMEA, RUSSIA), [], ["Ukraine", "Russian Federation"]),
        ((POLICE, Side("Citizen (India)", Kind.STATE, "India", "India")), [], ["India"]),
        ((HAMAS, UN), [], ["Occupied Palestinian Territory", "United Nations"]),
        ((PUTIN, Side("Recep Tayyip Erdoğan", Kind.PERSON)), ["Vladimir Putin (Russian Federation)",
                                                          "Recep Tayyip Erdoğan ()"], []),
    ],
)  # fmt: skip
def test_people_are_leaders_and_everything_else_a_state(sides, leaders, countries):
    def person(name, country):
        return f"{name} ({country or ''})"

    assert on_event(sides, person) == (leaders, countries)


@pytest.mark.parametrize(
    ("asked", "sides", "any_side", "kept", "seen"),
    [
        (("Iran", "Russia"), (IRAN, RUSSIA), False, True, {"Iran": ["Iran"], "Russia": ["Russian Federation"]}),
        (("Iran", "Russia"), (PUTIN, IRAN), False, True, {"Iran": ["Iran"], "Russia": ["Russian Federation"]}),
        (("Iran", "Russia"), (CRIMEA, RUSSIA), False, False, {}),  # a row left out: not as kept
        (("Ukraine",), (CRIMEA, RUSSIA), True, True, {"Ukraine": ["Ukraine"]}),
        (("IRN",), (UN, IRAN), False, False, {}),  # the UN has no state: both sides cannot match
        (("IRN",), (UN, IRAN), True, True, {"IRN": ["Iran"]}),
        (("Palestine",), (HAMAS, IRAN), True, True, {"Palestine": ["Occupied Palestinian Territory"]}),
    ],
)  # fmt: skip
def test_the_country_filter_on_sides(asked, sides, any_side, kept, seen):
    wanted = CountryFilter.build(asked)
    assert keeps(sides, wanted, any_side) is kept
    assert wanted.seen == seen


def test_spellings_of_rows_left_out_are_told_apart():
    wanted = CountryFilter.build(["Iran", "Russia"])
    assert not keeps((CRIMEA, RUSSIA), wanted)
    assert (wanted.seen, wanted.unkept) == ({}, {"Russia": ["Russian Federation"]})
    assert wanted.summary() == [
        "--country 'Iran' matched nothing",
        "--country 'Russia' matched 'Russian Federation' but in no row whose sides were all "
        "among the states asked for (--any keeps either side)",
    ]
    assert keeps((IRAN, RUSSIA), wanted)
    assert wanted.summary()[1] == "--country 'Russia' matched 'Russian Federation'"


def test_no_filter_keeps_everything():
    assert keeps((UN, HAMAS), None)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (RUSSIA, Side("RUSSIA", Kind.STATE, "Russian Federation", "russian federation"), True),
        (RUSSIA, Side("Russia", Kind.PERSON, None, "Russian Federation"), False),  # kinds apart
        (PUTIN, Side("Vladimir Putin", Kind.PERSON, None, "Russia"), False),  # countries apart
        # States fold as they land on the event: the state, whatever the actor is called.
        (RUSSIA, Side("Military (Russia)", Kind.STATE, "Russian Federation", "Russian Federation"), True),
        (RUSSIA, Side("RUSSIA", Kind.STATE, country="Russia", spelled="RUS"), True),  # GDELT's
        (RUSSIA, Side("Government (Russia)", Kind.STATE, "Russia"), True),  # another spelling
        (CRIMEA, Side("Ukraine", Kind.STATE, "Ukraine", "Ukraine"), True),  # a part: its state
        (RUSSIA, IRAN, False),
        (Side("Catalonia", Kind.STATE, "Spain"), Side("Nowhere (X)", Kind.STATE, "Xland"), False),
        (Side("Nowhere", Kind.STATE, "Xland"), Side("Elsewhere", Kind.STATE, "xland"), True),  # unknown: by spelling
        # Organisations and people stay themselves: a party of Russia is not Russia.
        (RUSSIA, Side("United Russia", Kind.ORGANISATION, None, "Russian Federation"), False),
        (HAMAS, Side("Fatah", Kind.ORGANISATION, None, "Occupied Palestinian Territory"), False),
        (PUTIN, RUSSIA, False),
    ],
)  # fmt: skip
def test_sides_are_folded_as_they_land_on_the_event(a, b, same):
    assert (a.key == b.key) is same
