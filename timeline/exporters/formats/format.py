"""What an export format declares: its name, title, options and function (see the registry)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal
from urllib.parse import urlsplit

from ...errors import shown
from ...state import LANGS, Lang
from ..html import FigureKit
from ..view import View

# Where the page offers a format: the Publish tab, the Table tab's downloads, or nowhere.
Offer = Literal["publish", "table"]
# How the page estimates a file's size before writing it (exporters.tables.estimated_size).
Measure = Literal["html", "csv", "json"]


@dataclass(frozen=True)
class Job:
    """What a format's function is given: the view, the figures, the day, the options."""

    view: View
    figures: FigureKit
    today: dt.date
    base_url: str | None = None
    lang: Lang | None = None  # --lang: the interface's language; None: the view's own

    @property
    def view_in_language(self) -> View:
        """Return the view in the language asked for (--lang), else in its own (`lang=`)."""
        if self.lang is None or self.lang == self.view.state.lang:
            return self.view
        return replace(self.view, state=replace(self.view.state, lang=self.lang))


@dataclass(frozen=True)
class Option:
    """A command-line option that some formats take, read into the Job field `dest`."""

    flag: str  # as typed: --base-url
    dest: str  # the Job's field it fills
    metavar: str
    help: str
    # Why a value is refused (a usage error, exit 2), or None when it is fine.
    check: Callable[[str], str | None]


def check_base_url(url: str) -> str | None:
    """Return why a --base-url is refused, or None for an http(s) address without a query."""
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        return f"--base-url {url!r} is not a web address (expected http:// or https://)"
    if parts.query or parts.fragment or any(c.isspace() for c in url):
        return f"--base-url {url!r}: expected the dashboard's address without a query or #"
    return None


BASE_URL = Option(
    "--base-url",
    "base_url",
    "URL",
    "the live dashboard's address: the page (and TimelineJS) link back to the view",
    check_base_url,
)


def check_lang(lang: str) -> str | None:
    """Return why a --lang is refused, or None for one of the page's languages."""
    if lang in LANGS:
        return None
    return f"--lang {shown(lang)} is not one of the page's languages (valid: {', '.join(LANGS)})"


LANG = Option(
    "--lang",
    "lang",
    "LANG",
    f"the language of the page's words, dates and numbers: {', '.join(LANGS)} (default: "
    "the query's lang=, else en); the data's own text stays as written",
    check_lang,
)


@dataclass(frozen=True)
class ExportFormat:
    """One export format, as the command line, its help, the page and the tests know it."""

    name: str  # on the command line: html
    title: str  # the page's button: "Static page (HTML)", marked N_ for the catalogs
    words: str  # what the command says it wrote, and its help: "a static page"
    noun: str  # the file, in the page's notes: "static page", marked N_
    write: Callable[[Job], str]  # ExportError when the view cannot be held
    file_name: str  # the page's download: timeline.html
    mime: str
    help: str  # the page's tooltip on its button, marked N_
    options: tuple[Option, ...] = ()
    offer: Offer | None = None
    measure: Measure = "html"
    # Why an empty view is not offered ("TimelineJS needs at least one event"), or None;
    # marked N_.
    needs_events: str | None = None
