"""`python -m timeline import FORMAT INPUT`: read, convert, check, write, and say what was lost."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import PurePath
from typing import Any, TextIO

from ..errors import DataError
from ..files import check_inputs, max_bytes, read_bytes, read_streams, write_output
from ..loader import parse_events
from ..text import clean, shorten
from . import registry
from .common import ECHO_LENGTH, Imported, ImportFailure, Options, Report, one_line
from .format import Importer, ImportFormat
from .streaming import StreamingFormat
from .table import UsageProblem
from .yamlout import render

MAX_SHOWN = 100  # skipped rows and changes listed; the rest are counted
# Each format's function by its name, derived from the registry.
IMPORTERS: dict[str, Importer] = {f.name: f.run for f in registry.FORMATS}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the import command's arguments and each format's options to its parser.

    An option more than one format takes is listed with the command's own; the others
    under the one format that takes them.
    """
    listed = "; ".join(f"{f.name}: {f.help}" for f in registry.FORMATS)
    parser.add_argument("format", choices=registry.names(), metavar="FORMAT", help=listed)
    many = " and ".join(f.name for f in registry.FORMATS if isinstance(f, StreamingFormat))
    parser.add_argument(
        "input",
        nargs="+",
        metavar="INPUT",
        help=f"the file to import ({many}: one file or many, each zipped or not)",
    )
    parser.add_argument("-o", "--output", metavar="OUTPUT", help="where to write (else stdout)")
    groups: dict[str, argparse._ActionsContainer] = {}
    for option in registry.options():
        formats = registry.taking(option)
        if len(formats) > 1:
            option.add_to(parser)
            continue
        name = formats[0].name
        if name not in groups:
            groups[name] = parser.add_argument_group(name)
        option.add_to(groups[name])


def options_from(args: argparse.Namespace, parser: argparse.ArgumentParser) -> Options:
    """Return the typed options, refusing (exit 2) one given for a format it does not fit."""
    fmt = registry.find(args.format)
    values: dict[str, Any] = {}
    for option in registry.options():
        value = getattr(args, option.dest, None)
        if not value:
            continue
        if option not in fmt.options:
            takers = " and ".join(f.name for f in registry.taking(option))
            parser.error(f"{option.flag} is for {takers} only, not {fmt.name}")
        values[option.dest] = option.read(value)
    options = Options(**values)
    if problem := fmt.check(options):
        parser.error(problem)
    return options


def _plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else words or word + 's'}"


def print_report(report: Report, where: str, out: TextIO, placed: bool = False) -> None:
    """Print what was skipped, changed and left behind, each line starting with the input.

    Up to `MAX_SHOWN` rows are listed one by one; past that, rows are grouped by their
    message, each group with its count and first places, so that millions of rows skipped
    alike take a line, and every row is still counted. `placed`: the report's places name
    their input already (INPUT:LINE, for formats read from many inputs).
    """

    def at(place: str) -> str:
        return place if placed else f"{where}:{place}"

    for note in report.notes:
        print(f"{where}: {note}", file=out)
    total = report.skipped_count + report.changed_count
    shown_skipped = shown_all = 0
    if total <= MAX_SHOWN:
        for item in report.located:
            prefix = "skipped: " if item.skipped else ""
            print(f"{at(item.where)}: {prefix}{item.message}", file=out)
        shown_skipped, shown_all = report.skipped_count, total
    else:
        for (skipped, message), reason in list(report.reasons.items())[:MAX_SHOWN]:
            prefix = "skipped: " if skipped else ""
            alike = ""
            if reason.count > 1:
                others = ", ".join(reason.examples[1:])
                more = ", ..." if reason.count > len(reason.examples) else ""
                alike = f" (and {_plural(reason.count - 1, 'more row')} alike: {others}{more})"
            print(f"{at(reason.examples[0])}: {prefix}{message}{alike}", file=out)
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
    file = imported.file
    parts = [_plural(len(file.events), "event")]
    if file.periods:
        parts.append(_plural(len(file.periods), "period"))
    parts.append(_plural(len(file.people), "person", "people"))
    parts.append(_plural(len(file.sources), "source"))
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _name(paths: list[str]) -> str:
    """Return the inputs as the written file's title and top comment name them."""
    name = one_line(PurePath(paths[0]).name) or "input"
    return name + (f" and {len(paths) - 1:,} more" if len(paths) > 1 else "")


def _imported(
    fmt: ImportFormat,
    paths: list[str],
    where: str,
    options: Options,
    today: dt.date,
    parser: argparse.ArgumentParser,
) -> Imported | int:
    """Read the inputs and import them; an exit code, with its message, if that fails.

    A streaming format reads every input as a stream, checked readable first; any other
    reads its one input whole.
    """
    err_out = sys.stderr
    name = _name(paths)
    streaming = isinstance(fmt, StreamingFormat) and fmt.stream is not None
    try:
        if isinstance(fmt, StreamingFormat) and fmt.stream is not None:
            check_inputs(paths)
            return fmt.stream(read_streams(paths), name, options, today)
        return fmt.run(read_bytes(paths[0]), name, options, today)
    except DataError as err:  # over the size limit, a damaged zip
        for line in err.lines():
            print(line, file=err_out)
        return 1
    except OSError as err:
        failed = err.filename if isinstance(err.filename, str) else where
        print(f"{failed}: cannot read the file: {err.strerror or err}", file=err_out)
        return 2
    except ImportFailure as err:  # a streaming format's places name their input already
        print(f"{err.where if streaming else f'{where}:{err.where}'}: {err.message}", file=err_out)
        return 1
    except UsageProblem as err:
        parser.error(str(err))


def run_import(
    args: argparse.Namespace, parser: argparse.ArgumentParser, today: dt.date | None = None
) -> int:
    """Run the import command and return its exit code: 0 written, 1 nothing importable."""
    options = options_from(args, parser)
    fmt = registry.find(args.format)
    paths: list[str] = args.input
    if len(paths) > 1 and not isinstance(fmt, StreamingFormat):
        parser.error(f"{fmt.name} reads one INPUT, not {len(paths)}")
    err_out = sys.stderr
    where = paths[0] if len(paths) == 1 else f"{paths[0]} and {len(paths) - 1:,} more"
    today = today or dt.date.today()
    imported = _imported(fmt, paths, where, options, today, parser)
    if isinstance(imported, int):
        return imported
    print_report(imported.report, where, err_out, placed=isinstance(fmt, StreamingFormat))
    if not imported.file.events:
        skipped, filtered = imported.report.skipped_count, imported.report.filtered
        why = f"every row was skipped ({skipped:,})" if skipped else "the input holds no events"
        if filtered:  # not "every row was skipped" when the filters left the rest out
            why = f"no row is inside the filters asked for ({filtered:,} outside, {skipped:,} "
            why += "skipped)"
        print(f"{where}: nothing to import: {why}; no file written", file=err_out)
        return 1
    text = render(imported, _name(paths), fmt.title, today)
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
