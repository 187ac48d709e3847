"""Event data groundwork: ICEWS actor rules, and GDELT and POLECAT rows read as streams."""

import csv
import datetime as dt
import io
import tracemalloc

import pytest

from timeline.eventdata.common import MAX_LINE, RowProblem, lines
from timeline.eventdata.countries import MAX_SPELLINGS, CountryFilter, UnknownCountry
from timeline.eventdata.gdelt import GdeltRow, read_gdelt
from timeline.eventdata.icews_actors import Kind, Why, classify
from timeline.eventdata.polecat import PolecatRow, read_polecat
from timeline.eventdata.polecat import kind as polecat_kind

# ---------------------------------------------------------------------------------------
# ICEWS actors, from rows shaped like the Dataverse files (tab-separated, NA for missing)

ICEWS = """\
Event ID\tEvent Date\tSource Name\tSource Sectors\tSource Country\tEvent Text\tCAMEO Code\tIntensity\tTarget Name\tTarget Sectors\tTarget Country\tStory ID\tSentence Number\tPublisher\tCity\tDistrict\tProvince\tCountry\tLatitude\tLongitude
1\t2018-04-04\tRussia\tNA\tRussian Federation\tConsult\t040\t1\tIran\tNA\tIran\t501\t2\tWire\tTehran\tNA\tTehran\tIran\t35.69\t51.39
2\t2018-04-05\tVladimir Putin\tExecutive,Executive Office,Government\tRussian Federation\tMake a visit\t042\t1.9\tRecep Tayyip Erdoğan\tExecutive,Executive Office,Government\tTurkey\t502\t1\tWire\tAnkara\tNA\tAnkara\tTurkey\t39.93\t32.86
3\t2018-04-06\tCrimea\tNA\tUkraine\tAccuse\t112\t-2\tCitizen (Russia)\tGeneral Population / Civilian / Social,Social\tRussian Federation\t503\t1\tWire\tNA\tNA\tNA\tUkraine\t44.95\t34.1
4\t2018-04-07\tMinistry of Foreign Affairs (Iran)\tForeign Ministry,Government\tIran\tCriticize or denounce\t111\t-2\tUnited Nations\tNA\tNA\t504\t3\tWire\tNA\tNA\tNA\tIran\t35.69\t51.39
5\t2018-04-08\tCatalonia\tNA\tSpain\tDemand\t100\t-5\tMacedonia\tNA\tMacedonia\t505\t1\tWire\tNA\tNA\tNA\tSpain\t41.39\t2.17
6\t2018-04-09\tPalestinian Territory\tNA\tOccupied Palestinian Territory\tAppeal\t020\t3\tScotland\tNA\tUnited Kingdom\t506\t1\tWire\tNA\tNA\tNA\tUnited Kingdom\t55.95\t-3.19
"""


def icews_sides():
    """Return every (name, sectors, country) side of the ICEWS rows above."""
    sides = []
    for row in csv.DictReader(io.StringIO(ICEWS), delimiter="\t"):
        for side in ("Source", "Target"):
            sides.append((row[f"{side} Name"], row[f"{side} Sectors"], row[f"{side} Country"]))
    return sides


@pytest.mark.parametrize(
    "name, kind, state, why",
    [
        # the case: a state's name that differs from ICEWS's name for its country
        ("Russia", Kind.STATE, "Russian Federation", Why.STATE),
        ("Iran", Kind.STATE, "Iran", Why.SAME_AS_COUNTRY),
        ("Vladimir Putin", Kind.PERSON, None, Why.PERSONAL_NAME),
        ("Recep Tayyip Erdoğan", Kind.PERSON, None, Why.PERSONAL_NAME),
        ("Crimea", Kind.STATE, "Ukraine", Why.PART),  # the country column gives the state
        ("Citizen (Russia)", Kind.STATE, "Russian Federation", Why.SECTOR),
        ("Ministry of Foreign Affairs (Iran)", Kind.STATE, "Iran", Why.SECTOR),
        ("United Nations", Kind.ORGANISATION, None, Why.NO_COUNTRY),
        ("Catalonia", Kind.STATE, "Spain", Why.PART),
        ("Macedonia", Kind.STATE, "Macedonia", Why.SAME_AS_COUNTRY),
        ("Palestinian Territory", Kind.STATE, "Occupied Palestinian Territory", Why.STATE),
        ("Scotland", Kind.STATE, "United Kingdom", Why.PART),
    ],
)
def test_icews_actor_from_rows_shaped_like_the_files(name, kind, state, why):
    sides = {side[0]: side for side in icews_sides()}
    actor = classify(*sides[name])
    assert (actor.kind, actor.state, actor.why) == (kind, state, why)
    assert actor.name == name


