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
from ..i18n import translator
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


@st.cache_resource(show_spinner="Reading the data file...", max_entries=4)
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


def load_or_stop(path: Path) -> tuple[Loaded, DataError | None]:
    """Return the file's data (its last good version while it is broken), or stop the page."""
    from .storeview import is_store_path, open_or_stop  # a folder: the event store's page

    if is_store_path(path):
        return open_or_stop(path), None
    loaded = load(str(path), stamp(path))
    if not isinstance(loaded, DataError):
        _last_good()[str(path)] = loaded
        return loaded, None
    if str(path) in _last_good():
        return _last_good()[str(path)], loaded  # an editor saved a mistake: keep the last view
    # The widgets are not seeded yet: the link's language, else the browser's.
    t = translator(language.browser_lang(st.query_params.get_all("lang")))
    st.error(t.ngettext("The data file {name} has {errors} error(s); fix them and reload.",
                        "The data file {name} has {errors} error(s); fix them and reload.",
                        loaded.total, name=path.name, errors=t.number(loaded.total)))  # fmt: skip
    st.code(problem_lines(loaded, path.name, 20), language=None, wrap_lines=True)
    st.stop()
    raise AssertionError("unreachable")  # st.stop raises
