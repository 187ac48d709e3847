"""A static page: the chart and every event as a story, one file that needs no server."""

from __future__ import annotations

from ...i18n import N_
from ..html import static_page
from .format import BASE_URL, LANG, ExportFormat, Job


def write(job: Job) -> str:
    """Return the view as one self-contained HTML page, dated the day it is made."""
    return static_page(job.view_in_language, job.figures, exported=job.today, base_url=job.base_url)


FORMAT = ExportFormat(
    name="html",
    title=N_("Static page (HTML)"),
    words="a static page",
    noun=N_("static page"),
    write=write,
    file_name="timeline.html",
    mime="text/html",
    help=N_(
        "One file that opens without a server or network: the chart and every event, "
        "in the story's order with previous and next links (and the view's authored story)"
    ),
    options=(BASE_URL, LANG),
    offer="publish",
    measure="html",
)
