"""A large file gives exactly the answer a small one gives, and documented forms stay fast.

Files here are padded past the fast path's threshold with comment lines and loaded through
`timeline.files.load_file`, as the app loads them; the careful path on the same text is
the reference, for the Dataset and for every located message.
"""

import random
from pathlib import Path

import pandas as pd
import pytest
from conftest import VALID, edit
from handwritten import handwritten, padded
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline import DataError, crosscheck
from timeline.fastpath import read_fast, ryml
from timeline.files import load_file
from timeline.loader import FAST_PATH_MIN_BYTES, parse_carefully
from timeline.synth import synth_lines

pytestmark = pytest.mark.skipif(ryml is None, reason="rapidyaml is not installed")


def outcome(load, *args):
    """Return a Dataset's every field, or the lines of the DataError it raised."""
    try:
        data = load(*args)
    except DataError as err:
        return ("error", err.lines())
    return (
        "data",
        data.title,
        data.description,
        data.people,
        data.sources,
        data.periods,
        data.stories,
        data.lang,
        data.translations,
        data.events,
    )


def assert_same(a, b) -> None:
    assert a[0] == b[0], (a[0], a[1] if a[0] == "error" else "", b[1] if b[0] == "error" else "")
    if a[0] == "error":
        assert a[1] == b[1]
    else:
        assert a[1:-1] == b[1:-1]
        pd.testing.assert_frame_equal(a[-1], b[-1])


def large_and_careful(text: str, folder: Path):
    """Load text padded past the threshold as the app does, and with the careful path."""
    big = padded(text, FAST_PATH_MIN_BYTES)
    path = folder / "events.yaml"
    path.write_bytes(big.encode())
    return outcome(load_file, path), outcome(parse_carefully, big, str(path))


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.randoms(use_true_random=False))
def test_large_files_load_as_the_careful_path_reads_them(tmp_path, rng):
    large, careful = large_and_careful(handwritten(rng), tmp_path)
    assert_same(large, careful)


@pytest.mark.parametrize("seed", range(200))
def test_fast_path_agrees_on_generated_files(seed):
    # Unpadded and many: the fast path itself, on every form the generator mixes.
    text = handwritten(random.Random(seed))
    fast = read_fast(text)
    careful = outcome(parse_carefully, text)
    if not isinstance(fast, str):
        assert careful[0] == "data", "the fast path accepted a file the careful path refuses"
        assert_same(outcome(lambda: fast), careful)