def test_every_icews_side_above_is_in_the_table():
    # A row added to the file above without a case in the table would go untested.
    classified = {classify(*side).name for side in icews_sides()}
    assert len(classified) == 12


@pytest.mark.parametrize(
    "name, sectors, country, kind, state, why",
    [
        # a name holding a state's name is a person when the rest is a personal name
        ("Israel Katz", "Cabinet,Government", "Israel", Kind.PERSON, None, Why.PERSONAL_NAME),
        ("Jordan Bardella", "Parties", "France", Kind.PERSON, None, Why.PERSONAL_NAME),
        # a sector of a state without a country column: the parenthesis names it
        ("Police (India)", "Police", "NA", Kind.STATE, "India", Why.SECTOR),
        ("Sicily", "NA", "Italy", Kind.STATE, "Italy", Why.PART),
        # a part with no country column: the state ISO 3166-2 lists it under
        ("Crimea", "NA", "", Kind.STATE, "Ukraine", Why.PART),
        # a state named apart from its row's country is itself
        ("Iran", "NA", "Iraq", Kind.STATE, "Iran", Why.STATE),
        ("Federal Security Service", "Intelligence Ministry,Government", "Russian Federation",
         Kind.STATE, "Russian Federation", Why.AGENCY),
        ("Hamas", "Radicals / Extremists / Fundamentalists", "Occupied Palestinian Territory",
         Kind.ORGANISATION, None, Why.ORGANISATION_NAME),
        ("Democratic Party", "(National) Major Party,Parties", "United States",
         Kind.ORGANISATION, None, Why.ORGANISATION_NAME),  # a party is no organ of the state
        ("United Russia", "Parties,(National) Major Party", "Russian Federation",
         Kind.ORGANISATION, None, Why.ORGANISATION_NAME),  # a party whose name holds a state's
        ("PKK", "Separatists", "Turkey", Kind.ORGANISATION, None, Why.ORGANISATION_NAME),
        ("European Union", "NA", "NA", Kind.ORGANISATION, None, Why.NO_COUNTRY),
        ("  Russia  ", "NA", " Russian Federation ", Kind.STATE, "Russian Federation", Why.STATE),
    ],
)  # fmt: skip
def test_icews_actor_rules(name, sectors, country, kind, state, why):
    actor = classify(name, sectors, country)
    assert (actor.kind, actor.state, actor.why) == (kind, state, why)


def test_a_person_keeps_the_country_as_written():
    actor = classify("Vladimir Putin", "Executive,Government", "Russian Federation")
    assert actor.country == "Russian Federation"


# ---------------------------------------------------------------------------------------
# Lines from a stream


def chunked(data: bytes, size: int):
    return (data[i : i + size] for i in range(0, len(data), size))


@pytest.mark.parametrize("size", [1, 2, 3, 7, 1000])
def test_lines_are_the_same_whatever_the_chunks(size):
    data = "a\tb\r\nzweite Zeile ü\n\nlast".encode()
    got = [(line.number, line.text) for line in lines(chunked(data, size))]
    assert got == [(1, "a\tb"), (2, "zweite Zeile ü"), (3, ""), (4, "last")]


@pytest.mark.parametrize("size", [1, 5, 100, 10_000])
def test_an_overlong_line_is_given_unread_and_the_next_read(size):
    data = b"x" * 101 + b"\nshort\n" + b"y" * 101
    got = list(lines(chunked(data, size), max_line=100))
    assert [(line.number, line.text) for line in got] == [(1, None), (2, "short"), (3, None)]
    assert got[0].why == "a line longer than 100 bytes"


