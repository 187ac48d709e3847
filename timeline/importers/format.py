"""What an import format declares: its name, title, help, options and function (see registry)."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from .common import Imported, Options, check_kind

Importer = Callable[[bytes, str, Options, dt.date], Imported]
Action = Literal["store", "append", "store_true"]


def _as_given(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


@dataclass(frozen=True)
class Option:
    """A command-line option of some formats, read into the field `dest` of `Options`."""

    flag: str  # as typed: --map
    dest: str  # the field of Options it fills
    help: str
    metavar: str | None = None
    action: Action = "store"
    # Checks the text as typed; its ValueError is a usage error (exit 2) naming the option.
    check: Callable[[str], Any] | None = None
    # The parsed value as the field holds it; an option not given keeps the field's default.
    read: Callable[[Any], Any] = _as_given

    def add_to(self, group: argparse._ActionsContainer) -> None:
        """Add this option to a parser or one of its argument groups."""
        extra: dict[str, Any] = {}
        if self.action != "store_true":
            extra["metavar"] = self.metavar
            if self.check is not None:
                extra["type"] = _arg_type(self.check)
        group.add_argument(self.flag, dest=self.dest, action=self.action, help=self.help, **extra)


def _arg_type(check: Callable[[str], object]) -> Callable[[str], object]:
    """Wrap a checker so argparse reports its ValueError as a usage error (exit 2)."""

    def parse(text: str) -> object:
        try:
            return check(text)
        except ValueError as err:
            raise argparse.ArgumentTypeError(str(err)) from None

    parse.__name__ = check.__name__  # argparse names the type in some messages
    return parse


def _no_check(options: Options) -> str | None:
    return None


@dataclass(frozen=True)
class ImportFormat:
    """One import format, as the command line, its help and the tests know it."""

    name: str  # on the command line: csv
    title: str  # in the written file's top comment and its source: "table"
    help: str  # what it reads, in a few words for the command's help
    plain_name: str  # what the command's one-line help calls such input: "a spreadsheet"
    options: tuple[Option, ...]  # beyond -o, in the order the help lists them
    run: Importer
    # Checks the options together: a message for a usage error (exit 2), or None.
    check: Callable[[Options], str | None] = _no_check


KIND = Option(
    "--kind",
    "kind",
    "the kind of every event, for formats without one (default: event)",
    metavar="KIND",
    check=check_kind,
)