# Found by trying the fast path as a user would: each read differently, or was accepted.
DIVERGENT = [
    # Addresses the JSON Schema's pattern takes but the schema's rule refuses (the fast
    # path's Arrow checks see only the pattern; `format: uri` sends them to the rule).
    edit(VALID, 17, "    sources: [art]\n    media: {url: 'https://x.org/a b.jpg'}"),
    edit(VALID, 17, "    sources: [art]\n    media: {url: 'https://'}"),
    edit(VALID, 17, "    sources: [art]\n    media: {url: 'https://x.org/a.jpg', alt: A}"),  # valid
    edit(VALID, 17, "    sources: [art]\n    note: >\n      last").rstrip("\n"),  # clip at EOF
    edit(VALID, 17, "    sources: [art]\n    note: |+\n      last").rstrip("\n"),
    edit(VALID, 14, '    summary: "a\\\n\n      b"'),  # an escaped line break, then a blank line
    edit(VALID, 12, "    place: @home"),  # @ and ` are reserved
    edit(VALID, 9, "    title: `x` marks"),
    edit(VALID, 9, "    title: ]x"),  # flow indicators cannot start plain text
    edit(VALID, 9, "    title: }x"),
    edit(VALID, 9, "    title: <<"),  # a merge key to PyYAML
    edit(VALID, 9, "    title: .5"),  # rapidyaml writes 0.5
    edit(VALID, 9, "    title: 1."),  # rapidyaml writes 1.0
    edit(VALID, 9, "    title: +1"),
    edit(VALID, 9, "    title: nan"),  # rapidyaml writes .nan
    edit(VALID, 12, "    place: ~"),  # nothing to PyYAML
    edit(VALID, 9, "    title:\tFirst"),  # a mapping to PyYAML, text to rapidyaml
    edit(VALID, 9, "    title: First\t\n      more"),
    # Found by an adversarial review: each was accepted or read otherwise by the fast path.
    edit(VALID, 16, "      - {by: putin, source: art, text: Hello\t}"),  # a tab before }
    edit(VALID, 4, "  raisi: {name: Ebrahim Raisi\t}"),
    edit(VALID, 16, "      - {by: putin, text: a #b\n        , source: art}"),  # a comment in flow
    edit(VALID, 4, "  raisi: {name: a #b}"),
    edit(
        VALID,
        15,
        '    quotes: [{by: putin, source: art,\n      text: "Hello"}, # "\n       {by: putin, source: art, text: &a Hi}, {by: raisi, source: art, text: *a}]',
    )[:-1].replace('      - {by: putin, text: "Hello", source: art}\n', "")
    + "\n",
    edit(VALID, 13, "    leaders: [putin,\n      raisi,\n       !x raisi]"),  # a tag on a flow line
    edit(VALID, 10, '    date: "0000"'),  # no year 0 in the calendar
    edit(VALID, 10, '    date: "0000-07-19"'),
    "...\n" + VALID,  # a document end before the document
    "# c\n...\n---\n" + VALID,
    edit(VALID, 12, "    place: &"),  # a lone anchor or alias mark
    edit(VALID, 9, "    title: *"),
    edit(VALID, 4, "  raisi: {name: %x}"),  # indicators that cannot start text in flow
    edit(VALID, 4, "  raisi: {name: :x}"),
    edit(VALID, 4, "  raisi: {name: ?x}"),
    edit(VALID, 4, "  raisi: {name: Ebrahim Raisi, country:}"),  # no value before }
    edit(VALID, 14, "    summary: |2x\n      They met."),  # block scalar headers PyYAML refuses
    edit(VALID, 14, "    summary: | -\n      They met."),
    edit(VALID, 14, "    summary: >  +\n      They met."),
    "title" + " \t" * 520 + ": Test\n" + VALID.split("\n", 1)[1],  # a key over 1,024 characters
    # Flow lists with values rapidyaml may write otherwise, or nested: left to the careful path.
    edit(VALID, 13, "    leaders: [putin, raisi]\n    tags: [1.0, energy]"),
    edit(VALID, 13, "    leaders: [putin, raisi]\n    tags: [.5]"),
    edit(VALID, 13, "    leaders: [putin, raisi]\n    tags: [2022, yes, ~]"),
    edit(VALID, 13, "    leaders: [putin, raisi]\n    tags: [0x10, 1_000]"),
    edit(VALID, 13, "    leaders: [putin, raisi]\n    tags: [1, [2]]"),  # not a list of text
    edit(VALID, 13, "    leaders: [putin, raisi]\n    tags: [{a: 1}]"),
    edit(VALID, 13, "    leaders: [putin, 2022]"),  # no such person
    edit(VALID, 13, "    leaders: [putin, raisi]\n    tags: [\n      2022,\n      energy]"),
    edit(VALID, 13, "    leaders: [putin, raisi]\n    tags: [-.inf, +1, 1e3]"),
]


@pytest.mark.parametrize("text", DIVERGENT)
def test_large_files_that_rapidyaml_reads_otherwise(tmp_path, text):
    large, careful = large_and_careful(text, tmp_path)
    assert_same(large, careful)


