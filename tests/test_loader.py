import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, VALID, edit

from timeline import DataError, parse_events
from timeline.yamldoc import _may_nest_unsafely


def problems(text: str) -> list[tuple[int, int, str]]:
    with pytest.raises(DataError) as info:
        parse_events(text, name="t.yaml")
    return [(p.line, p.column, p.message) for p in info.value.problems]


def test_valid_file_loads():
    data = parse_events(VALID)
    assert data.title == "Test"
    assert list(data.events["id"]) == ["first"]
    assert set(data.people) == {"putin", "raisi"}


# Each row: the line replaced (None deletes it), the expected line and column, and the message.
# fmt: off
MISTAKES = [
        # The parser notices the unclosed list where the next key begins.
        (13, "    leaders: [putin, raisi", (14, 12), r"YAML syntax error: .*flow sequence"),
        (14, None, (8, 5), r"^events\[0\]: missing required field 'summary'"),
        (12, "    palce: Tehran", (12, 5), r"unknown field 'palce' \(did you mean 'place'\?"),
        (12, "    colour: red", (12, 5), r"unknown field 'colour' \(expected one of: id, title"),
        (10, '    date: "2022-02-30"', (10, 11), r"events\[0\]\.date: '2022-02-30' is not a valid"),
        (10, "    date: 19 July 2022", (10, 11), r"expected YYYY, YYYY-MM or YYYY-MM-DD"),
        (11, "    end: 2022-07-01\n    kind: meeting", (11, 10), r"end: '2022-07-01' is before"),
        (8, "  - id: First Event", (8, 9), r"'First Event' is not a valid id \(expected lowercase"),
        (3, "  putin: {name: V}\n  Xi: {name: Xi}", (4, 3), r"people: key 'Xi' is not a valid id"),
        (13, "    leaders: [putin, putn]", (13, 22), r"unknown person 'putn' \(did you mean 'putin'"),
        (16, "      - {by: xi, text: Hi, source: art}", (16, 14), r"quotes\[0\]\.by: unknown person"),
        (16, "      - {by: putin, text: Hi, source: ar}", (16, 39), r"quotes\[0\]\.source: unknown so"),
        (17, "    sources: [art, nyt]", (17, 20), r"sources\[1\]: unknown source 'nyt'"),
        (13, "    leaders: putin", (13, 14), r"leaders: expected a list, like \[a, b\], but got 'p"),
        (9, "    title: First\n    title: Again", (10, 5), r"duplicate key 'title' \(first at line 9"),
        (6, '  art: {title: A, publisher: B, date: "2022", url: "ftp://x.org/a"}', (6, 52),
         r"url: 'ftp://x.org/a' is not a web address \(expected an http:// or https:// URL\)"),
        (14, "    summary: !!python/object/apply:os.system [echo]", (14, 14),
         r"tag '!!python/object/apply:os.system' is not allowed"),
        (14, '    summary: "  "', (14, 14), r"summary: must not be empty"),
        (17, "    sources: []", (17, 14), r"sources: expected at least one entry"),
        (6, "  art: [a, b]", (6, 8), r"sources\.art: expected a mapping of fields but got a list"),
        (1, "title:", (1, 7), r"title: expected text but got nothing"),
]
# fmt: on


@pytest.mark.parametrize(("line", "new", "where", "message"), MISTAKES)
def test_each_mistake_is_located(line, new, where, message):
    found = problems(edit(VALID, line, new))
    assert len(found) == 1, found
    assert found[0][:2] == where
    assert re.search(message, found[0][2]), found[0][2]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", r"the file is empty"),
        ("# nothing but a comment\n", r"the file is empty"),
        ("- a\n- b\n", r"the top level is a list; expected a mapping"),
        ("just words\n", r"the top level is 'just words'; expected a mapping"),
    ],
)
def test_whole_file_mistakes(text, message):
    found = problems(text)
    assert found[0][:2] == (1, 1)
    assert re.search(message, found[0][2])


