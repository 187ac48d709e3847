"""The figures, one module each, from plain data to Plotly: no Streamlit here."""

from .density import MAX_MARKERS, density_figure
from .hover import MAX_MARKS
from .matrix import matrix_figure
from .periods import add_periods, add_timeline_periods
from .tempo import tempo_figure
from .timeline import in_language, timeline_figure

__all__ = [
    "MAX_MARKERS",
    "MAX_MARKS",
    "add_periods",
    "add_timeline_periods",
    "density_figure",
    "in_language",
    "matrix_figure",
    "tempo_figure",
    "timeline_figure",
]