# Every form the README documents as valid: each must stay on the fast path.
DOCUMENTED = [
    edit(VALID, 10, "    date: 2022"),  # a year, unquoted: a JSON number to rapidyaml
    edit(VALID, 10, "    date: 2022-07"),
    edit(VALID, 10, "    date: 2022-07-19"),
    edit(VALID, 10, "    date: '2022-07-19'"),
    edit(VALID, 10, "    date: 2022-07-19\n    end: 2023"),
    edit(VALID, 6, "  art: {title: An article, publisher: A paper, date: 2022}"),
    VALID + "periods:\n  - {title: War, from: 2021}\n",
    "---\n" + VALID,
    "# a comment first\n---\n" + VALID + "...\n",
    edit(VALID, 9, "    title: 1984"),  # numbers and booleans where text belongs
    edit(VALID, 12, "    place: 1600"),
    edit(VALID, 9, "    title: 1.10"),
    edit(VALID, 9, "    title: -0"),
    edit(VALID, 9, "    title: 1e3"),
    edit(VALID, 11, "    kind: true"),
    edit(VALID, 9, "    title: false"),
    edit(VALID, 9, "    title: no"),  # YAML 1.1 booleans
    edit(VALID, 9, "    title: on"),
    edit(VALID, 9, "    title: 0x1F"),
    edit(VALID, 14, "    summary: The *Kommersant* daily"),  # prose with marks
    edit(VALID, 14, "    summary: Trade &Investment, Q&A, Wow!"),
    edit(VALID, 14, '    summary: "Nous sommes prêts !"'),
    edit(VALID, 14, "    summary: C# and #hashtags are text, # this is a comment"),
    edit(VALID, 14, "    summary: >\n      The daily\n      *Kommersant* reported"),
    edit(VALID, 14, '    summary: "a\ttab inside quotes"'),
    edit(VALID, 14, "    summary: a\ttab inside text"),
    edit(VALID, 14, '    summary: "\\u00e9 \\x41 \\t \\N \\U0001F600 \\\\ \\""'),
    edit(VALID, 14, '    summary: "a\\\n      b"'),  # an escaped line break
    *(
        edit(VALID, 14, f"    summary: {h}\n      One\n\n      Two\n")
        for h in ("|", ">", "|-", ">-", "|+", ">+")
    ),
    edit(VALID, 14, "    summary: plain\n      over lines\n\n      and a paragraph"),
    edit(VALID, 14, "    summary: 'single '' quoted\n      over lines'"),
    edit(VALID, 13, "    leaders:\n      - putin\n      - raisi"),
    edit(VALID, 8, "  # a comment between events\n  - id: first  # and after a value"),
    VALID.replace("\n", "\r\n"),
    "\ufeff" + VALID,
    VALID.rstrip("\n"),  # no final line break
    edit(VALID, 14, "    summary: " + "Wow! Q&A * " * 2000),  # more than 10,000 marks
    # Numbers and booleans inside flow lists: rapidyaml writes `[2022,"energy"]`.
    edit(VALID, 13, "    leaders: [putin, raisi]\n    tags: [2022, energy]"),
    edit(VALID, 13, "    leaders: [putin, raisi]\n    tags: [2022, 1.5, -3, true, 'a,1', x]"),
    edit(VALID, 13, "    leaders: [putin, raisi]\n    countries: [1923]\n    tags: [ 7 ,8]"),
    edit(VALID, 14, "    summary: In 2021,2022 and [2023] they met, 1,500 times"),  # in text
    edit(VALID, 16, "      - {by: putin, text: 1984, source: art}"),  # a flow mapping
    VALID.split("  - id:")[0]
    + "  - {id: e1, title: 1984, date: 2022, kind: true, summary: S, sources: [art], tags: [7]}\n",
    # Times of day, bare (rapidyaml and the careful path both keep 14:30 as text) or quoted.
    edit(VALID, 10, "    date: 2022-07-19\n    time: 14:30"),
    edit(VALID, 10, "    date: 2022-07-19\n    time: '09:05'\n    end_time: '23:59'"),
    edit(
        VALID, 10, "    date: 2022-07-19\n    end: 2022-07-20\n    time: 23:00\n    end_time: 01:00"
    ),
    VALID + "stories:\n  - id: one\n    title: One\n    steps:\n      - {event: first}\n"
    "      - {event: first, narration: 1984}\n",
]


@pytest.mark.parametrize("text", DOCUMENTED)
def test_documented_forms_take_the_fast_path(tmp_path, text):
    result = read_fast(padded(text, FAST_PATH_MIN_BYTES))
    assert not isinstance(result, str), result
    large, careful = large_and_careful(text, tmp_path)
    assert large[0] == "data"
    assert_same(large, careful)


@pytest.mark.parametrize("chunk", [5, 64, 1 << 20])
def test_bare_values_are_quoted_once_whatever_the_chunks(monkeypatch, chunk):
    # The JSON is scanned in chunks of a megabyte; small ones put every kind of line
    # across a chunk's edge (a flow list across one was once written twice).
    from timeline.fastpath import columns

    monkeypatch.setattr(columns, "_CHUNK", chunk)
    events = "".join(
        f"  - {{id: e{i}, title: {1984 + i}, date: {2000 + i}, kind: visit, summary: S, "
        f"sources: [art], tags: [{i}, {i}.5, energy, -{i}], countries: [Iran, {1900 + i}]}}\n"
        for i in range(1, 40)
    )
    text = VALID + events.replace("  - {", "  - {", 1)
    result = read_fast(text)
    assert not isinstance(result, str), result
    assert_same(outcome(lambda: result), outcome(parse_carefully, text))
    assert list(result.events["tags"].iloc[-1]) == ["39", "39.5", "energy", "-39"]


class _CountingFinds(bytes):
    """JSON bytes that count the searches for a line's end made in them."""

    def find(self, *args):
        self.finds = getattr(self, "finds", 0) + 1
        return super().find(*args)


