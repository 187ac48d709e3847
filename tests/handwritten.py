"""Small data files written the way people write YAML by hand, valid or not, from a seed.

Each file mixes, at random, the forms the README allows (dates of every precision quoted
or not, numbers and YAML 1.1 words where text belongs, `---`, prose with `*`, `&`, `!`
and `#`, tabs and escapes in quoted text, block scalars of every chomping, comments,
CRLF, a BOM) with the mistakes and oddities people make (reserved characters, tags,
anchors, aliases, separating tabs, bad escapes, no final line break, unknown fields,
duplicate keys). The fast path and the careful path must give the same answer on all.
"""

from __future__ import annotations

import json
import random

# Plain values that YAML 1.1 or JSON would read as something other than text: the careful
# path reads each as the text typed, so each is valid wherever text belongs.
LOOKALIKES = [
    "1984", "1.10", "2022", "-0", "0", ".5", "-.5", "1.", "1.0", "+1", "1e3", "1E3", "1.5e-3",
    "0x1F", "0o7", "007", "1_000", "1:20", "true", "false", "True", "FALSE", "yes", "no", "on",
    "off", ".nan", "nan", "NaN", ".inf", "-.inf", "inf", "=", "-x", ":x", "?x", "x#y",
    "a 'b' c", 'a "b" c', "x\\y", "ok",
]  # fmt: skip
# Plain values that are nothing (YAML 1.1 nulls), or that PyYAML refuses or reads as
# something else: reserved and flow indicators, node properties, a merge key, a comment.
MISTAKES = ["null", "Null", "NULL", "~", "<<", "@home", "`x` marks", "]x", "}x", "%x", ",x",
            "|x", ">x", "!x", "&x", "*x", "#x", "- x", "x: y", "x #y"]  # fmt: skip
WORDS = ["Talks", "on", "trade", "Erdoğan", "Tōkyō", "don’t", "Q&A", "Wow!", "*Kommersant*",
         "&Investment", "prêts !", "C#", "5 * 3", "50%", "a:b", "x,y", "[note]", "{x}", "«ok»",
         "@handle", "`code`", "—", "naïve"]  # fmt: skip
ESCAPES = ["\\t", "\\n", "\\u00e9", "\\x41", "\\N", "\\_", "\\/", "\\\\", '\\"', "\\ ",
           "\\0", "\\e", "\\a", "\\ud83d", "\\U0001F600", "\\L", "\\q"]  # fmt: skip


def _words(rng: random.Random) -> str:
    return " ".join(rng.choices(WORDS, k=rng.randint(1, 5)))


