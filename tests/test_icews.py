"""`import icews` on rows shaped like a real ICEWS year: sides, --country, folded repeats.

tests/data/import/icews-2018.tab holds made-up rows in the Dataverse files' columns and
conventions: states named apart from their country column (Russia / Russian Federation),
parts of states (Crimea, Catalonia, Scotland, Sicily), the Palestinian Territory and
Macedonia, sectors and agencies of states, people with their offices as sectors, NA for
missing values, and interactions told by several stories and coded from each side.
"""

import io
import re
import zipfile

import pytest
import yaml
from conftest import ROOT

from timeline import gazetteer
from timeline.cli import main
from timeline.eventdata.countries import CountryFilter, RepeatedCountry, UnknownCountry
from timeline.importers.command import IMPORTERS
from timeline.importers.common import ImportFailure, Options
from timeline.importers.yamlout import fields

TAB = ROOT / "tests" / "data" / "import" / "icews-2018.tab"
# The README's example, as written there, on this file.
README = ("--country", "Iran", "--country", "Russia", "--cameo", "04", "--from", "2018-01",
          "--to", "2018-06")  # fmt: skip
README_IDS = [
    "icews-27000001",  # Russia → Iran, three stories and the other side's coding
    "icews-27000006",  # Putin → Rouhani, a call
    "icews-27000008",  # Lavrov → Zarif, a visit, three stories and the other side's
    "icews-27000012",  # Foreign Affairs (Russia) → Government (Iran)
    "icews-27000015",  # Military (Russia) → Iran
    "icews-27000019",  # Atomic Energy Organization of Iran → Rosatom: agencies
    "icews-27000024",  # Iran → Russia, two stories
    "icews-27000027",  # Rouhani hosts Putin: "43" is 043
]


def imported(**options):
    return IMPORTERS["icews"](TAB.read_bytes(), TAB.name, Options(**options), None)


def events(**options) -> dict[str, dict]:
    return {e.id: fields(e) for e in imported(**options).file.events}


def run(capsys, *args: str) -> tuple[int, str]:
    """Run the command line in process; return its exit code and what it wrote to stderr."""
    try:
        code = main(list(args))
    except SystemExit as exit:  # argparse's usage errors
        code = int(exit.code or 0)
    return code, capsys.readouterr().err


def test_the_readme_example_works_as_written(capsys, tmp_path):
    out = tmp_path / "events.yaml"
    code, err = run(capsys, "import", "icews", str(TAB), *README, "-o", str(out))
    assert code == 0, err
    written = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert [e["id"] for e in written["events"]] == README_IDS
    assert sorted(p["name"] for p in written["people"].values()) == [
        "Hassan Rouhani", "Mohammad Javad Zarif", "Sergey Lavrov", "Vladimir Putin",
    ]  # fmt: skip
    lines = err.splitlines()
    assert f"{TAB}: --country 'Iran' matched 'Iran'" in lines
    assert f"{TAB}: --country 'Russia' matched 'Russian Federation'" in lines
    assert f"{TAB}: 12 rows outside the filters asked for" in lines
    assert lines[-1] == f"{TAB}: wrote 8 events, 4 people and 13 sources to {out}"
    checked = run(capsys, "validate", str(out))
    assert checked[0] == 0


# --- Sides: a person only when ICEWS names one ---------------------------------------------


