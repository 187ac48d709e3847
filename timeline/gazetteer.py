"""One gazetteer of states: every name and code event data uses for a state, recognised.

The names, official names, ISO 3166 codes, Gleditsch-Ward numbers and the regular
expressions that recognise common and former names ("Russia", "Turkey", "Burma",
"Swaziland", "Ivory Coast") come from country_converter's table of countries. Its table is
read here with the csv module, not through its `CountryConverter` class: that class builds
on pandas and fails to start under pandas 3 (Namibia's ISO code "NA" is read as a missing
value), and one regular expression per state per name through pandas is slow besides.

A file keeps the names its author wrote: nothing here rewrites a name, it only says which
state a name means. Names are matched without case, accents or punctuation; codes only as
codes are written (upper case, or digits), so that "in" or "to" is never India or Tonga.
"NA" is Namibia's ISO code and ICEWS's missing value: readers drop missing values first.
"""

from __future__ import annotations

import csv
import difflib
import functools
import importlib.resources
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

__all__ = [
    "Part",
    "State",
    "cameo_region",
    "part_of",
    "resolve",
    "same_state",
    "state_of",
    "states",
    "suggest",
]


@dataclass(frozen=True)
class State:
    """A state as the gazetteer knows it; `key` (ISO alpha-3, or CAMEO's code) names it."""

    key: str
    name: str  # the short common name: "Russia", "Türkiye", "North Korea"
    official: str  # "Russian Federation", "Republic of Türkiye"
    iso2: str | None
    iso3: str | None
    gw: int | None  # Gleditsch-Ward number (equal to the Correlates of War number for most)
    cow: int | None  # Correlates of War state number
    former: bool  # no longer exists (the Soviet Union, Zanzibar)


@dataclass(frozen=True)
class Part:
    """A part of a state that event data names as an actor: Crimea, Catalonia, Scotland."""

    name: str
    state: State
    code: str  # its ISO 3166-2 subdivision code, the source of the attribution


# Correlates of War numbers that differ from the Gleditsch-Ward numbers in the library's
# table (COW State System Membership list, states2016): elsewhere the two agree.
_COW_NOT_GW = {"DEU": 255, "SRB": 345, "YEM": 679}

# Codes CAMEO uses for states that are not their ISO alpha-3 codes (CAMEO Event and Actor
# Codebook 1.1b3, country codes; the same codes are in GDELT's CAMEO.country.txt and in
# ICEWS-to-CAMEO tables such as philip-schrodt/text_to_CAMEO's countrynames.txt).
_CAMEO_CODES = {"KSV": "XKX", "TMP": "TLS", "WSB": "PSE", "GZS": "PSE"}

# CAMEO's codes for regions (same codebook): they name no state, so `resolve` refuses them
# and `cameo_region` says what they are.
_CAMEO_REGIONS = {
    "AFR": "Africa", "ASA": "Asia", "BLK": "Balkans", "CRB": "Caribbean", "CAU": "Caucasus",
    "CFR": "Central Africa", "CAS": "Central Asia", "CEU": "Central Europe",
    "EIN": "East Indies", "EAF": "Eastern Africa", "EEU": "Eastern Europe", "EUR": "Europe",
    "LAM": "Latin America", "MEA": "Middle East", "MDT": "Mediterranean",
    "NAF": "North Africa", "NMR": "North America", "PGS": "Persian Gulf",
    "SCN": "Scandinavia", "SAM": "South America", "SAS": "South Asia",
    "SEA": "Southeast Asia", "SAF": "Southern Africa", "WAF": "West Africa", "WST": "The West",
}  # fmt: skip

# Names of states that the library's expressions miss but event data and editors write:
# ICEWS spells Serbia's country "Serbia and Montenegro" in its early years (COW 345 both).
_MORE_NAMES = {
    "serbia and montenegro": "SRB",
    "holland": "NLD",
    "the netherlands": "NLD",
    "congo kinshasa": "COD",  # both Congos' expressions find "Congo" in it
}

# Parts of states that event data names as actors, with the state ISO 3166-2 lists them
# under. ICEWS gives the country in its own column, and that column wins in its importer;
# this table is for sources without one, and to tell a part from a person.
_PARTS = {
    "crimea": ("Crimea", "UKR", "UA-43"),
    "autonomous republic of crimea": ("Crimea", "UKR", "UA-43"),
    "catalonia": ("Catalonia", "ESP", "ES-CT"),
    "basque country": ("Basque Country", "ESP", "ES-PV"),
    "scotland": ("Scotland", "GBR", "GB-SCT"),
    "wales": ("Wales", "GBR", "GB-WLS"),
    "northern ireland": ("Northern Ireland", "GBR", "GB-NIR"),
    "england": ("England", "GBR", "GB-ENG"),
    "sicily": ("Sicily", "ITA", "IT-82"),
    "sardinia": ("Sardinia", "ITA", "IT-88"),
    "corsica": ("Corsica", "FRA", "FR-20R"),
    "chechnya": ("Chechnya", "RUS", "RU-CE"),
    "dagestan": ("Dagestan", "RUS", "RU-DA"),
    "tibet": ("Tibet", "CHN", "CN-XZ"),
    "xinjiang": ("Xinjiang", "CHN", "CN-XJ"),
}

