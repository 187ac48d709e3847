"""The fast path (rapidyaml, Arrow) and the careful path (PyYAML) agree on every file."""

import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, VALID, edit

from timeline import DataError
from timeline.fastpath import read_fast, ryml
from timeline.loader import parse_carefully, text_of
from timeline.synth import synth_lines

pytestmark = pytest.mark.skipif(ryml is None, reason="rapidyaml is not installed")

FILES = [*sorted((ROOT / "tests" / "data").rglob("*.yaml")), ROOT / "events.yaml"]

# Texts that each parser could read differently; the careful path is the reference.
VARIANTS = [
    VALID,
    edit(VALID, 9, "    title: no"),  # YAML 1.1 boolean, 1.2 string
    edit(VALID, 9, "    title: on"),
    edit(VALID, 9, "    title: 1.10"),  # a float to yaml-rs, text to us
    edit(VALID, 9, "    title: 0x1F"),
    edit(VALID, 9, "    title: 007"),
    edit(VALID, 9, "    title: true"),
    edit(VALID, 9, "    title: ~"),  # null: invalid in both
    edit(VALID, 9, "    title: Null"),
    edit(VALID, 12, "    place: ~"),  # null, and allowed: ryml would write "~"
    edit(VALID, 12, "    place: NULL"),
    edit(VALID, 12, '    place: "~"'),  # text in both
    edit(VALID, 2, "people:\n  ivan: {name: Ivan, country: ~}"),
    edit(VALID, 2, "people:\n  putin: {name: A}\n  putin: {name: B}"),
    edit(VALID, 6, "  art: {title: A, publisher: B, date: '2022', date: '2023'}"),
    VALID + "title: Again\n",  # a duplicate top-level key
    VALID + "---\ntitle: Second document\n",
    edit(VALID, 16, '      - {by: putin, text: "tab\\there \\u00e9 \\x41", source: art}'),
    edit(VALID, 16, '      - {by: putin, text: "bell \\x07", source: art}'),
    edit(VALID, 14, "    summary: |\n      Two\n      lines"),
    edit(VALID, 14, "    summary: >-\n      Folded\n      lines\n\n      and a paragraph"),
    edit(VALID, 14, "    summary: 'It''s quoted'"),
    edit(VALID, 14, "    summary: plain\n      continued"),
    edit(VALID, 13, "    leaders: [putin, raisi,]"),
    # Found in review: each of these made rapidyaml accept or change what PyYAML does not.
    edit(VALID, 9, '    title: "a\\ud800b"'),  # a lone surrogate escape
    edit(VALID, 9, '    title: "\\ud83d\\ude00"'),  # an escaped surrogate pair
    edit(VALID, 3, '  putin: {"name": Vladimir Putin, "country":!!binary aGVsbG8=}'),
    edit(VALID, 3, '  putin: {"name":&n Vladimir Putin, "country":*n}'),
    edit(VALID, 12, "    place: nan"),
    edit(VALID, 12, "    place: -Infinity"),
    edit(VALID, 12, "    place: .NaN"),
    edit(VALID, 9, "    title: a\x7fb"),
    edit(VALID, 9, "    title: a\u0085b"),  # NEL: a line break to YAML
    edit(VALID, 9, "    title: a\u0090b"),  # a C1 control
    edit(VALID, 9, "    title: a\ufffeb"),
    "%YAML 1.2\n" + VALID,
    edit(VALID, 12, "    place" + " " * 1100 + ": Tehran"),
    edit(VALID, 9, "    title: a\t\n      b"),  # a tab ending a line of a plain scalar
    edit(VALID, 10, "    date: 2022-07-19"),  # a timestamp to YAML 1.1
    # Control characters PyYAML refuses; rapidyaml writes some (\b, \f) as JSON escapes.
    *(edit(VALID, 9, f"    title: a{chr(c)}b") for c in range(32) if chr(c) not in "\t\n\r"),
    edit(VALID, 9, "    title: a\u2028b"),  # line and paragraph separators: line breaks
    edit(VALID, 9, "    title: a\u2029b"),  # to YAML 1.1, text to YAML 1.2
    edit(VALID, 9, '    title: "a\u2028b"'),
    VALID.replace("\n", "\r"),  # old Mac line ends
    VALID.replace("\n", "\r\n"),
    edit(VALID, 9, "    title: a\rb"),
    edit(VALID, 10, "    date: 2022"),  # a JSON number to rapidyaml, the text "2022" to PyYAML
    edit(VALID, 10, '    date: "2022-02-30"'),
    edit(VALID, 10, '    date: "٢٠٢٢"'),  # Arabic-Indic digits are not a date
    edit(VALID, 9, '    title: "\u00a0"'),  # a no-break space counts as text in both
    edit(VALID, 9, '    title: "  "'),
    edit(VALID, 8, '  - id: "first\\n"'),  # a trailing newline is not part of an id
    edit(VALID, 9, "    title: !!python/object/apply:os.system [echo]"),
    edit(VALID, 9, "    title: !custom First"),
    edit(VALID, 9, "    title: First\n    title: Again"),  # duplicate key
    edit(VALID, 12, "    palce: Tehran"),
    edit(VALID, 13, "    leaders: [putin, putn]"),
    edit(VALID, 13, "    leaders: [putin, null]"),
    edit(VALID, 13, "    leaders: putin"),
    edit(VALID, 17, "    sources: []"),
    edit(VALID, 15, "    quotes:"),  # an explicit null where a list may only be left out
    edit(VALID, 15, "    quotes: []\n    note:"),  # a null the schema allows
    edit(VALID, 13, "    leaders:"),
    edit(VALID, 11, '    end: "2022-07-01"\n    kind: meeting'),
    edit(VALID, 11, '    end: "2022-07"\n    kind: meeting'),  # ends in its own month: fine
    edit(VALID, 2, "people:\n  x: &a {name: A}\n  y: *a"),
    "\ufefftitle: x\n",
    VALID.replace("\n", "\r\n"),
    "\n".join(synth_lines(200, seed=3)),
]


