"""The page on an event store (`--events DIR`): opened once per version, queried per run.

The store is bound to its engine (timeline/store/engine.py) once per version of its
CURRENT pointer, shared by every viewer, and the sidebar's choices (the Catalog) are
queried then. Each run asks only what its view draws: the count; within the chart's
marker limit, the matching rows, made a small Dataset that the usual Selection and every
tab take unchanged; above it, a `LargeSelection` holding one page of the table, whose tabs
are drawn from the store's answers (tabs/at_scale.py).
"""

from __future__ import annotations

import dataclasses
import os
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import streamlit as st

from .. import figures
from ..errors import shown
from ..figures.hover import HoverTexts
from ..files import stamp
from ..filters import Index
from ..frame import Dataset
from ..lanes import LANES
from ..selection import View
from ..state import Catalog, FilterState, LaneOrder, ordered_kinds
from ..store import query as Q
from ..store.engine import connect, engine_name
from ..store.io import CURRENT, StoreError, is_store, table_paths
from ..store.write import frame_of
from ..text import markdown_text
from .loading import Loaded, reader
from .selection import Selection

T = TypeVar("T")
ENGINE_ARG = "--engine"
PAGE_KEY = "table_page"  # the table's page above the limit: a widget's key, 1-based
PAGE_ROWS = 100
ANSWERS = 64  # answers kept per store, by query and filters: a rerun that changes none asks nothing
_FILTERS_KEY = "table_page_filters"  # the filters the page number belongs to


def marker_limit() -> int:
    """Return the most events a run fetches whole: the timeline's marker limit."""
    return figures.MAX_MARKERS


def engine_arg(argv: list[str]) -> str | None:
    """Return the engine named by `--engine NAME` (or `--engine=NAME`), else None."""
    for i, arg in enumerate(argv):
        if arg == ENGINE_ARG and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith(ENGINE_ARG + "="):
            return arg.split("=", 1)[1]
    return None


def is_store_path(path: Path) -> bool:
    """Say whether the data path is an event store's folder (it holds a CURRENT file)."""
    return is_store(path)


class StoreIds(frozenset[str]):  # empty: ids are asked for one by one
    """The store's event ids for Catalog.events: `id in ids` asks the store, none is held."""

    _has: Callable[[str], bool]

    def __new__(cls, has: Callable[[str], bool]) -> StoreIds:
        made = super().__new__(cls)
        made._has = has
        return made

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._has(key)


def filter_key(state: FilterState) -> FilterState:
    """Return the part of a state the store's answers depend on (not the tab, event, zoom)."""
    return dataclasses.replace(
        state, event=None, view="timeline", zoom_from=None, zoom_to=None, lang="en", story=""
    )


@dataclass(frozen=True)
class Store:
    """A store bound to an engine and what every view needs of it, shared by every viewer."""

    path: str
    engine: str
    bound: Q.Bound
    catalog: Catalog
    total: int
    empty: Dataset  # the heading, people, sources and periods; no events
    hovers: HoverTexts = field(compare=False)
    # One engine connection serves every viewer's thread, one query at a time.
    lock: threading.RLock = field(default_factory=threading.RLock, compare=False)
    answers: OrderedDict = field(default_factory=OrderedDict, compare=False)

    def ask(self, what: Hashable, state: FilterState | None, run: Callable[[], T]) -> T:
        """Return a query's answer, run once per filters and kept among the last ANSWERS."""
        key = (what, None if state is None else filter_key(state))
        with self.lock:
            if key in self.answers:
                self.answers.move_to_end(key)
                return self.answers[key]
            value = run()
            self.answers[key] = value
            while len(self.answers) > ANSWERS:
                self.answers.popitem(last=False)
            return value

    def loaded(self, rows: pd.DataFrame) -> Loaded:
        """Return a run's Loaded: the store's heading and catalog with the rows fetched."""
        data = dataclasses.replace(self.empty, events=rows.reset_index(drop=True))
        titles = data.events["date_label"] + " · " + data.events["title"]
        return Loaded(
            data=data, index=Index.build(data.events, data.people), catalog=self.catalog,
            titles=pd.Series(titles.array, index=data.events["id"], dtype=object),
            hovers=self.hovers, store=self,
        )  # fmt: skip

    def selection(self, state: FilterState, notices: tuple = ()) -> Selection:
        """Return this run's selection: the matching rows, or one page of them and the count."""
        return select(self, state, notices)


