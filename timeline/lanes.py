"""The lane model: which lanes there are, in which order, and which events sit on each.

One model serves the timeline, the matrix, the density chart and the filters, whether
the lanes are leaders, states or tags. An event sits once on each of its lanes: a
leader's, a state's (its `countries` and its leaders' countries) or a tag's; an event
with none sits on the one lane of events without.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import gazetteer
from .errors import shown
from .i18n import Notice
from .names import cut
from .schema import Person
from .state import LANE_KINDS, LANE_ORDERS, MATCHES, LaneKind, LaneOrder, Match, check_choice

# The sidebar's words for each order.
ORDER_WORDS: dict[LaneOrder, str] = {
    "first": "First appearance",
    "count": "Most events",
    "name": "Alphabetical",
    "file": "The file's order",
}


def person_name(people: Mapping[str, Person], pid: str) -> str:
    """Return a person's name, or the id itself for someone the file does not list."""
    person = people.get(pid)
    return person.name if person else pid


def person_label(person: Person) -> str:
    """Return a person as one line of text: name and country, each cut to NAME_LIMIT."""
    return f"{cut(person.name)} ({cut(person.country)})" if person.country else cut(person.name)


@dataclass(frozen=True)
class Lane:
    """One lane: its key (a person id, a state, a tag; None for events without), its words."""

    key: str | None
    label: str  # one line: "Vladimir Putin (Russia)", "Iran", "drones"
    name: str  # the shortest form, for tight columns: "Vladimir Putin"
    detail: str = ""  # a second line under the name: "Russia"


def _arrow(column: pd.Series) -> pa.Array:
    """Return the Arrow array behind a list column, in one chunk."""
    array = pa.array(column.array)
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def _lists(column: pd.Series) -> tuple[np.ndarray, pa.Array]:
    """Return (row of each item, the items) of a list column."""
    values = _arrow(column)
    return pc.list_parent_indices(values).to_numpy(), pc.list_flatten(values)


People = Mapping[str, Person]
Keys = tuple[np.ndarray, pa.Array]  # (row of each item, the items): an event per lane it sits on


def _leader_keys(frame: pd.DataFrame, people: People) -> Keys:
    return _lists(frame["leaders"])


def _country_keys(frame: pd.DataFrame, people: People) -> Keys:
    """An event's states: its leaders' countries, then those it names in `countries`."""
    leader_rows, leaders = _lists(frame["leaders"])
    country_of = {p: person.country for p, person in people.items() if person.country}
    own = pc.fill_null(leaders, "")
    known = pa.array([country_of.get(p) for p in own.unique().to_pylist()], pa.string())
    found = pc.take(known, pc.index_in(own, value_set=own.unique()))
    has = pc.is_valid(found).to_numpy(zero_copy_only=False)
    more_rows, more = _lists(frame["countries"])
    rows = np.concatenate([leader_rows[has], more_rows])
    return rows, pa.concat_arrays([pc.filter(found, pa.array(has)), more.cast(pa.string())])


def _tag_keys(frame: pd.DataFrame, people: People) -> Keys:
    return _lists(frame["tags"])


def _people_rank(people: People) -> dict[str, int]:
    return {p: i for i, p in enumerate(people)}


def _country_rank(people: People) -> dict[str, int]:
    """States in the order of the people who first name them."""
    ranks: dict[str, int] = {}
    for person in people.values():
        if person.country and person.country not in ranks:
            ranks[person.country] = len(ranks)
    return ranks


def _no_rank(people: People) -> dict[str, int]:
    return {}


@dataclass(frozen=True)
class LaneSpec:
    """One kind of lane, declared once: its names, its words and its membership rule.

    The URL parameter, the widget, the filter and the filter's words of every kind are
    derived from this table (timeline/viewstate.py); the kind's name is in state.LaneKind
    and its chosen keys in a FilterState field (and the Catalog's) named `field`.
    """

    param: str  # the URL parameter and widget that choose lanes of this kind: "country"
    field: str  # the FilterState's and the Catalog's field of chosen and valid keys
    word: str  # one of them, in "One lane per ..." and the filter line: "state"
    title: str  # several, as a heading: "States"
    no_lane: str  # the lane of events without one: "No state named"
    # The membership rule: the lanes each event sits on.
    keys: Callable[[pd.DataFrame, People], Keys]
    rank: Callable[[People], dict[str, int]] = _no_rank  # the file's own order, where it has one
    of_people: bool = False  # keys are people's ids: named by the people table, always offered
    help: str | None = None  # the sidebar's help for its filter


