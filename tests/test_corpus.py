"""Malformed and hostile files: each gets its own clear, located message, in the CLI and the page."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest

BAD = ROOT / "tests" / "data" / "bad"

# fmt: off
# Each row: the file, the line of its first error, and what the message must say.
CORPUS = [
    ("alias-bomb.yaml", 1, r"aliases expand to more than 100,000 nodes"),
    ("binary-nul.yaml", 2, r"NUL byte at character 12; expected a text file"),
    ("control-character.yaml", 14, r"14:24: character U\+000B is not allowed in YAML"),  # after 'é'
    ("custom-tag.yaml", 12, r"events\[0\]\.place: tag '!city' is not allowed"),
    ("date-wrong-form.yaml", 10, r"'19/07/2022' is not a valid date \(expected YYYY, YYYY-MM or YYYY-MM-DD\)"),
    ("deep-nesting.yaml", 1, r"1:58: nested more than 50 levels deep; expected an events file"),
    ("duplicate-event-id.yaml", 18, r"events\[1\]\.id: duplicate id 'first' \(already used by events\[0\]"),
    ("duplicate-key.yaml", 10, r"duplicate key 'title' \(first at line 9\)"),
    ("duplicate-person.yaml", 5, r"people\.putin: duplicate key 'putin' \(first at line 3\)"),
    ("empty-title.yaml", 1, r"title: must not be empty"),
    ("empty.yaml", 1, r"the file is empty; expected a mapping with title, people, sources and events"),
    ("end-before-date.yaml", 11, r"end: '2022-07-01' is before the date '2022-07-19'"),
    ("invalid-date.yaml", 10, r"'2022-02-30' is not a valid date"),
    ("javascript-url.yaml", 6, r"'javascript:alert\(1\)' is not a web address \(expected an http:// or https:// URL\)"),
    ("leaders-not-a-list.yaml", 13, r"leaders: expected a list, like \[a, b\], but got 'putin, raisi'"),
    ("long-line-with-mistake.yaml", 10, r"'2022-13' is not a valid date"),  # beside a 1 MB line
    ("malformed-id.yaml", 8, r"'First Meeting!' is not a valid id"),
    ("malformed-kind.yaml", 11, r"'Bilateral Meeting' is not a valid kind"),
    ("merge-key.yaml", 5, r"merge keys \('<<'\) are not supported"),
    ("missing-events.yaml", 1, r"missing required field 'events'"),
    ("missing-title.yaml", 1, r"missing required field 'title'"),
    ("multi-document.yaml", 18, r"expected a single document"),
    ("no-sources.yaml", 17, r"sources: expected at least one entry"),
    ("non-utf8.yaml", 14, r"byte 0xe9 at offset 348 is not UTF-8"),
    ("only-comments.yaml", 1, r"the file is empty"),
    ("people-as-list.yaml", 3, r"people: expected a mapping of fields but got a list"),
    ("python-name-tag.yaml", 9, r"tag '!!python/name:os\.system' is not allowed"),
    ("python-tag.yaml", 14, r"tag '!!python/object/apply:os\.system' is not allowed"),
    ("syntax-tab-indent.yaml", 12, r"YAML syntax error: .*tab character"),
    ("syntax-unclosed-list.yaml", 14, r"YAML syntax error: .*flow sequence"),
    ("syntax-unclosed-quote.yaml", 16, r"YAML syntax error"),
    ("top-level-list.yaml", 1, r"the top level is a list; expected a mapping"),
    ("top-level-scalar.yaml", 1, r"the top level is 'just a sentence'"),
    ("unknown-field-near-miss.yaml", 12, r"unknown field 'palce' \(did you mean 'place'\?"),
    ("unknown-leader.yaml", 13, r"unknown person 'putn' \(did you mean 'putin'\?"),
    ("unknown-quote-person.yaml", 16, r"quotes\[0\]\.by: unknown person 'xi'"),
    ("unknown-source.yaml", 17, r"sources\[1\]: unknown source 'nyt'"),
    ("unknown-top-level-field.yaml", 2, r"unknown field 'subtitle' \(did you mean 'title'\?"),
    ("utf16.yaml", 1, r"the file is UTF-16 .* expected UTF-8"),
    ("yes-as-leader.yaml", 13, r"unknown person 'yes'"),  # YAML 1.1 would read a boolean
]
# fmt: on


def test_the_corpus_is_complete():
    assert sorted(p.name for p in BAD.glob("*.yaml")) == sorted(name for name, _, _ in CORPUS)
    assert len(CORPUS) >= 30


@pytest.mark.parametrize(("name", "line", "message"), CORPUS)
def test_validator_names_the_line_and_the_mistake(name, line, message):
    path = BAD / name
    result = subprocess.run(
        [sys.executable, "-m", "timeline", "validate", str(path)],
        capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{path}:{line}:"), first
    assert re.search(message, first), first
    assert not Path("/tmp/pwned").exists()


@pytest.mark.parametrize(("name", "line", "message"), CORPUS)
def test_page_shows_the_error_and_nothing_breaks(name, line, message, monkeypatch):
    path = BAD / name
    monkeypatch.setenv("TIMELINE_EVENTS", str(path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    assert "error" in at.error[0].value
    assert f"{path.name}:{line}:" in at.code[0].value


def test_files_over_the_size_limit_are_refused_before_parsing(tmp_path, monkeypatch):
    path = tmp_path / "big.yaml"
    path.write_text((ROOT / "events.yaml").read_text())
    monkeypatch.setenv("TIMELINE_MAX_BYTES", "1000")
    result = subprocess.run(
        [sys.executable, "-m", "timeline", "validate", str(path)],
        capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert result.returncode == 1
    assert "over the limit of 1,000; set TIMELINE_MAX_BYTES to a larger number" in result.stderr
