"""`python -m timeline import gdelt`: GDELT 2.0's event export, streamed, one file or many, zipped.

The rows are written to the columns GDELT documents: the GDELT 2.0 Event Codebook
(http://data.gdeltproject.org/documentation/GDELT-Event_Codebook-V2.0.pdf, "Event table
format"), as listed column by column, 0 to 60, in cyrnguyen/NoSQLProject's
data_import/data_files_description.md. The list below is copied from there, not from the
reader, so that a reader with a column out of place fails here.
"""

import re
import zipfile

import pytest
import yaml
from conftest import ROOT

from timeline.cli import main
from timeline.eventdata.gdelt import GdeltActor, GdeltSide, SideKind, classify
from timeline.files import MAX_MEMBERS

DATA = ROOT / "tests" / "data" / "import"
SAMPLE = DATA / "gdelt.export.CSV"
COLUMNS = """GLOBALEVENTID SQLDATE MonthYear Year FractionDate Actor1Code Actor1Name
Actor1CountryCode Actor1KnownGroupCode Actor1EthnicCode Actor1Religion1Code Actor1Religion2Code
Actor1Type1Code Actor1Type2Code Actor1Type3Code Actor2Code Actor2Name Actor2CountryCode
Actor2KnownGroupCode Actor2EthnicCode Actor2Religion1Code Actor2Religion2Code Actor2Type1Code
Actor2Type2Code Actor2Type3Code IsRootEvent EventCode EventBaseCode EventRootCode QuadClass
GoldsteinScale NumMentions NumSources NumArticles AvgTone Actor1Geo_Type Actor1Geo_FullName
Actor1Geo_CountryCode Actor1Geo_ADM1Code Actor1Geo_ADM2Code Actor1Geo_Lat Actor1Geo_Long
Actor1Geo_FeatureID Actor2Geo_Type Actor2Geo_FullName Actor2Geo_CountryCode Actor2Geo_ADM1Code
Actor2Geo_ADM2Code Actor2Geo_Lat Actor2Geo_Long Actor2Geo_FeatureID ActionGeo_Type
ActionGeo_FullName ActionGeo_CountryCode ActionGeo_ADM1Code ActionGeo_ADM2Code ActionGeo_Lat
ActionGeo_Long ActionGeo_FeatureID DATEADDED SOURCEURL""".split()
RUS = {"Code": "RUS", "Name": "RUSSIA", "CountryCode": "RUS"}
IRN = {"Code": "IRN", "Name": "IRAN", "CountryCode": "IRN"}


def gdelt_row(event_id=1, day="20240119", a1=RUS, a2=IRN, code="042", **cells) -> str:
    """One row of 61 tab-separated cells, as GDELT's export writes it."""
    row = dict.fromkeys(COLUMNS, "")
    row.update(GLOBALEVENTID=str(event_id), SQLDATE=day, EventCode=code, NumMentions="3",
               NumSources="1", NumArticles="3", DATEADDED=day + "120000",
               SOURCEURL=f"https://www.example.com/{event_id}")  # fmt: skip
    for side, actor in (("Actor1", a1), ("Actor2", a2)):
        row.update({side + key: value for key, value in actor.items()})
    row.update(cells)
    assert len(row) == 61
    return "\t".join(row[name] for name in COLUMNS)


@pytest.fixture
def run(in_process):
    """Run `import gdelt` in process; return (exit code, stdout, stderr)."""
    return lambda *args, env=None: in_process("import", "gdelt", *args, env=env)


def events(text: str) -> dict[str, dict]:
    return {e["id"]: e for e in yaml.safe_load(text)["events"]}


# --- The sample, written to the codebook's columns -----------------------------------------


