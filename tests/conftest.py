import os
from pathlib import Path
from typing import NamedTuple

import pytest

ROOT = Path(__file__).resolve().parent.parent

# A small valid file; tests replace single lines of it, so keep the line numbers in mind.
VALID = """\
title: Test
people:
  putin: {name: Vladimir Putin, country: Russia}
  raisi: {name: Ebrahim Raisi}
sources:
  art: {title: An article, publisher: A paper, date: "2022-07-19", url: "https://example.org/a"}
events:
  - id: first
    title: First
    date: "2022-07-19"
    kind: meeting
    place: Tehran
    leaders: [putin, raisi]
    summary: They met.
    quotes:
      - {by: putin, text: "Hello", source: art}
    sources: [art]
"""


def pytest_collection_modifyitems(items):
    """Mark every browser test slow: `-m "not slow"` leaves out Chromium and capped children."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory):
    """Point the disk cache at a folder of this test session's: never the user's ~/.cache."""
    folder = tmp_path_factory.mktemp("cache")
    saved = os.environ.get("TIMELINE_CACHE_DIR")
    os.environ["TIMELINE_CACHE_DIR"] = str(folder)
    yield folder
    if saved is None:
        os.environ.pop("TIMELINE_CACHE_DIR", None)
    else:
        os.environ["TIMELINE_CACHE_DIR"] = saved


# The "Who met whom" matrix among a page's Plotly charts (in Chromium): the chart drawn with
# a trace named "pairs", or undefined while none is.
MATRIX_PLOT = (
    "[...document.querySelectorAll('.js-plotly-plot')]"
    ".find(g => g._fullData && g._fullData.some(t => t.name === 'pairs'))"
)


def matrix_js(body: str) -> str:
    """Return a JavaScript function for page.evaluate whose body sees the matrix as `gd`."""
    return f"() => {{ const gd = {MATRIX_PLOT}; {body} }}"


def edit(text: str, line: int, new: str | None) -> str:
    """Replace (or with None, delete) the 1-based line of a text; new may hold several lines."""
    # Split at \n only: splitlines() would also split at NEL, U+2028 and control
    # characters that tests put inside a line on purpose.
    lines = text.removesuffix("\n").split("\n")
    lines[line - 1 : line] = [] if new is None else new.split("\n")
    return "\n".join(lines) + "\n"


class Ran(NamedTuple):
    """What a command gave back: its exit code and the text it wrote to each stream."""

    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def in_process(capsys, monkeypatch):
    """Return a runner of the command line in this process (`main(argv)`), as a child would."""
    from timeline.cli import main

    def call(*args: object, env: dict[str, str] | None = None) -> Ran:
        for name, value in (env or {}).items():
            monkeypatch.setenv(name, value)
        try:
            code = main([str(a) for a in args])
        except SystemExit as exit:  # argparse's usage errors
            code = int(exit.code or 0)
        out, err = capsys.readouterr()
        return Ran(code, out, err)

    return call


@pytest.fixture
def valid_text() -> str:
    return VALID


@pytest.fixture(scope="session")
def shipped():
    from timeline.files import load_file

    return load_file(ROOT / "events.yaml")


@pytest.fixture(scope="session")
def edge():
    from timeline.files import load_file

    return load_file(ROOT / "tests" / "data" / "edge.yaml")


@pytest.fixture(scope="session")
def shipped_server():
    """Return a `streamlit run` of the shipped file, started once for every browser module.

    Each module's `shipped` fixture (test_browser) hands it on after checking for Chromium;
    Chromium itself stays per module: a live Playwright holds an event loop in this thread,
    and asyncio.run() in the tests between would refuse to start.
    """
    from test_browser import Server

    server = Server()
    yield server
    server.stop()


def disk_full_after(monkeypatch, writes: int) -> list[int]:
    """Make the store's Parquet writes fail as a full disk does after `writes` of them."""
    import pyarrow.parquet as pq

    from timeline.store import io as store_io

    real, calls = pq.write_table, []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) > writes:
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(store_io.pq, "write_table", failing)
    return calls


def record_spinners(monkeypatch) -> list[str]:
    """Record the text of every st.spinner the page shows (still shown as usual)."""
    import contextlib

    import streamlit as st

    spun, real = [], st.spinner

    @contextlib.contextmanager
    def spinner(text, *args, **kwargs):
        spun.append(text)
        with real(text, *args, **kwargs):
            yield

    monkeypatch.setattr(st, "spinner", spinner)
    return spun
