"""What the page shows on this run: the core's view of the loaded file, handed to every tab."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from ..selection import View
from ..state import Catalog, FilterState
from .loading import Loaded

if TYPE_CHECKING:
    from .tabs.base import Tab


@dataclass(frozen=True)
class Selection(View):
    """The filtered view of a loaded file: a View (as the exporters take it) and its Loaded."""

    loaded: Loaded = field(kw_only=True)  # the file's shared parts: titles, hovers, catalog

    @classmethod
    def of_loaded(cls, loaded: Loaded, state: FilterState, notices: tuple = ()) -> Selection:
        """Filter a loaded file by a state, with its index (a store: the events it fetches)."""
        if loaded.store is not None:
            return loaded.store.selection(state, tuple(notices))
        view = View.of(loaded.data, state, loaded.index, notices)
        return cls(view.data, state, view.index, view.mask, view.notices, loaded=loaded)

    @property
    def matches(self) -> int:
        """Return how many events match the filters (a store's large view holds a page)."""
        return len(self.shown)

    def renderer(self, tab: Tab) -> Callable[[Selection], None]:
        """Return how a tab draws this selection: its own render (a store's large view: its)."""
        return tab.render

    @cached_property
    def catalog(self) -> Catalog:
        """Return the loaded file's catalog (computed once per file, not per run)."""
        return self.loaded.catalog