@pytest.mark.parametrize(
    ("event_id", "expected"),
    [
        (  # two rows of one visit on one day: one event, counts summed, both articles
            "gdelt-1150000001",
            {
                "kind": "visit",
                "countries": ["Iran", "Russia"],
                "date": "2024-01-19",
                "place": "Moscow, Moscow City, Russia",
                "sources": ["example-com", "news-example-org"],
            },
        ),
        (  # persons only where GDELT names one with a role code
            "gdelt-1150000003",
            {"kind": "consultation", "leaders": ["vladimir-putin", "ebrahim-raisi"]},
        ),
        ("gdelt-1150000004", {"kind": "visit", "countries": ["Russia", "Iran"]}),  # PRESIDENT
        ("gdelt-1150000005", {"kind": "intent-to-meet", "countries": ["United States", "China"]}),
        ("gdelt-1150000006", {"kind": "mediation", "countries": ["United Nations", "Syria"]}),
        ("gdelt-1150000011", {"kind": "agreement", "date": "2024-02-01"}),
    ],
)
def test_the_sample_imports_event_by_event(run, event_id, expected):
    code, out, _ = run(SAMPLE)
    assert code == 0
    event = events(out)[event_id]
    assert {k: event.get(k) for k in expected} == expected
    assert "leaders" not in event or "countries" not in event  # no person is a state here


def test_the_sample_keeps_counts_real_addresses_and_people(run):
    code, out, err = run(SAMPLE)
    assert code == 0
    data = yaml.safe_load(out)
    assert sorted(events(out)) == [f"gdelt-115000000{n}" for n in (1, 3, 4, 5, 6)] + [
        "gdelt-1150000011"
    ]
    folded = events(out)["gdelt-1150000001"]["note"]
    assert "GDELT events 1150000001, 1150000002" in folded
    assert "NumMentions 14, NumSources 2, NumArticles 14 in all" in folded
    assert data["people"] == {
        "vladimir-putin": {"name": "Vladimir Putin", "country": "Russia"},
        "ebrahim-raisi": {"name": "Ebrahim Raisi", "country": "Iran"},
    }
    urls = {s.get("url") for s in data["sources"].values()}
    assert "https://www.example.com/world/2024/01/19/raisi-in-moscow" in urls
    assert all(u is None or u.startswith("https://") for u in urls)
    # GDELT's text for a source without an address is its publisher, with no URL made up.
    assert {"title": "Report of BBC Monitoring", "publisher": "BBC Monitoring",
            "date": "2024-01-22"} in data["sources"].values()  # fmt: skip
    assert "1 row was the same interaction coded again" in err


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (7, "skipped: Actor2: no actor coded; expected two sides, each a state, a person or"),
        (8, "skipped: Actor1: 'PROTESTER' has no state or known group (CountryCode '')"),
        (9, "skipped: row: 3 tab-separated columns; expected 61 (GDELT 2.0's event export"),
        (10, "skipped: SQLDATE: '2024-01-23' is not a date written YYYYMMDD"),
    ],
)
def test_each_skipped_row_is_located(run, line, message):
    code, _, err = run(SAMPLE)
    assert code == 0
    assert f"{SAMPLE}:{line}: {message}" in err


# --- Who a side is --------------------------------------------------------------------------


def actor(code=None, name=None, country=None, group=None, types=()) -> GdeltActor:
    return GdeltActor(code, name, country, group, None, (), tuple(types))


@pytest.mark.parametrize(
    ("side", "expected"),
    [
        (actor("RUS", "RUSSIA", "RUS"), GdeltSide("Russia", SideKind.STATE, "Russia", "RUS")),
        # A geographic match names a city: the state, never a person.
        (actor("USA", "NEW YORK", "USA"), GdeltSide("United States", SideKind.STATE,
                                                    "United States", "USA")),
        (actor("RUS", "VLADIMIR PUTIN", "RUS"), GdeltSide("Russia", SideKind.STATE, "Russia",
                                                         "RUS")),
        # A type match (GOV, MIL, COP) is an agency of the state.
        (actor("RUSGOV", "PRESIDENT", "RUS", types=["GOV"]),
         GdeltSide("Russia", SideKind.STATE, "Russia", "RUS")),
        (actor("IRNMIL", "SECURITY FORCES", "IRN", types=["MIL"]),
         GdeltSide("Iran", SideKind.STATE, "Iran", "IRN")),
        (actor("USAGOV", "SECRETARY OF STATE", "USA", types=["GOV"]),
         GdeltSide("United States", SideKind.STATE, "United States", "USA")),
        (actor("USAGOV", "WHITE HOUSE", "USA", types=["GOV"]),
         GdeltSide("United States", SideKind.STATE, "United States", "USA")),
        (actor("USABUS", "GENERAL MOTORS", "USA", types=["BUS"]),
         GdeltSide("United States", SideKind.STATE, "United States", "USA")),
        # A leader: a role code and a personal name.
        (actor("RUSGOV", "VLADIMIR PUTIN", "RUS", types=["GOV"]),
         GdeltSide("Vladimir Putin", SideKind.PERSON, "Russia", "RUS")),
        (actor("TURGOV", "RECEP TAYYIP ERDOGAN", "TUR", types=["GOV"]),
         GdeltSide("Recep Tayyip Erdogan", SideKind.PERSON, "Türkiye", "TUR")),
        (actor("IGOUNO", "UNITED NATIONS", None, "UNO", ["IGO"]),
         GdeltSide("United Nations", SideKind.GROUP, None, None)),
        (actor("MEA", "MIDDLE EAST", "MEA"), GdeltSide("Middle East", SideKind.GROUP, None, "MEA")),
        (actor("CVL", "PROTESTER", None, types=["CVL"]),
         "'PROTESTER' has no state or known group (CountryCode '')"),
        (actor(), "no actor coded"),
    ],
)  # fmt: skip
def test_sides_are_states_unless_gdelt_names_a_person(side, expected):
    assert classify(side) == expected


