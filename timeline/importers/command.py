"""`python -m timeline import FORMAT INPUT`: read, convert, check, write, and say what was lost."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, TextIO

from ..errors import DataError, shown
from ..files import check_inputs, max_bytes, read_bytes, read_streams, write_output
from ..loader import parse_events
from ..store.write import ON_DUPLICATE
from ..text import clean, shorten
from . import registry
from .common import ECHO_LENGTH, Imported, ImportFailure, Options, Report, one_line
from .format import Importer, ImportFormat
from .streaming import CHUNKS, Chunks, StreamingFormat
from .table import UsageProblem
from .yamlout import render

if TYPE_CHECKING:
    from ..store.build import Appended

MAX_SHOWN = 100  # skipped rows and changes listed; the rest are counted
MAX_LISTED = 5  # ids already in a store named; the rest are counted
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
    where = parser.add_mutually_exclusive_group()
    where.add_argument("-o", "--output", metavar="OUTPUT", help="where to write (else stdout)")
    where.add_argument(
        "--store",
        metavar="DIR",
        help="write the events into an event store instead (made if missing, appended to if "
        "there): whole or not at all",
    )
    parser.add_argument(
        "--on-duplicate",
        choices=ON_DUPLICATE,
        default="keep",
        help="with --store: an event whose id the store holds already keeps the store's "
        "(keep, the default) or takes the import's (replace); either way they are reported",
    )
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
    if args.store:
        return import_to_store(args, fmt, paths, where, options, today, parser)
    if args.on_duplicate != "keep":
        parser.error("--on-duplicate is for --store only")
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


def print_written(appended: Appended, store: str, where: str, out: TextIO) -> None:
    """Say what a write to a store did: the ids it held already, kept or replaced, and the
    events now in it."""
    if appended.duplicate_count:
        n = appended.duplicate_count
        listed = ", ".join(shown(i) for i in appended.duplicates[:MAX_LISTED])
        more = f" and {n - MAX_LISTED:,} more" if n > MAX_LISTED else ""
        did = (
            "kept the store's events (--on-duplicate keep)"
            if appended.on_duplicate == "keep"
            else "replaced them by the imported ones (--on-duplicate replace)"
        )
        print(
            f"{where}: {_plural(n, 'event')} {'has an id' if n == 1 else 'have ids'} the store "
            f"holds already: {listed}{more}; {did}",
            file=out,
        )
    print(
        f"{where}: wrote {_plural(appended.added, 'event')} to the store {store} "
        f"(now {_plural(appended.events, 'event')})",
        file=out,
    )


def import_to_store(
    args: argparse.Namespace,
    fmt: ImportFormat,
    paths: list[str],
    where: str,
    options: Options,
    today: dt.date,
    parser: argparse.ArgumentParser,
) -> int:
    """Import into an event store (--store), a chunk at a time for streamed formats; the
    store changes whole at the end, or not at all (an error, a full disk, Ctrl-C)."""
    from ..store.build import CHUNK_EVENTS, StoreWriter
    from ..store.io import StoreError

    err_out = sys.stderr
    try:
        with StoreWriter(args.store, args.on_duplicate) as writer:
            token = CHUNKS.set(Chunks(CHUNK_EVENTS, _taker(writer), writer, tuple(paths)))
            try:
                imported = _imported(fmt, paths, where, options, today, parser)
            finally:
                CHUNKS.reset(token)
            if isinstance(imported, int):
                writer.staged.abort()
                return imported
            print_report(imported.report, where, err_out, placed=isinstance(fmt, StreamingFormat))
            file = imported.file
            if not file.events and not writer.offered:
                writer.staged.abort()
                print(f"{where}: nothing to import: no row became an event; the store is "
                      "unchanged", file=err_out)  # fmt: skip
                return 1
            writer.name(file.title, file.description)
            writer.add_events(
                file.events, dict(file.people), dict(file.sources), file.periods or ()
            )
            appended = writer.commit()
    except StoreError as err:  # names the folder itself
        print(f"{err}; the store is unchanged", file=err_out)
        return 2
    except StoreWriteError as err:
        print(f"{args.store}: cannot write the store: {err}; the store is unchanged", file=err_out)
        return 2
    except OSError as err:
        print(f"{args.store}: cannot write the store: {err.strerror or err}; the store is "
              "unchanged", file=err_out)  # fmt: skip
        return 2
    print_written(appended, args.store, where, err_out)
    return 0


class StoreWriteError(Exception):
    """Writing a chunk to the store failed: not a problem of reading the input."""


def _taker(writer: Any) -> Callable[[Any], None]:
    """Return what hands a streamed import's events to the store being written."""

    def take(builder: Any) -> None:
        try:
            writer.add_events(builder.events, builder.people, builder.sources)
        except OSError as err:  # the input's own read errors are told apart from these
            raise StoreWriteError(err.strerror or str(err)) from None

    return take
