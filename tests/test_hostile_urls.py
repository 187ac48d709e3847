"""Any query string gives a working page, with a notice for each value it ignores.

The property is read_query's (pure, so hypothesis runs hundreds of links a second); a few
AppTests check that the page shows those notices and keeps that URL.
"""

import datetime as dt
import re

import pytest
import yaml
from conftest import ROOT
from hypothesis import example, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from timeline.exporters.view import View
from timeline.files import load_file
from timeline.query import MAX_NOTICES, read_query, write_query
from timeline.state import FilterState
from timeline.text import clean

APP = str(ROOT / "app.py")
LEADERS = ["putin", "raisi", "khamenei", "erdogan", "peskov"]
KINDS = ["meeting", "summit", "visit", "agreement", "statement"]
COUNTRIES = ["Iran", "Russia", "Turkey"]
EVENTS = ["tehran-trilateral-2022", "raisi-moscow-2022-01", "gazprom-deal-2022"]
GOOD_DATES = ["2022-01-15", "2022-03-01", "2022-06-30"]

odd_text = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=0, max_size=300
).filter(lambda s: s not in LEADERS + KINDS + EVENTS + ["any", "all"])
not_a_date = st.one_of(
    odd_text.filter(lambda s: not _is_date(s)),
    # 2030 is after the last event; a `from` before the first one is no filter at all.
    st.sampled_from(["2022-02-30", "2022-13-01", "22-07-19", "2030-01-01"]),
)


def _is_date(text: str) -> bool:
    try:
        return len(text) == 10 and dt.date.fromisoformat(text) is not None
    except ValueError:
        return False


def value(good: list[str]) -> st.SearchStrategy[tuple[str, bool]]:
    """A parameter value and whether the page must ignore it."""
    return st.one_of(
        st.sampled_from(good).map(lambda v: (v, False)), odd_text.map(lambda v: (v, True))
    )


params = st.fixed_dictionaries(
    {},
    optional={
        "leader": st.lists(value(LEADERS), max_size=6),
        "kind": st.lists(value(KINDS), max_size=4),
        "match": st.lists(value(["any", "all"]), min_size=1, max_size=1),
        "from": st.lists(
            st.one_of(st.sampled_from(GOOD_DATES).map(lambda v: (v, False)), not_a_date.map(lambda v: (v, True))),
            min_size=1, max_size=1,
        ),
        "event": st.lists(value(EVENTS), min_size=1, max_size=1),
        "country": st.lists(value(COUNTRIES), max_size=3),
        "lanes": st.lists(value(["leader", "country", "tag"]), min_size=1, max_size=1),
        "order": st.lists(value(["first", "count", "name", "file"]), min_size=1, max_size=1),
        "q": st.lists(odd_text.map(lambda v: (v, False)), min_size=1, max_size=1),
        # Parameters the page does not know are ignored with a notice too.
        "utm_source": st.lists(odd_text.map(lambda v: (v, True)), min_size=1, max_size=1),
    },
)  # fmt: skip


KNOWN = ("leader", "country", "kind", "match", "from", "to", "q", "event", "lanes", "order")


