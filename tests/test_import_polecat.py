"""`python -m timeline import polecat`: POLECAT's Dataverse files (PLOVER), streamed.

The sample's header is POLECAT's, as eventdata/polecat.py documents it (the weekly and
yearly Dataverse files, doi:10.7910/DVN/AJGVIT): "None" for a missing value, ";" between
the participants of a multilateral meeting.
"""

import re
import zipfile

import numpy as np
import pytest
import yaml
from conftest import ROOT

from timeline.analysis import meetings
from timeline.eventdata.polecat import PolecatSide
from timeline.eventdata.sides import Kind, Side
from timeline.importers.polecat import _participants
from timeline.lanes import Membership
from timeline.loader import parse_events

DATA = ROOT / "tests" / "data" / "import"
SAMPLE = DATA / "polecat.tsv"
HEADER, *ROWS = SAMPLE.read_text().splitlines()


@pytest.fixture
def run(in_process):
    """Run `import polecat` in process; return (exit code, stdout, stderr)."""
    return lambda *args, env=None: in_process("import", "polecat", *args, env=env)


def events(text: str) -> dict[str, dict]:
    return {e["id"]: e for e in yaml.safe_load(text)["events"]}


@pytest.mark.parametrize(
    ("event_id", "expected"),
    [
        (  # a visit told by two publishers on one day: one event, both stories its sources
            "polecat-20230105-0001",
            {"kind": "visit", "leaders": ["vladimir-putin"], "countries": ["Iran"],
             "sources": ["example-wire-2023-01-06", "other-wire-2023-01-05"]},
        ),
        (  # each participant of a multilateral meeting is on the event
            "polecat-20230110-0003",
            {"kind": "meeting", "countries": ["Russia", "China", "Iran"], "leaders": None},
        ),
        (  # an agency of a state is its state; a part of a state is its state
            "polecat-20230112-0004",
            {"kind": "call", "countries": ["Russia", "Spain"], "leaders": None},
        ),
        ("polecat-20230115-0005", {"kind": "agree", "countries": ["United Nations", "Türkiye"]}),
        ("polecat-20230301-0008", {"kind": "accuse", "countries": ["United States", "Iran"]}),
    ],
)  # fmt: skip
def test_the_sample_imports_event_by_event(run, event_id, expected):
    code, out, _ = run(SAMPLE)
    assert code == 0
    event = events(out)[event_id]
    assert {k: event.get(k) for k in expected} == expected


def test_the_sample_keeps_its_stories_and_people(run):
    code, out, err = run(SAMPLE)
    assert code == 0
    data = yaml.safe_load(out)
    assert data["people"] == {"vladimir-putin": {"name": "Vladimir Putin", "country": "Russia"}}
    note = events(out)["polecat-20230105-0001"]["note"]
    assert note.startswith("POLECAT events 20230105-0001, 20230105-0002.")
    assert "The story names Vladimir Putin, Ebrahim Raisi." in note
    assert "publishers: Example Wire (1), Other Wire (1)" in note
    assert all("url" not in s for s in data["sources"].values())  # POLECAT links none
    assert "1 row was the same interaction coded again" in err


def test_a_multilateral_meeting_counts_each_pair(run):
    code, out, _ = run(SAMPLE)
    assert code == 0
    data = parse_events(out, "out.yaml")
    frame = data.events
    mask = np.asarray(frame["id"] == "polecat-20230110-0003")
    found = meetings(frame, Membership.build(frame, data.people, "country"), mask, data.people)
    at = {key: i for i, key in enumerate(found.keys)}
    for a, b in (("Russia", "China"), ("China", "Iran"), ("Russia", "Iran")):
        assert found.counts[at[a], at[b]] == 1


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (7, "skipped: Event Date: '16/01/2023' is not a date written YYYY-MM-DD"),
        (8, "skipped: Recipient Name: empty; expected whom it was done to"),
    ],
)
def test_each_skipped_row_is_located(run, line, message):
    code, _, err = run(SAMPLE)
    assert code == 0
    assert f"{SAMPLE}:{line}: {message}" in err


