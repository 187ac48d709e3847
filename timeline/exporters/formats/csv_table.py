"""CSV: one row per event, for a spreadsheet."""

from __future__ import annotations

from ..tables import to_csv
from .format import ExportFormat, Job


def write(job: Job) -> str:
    """Return the view's events as CSV, people by name."""
    return to_csv(job.view.shown, job.view.data.people)


FORMAT = ExportFormat(
    name="csv",
    title="CSV",
    words="CSV",
    noun="CSV file",
    write=write,
    file_name="timeline.csv",
    mime="text/csv",
    help="One row per event, for a spreadsheet",
    offer="table",
    measure="csv",
)
