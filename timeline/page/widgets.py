"""The widgets' values in Streamlit's session state, read and written as the pure state wants.

Every widget's key is its URL parameter's name; only the tabs differ: Streamlit keeps the
open tab's label, the state its name, and this module translates.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from ..session import Values
from ..viewstate import WIDGET_KEYS

# Every value of the view, by key, from the one table (timeline/viewstate.py). `zoom` is no
# widget's key: a widget not drawn on a run (the timeline's zoom, while the density chart
# shows) would lose it. Its range control is seeded from it (page/zoom.py).
KEYS = WIDGET_KEYS


def read() -> Values:
    """Return the widgets' values, the open tab by its name."""
    from .tabs import NAMES

    values = {key: st.session_state.get(key) for key in KEYS}
    values["view"] = NAMES.get(str(values["view"]), "timeline")
    return values


def write(changes: Mapping[str, Any]) -> None:
    """Set widgets' values, a tab by its name."""
    from .tabs import LABELS

    changes = dict(changes)
    if "view" in changes:
        changes["view"] = LABELS[changes["view"]]
    st.session_state.update(changes)