def careful(text: str):
    try:
        return parse_carefully(text)
    except DataError:
        return None


def fast_parse(text):
    """Return what the fast reader makes of a file, or None when it declines."""
    result = read_fast(text)
    return None if isinstance(result, str) else result


def same(a, b) -> None:
    pd.testing.assert_frame_equal(a.events, b.events)
    assert (a.title, a.description, a.people, a.sources) == (
        b.title,
        b.description,
        b.people,
        b.sources,
    )


@pytest.mark.parametrize("text", VARIANTS)
def test_fast_path_never_accepts_what_the_careful_path_rejects(text):
    fast, slow = fast_parse(text), careful(text)
    if fast is not None:
        assert slow is not None, "the fast path accepted an invalid file"
        same(fast, slow)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_both_paths_agree_on_every_test_file(path: Path):
    raw = path.read_bytes()
    fast = fast_parse(raw)
    try:
        slow = careful(text_of(raw, path.name))
    except DataError:
        slow = None  # not UTF-8: the careful path names the byte
    if fast is not None:
        assert slow is not None
        same(fast, slow)


@pytest.mark.parametrize("seed", [1, 2])
def test_generated_files_take_the_fast_path(seed):
    text = "\n".join(synth_lines(500, seed=seed))
    fast = fast_parse(text)
    assert fast is not None  # plain files must not fall back to the slow parser
    same(fast, parse_carefully(text))
    assert len(fast.events) == 500


def test_shipped_file_takes_the_fast_path():
    assert fast_parse((ROOT / "events.yaml").read_text()) is not None


def test_a_long_block_of_marks_is_judged_in_linear_time():
    # Each mark on a block scalar's lines walks up to its header: bounded, so 200,000
    # such lines cost a doubt, not 200,000 walks of 100,000 lines each.
    from timeline.fastpath.guard import MAX_WALK, lexical_doubt

    lines = "".join(f"  *word{i} more\n" for i in range(200_000))
    assert lexical_doubt(("a: |\n" + lines).encode()) == "a tag, anchor or alias (line 202)"
    short = "".join(f"  *word{i} more\n" for i in range(MAX_WALK - 1))
    assert lexical_doubt(("a: |\n" + short).encode()) is None


