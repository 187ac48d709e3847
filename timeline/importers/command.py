"""`python -m timeline import FORMAT INPUT`: read, convert, check, write, and say what was lost."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import PurePath
from typing import TextIO

from ..errors import DataError
from ..files import max_bytes, read_bytes, write_output
from ..loader import parse_events
from ..text import clean, shorten
from .common import (
    DEFAULT_KIND,
    ECHO_LENGTH,
    FORMAT_NAMES,
    FORMATS,
    Format,
    Imported,
    ImportFailure,
    Options,
    Report,
    check_kind,
    one_line,
)
from .dates import DateProblem, parse_option_date
from .icews import check_cameo_prefix, import_icews
from .sheet import import_sheet
from .table import UsageProblem, import_table, parse_mapping
from .timelinejs import import_timelinejs
from .yamlout import render

MAX_SHOWN = 100  # skipped rows and changes listed; the rest are counted
Importer = Callable[[bytes, str, Options, dt.date], Imported]
IMPORTERS: dict[Format, Importer] = {
    "timelinejs": import_timelinejs,
    "timelinejs-sheet": import_sheet,
    "csv": import_table,
    "icews": import_icews,
}
_OPTION_FORMATS: dict[str, tuple[Format, ...]] = {
    "mapping": ("csv",),
    "dayfirst": ("csv",),
    "countries": ("icews",),
    "any_side": ("icews",),
    "cameo": ("icews",),
    "date_from": ("icews",),
    "date_to": ("icews",),
    "kind": ("timelinejs", "timelinejs-sheet", "csv"),
}
_OPTION_NAMES = {
    "mapping": "--map",
    "dayfirst": "--dayfirst",
    "countries": "--country",
    "any_side": "--any",
    "cameo": "--cameo",
    "date_from": "--from",
    "date_to": "--to",
    "kind": "--kind",
}


def _arg_type(check: Callable[[str], object]) -> Callable[[str], object]:
    """Wrap a checker so argparse reports its ValueError as a usage error (exit 2)."""

    def parse(text: str) -> object:
        try:
            return check(text)
        except ValueError as err:
            raise argparse.ArgumentTypeError(str(err)) from None

    parse.__name__ = check.__name__  # argparse names the type in some messages
    return parse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the import command's arguments and options to its parser."""
    parser.add_argument("format", choices=FORMATS, metavar="FORMAT", help=", ".join(FORMATS))
    parser.add_argument("input", metavar="INPUT", help="the file to import")
    parser.add_argument("-o", "--output", metavar="OUTPUT", help="where to write (else stdout)")
    parser.add_argument(
        "--kind",
        type=_arg_type(check_kind),
        help="the kind of every event, for formats without one (default: event)",
    )
    table = parser.add_argument_group("csv")
    table.add_argument(
        "--map",
        dest="mapping",
        action="append",
        type=_arg_type(parse_mapping),
        metavar="FIELD=COLUMN",
        help="read a field from a column (repeat for each field)",
    )
    table.add_argument(
        "--dayfirst", action="store_true", help="read 05/09/2020 as 5 September, not May 9"
    )
    icews = parser.add_argument_group("icews")
    icews.add_argument(
        "--country",
        dest="countries",
        action="append",
        metavar="COUNTRY",
        help="keep events whose both sides are among these countries (repeat for each)",
    )
    icews.add_argument(
        "--any",
        dest="any_side",
        action="store_true",
        help="with --country: keep events with either side among them",
    )
    icews.add_argument(
        "--cameo",
        action="append",
        type=_arg_type(check_cameo_prefix),
        metavar="CODE",
        help="keep CAMEO codes starting so, e.g. 04 for consultations and visits (repeat)",
    )
    icews.add_argument(
        "--from",
        dest="date_from",
        type=_arg_type(_first_day),
        metavar="DATE",
        help="keep events from this date",
    )
    icews.add_argument(
        "--to",
        dest="date_to",
        type=_arg_type(_last_day),
        metavar="DATE",
        help="keep events up to this date (2018-03: all of March)",
    )


def _first_day(text: str) -> dt.date:
    try:
        return parse_option_date(text)[0]
    except DateProblem as err:
        raise ValueError(str(err)) from None


def _last_day(text: str) -> dt.date:
    try:
        return parse_option_date(text)[1]
    except DateProblem as err:
        raise ValueError(str(err)) from None


def options_from(args: argparse.Namespace, parser: argparse.ArgumentParser) -> Options:
    """Return the typed options, refusing (exit 2) one given for a format it does not fit."""
    fmt: Format = args.format
    for dest, formats in _OPTION_FORMATS.items():
        if getattr(args, dest, None) and fmt not in formats:
            parser.error(f"{_OPTION_NAMES[dest]} is for {' and '.join(formats)} only, not {fmt}")
    if args.any_side and not args.countries:
        parser.error("--any needs --country")
    if args.date_from and args.date_to and args.date_from > args.date_to:
        parser.error(f"--from {args.date_from} is after --to {args.date_to}")
    return Options(
        kind=args.kind or DEFAULT_KIND,
        dayfirst=args.dayfirst,
        mapping=tuple(args.mapping or ()),
        countries=tuple(one_line(c) for c in args.countries or ()),
        any_side=args.any_side,
        cameo=tuple(args.cameo or ()),
        date_from=args.date_from,
        date_to=args.date_to,
    )


