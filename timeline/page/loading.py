"""Loading the data file once per version for every viewer, and showing why it failed."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from ..errors import DataError, as_data_error
from ..figures.hover import HoverTexts
from ..files import choose_events_path, load_cached, stamp
from ..filters import Index, catalog_for
from ..frame import Dataset
from ..i18n import Translator, as_lang, translator
from ..lanes import spelling_notices
from ..state import Catalog
from . import language


@dataclass(frozen=True)
class Loaded:
    """A loaded file and what every view needs of it, shared read-only by every viewer."""

    data: Dataset
    index: Index
    catalog: Catalog
    titles: pd.Series  # "date · title" of each event, by id, in the events' order
    hovers: HoverTexts = field(compare=False)
    spellings: tuple[str, ...] = ()  # state names that look like one state spelled twice
    # An event store's page (page/storeview.Store): data then holds only the events fetched
    # for this run, and the store answers each run's query (Selection.of_loaded).
    store: Any = field(default=None, compare=False)

    @property
    def total(self) -> int:
        """Return how many events the file (or the store) holds."""
        return self.store.total if self.store is not None else len(self.data.events)


def events_path(app_dir: Path) -> Path:
    """Return the data file: `-- --events FILE`, else $TIMELINE_EVENTS, else the shipped one."""
    return choose_events_path(sys.argv[1:], dict(os.environ), app_dir)


# No spinner of the cache's own: its text is fixed when the function is decorated, in
# English; load_or_stop shows one in the reader's language (after st.spinner's delay, so
# never on a cache hit).
@st.cache_resource(show_spinner=False, max_entries=4)
def load(path: str, version: tuple[int, ...]) -> Loaded | DataError:
    """Parse the file once per path and version (files.stamp), shared by every viewer.

    A failure is returned as a DataError, not raised, so that it too happens only once.
    """
    try:
        data = load_cached(path)
    except Exception as err:
        return as_data_error(err, path)
    index = Index.build(data.events, data.people)
    titles = data.events["date_label"] + " · " + data.events["title"]
    return Loaded(
        data=data,
        index=index,
        catalog=catalog_for(data, index),
        titles=pd.Series(titles.array, index=data.events["id"]),
        hovers=HoverTexts(data.people),
        spellings=tuple(spelling_notices(data.people, data.events)),
    )


@st.cache_resource
def _last_good() -> dict[str, Loaded]:
    """The last version of each file that loaded, to keep on screen while it is broken."""
    return {}


def problem_lines(error: DataError, name: str, most: int) -> str:
    """Return an error's first problems as FILE:LINE:COL lines, naming the file, not its path."""
    lines = [p.format(name) for p in error.problems[:most]]
    if error.total > most:
        lines.append(f"... and {error.total - most:,} more")
    return "\n".join(lines)


def reader() -> Translator:
    """Return the reader's translator before the sidebar is drawn: the chosen language on a
    rerun, else the link's, else the browser's."""
    chosen = as_lang(st.session_state.get("lang"))
    return translator(chosen or language.browser_lang(st.query_params.get_all("lang")))


def load_or_stop(path: Path) -> tuple[Loaded, DataError | None]:
    """Return the file's data (its last good version while it is broken), or stop the page."""
    from ..store.io import is_store  # storeview only for a store: its engine, Ibis, takes 0.35 s

    if is_store(path):
        from .storeview import open_or_stop  # a folder: the event store's page

        return open_or_stop(path), None
    t = reader()
    with st.spinner(t.gettext("Reading the data file...")):
        loaded = load(str(path), stamp(path))
    if not isinstance(loaded, DataError):
        _last_good()[str(path)] = loaded
        return loaded, None
    if str(path) in _last_good():
        return _last_good()[str(path)], loaded  # an editor saved a mistake: keep the last view
    st.error(t.ngettext("The data file {name} has {errors} error(s); fix them and reload.",
                        "The data file {name} has {errors} error(s); fix them and reload.",
                        loaded.total, name=path.name, errors=t.number(loaded.total)))  # fmt: skip
    language.problems(problem_lines(loaded, path.name, 20))  # marked English, left to right
    st.stop()
    raise AssertionError("unreachable")  # st.stop raises
