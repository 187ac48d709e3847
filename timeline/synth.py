"""Synthetic but realistic data files, for scale tests and benchmarks."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator

KINDS = ["meeting", "summit", "visit", "agreement", "statement", "report", "call", "talks"]
_FIRST = "Amara Bogdan Chen Dmitri Elena Farid Greta Hiro Ines Jonas Kwame Leila".split()
_FIRST += "Mateo Nadia Omar Priya Quentin Rosa Sergei Tariq".split()
_LAST = "Abbasi Bauer Castillo Dubois Eriksen Fofana Garcia Haddad Ivanova Jensen".split()
_LAST += "Kato Lindqvist Mensah Novak Okafor Petrov Quispe Rahimi Silva Tanaka".split()
# Invented countries: the synthetic data must never pass for real events.
_COUNTRIES = "Atlantis Borduria Carpania Drovnia Elbonia Freedonia Genovia Hyrkania".split()
_COUNTRIES += "Illyria Krakozhia Latveria Molvania Orsinia Ruritania Syldavia Tomainia".split()
_ROLES = ["President", "Prime Minister", "Foreign Minister", "King", "Chancellor", "Envoy"]
_PLACES = ["Geneva", "Vienna", "Ashgabat", "Tehran", "Moscow", "Ankara", "Doha", "Oslo", "Astana"]
_WORDS = (
    "we the our partnership cooperation will continue to strengthen trade security energy "
    "relations between two countries region stability sovereignty sanctions dialogue "
    "agreement future friendship respect mutual interests people support peace challenges "
    "together economic development investment border talks progress commitment historic "
    "important step new era neighbours responsibility must and in of for with on a is are"
).split()


def _sentence(rng: random.Random, low: int, high: int) -> str:
    words = rng.choices(_WORDS, k=rng.randint(low, high))
    return " ".join(words).capitalize() + "."


def _q(text: str) -> str:
    # A JSON string is also a valid double-quoted YAML scalar.
    return json.dumps(text, ensure_ascii=False)


def synth_lines(events: int, seed: int = 0) -> Iterator[str]:
    """Yield the lines of a valid data file with `events` realistic events."""
    rng = random.Random(seed)
    people = []
    used: set[str] = set()
    while len(people) < 60:
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        pid = f"{first}-{last}".lower()
        if pid in used:
            continue
        used.add(pid)
        people.append(pid)
        yield from () if len(people) > 1 else ("title: Synthetic relations", "people:")
        country, role = rng.choice(_COUNTRIES), rng.choice(_ROLES)
        yield f"  {pid}: {{name: {_q(first + ' ' + last)}, country: {country}, role: {role}}}"
    yield "sources:"
    sources = [f"src-{i}" for i in range(200)]
    for sid in sources:
        year = rng.randint(1990, 2025)
        yield f"  {sid}:"
        yield f"    title: {_q(_sentence(rng, 4, 9))}"
        yield f"    publisher: {rng.choice(['Daily Ledger', 'Wire Service', 'Foreign Desk'])}"
        yield f'    date: "{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"'
        if rng.random() < 0.7:
            yield f"    url: https://example.org/{sid}"
    yield "events:"
    start = dt.date(1990, 1, 1).toordinal()
    for i in range(events):
        kind = rng.choice(KINDS)
        day = dt.date.fromordinal(start + rng.randint(0, 35 * 365))
        roll = rng.random()
        date = day.isoformat()[:7] if roll < 0.12 else day.isoformat()[:4] if roll < 0.2 else None
        leaders = rng.sample(people, rng.choices(range(5), weights=[1, 3, 4, 2, 1])[0])
        yield f"  - id: {kind}-{i}"
        yield f"    title: {_q(_sentence(rng, 3, 8)[:-1])}"
        yield f'    date: "{date or day.isoformat()}"'
        if date is None and rng.random() < 0.1:
            yield f'    end: "{(day + dt.timedelta(days=rng.randint(1, 5))).isoformat()}"'
        yield f"    kind: {kind}"
        if rng.random() < 0.85:
            yield f"    place: {rng.choice(_PLACES)}"
        yield f"    leaders: [{', '.join(leaders)}]"
        yield f"    summary: {_q(_sentence(rng, 12, 30))}"
        cited = rng.sample(sources, rng.randint(1, 2))
        quotes = rng.choices(range(4), weights=[5, 3, 2, 1])[0]
        if quotes:
            yield "    quotes:"
            for _ in range(quotes):
                by = rng.choice(leaders or people)
                yield f"      - by: {by}"
                yield f"        text: {_q(_sentence(rng, 10, 60))}"
                yield f"        source: {cited[0]}"
        yield f"    sources: [{', '.join(cited)}]"