@pytest.mark.parametrize(
    ("event", "leaders", "countries"),
    [
        # the case: a state named apart from its country column is a state
        ("icews-27000001", None, ["Russian Federation", "Iran"]),  # Russia → Iran
        ("icews-27000024", None, ["Iran", "Russian Federation"]),  # Iran → Russia
        ("icews-27000006", ["vladimir-putin", "hassan-rouhani"], None),
        ("icews-27000016", ["ebrahim-raisi", "vladimir-putin"], None),  # Executive,Government,Elite
        # parts of states: their state, from the row's country column
        ("icews-27000013", None, ["Ukraine", "Russian Federation"]),  # Crimea → Russia
        ("icews-27000014", None, ["Spain"]),  # Catalonia → Spain: Spain once
        ("icews-27000022", None, ["United Kingdom", "Russian Federation"]),  # Scotland
        ("icews-27000023", None, ["Italy", "Macedonia"]),  # Sicily → Macedonia
        ("icews-27000017", None, ["Occupied Palestinian Territory", "Russian Federation"]),
        ("icews-27000018", None, ["Macedonia", "Russian Federation"]),
        # sectors and agencies: their state
        ("icews-27000005", None, ["India"]),  # Citizen (India) → Police (India)
        ("icews-27000012", None, ["Russian Federation", "Iran"]),  # Foreign Affairs (Russia)
        ("icews-27000015", None, ["Russian Federation", "Iran"]),  # Military (Russia)
        ("icews-27000019", None, ["Iran", "Russian Federation"]),  # AEOI → Rosatom
        # organisations: with a country, that country; without, their own name
        ("icews-27000020", None, ["Occupied Palestinian Territory", "Iran"]),  # Hamas
        ("icews-27000021", None, ["United Nations", "Iran"]),
    ],
)
def test_each_side_is_a_person_only_when_icews_names_one(event, leaders, countries):
    found = events()[event]
    assert (found.get("leaders"), found.get("countries")) == (leaders, countries)


def test_no_state_part_or_agency_is_a_person():
    people = imported().file.people
    assert {p.name: p.country for p in people.values()} == {
        "Vladimir Putin": "Russian Federation",  # the country as the file writes it
        "Hassan Rouhani": "Iran",
        "Sergey Lavrov": "Russian Federation",
        "Mohammad Javad Zarif": "Iran",
        "Ebrahim Raisi": "Iran",
    }
    for person in people.values():
        assert gazetteer.state_of(person.name) is None and "(" not in person.name


def test_a_summary_names_people_with_their_country_and_states_by_their_name():
    found = events()
    assert found["icews-27000006"]["summary"] == (
        "Vladimir Putin (Russian Federation): Discuss by telephone (CAMEO 041), with Hassan "
        "Rouhani (Iran) as the target."
    )
    assert found["icews-27000013"]["title"] == "Accuse: Crimea → Russia"


# --- --country: any name or code, every spelling; unknown names refused ---------------------


@pytest.mark.parametrize(
    "russia", ["Russia", "Russian Federation", "russian federation", "RUS", "RU", "365"]
)
def test_country_takes_any_name_or_code_of_the_state(capsys, tmp_path, russia):
    out = tmp_path / "out.yaml"
    args = [*README[:2], "--country", russia, *README[4:]]
    code, err = run(capsys, "import", "icews", str(TAB), *args, "-o", str(out))
    assert code == 0, err
    written = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert [e["id"] for e in written["events"]] == README_IDS
    assert f"{TAB}: --country {russia!r} matched 'Russian Federation'" in err.splitlines()


@pytest.mark.parametrize(
    ("asked", "message"),
    [
        ("Russ", r"^--country: 'Russ' is no state the gazetteer knows; did you mean 'Russia'"),
        ("Rusia", r"did you mean 'Russia' or 'Tunisia' or 'Austria'\? expected a state's name"),
        ("Irn", r"did you mean 'Iran' or 'Ireland'\?"),
        ("United Nations", r"'United Nations' is no state the gazetteer knows"),
        ("Crimea", r"'Crimea' is a part of Ukraine, not a state; did you mean 'Ukraine'\?"),
        ("Catalonia", r"'Catalonia' is a part of Spain, not a state"),
        ("x" * 200, r"^--country: 'x{60}'\.\.\. \(200 characters\) is no state"),
        ("", r"'' is no state the gazetteer knows; expected a state's name or code"),
    ],
)
def test_an_unknown_country_is_refused_with_the_nearest_names(capsys, asked, message):
    with pytest.raises(UnknownCountry, match=message):
        CountryFilter.build(["Iran", asked])
    code, err = run(capsys, "import", "icews", str(TAB), "--country", "Iran", "--country", asked)
    assert code == 2
    assert "usage: python -m timeline import" in err
    assert re.search(message.removeprefix("^"), err), err


