"""JSON: the events field for field, as in the data file."""

from __future__ import annotations

from ..tables import to_json
from .format import ExportFormat, Job


def write(job: Job) -> str:
    """Return the view's events as JSON records."""
    return to_json(job.view.shown)


FORMAT = ExportFormat(
    name="json",
    title="JSON",
    words="JSON",
    noun="JSON file",
    write=write,
    file_name="timeline.json",
    mime="application/json",
    help="The events field for field, as in the data file",
    offer="table",
    measure="json",
)