LANES: dict[LaneKind, LaneSpec] = {
    "leader": LaneSpec(
        "leader", "leaders", "leader", "Leaders", "No named leader", _leader_keys,
        _people_rank, of_people=True,
        help="Events with no named leader (a deal, a report) show only while no leader "
        "is chosen.",
    ),
    "country": LaneSpec(
        "country", "countries", "state", "States", "No state named", _country_keys, _country_rank
    ),
    "tag": LaneSpec("tag", "tags", "tag", "Tags", "No tag", _tag_keys),
}  # fmt: skip
# Derived words, by kind: the lane of events without, and the kind as a heading.
NO_LANE: dict[LaneKind, str] = {kind: spec.no_lane for kind, spec in LANES.items()}
LANE_WORDS: dict[LaneKind, str] = {kind: spec.title for kind, spec in LANES.items()}


def key_name(kind: LaneKind, people: People, key: str) -> str:
    """Return a lane's key in words: a person's name for people, else the key itself."""
    return person_name(people, key) if LANES[kind].of_people else key


@dataclass(frozen=True)
class LaneLayout:
    """The lanes drawn for a selection, top to bottom, and the lanes of each event in it."""

    lanes: list[Lane]
    places: list[list[int]]  # for each kept event, in the frame's order: indices into lanes

    def __post_init__(self) -> None:
        if any(not (0 <= i < len(self.lanes)) for p in self.places for i in p):
            raise ValueError(f"a place outside the {len(self.lanes)} lanes")

    def by_lane(self) -> list[list[int]]:
        """Return, for each lane, its events (positions among the kept ones) in their order."""
        out: list[list[int]] = [[] for _ in self.lanes]
        for event, place in enumerate(self.places):
            for lane in place:
                out[lane].append(event)
        return out