def test_a_long_line_is_walked_once_not_once_per_value(monkeypatch):
    # One search per chunk at most, and each line matched once, however many values and
    # chunks it holds: a search from every value made `tags: [1, 2, ...]` quadratic.
    from timeline.fastpath import columns

    monkeypatch.setattr(columns, "_CHUNK", 64)
    matched: list[int] = []
    real = columns._JSON_LINE

    class Spy:
        def fullmatch(self, document, line, end):
            matched.append(line)
            return real.fullmatch(document, line, end)

    monkeypatch.setattr(columns, "_JSON_LINE", Spy())
    values = b",".join(b"%d" % (1000 + i) for i in range(2000))
    long_line = b'  "tags": [' + values + b',"x",1.0],\n'  # 1.0 may be rewritten: left bare
    document = _CountingFinds(b"{\n" + long_line + b'  "ok": [7,"y"]\n}')
    out = b"".join(columns.quote_bare_values(document, 0, len(document)))
    assert out == b"{\n" + long_line + b'  "ok": ["7","y"]\n}'
    assert len(matched) == 2
    assert document.finds <= len(document) // 64 + 1


@pytest.mark.parametrize("seed", [1, 2])
def test_synthetic_files_take_the_fast_path_and_agree(seed):
    text = "\n".join(synth_lines(400, seed=seed)) + "\n"
    result = read_fast(text)
    assert not isinstance(result, str), result
    assert_same(outcome(lambda: result), outcome(parse_carefully, text))
    assert len(result.events) == 400


@pytest.mark.parametrize(
    "events",
    [
        "[{}, {}]",  # no fields at all: the frame cannot be built, the checks say why first
        "[{id: a, title: T, date: '2022', kind: visit, summary: S}]",  # no sources
    ],
)
def test_events_missing_fields_are_declined_with_the_checks_reason(events):
    text = VALID.split("events:")[0] + "events: " + events + "\n"
    assert read_fast(text) == "a value or shape the fast checks do not take"


def test_overlapping_loads_leave_stderr_as_it_was(capfd):
    import os
    import threading

    broken = padded(VALID + "bad: a: b\n", FAST_PATH_MIN_BYTES).encode()  # rapidyaml fails
    good = padded(VALID, FAST_PATH_MIN_BYTES).encode()
    before = os.fstat(2)
    results: list[object] = []

    def load(raw: bytes) -> None:
        for _ in range(3):
            results.append(read_fast(raw))

    threads = [threading.Thread(target=load, args=(raw,)) for raw in [broken, good] * 4]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    after = os.fstat(2)
    assert (after.st_dev, after.st_ino) == (before.st_dev, before.st_ino)
    assert sum(isinstance(r, str) and r.startswith("rapidyaml") for r in results) == 12
    assert sum(not isinstance(r, str) for r in results) == 12
    os.write(2, b"still here\n")
    assert capfd.readouterr().err == "still here\n"  # nothing of rapidyaml's, and not silenced


