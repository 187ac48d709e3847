"""The command line: `python -m timeline` validate, import, store, export, schema and synth."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from . import figures
from .errors import DataError, shown
from .exporters.command import add_arguments as add_export_arguments
from .exporters.command import run_export
from .exporters.formats import command_help as export_help
from .files import load_file, write_stdout
from .frame import Dataset
from .importers import add_arguments as add_import_arguments
from .importers import command_help as import_help
from .importers import run_import
from .lanes import spelling_notices
from .schema import TimelineFile
from .store.write import ON_DUPLICATE, OnDuplicate
from .synth import synth_lines

MAX_SHOWN = 100  # errors printed for one file; the summary line counts them all


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _known(day: pd.Timestamp, precision: str) -> str:
    """Return a date as far as it is known: a year as a year, a month or a day as its month."""
    return str(day.year) if precision == "year" else f"{day:%B} {day.year}"


def span_words(events: pd.DataFrame) -> tuple[str, str] | None:
    """Return the first and the last date the events cover, each as precise as the file says.

    An event dated `1985` covers 1985, not December 1985: where several events share the
    first start (or last day), the most precise date of them speaks.
    """
    if events.empty:
        return None
    fine = {"year": 0, "month": 1, "day": 2}
    first = events[events["start"] == events["start"].min()]
    start = max(first["precision"].astype(str), key=fine.__getitem__)
    ends = events[events["last"] == events["last"].max()]
    # The last day is the end's when the event has one, else its start's period's.
    closing = np.where(ends["end"].notna(), ends["end_precision"].astype(str),
                       ends["precision"].astype(str))  # fmt: skip
    end = max(closing.tolist(), key=fine.__getitem__)
    return _known(first["start"].iloc[0], start), _known(ends["last"].iloc[0], end)


def validate_command(paths: list[str]) -> int:
    """Validate each file, printing a summary or every error; return the exit code."""
    status = 0
    for path in paths:
        if os.path.isdir(path):  # an event store's folder (timeline/store/check.py)
            status = max(status, validate_store(path))
            continue
        try:
            data = load_file(path)
        except DataError as err:
            for line in err.lines()[:MAX_SHOWN]:
                print(line, file=sys.stderr)
            if err.total > MAX_SHOWN:
                more = err.total - MAX_SHOWN
                print(f"{path}: ... and {_plural(more, 'more error')} not shown", file=sys.stderr)
            print(f"{path}: {_plural(err.total, 'error')}", file=sys.stderr)
            status = max(status, 1)
            continue
        except OSError as err:
            print(f"{path}: cannot read the file: {err.strerror or err}", file=sys.stderr)
            status = 2
            continue
        span = span_words(data.events)
        when = f", {span[0]} to {span[1]}" if span else ""
        summary = (
            f"{path}: OK, {_plural(len(data.events), 'event')}, "
            f"{_plural(len(data.people), 'person').replace('persons', 'people')}, "
            f"{_plural(len(data.sources), 'source')}{when}\n"
        )
        if not write_stdout(summary, sys.stderr):
            return 2
        # Valid, but worth a look: two spellings of what may be one state.
        for notice in spelling_notices(data.people, data.events):
            print(f"{path}: warning: {notice}", file=sys.stderr)
    return status


def validate_store(path: str) -> int:
    """Validate an event store's folder as a file is; return the exit code (0, 1 or 2)."""
    from .store.check import check_store
    from .store.io import StoreError

    try:
        found = check_store(path)
    except StoreError as err:
        print(f"{err}", file=sys.stderr)
        return 2
    for line in found.problems[:MAX_SHOWN]:
        print(line, file=sys.stderr)
    if found.total:
        if found.total > MAX_SHOWN:
            more = found.total - MAX_SHOWN
            print(f"{path}: ... and {_plural(more, 'more error')} not shown", file=sys.stderr)
        print(f"{path}: {_plural(found.total, 'error')}", file=sys.stderr)
        return 1
    span = span_words(found.span_events())
    when = f", {span[0]} to {span[1]}" if span else ""
    summary = (
        f"{path}: OK, an event store of {_plural(found.events, 'event')}, "
        f"{_plural(found.people, 'person').replace('persons', 'people')}, "
        f"{_plural(found.sources, 'source')}{when}\n"
    )
    return 0 if write_stdout(summary, sys.stderr) else 2