def store_catalog(b: Q.Bound, has: Callable[[str], bool]) -> Catalog:
    """Return the values a link may name in a store, as filters.catalog_for does for a file."""
    lanes: dict[str, tuple[str, ...]] = {}
    for kind, spec in LANES.items():
        order: LaneOrder = "file" if spec.of_people else "name"
        found = Q.lanes(b, FilterState(order=order), kind)
        keys = (lane.key for lane in found if lane.key is not None)
        lanes[spec.field] = tuple(k for k in keys if not spec.of_people or k in b.people)
    events = b.events
    span = events.aggregate(first=events.start.min(), last=events["last"].max()).execute()
    kinds = events.select("kind").distinct().execute()["kind"]
    first, last = span["first"].iloc[0], span["last"].iloc[0]
    return Catalog(
        leaders=lanes.pop("leaders"),
        kinds=tuple(ordered_kinds(str(k) for k in kinds)),
        events=StoreIds(has),
        first=None if pd.isna(first) else pd.Timestamp(first).date(),
        last=None if pd.isna(last) else pd.Timestamp(last).date(),
        **lanes,
    )


def _has_event(b: Q.Bound, event: str) -> bool:
    return int(b.events.filter(b.events.id == event).count().execute()) > 0


def _open(path: str, engine: str) -> Store:
    b = Q.on_files(connect(engine), table_paths(path))
    lock = threading.RLock()
    answers: OrderedDict = OrderedDict()

    def has(event: str) -> bool:
        key = ("has", event)
        with lock:
            if key not in answers:
                answers[key] = _has_event(b, event)
            return bool(answers[key])

    empty_rows = frame_of(b.schema.empty_table())
    empty = Dataset(b.title, b.description, b.people, b.sources, empty_rows, b.periods)
    total = int(b.events.count().execute())
    catalog = store_catalog(b, has)
    hovers = HoverTexts(b.people)
    return Store(path, engine, b, catalog, total, empty, hovers, lock, answers)


@dataclass(frozen=True)
class StoreProblem:
    """Why a store did not open: a message naming the folder or value and what is valid."""

    message: str


# No spinner of the cache's own (its text is fixed at decoration, in English): open_or_stop
# shows one in the reader's language, after st.spinner's delay, so never on a cache hit.
@st.cache_resource(show_spinner=False, max_entries=4)
def open_store(path: str, version: tuple[int, ...], engine: str) -> Loaded | StoreProblem:
    """Open a store once per path, CURRENT version and engine, shared by every viewer.

    A failure is returned, not raised, so that it too happens only once per version.
    """
    try:
        store = _open(path, engine)
    except StoreError as err:
        return StoreProblem(_named(str(err), path))
    except Exception as err:  # the engine's own errors: a missing or damaged Parquet file
        why = shown(_named(str(err), path), 300)
        return StoreProblem(
            f"{Path(path).name}: the event store cannot be read on {engine} "
            f"({type(err).__name__}: {why}); write the store again from its events."
        )
    return store.loaded(store.empty.events)


def _named(message: str, path: str) -> str:
    """Name the store by its folder's name, as a data file is named: never its whole path."""
    name = Path(path).name
    return message.replace(shown(path), shown(name)).replace(path, name)