_SECOND = "  - {id: %s, title: Second, date: '2022-08', kind: call, summary: S, sources: [art]}\n"
# Each rule across fields (timeline/crosscheck.py), broken once. Both ways in apply the
# same rule: the fast path declines with the rule's words, and the file, small or large,
# gets the careful path's one located message.
RULE_BREAKS = [
    (
        crosscheck.EVENT_END,
        edit(VALID, 11, "    end: 2022-06\n    kind: meeting"),  # ends before it starts
        "events[0].end: '2022-06' is before the date '2022-07-19' "
        "(expected an end on or after the date)",
    ),
    (
        crosscheck.PERIOD_END,
        VALID + "periods:\n  - {title: War, from: 2021, to: 2020-12}\n",
        "periods[0].to: '2020-12' is before its start '2021' (expected an end on or after the start)",
    ),
    (
        "duplicate id",
        VALID + _SECOND % "first",
        "events[1].id: duplicate id 'first' (already used by events[0]; "
        "expected each event id once)",
    ),
    (
        crosscheck.REFERENCES[0],
        edit(VALID, 13, "    leaders: [putin, putn]"),
        "events[0].leaders[1]: unknown person 'putn' (did you mean 'putin'? known: putin, raisi)",
    ),
    (
        crosscheck.REFERENCES[1],
        edit(VALID, 17, "    sources: [art, arts]"),
        "events[0].sources[1]: unknown source 'arts' (did you mean 'art'? known: art)",
    ),
    (
        crosscheck.REFERENCES[2],
        edit(VALID, 16, '      - {by: khamenei, text: "Hello", source: art}'),
        "events[0].quotes[0].by: unknown person 'khamenei' (known: putin, raisi)",
    ),
    (
        crosscheck.REFERENCES[3],
        edit(VALID, 16, '      - {by: putin, text: "Hello", source: tass}'),
        "events[0].quotes[0].source: unknown source 'tass' (known: art)",
    ),
    (
        crosscheck.REFERENCES[4],
        edit(VALID, 17, "    sources: [art]\n    translations: [{lang: fa, title: T, source: tas}]"),
        "events[0].translations[0].source: unknown source 'tas' (known: art)",
    ),
    (
        "translated twice",
        edit(VALID, 17, "    sources: [art]\n    translations:\n      - {lang: fa, title: A, "
             "source: art}\n      - {lang: fa, title: B, source: art}"),
        "events[0].translations[1].lang: 'fa' is translated twice (already in "
        "events[0].translations[0]; expected one translation per language)",
    ),
    (
        "the file's own language",
        edit(VALID, 1, "title: Test\nlang: fa").replace(
            "    sources: [art]\n", "    sources: [art]\n    translations: "
            "[{lang: fa, title: A, source: art}]\n"),
        "events[0].translations[0].lang: 'fa' is the file's own language (lang: fa; expected "
        "a translation into another language)",
    ),
    (
        "the file's translations",
        VALID + "translations: [{lang: fa, title: A, source: ar}]\n",
        "translations[0].source: unknown source 'ar' (did you mean 'art'? known: art)",
    ),
    (
        crosscheck.EVENT_END,
        edit(VALID, 10, "    date: 2022-07-19\n    time: '14:30'\n    end_time: '14:00'"),
        "events[0].end_time: '14:00' is before the time '14:30' on the same day "
        "(expected an end time on or after the time)",
    ),
    (
        crosscheck.TIME_RULES[0],
        edit(VALID, 10, "    date: 2022-07\n    time: '14:30'"),
        "events[0].time: '14:30' is given with the date '2022-07', which is not a whole day "
        "(expected a time only with a date written YYYY-MM-DD)",
    ),
    (
        crosscheck.TIME_RULES[1],
        edit(VALID, 10, "    date: 2022-07-19\n    end_time: '14:30'"),
        "events[0].end_time: '14:30' is given without a time (expected `time` with "
        "`end_time`, like time: '14:30')",
    ),
    (
        crosscheck.STORY_REFERENCES[0],
        VALID + "stories:\n  - {id: one, title: One, steps: [{event: frist}]}\n",
        "stories[0].steps[0].event: unknown event 'frist' (did you mean 'first'? known: first)",
    ),
    (
        "duplicate story id",
        VALID + "stories:\n  - {id: one, title: One, steps: [{event: first}]}\n"
        "  - {id: one, title: Two, steps: [{event: first}]}\n",
        "stories[1].id: duplicate id 'one' (already used by stories[0]; "
        "expected each story id once)",
    ),
    (
        "a story's translation's source",
        VALID + "stories:\n  - {id: one, title: One, steps: [{event: first}], translations: "
        "[{lang: fa, title: A, source: ar}]}\n",
        "stories[0].translations[0].source: unknown source 'ar' (did you mean 'art'? known: art)",
    ),
    (
        "a story translated twice",
        VALID + "stories:\n  - {id: one, title: One, steps: [{event: first}], translations: "
        "[{lang: fa, title: A, source: art}, {lang: fa, title: B, source: art}]}\n",
        "stories[0].translations[1].lang: 'fa' is translated twice (already in "
        "stories[0].translations[0]; expected one translation per language)",
    ),
    (
        "a story in the file's own language",
        edit(VALID, 1, "title: Test\nlang: fa") + "stories:\n  - {id: one, title: One, steps: "
        "[{event: first}], translations: [{lang: fa, title: A, source: art}]}\n",
        "stories[0].translations[0].lang: 'fa' is the file's own language (lang: fa; expected "
        "a translation into another language)",
    ),
    (
        "a translated step of no step",
        VALID + "stories:\n  - {id: one, title: One, steps: [{event: first}], translations: "
        "[{lang: fa, title: A, source: art, steps: [{event: frist, narration: N}]}]}\n",
        "stories[0].translations[0].steps[0].event: 'frist' is no step of this story (did you "
        "mean 'first'? known: first)",
    ),
]
_DOUBTS = {
    "duplicate id": crosscheck.DUPLICATE_DOUBT,
    crosscheck.TIME_RULES[0]: crosscheck.TIME_DOUBT,
    crosscheck.TIME_RULES[1]: crosscheck.TIME_DOUBT,
    crosscheck.STORY_REFERENCES[0]: crosscheck.STORY_DOUBT,
    "duplicate story id": crosscheck.STORY_DOUBT,
    "translated twice": crosscheck.TRANSLATION_DOUBT,
    "the file's own language": crosscheck.TRANSLATION_DOUBT,
    "the file's translations": crosscheck.TRANSLATION_DOUBT,
    "a story's translation's source": crosscheck.TRANSLATION_DOUBT,
    "a story translated twice": crosscheck.TRANSLATION_DOUBT,
    "a story in the file's own language": crosscheck.TRANSLATION_DOUBT,
    "a translated step of no step": crosscheck.TRANSLATION_DOUBT,
}