def run(query: dict[str, list[str]]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, values in query.items():
        at.query_params[key] = values
    at.run()
    return at


def plain(query: dict[str, list[tuple[str, bool]]]) -> dict[str, list[str]]:
    return {k: [v for v, _ in pairs] for k, pairs in query.items()}


@pytest.fixture(scope="module")
def catalog():
    """The values a link may name in the shipped file, as the page checks them."""
    return View.of(load_file(ROOT / "events.yaml"), FilterState()).catalog


def test_the_good_values_are_the_shipped_files():
    # Read from the file itself: a "good" value the file lacks would be ignored, and the
    # property below would check the wrong thing.
    data = yaml.safe_load((ROOT / "events.yaml").read_text(encoding="utf-8"))
    leading = {key for event in data["events"] for key in event.get("leaders", [])}
    assert set(LEADERS) == leading
    assert set(KINDS) <= {event["kind"] for event in data["events"]}
    assert set(EVENTS) <= {event["id"] for event in data["events"]}
    assert set(COUNTRIES) <= {p.get("country") for p in data["people"].values()}
    dates = sorted(str(event["date"]) for event in data["events"])
    assert all(dates[0] < day < dates[-1] for day in GOOD_DATES)


def expected_notices(query: dict[str, list[tuple[str, bool]]]) -> int:
    """Return how many notices a link earns: one per ignored value, one for a shortened q."""
    # A start after the end is one notice for both: the strategies mark only `to` bad.
    ignored = sum(bad for pairs in query.values() for _, bad in pairs)
    long_q = any(len(v) > 200 for v, _ in query.get("q", []))
    return ignored + long_q


@settings(max_examples=100, deadline=None)  # the AppTest version ran 40
@given(params)
@example({"leader": [("x" * 150, True)] * 900})  # hundreds of long, repeated values
@example({"from": [("2022-07-01", False)], "to": [("2022-06-01", True)]})  # from after to
@example({"q": [("\u202eevil\u0000 <script>", False)], "event": [("\U0001f600", True)]})
@example({"q": [("a " * 150, False)]})  # longer than 200 characters: shortened, with a notice
def test_any_query_string_is_read_with_a_notice_for_each_value_it_ignores(catalog, query):
    decoded = read_query(plain(query), catalog)
    notices, kept = decoded.notices, write_query(decoded.state)
    ignored = [(k, v) for k, pairs in query.items() for v, bad in pairs if bad]
    count = expected_notices(query)
    if count <= MAX_NOTICES:
        assert len(notices) == count, notices
        text = "\n".join(notices).replace("'", "").replace('"', "")
        for key, bad in ignored:
            if key == "utm_source":  # an unknown parameter is named, not its value
                assert "unknown parameter utm_source" in text
                continue
            # The value's start is echoed (long ones are shortened, escapes written out):
            # its leading plain letters and digits appear as they are.
            head = re.match(r"[A-Za-z0-9 ]*", bad).group()[:20]
            assert f"{key}={head}" in text, (key, bad)
    else:
        assert len(notices) == MAX_NOTICES + 1
        assert notices[-1] == f"... and {count - MAX_NOTICES} more ignored values."
    # The URL keeps only what the page uses: every good value of a list, once, in order.
    for key, values in kept.items():
        assert key in KNOWN, key
        assert not {(key, v) for v in values} & set(ignored), key
    for key in ("leader", "kind", "country"):
        good = [v for v, bad in query.get(key, []) if not bad]
        assert kept.get(key, []) == list(dict.fromkeys(good)), key
    if "q" in query:
        assert decoded.state.q == " ".join(query["q"][-1][0][:200].split())


@pytest.mark.parametrize(
    "query",
    [
        {"leader": [("x" * 150, True)] * 900},  # hundreds of notices: ten shown, then a count
        {"from": [("2022-07-01", False)], "to": [("2022-06-01", True)]},  # from after to
        # Control and reordering characters and markup: shown cleaned, as text.
        {"q": [("\u202eevil\u0000 <script>", False)], "event": [("\U0001f600", True)],
         "leader": [("putin", False), ("putn", True)], "utm_source": [("x", True)]},
        {"leader": [("raisi", False)], "kind": [("meeting", False)]},  # nothing to say
    ],
)  # fmt: skip
def test_the_page_shows_the_notices_and_keeps_the_url(catalog, query):
    decoded = read_query(plain(query), catalog)
    at = run(plain(query))
    assert not at.exception
    if decoded.notices:
        assert [w.value for w in at.warning] == ["Some parts of this link were ignored or changed:"]
        assert at.code[0].value == "\n".join(clean(n) for n in decoded.notices)
    else:
        assert not at.warning and not any("Ignored" in c.value for c in at.code)
    shown = {k: v if isinstance(v, list) else [v] for k, v in at.query_params.items()}
    assert shown == write_query(decoded.state)
    for key, values in shown.items():
        assert key in KNOWN
        assert not {(key, v) for v in values} & {
            (k, v) for k, p in query.items() for v, b in p if b
        }


def test_thousands_of_parameters_still_give_a_working_page():
    # Streamlit drops a query string of over 1,000 parameters or 512K characters whole,
    # before the page sees it: the page opens unfiltered, as a fresh link would.
    at = run({"leader": ["putin"] * 3000, "x": ["y" * 600_000]})
    assert not at.exception
    assert any(m.value == "**10 of 10 events**" for m in at.markdown)
