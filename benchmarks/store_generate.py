"""Write ICEWS-shaped event data of any size: tab-separated, ICEWS's columns, streamed.

    python benchmarks/store_generate.py 1000000 /tmp/icews-1m.tab [--seed 0]

Rows are made in blocks of BLOCK with numpy and written before the next block is made,
so memory stays flat whatever the size. The shape follows ICEWS: each row is one coded
sentence, a source and a target actor (a person with a country, a state, or a sector of
a state such as "Police (India)"), a CAMEO code, a day, a publisher and a place. States
and actors are drawn with a skewed (Zipf-like) weight, as in ICEWS where a few states
take most events. Invented data for timing only: nothing here is a real event.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

HEADER = (
    "Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country", "Event Text",
    "CAMEO Code", "Intensity", "Target Name", "Target Sectors", "Target Country", "Story ID",
    "Sentence Number", "Publisher", "City", "District", "Province", "Country", "Latitude",
    "Longitude",
)  # fmt: skip
STATES = (
    "United States", "Russia", "China", "Iran", "India", "Turkey", "Israel", "Japan", "France",
    "Germany", "United Kingdom", "Ukraine", "Syria", "Iraq", "Pakistan", "Afghanistan",
    "Egypt", "Saudi Arabia", "South Korea", "North Korea", "Brazil", "Mexico", "Nigeria",
    "South Africa", "Indonesia", "Australia", "Canada", "Italy", "Spain", "Poland", "Vietnam",
    "Philippines", "Thailand", "Malaysia", "Kenya", "Ethiopia", "Sudan", "Libya", "Yemen",
    "Lebanon", "Jordan", "Qatar", "United Arab Emirates", "Kazakhstan", "Azerbaijan",
    "Armenia", "Georgia", "Belarus", "Serbia", "Greece", "Cyprus", "Venezuela", "Colombia",
    "Argentina", "Chile", "Peru", "Cuba", "Bangladesh", "Sri Lanka", "Myanmar", "Nepal",
    "Somalia", "Mali", "Algeria", "Morocco", "Tunisia", "Oman", "Kuwait", "Bahrain", "Norway",
)  # fmt: skip
FIRST = (
    "Amir", "Anna", "Boris", "Chen", "Dmitri", "Elena", "Farid", "Hassan", "Ivan", "Jana",
    "Kenji", "Lena", "Maria", "Nadia", "Omar", "Pedro", "Rosa", "Sergei", "Tariq", "Yusuf",
)  # fmt: skip
LAST = (
    "Abbasi", "Bauer", "Costa", "Demir", "Erikson", "Fofana", "Garcia", "Haddad", "Ivanov",
    "Jensen", "Kato", "Lopez", "Moreau", "Nowak", "Okafor", "Petrov", "Quispe", "Rahimi",
    "Silva", "Tanaka", "Usman", "Volkov", "Wang", "Yilmaz", "Zhou",
)  # fmt: skip
SECTORS = ("Police", "Military", "Foreign Ministry", "Parliament", "Business", "Protesters")
CAMEO = (
    ("010", "Make statement"), ("020", "Make an appeal or request"),
    ("036", "Express intent to meet or negotiate"), ("040", "Consult"),
    ("042", "Make a visit"), ("043", "Host a visit"), ("046", "Engage in negotiation"),
    ("057", "Sign formal agreement"), ("061", "Cooperate economically"),
    ("071", "Provide economic aid"), ("111", "Criticize or denounce"), ("120", "Reject"),
    ("130", "Threaten"), ("141", "Demonstrate or rally"), ("173", "Arrest, detain"),
    ("190", "Use conventional military force"),
)  # fmt: skip
PUBLISHERS = ("Wire Service A", "Daily B", "Agency C", "Broadcaster D", "Gazette E")
ACTORS_PER_STATE = 30  # people per state, ICEWS-like: leaders, ministers, envoys
BLOCK = 50_000
FIRST_DAY = np.datetime64("1995-01-01", "D")
DAYS = int((np.datetime64("2023-12-31") - FIRST_DAY).astype(np.int64)) + 1


def _zipf(rng: np.random.Generator, size: int, n: int) -> np.ndarray:
    """Return indices below n, the first ones far more often (weights 1/(i+1))."""
    weights = 1.0 / np.arange(1, n + 1)
    return rng.choice(n, size=size, p=weights / weights.sum())


def _people() -> list[str]:
    names = [f"{f} {m}. {last}" for m in "ABCDEFGHKLMNPRST" for last in LAST for f in FIRST]
    return names[: len(STATES) * ACTORS_PER_STATE]


def _actors(rng: np.random.Generator, size: int, people: list[str]) -> tuple[list, list, list]:
    """Return each row's actor name, sectors and country: a person, a state or a sector."""
    state = _zipf(rng, size, len(STATES))
    what = rng.random(size)
    person = rng.integers(0, ACTORS_PER_STATE, size)
    sector = rng.integers(0, len(SECTORS), size)
    names, sectors, countries = [], [], []
    for s, w, p, k in zip(
        state.tolist(), what.tolist(), person.tolist(), sector.tolist(), strict=True
    ):
        country = STATES[s]
        if w < 0.45:
            names.append(people[s * ACTORS_PER_STATE + p])
            sectors.append("Executive,Government")
        elif w < 0.8:
            names.append(country)
            sectors.append("NA")
        else:
            names.append(f"{SECTORS[k]} ({country})")
            sectors.append(SECTORS[k])
        countries.append(country)
    return names, sectors, countries


def _block(rng: np.random.Generator, first: int, size: int, total: int, people: list[str]) -> str:
    """Return rows first to first + size of `total`, tab-separated, in date order."""
    days = (FIRST_DAY + (np.arange(first, first + size) * DAYS) // total).astype(str)
    first_id = 1_000_000 + first
    src = _actors(rng, size, people)
    tgt = _actors(rng, size, people)
    cameo = rng.integers(0, len(CAMEO), size)
    intensity = np.round(rng.uniform(-10, 10, size), 1)
    story = rng.integers(10_000_000, 99_999_999, size)
    publisher = rng.integers(0, len(PUBLISHERS), size)
    lat, lon = np.round(rng.uniform(-60, 70, size), 2), np.round(rng.uniform(-180, 180, size), 2)
    lines = []
    for i in range(size):
        code, text = CAMEO[cameo[i]]
        place = src[2][i]
        lines.append(
            f"{first_id + i}\t{days[i]}\t{src[0][i]}\t{src[1][i]}\t{src[2][i]}\t{text}\t{code}\t"
            f"{intensity[i]}\t{tgt[0][i]}\t{tgt[1][i]}\t{tgt[2][i]}\t{story[i]}\t{i % 5 + 1}\t"
            f"{PUBLISHERS[publisher[i]]}\tCapital of {place}\tNA\tProvince of {place}\t{place}\t"
            f"{lat[i]}\t{lon[i]}\n"
        )
    return "".join(lines)


def generate(events: int, out, seed: int = 0) -> None:
    """Write `events` rows and the header to a text stream, one block at a time."""
    rng = np.random.default_rng(seed)
    people = _people()
    out.write("\t".join(HEADER) + "\n")
    for start in range(0, events, BLOCK):
        out.write(_block(rng, start, min(BLOCK, events - start), events, people))


def main(argv: list[str] | None = None) -> int:
    """Write the file the command line names."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("events", type=int)
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    with open(args.out, "w", encoding="utf-8", newline="") as out:
        generate(args.events, out, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
