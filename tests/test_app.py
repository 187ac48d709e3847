"""The page, run by Streamlit's AppTest as a viewer would use it."""

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from conftest import VALID, edit
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def run(params: dict | None = None, env_file: Path | None = None, monkeypatch=None) -> AppTest:
    if env_file is not None:
        monkeypatch.setenv("TIMELINE_EVENTS", str(env_file))
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    return at


def figure(at: AppTest) -> dict:
    return json.loads(at.get("plotly_chart")[0].proto.spec)


def marker_ids(at: AppTest) -> set[str]:
    """Return the ids of the events drawn, alone or in a group marker (which holds a list)."""
    found = set()
    for t in figure(at)["data"]:
        if t.get("mode") == "markers+text":
            for data in t.get("customdata", []):
                found |= set(data) if isinstance(data, list) else {data}
    return found


def url(at: AppTest) -> dict[str, list[str]]:
    """Return the page's query parameters, every value as a list."""
    return {k: v if isinstance(v, list) else [v] for k, v in at.query_params.items()}


def count(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.endswith("events**"))


def html(at: AppTest) -> str:
    return "\n".join(e.proto.body for e in at.get("html"))


def test_default_page_shows_every_event():
    at = run()
    assert count(at) == "**10 of 10 events**"
    assert len(marker_ids(at)) == 10
    assert len(at.dataframe[0].value) == 10
    assert "Russia and Iran grow closer" in html(at)
    assert not at.warning
    assert url(at) == {}


def test_url_sets_filters_table_chart_and_open_event():
    at = run({"leader": ["putin", "erdogan"], "match": "all", "event": "tehran-trilateral-2022"})
    assert at.multiselect(key="leader").value == ["putin", "erdogan"]
    assert at.radio(key="match").value == "all"
    assert at.selectbox(key="event").value == "tehran-trilateral-2022"
    assert count(at) == "**1 of 10 events**"
    assert list(at.dataframe[0].value["id"]) == ["tehran-trilateral-2022"]
    assert marker_ids(at) == {"tehran-trilateral-2022"}
    assert "Putin, Raisi and Erdogan hold a three-way summit on Syria" in html(at)
    assert not at.warning


def test_url_dates_kinds_and_search():
    at = run({"kind": ["meeting", "summit"], "from": "2022-06-01", "q": "Syria"})
    assert at.date_input(key="dates").value == (dt.date(2022, 6, 1), dt.date(2022, 7, 31))
    assert at.text_input(key="q").value == "Syria"
    assert sorted(at.dataframe[0].value["id"]) == [
        "khamenei-erdogan-2022",
        "tehran-trilateral-2022",
    ]


def test_invalid_parameters_give_a_notice_and_a_working_page():
    at = run({"leader": ["putin", "nobody"], "from": "2022-02-30", "event": "nope", "x": "1"})
    assert at.multiselect(key="leader").value == ["putin"]
    assert at.warning[0].value == "Some parts of this link were ignored or changed:"
    notice = at.code[0].value  # plain text: nothing from the link becomes Markdown
    for part in ("leader='nobody'", "from='2022-02-30'", "event='nope'", "parameter 'x'"):
        assert part in notice, notice
    # The URL is corrected to what is shown.
    assert url(at) == {"leader": ["putin"]}
    at.button(key="dismiss").click().run()
    assert not at.warning


@pytest.mark.parametrize(
    ("params", "shown"),
    [
        (
            {"https://evil.example/login": "1"},
            "Ignored unknown parameter 'https://evil.example/login'.",
        ),
        ({"www.evil.example/reset": "1"}, "Ignored unknown parameter 'www.evil.example/reset'."),
        ({"leader": "www.evil.example/reset"}, "Ignored leader='www.evil.example/reset'"),
        ({"helpdesk@evil.example": "1"}, "Ignored unknown parameter 'helpdesk@evil.example'."),
        (
            {"leader": "[click](https://evil.example)"},
            "Ignored leader='[click](https://evil.example)'",
        ),
        # An invisible direction override is shown as its escape, never applied.
        ({"x\u202egnp.exe": "1"}, "Ignored unknown parameter 'x\\u202egnp.exe'."),
        (
            {"event": ["bogus", "tehran-trilateral-2022"]},
            "Ignored event='bogus': event takes one value; used the last, 'tehran-trilateral-2022'.",
        ),
        ({"q": "gas " * 60}, "Shortened q to its first 200 characters."),
    ],
)
def test_notices_show_link_text_as_text_and_every_change_to_the_link(params, shown):
    at = run(params)
    assert shown in at.code[0].value
    # The heading is the page's own words; the link's text is only ever in the code block.
    assert [w.value for w in at.warning] == ["Some parts of this link were ignored or changed:"]