def test_a_line_not_utf8_is_given_unread():
    (line,) = lines([b"caf\xe9"])
    assert line.text is None
    assert line.why == "bytes that are not UTF-8 text (at byte 4)"


# ---------------------------------------------------------------------------------------
# GDELT 2.0: 61 columns, tab-separated, no header, in the GDELT 2.0 Event Codebook's order

GDELT_CELLS = [
    # EVENTID AND DATE ATTRIBUTES: GLOBALEVENTID, SQLDATE, MonthYear, Year, FractionDate
    "1037207836", "20220301", "202203", "2022", "2022.1644",
    # ACTOR1: Code, Name, CountryCode, KnownGroupCode, EthnicCode, Religion1Code,
    # Religion2Code, Type1Code, Type2Code, Type3Code
    "RUSGOV", "RUSSIA", "RUS", "", "", "", "", "GOV", "", "",
    # ACTOR2: the same ten
    "IRN", "IRAN", "IRN", "", "", "", "", "", "", "",
    # EVENT ACTION: IsRootEvent, EventCode, EventBaseCode, EventRootCode, QuadClass,
    # GoldsteinScale, NumMentions, NumSources, NumArticles, AvgTone
    "1", "042", "042", "04", "1", "1.9", "10", "2", "10", "-1.2345",
    # Actor1Geo_: Type, FullName, CountryCode (FIPS), ADM1Code, ADM2Code, Lat, Long, FeatureID
    "4", "Moscow, Moskva, Russia", "RS", "RS48", "", "55.7522", "37.6156", "-2960561",
    # Actor2Geo_
    "1", "Iran", "IR", "IR", "", "32", "53", "IR",
    # ActionGeo_
    "4", "Tehran, Tehran, Iran", "IR", "IR26", "", "35.75", "51.5148", "10074674",
    # DATA MANAGEMENT FIELDS: DATEADDED, SOURCEURL
    "20220301120000", "https://example.org/news/1",
]  # fmt: skip
assert len(GDELT_CELLS) == 61  # the codebook's count: a wrong table above fails here


def gdelt_line(**changes: str) -> str:
    """Return the row above, tab-separated, with cells changed by their codebook position."""
    cells = list(GDELT_CELLS)
    for at, text in changes.items():
        cells[int(at.removeprefix("c"))] = text
    return "\t".join(cells)


def read_all_gdelt(text: str, size: int = 1 << 16):
    return list(read_gdelt(chunked(text.encode(), size)))


def test_gdelt_row_is_read_typed():
    (row,) = read_all_gdelt(gdelt_line() + "\n")
    assert isinstance(row, GdeltRow)
    assert (row.line, row.event_id, row.day) == (1, 1037207836, dt.date(2022, 3, 1))
    assert (row.actor1.name, row.actor1.country, row.actor1.code) == ("RUSSIA", "RUS", "RUSGOV")
    assert row.actor1.types == ("GOV",)
    assert (row.actor2.name, row.actor2.country, row.actor2.known_group) == ("IRAN", "IRN", None)
    assert (row.event_code, row.base_code, row.root_code) == ("042", "042", "04")
    assert (row.root_event, row.quad_class, row.goldstein, row.tone) == (True, 1, 1.9, -1.2345)
    assert (row.mentions, row.sources, row.articles) == (10, 2, 10)
    assert row.action_place.name == "Tehran, Tehran, Iran"
    assert (row.action_place.fips_country, row.action_place.adm1) == ("IR", "IR26")
    assert (row.action_place.lat, row.action_place.long) == (35.75, 51.5148)
    assert row.actor1_place.fips_country == "RS"  # FIPS: Russia, kept as written
    assert row.added == dt.datetime(2022, 3, 1, 12, 0, 0, tzinfo=dt.UTC)
    assert row.source_url == "https://example.org/news/1"