@pytest.mark.parametrize(
    ("asked", "message"),
    [
        (("North Macedonia", "MKD"), r"^--country: 'MKD' names North Macedonia, asked for already as 'North Macedonia'; give each state once"),
        (("Iran", "Russia", "Russian Federation"), r"'Russian Federation' names Russia, asked for already as 'Russia'"),
        (("RUS", "365"), r"'365' names Russia, asked for already as 'RUS'"),  # a COW number
        (("Iran", "iran"), r"'iran' names Iran, asked for already as 'Iran'"),
    ],
)  # fmt: skip
def test_a_state_asked_for_twice_is_refused(capsys, asked, message):
    with pytest.raises(RepeatedCountry, match=message):
        CountryFilter.build(asked)
    given = [arg for name in asked for arg in ("--country", name)]
    code, err = run(capsys, "import", "icews", str(TAB), *given)
    assert code == 2
    assert re.search(message.removeprefix("^"), err), err


def test_states_that_match_nothing_are_named_and_nothing_is_written(capsys, tmp_path):
    # The case: three states, one of them spelled otherwise in the file.
    out = tmp_path / "out.yaml"
    code, err = run(capsys, "import", "icews", str(TAB), "--country", "North Korea",
                    "--country", "United States", "--country", "Russia", "-o", str(out))  # fmt: skip
    assert code == 1
    assert f"{TAB}: --country 'North Korea' matched nothing" in err.splitlines()
    assert (
        f"{TAB}: --country 'Russia' matched 'Russian Federation' but in no row whose sides were "
        "all among the states asked for (--any keeps either side)"
    ) in err.splitlines()
    assert err.splitlines()[-1] == (
        f"{TAB}: nothing to import: no row is inside the filters asked for (27 outside, "
        "2 skipped); no file written"
    )
    assert f"{TAB}: 27 rows outside the filters asked for" in err.splitlines()
    assert not out.exists()


@pytest.mark.parametrize(
    ("options", "ids"),
    [
        # either side: Iran with the Palestinian group Hamas and the United Nations too
        (
            {"countries": ("IRN",), "any_side": True, "cameo": ("040",), "date_from": None},
            ["icews-27000001", "icews-27000012", "icews-27000015", "icews-27000019",
             "icews-27000020", "icews-27000021", "icews-27000024", "icews-27000029"],
        ),
        # a part is matched through its state
        ({"countries": ("Ukraine",), "any_side": True}, ["icews-27000013"]),
        ({"countries": ("Spain",)}, ["icews-27000014"]),  # Catalonia → Spain: both Spain
        ({"countries": ("Palestine", "Russia")}, ["icews-27000017"]),
        ({"countries": ("North Macedonia", "Italy")}, ["icews-27000023"]),
    ],
)  # fmt: skip
def test_country_filter_cases(options, ids):
    options = {k: v for k, v in options.items() if v is not None}
    assert list(events(**options)) == ids


def test_the_summary_lists_the_spellings_of_the_rows_kept():
    notes = imported(countries=("Ukraine", "Russia"), any_side=True, cameo=("11",)).report.notes
    # Crimea's row (112) is a criticism too; Scotland's (111) has Russia only.
    assert notes[-2:] == [
        "--country 'Ukraine' matched 'Ukraine'",
        "--country 'Russia' matched 'Russian Federation'",
    ]


# --- Repeats folded ------------------------------------------------------------------------


def test_an_interaction_told_by_many_stories_is_one_event():
    found = events()["icews-27000008"]
    assert found["sources"] == ["icews-story-40391120", "icews-story-40391188",
                                "icews-story-40391201"]  # fmt: skip
    assert found["note"] == (
        "ICEWS events 27000008, 27000010, 27000011. Coded 3 times on this day from 3 stories; "
        "publishers: Example Wire (1), Test Agency (1). Also coded from the other side: "
        "Host a visit (043)."
    )
    assert imported().report.notes[:2] == [
        "2 rows were the same event coded from the other side (same story and sentence): "
        "each was imported once",
        "5 rows were the same interaction coded again from other stories or sentences (same "
        "sides, day and CAMEO code): each was folded into the event of its first row, the "
        "stories and publishers counted in its note (--no-fold keeps each apart)",
    ]


def tab_rows(*rows: tuple[str, str, str, str, str, str, str]) -> bytes:
    """ICEWS rows of (Source Name, Source Sectors, Source Country, Target Name, Target Sectors,
    Target Country, story), each on 2018-05-02, CAMEO 040, in the sample's columns."""
    header = TAB.read_text(encoding="utf-8").splitlines()[0]
    lines = [header]
    for n, (sn, ss, sc, tn, ts, tc, story) in enumerate(rows, start=1):
        lines.append("\t".join([str(n), "2018-05-02", sn, ss, sc, "Consult", "040", "1", tn, ts,
                                tc, story, "1", "Example Wire", *["NA"] * 6]))  # fmt: skip
    return ("\n".join(lines) + "\n").encode()