def test_error_lines_read_file_line_column_message():
    with pytest.raises(DataError, match=r"^t\.yaml:10:11: events\[0\]\.date: '2022-02-30'"):
        parse_events(edit(VALID, 10, '    date: "2022-02-30"'), name="t.yaml")


TWENTY = """\
title: Twenty mistakes
titel: a near miss of title
people:
  putin: {name: Vladimir Putin}
  Raisi: {name: Ebrahim Raisi}
  erdogan: {name: Recep Tayyip Erdogan, country: [Turkey]}
sources:
  art: {title: An article, publisher: A paper, date: "2022-13-01"}
  web: {title: A page, publisher: Someone, date: "2022", url: "javascript:alert(1)"}
events:
  - id: one
    title: One
    date: "2022-02-30"
    kind: Meeting
    leaders: putin
    summary: x
    sources: [art]
  - id: one
    title: Two
    title: Two again
    date: "2022-07-19"
    end: "2022-07-01"
    kind: visit
    leaders: [putn]
    summary: y
    quotes:
      - {by: xi, text: Hello, source: nyt}
      - {by: putin, text: !!python/name:os.system, source: art}
    sources: [nyt]
  - id: Three
    title: Three
    date: "2022"
    kind: report
    summary: z
    palce: Tehran
    sources: []
  - id: four
    date: "2022"
    kind: report
    summary: w
    sources: [art]
"""

# The 20 lines above that each hold one mistake, in order.
TWENTY_LINES = [2, 5, 6, 8, 9, 13, 14, 15, 18, 20, 22, 24, 27, 27, 28, 29, 30, 35, 36, 37]


def test_twenty_mistakes_are_all_reported_at_their_lines():
    found = problems(TWENTY)
    assert [line for line, _, _ in found] == TWENTY_LINES, "\n".join(map(str, found))


def test_frame_columns_and_types():
    text = edit(
        VALID,
        17,
        '    sources: [art]\n  - id: later\n    title: Later\n    date: "2022-08"'
        '\n    end: "2022-09"\n    kind: visit\n    summary: s\n    sources: [art]',
    )
    frame = parse_events(text).events
    # Which columns, not their order: frame.py orders them by the record's fields.
    assert sorted(frame.columns) == sorted(
        [
            "id",
            "title",
            "kind",
            "start",
            "end",
            "last",
            "precision",
            "end_precision",
            "date_label",
            "time",
            "end_time",
            "place",
            "leaders",
            "countries",
            "tags",
            "summary",
            "quotes",
            "sources",
            "note",
            "media",
            "translations",
        ]
    )
    for col in ("start", "end", "last"):
        assert frame[col].dtype == "datetime64[s]"
    assert list(frame["precision"].cat.categories) == ["year", "month", "day"]
    first, later = frame.iloc[0], frame.iloc[1]
    assert first["leaders"] == ["putin", "raisi"]
    assert first["quotes"] == [{"by": "putin", "text": "Hello", "source": "art"}]
    assert pd.isna(first["end"]) and first["last"] == pd.Timestamp("2022-07-19")
    assert later["precision"] == "month" and later["end_precision"] == "month"
    assert later["start"] == pd.Timestamp("2022-08-01")
    assert later["last"] == pd.Timestamp("2022-09-30")  # the end of the end's month
    assert later["date_label"] == "August 2022 – September 2022"
    # Lists left out are empty, not missing; media left out is missing.
    assert list(first["countries"]) == [] and list(later["tags"]) == []
    assert pd.isna(first["media"])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("no", "no"),  # YAML 1.1 would read a boolean; text fields keep what was typed
        ("on", "on"),
        ("1.10", "1.10"),  # a float would lose the trailing zero
        ("2022-07-19", "2022-07-19"),  # a timestamp would become a date object
        ("'quoted'", "quoted"),
    ],
)
def test_scalars_stay_the_text_typed(value, expected):
    data = parse_events(edit(VALID, 9, f"    title: {value}"))
    assert data.events.loc[0, "title"] == expected


