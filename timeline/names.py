"""What an event shows of the people and sources it references: their words cut once.

A file names a person or a source once and refers to it by id from every event, so an
id of a few bytes can stand for a name of megabytes. Whatever shows an event beside its
references (a hover, a row of the table or of a CSV, a card of the details or of the
static page) shows the words cut to these lengths, worked out once per person or source,
so that what an event shows is bounded by the event, not by what it references.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping

from .schema import Person, Source
from .text import shorten

NAME_LIMIT = 120  # characters of a name, role, country, publisher or author beside an event
TITLE_LIMIT = 300  # characters of a source's title, or of an event's title in a list
LISTED = 10  # people, sources or authors named in a hover or a table's cell; then "and N more"


def cut(text: str, limit: int = NAME_LIMIT) -> str:
    """Return text as it is when it is at most `limit` characters, else shortened with '…'."""
    return text if len(text) <= limit else shorten(text, limit)


class Names:
    """The words an event shows of its references, each cut once and then kept."""

    def __init__(
        self,
        people: Mapping[str, Person],
        sources: Mapping[str, Source] | None = None,
        *,
        whole: bool = False,
    ):
        # whole: words as written, for measuring what a writer that does not cut them makes.
        self._limits = (sys.maxsize, sys.maxsize) if whole else (NAME_LIMIT, TITLE_LIMIT)
        self.people = people
        self.sources: Mapping[str, Source] = sources or {}
        self._names: dict[str, str] = {}
        self._roles: dict[str, str] = {}
        self._sources: dict[str, tuple[str, str, tuple[str, ...], int]] = {}

    def name(self, pid: str) -> str:
        """Return a person's name cut to NAME_LIMIT, or the id for someone not listed."""
        found = self._names.get(pid)
        if found is None:
            person = self.people.get(pid)
            found = cut(person.name if person else pid, self._limits[0])
            self._names[pid] = found
        return found

    def with_role(self, pid: str) -> str:
        """Return a person's name and role, 'Name (Role)', each cut to NAME_LIMIT."""
        found = self._roles.get(pid)
        if found is None:
            person = self.people.get(pid)
            role = cut(person.role, self._limits[0]) if person and person.role else ""
            found = f"{self.name(pid)} ({role})" if role else self.name(pid)
            self._roles[pid] = found
        return found

    def source(self, sid: str) -> tuple[str, str, tuple[str, ...], int] | None:
        """Return a source's title, publisher, first LISTED authors and how many it has."""
        found = self._sources.get(sid)
        if found is None:
            source = self.sources.get(sid)
            if source is None:
                return None
            authors = tuple(cut(a, self._limits[0]) for a in source.authors[:LISTED])
            found = (
                cut(source.title, self._limits[1]),
                cut(source.publisher, self._limits[0]),
                authors,
                len(source.authors),
            )
            self._sources[sid] = found
        return found

    def listing(self, pids: Iterable[str], most: int = LISTED) -> str:
        """Return the names of these people, the first `most` of them and how many more."""
        ids = list(pids)
        text = ", ".join(self.name(p) for p in ids[:most])
        return text + more(len(ids) - most)


def more(count: int) -> str:
    """Return ' and N more' for a list cut short, or '' when nothing was left out."""
    return f" and {count:,} more" if count > 0 else ""
