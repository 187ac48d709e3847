"""The Streamlit page, in parts that app.py calls in order: the only code that imports streamlit."""

from .loading import events_path, load_or_stop
from .parts import details, heading, select, share, tabs
from .sidebar import render_sidebar

__all__ = ["details", "events_path", "heading", "load_or_stop", "render_sidebar", "select",
           "share", "tabs"]  # fmt: skip
