"""The publishing tab: this view for TimelineJS, as a static page, and as an embed snippet."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial

import streamlit as st

from ... import figures
from ...exporters import command, formats
from ...exporters.embed import embed_snippet
from ...exporters.formats import ExportFormat
from ...exporters.tables import estimated_size
from ...exporters.view import MAX_EXPORT_BYTES, View
from ...i18n import N_, Translator
from ...names import Names
from .. import language
from ..note import note
from ..selection import Selection
from .base import Tab

# Where the page is when Streamlit cannot say (a test run): the snippet says to replace it.
FALLBACK_URL = "http://localhost:8501/"


def _page_url() -> str:
    return st.context.url or FALLBACK_URL


def _heading(text: str) -> None:
    # h2 under the page's h1 (Streamlit's subheader is an h3), sized as a subheading.
    st.html(f"<h2 style='font-size:1.25rem;margin:.75rem 0 .25rem'>{text}</h2>")


@dataclass(frozen=True)
class Offer:
    """One download the tab offers: its format, its estimated size, and whether it is shut."""

    format: ExportFormat
    size: int  # bytes, estimated before writing (0 for a format an empty view cannot hold)
    empty: bool  # the view has no event and the format needs one

    @property
    def too_big(self) -> bool:
        """Say whether the file would pass the export bound: it is then not offered."""
        return self.size > MAX_EXPORT_BYTES

    @property
    def disabled(self) -> bool:
        """Say whether the button is shut: an empty view it cannot hold, or too big a file."""
        return self.empty or self.too_big


def offers(view: View, names: Names) -> list[Offer]:
    """Return the tab's downloads, one per format of the registry offered here, measured."""
    empty = view.shown.empty
    sizes: dict[str, int] = {}
    found = []
    for fmt in formats.offered("publish"):
        shut = empty and fmt.needs_events is not None
        if fmt.measure not in sizes:
            sizes[fmt.measure] = estimated_size(view.shown, names, fmt.measure)
        found.append(Offer(fmt, 0 if shut else sizes[fmt.measure], shut))
    return found


def file_of(offer: Offer, view: View, url: str, day: dt.date | None = None) -> str:
    """Return the file a download writes: the command's `export` of the same view, byte for byte."""
    day = day or command.export_day()  # looked up here: a test fixes the day for both
    return command.export_text(offer.format, view, figures, today=day, base_url=url)


def _downloads(view: View, names: Names, url: str) -> None:
    """Offer the view in each format of the registry, with a note for those not offered."""
    found, t = offers(view, names), language.current()
    columns = st.columns([1] * len(found) + [2])
    # Written only when asked for (a large view would slow every rerun of the page) and
    # sent apart from the page; a file that would pass the export bound is not offered.
    # Each file is in the page's language (the view's `lang`), as `export --lang` writes it.
    for column, offer in zip(columns, found, strict=False):
        column.download_button(
            t.gettext(offer.format.title), partial(file_of, offer, view, url),
            offer.format.file_name, offer.format.mime, width="stretch",
            disabled=offer.disabled, help=t.gettext(offer.format.help),
        )  # fmt: skip
    for offer in found:
        if offer.empty and offer.format.needs_events:
            note(t.gettext("{why}: widen the filters to download it.",
                           why=t.gettext(offer.format.needs_events)))  # fmt: skip
    big = [
        t.gettext("{file} (about {size} MB)", file=t.gettext(o.format.noun),
                  size=t.number(round(o.size / 1024**2)))
        for o in found if o.too_big
    ]  # fmt: skip
    if big:
        note(t.ngettext(
            "The {files} of this {number} event would be over {most} MB: narrow the filters "
            "to download them.",
            "The {files} of these {number} events would be over {most} MB: narrow the filters "
            "to download them.",
            len(view.shown), files=_joined(big, t),
            number=t.number(len(view.shown)), most=t.number(MAX_EXPORT_BYTES // 1024**2),
        ))  # fmt: skip


def _joined(files: list[str], t: Translator) -> str:
    """Return the files too big as one phrase: 'static page (...) and the TimelineJS file'."""
    text = files[0]
    for file in files[1:]:
        text = t.gettext("{first} and the {second}", first=text, second=file)
    return text


def render(selection: Selection) -> None:
    """Offer the view in the registry's formats for publishing, and as an iframe to embed."""
    url, t = _page_url(), language.current()
    _heading(t.gettext("Download this view"))
    _downloads(selection, selection.loaded.hovers.names, url)
    _heading(t.gettext("Embed this view"))
    note(t.gettext(
        "Paste this into an article: the live dashboard at this view, framed. Readers can "
        "hover, open events and change the filters; it needs this server to keep running. "
        "The script after the frame sizes it to the page at any width (where an article "
        "strips scripts, the frame scrolls inside)."
    ))  # fmt: skip
    st.code(embed_snippet(url, selection), language="html", wrap_lines=True)


TAB = Tab(
    name="publish",
    label=N_("Publish"),
    caption=N_(
        "Take this view out: for TimelineJS, as a page that needs no server, or embedded "
        "in an article. Each holds the events the filters keep."
    ),
    render=render,
    lazy=True,
)
