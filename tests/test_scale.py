"""Large files: the generator, the density view and a 10,000-event file in the app."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import ROOT, VALID
from streamlit.testing.v1 import AppTest

from timeline.figures import MAX_MARKERS, density_figure
from timeline.filters import Index, filter_mask
from timeline.loader import parse_events
from timeline.state import FilterState
from timeline.synth import KINDS, synth_lines

APP = str(ROOT / "app.py")


@pytest.fixture(scope="module")
def big_text() -> str:
    """The generator's 3,000 events (seed 7), made once for the module's tests."""
    return "\n".join(synth_lines(3000, seed=7)) + "\n"


@pytest.fixture(scope="module")
def big(big_text):
    return parse_events(big_text)


def test_generator_writes_a_valid_realistic_file(big):
    frame = big.events
    assert len(frame) == 3000 and len(big.people) == 60
    assert set(frame["kind"]) == set(KINDS)
    leaders = frame["leaders"].map(len)
    assert leaders.min() == 0 and leaders.max() == 4
    quotes = frame["quotes"].map(len)
    assert quotes.min() == 0 and quotes.max() == 3
    assert set(frame["precision"]) == {"year", "month", "day"}
    assert frame["end"].notna().sum() > 100  # spans
    words = [len(q["text"].split()) for qs in frame["quotes"][:300] for q in qs]
    assert min(words) >= 5 and max(words) <= 23  # 5 to 20 words, and now and then a phrase


@pytest.mark.parametrize(
    ("form", "pattern", "least"),
    [
        ("an unquoted full date", r"(?m)^    date: \d{4}-\d\d-\d\d$", 1000),
        ("an unquoted month", r"(?m)^    date: \d{4}-\d\d$", 150),
        ("an unquoted year", r"(?m)^    date: \d{4}$", 60),
        ("a quoted date", r"(?m)^    date: [\"']", 300),
        ("a block scalar", r"(?m)^    summary: [|>][-+]?$", 200),
        ("a block list", r"(?m)^      - [a-z]", 200),
        ("a comment line", r"(?m)^  # ", 10),
        ("a single-quoted title", r"(?m)^    title: '", 50),
        ("an escape", r"\\u00e9|\\t", 5),
        ("non-ASCII text", r"[^\x00-\x7f]", 1000),
        ("a mark in prose", r"\*Kommersant\*|&Investment|Q&A", 50),
    ],
)
def test_generator_writes_the_forms_people_write_by_hand(big_text, form, pattern, least):
    import re

    assert len(re.findall(pattern, big_text)) >= least, form


def test_generator_command_is_repeatable_and_validates(tmp_path, capsys):
    from timeline.cli import main

    # Two processes: a seed must give the same file whatever each one's hash seed is.
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = [sys.executable, "-m", "timeline", "synth", "--events", "200", "--seed", "5"]
    first = subprocess.run(run, capture_output=True, text=True, env=env, check=True).stdout
    again = subprocess.run(run, capture_output=True, text=True, env=env, check=True).stdout
    assert first == again
    path = tmp_path / "synth.yaml"
    path.write_text(first)
    # Validated in process: the command's exit codes have subprocess tests in test_cli.
    code = main(["validate", str(path)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert ": OK, 200 events, 60 people, 200 sources" in out


def test_density_counts_every_event_on_every_lane(big):
    index = Index.build(big.events, big.people)
    mask = filter_mask(big.events, FilterState(), index)
    fig = density_figure(big.events, mask, index.leader, big.people)
    heat = fig.data[0]
    assert heat.type == "heatmap"
    pairs = sum(max(1, len(ls)) for ls in big.events["leaders"])
    assert np.nansum(np.array(heat.z, dtype=float)) == pairs
    assert len(heat.y) == len(index.leader.keys) + 1  # every leader, and the no-leader lane


def test_density_of_one_leader_draws_only_the_lanes_it_keeps(big):
    # A filter that empties other lanes: their keys were looked up and raised KeyError.
    index = Index.build(big.events, big.people)
    leader = index.leader.keys[0]
    mask = filter_mask(big.events, FilterState(leaders=(leader,)), index)
    fig = density_figure(big.events, mask, index.leader, big.people)
    heat = fig.data[0]
    kept = big.events["leaders"].to_numpy()[mask]
    assert 0 < mask.sum() < len(mask)
    assert np.nansum(np.array(heat.z, dtype=float)) == sum(len(ls) for ls in kept)
    assert len(heat.y) == len({k for ls in kept for k in ls})


def _markers(at: AppTest) -> list[dict]:
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    return spec["data"]


def test_app_shows_density_above_the_threshold_and_markers_below(tmp_path, monkeypatch):
    path = tmp_path / "big.yaml"
    path.write_text("\n".join(synth_lines(MAX_MARKERS + 500, seed=3)) + "\n")
    monkeypatch.setenv("TIMELINE_EVENTS", str(path))
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path / "cache"))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception
    assert [t["type"] for t in _markers(at)] == ["heatmap"]
    assert "too many to draw one by one" in at.info[0].value
    # One leader's events are few enough for markers again, with their quotes in the hover.
    at.multiselect(key="leader").set_value([at.multiselect(key="leader").options[0]]).run()
    assert not at.exception
    traces = _markers(at)
    assert "heatmap" not in {t.get("type") for t in traces}
    assert any("customdata" in t for t in traces)
    assert not any("too many" in i.value for i in at.info)


def test_a_10000_event_file_runs_through_the_app(tmp_path, monkeypatch):
    path = tmp_path / "ten-thousand.yaml"
    path.write_text("\n".join(synth_lines(10_000, seed=11)) + "\n")
    # What the search must find, read independently: PyYAML and plain string tests. Its
    # libyaml loader reads the same safe YAML 1.1 as safe_load in a quarter of the time.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # a PyYAML built without libyaml
    raw = yaml.load(path.read_text(), Loader=loader)["events"]
    texts = [
        # str(): YAML 1.1 reads an unquoted 2022 as a number; the app reads every value as text
        # Search covers place, note, states and tags too; people here have invented names,
        # countries and roles, none of which holds either word.
        " ".join(
            map(
                str,
                [
                    e["title"],
                    e["summary"],
                    e.get("place", ""),
                    e.get("note", ""),
                    *(q["text"] for q in e.get("quotes") or []),
                    *(e.get("countries") or []),
                    *(e.get("tags") or []),
                ],
            )
        ).lower()
        for e in raw
    ]
    expected = sum("energy" in t and "trade" in t for t in texts)
    monkeypatch.setenv("TIMELINE_EVENTS", str(path))
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path / "cache"))
    at = AppTest.from_file(APP, default_timeout=300)
    at.run()
    assert not at.exception
    assert any(m.value == "**10000 of 10000 events**" for m in at.markdown)
    assert len(at.dataframe[0].value) == 1000  # the table is capped; downloads hold all
    at.text_input(key="q").set_value("energy trade").run()
    assert not at.exception
    shown = int(next(m.value for m in at.markdown if m.value.endswith("events**")).split()[0][2:])
    assert shown == expected and 0 < expected < 10_000


def test_disk_cache_serves_a_restart_without_parsing(tmp_path, monkeypatch):
    from timeline import files

    path = tmp_path / "events.yaml"
    path.write_text(Path(ROOT / "events.yaml").read_text())
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path / "cache"))
    first = files.load_cached(path)
    calls = []
    parse = files.parse_events
    monkeypatch.setattr(
        files, "parse_events", lambda raw, name: calls.append(name) or parse(raw, name)
    )
    again = files.load_cached(path)
    assert calls == []  # read back from the cache
    pd.testing.assert_frame_equal(again.events, first.events, check_exact=True)
    assert (again.title, again.people, again.sources, again.periods) == (
        first.title, first.people, first.sources, first.periods,
    )  # fmt: skip


def test_disk_cache_never_serves_a_replaced_file(tmp_path, monkeypatch):
    # Same size, same modification time, other content: what `touch -r` and some sync
    # tools and archive extractors leave behind.
    from timeline import files

    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "events.yaml"
    path.write_text(VALID)
    before = files.stamp(path)
    assert files.load_cached(path).title == "Test"
    path.write_text(VALID.replace("title: Test", "title: Tset"))
    os.utime(path, ns=(before[0], before[0]))
    assert os.stat(path).st_size == before[2] and os.stat(path).st_mtime_ns == before[0]
    assert files.load_cached(path).title == "Tset"
    assert files.stamp(path) != before  # the change time tells the page's own cache


@pytest.mark.parametrize(
    "planted",
    [
        b"not an arrow file",
        b"ARROW1\x00\x00garbage",
        # A pickle that would write a file if it were ever unpickled.
        b"cos\nsystem\n(S'touch PWNED'\ntR.",
    ],
)
def test_disk_cache_ignores_and_replaces_what_it_did_not_write(tmp_path, monkeypatch, planted):
    from timeline import files

    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "events.yaml"
    path.write_text(VALID)
    files.load_cached(path)
    (entry,) = (tmp_path / "cache").glob("*.arrow")
    entry.write_bytes(planted)
    assert files.load_cached(path).title == "Test"
    assert not (tmp_path / "PWNED").exists()
    assert files.read_entry(entry).title == "Test"  # written anew


def test_disk_cache_keeps_the_last_few_versions_of_each_file(tmp_path, monkeypatch):
    from timeline import files

    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path / "cache"))
    path, other = tmp_path / "events.yaml", tmp_path / "other.yaml"
    other.write_text(VALID)
    files.load_cached(other)
    for i in range(6):
        path.write_text(VALID.replace("title: Test", f"title: Version {i}"))
        files.load_cached(path)
    entries = list((tmp_path / "cache").glob("*.arrow"))
    assert len(entries) == files.KEEP_PER_FILE + 1  # the other file's entry stays
    titles = sorted(files.read_entry(e).title for e in entries)
    assert titles == ["Test", "Version 3", "Version 4", "Version 5"]
