"""An interactive timeline of relations between states, read from a YAML file."""

from .errors import DataError, Problem
from .frame import Dataset
from .loader import parse_events

__all__ = ["DataError", "Dataset", "Problem", "parse_events"]