RUSSIA = ("Russia", "NA", "Russian Federation")
IRAN = ("Iran", "NA", "Iran")


@pytest.mark.parametrize(
    ("rows", "events"),
    [
        # A state and its military, on the same day with the same code: Russia both times.
        ([(*RUSSIA, *IRAN, "s1"), ("Military (Russia)", "Military", "Russian Federation", *IRAN, "s2")], 1),
        ([(*RUSSIA, *IRAN, "s1"), ("Foreign Affairs (Russia)", "Government", "Russian Federation", "Government (Iran)", "Government", "Iran", "s2")], 1),
        ([(*RUSSIA, *IRAN, "s1"), ("Crimea", "NA", "Ukraine", *IRAN, "s2")], 2),  # Ukraine
        ([(*RUSSIA, *IRAN, "s1"), (*IRAN, *RUSSIA, "s2")], 2),  # the other way round
        # A person is a leader, not the state: apart from it.
        ([(*RUSSIA, *IRAN, "s1"), ("Vladimir Putin", "Executive", "Russian Federation", *IRAN, "s2")], 2),
        ([(*RUSSIA, *IRAN, "s1"), ("Gazprom", "Business", "Russian Federation", *IRAN, "s2")], 2),  # a company
    ],
    ids=["military", "ministries", "a part of another state", "reversed", "a person", "a company"],
)  # fmt: skip
def test_sides_fold_as_they_land_on_the_event(rows, events):
    result = IMPORTERS["icews"](tab_rows(*rows), "t.tab", Options(), None)
    assert len(result.file.events) == events
    if events == 1:
        assert result.file.events[0].countries == ["Russian Federation", "Iran"]
        assert "Coded 2 times on this day from 2 stories" in (result.file.events[0].note or "")


@pytest.mark.parametrize(("no_fold", "count"), [(False, 20), (True, 25)])
def test_no_fold_keeps_each_coding(no_fold, count):
    found = events(no_fold=no_fold)
    assert len(found) == count
    assert ("icews-27000010" in found) is no_fold  # a story of Lavrov's visit, on its own
    assert "icews-27000009" not in found  # the other side's coding of one sentence: never
    assert any("Coded 3 times" in e.get("note", "") for e in found.values()) is not no_fold


def test_no_fold_on_the_command_line(capsys, tmp_path):
    out = tmp_path / "out.yaml"
    code, err = run(capsys, "import", "icews", str(TAB), *README, "--no-fold", "-o", str(out))
    assert code == 0, err
    assert "folded" not in err
    written = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert len(written["events"]) == len(README_IDS) + 5


def test_a_repeated_row_of_a_sentence_without_folding_is_imported_once():
    header, first = TAB.read_text(encoding="utf-8").splitlines()[:2]
    raw = "\n".join([header, first, first.replace("27000001", "27000099"), ""]).encode()
    result = IMPORTERS["icews"](raw, "twice.tab", Options(no_fold=True), None)
    assert [e.id for e in result.file.events] == ["icews-27000001"]
    assert result.report.notes == [
        "1 row was the very same coding of a sentence already imported (same story and "
        "sentence, sides and code): each was imported once"
    ]


# --- The ways of every importer -------------------------------------------------------------


def test_skipped_rows_are_located_and_counted():
    result = imported()
    assert [(m.where, m.message) for m in result.report.located if m.skipped] == [
        (
            f"{TAB.name}:8",
            "Event Date: '2018-02-30': day 30 is not a day of February 2018 (expected 1 to 28)",
        ),
        (f"{TAB.name}:29", "no Event Date"),
    ]
    assert result.report.skipped_count == 2 and result.report.filtered == 0


# --- Zipped years (Dataverse ships some as .tab.zip) ------------------------------------------