@pytest.mark.parametrize(
    ("side", "expected"),
    [
        (PolecatSide(("Vladimir Putin",), ("RUS",), (), "GOV", ("GOV", "ELI"), "President", None),
         [Side("Vladimir Putin", Kind.PERSON, country="Russia", spelled="RUS")]),
        (PolecatSide(("Iran",), ("IRN",), (), "GOV", ("GOV",), None, None),
         [Side("Iran", Kind.STATE, country="Iran", spelled="IRN")]),
        (PolecatSide(("Ministry of Foreign Affairs",), ("RUS",), (), "GOV", ("GOV",), None, None),
         [Side("Ministry of Foreign Affairs", Kind.STATE, country="Russia", spelled="RUS")]),
        (PolecatSide(("Crimea",), ("UKR",), (), None, (), None, None),
         [Side("Crimea", Kind.STATE, country="Ukraine", spelled="UKR")]),
        (PolecatSide(("United Nations",), (), (), "IGO", ("IGO",), None, None),
         [Side("United Nations", Kind.ORGANISATION)]),
        (PolecatSide(("Russia", "China"), ("RUS", "CHN"), (), None, (), None, None),
         [Side("Russia", Kind.STATE, country="Russia", spelled="RUS"), Side("China", Kind.STATE, country="China", spelled="CHN")]),
        # Lists that cannot be paired leave the participants without a country.
        (PolecatSide(("Russia", "China"), ("RUS", "CHN", "IRN"), (), None, (), None, None),
         [Side("Russia", Kind.STATE, country="Russia"), Side("China", Kind.STATE, country="China")]),
    ],
)  # fmt: skip
def test_participants_are_states_unless_polecat_names_a_person(side, expected):
    assert _participants(side) == expected


@pytest.mark.parametrize(
    ("extra", "ids"),
    [
        (("--type", "consult"), ["20230105-0001", "20230110-0003", "20230112-0004"]),
        (("--type", "AGREE", "--type", "accuse"), ["20230115-0005", "20230301-0008"]),
        (("--country", "Russia", "--country", "Iran"), ["20230105-0001", "20230110-0003"]),
        (("--country", "Spain", "--any"), ["20230112-0004"]),
        (("--country", "China", "--any"), ["20230110-0003"]),  # one participant of the meeting
        (("--country", "China", "--country", "Iran"), ["20230110-0003"]),  # two of them
        (("--from", "2023-01-11", "--to", "2023-01-31"), ["20230112-0004", "20230115-0005"]),
        (("--no-fold", "--to", "2023-01-05"), ["20230105-0001", "20230105-0002"]),
    ],
)
def test_filters_keep_the_events_asked_for(run, extra, ids):
    code, out, _ = run(SAMPLE, *extra)
    assert code == 0
    assert sorted(events(out)) == sorted(f"polecat-{i}" for i in ids)


def test_a_meeting_needs_two_participants_asked_for_without_any(run):
    code, _, err = run(SAMPLE, "--country", "China")
    assert code == 1
    assert f"{SAMPLE}: 6 rows outside the filters asked for" in err
    assert f"{SAMPLE}: --country 'China' matched nothing" in err


def test_the_summary_says_which_spellings_each_country_matched(run):
    code, _, err = run(SAMPLE, "--country", "Russian Federation", "--country", "630")
    assert code == 0
    assert f"{SAMPLE}: --country 'Russian Federation' matched 'RUS'" in err
    assert f"{SAMPLE}: --country '630' matched 'IRN'" in err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--type", "consul"), r"'consul' is not a PLOVER event type \(expected one of accuse"),
        (("--country", "Irn"), r"--country: 'Irn' is no state the gazetteer knows"),
        (("--cameo", "04"), r"--cameo is for icews and gdelt only, not polecat"),
    ],
)
def test_usage_errors_exit_2(run, extra, message):
    code, out, err = run(SAMPLE, *extra)
    assert (code, out) == (2, "")
    assert re.search(message, err)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("\n \n", r":1: the file is empty \(expected POLECAT"),
        (
            "Date\tWho\n2023-01-01\tx\n",
            r":1: header: no column Event ID, Event Date, Event Type, Actor Name",
        ),
        (HEADER + "\n", r":1: the file is empty"),
    ],
)
def test_inputs_without_rows_exit_1_and_write_nothing(run, tmp_path, text, message):
    path, out = tmp_path / "in.tsv", tmp_path / "out.yaml"
    path.write_text(text)
    code, stdout, err = run(path, "-o", out)
    assert (code, stdout) == (1, "")
    assert re.search(re.escape(str(path)) + message, err), err
    assert not out.exists()


def test_zipped_weekly_files_are_read_in_order(run, tmp_path):
    path = tmp_path / "polecat.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("week1.tsv", "\n".join([HEADER, *ROWS[:2]]) + "\n")
        archive.writestr("week2.tsv", "\n".join([HEADER, ROWS[5], ROWS[7]]) + "\n")
    code, out, err = run(path)
    assert code == 0
    assert list(events(out)) == ["polecat-20230105-0001", "polecat-20230301-0008"]
    assert f"{path}:week2.tsv:2: skipped: Event Date: '16/01/2023'" in err