@pytest.mark.parametrize(
    ("text", "doubt"),
    [
        ("a: !!str x", "a tag, anchor or alias"),
        ("a: [!foo x]", "a tag, anchor or alias"),
        ("a: &anchor x", "a tag, anchor or alias"),
        ("- *alias", "a tag, anchor or alias"),
        ("!tag\na: 1", "a tag, anchor or alias"),  # at the very start
        ('{"a":!tag x}', "a tag, anchor or alias"),  # straight after a colon
        ("a:\n  *alias", "a tag, anchor or alias"),  # a value on the next line
        ('a: "x"\n  *alias', "a tag, anchor or alias"),  # after a closed quote: a node
        ("a: Hello! World", None),  # prose: a mark after a word
        ("a: Q&A and 5 * 3", None),
        ("a: 'wow!'", None),
        ("a: The *Kommersant* daily", None),
        ('a: "Nous sommes prêts !"', None),
        ("a: >\n  intro\n  *Kommersant* reported\n", None),  # inside a block scalar
        ("a: plain text\n  *Kommersant* reported", None),  # a plain scalar's next line
        ('a: "quoted\n  *Kommersant* reported\n  end"', None),
        ("a: text # comment\n  *alias", "a tag, anchor or alias"),  # a comment ends text
        ("a: ~", None),  # YAML 1.1 nulls are caught in rapidyaml's output instead
        ("a: x\tb", None),  # a tab inside text is read alike
        (
            "a:\tb",
            "a tab that indents, separates or ends a value",
        ),  # a mapping to PyYAML, text to ryml
        (
            "a: b\t\n  c",
            "a tab that indents, separates or ends a value",
        ),  # PyYAML drops it, ryml keeps it
        ("a: b\x7fc", "a character PyYAML refuses or reads as a line break, or a directive"),
        ("a: b\u0085c", "a character PyYAML refuses or reads as a line break, or a directive"),
        ("a: b\rc", "a character PyYAML refuses or reads as a line break, or a directive"),
        ("a: b\r\nc: d\r\n", None),
        (
            "%YAML 1.2\n---\na: x",
            "a character PyYAML refuses or reads as a line break, or a directive",
        ),
        ("a: 50%\n", None),
        ('a: "\\u00e9 \\t \\x41"', None),  # escapes both read alike
        ('a: "\\ud83d"', "an escape that rapidyaml reads otherwise"),  # a surrogate
        ('a: "\\e"', "an escape that rapidyaml reads otherwise"),
        (
            'a: "a\\\n\n  b"',
            "an escape that rapidyaml reads otherwise",
        ),  # a line escape, then a blank line
        ("a: >\n  last", "a block scalar in a file with no final line break"),
        ("a: >\n  last\nb: x", None),
        ("a: x\n  y", None),
        ("---\na: x\n", None),
        ("a: [x, y]  # a comment after a flow list\n", None),
        ("a: [x,\n  y]\n", "a flow collection over several lines, or with a comment inside"),
        ("a: {b: c #d}\n", "a flow collection over several lines, or with a comment inside"),
        ("a: {b: x\t}\n", "a tab that indents, separates or ends a value"),
        ("a: {b:}\n", "a key with no value right before a flow indicator"),
        ("a: b\n...\n", None),  # a document end at the end
        ("...\na: b\n", "a document end marker before the end"),
        ("a: |2x\n  b\n", "a block scalar header PyYAML refuses"),
        ("a: |-2 # c\n  b\n", None),
        ("a: &\n", "a tag, anchor or alias"),  # a lone mark where a node starts
        ("a: Q & A, 5 * 3\n", None),  # lone marks in prose
    ],
)
def test_lexical_doubts_send_a_file_to_the_careful_path(text, doubt):
    from timeline.fastpath.guard import lexical_doubt

    found = lexical_doubt(text.encode())
    assert (found and re.sub(r" \(line [\d,]+\)$", "", found)) == doubt


@pytest.mark.parametrize(
    ("text", "doubt"),
    [
        (
            "a: x\nb: [x,\n  y]\n",
            "a flow collection over several lines, or with a comment inside (line 2)",
        ),
        ("a: x\r\nb: x\r\nc: &x y\r\n", "a tag, anchor or alias (line 3)"),  # CRLF
        (
            "a: x\n%YAML 1.2\n",
            "a character PyYAML refuses or reads as a line break, or a directive (line 2)",
        ),  # the match starts at the break before
        ("a: x\n\nb: x\n...\nc: d\n", "a document end marker before the end (line 4)"),
        ("a: x\nb: |2x\n  b\n", "a block scalar header PyYAML refuses (line 2)"),
        ("a: x\nb:\tc\n", "a tab that indents, separates or ends a value (line 2)"),
        ("é: x\n" * 1500 + 'b: "\\e"\n', "an escape that rapidyaml reads otherwise (line 1,501)"),
        ("a: >\n  last", "a block scalar in a file with no final line break"),  # the end
    ],
)
def test_a_doubt_says_on_which_line_it_is(text, doubt):
    # A large file sent to the careful path and refused as too large for it gives this
    # reason in its message: the line is where to change the file.
    from timeline.fastpath.guard import lexical_doubt

    assert lexical_doubt(text.encode()) == doubt


def test_a_long_run_of_tabs_inside_text_is_read_once():
    # A run of tabs in text once made the tab check quadratic (90 s for 60,000 tabs).
    from timeline.fastpath.guard import lexical_doubt

    assert lexical_doubt(b"title: x" + b"\t" * 200_000 + b"y\n") is None
    assert lexical_doubt(b"title: x" + b"\t " * 200_000 + b"}\n") is not None


def test_deep_nesting_that_would_blow_up_the_json_is_declined():
    # rapidyaml indents JSON by depth: 63 levels make it about 64 times the file.
    from timeline.fastpath import read_fast

    text = VALID.split("events:")[0] + "events:\n" + ("- " * 63 + "x\n") * 200
    assert read_fast(text.encode()) == "its JSON would be more than four times the file"


@pytest.mark.parametrize(
    ("data", "nodes"),
    [
        (b"- - - - x\n" * 3, 13),  # a sequence at each dash, and the scalar
        (b"a: [b, c]\n", 5),
        (b"? ? x\n", 3),
    ],
)
def test_the_node_bound_is_never_below_the_nodes(data, nodes):
    from timeline.fastpath.guard import most_nodes

    assert most_nodes(data) >= nodes