def zipped(*members: tuple[str, bytes], damage: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    raw = buffer.getvalue()
    return raw[:40] + b"\0" * 200 + raw[240:] if damage else raw


def test_a_zipped_year_imports_as_the_tab_it_holds():
    raw = zipped(("events.2018.tab", TAB.read_bytes()))
    result = IMPORTERS["icews"](
        raw, "events.2018.tab.zip", Options(countries=("Iran", "RUS")), None
    )
    plain = imported(countries=("Iran", "RUS"))
    assert [e.id for e in result.file.events] == [e.id for e in plain.file.events]


def test_a_year_in_two_files_imports_as_one():
    header, *rows = TAB.read_bytes().splitlines(keepends=True)
    half = len(rows) // 2
    first, second = header + b"".join(rows[:half]), header + b"".join(rows[half:])
    raw = zipped(("a.tab", first), ("b.tab", second))
    result = IMPORTERS["icews"](raw, "two.zip", Options(countries=("Iran", "RUS")), None)
    plain = imported(countries=("Iran", "RUS"))
    assert [fields(e) for e in result.file.events] == [fields(e) for e in plain.file.events]
    wheres = [m.where for m in result.report.located if m.skipped]
    assert wheres == ["two.zip:a.tab:8", f"two.zip:b.tab:{29 - half}"]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (zipped(), r"^y\.zip:1: the file is empty \(expected ICEWS event data"),
        (zipped(("events.tab", b"Event ID\t" * 50_000), damage=True), r"^y\.zip:1: .*(damaged|cannot be read as a zip)"),
        (zipped(("big.tab", b"x" * 2_000_001)), r"^y\.zip:1: the zip holds 2,000,001 bytes once unzipped, over the limit of 2,000,000; set TIMELINE_MAX_STREAM_BYTES"),
        (zipped(("a.tab", b"x\ty\n")), r"^y\.zip:a\.tab:1: no 'Event Date', "),
    ],
    ids=["empty", "damaged", "over the limit", "no header"],
)  # fmt: skip
def test_a_zip_that_holds_no_year_is_refused(monkeypatch, raw, message):
    monkeypatch.setenv("TIMELINE_MAX_STREAM_BYTES", "2000000")
    with pytest.raises(ImportFailure, match=message):
        IMPORTERS["icews"](raw, "y.zip", Options(), None)


def workbook() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["Event ID", "Event Date"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"Event ID,Event Date,Source Name\n1,2018,x\n", r"^t:1: no 'Event Date', .* found 'Event ID,Event Date,Source Name'\)$"),
        (lambda: workbook(), r"^t:.*\.xml:1: this looks like XML, a part of an \.xlsx workbook\? \(expected ICEWS event data: tab-separated"),
        (b'{"events": []}', r"^t:1: this looks like JSON \(expected ICEWS"),
    ],
    ids=["csv", "xlsx", "json"],
)  # fmt: skip
def test_only_tab_separated_text_is_read(raw, message):
    with pytest.raises(ImportFailure, match=message):
        IMPORTERS["icews"](raw() if callable(raw) else raw, "t", Options(), None)


def test_events_kept_past_the_size_limit_stop_the_import_early(monkeypatch):
    # The sample again and again, each copy a day later: nothing folds, and the events kept
    # outgrow the written file's limit long before the end, where the import stops.
    header, *rows = TAB.read_text(encoding="utf-8").splitlines()
    copies = [header]
    for n in range(100):
        day = f"2019-{1 + n // 28:02d}-{1 + n % 28:02d}"
        copies += [re.sub(r"\t2018-\d\d-\d\d\t", f"\t{day}\t", row, count=1) for row in rows]
    monkeypatch.setenv("TIMELINE_MAX_BYTES", "20000")
    with pytest.raises(
        ImportFailure, match=r"the events kept so far would make a file over the limit of 20,000"
    ) as failure:
        IMPORTERS["icews"]("\n".join(copies).encode(), "t.tab", Options(), None)
    line = int(failure.value.where.removeprefix("t.tab:"))
    assert 2 < line < len(copies) // 5


def test_a_zipped_year_on_the_command_line(capsys, tmp_path):
    path = tmp_path / "events.2018.tab.zip"
    path.write_bytes(zipped(("events.2018.tab", TAB.read_bytes())))
    code, err = run(capsys, "import", "icews", str(path), *README, "-o", str(tmp_path / "o.yaml"))
    assert code == 0, err
    assert err.splitlines()[-1].startswith(f"{path}: wrote 8 events")
