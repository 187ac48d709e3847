"""`python -m timeline export FORMAT FILE`: a view in any format of the registry (formats/)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys

from ..errors import DataError
from ..files import load_file, write_output
from ..store.io import is_store
from . import formats
from .formats import ExportFormat, Job
from .html import FigureKit
from .view import ExportError, View, read_view

MAX_SHOWN = 100  # errors of a data file printed; the count says how many more
MAX_QUERY_FIELDS = 1000  # as Streamlit, which ignores a longer query string


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the export command's arguments, and every format's options, to its parser."""
    names = formats.names()
    parser.add_argument("format", choices=names, metavar="FORMAT", help=", ".join(names))
    parser.add_argument(
        "file", metavar="FILE", help="the data file, or an event store's folder (DIR)"
    )
    parser.add_argument("-o", "--output", metavar="OUTPUT", help="where to write (else stdout)")
    parser.add_argument(
        "--query",
        default="",
        metavar="QUERY",
        help="the view: the dashboard's query string, e.g. 'leader=putin&match=all', or a link",
    )
    for option in formats.options():
        parser.add_argument(option.flag, dest=option.dest, metavar=option.metavar,
                            help=option.help)  # fmt: skip
    parser.add_argument(
        "--engine",
        metavar="ENGINE",
        help="for a store: the engine its query runs on, duckdb (the default) or spark "
        "(else TIMELINE_ENGINE)",
    )


def export_text(
    fmt: str | ExportFormat,
    view: View,
    figures: FigureKit,
    *,
    today: dt.date,
    base_url: str | None = None,
) -> str:
    """Return a view in one format: the one function behind `export` and the page's downloads."""
    found = formats.find(fmt) if isinstance(fmt, str) else fmt
    return found.write(Job(view, figures, today, base_url))


def export_day() -> dt.date:
    """Return the day an export is dated: the page's and the command's, from one place."""
    return dt.date.today()


def _check_options(fmt: ExportFormat, args: argparse.Namespace) -> str | None:
    """Return why the options given do not suit the format, or None."""
    for option in formats.options():
        value = getattr(args, option.dest, None)
        if value is None:
            continue
        if option not in fmt.options:
            takers = formats.listed([f.name for f in formats.taking(option)], "and")
            return f"{option.flag} is for {takers} only, not {fmt.name}"
        if problem := option.check(value):
            return problem
    return None


def run_export(
    args: argparse.Namespace,
    parser: argparse.ArgumentParser,
    figures: FigureKit,
    today: dt.date | None = None,
) -> int:
    """Run the export command and return its exit code: 0 written, 1 bad data, 2 usage."""
    fmt = formats.find(args.format)
    err_out = sys.stderr
    if problem := _check_options(fmt, args):
        parser.error(problem)
    # A store's view is asked of its engine (exporters/stream.py).
    if is_store(args.file) or os.path.isdir(args.file):
        from .stream import run_store_export  # the engine (Ibis: 0.35 s to import) for a store only

        return run_store_export(
            args, fmt, figures, today or export_day(), max_fields=MAX_QUERY_FIELDS,
            base_url=getattr(args, "base_url", None),
        )  # fmt: skip
    if getattr(args, "engine", None):
        parser.error(f"--engine is for an event store's folder; {args.file!r} is not one")
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
        job = Job(view, figures, today or export_day(), getattr(args, "base_url", None),
                  getattr(args, "lang", None))  # fmt: skip
        text = fmt.write(job)
    except ExportError as err:
        print(f"{args.file}: nothing to export: {err}; no file written", file=err_out)
        return 1
    if not write_output(args.output, text, err_out):
        return 2
    to = args.output or "standard output"
    shown, total = len(view.shown), len(data.events)
    print(
        f"{args.file}: wrote {shown:,} of {total:,} events as {fmt.words} to {to} "
        f"({len(text.encode('utf-8')):,} bytes)",
        file=err_out,
    )
    return 0
