"""What a tab is: a name for the URL, a label, a caption, and how it draws itself."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ...state import ViewName
from ..selection import Selection


@dataclass(frozen=True)
class Tab:
    """One view of the filtered events, registered in `tabs/__init__.py`."""

    name: ViewName  # in the URL as view=NAME
    label: str
    caption: str
    render: Callable[[Selection], None]
    lazy: bool = False  # drawn only while open: analyses that take a moment on large files
