"""Every export format, one line each: the command line, its help, the page and the tests
read this list. A new format is a module with a FORMAT (see format.py) and a line here."""

from __future__ import annotations

from importlib import import_module

from .format import ExportFormat, Job, Option

# One line a format: the module's name in this package, in the order the help lists them.
MODULES = (
    "timelinejs",
    "page",
    "csv_table",
    "json_records",
)
FORMATS: tuple[ExportFormat, ...] = tuple(
    import_module(f".{name}", __package__).FORMAT for name in MODULES
)


def names() -> tuple[str, ...]:
    """Return the formats' names, as the command line takes them."""
    return tuple(f.name for f in FORMATS)


def find(name: str) -> ExportFormat:
    """Return the format of this name; KeyError when there is none."""
    for fmt in FORMATS:
        if fmt.name == name:
            return fmt
    raise KeyError(name)


def options() -> tuple[Option, ...]:
    """Return every format's options once each, in the order the formats list them."""
    return tuple(dict.fromkeys(o for f in FORMATS for o in f.options))


def taking(option: Option) -> tuple[ExportFormat, ...]:
    """Return the formats that take an option."""
    return tuple(f for f in FORMATS if option in f.options)


def offered(where: str) -> tuple[ExportFormat, ...]:
    """Return the formats the page offers in one place ("publish" or "table")."""
    return tuple(f for f in FORMATS if f.offer == where)


def listed(words: list[str], last: str = "or") -> str:
    """Return words as a list in a sentence: 'a, b or c'."""
    return ", ".join(words[:-1]) + f" {last} " + words[-1] if len(words) > 1 else "".join(words)


def command_help() -> str:
    """Return the export command's line in the command line's help."""
    return f"write a view of a data file as {listed([f.words for f in FORMATS])}"


__all__ = ["FORMATS", "ExportFormat", "Job", "Option", "command_help", "find", "names"]
