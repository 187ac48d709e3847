"""What the page shows on this run: the state, the events it keeps, and their lanes."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from ..lanes import Membership
from ..state import FilterState
from .loading import Loaded


@dataclass(frozen=True)
class Selection:
    """The filtered view of a loaded file, handed to every tab."""

    loaded: Loaded
    state: FilterState
    mask: np.ndarray
    notices: tuple[str, ...] = ()

    @cached_property
    def shown(self) -> pd.DataFrame:
        """Return the events that match the filters."""
        return self.loaded.data.events[self.mask]

    @property
    def membership(self) -> Membership:
        """Return the lanes of the kind the viewer chose."""
        return self.loaded.index.of(self.state.lanes)
