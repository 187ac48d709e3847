"""The tabs, registered in one place: a new view is a module with a TAB, and a line here."""

from __future__ import annotations

from ...state import VIEWS
from . import matrix_tab, publish_tab, story_tab, table_tab, tempo_tab, timeline_tab
from .base import Tab

TABS: tuple[Tab, ...] = (timeline_tab.TAB, matrix_tab.TAB, tempo_tab.TAB, table_tab.TAB,
                         story_tab.TAB, publish_tab.TAB)  # fmt: skip
LABELS = {tab.name: tab.label for tab in TABS}
NAMES = {tab.label: tab.name for tab in TABS}

if tuple(LABELS) != VIEWS:  # the URL's view names are the state's; they must agree
    raise RuntimeError(f"tabs {tuple(LABELS)} do not match the views {VIEWS}")

__all__ = ["LABELS", "NAMES", "TABS", "Tab"]
