"""The one module that touches the filesystem: read a data file and hand its text on."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import DataError, Problem
from .loader import Dataset, parse_events

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
MAX_BYTES_ENV = "TIMELINE_MAX_BYTES"
EVENTS_ENV = "TIMELINE_EVENTS"


def max_bytes() -> int:
    """Return the size limit for data files, from TIMELINE_MAX_BYTES or the default."""
    raw = os.environ.get(MAX_BYTES_ENV, "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else DEFAULT_MAX_BYTES


def decode(raw: bytes, name: str) -> str:
    """Decode UTF-8 bytes (a byte-order mark is allowed), naming the offset of a bad byte."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        column = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        raise DataError(
            name,
            [
                Problem(
                    line,
                    column,
                    f"byte 0x{raw[err.start]:02x} at offset {err.start} is "
                    "not UTF-8; expected a UTF-8 text file",
                )
            ],
        ) from None
    if "\x00" in text:
        offset = text.index("\x00")
        line = text.count("\n", 0, offset) + 1
        raise DataError(
            name, [Problem(line, 1, f"NUL byte at character {offset}; expected a text file")]
        )
    return text


def read_text(path: str | os.PathLike[str]) -> str:
    """Read a data file's text, refusing files over the size limit before parsing."""
    path = Path(path)
    name = str(path)
    limit = max_bytes()
    size = path.stat().st_size
    if size > limit:
        raise DataError(
            name,
            [
                Problem(
                    1,
                    1,
                    f"the file is {size:,} bytes, over the limit of {limit:,}; "
                    f"set {MAX_BYTES_ENV} to a larger number of bytes to load it",
                )
            ],
        )
    return decode(path.read_bytes(), name)


def load_file(path: str | os.PathLike[str]) -> Dataset:
    """Read, parse and validate one data file; OSError if it cannot be read."""
    return parse_events(read_text(path), name=str(path))


def modified(path: str | os.PathLike[str]) -> float:
    """Return a file's modification time, for cache keys; 0 when it is missing."""
    try:
        return os.stat(path).st_mtime_ns / 1e9
    except OSError:
        return 0.0


def choose_events_path(argv: list[str], environ: dict[str, str], app_dir: Path) -> Path:
    """Return the data file: `--events FILE` in argv, else $TIMELINE_EVENTS, else events.yaml."""
    for i, arg in enumerate(argv):
        if arg == "--events" and i + 1 < len(argv):
            return Path(argv[i + 1])
        if arg.startswith("--events="):
            return Path(arg.split("=", 1)[1])
    if environ.get(EVENTS_ENV):
        return Path(environ[EVENTS_ENV])
    return app_dir / "events.yaml"
