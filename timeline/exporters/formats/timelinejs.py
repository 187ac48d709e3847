"""TimelineJS JSON: one slide per event, quotes and sources in its text."""

from __future__ import annotations

from ...i18n import N_
from ..timelinejs import timelinejs_json
from .format import BASE_URL, LANG, ExportFormat, Job


def write(job: Job) -> str:
    """Return the view as a TimelineJS document, linking back to the dashboard if given."""
    return timelinejs_json(job.view_in_language, job.base_url)


FORMAT = ExportFormat(
    name="timelinejs",
    title=N_("TimelineJS JSON"),
    words="TimelineJS JSON",
    noun=N_("TimelineJS file"),
    write=write,
    file_name="timeline.json",
    mime="application/json",
    help=N_(
        "For TimelineJS: one slide per event in the story's order, with times of day, "
        "the author's narration, quotes and sources in its text"
    ),
    options=(BASE_URL, LANG),
    offer="publish",
    # Its slides name people and sources cut, as the static page does.
    measure="html",
    needs_events=N_("TimelineJS needs at least one event"),
)