def test_changing_a_filter_updates_the_url_and_the_view():
    at = run()
    at.multiselect(key="leader").set_value(["khamenei"]).run()
    assert url(at) == {"leader": ["khamenei"]}
    assert count(at) == "**2 of 10 events**"
    at.radio(key="match").set_value("all").run()
    assert url(at)["match"] == ["all"]
    at.selectbox(key="event").set_value("putin-khamenei-2022").run()
    assert url(at)["event"] == ["putin-khamenei-2022"]
    assert "War is a violent and difficult endeavor" in html(at)
    at.button(key="reset").click().run()
    assert url(at) == {}
    assert count(at) == "**10 of 10 events**"


def test_no_match_shows_a_helpful_message_instead_of_an_empty_chart():
    at = run({"leader": ["khamenei", "raisi"], "match": "all"})
    assert not at.get("plotly_chart")
    assert "never take part in one event together" in at.info[0].value
    assert count(at) == "**0 of 10 events**"


def test_a_broken_data_file_shows_its_errors_in_the_page(tmp_path, monkeypatch):
    bad = tmp_path / "bad.yaml"
    bad.write_text(edit(VALID, 10, '    date: "2022-02-30"'))
    at = run(env_file=bad, monkeypatch=monkeypatch)
    assert "has 1 error" in at.error[0].value
    # The file's name, not the server's path to it.
    assert at.code[0].value.startswith("bad.yaml:10:11: events[0].date: '2022-02-30' is not")
    assert str(tmp_path) not in at.code[0].value + at.error[0].value


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p: None, "nope.yaml:1:1: cannot read the file: No such file or directory"),
        (lambda p: os.mkfifo(p), "nope.yaml:1:1: cannot read the file: it is a FIFO (named pipe)"),
        (lambda p: p.mkdir(), "nope.yaml:1:1: cannot read the file: it is a directory"),
    ],
)
def test_an_unreadable_data_file_is_a_message_not_a_traceback(
    tmp_path, monkeypatch, make, expected
):
    path = tmp_path / "nope.yaml"
    make(path)
    at = run(env_file=path, monkeypatch=monkeypatch)
    assert "nope.yaml has 1 error" in at.error[0].value
    assert at.code[0].value.startswith(expected)
    assert str(tmp_path) not in at.code[0].value


@pytest.fixture
def live(tmp_path, monkeypatch):
    """A page on a data file of the test's own, which the test may change."""
    path = tmp_path / "events.yaml"
    path.write_text(VALID)
    monkeypatch.setenv("TIMELINE_EVENTS", str(path))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert count(at) == "**1 of 1 events**"
    return path, at


def test_any_failure_while_loading_is_shown_once_and_keeps_the_last_good_view(live, monkeypatch):
    from timeline import files

    path, at = live
    calls = []

    def fails(raw, name):
        calls.append(name)
        raise MemoryError("out of memory while parsing")

    monkeypatch.setattr(files, "parse_events", fails)
    path.write_text(VALID.replace("title: Test", "title: Changed"))
    for _ in range(3):
        at.run()
        assert not at.exception
        assert count(at) == "**1 of 1 events**"  # the last good version stays on screen
        assert "last good version" in at.warning[0].value
        assert "could not be loaded (MemoryError: out of memory while parsing)" in at.code[0].value
    assert len(calls) == 1  # the failure is cached like a DataError, not retried per rerun


def test_any_valid_file_works(monkeypatch):
    edge = Path(__file__).parent / "data" / "edge.yaml"
    at = run({"event": "xss"}, env_file=edge, monkeypatch=monkeypatch)
    assert count(at) == "**4 of 4 events**"
    page = html(at)
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "Edge &lt;b&gt;cases&lt;/b&gt;" in page