def test_every_rule_across_fields_has_a_broken_file():
    rules = {rule for rule, _, _ in RULE_BREAKS}
    assert rules == {
        crosscheck.EVENT_END,
        crosscheck.PERIOD_END,
        "duplicate id",
        *crosscheck.REFERENCES,
        *crosscheck.TIME_RULES,
        *crosscheck.STORY_REFERENCES,
        "duplicate story id",
        "translated twice",
        "the file's own language",
        "the file's translations",
        "a story's translation's source",
        "a story translated twice",
        "a story in the file's own language",
        "a translated step of no step",
    }


def _rule_name(rule) -> str:
    if isinstance(rule, crosscheck.EndRule):
        return f"{rule.items}.{rule.end}"
    if isinstance(rule, crosscheck.TimeRule):
        return f"events.{rule.field}"
    if isinstance(rule, crosscheck.Reference):
        return ".".join(filter(None, (rule.field, rule.inner)))
    return rule


@pytest.mark.parametrize(
    ("rule", "text", "message"), RULE_BREAKS, ids=[_rule_name(r) for r, _, _ in RULE_BREAKS]
)
def test_a_broken_rule_reads_alike_on_both_paths(tmp_path, rule, text, message):
    doubt = _DOUBTS.get(rule) or getattr(rule, "doubt", crosscheck.UNKNOWN_DOUBT)
    assert read_fast(padded(text, FAST_PATH_MIN_BYTES)) == doubt
    small = outcome(parse_carefully, text)
    assert small[0] == "error"
    assert [line.split(": ", 1)[1] for line in small[1]] == [message]
    large, careful = large_and_careful(text, tmp_path)
    assert_same(large, careful)
    assert [line.split(": ", 1)[1] for line in large[1]] == [message]


@pytest.mark.parametrize(
    "text",
    [
        edit(VALID, 11, "    end: 2022-07\n    kind: meeting"),  # ends in its own month
        edit(VALID, 11, "    end: 2022-07-19\n    kind: meeting"),  # the same day
        VALID + "periods:\n  - {title: War, from: 2021-05, to: 2021}\n",  # in its own year
        VALID + _SECOND % "second",
        edit(VALID, 10, "    date: 2022-07-19\n    time: '14:30'\n    end_time: '14:30'"),
        edit(
            VALID,
            10,
            "    date: 2022-07-19\n    end: 2022-07-20\n    time: '14:30'\n    end_time: '09:00'",
        ),
        VALID + "stories:\n  - {id: one, title: One, steps: [{event: first}]}\n"
        "  - {id: two, title: Two, steps: [{event: first}]}\n",
        # Two events may each have a translation into one language; the file's is another.
        edit(VALID, 1, "title: Test\nlang: en\ntranslations: [{lang: fa, title: T, source: art}]")
        + _SECOND.replace("[art]}", "[art], translations: [{lang: fa, title: D, source: art}]}")
        % "second",
        # A story translated, its step's narration too; the file's own language is another.
        edit(VALID, 1, "title: Test\nlang: en") + "stories:\n  - {id: one, title: One, steps: "
        "[{event: first}], translations: [{lang: fa, title: A, source: art, steps: [{event: "
        "first, narration: N}]}, {lang: ru, title: B, source: art}]}\n",
    ],
)
def test_the_rules_keep_what_they_allow_on_the_fast_path(tmp_path, text):
    assert not isinstance(read_fast(padded(text, FAST_PATH_MIN_BYTES)), str)
    large, careful = large_and_careful(text, tmp_path)
    assert large[0] == "data"
    assert_same(large, careful)
