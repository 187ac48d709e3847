"""Any query string gives a working page, with a notice for each value it ignores."""

import datetime as dt
import re
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")
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


def run(query: dict[str, list[str]]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, values in query.items():
        at.query_params[key] = values
    at.run()
    return at


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(params)
@example({"leader": [("x" * 150, True)] * 900})  # hundreds of long, repeated values
@example({"from": [("2022-07-01", False)], "to": [("2022-06-01", True)]})  # from after to
@example({"q": [("\u202eevil\u0000 <script>", False)], "event": [("\U0001f600", True)]})
def test_any_query_string_gives_a_working_page(query):
    plain = {k: [v for v, _ in pairs] for k, pairs in query.items()}
    ignored = [(k, v) for k, pairs in query.items() for v, bad in pairs if bad]
    at = run(plain)
    assert not at.exception
    notices = [w.value for w in at.warning]
    if not ignored:
        assert notices == []
        return
    assert notices == ["Some parts of this link were ignored or changed:"]
    text = at.code[0].value
    if len(ignored) <= 10:
        for key, bad in ignored:
            if key == "utm_source":  # an unknown parameter is named, not its value
                assert "unknown parameter 'utm_source'" in text
                continue
            # The value's start is echoed (long ones are shortened, escapes written out):
            # its leading plain letters and digits appear as they are.
            head = re.match(r"[A-Za-z0-9 ]*", bad).group()[:20]
            assert f"{key}={head}" in text.replace("'", "").replace('"', ""), (key, bad)
    else:
        assert "more ignored values" in text
    # The URL keeps only what the page uses.
    for key, values in at.query_params.items():
        assert key in ("leader", "country", "kind", "match", "from", "to", "q", "event",
                       "lanes", "order")  # fmt: skip
        for v in values if isinstance(values, list) else [values]:
            assert (key, v) not in ignored


def test_thousands_of_parameters_still_give_a_working_page():
    # Streamlit drops a query string of over 1,000 parameters or 512K characters whole,
    # before the page sees it: the page opens unfiltered, as a fresh link would.
    at = run({"leader": ["putin"] * 3000, "x": ["y" * 600_000]})
    assert not at.exception
    assert any(m.value == "**10 of 10 events**" for m in at.markdown)
