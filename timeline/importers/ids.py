"""Ids the schema takes, made from titles and names: lowercase ASCII, hyphens, unique."""

from __future__ import annotations

import re
import unicodedata

from ..schema import ID_PATTERN, MAX_ID_LENGTH

_ID_RE = re.compile(ID_PATTERN)
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
# Letters that have no decomposition to an ASCII letter plus a mark.
_SPELLED = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
     "ı": "i", "ŀ": "l", "ħ": "h"}
)  # fmt: skip


def slugify(text: str, limit: int = MAX_ID_LENGTH) -> str:
    """Return text as an id: accents dropped (Erdoğan: erdogan), at most `limit` characters."""
    folded = unicodedata.normalize("NFKD", text.lower().translate(_SPELLED))
    ascii_only = folded.encode("ascii", "ignore").decode("ascii")
    slug = _NOT_ALNUM.sub("-", ascii_only).strip("-")
    if len(slug) > limit:
        cut = slug[:limit]
        # Cut at a hyphen where one is near, so no word is left half.
        if "-" in cut[limit // 2 :] and slug[limit] != "-":
            cut = cut[: cut.rfind("-")]
        slug = cut.strip("-")
    return slug


class IdMaker:
    """Hands out ids that match the schema, each once: a repeat gets -2, -3, ..."""

    def __init__(self) -> None:
        self._taken: set[str] = set()
        self._renamed: set[str] = set()
        # The next number to try for each stem: ten thousand repeats of one title try each
        # number once in all, not once per repeat.
        self._next: dict[str, int] = {}

    def make(self, wanted: str, fallback: str) -> str:
        """Return a new id from `wanted` as it is or slugified; `fallback` when nothing is left."""
        base = wanted if _is_id(wanted) else slugify(wanted) or slugify(fallback) or "item"
        candidate = base
        if candidate in self._taken:
            # Long bases that differ only past the cut share their numbers, and a counter.
            stem = slugify(base, MAX_ID_LENGTH - 2)
            n = self._next.get(stem, 2)
            candidate = _numbered(base, n)
            while candidate in self._taken:
                n += 1
                candidate = _numbered(base, n)
            self._next[stem] = n + 1
            self._renamed.add(candidate)
        self._taken.add(candidate)
        return candidate

    def was_renamed(self, made: str) -> bool:
        """Say whether an id had to be changed because its wanted form was taken."""
        return made in self._renamed


def _numbered(base: str, n: int) -> str:
    suffix = f"-{n}"
    return slugify(base, MAX_ID_LENGTH - len(suffix)) + suffix


def _is_id(text: str) -> bool:
    return len(text) <= MAX_ID_LENGTH and bool(_ID_RE.fullmatch(text))