# --- Filters, folding and the summary ---------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "ids"),
    [
        (("--country", "Russia", "--country", "Iran"), [1, 3, 4, 11]),
        (("--country", "RUS", "--country", "IRN"), [1, 3, 4, 11]),
        (("--country", "China", "--any"), [5]),
        (("--cameo", "04"), [1, 3, 4, 6]),
        (("--cameo", "042", "--cameo", "057"), [1, 11]),
        (("--from", "2024-01-20", "--to", "2024-01-21"), [4, 5]),
        (("--from", "2024-02"), [11]),
        (("--no-fold", "--cameo", "042"), [1, 2]),
    ],
)
def test_filters_keep_the_events_asked_for(run, extra, ids):
    code, out, _ = run(SAMPLE, *extra)
    assert code == 0
    assert sorted(events(out)) == sorted(f"gdelt-{1150000000 + n}" for n in ids)


def test_the_summary_says_which_spellings_each_country_matched(run):
    code, _, err = run(SAMPLE, "--country", "Russian Federation", "--country", "Persia")
    assert code == 0
    assert f"{SAMPLE}: --country 'Russian Federation' matched 'RUS'" in err
    assert f"{SAMPLE}: --country 'Persia' matched 'IRN'" in err
    assert f"{SAMPLE}: 4 rows outside the filters asked for" in err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--country", "Rusia"), r"--country: 'Rusia' is no state .* did you mean 'Russia'"),
        (("--any",), r"--any needs --country"),
        (("--cameo", "4x"), r"'4x' is not a CAMEO code prefix"),
        (("--from", "2024-02", "--to", "2024-01"), r"--from 2024-02-01 is after --to 2024-01-31"),
        (("--type", "consult"), r"--type is for polecat only, not gdelt"),
    ],
)
def test_usage_errors_exit_2(run, extra, message):
    code, out, err = run(SAMPLE, *extra)
    assert (code, out) == (2, "")
    assert re.search(message, err)


# --- Many inputs, zipped or not, and their limits ----------------------------------------------


def zipped(path, members: dict[str, str]):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return path


def test_many_inputs_zipped_or_not_are_read_in_order(run, tmp_path):
    first = zipped(tmp_path / "20240119.export.CSV.zip",
                   {"20240119.export.CSV": SAMPLE.read_text()})  # fmt: skip
    second = tmp_path / "20240301.export.CSV"
    second.write_text(gdelt_row(1160000001, "20240301") + "\nbad\n")
    code, out, err = run(first, second, "-o", tmp_path / "out.yaml")
    assert (code, out) == (0, "")
    ids = list(events((tmp_path / "out.yaml").read_text()))
    assert ids[-1] == "gdelt-1160000001" and len(ids) == 7
    assert f"{first}:20240119.export.CSV:9: skipped: row: 3 tab-separated columns" in err
    assert f"{second}:2: skipped: row: 1 tab-separated columns" in err
    assert f"{first} and 1 more: wrote 7 events" in err
    top = (tmp_path / "out.yaml").read_text().splitlines()[0]
    assert top.startswith("# Imported from 20240119.export.CSV.zip and 1 more (GDELT 2.0 events)")