def test_month_precision_survives_unquoted_dates():
    data = parse_events(edit(VALID, 10, "    date: 2022-07"))
    assert data.events.loc[0, "precision"] == "month"
    assert data.events.loc[0, "date_label"] == "July 2022"


def test_alias_bomb_is_refused():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        name = chr(ord("a") + i)
        bomb += f"{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
    with pytest.raises(DataError, match=r"aliases expand to more than"):
        parse_events(bomb)


@pytest.mark.parametrize(
    ("date", "label"),
    [
        ("1648-10-24", "24 October 1648"),  # before pandas' nanosecond range begins
        ("0476", "476"),
        ("2999-12", "December 2999"),
    ],
)
def test_dates_far_from_today_load(date, label):
    frame = parse_events(edit(VALID, 10, f'    date: "{date}"')).events
    assert frame.loc[0, "date_label"] == label
    assert frame.loc[0, "start"].year == int(date[:4])


@pytest.mark.parametrize(
    ("line", "new", "message"),
    [
        # A person whose id reads like a collection still gets a person's fields listed.
        (
            3,
            "  events: {nam: Vladimir Putin}",
            r"people\.events\.nam: unknown field 'nam' \(did you mean 'name'\? expected one of: name, country, role\)",
        ),
        (
            16,
            "      - {by: putin, txt: Hi, source: art}",
            r"quotes\[0\]\.txt: unknown field 'txt' \(did you mean 'text'\? expected one of: by, text, source\)",
        ),
        (
            12,
            "    palce: Tehran",
            r"expected one of: id, title, date, end, time, end_time, kind, place, leaders",
        ),
    ],
)
def test_unknown_fields_list_the_fields_of_the_right_record(line, new, message):
    found = [m for _, _, m in problems(edit(VALID, line, new))]
    assert any(re.search(message, m) for m in found), found


def _flow(depth: int) -> str:
    return "title: " + "[" * depth + "]" * depth + "\n"


# Each shape's deepest node is `depth` levels below the top.
def _dashes(depth: int) -> str:
    return "title: x\nevents:\n" + "- " * (depth - 1) + "x\n"


def _indented(depth: int) -> str:
    return "".join(" " * i + f"k{i}:\n" for i in range(depth)) + " " * depth + "x\n"


def _bom_dashes(depth: int) -> str:
    # libyaml skips a byte-order mark at the start of any line.
    return _dashes(depth).replace("events:\n", "events:\n\ufeff")


def _flow_after_tab(depth: int) -> str:
    # libyaml takes a tab before a comment, where PyYAML's Python parser would refuse it.
    return "title: x\t# comment\nevents: " + "[" * depth + "]" * depth + "\n"