def test_share_link_holds_the_view():
    at = run({"leader": ["putin"], "q": "gas"})
    assert at.code[-1].value == "?leader=putin&q=gas"


def test_a_view_of_all_dates_follows_the_file_when_it_grows(live):
    path, at = live
    later = (
        VALID
        + "  - {id: later, title: Later, date: '2023-03-01', kind: visit, summary: s, sources: [art]}\n"
    )
    path.write_text(later)
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    at.run()
    assert not at.exception
    assert count(at) == "**2 of 2 events**"
    assert url(at) == {}


CENTURIES = Path(__file__).parent / "data" / "centuries.yaml"


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"view": "matrix"},
        {"view": "tempo"},
        {"view": "table"},
        {"event": "westphalia"},
        {"event": "year-one"},
        {"from": "1648-01-01", "to": "1700-12-31"},
        {"leader": "bo"},
        {"q": "treaty"},
    ],
)
def test_dates_from_year_one_to_9999_work_in_every_tab(params, monkeypatch):
    # Outside pandas' nanoseconds (1677 to 2262), and a span of four centuries.
    at = run(params, env_file=CENTURIES, monkeypatch=monkeypatch)
    assert at.get("plotly_chart")


def test_old_and_far_dates_sit_on_their_day(monkeypatch):
    at = run(env_file=CENTURIES, monkeypatch=monkeypatch)
    xs = {
        i: x
        for t in figure(at)["data"]
        if t.get("mode") == "markers+text" and t.get("customdata")
        for data, x in zip(t["customdata"], t["x"], strict=True)
        for i in (data if isinstance(data, list) else [data])  # a group sits on its day
    }
    assert xs["year-one"].startswith("0001-01-01")
    assert xs["month-476"].startswith("0476-09-01")
    assert xs["far-future"].startswith("9999-12-31")
    # On an axis of 10,000 years, 1648 and 1700 would cover each other on one lane: one
    # marker at the first date, and a bar reaching the other's true date.
    assert xs["year-1700"].startswith("1648-10-24")
    reach = next(t for t in figure(at)["data"] if t.get("name") == "group reaches")
    assert any(str(x).startswith("1700-10-24") for x in reach["x"])
    low, high = figure(at)["layout"]["xaxis"]["range"]
    assert low.startswith("0001-01-01") and high.startswith("9999-12-31")
    table = at.dataframe[0].value
    assert list(table["when"][:3]) == ["1", "September 476", "January 1600 – 31 December 2000"]
    # The date column sorts as dates do, whatever the precision or the century.
    assert list(table["date"][:3]) == ["0001", "0476-09", "1600-01 – 2000-12-31"]
    assert sorted(table["date"]) == list(table["date"])


def lanes_of(at: AppTest) -> list[str]:
    """Return the timeline's lane labels, top to bottom."""
    return list(figure(at)["layout"]["yaxis"]["ticktext"])


STATES = Path(__file__).resolve().parent / "data" / "states.yaml"


@pytest.mark.parametrize(
    ("params", "lanes", "shown"),
    [
        ({}, ["Ebrahim Raisi<br>(Iran)", "Vladimir V. Putin<br>(Russia)",
              "Dmitri S. Peskov<br>(Russia)", "Ali Khamenei<br>(Iran)",
              "Recep Tayyip Erdogan<br>(Turkey)", "No named leader"], 10),
        # States: the leaders' countries and the events' own; the analyst's lane is a
        # state's only through `countries`, so Vaez's statement sits on no state's lane.
        ({"lanes": "country"}, ["Iran", "Russia", "United States", "Turkey", "No state named"], 10),
        ({"lanes": "country", "order": "count"},
         ["Iran", "Russia", "Turkey", "United States", "No state named"], 10),
        ({"lanes": "tag", "order": "name"},
         ["drones", "energy", "finance", "syria", "ukraine-war", "No tag"], 10),
        # Both states in one event: the visits, the summits, the talks, the drones, Gazprom.
        ({"lanes": "country", "country": ["Iran", "Russia"], "match": "all"},
         ["Iran", "Russia", "United States", "Turkey"], 7),
        ({"tag": "syria"}, None, 2),
    ],
)  # fmt: skip
def test_every_lanes_choice_on_the_shipped_data(params, lanes, shown):
    at = run(params)
    assert count(at) == f"**{shown} of 10 events**"
    if lanes is not None:
        assert lanes_of(at) == lanes
    assert at.radio(key="lanes").value == params.get("lanes", "leader")
    assert not at.warning


