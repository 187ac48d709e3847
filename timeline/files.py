"""The one module that touches the filesystem: read a data file and hand its text on."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
import sys
import tempfile
from functools import cache
from pathlib import Path
from typing import IO

import pyarrow as pa

from .errors import DataError, Problem
from .frame import Dataset, frame_from_table, frame_to_table
from .loader import parse_events
from .schema import Period, Person, Source

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
MAX_MAX_BYTES = 1 << 40
MAX_BYTES_ENV = "TIMELINE_MAX_BYTES"
EVENTS_ENV = "TIMELINE_EVENTS"
CACHE_ENV = "TIMELINE_CACHE_DIR"


def max_bytes() -> int:
    """Return the size limit for data files, from TIMELINE_MAX_BYTES or the default."""
    raw = os.environ.get(MAX_BYTES_ENV, "").strip()
    # ASCII digits only ('²'.isdigit() is true); at most what a file can hold in memory.
    if raw.isascii() and raw.isdigit() and 0 < int(raw) <= MAX_MAX_BYTES:
        return int(raw)
    return DEFAULT_MAX_BYTES


_KINDS = {
    stat.S_IFDIR: "a directory",
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """Read a regular data file, never more than the size limit plus one byte.

    OSError if it cannot be read or is not a regular file (a FIFO, a device, a directory),
    found out at once; DataError if it is over the size limit.
    """
    limit = max_bytes()
    # O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused just below.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        kind = stat.S_IFMT(st.st_mode)
        if kind != stat.S_IFREG:
            what = _KINDS.get(kind, "not a regular file")
            raise OSError(errno.EINVAL, f"it is {what}, not a regular file; expected a YAML file")
        if st.st_size > limit:  # refused before a byte is read
            raise _too_large(path, f"{st.st_size:,}", limit)
        # /proc files and growing files may say any size: read until the end or the limit,
        # asking each time for what the file says it holds (a megabyte when it says 0).
        chunks, left, step = [], limit + 1, max(st.st_size + 1, 1 << 20)
        while left > 0 and (chunk := os.read(fd, min(left, step))):
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    raw = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    if len(raw) > limit:
        raise _too_large(path, f"over {limit:,}", limit)
    return raw


def _too_large(path: str | os.PathLike[str], size: str, limit: int) -> DataError:
    return DataError(
        str(path),
        [
            Problem(
                1,
                1,
                f"the file is {size} bytes, over the limit of {limit:,}; set {MAX_BYTES_ENV} "
                "to a larger number of bytes to load it",
            )
        ],
    )


def load_file(path: str | os.PathLike[str]) -> Dataset:
    """Read, parse and validate one data file; OSError if it cannot be read."""
    return parse_events(read_bytes(path), str(path))


def cache_dir() -> Path:
    """Return where parsed files are kept: $TIMELINE_CACHE_DIR, else ~/.cache/timeline."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "timeline"


@cache
def _code_version() -> bytes:
    # Parsed data depends on the code that parsed it: any change here starts a new cache.
    here = Path(__file__).parent
    digest = hashlib.blake2b(digest_size=16)
    for name in sorted(p.name for p in here.glob("*.py")):
        digest.update((here / name).read_bytes())
    return digest.digest()


def _digest(data: bytes, size: int = 16) -> str:
    return hashlib.blake2b(data, digest_size=size, key=_code_version()).hexdigest()


KEEP_PER_FILE = 3  # cache entries kept for each data file: its last versions


def load_cached(path: str | os.PathLike[str]) -> Dataset:
    """Load a data file through a disk cache keyed on its content and this code.

    A restart with an unchanged file reads the parsed events back from an Arrow IPC file
    (data only: nothing in it can run) instead of parsing again. An entry that does not
    read back as expected is ignored and written anew; each file keeps its last few.
    """
    path = Path(path)
    raw = read_bytes(path)
    folder = cache_dir()
    prefix = _digest(os.fsencode(path.resolve()), 8)  # a name need not be UTF-8
    target = folder / f"{prefix}-{_digest(raw)}.arrow"
    try:
        return read_entry(target)
    except Exception:  # missing, from elsewhere, damaged: parse again and replace it
        pass
    data = parse_events(raw, str(path))
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        with tempfile.NamedTemporaryFile(dir=folder, suffix=".tmp", delete=False) as f:
            write_entry(data, f)
        os.replace(f.name, target)  # atomic: another process never reads half a file
        entries = sorted(folder.glob(f"{prefix}-*.arrow"), key=lambda p: p.stat().st_mtime_ns)
        for old in entries[:-KEEP_PER_FILE]:
            old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only cache folder only costs speed
    return data


def write_entry(data: Dataset, out: IO[bytes]) -> None:
    """Write a Dataset as one Arrow IPC file: the events as a table, the rest as JSON."""
    rest = {
        "title": data.title,
        "description": data.description,
        "people": {k: v.model_dump(exclude_none=True) for k, v in data.people.items()},
        "sources": {k: v.model_dump(exclude_none=True) for k, v in data.sources.items()},
        "periods": [p.model_dump(by_alias=True, exclude_none=True) for p in data.periods],
    }
    table = frame_to_table(data.events).replace_schema_metadata(
        {_META: json.dumps(rest, ensure_ascii=False)}
    )
    with pa.ipc.new_file(out, table.schema) as writer:
        writer.write_table(table)


def read_entry(path: Path) -> Dataset:
    """Read a Dataset written by write_entry; any error if it is not one."""
    with pa.memory_map(str(path)) as source:
        table = pa.ipc.open_file(source).read_all()
    table.validate(full=True)
    rest = json.loads(table.schema.metadata[_META.encode()])
    return Dataset(
        title=rest["title"],
        description=rest["description"],
        people={k: Person.model_validate(v) for k, v in rest["people"].items()},
        sources={k: Source.model_validate(v) for k, v in rest["sources"].items()},
        events=frame_from_table(table),
        periods=tuple(Period.model_validate(p) for p in rest["periods"]),
    )


_META = "timeline"


def stamp(path: str | os.PathLike[str]) -> tuple[int, ...]:
    """Return what changes whenever a file is written or replaced, for in-memory cache keys.

    The change time and inode catch a file saved with its old size and modification time
    (`touch -r`, some sync tools and archive extractors); () when the file is missing.
    """
    try:
        st = os.stat(path)
    except OSError:
        return ()
    return (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino, st.st_dev)


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


def write_output(output: str | None, text: str, errors: IO[str]) -> bool:
    """Write a command's output to a file whole (or to standard output); False if it cannot.

    The reason goes to `errors` as FILE: cannot write the file: why.
    """
    if not output:
        sys.stdout.write(text)
        return True
    try:
        write_text(output, text)
    except OSError as err:
        print(f"{output}: cannot write the file: {err.strerror or err}", file=errors)
        return False
    return True


def write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write a file whole or not at all: into a new file beside it, then renamed over it."""
    target = Path(path)
    temp = target.with_name(f".{target.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    # 0o666 less the umask, as open() would give; O_EXCL never writes through a planted link.
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
