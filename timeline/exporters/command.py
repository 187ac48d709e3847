"""`python -m timeline export FORMAT FILE`: a view as TimelineJS, a static page, CSV or JSON."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Literal, get_args
from urllib.parse import urlsplit

from ..errors import DataError
from ..files import load_file, write_output
from .html import FigureKit, static_page
from .tables import to_csv, to_json
from .timelinejs import timelinejs_json
from .view import ExportError, View, read_view

Format = Literal["timelinejs", "html", "csv", "json"]
FORMATS: tuple[Format, ...] = get_args(Format)
FORMAT_NAMES: dict[Format, str] = {
    "timelinejs": "TimelineJS JSON",
    "html": "a static page",
    "csv": "CSV",
    "json": "JSON",
}
MAX_SHOWN = 100  # errors of a data file printed; the count says how many more
MAX_QUERY_FIELDS = 1000  # as Streamlit, which ignores a longer query string


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the export command's arguments and options to its parser."""
    parser.add_argument("format", choices=FORMATS, metavar="FORMAT", help=", ".join(FORMATS))
    parser.add_argument("file", metavar="FILE", help="the data file")
    parser.add_argument("-o", "--output", metavar="OUTPUT", help="where to write (else stdout)")
    parser.add_argument(
        "--query",
        default="",
        metavar="QUERY",
        help="the view: the dashboard's query string, e.g. 'leader=putin&match=all', or a link",
    )
    parser.add_argument(
        "--base-url",
        metavar="URL",
        help="the live dashboard's address: the page (and TimelineJS) link back to the view",
    )


def export_text(
    fmt: Format, view: View, figures: FigureKit, *, today: dt.date, base_url: str | None = None
) -> str:
    """Return a view in one format: the one function behind `export` and the page's downloads."""
    if fmt == "timelinejs":
        return timelinejs_json(view, base_url)
    if fmt == "html":
        return static_page(view, figures, exported=today, base_url=base_url)
    if fmt == "csv":
        return to_csv(view.shown, view.data.people)
    return to_json(view.shown)


def _check_base_url(url: str) -> str | None:
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


def run_export(
    args: argparse.Namespace,
    parser: argparse.ArgumentParser,
    figures: FigureKit,
    today: dt.date | None = None,
) -> int:
    """Run the export command and return its exit code: 0 written, 1 bad data, 2 usage."""
    fmt: Format = args.format
    err_out = sys.stderr
    if args.base_url is not None:
        if fmt in ("csv", "json"):
            parser.error(f"--base-url is for timelinejs and html only, not {fmt}")
        if problem := _check_base_url(args.base_url):
            parser.error(problem)
    try:
        data = load_file(args.file)
    except DataError as err:
        for line in err.lines()[:MAX_SHOWN]:
            print(line, file=err_out)
        print(f"{args.file}: {err.total:,} error(s); nothing exported", file=err_out)
        return 1
    except OSError as err:
        print(f"{args.file}: cannot read the file: {err.strerror or err}", file=err_out)
        return 2
    try:
        view, notices = read_view(data, args.query, max_fields=MAX_QUERY_FIELDS)
    except ValueError:  # more fields than Streamlit reads
        parser.error(f"--query has more than {MAX_QUERY_FIELDS:,} parameters")
    for notice in notices:  # the page's notices, word for word
        print(f"--query: {notice}", file=err_out)
    try:
        text = export_text(
            fmt, view, figures, today=today or dt.date.today(), base_url=args.base_url
        )
    except ExportError as err:
        print(f"{args.file}: nothing to export: {err}; no file written", file=err_out)
        return 1
    if not write_output(args.output, text, err_out):
        return 2
    to = args.output or "standard output"
    shown, total = len(view.shown), len(data.events)
    print(
        f"{args.file}: wrote {shown:,} of {total:,} events as {FORMAT_NAMES[fmt]} to {to} "
        f"({len(text.encode('utf-8')):,} bytes)",
        file=err_out,
    )
    return 0