@pytest.mark.parametrize("size", [1, 13, 1 << 16])
def test_gdelt_rows_stream_in_any_chunks_with_any_line_ends(size):
    text = gdelt_line() + "\r\n\n" + gdelt_line(c0="2", c26="190") + "\n" + gdelt_line(c0="3")
    rows = read_all_gdelt(text, size)
    assert [(r.line, r.event_id, r.event_code) for r in rows] == [
        (1, 1037207836, "042"),
        (3, 2, "190"),
        (4, 3, "042"),
    ]


def test_gdelt_header_from_bigquery_is_skipped():
    header = "\t".join(["GLOBALEVENTID", "SQLDATE", *["x"] * 59])
    rows = read_all_gdelt(header + "\n" + gdelt_line() + "\n")
    assert [(r.line, r.event_id) for r in rows] == [(2, 1037207836)]


def test_gdelt_missing_values_are_none():
    row = read_all_gdelt(gdelt_line(c6="", c16="", c30="", c40="", c41="", c60="", c59=""))[0]
    assert (row.actor1.name, row.actor2.name, row.goldstein) == (None, None, None)
    assert (row.actor1_place.lat, row.actor1_place.long) == (None, None)
    assert (row.source_url, row.added) == (None, None)


@pytest.mark.parametrize(
    "line, message",
    [
        ("\t".join(GDELT_CELLS[:58]), r"^row: 58 tab-separated columns; expected 61 \(GDELT 2\.0"),
        (gdelt_line() + "\textra", r"^row: 62 tab-separated columns; expected 61"),
        (gdelt_line(c0="x1"), r"^GLOBALEVENTID: 'x1' is not a whole number$"),
        (gdelt_line(c1="2022-03-01"), r"^SQLDATE: '2022-03-01' is not a date written YYYYMMDD$"),
        (gdelt_line(c1="20221301"), r"^SQLDATE: '20221301' is not a date"),
        (gdelt_line(c26="4x"), r"^EventCode: '4x' is not a CAMEO event code of 2 to 4 digits$"),
        (gdelt_line(c26=""), r"^EventCode: '' is not a CAMEO event code"),
        (gdelt_line(c29="7"), r"^QuadClass: '7' is not 1, 2, 3 or 4$"),
        (gdelt_line(c31="-3"), r"^NumMentions: '-3' is not a count \(0 or more\)$"),
        (gdelt_line(c31="--3"), r"^NumMentions: '--3' is not a whole number$"),
        (gdelt_line(c30="inf"), r"^GoldsteinScale: 'inf' is not a decimal number"),
        (gdelt_line(c56="95"), r"^ActionGeo_Lat: '95' is not a latitude from -90 to 90$"),
        (gdelt_line(c41="-181"), r"^Actor1Geo_Long: '-181' is not a longitude"),
        (gdelt_line(c59="2022"), r"^DATEADDED: '2022' is not a UTC time written YYYYMMDDHHMMSS$"),
        (gdelt_line(c0="9" * 80), r"^GLOBALEVENTID: '9{60}'\.\.\. \(80 characters\) is not"),
    ],
)
def test_gdelt_bad_row_is_one_located_problem_and_the_next_row_is_read(line, message):
    first, second = read_all_gdelt(line + "\n" + gdelt_line() + "\n")
    assert isinstance(first, RowProblem)
    assert first.line == 1
    assert first.problem().line == 1
    with pytest.raises(ValueError, match=message):
        raise ValueError(first.message)
    assert isinstance(second, GdeltRow)
    assert second.line == 2


@pytest.mark.parametrize(
    "data, message",
    [
        (b"\xff\xfe" + gdelt_line().encode(), "row: bytes that are not UTF-8 text (at byte 1)"),
        (b"x" * (MAX_LINE + 1), f"row: a line longer than {MAX_LINE:,} bytes"),
    ],
)
def test_gdelt_unreadable_line_is_a_problem(data, message):
    (problem,) = read_gdelt([data])
    assert problem == RowProblem(1, message + "; expected one GDELT event a line")


def test_gdelt_reading_holds_one_line_not_the_file():
    # 20 MB of one endless line, then a row: read in 64 KB chunks, a few hundred KB at most.
    def chunks():
        for _ in range(320):
            yield b"z" * 65_536
        yield b"\n" + gdelt_line().encode() + b"\n"

    tracemalloc.start()
    try:
        got = list(read_gdelt(chunks()))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [type(item) for item in got] == [RowProblem, GdeltRow]
    assert peak < 2_000_000  # bytes; the input is 20,971,520