@pytest.mark.parametrize("lanes", ["leader", "country", "tag"])
@pytest.mark.parametrize("view", ["timeline", "matrix", "tempo", "table"])
def test_a_file_of_states_and_tags_renders_in_every_view(monkeypatch, lanes, view):
    at = run({"lanes": lanes, "view": view}, env_file=STATES, monkeypatch=monkeypatch)
    assert count(at) == "**4 of 4 events**"
    assert not at.error
    if view == "timeline":
        expected = {
            "leader": ["No named leader"],
            # First appearance in date order: the drones of 2022, the memorandum, the talks.
            "country": ["Iran", "Russia", "Japan", "Vietnam", "Türkiye", "No state named"],
            "tag": ["drones", "ukraine-war", "energy", "No tag"],
        }[lanes]
        assert lanes_of(at) == expected
    if view == "matrix" and lanes == "leader":
        assert "every one is on the lane of events without" in at.info[0].value


def test_a_matrix_of_states_pairs_states():
    at = run({"lanes": "country", "view": "matrix"})
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    pairs = next(t for spec in specs for t in spec["data"] if t.get("name") == "pairs")
    cells = {tuple(k): int(v) for k, v in zip(pairs["customdata"], pairs["text"], strict=True)}
    # The visit, the summits in Turkmenistan and Tehran, both Tehran meetings with Mr. Putin,
    # the drones and Gazprom: seven events with both states.
    assert cells["Iran", "Russia"] == 7
    assert cells["Iran", "Turkey"] == 2  # Khamenei with Erdogan, and the trilateral
    assert cells["United States", "United States"] == 1


def test_two_spellings_of_a_state_are_pointed_out_for_the_editor(tmp_path, monkeypatch):
    path = tmp_path / "spellings.yaml"
    text = STATES.read_text(encoding="utf-8").replace(
        "people: {}", "people:\n  e: {name: E, country: Turkey}"
    )
    path.write_text(text, encoding="utf-8")
    at = run({"lanes": "country"}, env_file=path, monkeypatch=monkeypatch)
    shown = html(at)
    assert "&#x27;Turkey&#x27; (people.e) and &#x27;Türkiye&#x27; (event talks-turkiye)" in shown
    # Nothing is merged: the event keeps its spelling until the editor picks one.
    assert at.multiselect(key="country").options == [
        "Iran",
        "Japan",
        "Russia",
        "Türkiye",
        "Vietnam",
    ]


CROWDED = Path(__file__).resolve().parent / "data" / "crowded.yaml"


def test_every_event_of_crowded_days_is_reachable(monkeypatch):
    at = run(env_file=CROWDED, monkeypatch=monkeypatch)
    ids = {"a1", "a2", "a3", "a4", "a5", "a6", "b1", "b2", "b3", "b4", "c1", "c2", "c3", "d1"}
    assert marker_ids(at) == ids
    # 10 and 11 June share a marker: the legend calls the markers close, not one day.
    groups = next(t for t in figure(at)["data"] if t.get("name") == "events close together")
    # 4 March: Ana's lane holds four events in one marker, in the file's order.
    assert ["a1", "a2", "a3", "a5"] not in groups["customdata"]
    assert ["a1", "a2", "a3"] in groups["customdata"]
    # The text alternative lists every event on each of its lanes, and each entry opens it.
    entries = {b.key for b in at.button if b.key and b.key.startswith("list-")}
    assert {key.rsplit("-", 1)[-1] for key in entries} == ids
    at.button(key="list-cy-a3").click().run()
    assert not at.exception
    assert at.selectbox(key="event").value == "a3"
    assert "We agree on much." in html(at)