def open_or_stop(path: Path) -> Loaded:
    """Return the store's shared Loaded (its events left in the store), or say why and stop."""
    try:
        engine = engine_name(engine_arg(sys.argv[1:]))
    except ValueError as err:
        return _stop(f"{err}. Choose it with -- --engine NAME or TIMELINE_ENGINE.")
    with st.spinner(reader().gettext("Opening the event store...")):
        opened = open_store(str(path), stamp(os.path.join(path, CURRENT)), engine)
    if isinstance(opened, StoreProblem):
        return _stop(opened.message)
    return opened


def _stop(message: str) -> Loaded:
    # As text: an engine's message or a folder's name never becomes Markdown in the page.
    st.error(markdown_text(message), icon="🚫")
    st.stop()
    raise AssertionError("unreachable")  # st.stop raises


@dataclass(frozen=True)
class LargeSelection(Selection):
    """More matches than the chart draws one by one: the count, and one page of the table.

    `data` holds that page (and the open event); the tabs draw the count, the density,
    the matrix and the tempo from the store's answers (tabs/at_scale.py).
    """

    count: int = field(kw_only=True)
    page: int = field(kw_only=True)  # 1-based, of PAGE_ROWS rows
    rows: int = field(kw_only=True)  # the page's rows, first in data (the open event after)

    @property
    def store(self) -> Store:
        """Return the store this selection queries."""
        return self.loaded.store

    @property
    def matches(self) -> int:
        """Return how many events match, in the whole store."""
        return self.count

    def renderer(self, tab: Any) -> Callable[[Selection], None]:
        """Return the tab's drawing from the store's answers (tabs/at_scale.AT_SCALE)."""
        from .tabs.at_scale import AT_SCALE

        return AT_SCALE[tab.name]


def _page(state: FilterState, count: int) -> int:
    """Return the table's page: the widget's, back to 1 when the filters changed."""
    pages = max(1, -(-count // PAGE_ROWS))
    key = filter_key(state)
    if st.session_state.get(_FILTERS_KEY) != key:
        st.session_state[_FILTERS_KEY] = key
        st.session_state[PAGE_KEY] = 1
    page = min(max(1, int(st.session_state.get(PAGE_KEY) or 1)), pages)
    st.session_state[PAGE_KEY] = page
    return page


def _with_open(store: Store, state: FilterState, rows: pd.DataFrame) -> pd.DataFrame:
    """Return the rows with the open event's after them, when it is not among them."""
    event = state.event
    if event is None or event in set(rows["id"]):
        return rows
    one = store.ask(("details", event), None, lambda: Q.details(store.bound, event))
    return pd.concat([rows, one], ignore_index=True)


def select(store: Store, state: FilterState, notices: tuple = ()) -> Selection:
    """Return a run's selection of the store: the rows within the limit, else a page."""
    b = store.bound
    count = store.ask("count", state, lambda: Q.count(b, state))
    if count <= marker_limit():
        rows = store.ask("rows", state, lambda: Q.page(b, state, 0, count))
        loaded = store.loaded(_with_open(store, state, rows))
        view = View.of(loaded.data, state, loaded.index, notices)
        return Selection(view.data, state, view.index, view.mask, view.notices, loaded=loaded)
    page = _page(state, count)
    offset = (page - 1) * PAGE_ROWS
    rows = store.ask(("page", page), state, lambda: Q.page(b, state, offset, PAGE_ROWS))
    mask = np.ones(len(rows), dtype=bool)
    loaded = store.loaded(_with_open(store, state, rows))
    if len(loaded.data.events) > len(rows):  # the open event, outside this page: a match?
        event = state.event
        matches = store.ask(("match", event), state, lambda: _matches(b, state, str(event)))
        mask = np.append(mask, matches)
    return LargeSelection(loaded.data, state, loaded.index, mask, tuple(notices),
                          loaded=loaded, count=count, page=page, rows=len(rows))  # fmt: skip


def _matches(b: Q.Bound, state: FilterState, event: str) -> bool:
    shown_ = Q.kept(b, state)
    return int(shown_.filter(shown_.id == event).count().execute()) > 0