# ---------------------------------------------------------------------------------------
# POLECAT: Dataverse's tab-separated files, with a header; "None" for missing, ";" in lists

POLECAT_HEADER = [
    "Event ID", "Event Date", "Event Type", "Event Mode", "Intensity", "Quad Code",
    "Contexts", "Actor Name", "Actor Country", "Actor COW", "Primary Actor Sector",
    "Actor Sectors", "Actor Title", "Actor Name Raw", "Wikipedia Actor ID", "Recipient Name",
    "Recipient Country", "Recipient COW", "Primary Recipient Sector", "Recipient Sectors",
    "Recipient Title", "Recipient Name Raw", "Wikipedia Recipient ID", "Placename", "City",
    "District", "Province", "Country", "Latitude", "Longitude", "GeoNames ID",
    "Raw Placename", "Feature Type", "Source", "Publication Date", "Story People",
    "Story Organizations", "Story Locations", "Language", "Version",
]  # fmt: skip
VISIT = {
    "Event ID": "20230105-0001", "Event Date": "2023-01-05", "Event Type": "CONSULT",
    "Event Mode": "visit", "Intensity": "1.0", "Quad Code": "VERBAL COOPERATION",
    "Contexts": "diplomatic", "Actor Name": "Vladimir Putin", "Actor Country": "RUS",
    "Actor COW": "365", "Primary Actor Sector": "GOV", "Actor Sectors": "GOV; ELI",
    "Actor Title": "President", "Actor Name Raw": "Putin", "Wikipedia Actor ID": "Q7747",
    "Recipient Name": "Iran", "Recipient Country": "IRN", "Recipient COW": "630",
    "Primary Recipient Sector": "GOV", "Recipient Sectors": "GOV", "Recipient Title": "None",
    "Recipient Name Raw": "Iran", "Wikipedia Recipient ID": "Q794", "Placename": "Tehran",
    "City": "Tehran", "District": "None", "Province": "Tehran", "Country": "IRN",
    "Latitude": "35.69", "Longitude": "51.42", "GeoNames ID": "112931",
    "Raw Placename": "Tehran", "Feature Type": "PPLC", "Source": "Example Wire",
    "Publication Date": "2023-01-06", "Story People": "Vladimir Putin; Ebrahim Raisi",
    "Story Organizations": "None", "Story Locations": "Tehran; Moscow", "Language": "en",
    "Version": "1.0",
}  # fmt: skip


def polecat_line(row: dict, header=POLECAT_HEADER) -> str:
    return "\t".join(row.get(name, "None") for name in header)


def polecat_file(*rows: dict, header=POLECAT_HEADER) -> str:
    return "\n".join(["\t".join(header), *(polecat_line(r, header) for r in rows)]) + "\n"


def read_all_polecat(text: str, size: int = 1 << 16):
    return list(read_polecat(chunked(text.encode(), size)))


def test_polecat_row_is_read_typed():
    (row,) = read_all_polecat(polecat_file(VISIT))
    assert isinstance(row, PolecatRow)
    assert (row.line, row.event_id, row.day) == (2, "20230105-0001", dt.date(2023, 1, 5))
    assert (row.event_type, row.mode, row.intensity) == ("consult", "visit", 1.0)
    assert (row.quad, row.contexts) == ("VERBAL COOPERATION", ("diplomatic",))
    assert (row.actor.names, row.actor.countries, row.actor.cows) == (
        ("Vladimir Putin",),
        ("RUS",),
        ("365",),
    )
    assert (row.actor.primary_sector, row.actor.sectors) == ("GOV", ("GOV", "ELI"))
    assert (row.recipient.names, row.recipient.title) == (("Iran",), None)
    assert (row.place, row.country, row.lat, row.long) == ("Tehran", "IRN", 35.69, 51.42)
    assert (row.source, row.published) == ("Example Wire", dt.date(2023, 1, 6))
    assert row.story_people == ("Vladimir Putin", "Ebrahim Raisi")
    assert row.story_organizations == ()


