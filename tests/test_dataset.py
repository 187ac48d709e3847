"""The shipped events.yaml: valid, and honest to the article it is built from."""

import os
import re
from pathlib import Path

import pytest
from conftest import ROOT

from timeline.files import load_file

SEED = ROOT.parent / "shared" / "seed" / "russia-iran-grow-closer.txt"


@pytest.fixture(scope="module")
def data():
    return load_file(ROOT / "events.yaml")


@pytest.fixture(scope="module")
def article() -> str:
    if not SEED.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"the source article is missing at {SEED}")
        pytest.skip(f"the source article is not beside the checkout ({SEED})")
    return re.sub(r"\s+", " ", Path(SEED).read_text(encoding="utf-8"))


def test_every_quote_is_verbatim_from_the_article(data, article):
    quotes = [q for qs in data.events["quotes"] for q in qs]
    assert len(quotes) >= 7
    for q in quotes:
        assert re.sub(r"\s+", " ", q["text"]) in article, q["text"]


def test_every_speaker_is_named_in_the_article(data, article):
    for qs in data.events["quotes"]:
        for q in qs:
            surname = data.people[q["by"]].name.split()[-1]
            assert surname in article


def test_every_event_cites_the_article(data):
    assert all("nyt-2022-07-19" in s for s in data.events["sources"])
    assert data.sources["nyt-2022-07-19"].url is None  # no URL is invented


def test_the_story_is_there(data):
    events = data.events.set_index("id")
    assert events.loc["raisi-moscow-2022-01", "date_label"] == "January 2022"
    assert events.loc["turkmenistan-summit-2022-06", "date_label"] == "June 2022"
    assert set(events.loc["tehran-trilateral-2022", "leaders"]) == {"putin", "raisi", "erdogan"}
    tehran = events[events["start"] == "2022-07-19"]
    assert len(tehran) >= 5
    assert "Thursday" in events.loc["khamenei-erdogan-2022", "note"]
    # The analyst is quoted but takes part in nothing.
    assert not any("vaez" in leaders for leaders in data.events["leaders"])
    assert any(q["by"] == "vaez" for qs in data.events["quotes"] for q in qs)
