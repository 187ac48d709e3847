"""Every import format, one line each: the command line, its help and the tests read this list."""

from __future__ import annotations

from importlib import import_module

from .format import ImportFormat, Option

# One line a format: the module's name in this package, in the order the help lists them.
MODULES = (
    "timelinejs",
    "sheet",
    "table",
    "icews",
    "gdelt",
    "polecat",
)
FORMATS: tuple[ImportFormat, ...] = tuple(
    import_module(f".{name}", __package__).FORMAT for name in MODULES
)


def names() -> tuple[str, ...]:
    """Return the formats' names, as the command line takes them."""
    return tuple(f.name for f in FORMATS)


def find(name: str) -> ImportFormat:
    """Return the format of this name; KeyError when there is none."""
    for fmt in FORMATS:
        if fmt.name == name:
            return fmt
    raise KeyError(name)


def options() -> tuple[Option, ...]:
    """Return every format's options once each, in the order the formats list them."""
    return tuple(dict.fromkeys(o for f in FORMATS for o in f.options))


def taking(option: Option) -> tuple[ImportFormat, ...]:
    """Return the formats that take an option."""
    return tuple(f for f in FORMATS if option in f.options)


def command_help() -> str:
    """Return the import command's line in the command line's help."""
    inputs = list(dict.fromkeys(f.plain_name for f in FORMATS))
    listed = ", ".join(inputs[:-1]) + " or " + inputs[-1] if len(inputs) > 1 else inputs[0]
    return f"write a data file from {listed}"