def test_polecat_multilateral_sides_list_every_participant():
    meeting = {**VISIT, "Event Mode": "multilateral", "Actor Name": "Russia; China; Iran",
               "Actor Country": "RUS; CHN; IRN", "Actor COW": "365; 710; 630"}  # fmt: skip
    (row,) = read_all_polecat(polecat_file(meeting))
    assert row.mode == "multilateral"
    assert row.actor.names == ("Russia", "China", "Iran")
    assert row.actor.countries == ("RUS", "CHN", "IRN")


@pytest.mark.parametrize(
    "header",
    [
        [*POLECAT_HEADER[:4], "Event Intensity", *POLECAT_HEADER[5:]],  # some releases
        [*POLECAT_HEADER, "Headline", "Event Text", "Feed", "Story ID"],  # others add these
        list(reversed(POLECAT_HEADER)),  # columns are found by name
        ["\ufeffEvent ID", *POLECAT_HEADER[1:]],  # a byte-order mark before the header
    ],
)
def test_polecat_header_variants(header):
    row = {**VISIT, "Event ID": VISIT["Event ID"]}
    text = (
        "\t".join(header)
        + "\n"
        + "\t".join(
            row.get(name.lstrip("\ufeff").replace("Event Intensity", "Intensity"), "x")
            for name in header
        )
    )
    (got,) = read_all_polecat(text)
    assert isinstance(got, PolecatRow)
    assert (got.event_id, got.intensity, got.actor.names) == (
        "20230105-0001",
        1.0,
        ("Vladimir Putin",),
    )


@pytest.mark.parametrize("size", [1, 17, 1 << 16])
def test_polecat_rows_stream_and_trailing_tabs_are_allowed(size):
    second = {**VISIT, "Event ID": "2"}
    text = polecat_file(VISIT).replace("\n", "\r\n") + polecat_line(second) + "\t\t\n\n"
    rows = read_all_polecat(text, size)
    assert [(r.line, r.event_id) for r in rows] == [(2, "20230105-0001"), (3, "2")]


def test_polecat_header_without_required_columns_is_one_problem_and_the_end():
    header = [name for name in POLECAT_HEADER if name not in ("Event Date", "Recipient Name")]
    got = read_all_polecat(polecat_file(VISIT, header=header))
    assert len(got) == 1
    assert got[0].line == 1
    with pytest.raises(ValueError, match=r"^header: no column Event Date, Recipient Name; "
                       r"expected POLECAT's tab-separated header \(Event ID, .*found Event ID, "):  # fmt: skip
        raise ValueError(got[0].message)


@pytest.mark.parametrize(
    "changes, message",
    [
        (
            {"Event Date": "05/01/2023"},
            r"^Event Date: '05/01/2023' is not a date written YYYY-MM-DD$",
        ),
        ({"Event Date": "None"}, r"^Event ID, Event Date, Event Type: empty; expected all three$"),
        ({"Latitude": "135"}, r"^Latitude: '135' is not a number from -90 to 90$"),
        ({"Intensity": "high"}, r"^Intensity: 'high' is not a decimal number"),
        ({"Publication Date": "yesterday"}, r"^Publication Date: 'yesterday' is not a date"),
    ],
)
def test_polecat_bad_row_is_one_located_problem(changes, message):
    first, second = read_all_polecat(polecat_file({**VISIT, **changes}, VISIT))
    assert isinstance(first, RowProblem)
    assert first.line == 2
    with pytest.raises(ValueError, match=message):
        raise ValueError(first.message)
    assert isinstance(second, PolecatRow)
    assert second.line == 3


@pytest.mark.parametrize(
    "line, message",
    [
        ("a\tb\tc", r"^row: 3 tab-separated columns; expected 40, as the header names$"),
        (polecat_line(VISIT) + "\tsurprise", r"^row: 41 tab-separated columns; expected 40"),
    ],
)
def test_polecat_row_of_the_wrong_width_is_a_problem(line, message):
    (problem,) = read_all_polecat("\t".join(POLECAT_HEADER) + "\n" + line + "\n")
    assert problem.line == 2
    with pytest.raises(ValueError, match=message):
        raise ValueError(problem.message)