def _files_as_one(paths: list[str], on_duplicate: OnDuplicate) -> Dataset | int:
    """Read events files and join them as one dataset (ids in two of them kept or replaced
    as in the store, and said); an exit code, with the errors printed, if one is bad."""
    from .store.write import merge

    joined: Dataset | None = None
    for path in paths:
        try:
            data = load_file(path)
        except DataError as err:
            for line in err.lines()[:MAX_SHOWN]:
                print(line, file=sys.stderr)
            print(f"{path}: {_plural(err.total, 'error')}; the store is unchanged", file=sys.stderr)
            return 1
        if joined is None:
            joined = data
            continue
        merged = merge(joined, data, on_duplicate)
        if merged.duplicates:
            listed = ", ".join(shown(i) for i in merged.duplicates[:5])
            n = _plural(len(merged.duplicates), "event")
            said = (
                f"{n} with an id an earlier file has too: {listed}; --on-duplicate {on_duplicate}"
            )
            print(f"{path}: {said}", file=sys.stderr)
        joined = merged.data
    assert joined is not None  # argparse asks for one file at least
    return joined


def store_put(paths: list[str], store: str, on_duplicate: OnDuplicate) -> int:
    """Put events files into a store (made if missing), whole or not at all; the exit code."""
    from .importers.command import print_written
    from .store.build import StoreWriter
    from .store.io import StoreError

    err_out = sys.stderr
    try:
        data = _files_as_one(paths, on_duplicate)
        if isinstance(data, int):
            return data
        with StoreWriter(store, on_duplicate) as writer:
            writer.add(data)
            appended = writer.commit()
    except OSError as err:
        name = err.filename if isinstance(err.filename, str) else store
        print(f"{name}: cannot read or write: {err.strerror or err}", file=err_out)
        return 2
    except StoreError as err:
        print(f"{err}; the store is unchanged", file=err_out)
        return 2
    where = paths[0] if len(paths) == 1 else f"{paths[0]} and {len(paths) - 1:,} more"
    print_written(appended, store, where, err_out)
    return 0


def json_schema() -> str:
    """Return the JSON Schema of the data format, from the models the loader validates with."""
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **TimelineFile.model_json_schema(),
    }
    schema["title"] = "Timeline data file"
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def _write_lines(lines: Iterable[str], chunk: int = 1 << 16) -> bool:
    """Write lines to standard output in chunks of about `chunk` characters; False if it cannot."""
    part: list[str] = []
    size = 0
    for line in lines:
        part.append(line + "\n")
        size += len(line) + 1
        if size >= chunk:
            if not write_stdout("".join(part), sys.stderr):
                return False
            part, size = [], 0
    return write_stdout("".join(part), sys.stderr)


class _Help(argparse.Action):
    """-h/--help through write_stdout: argparse's own ignores a full standard output."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: object):
        super().__init__(option_strings, dest, nargs=0, help="show this help message and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        parser.exit(0 if write_stdout(parser.format_help(), sys.stderr) else 2)


def _parser(
    make: Callable[..., argparse.ArgumentParser], *args: str, **kwargs: str
) -> argparse.ArgumentParser:
    parser = make(*args, add_help=False, **kwargs)
    parser.add_argument("-h", "--help", action=_Help)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    parser = _parser(argparse.ArgumentParser, prog="python -m timeline", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add = commands.add_parser
    check = _parser(
        add, "validate", help="check data files (or event stores' folders) and report every error"
    )
    check.add_argument("files", nargs="+", metavar="FILE")
    store = _parser(add, "store", help="put events files into an event store")
    puts = store.add_subparsers(dest="store_command", required=True, metavar="ACTION")
    put = _parser(puts.add_parser, "put", help="add events files' events to an event store")
    put.add_argument("files", nargs="+", metavar="FILE", help="events files (YAML)")
    put.add_argument("--store", required=True, metavar="DIR", help="the store (made if missing)")
    put.add_argument(
        "--on-duplicate",
        choices=ON_DUPLICATE,
        default="keep",
        help="an event whose id the store holds already keeps the store's (keep, the "
        "default) or takes the file's (replace); either way they are reported",
    )
    _parser(add, "schema", help="print the JSON Schema of the data format")
    synth = _parser(add, "synth", help="write a synthetic data file to standard output")
    synth.add_argument("--events", type=int, default=1000, metavar="N", help="how many events")
    synth.add_argument("--seed", type=int, default=0, metavar="S", help="random seed")
    bring = _parser(add, "import", help=import_help())
    add_import_arguments(bring)
    send = _parser(add, "export", help=export_help())
    add_export_arguments(send)
    args = parser.parse_args(argv)
    for stream in (sys.stdout, sys.stderr):  # a file name need not be UTF-8
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    if args.command == "validate":
        return validate_command(args.files)
    if args.command == "store":
        return store_put(args.files, args.store, args.on_duplicate)
    if args.command == "import":
        return run_import(args, bring)
    if args.command == "export":  # the figures are handed in: the exporters draw nothing
        return run_export(args, send, figures)
    if args.command == "schema":
        return 0 if write_stdout(json_schema(), sys.stderr) else 2
    if args.command == "synth":
        if args.events < 0:
            parser.error("--events must be 0 or more")
        return 0 if _write_lines(synth_lines(args.events, args.seed)) else 2
    return 2  # pragma: no cover - argparse rejects unknown commands