def test_a_bigquery_header_row_is_read_past(run, tmp_path):
    path = tmp_path / "bq.tsv"
    path.write_text("\t".join(COLUMNS) + "\n" + gdelt_row(7) + "\n")
    code, out, _ = run(path)
    assert code == 0 and list(events(out)) == ["gdelt-7"]


@pytest.mark.parametrize(
    ("make", "env", "code", "message"),
    [
        (lambda p: p.write_bytes(b"\n\n"), {}, 1, r":1: the file is empty \(expected GDELT"),
        (lambda p: zipped(p, {}), {}, 1, r":1: the file is empty"),
        (
            lambda p: zipped(p, {f"{i}.CSV": "" for i in range(MAX_MEMBERS + 1)}),
            {},
            1,
            rf":1:1: it holds {MAX_MEMBERS + 1} files, over {MAX_MEMBERS}; expected a zip",
        ),
        (lambda p: p.write_bytes(b"PK\x03\x04 not a zip"), {}, 1, r"cannot be read as a zip"),
        (  # the size declared inside the zip is refused before a byte is inflated
            lambda p: zipped(p, {"big.CSV": (gdelt_row() + "\n") * 400}),
            {"TIMELINE_MAX_STREAM_BYTES": "50000"},
            1,
            r":1:1: the zip holds [0-9,]+ bytes once unzipped, over the limit of 50,000; set "
            "TIMELINE_MAX_STREAM_BYTES",
        ),
        (
            lambda p: p.write_text((gdelt_row() + "\n") * 400),
            {"TIMELINE_MAX_STREAM_BYTES": "50000"},
            1,
            r"the file is [0-9,]+ bytes, over the limit of 50,000; set TIMELINE_MAX_STREAM_BYTES",
        ),
    ],
)
def test_inputs_that_cannot_be_used_write_nothing(run, tmp_path, make, env, code, message):
    path = tmp_path / "in.zip"
    make(path)
    out = tmp_path / "out.yaml"
    got, stdout, err = run(path, "-o", out, env=env)
    assert (got, stdout) == (code, "")
    assert re.search(message, err), err
    assert not out.exists()


def test_a_missing_input_is_refused_before_any_is_read(run, tmp_path):
    code, _, err = run(SAMPLE, tmp_path / "missing.CSV")
    assert code == 2
    assert err.startswith(f"{tmp_path / 'missing.CSV'}: cannot read the file: No such file")
    assert "wrote" not in err and "skipped" not in err


def test_an_input_that_is_no_regular_file_is_named(run, tmp_path):
    code, _, err = run(SAMPLE, tmp_path)
    assert code == 2
    assert err == f"{tmp_path}: cannot read the file: it is a directory, not a regular file\n"


def test_formats_that_do_not_stream_take_one_input(capsys):
    with pytest.raises(SystemExit, match="2"):
        main(["import", "csv", str(DATA / "table.csv"), str(DATA / "table.csv")])
    assert "csv reads one INPUT, not 2" in capsys.readouterr().err


def test_events_kept_past_the_size_limit_stop_the_import(run, tmp_path):
    # Each row a different day: nothing folds; the events would outgrow the limit long
    # before the end, and the import stops there, holding no more of them.
    names = {"Code": "RUSGOV", "Name": "ALEXANDRA MARIA LOUISA CHARLOTTE", "CountryCode": "RUS",
             "Type1Code": "GOV"}  # fmt: skip
    rows = [gdelt_row(n, f"2023{1 + n // 28:02d}{1 + n % 28:02d}", names, names, SOURCEURL="")
            for n in range(300)]  # fmt: skip
    path = tmp_path / "many.CSV"
    path.write_text("\n".join(rows) + "\n")
    limit = path.stat().st_size + 10
    code, _, err = run(path, env={"TIMELINE_MAX_BYTES": str(limit)})
    assert code == 1
    assert re.search(
        rf"{path}:[0-9]+: the events kept so far would make a file over the limit", err
    )