@pytest.mark.parametrize(
    "mode, kind",
    [
        ("visit", "visit"),
        ("phone", "call"),
        ("third-party", "meeting"),
        ("multilateral", "meeting"),
        ("None", "consultation"),  # CONSULT without a mode: CAMEO 040's kind
    ],
)
def test_polecat_consult_modes_become_kinds(mode, kind):
    (row,) = read_all_polecat(polecat_file({**VISIT, "Event Mode": mode}))
    assert polecat_kind(row) == kind


def test_polecat_other_types_are_their_own_kind():
    (row,) = read_all_polecat(
        polecat_file({**VISIT, "Event Type": "ACCUSE", "Event Mode": "allege"})
    )
    assert polecat_kind(row) == "accuse"


# ---------------------------------------------------------------------------------------
# The --country filter: any name or code, every spelling of the input, unknown names refused


def test_country_filter_matches_every_spelling_and_says_which():
    wanted = CountryFilter.build(["Russia", "IRN"])
    spellings = ["Russian Federation", "Iran", "RUS", "Russia", "Iraq", "", None, "Crimea"]
    assert [wanted.match(s) for s in spellings] == [
        "Russia", "IRN", "Russia", "Russia", None, None, None, None,
    ]  # fmt: skip
    assert wanted.summary() == [
        "--country 'Russia' matched 'Russian Federation', 'RUS', 'Russia'",
        "--country 'IRN' matched 'Iran'",
    ]


def test_country_filter_says_when_a_state_matched_nothing():
    wanted = CountryFilter.build(["North Korea", "United States", "Russia"])
    for spelling in ["North Korea", "United States"]:
        wanted.match(spelling)
    assert wanted.summary()[-1] == "--country 'Russia' matched nothing"


def test_country_filter_keeps_a_bounded_list_of_spellings():
    wanted = CountryFilter.build(["Russia"])
    for i in range(200):
        wanted.match("the " * (i % 3) + "Russian Federation" + " " * i)
    assert len(wanted.seen["Russia"]) == MAX_SPELLINGS


@pytest.mark.parametrize(
    "asked, message",
    [
        (
            "Rusia",
            r"^--country: 'Rusia' is no state the gazetteer knows; did you mean 'Russia' or ",
        ),
        (
            "qqqqqq",
            r"^--country: 'qqqqqq' is no state the gazetteer knows; expected a state's name or code, such as 'Russia'",
        ),
        (
            "Crimea",
            r"^--country: 'Crimea' is a part of Ukraine, not a state; did you mean 'Ukraine'",
        ),  # a part: its state is asked for
        ("x" * 500, r"^--country: 'x{60}'\.\.\. \(500 characters\) is no state"),
    ],
)
def test_country_filter_refuses_a_name_it_cannot_resolve(asked, message):
    with pytest.raises(UnknownCountry, match=message) as caught:
        CountryFilter.build(["Iran", asked])
    assert caught.value.asked == asked


@pytest.mark.parametrize(
    "first, message",
    [
        (b"Event ID\t" * 8000, f"header: a line longer than {MAX_LINE:,} bytes"),
        (b"Event ID\tEvent Date\xff", "header: bytes that are not UTF-8 text (at byte 20)"),
    ],
)
def test_polecat_unreadable_header_is_one_problem_and_the_end(first, message):
    # The row after it must not be taken for the header.
    data = first + b"\n" + "\t".join(POLECAT_HEADER).encode() + b"\n" + polecat_line(VISIT).encode()
    assert list(read_polecat([data])) == [
        RowProblem(1, message + "; expected POLECAT's tab-separated header")
    ]


def test_polecat_unreadable_row_is_a_problem_and_the_next_read():
    text = polecat_file(VISIT).encode() + b"\xff\n" + polecat_line(VISIT).encode()
    got = list(read_polecat([text]))
    assert [type(item) for item in got] == [PolecatRow, RowProblem, PolecatRow]
    assert got[1] == RowProblem(
        3, "row: bytes that are not UTF-8 text (at byte 1); expected one POLECAT event a line"
    )
