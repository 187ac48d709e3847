"""What the page shows on this run: the core's view of the loaded file, handed to every tab."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from ..selection import View
from ..state import Catalog, FilterState
from .loading import Loaded


@dataclass(frozen=True)
class Selection(View):
    """The filtered view of a loaded file: a View (as the exporters take it) and its Loaded."""

    loaded: Loaded = field(kw_only=True)  # the file's shared parts: titles, hovers, catalog

    @classmethod
    def of_loaded(cls, loaded: Loaded, state: FilterState, notices: tuple = ()) -> Selection:
        """Filter a loaded file by a state, with its index."""
        view = View.of(loaded.data, state, loaded.index, notices)
        return cls(view.data, state, view.index, view.mask, view.notices, loaded=loaded)

    @cached_property
    def catalog(self) -> Catalog:
        """Return the loaded file's catalog (computed once per file, not per run)."""
        return self.loaded.catalog