@dataclass(frozen=True)
class Membership:
    """Which events sit on which lanes of one kind, as (row, lane code) pairs sorted by row.

    `keys[code]` is the lane's key; `position` is where the lane comes within its event
    (a leader's place in the list), which breaks ties in the order of first appearance.
    """

    kind: LaneKind
    size: int  # events in the frame
    rows: np.ndarray
    codes: np.ndarray
    position: np.ndarray
    keys: tuple[str, ...]

    @classmethod
    def build(cls, frame: pd.DataFrame, people: Mapping[str, Person], kind: LaneKind) -> Membership:
        """Find the lanes of every event, for leaders, states or tags."""
        check_choice("kind", kind, LANE_KINDS)
        rows, values = LANES[kind].keys(frame, people)
        encoded = pc.dictionary_encode(values.cast(pa.string()))
        codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
        keys = tuple(encoded.dictionary.to_pylist())
        rows = np.asarray(rows, dtype=np.int64)
        # The item's place in the concatenation keeps the order within each event.
        position = np.arange(len(rows), dtype=np.int64)
        # A lane named twice in one event (two leaders of one state) counts once.
        pair = rows * max(len(keys), 1) + codes
        _, first = np.unique(pair, return_index=True)
        first = np.sort(first)
        order = np.lexsort((position[first], rows[first]))
        pick = first[order]
        return cls(kind, len(frame), rows[pick], codes[pick], position[pick], keys)

    def pairs(self, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return the (row, lane code) pairs of the events a mask keeps."""
        keep = mask[self.rows]
        return self.rows[keep], self.codes[keep]

    def marks(self, mask: np.ndarray) -> int:
        """Return how many markers the events a mask keeps take: one per event and lane."""
        return int(np.count_nonzero(mask[self.rows]) + len(self.without(mask)))

    def without(self, mask: np.ndarray) -> np.ndarray:
        """Return the rows a mask keeps that sit on no lane of this kind."""
        counts = np.bincount(self.rows, minlength=self.size)
        return np.flatnonzero(mask & (counts == 0))

    def matching(self, chosen: tuple[str, ...], match: Match) -> np.ndarray:
        """Return a mask of the events on any (or all) of the chosen lanes."""
        check_choice("match", match, MATCHES)
        lookup = {k: i for i, k in enumerate(self.keys)}
        wanted = {lookup[k] for k in chosen if k in lookup}
        hit = np.isin(self.codes, list(wanted))
        if match == "all":
            if len(wanted) < len(set(chosen)):
                return np.zeros(self.size, dtype=bool)  # a lane no event sits on
            return np.bincount(self.rows[hit], minlength=self.size) == len(wanted)
        mask = np.zeros(self.size, dtype=bool)
        mask[self.rows[hit]] = True
        return mask

    def lanes(
        self, mask: np.ndarray, people: Mapping[str, Person], order: LaneOrder = "first"
    ) -> list[Lane]:
        """Return the lanes of the events a mask keeps, in the chosen order, no-lane last."""
        check_choice("order", order, LANE_ORDERS)
        keep = mask[self.rows]
        rows, codes, position = self.rows[keep], self.codes[keep], self.position[keep]
        present = np.unique(codes)
        # First appearance: the earliest row, then the place within that event.
        first = np.full(len(self.keys), np.iinfo(np.int64).max)
        np.minimum.at(first, codes, rows * (len(self.rows) + 1) + position)
        count = np.bincount(codes, minlength=len(self.keys))
        made = {int(c): self.lane(self.keys[c], people) for c in present}
        if order == "first":
            ranked = sorted(made, key=lambda c: first[c])
        elif order == "count":
            ranked = sorted(made, key=lambda c: (-count[c], first[c]))
        elif order == "name":
            ranked = sorted(made, key=lambda c: (made[c].label.casefold(), made[c].label))
        else:  # the file's own order, the rest after it by first appearance
            ranks = LANES[self.kind].rank(people)
            ranked = sorted(made, key=lambda c: (ranks.get(self.keys[c], len(people)), first[c]))
        out = [made[c] for c in ranked]
        if len(self.without(mask)):
            out.append(Lane(None, NO_LANE[self.kind], NO_LANE[self.kind]))
        return out

    def layout(
        self, mask: np.ndarray, people: Mapping[str, Person], order: LaneOrder = "first"
    ) -> LaneLayout:
        """Return the lanes of the events a mask keeps and where each of those events sits."""
        lanes = self.lanes(mask, people, order)
        index = {lane.key: i for i, lane in enumerate(lanes)}
        kept = np.flatnonzero(mask)
        rows, codes = self.pairs(mask)
        places: list[list[int]] = [[] for _ in kept]
        for slot, code in zip(np.searchsorted(kept, rows).tolist(), codes.tolist(), strict=True):
            places[slot].append(index[self.keys[code]])
        for place in places:
            if not place:
                place.append(index[None])
        return LaneLayout(lanes, places)

    def lane(self, key: str, people: Mapping[str, Person]) -> Lane:
        """Return the lane of one key, with its words."""
        # The words cut (the key stays whole): a lane's label is repeated by every figure.
        if LANES[self.kind].of_people:
            person = people.get(key)
            if person is None:
                return Lane(key, cut(key), cut(key))
            return Lane(key, person_label(person), cut(person.name), cut(person.country or ""))
        return Lane(key, cut(key), cut(key))


def _folded(name: str) -> str:
    """Return a name without case, accents, spaces or punctuation: 'Türkiye' -> 'turkiye'."""
    letters = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in letters if c.isalnum() and not unicodedata.combining(c))


def _one_edit(a: str, b: str) -> bool:
    """Say whether two folded names differ by one letter added, dropped or changed."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


_DIGITS = re.compile(r"\D")


def _typo(a: str, b: str) -> bool:
    """Say whether two folded names look like one misspelt: one edit, same start, not short.

    Short names and different starts are left alone: Iran and Iraq, Gambia and Zambia are
    different states.
    """
    if min(len(a), len(b)) < 5 or a[:2] != b[:2] or not _one_edit(a, b):
        return False
    # Numbers name different things: "G7" and "G8", "Org 1" and "Org 10".
    return _DIGITS.sub("", a) == _DIGITS.sub("", b)


def _same_state(a: str, b: str, folded: Mapping[str, str], states: Mapping[str, str]) -> bool:
    """Say whether two names may be one state: names of it the gazetteer knows, or a typo apart.

    The gazetteer knows ISO, common and former names and codes ('Turkey' and 'Türkiye',
    'USA' and 'United States', 'RUS' and 'Russia'); the typo rule catches what it cannot
    read ('Russsia' beside 'Russia', 'Atlantis' beside 'atlantis') unless the gazetteer
    knows both as different states (Guiana and Guyana).
    """
    state_a, state_b = states.get(a), states.get(b)
    if state_a is not None and state_b is not None:
        return state_a == state_b
    return folded[a] == folded[b] or _typo(folded[a], folded[b])


def _where(used: list[Notice | str]) -> tuple[Notice | str, ...]:
    """Return the first three places a name is used, and '...' for more (joined by ', ')."""
    return (*used[:3], "...") if len(used) > 3 else tuple(used)


def _used(name: str, used: Mapping[str, list[Notice | str]]) -> Notice:
    """Return a name and where it is used: "'Turkey' (people.erdogan, event e1)"."""
    return Notice.gettext("{name} ({places})", name=shown(name), places=_where(used[name]))


# How near in spelling an unknown name must be to a state's name for a notice: 'Rusia' and
# 'Ukriane' are (0.91, 0.86); the tests' made-up states (Elbonia, Cyrenia) are not (0.71).
_NEAR_NAME = 0.8
# Unknown names looked up for a nearest state's name, at most (3 ms each): the sidebar shows
# three notices, and a file naming thousands of organisations must not wait seconds for them.
_MAX_UNKNOWN_CHECKED = 100


def _may_be_state(name: str) -> bool:
    """Say whether a name no state has may be one misspelt: short, no digits ('Org 5')."""
    return len(name) <= _LONGEST_STATE and not any(c.isdigit() for c in name)


# Characters in the longest name worth a "did you mean": the longest official name is 52.
_LONGEST_STATE = 60


def _unknown_notice(name: str, used: Mapping[str, list[Notice | str]]) -> Notice | None:
    """Return a notice for a name no state has that is near a state's name, or None."""
    near = [n for n in gazetteer.suggest(name, n=3) if _closeness(name, n) >= _NEAR_NAME]
    if not near:
        return None  # an organisation or a made-up state: the file may name what it likes
    return Notice.gettext(
        "countries: {name} is no state's name the gazetteer knows; did you mean {near}? "
        "Keep it if it is meant",
        name=_used(name, used), near=_either([shown(n) for n in near]),
    )  # fmt: skip


def _either(names: list[str]) -> Notice | str:
    """Return one to three names as choices: "'A' or 'B'"."""
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return Notice.gettext("{first} or {second}", first=names[0], second=names[1])
    return Notice.gettext("{first} or {second} or {third}", first=names[0], second=names[1],
                          third=names[2])  # fmt: skip


def _closeness(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, _folded(a), _folded(b)).ratio()


def _known_groups(names: list[str], states: Mapping[str, str]) -> list[list[str]]:
    """Return the names the gazetteer knows as one state, two or more, in `names`' order."""
    by_state: dict[str, list[str]] = {}
    for name in names:
        if name in states:
            by_state.setdefault(states[name], []).append(name)
    return [group for group in by_state.values() if len(group) > 1]


def _notice(group: list[str], used: Mapping[str, list[Notice | str]]) -> Notice:
    """Return the notice of names that look like one state: two, or more in one list."""
    where = tuple(_used(name, used) for name in group)
    if len(group) == 2:
        a, b = group
        return Notice.gettext(
            "countries: {first} and {second} look like one state spelled two ways; expected "
            "one spelling: pick {a} or {b} and use it everywhere",
            first=where[0], second=where[1], a=shown(a), b=shown(b),
        )  # fmt: skip
    return Notice.ngettext(
        "countries: {names} and {last} look like one state spelled {count} way; expected "
        "one spelling: pick one of {choices} and use it everywhere",
        "countries: {names} and {last} look like one state spelled {count} ways; expected "
        "one spelling: pick one of {choices} and use it everywhere",
        len(group), names=where[:-1], last=where[-1], choices=tuple(shown(n) for n in group),
    )  # fmt: skip


def spelling_notices(people: Mapping[str, Person], frame: pd.DataFrame) -> list[Notice]:
    """Return a notice for each set of state names that look like one state spelled apart.

    Names the gazetteer knows as one state ('Turkey' and 'Türkiye', 'USA' and 'United
    States'), names that differ only in case, accents, spaces or punctuation, or by one
    letter in a longer name ('Russsia') are named with where each is used, for the editor
    to pick one; a name no state has but near a state's ('Rusia') is named with the nearest
    names. Nothing is merged or rewritten.
    """
    used: dict[str, list[Notice | str]] = {}
    for pid, person in people.items():
        if person.country:
            used.setdefault(person.country, []).append(f"people.{pid}")
    rows, values = _lists(frame["countries"])
    ids = frame["id"].to_numpy()
    for row, name in zip(rows.tolist(), values.to_pylist(), strict=True):
        places = used.setdefault(name, [])
        if len(places) <= 3:  # _where names three and says if there are more: no notice per use
            places.append(Notice.gettext("event {id}", id=str(ids[row])))
    folded = {name: _folded(name) for name in used}
    states = {n: s.key for n in used if (s := gazetteer.resolve(n)) is not None}
    names = sorted(used, key=lambda n: (folded[n], n))
    # The gazetteer's names of one state are one notice, however many ('USA', 'US', 'United
    # States'); a typo is a pair (it is no equivalence: 'Org 1' ~ 'Org 10' ~ 'Org 100').
    groups = _known_groups(names, states)
    notices = [_notice(group, used) for group in groups]
    paired: set[str] = {name for group in groups for name in group}
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            if (a not in states or b not in states) and _same_state(a, b, folded, states):
                paired.update((a, b))
                notices.append(_notice([a, b], used))
    unknown = [n for n in names if n not in paired and n not in states and _may_be_state(n)]
    for name in [n for n in unknown if gazetteer.part_of(n) is None][:_MAX_UNKNOWN_CHECKED]:
        notice = _unknown_notice(name, used)
        notices.extend([notice] if notice else [])
    return notices
