"""Synthetic data files written the way people write YAML by hand, for scale tests and benchmarks.

A real file mixes forms: dates quoted or not and of every precision, plain and quoted text,
block scalars, flow and block lists, comments, non-ASCII names, prose with `*`, `&`, `!`
and `#`, and the odd value that YAML would read as a number or a boolean. The generator
writes that mix, so that a benchmark on it measures what users will see.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import unicodedata
from collections.abc import Iterator

KINDS = ["meeting", "summit", "visit", "agreement", "statement", "report", "call", "talks"]
_FIRST = "Amara Bogdan Chen Dmitri Elena Farid Greta Hiro Ines Jonas Kwame Leila".split()
_FIRST += "Mateo Nadia Omar Priya Quentin Rosa Sergei Tariq Zoë Ömer Łucja Jiří Thảo".split()
_LAST = "Abbasi Bauer Castillo Dubois Eriksen Fofana Garcia Haddad Ivanova Jensen".split()
_LAST += "Kato Lindqvist Mensah Novak Okafor Petrov Quispe Rahimi Silva Tanaka".split()
_LAST += "Erdoğan Müller Sánchez Nguyễn Ødegaard".split()
# Invented countries: the synthetic data must never pass for real events.
_TAGS = ["energy", "trade", "security", "sanctions", "drones", "grain", "nuclear", "border"]
_COUNTRIES = "Atlantis Borduria Carpania Drovnia Elbonia Freedonia Genovia Hyrkania".split()
_COUNTRIES += "Illyria Krakozhia Latveria Molvania Orsinia Ruritania Syldavia Tomainia".split()
_ROLES = ["President", "Prime Minister", "Foreign Minister", "King", "Chancellor", "Envoy"]
_PLACES = ["Geneva", "Vienna", "Aşgabat", "Tehran", "Moscow", "Ankara", "Doha", "Oslo",
           "Zürich", "Tōkyō", "São Paulo", "Montréal, Québec"]  # fmt: skip
_WORDS = (
    "we the our partnership cooperation will continue to strengthen trade security energy "
    "relations between two countries region stability sovereignty sanctions dialogue "
    "agreement future friendship respect mutual interests people support peace challenges "
    "together economic development investment border talks progress commitment historic "
    "important step new era neighbours responsibility must and in of for with on a is are "
    "don’t «partenariat» сотрудничество — naïve déjà"
).split()
# Prose that only looks like YAML's tags, anchors, aliases and comments.
_PROSE = ["The *Kommersant* daily", "Trade &Investment", "Nous sommes prêts !", "Q&A", "Wow!",
          "C# and F# desks", "5 * 3 deals", "state-to-state"]  # fmt: skip
# Plain values that YAML 1.1 or JSON would read as something other than text.
_LOOKALIKES = ["1984", "1.10", "2022", "true", "no", "on", "0x1F", "007", "1e3"]


def _sentence(rng: random.Random, low: int, high: int) -> str:
    words = rng.choices(_WORDS, k=rng.randint(low, high))
    if rng.random() < 0.1:
        words.insert(rng.randint(0, len(words)), rng.choice(_PROSE))
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def _dq(text: str) -> str:
    # A JSON string is also a valid double-quoted YAML scalar.
    return json.dumps(text, ensure_ascii=False)


def _text(rng: random.Random, text: str) -> str:
    """Write text as a hand-written file would: mostly plain, sometimes quoted."""
    roll = rng.random()
    if roll < 0.15:
        return _dq(text)
    if roll < 0.2:
        return "'" + text.replace("'", "''") + "'"
    if roll < 0.22 and "\\" not in text:
        return _dq(text).replace("é", "\\u00e9").replace(" — ", "\\t—\\t")  # escapes
    if text[0] in "'\"*&!#@`%|>[]{},?:-<=~" or ": " in text or " #" in text or "\\" in text:
        return _dq(text)
    if text.endswith((":", " ")) or "\t" in text:
        return _dq(text)
    return text


def _date(rng: random.Random, day: dt.date, precision: str) -> str:
    text = day.isoformat()[: {"day": 10, "month": 7, "year": 4}[precision]]
    roll = rng.random()
    if precision == "day":
        return text if roll < 0.6 else f'"{text}"' if roll < 0.95 else f"'{text}'"
    return text if roll < 0.85 else f'"{text}"'  # month- and year-only dates mostly unquoted


def _block(rng: random.Random, text: str, indent: str) -> Iterator[str]:
    """Yield a block scalar's header and lines, of any style and chomping."""
    words = text.split()
    cut = max(1, len(words) // 2)
    style = rng.choice([">", "|", ">-", "|-", ">+", "|+"])
    yield style
    yield indent + " ".join(words[:cut])
    if rng.random() < 0.3:
        yield ""  # a paragraph break
    yield indent + " ".join(words[cut:])


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "-".join(ascii_name.lower().split())


def _people(rng: random.Random, people: list[str]) -> Iterator[str]:
    """Yield the people section, filling `people` with their ids."""
    yield "people:"
    while len(people) < 60:
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        pid = _slug(f"{first} {last}")
        if pid in people:
            continue
        people.append(pid)
        country, role = rng.choice(_COUNTRIES), rng.choice(_ROLES)
        name = f"{first} {last}"
        if rng.random() < 0.5:
            yield f"  {pid}: {{name: {_dq(name)}, country: {country}, role: {role}}}"
        else:
            yield f"  {pid}:"
            yield f"    name: {_text(rng, name)}"
            yield f"    country: {country}  # as of the first event"


def _sources(rng: random.Random, sources: list[str]) -> Iterator[str]:
    """Yield the sources section."""
    yield "sources:"
    for sid in sources:
        year = rng.randint(1990, 2025)
        yield f"  {sid}:"
        yield f"    title: {_text(rng, _sentence(rng, 3, 7))}"
        yield f"    publisher: {rng.choice(['Daily Ledger', 'Wire Service', 'Foreign Desk'])}"
        precision = rng.choices(["day", "month", "year"], weights=[80, 12, 8])[0]
        published = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
        yield f"    date: {_date(rng, published, precision)}"
        if rng.random() < 0.7:
            yield f"    url: https://example.org/{sid}"


def _labels(rng: random.Random, day: dt.date) -> Iterator[str]:
    """Yield an event's countries and tags, now and then."""
    if rng.random() < 0.3:  # states acting as states, one-line or block
        states = rng.sample(_COUNTRIES, rng.randint(1, 2))
        yield f"    countries: [{', '.join(states)}]"
    if rng.random() < 0.4:  # themes, now and then a bare year as people tag them
        tags = rng.sample(_TAGS, rng.randint(1, 2))
        if rng.random() < 0.3:
            tags.append(str(day.year))
        yield f"    tags: [{', '.join(tags)}]"


def _said(
    rng: random.Random, leaders: list[str], people: list[str], sources: list[str]
) -> Iterator[str]:
    """Yield an event's summary and quotes; the sources it cites come last."""
    summary = _sentence(rng, 7, 16)
    if rng.random() < 0.15:
        lines = list(_block(rng, summary, "      "))
        yield f"    summary: {lines[0]}"
        yield from lines[1:]
    else:
        yield f"    summary: {_text(rng, summary)}"
    cited = rng.sample(sources, rng.randint(1, 2))
    quotes = rng.choices(range(4), weights=[5, 3, 2, 1])[0]
    if quotes:
        yield "    quotes:"
        for _ in range(quotes):
            by = rng.choice(leaders or people)
            yield f"      - by: {by}"
            yield f"        text: {_text(rng, _sentence(rng, 5, 20))}"
            yield f"        source: {cited[0]}"
    yield f"    sources: [{', '.join(cited)}]"


def _event(
    rng: random.Random, at: tuple[int, str, dt.date], people: list[str], sources: list[str]
) -> Iterator[str]:
    """Yield one event's lines (number, kind, day given), fields in the schema's order."""
    i, kind, day = at
    precision = rng.choices(["day", "month", "year"], weights=[85, 10, 5])[0]
    leaders = rng.sample(people, rng.choices(range(5), weights=[1, 3, 4, 2, 1])[0])
    yield f"  - id: {kind}-{i}"
    title = rng.choice(_LOOKALIKES) if rng.random() < 0.002 else _sentence(rng, 3, 7)[:-1]
    yield f"    title: {_text(rng, title)}"
    yield f"    date: {_date(rng, day, precision)}"
    if precision == "day" and rng.random() < 0.1:
        end = day + dt.timedelta(days=rng.randint(1, 5))
        yield f"    end: {_date(rng, end, 'day')}"
    yield f"    kind: {kind}"
    if rng.random() < 0.85:
        yield f"    place: {_text(rng, rng.choice(_PLACES))}"
    if rng.random() < 0.8:
        yield f"    leaders: [{', '.join(leaders)}]"
    elif leaders:
        yield "    leaders:"
        yield from (f"      - {p}" for p in leaders)
    yield from _labels(rng, day)
    yield from _said(rng, leaders, people, sources)
    if rng.random() < 0.05:
        yield f"    note: {_text(rng, 'Date from the second source; the first says ' + day.strftime('%B'))}"  # noqa: E501
    if rng.random() < 0.05:
        yield ""


def synth_lines(events: int, seed: int = 0) -> Iterator[str]:
    """Yield the lines of a valid data file with `events` events written as people write YAML."""
    rng = random.Random(seed)
    yield "# yaml-language-server: $schema=events.schema.json"
    yield f"# Synthetic relations: {events} invented events (seed {seed})."
    yield "---"
    yield "title: Synthetic relations"
    yield "description: Invented states and people, for trying the dashboard at scale."
    people: list[str] = []
    yield from _people(rng, people)
    yield ""
    sources = [f"src-{i}" for i in range(200)]
    yield from _sources(rng, sources)
    yield ""
    yield "events:"
    start = dt.date(1990, 1, 1).toordinal()
    heading = 0  # the year of the last '# ---- YYYY ----' comment
    for i in range(events):
        kind = rng.choice(KINDS)
        day = dt.date.fromordinal(start + rng.randint(0, 35 * 365))
        if day.year != heading and rng.random() < 0.02:
            heading = day.year
            yield f"  # ---- {heading} ----"
        yield from _event(rng, (i, kind, day), people, sources)