_CODE = re.compile(r"[A-Z][A-Z0-9]{1,2}|[0-9]{1,3}")
_MAX_NAME = 100  # characters; the longest official name is 52
_MAX_WORDS = 8  # longer text is a description ("Ministry of ... (Iran)"), not a state's name


def _key(text: str) -> str:
    """Return a name as the gazetteer compares it: no case, accents, spaces or punctuation."""
    letters = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in letters if c.isalnum() and not unicodedata.combining(c))


def _int(text: str) -> int | None:
    return int(text) if text.isdigit() else None


@dataclass(frozen=True)
class _Table:
    by_key: dict[str, State]
    by_code: dict[str, str]  # ISO2, ISO3, CAMEO codes, COW and GW numbers -> key
    by_name: dict[str, str]  # folded names -> key
    patterns: tuple[tuple[_Expression, str], ...]
    stems: dict[str, frozenset[str]]  # by each of their three-letter pieces


def _alternatives(pattern: str) -> list[str]:
    """Split an expression at its top-level '|', outside groups, classes and escapes."""
    parts, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 1
        elif in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    return [*parts, pattern[start:]]


@dataclass(frozen=True)
class _Expression:
    """One of the library's expressions, split for speed into what may match where.

    Alternatives lose the '.*' that starts or ends them: a search finds the same names
    without, and its match then spans the name found, not the text before it; with them a
    search takes time in the square of the text's length (".*italy" took 50 times as long as
    "italy" over 60 characters). Alternatives that start with '^' are tried at the start
    only: Python's search tries '^' at every position.
    """

    anchored: re.Pattern[str] | None
    free: re.Pattern[str] | None

    @classmethod
    def of(cls, pattern: str) -> _Expression:
        anchored, free = [], []
        for alternative in _alternatives(pattern):
            while alternative.startswith(".*"):
                alternative = alternative[2:]
            while alternative.endswith(".*") and not alternative.endswith("\\.*"):
                alternative = alternative[:-2]
            if alternative.startswith("^"):
                anchored.append(alternative[1:])
            else:
                free.append(alternative)
        return cls(_compiled(anchored), _compiled(free))

    def find(self, text: str) -> re.Match[str] | None:
        """Return the first match in text, at its start first."""
        found = self.anchored.match(text) if self.anchored else None
        if found is None and self.free is not None:
            found = self.free.search(text)
        return found


def _compiled(alternatives: list[str]) -> re.Pattern[str] | None:
    if not alternatives:
        return None
    return re.compile("|".join(f"(?:{a})" for a in alternatives), re.IGNORECASE)


def _rows() -> Iterator[dict[str, str]]:
    source = importlib.resources.files("country_converter") / "country_data.tsv"
    with source.open(encoding="utf-8") as handle:
        yield from csv.DictReader(handle, delimiter="\t")


@functools.cache
def _table() -> _Table:
    by_key: dict[str, State] = {}
    by_code: dict[str, str] = {}
    by_name: dict[str, str] = {}
    patterns = []
    for row in _rows():
        key = row["ISO3"]
        gw = _int(row["GWcode"])
        cow = _COW_NOT_GW.get(key, gw)
        # The table writes a few ISO2 cells as expressions: "^GB$|^UK$", "^GR$|^EL$".
        iso2 = re.findall(r"[A-Z0-9]{2}", row["ISO2"])
        state = State(key, row["name_short"], row["name_official"], iso2[0] if iso2 else None,
                      key, gw, cow, bool(row["obsolete"]))  # fmt: skip
        by_key[key] = state
        for code in (*iso2, key, str(gw or ""), str(cow or "")):
            if code:
                by_code.setdefault(code, key)
        for name in (row["name_short"], row["name_official"]):
            by_name.setdefault(_key(name), key)
        patterns.append((_Expression.of(row["regex"]), key))
    for code, key in _CAMEO_CODES.items():
        by_code.setdefault(code, key)
    for name, key in _MORE_NAMES.items():
        by_name.setdefault(_key(name), key)
    return _Table(by_key, by_code, by_name, tuple(patterns), _stems(_rows()))


def _stems(rows: Iterable[dict[str, str]]) -> dict[str, frozenset[str]]:
    """Return the letters of states' names and expressions ('russia', 'swazi', 'burma').

    They are indexed by their three-letter pieces, for `_plausible` to find quickly.
    """
    stems: set[str] = set()
    for row in rows:
        # Escapes (\b) and classes ([i|e]) are no letters of a name.
        source = re.sub(r"\\[a-zA-Z]|\[[^\]]*\]", " ", row["regex"])
        for text in (source, row["name_short"], row["name_official"]):
            stems.update(word.casefold() for word in re.findall(r"[^\W\d_]{3,}", text))
    index: dict[str, set[str]] = {}
    for stem in stems:
        for i in range(len(stem) - 2):
            index.setdefault(stem[i : i + 3], set()).add(stem)
    return {piece: frozenset(found) for piece, found in index.items()}


