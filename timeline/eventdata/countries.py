"""The importers' `--country` filter: any name or code of a state, matching every spelling."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .. import gazetteer
from ..errors import cut, shown

MAX_SPELLINGS = 20  # input spellings kept per state asked for: a summary names them, bounded


class CountryAsked(ValueError):
    """A `--country` value that cannot be used: a usage error (exit 2)."""


class UnknownCountry(CountryAsked):
    """A `--country` value that names no state: a usage error, with the nearest names."""

    def __init__(self, asked: str, near: list[str], part_of: str | None = None):
        self.asked = asked
        self.near = near
        hint = f"did you mean {' or '.join(shown(n) for n in near)}? " if near else ""
        what = f"a part of {part_of}, not a state" if part_of else "no state the gazetteer knows"
        super().__init__(
            f"--country: {shown(asked)} is {what}; {hint}expected a state's name or code, "
            "such as 'Russia', 'Russian Federation', 'RUS' or '365'"
        )


class RepeatedCountry(CountryAsked):
    """A `--country` value naming a state asked for already: each state is asked for once."""

    def __init__(self, asked: str, first: str, state: str):
        self.asked = asked
        super().__init__(
            f"--country: {shown(asked)} names {state}, asked for already as {shown(first)}; "
            "give each state once (either name matches every spelling of it in the input)"
        )


@dataclass
class CountryFilter:
    """The states asked for, and which spellings of the input matched each."""

    asked: dict[str, gazetteer.State]  # as typed -> the state it means
    seen: dict[str, list[str]] = field(default_factory=dict)  # as typed -> input spellings
    # Spellings met only in rows the filter left out (their other side was not asked for).
    unkept: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, names: Iterable[str]) -> CountryFilter:
        """Return the filter for the names asked for; CountryAsked for the first unusable one."""
        asked: dict[str, gazetteer.State] = {}
        for name in names:
            state = gazetteer.resolve(name)
            if state is None:
                # A part (Crimea) is matched through its state: say which, not a near spelling.
                part = gazetteer.part_of(name)
                if part is not None:
                    raise UnknownCountry(name, [part.state.name], part.state.name)
                raise UnknownCountry(name, gazetteer.suggest(name))
            first = next((typed for typed, known in asked.items() if known == state), None)
            if first is not None:
                raise RepeatedCountry(name, first, state.name)
            asked[name] = state
        return cls(asked)

    def which(self, spelling: str | None) -> str | None:
        """Return the name asked for that an input's country spelling means, or None."""
        if not spelling:
            return None
        # States only: a part (Crimea) is matched through its row's country column.
        state = gazetteer.resolve(spelling)
        if state is None:
            return None
        for typed, wanted in self.asked.items():
            if wanted == state:
                return typed
        return None

    def record(self, typed: str, spelling: str, kept: bool = True) -> None:
        """Note that a name asked for matched this spelling in a row kept or not (bounded)."""
        spellings = (self.seen if kept else self.unkept).setdefault(typed, [])
        if spelling not in spellings and len(spellings) < MAX_SPELLINGS:
            spellings.append(spelling)

    def match(self, spelling: str | None) -> str | None:
        """Return the name asked for that a spelling means, noting the spelling as matched."""
        typed = self.which(spelling)
        if typed is not None and spelling:
            self.record(typed, spelling)
        return typed

    def summary(self) -> list[str]:
        """Return one line for each name asked for: the input spellings it matched."""
        lines = []
        for typed in self.asked:
            spellings = self.seen.get(typed, [])
            found = ", ".join(shown(s) for s in spellings) if spellings else "nothing"
            unkept = self.unkept.get(typed, [])
            if not spellings and unkept:
                found = (
                    ", ".join(shown(s) for s in unkept) + " but in no row whose sides were "
                    "all among the states asked for (--any keeps either side)"
                )
            lines.append(f"--country {shown(typed)} matched {cut(found, 300)}")
        return lines
