"""Events brought in from other tools: TimelineJS, spreadsheets and ICEWS event data."""

from .command import add_arguments, run_import
from .common import FORMATS

__all__ = ["FORMATS", "add_arguments", "run_import"]
