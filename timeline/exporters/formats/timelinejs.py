"""TimelineJS JSON: one slide per event, quotes and sources in its text."""

from __future__ import annotations

from ..timelinejs import timelinejs_json
from .format import BASE_URL, ExportFormat, Job


def write(job: Job) -> str:
    """Return the view as a TimelineJS document, linking back to the dashboard if given."""
    return timelinejs_json(job.view, job.base_url)


FORMAT = ExportFormat(
    name="timelinejs",
    title="TimelineJS JSON",
    words="TimelineJS JSON",
    noun="TimelineJS file",
    write=write,
    file_name="timeline.json",
    mime="application/json",
    help="For TimelineJS: one slide per event in the story's order, with times of day, "
    "the author's narration, quotes and sources in its text",
    options=(BASE_URL,),
    offer="publish",
    # Its slides name people and sources cut, as the static page does.
    measure="html",
    needs_events="TimelineJS needs at least one event",
)