def _plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else words or word + 's'}"


def print_report(report: Report, where: str, out: TextIO) -> None:
    """Print what was skipped, changed and left behind, each line starting with the input.

    Up to `MAX_SHOWN` rows are listed one by one; past that, rows are grouped by their
    message, each group with its count and first places, so that millions of rows skipped
    alike take a line, and every row is still counted.
    """
    for note in report.notes:
        print(f"{where}: {note}", file=out)
    total = report.skipped_count + report.changed_count
    shown_skipped = shown_all = 0
    if total <= MAX_SHOWN:
        for item in report.located:
            prefix = "skipped: " if item.skipped else ""
            print(f"{where}:{item.where}: {prefix}{item.message}", file=out)
        shown_skipped, shown_all = report.skipped_count, total
    else:
        for (skipped, message), reason in list(report.reasons.items())[:MAX_SHOWN]:
            prefix = "skipped: " if skipped else ""
            alike = ""
            if reason.count > 1:
                others = ", ".join(reason.examples[1:])
                more = ", ..." if reason.count > len(reason.examples) else ""
                alike = f" (and {_plural(reason.count - 1, 'more row')} alike: {others}{more})"
            print(f"{where}:{reason.examples[0]}: {prefix}{message}{alike}", file=out)
            shown_skipped += reason.count if skipped else 0
            shown_all += reason.count
    if total > shown_all:
        rest, rest_skipped = total - shown_all, report.skipped_count - shown_skipped
        print(
            f"{where}: ... and {_plural(rest, 'more row')} not shown "
            f"({rest_skipped:,} skipped, {rest - rest_skipped:,} imported with changes)",
            file=out,
        )
    unplaced = list(report.unplaced.items())
    for (field, unit), count in unplaced[:MAX_SHOWN]:
        print(
            f"{where}: left out, no place in an events file: {shorten(clean(field), ECHO_LENGTH)} "
            f"(in {_plural(count, unit)})",
            file=out,
        )
    if len(unplaced) > MAX_SHOWN:
        print(
            f"{where}: ... and {_plural(len(unplaced) - MAX_SHOWN, 'more field')} left out, "
            "not shown",
            file=out,
        )
    if report.filtered:
        print(f"{where}: {_plural(report.filtered, 'row')} outside the filters asked for", file=out)


def _counts(imported: Imported) -> str:
    parts = [_plural(len(imported.events), "event")]
    if imported.periods:
        parts.append(_plural(len(imported.periods), "period"))
    parts.append(_plural(len(imported.people), "person", "people"))
    parts.append(_plural(len(imported.sources), "source"))
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def run_import(
    args: argparse.Namespace, parser: argparse.ArgumentParser, today: dt.date | None = None
) -> int:
    """Run the import command and return its exit code: 0 written, 1 nothing importable."""
    options = options_from(args, parser)
    fmt: Format = args.format
    where = args.input
    err_out = sys.stderr
    try:
        raw = read_bytes(args.input)
    except DataError as err:  # over the size limit
        for line in err.lines():
            print(line, file=err_out)
        return 1
    except OSError as err:
        print(f"{where}: cannot read the file: {err.strerror or err}", file=err_out)
        return 2
    name = one_line(PurePath(args.input).name) or "input"
    today = today or dt.date.today()
    try:
        imported = IMPORTERS[fmt](raw, name, options, today)
    except ImportFailure as err:
        print(f"{where}:{err.where}: {err.message}", file=err_out)
        return 1
    except UsageProblem as err:
        parser.error(str(err))
    print_report(imported.report, where, err_out)
    if not imported.events:
        skipped = imported.report.skipped_count
        why = f"every row was skipped ({skipped:,})" if skipped else "the input holds no events"
        print(f"{where}: nothing to import: {why}; no file written", file=err_out)
        return 1
    text = render(imported, name, FORMAT_NAMES[fmt], today)
    output = args.output or "-"
    size = len(text.encode("utf-8"))
    if size > max_bytes():
        print(
            f"{where}: the events file would be {size:,} bytes, over the limit of "
            f"{max_bytes():,} that the dashboard reads; import fewer rows or set "
            "TIMELINE_MAX_BYTES; no file written",
            file=err_out,
        )
        return 1
    try:
        parse_events(text, PurePath(output).name if args.output else "output")
    except DataError as err:  # a mistake of this importer's, never of the input
        for line in err.lines()[:MAX_SHOWN]:
            print(line, file=err_out)
        print(f"{where}: the imported file does not validate; no file written", file=err_out)
        return 1
    if not write_output(args.output, text, err_out):
        return 2
    to = args.output or "standard output"
    print(f"{where}: wrote {_counts(imported)} to {to}", file=err_out)
    return 0
