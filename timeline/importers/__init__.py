"""Events brought in from other tools: TimelineJS, spreadsheets and ICEWS event data."""

from .command import add_arguments, run_import
from .registry import FORMATS, command_help

__all__ = ["FORMATS", "add_arguments", "command_help", "run_import"]
