"""The widgets' values in Streamlit's session state, read and written as the pure state wants.

Every widget's key is its URL parameter's name; only the tabs differ: Streamlit keeps the
open tab's label, the state its name, and this module translates.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from ..i18n import translator
from ..session import Values
from ..state import LANGS
from ..viewstate import WIDGET_KEYS
from . import language

# Every value of the view, by key, from the one table (timeline/viewstate.py). `zoom` is no
# widget's key: a widget not drawn on a run (the timeline's zoom, while the density chart
# shows) would lose it. Its range control is seeded from it (page/zoom.py).
KEYS = WIDGET_KEYS


def read() -> Values:
    """Return the widgets' values, the open tab by its name."""
    from .tabs import NAMES

    values = {key: st.session_state.get(key) for key in KEYS}
    values["view"] = NAMES.get(str(values["view"])) or _name_of(str(values["view"]))
    return values


def _name_of(label: str) -> str:
    """Return the tab's name of a label in any language (the one shown before a switch)."""
    from .tabs import LABELS

    for lang in LANGS:
        for name, english in LABELS.items():
            if translator(lang).gettext(english) == label:
                return name
    return "timeline"


def write(changes: Mapping[str, Any]) -> None:
    """Set widgets' values, a tab by its name."""
    from .tabs import LABELS

    changes = dict(changes)
    if "view" in changes:
        changes["view"] = language.current().gettext(LABELS[changes["view"]])
    st.session_state.update(changes)
