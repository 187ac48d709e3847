"""Repeated codings folded: one interaction told by many stories becomes one event.

Event data codes an interaction once for each story (ICEWS), article (GDELT) or report
that tells of it: the same two sides, the same day and the same code, many times over.
An importer turns each usable row into a `Coded` and gives it to a `Folder`, which keeps
one `Group` for each (day, source, target, code), in the order first seen; the importer
then builds one event from each group's first row, and says how many rows, stories and
reports were folded in and by which publishers (`Group.told`).

Shared by the event data importers: ICEWS (`timeline/importers/icews.py`), and GDELT and
POLECAT, which fold the same way (their `--no-fold` turns it off: `Folder(fold=False)`).

Memory: a group holds its first row, at most `MAX_EXAMPLES` rows more, at most
`MAX_PUBLISHERS` publishers by name and at most `MAX_STORIES` story ids, whatever the
number of rows folded into it; there is one group for each event the import writes, and
the importer holds those events anyway. A file of a million codings of one meeting holds
one group.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Generic, Literal, TypeVar

from ..errors import cut

T = TypeVar("T")

MAX_EXAMPLES = 5  # rows kept whole per group, the first included: their stories are named
MAX_PUBLISHERS = 20  # publishers counted by name per group; the others counted together
MAX_STORIES = 1_000  # story ids told apart per group; beyond, each further row counts as one
LISTED = 5  # publishers a group's sentence names

Key = tuple[str, Hashable, Hashable, str]
Unit = Literal["story", "article", "report"]
_PLURAL: dict[Unit, str] = {"story": "stories", "article": "articles", "report": "reports"}


@dataclass(frozen=True)
class Coded(Generic[T]):
    """One coded row of event data: day, sides, code, who told it, and the importer's data."""

    day: str  # the day as the event will carry it, e.g. 2018-04-03
    sides: tuple[Hashable, Hashable]  # who acted and on whom, as keys (source first)
    code: str  # the event code: CAMEO (ICEWS, GDELT) or PLOVER (POLECAT)
    data: T  # what the importer builds the event from, if this row comes first
    where: str = ""  # its place in the input, as messages locate it: a line number
    story: str | None = None  # the story or article that told it
    publisher: str | None = None
    url: str | None = None
    reports: int = 1  # reports the row stands for: GDELT's NumArticles; 1 for one story

    @property
    def key(self) -> Key:
        """Return what makes two rows the same interaction: day, sides in order, code."""
        return (self.day, self.sides[0], self.sides[1], self.code)


@dataclass
class Group(Generic[T]):
    """The rows folded into one event: the first and a few more kept, the rest counted."""

    first: Coded[T]
    rows: int = 0
    reports: int = 0
    examples: list[Coded[T]] = field(default_factory=list)  # the first MAX_EXAMPLES rows
    publishers: Counter[str] = field(default_factory=Counter)  # rows by publisher
    other_publishers: int = 0  # rows of publishers beyond the MAX_PUBLISHERS counted
    _stories: set[str] = field(default_factory=set, repr=False)
    _unchecked: int = 0  # rows whose story could not be told apart (beyond MAX_STORIES)
    _no_story: int = 0

    def __post_init__(self) -> None:
        self.add(self.first)

    def add(self, row: Coded[T]) -> None:
        """Count one more row of this interaction."""
        self.rows += 1
        self.reports += max(row.reports, 0)
        if len(self.examples) < MAX_EXAMPLES:
            self.examples.append(row)
        if row.publisher:
            if row.publisher in self.publishers or len(self.publishers) < MAX_PUBLISHERS:
                self.publishers[row.publisher] += 1
            else:
                self.other_publishers += 1
        if not row.story:
            self._no_story += 1
        elif row.story in self._stories:
            pass
        elif len(self._stories) < MAX_STORIES:
            self._stories.add(row.story)
        else:
            self._unchecked += 1

    @property
    def stories(self) -> int:
        """Return how many stories told it: each row without a story id counts as one."""
        return len(self._stories) + self._unchecked + self._no_story

    @property
    def folded(self) -> bool:
        """Say whether more than one row became this event."""
        return self.rows > 1

    def told(self, unit: Unit = "story") -> str | None:
        """Return the note's sentence on the rows folded in, or None for a single row.

        `unit` names what `stories` counts: a story for ICEWS, an article for GDELT.
        """
        if not self.folded:
            return None
        many = f"1 {unit}" if self.stories == 1 else f"{self.stories:,} {_PLURAL[unit]}"
        text = f"Coded {self.rows:,} times on this day from {many}"
        named = self.publishers.most_common(LISTED)
        if named:
            listed = ", ".join(f"{cut(name, 60)} ({n:,})" for name, n in named)
            others = sum(self.publishers.values()) - sum(n for _, n in named)
            others += self.other_publishers
            more = f" and {others:,} more" if others else ""
            text += f"; publishers: {listed}{more}"
        return text + "."


class Folder(Generic[T]):
    """One group for each interaction (day, sides, code), in the order first seen."""

    def __init__(self, fold: bool = True) -> None:
        self.fold = fold  # False: every row is its own group (`--no-fold`)
        self._groups: list[Group[T]] = []
        self._by_key: dict[Key, Group[T]] = {}
        self.folded = 0  # rows that joined an earlier group

    def add(self, row: Coded[T], into: Group[T] | None = None) -> Group[T]:
        """Fold a row into its group, or into `into` (later rows of its key too), or start one.

        `into` joins rows an importer knows to be one event though their keys differ: ICEWS
        codes one sentence from each side ("Make a visit" 042, "Host a visit" 043).
        """
        group = into if into is not None else self._by_key.get(row.key) if self.fold else None
        if group is None:
            group = Group(row)
            self._groups.append(group)
        else:
            group.add(row)
            self.folded += 1
        if self.fold:
            self._by_key.setdefault(row.key, group)
        return group

    def __iter__(self) -> Iterator[Group[T]]:
        """Yield the groups in the order their first rows came."""
        return iter(self._groups)

    def __len__(self) -> int:
        """Return how many groups (events to be) there are."""
        return len(self._groups)


def fold(rows: Iterable[Coded[T]], enabled: bool = True) -> list[Group[T]]:
    """Return the groups of some coded rows, in the order first seen."""
    folder: Folder[T] = Folder(enabled)
    for row in rows:
        folder.add(row)
    return list(folder)