def states() -> tuple[State, ...]:
    """Return every state the gazetteer knows, former ones included."""
    return tuple(_table().by_key.values())


@functools.lru_cache(maxsize=4096)
def resolve(name_or_code: str) -> State | None:
    """Return the state a name or code means, or None when it means no one state."""
    text = name_or_code.strip()
    if len(text) > _MAX_NAME:
        return None  # and the expressions, some with ".*" lookaheads, never see a long text
    table = _table()
    if _CODE.fullmatch(text):
        # Numbers are COW (or Gleditsch-Ward) numbers, written with or without leading zeros.
        key = table.by_code.get(str(int(text)) if text.isdigit() else text)
        if key is not None:
            return table.by_key[key]
    key = table.by_name.get(_key(text))
    if key is None and "," in text:
        # ISO's inverted form: "Tanzania, United Republic of" is "United Republic of Tanzania".
        head, _, tail = text.partition(",")
        key = table.by_name.get(_key(f"{tail} {head}"))
    if key is None and _words(text) and _plausible(text, table.stems):
        found = {k for pattern, k in table.patterns if _names(pattern, text)}
        key = found.pop() if len(found) == 1 else None
    return table.by_key[key] if key is not None else None


def _words(text: str) -> bool:
    """Say whether text may be a state's name for the library's expressions to read."""
    words = text.split()
    return 0 < len(words) <= _MAX_WORDS and not any(c in text for c in "()[]0123456789")


# Words a state's name may hold besides the core the library's expression finds: "Islamic
# Republic of Iran", "Occupied Palestinian Territory", "the Gambia", "Ivory Coast", "Korea,
# South", "the former Yugoslav Republic of Macedonia", "Congo-Kinshasa", "Lao PDR", "Great
# Britain".
_GENERIC = frozenset(
    """
    the of and republic federation federal kingdom state states democratic people peoples s
    islamic arab socialist occupied territory territories former fed rep dem
    plurinational bolivarian commonwealth principality grand duchy sultanate emirate union
    independent sovereign nation coast city north south east west yugoslav herzegovina
    kinshasa brazzaville pdr dr great
    """.split()
)
_WORD = re.compile(r"[^\W\d_]+")


def _plausible(text: str, stems: dict[str, frozenset[str]]) -> bool:
    """Say whether every word of text may be part of a state's name, before any expression.

    A word of three letters or more must hold, or be held by, a word of states' names or
    expressions ("Russian" holds "russia", "Czech" is held by "czechia"); "Katz" or "Putin"
    is none, and the 256 expressions are not tried (40 times slower over random words).
    """
    for written in _WORD.findall(text):
        word = written.casefold()
        if len(word) < 3 or word in _GENERIC or (written.isupper() and len(word) <= 5):
            continue  # short words and acronyms ("DRC", "USSR", "FYROM") go to the expressions
        near = set().union(*(stems.get(word[i : i + 3], ()) for i in range(len(word) - 2)))
        if not any(stem in word or word in stem for stem in near):
            return False
    return True


def _names(pattern: _Expression, text: str) -> bool:
    """Say whether an expression finds a state's name in text, and text is only that name.

    The library's expressions search within text: "Israel Katz" holds "Israel", "Niger
    Delta" holds "Niger". Every word outside the match must be a word of states' names.
    """
    found = pattern.find(text)
    if found is None:
        return False
    start, end = found.span()
    for word in _WORD.finditer(text):
        outside = word.end() <= start or word.start() >= end
        if outside and word.group().casefold() not in _GENERIC:
            return False
    return True


def same_state(a: str, b: str) -> bool:
    """Say whether two names or codes mean one state ('Turkey' and 'Türkiye')."""
    first = resolve(a)
    return first is not None and first == resolve(b)


@functools.lru_cache(maxsize=1024)
def part_of(name: str) -> Part | None:
    """Return the part of a state a name means (Crimea, Catalonia), or None."""
    found = _PARTS.get(" ".join(name.casefold().split()))
    if found is None:
        return None
    part, key, code = found
    return Part(part, _table().by_key[key], code)


def state_of(name: str) -> State | None:
    """Return the state a name means, or the state a named part of one belongs to."""
    state = resolve(name)
    if state is not None:
        return state
    part = part_of(name)
    return part.state if part is not None else None


def cameo_region(code: str) -> str | None:
    """Return the region a CAMEO region code names ('MEA': 'Middle East'), or None."""
    return _CAMEO_REGIONS.get(code.strip())


@functools.cache
def _known_names() -> dict[str, str]:
    """Return every name worth suggesting, by its folded form."""
    names: dict[str, str] = {}
    for state in states():
        for name in (state.name, state.official):
            names.setdefault(_key(name), name)
    return names


def suggest(name: str, n: int = 3) -> list[str]:
    """Return up to n names of states nearest in spelling to a name, for 'did you mean'."""
    # difflib takes time in the product of the lengths: a long value is near nothing.
    if len(name) > 100:
        return []
    names = _known_names()
    near = difflib.get_close_matches(_key(name), list(names), n=n, cutoff=0.6)
    return [names[key] for key in near]