def _validate(tmp_path, text: str) -> tuple[Path, subprocess.CompletedProcess]:
    path = tmp_path / "deep.yaml"
    path.write_bytes(text.encode())
    # A subprocess, so a regression that overflows the C stack fails this test alone.
    result = subprocess.run(
        [sys.executable, "-m", "timeline", "validate", str(path)],
        capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    return path, result


# fmt: off
NESTING = [
    # Each shape is reported at the same node whatever the depth: 51 is found while
    # building the data, 100,000 (which crashed PyYAML 6.0.3) by the check before composing.
    (_flow, 51, "1:58"),
    (_flow, 100_000, "1:58"),
    (_dashes, 51, "3:101"),
    (_dashes, 100_000, "3:101"),
    (_indented, 51, "51:51"),  # the first key of the mapping at depth 50
    (_indented, 1_500, "51:51"),  # block levels cost indentation: 1,500 is already 1 MB
    (_bom_dashes, 100_000, "3:102"),
    (_flow_after_tab, 2_000, "2:59"),  # past libyaml 0.2.6's own limit of 1,000
    (_flow_after_tab, 100_000, "2:59"),
]
# fmt: on


@pytest.mark.parametrize(("shape", "depth", "where"), NESTING)
def test_deep_nesting_is_refused_at_the_first_node_too_deep(tmp_path, shape, depth, where):
    path, result = _validate(tmp_path, shape(depth))
    assert result.returncode == 1, result.stderr[-500:]
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{path}:{where}: nested more than 50 levels deep"), first


# YAML ends a line at each of these, not only at \n; marks count them as lines too.
LINE_BREAKS = ["\r", "\r\n", "\x85", "\u2028", "\u2029"]


@pytest.mark.parametrize("brk", LINE_BREAKS, ids=repr)
def test_deep_nesting_is_refused_whatever_ends_the_lines(tmp_path, brk):
    path, result = _validate(tmp_path, _dashes(100_000).replace("\n", brk))
    assert result.returncode == 1, result.stderr[-500:]
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{path}:3:101: nested more than 50 levels deep"), first


# fmt: off
BAD_CHARACTERS = [
    ("title: a\x01b\n", "1:9"),
    ("title: x\r\npeople: {}\r\nsummary: ab\x01\n", "3:12"),  # CRLF is one line break
    ("title: x\npeople: {}\x85summary: éé\x01\n", "3:12"),  # NEL ends a line; é is 2 bytes
    ("title: x\n# " + "é" * 9_000 + "\nsummary: \x02\n", "3:10"),  # past libyaml's 16 KB chunk
]
# fmt: on


@pytest.mark.parametrize(("text", "where"), BAD_CHARACTERS, ids=["lf", "crlf", "nel", "far"])
def test_a_character_yaml_refuses_is_located_by_line_and_column(text, where):
    line, col = map(int, where.split(":"))
    with pytest.raises(DataError, match=r"character U\+000[12] is not allowed in YAML") as caught:
        parse_events(text)
    assert (caught.value.problems[0].line, caught.value.problems[0].column) == (line, col)


# fmt: off
BAD_CHARACTER_AND_DEPTH = [
    # The bad character comes first in the text: it is what is reported.
    ("title: x\x01\n# " + "[" * 1_000 + "\n", "1:9: character U+0001"),
    # The node too deep comes first, but libyaml 0.2.5 reads the next 16 KB chunk, with the
    # bad character, before it yields that node.
    ("title: x\n#" + "p" * 15_350 + "\nevents: " + "[" * 1_016 + "\x01" + "[" * 84,
     "3:59: nested more than 50 levels deep"),
]
# fmt: on


@pytest.mark.parametrize(
    ("text", "first"), BAD_CHARACTER_AND_DEPTH, ids=["character-first", "depth-first"]
)
def test_a_bad_character_and_deep_nesting_report_the_first_in_the_text(tmp_path, text, first):
    path, result = _validate(tmp_path, text)
    assert result.returncode == 1
    assert result.stderr.startswith(f"{path}:{first}"), result.stderr[:300]


@pytest.mark.parametrize("shape", [_flow, _dashes, _indented])
def test_fifty_levels_are_not_too_deep(shape):
    with pytest.raises(DataError) as caught:
        parse_events(shape(50))
    assert "nested more than" not in str(caught.value)


@pytest.mark.parametrize("shape", [_flow, _dashes, _indented, _bom_dashes, _flow_after_tab])
def test_the_cheap_depth_bound_sends_deep_files_to_the_exact_check(shape):
    assert _may_nest_unsafely(shape(1_001))


@pytest.mark.parametrize("brk", LINE_BREAKS, ids=repr)
def test_the_cheap_depth_bound_sees_every_line_break(brk):
    assert _may_nest_unsafely(_dashes(1_001).replace("\n", brk))


def test_flow_pairs_count_twice_in_the_cheap_depth_bound():
    # [k: [k: ...]] opens a sequence and a one-pair mapping at each bracket.
    assert _may_nest_unsafely("title: " + "[k: " * 600 + "x" + "]" * 600)


def test_the_shipped_file_skips_the_exact_depth_check():
    assert not _may_nest_unsafely((ROOT / "events.yaml").read_text())