def _dq(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def scalar(rng: random.Random, text: str, indent: str, risk: float) -> list[str]:
    """Write text in one of YAML's scalar forms; the first item goes after `key: `."""
    careless = rng.random() < risk
    roll = rng.random() * (1 if careless else 0.9)
    if roll < 0.35 and (careless or _plain_ok(text)):
        return [text]  # plain, whatever it holds
    if roll < 0.5 or (roll < 0.35 and not careless):
        return [_dq(text)]
    if roll < 0.58:
        return ["'" + text.replace("'", "''") + "'"]
    if roll < 0.66:  # double-quoted with escapes and tabs
        inner = _dq(text)[1:-1]
        cut = rng.randint(0, len(inner))
        while cut and inner[cut - 1] == "\\":
            cut -= 1
        escapes = ESCAPES if rng.random() < risk else ESCAPES[:11]
        extra = rng.choice([*escapes, "\t", "\\\n" + indent, "\\\n\n" + indent])
        return [f'"{inner[:cut]}{extra}{inner[cut:]}"']
    if roll < 0.8:  # a block scalar of any chomping, maybe with blank lines
        header = rng.choice(["|", ">", "|-", ">-", "|+", ">+", "|2", ">1-"])
        body = [indent + text.replace("\n", " ")]
        if rng.random() < 0.4:
            body += ["", indent + _words(rng)]
        if rng.random() < 0.2:
            body.append(indent + "  " + _words(rng))  # a more-indented line
        if rng.random() < 0.2:
            body.append("")
        return [header, *body]
    if roll < 0.9:  # plain or quoted over several lines
        quote = rng.choice(["", '"', "'"]) if careless or _plain_ok(text) else '"'
        text = _dq(text)[1:-1] if quote == '"' else text.replace("'", "''") if quote else text
        return [quote + text, indent + _words(rng), *([""] if rng.random() < 0.3 else []),
                indent + "end" + quote]  # fmt: skip
    # A node property, a tab, a comment: each a mistake or a rare form.
    return [
        rng.choice(
            [f"&a {text}", "*a", f"!!str {text}", f"!x {text}", f"\t{text}",
             f"{text}\t", f"{text} # a comment", f"{text}\t# a tab, then a comment", ""]
        )
    ]  # fmt: skip


def _plain_ok(text: str) -> bool:
    """Say whether text can be written plain and read back as itself."""
    return not (
        text[:1] in "[]{}#&*!|>'\"%@`,?:-<~" or ": " in text or " #" in text
        or text.endswith((":", " ")) or text in ("null", "Null", "NULL")
    )  # fmt: skip


def text_value(rng: random.Random, risk: float) -> str:
    """Return text for a field: prose, or now and then a look-alike of another type."""
    if rng.random() < risk:
        return rng.choice(MISTAKES)
    return rng.choice(LOOKALIKES) if rng.random() < 0.25 else _words(rng)


def date_value(rng: random.Random, risk: float) -> str:
    """Return a date as typed: any precision, quoted or not, now and then impossible."""
    year = rng.choice(["2022", "1648", "0476", "9999", "2022"])
    text = rng.choice([year, f"{year}-07", f"{year}-07-19", f"{year}-07-19"])
    if rng.random() < risk:
        text = rng.choice([f"{year}-02-29", "2022-13", "22-07-19", "2022-7", "2022-07-19T10:00"])
    quote = rng.choice(["", "", '"', "'"])
    return f"{quote}{text}{quote}"


def ids(rng: random.Random, known: list[str], risk: float) -> str:
    """Return a list of ids in flow or block style (block style starts on the next line)."""
    chosen = rng.sample(known, rng.randint(0, len(known)))
    if rng.random() < risk:
        chosen.append(rng.choice(["putn", "2023", "true", "~"]))
    if rng.random() < 0.7:
        return "[" + ", ".join(chosen) + "]"
    return "\n" + "\n".join(f"      - {c}" for c in chosen) if chosen else "[]"


def labels(rng: random.Random, choices: list[str]) -> str:
    """Return a list of free labels in flow or block style, bare numbers and all."""
    chosen = rng.sample(choices, rng.randint(0, 3))
    if rng.random() < 0.7:
        return "[" + rng.choice([", ", ",", " , "]).join(chosen) + "]"
    return "\n" + "\n".join(f"      - {c}" for c in chosen) if chosen else "[]"


COUNTRIES = ["Iran", "Russia", "Türkiye", "1923", "2022", "United States"]
TAGS = ["energy", "drones", "ukraine-war", "2022", "1.5", "-3", "true", "no", "1.0", "'7'"]


def handwritten(rng: random.Random) -> str:
    """Return one small data file, as a person might write it, valid or not."""
    risk = rng.choice([0.0, 0.0, 0.02, 0.1])  # how careless this writer is
    people = ["putin", "raisi", "erdogan"]
    lines = ["# Relations, by hand"] if rng.random() < 0.5 else []
    if rng.random() < 0.3:
        lines.append("---")
    title = scalar(rng, text_value(rng, risk), "  ", risk)
    lines += [f"title: {title[0]}", *title[1:]]
    lines += [
        "people:",
        "  putin: {name: Vladimir Putin, country: Russia}",
        f"  raisi: {{name: {_dq('Ebrahim Raisi')}, country: Iran}}",
        "  erdogan:",
        "    name: Recep Tayyip Erdoğan  # with the g-breve",
        f"    country: {rng.choice(['Türkiye', 'Turkey', '1923', 'true', '~'])}",
        "sources:",
        "  nyt:",
        f"    title: {rng.choice(['Russia and Iran grow closer', '2022', 'no'])}",
        "    publisher: The New York Times",
        f"    date: {date_value(rng, risk)}",
        "events:",
    ]
    for i in range(rng.randint(1, 5)):
        if rng.random() < 0.2:
            lines.append(rng.choice(["  # ---- July ----", "", "# a comment at column 0"]))
        bad_id = rng.random() < risk
        lines.append(
            f"  - id: {rng.choice(['event-0', 'Event', '2022']) if bad_id else f'event-{i}'}"
        )
        fields = {
            "title": lambda: scalar(rng, text_value(rng, risk), "      ", risk),
            "date": lambda: [date_value(rng, risk)],
            "kind": lambda: [
                rng.choice(
                    ["meeting", "visit", "true", "no", "Meeting", "2022"][
                        : 6 if rng.random() < risk else 4
                    ]
                )
            ],
            "place": lambda: scalar(rng, text_value(rng, risk), "      ", risk),
            "leaders": lambda: [ids(rng, people, risk)],
            "countries": lambda: [labels(rng, COUNTRIES)],
            "tags": lambda: [labels(rng, TAGS)],
            "summary": lambda: scalar(rng, text_value(rng, risk), "      ", risk),
            "quotes": lambda: [_quotes(rng, risk)],
            "sources": lambda: [
                rng.choice(
                    ["[nyt]", "\n      - nyt", "[]", "nyt"][: 4 if rng.random() < risk else 2]
                )
            ],
            "note": lambda: scalar(rng, text_value(rng, risk), "      ", risk),
            "end": lambda: [date_value(rng, risk) if rng.random() < risk else "'9999-12-31'"],
            "palce": lambda: ["Tehran"],
        }
        required = ["title", "date", "kind", "summary", "sources"]
        optional = [f for f in fields if f not in required and f != "palce" and rng.random() < 0.35]
        if rng.random() < risk:
            optional.append("palce")  # a misspelt field
        chosen = [f for f in required if rng.random() >= risk / 4] + optional
        rng.shuffle(chosen)
        if chosen and rng.random() < risk:
            chosen.append(chosen[0])  # a duplicate key
        for name in chosen:
            value = fields[name]()
            lines += [f"    {name}: {value[0]}".rstrip(" "), *value[1:]]
    if rng.random() < 0.15:
        lines += ["periods:", f"  - {{title: War, from: {date_value(rng, risk)}}}"]
    if rng.random() < risk:
        lines += rng.choice([["..."], ["---", "title: again"], ["title: again"]])
    text = "\n".join(lines)
    if rng.random() < 0.85:
        text += "\n"  # most editors end a file with a line break
    if rng.random() < 0.1:
        text = text.replace("\n", "\r\n")
    if rng.random() < 0.05:
        text = "\ufeff" + text
    return text


def _quotes(rng: random.Random, risk: float) -> str:
    if rng.random() < 0.5:
        text = scalar(rng, text_value(rng, risk), "          ", risk)
        if len(text) > 1 or rng.random() < 0.5:
            return "\n" + "\n".join(
                ["      - by: putin", f"        text: {text[0]}", *text[1:], "        source: nyt"]
            )
    return f"\n      - {{by: raisi, text: {_dq(_words(rng))}, source: nyt}}"


def padded(text: str, size: int) -> str:
    """Return text with comment lines before it, so that it is at least `size` bytes."""
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    line = "# " + "padding " * 12 + ("\r\n" if "\r\n" in text else "\n")
    need = max(0, size - len(text.encode()))
    return bom + line * (need // len(line) + 1) + text.removeprefix(bom)
