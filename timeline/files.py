"""The one module that touches the filesystem: read a data file and hand its text on."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import json
import mmap
import os
import stat
import sys
import tempfile
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO, NamedTuple

import pyarrow as pa

from .errors import DataError, Problem
from .frame import Dataset, frame_from_table, frame_to_table
from .loader import parse_events
from .schema import FileTranslation, Period, Person, Source, Story

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
MAX_MAX_BYTES = 1 << 40
MAX_BYTES_ENV = "TIMELINE_MAX_BYTES"
# Inputs read as streams (event data) hold a line at a time, whatever their size: their own
# limit, far above a data file's; what they write is still bounded by TIMELINE_MAX_BYTES.
DEFAULT_MAX_STREAM_BYTES = 2 * 1024**3
MAX_STREAM_BYTES_ENV = "TIMELINE_MAX_STREAM_BYTES"
EVENTS_ENV = "TIMELINE_EVENTS"
CACHE_ENV = "TIMELINE_CACHE_DIR"


def max_bytes() -> int:
    """Return the size limit for data files, from TIMELINE_MAX_BYTES or the default."""
    return _limit(MAX_BYTES_ENV, DEFAULT_MAX_BYTES)


def max_stream_bytes() -> int:
    """Return the size limit for each input read as a stream, from TIMELINE_MAX_STREAM_BYTES."""
    return _limit(MAX_STREAM_BYTES_ENV, DEFAULT_MAX_STREAM_BYTES)


def _limit(env: str, default: int) -> int:
    raw = os.environ.get(env, "").strip()
    # ASCII digits only ('²'.isdigit() is true); at most what a file can hold in memory.
    if raw.isascii() and raw.isdigit() and 0 < int(raw) <= MAX_MAX_BYTES:
        return int(raw)
    return default


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
            store = " or an event store's folder (holding a CURRENT file)" * (kind == stat.S_IFDIR)
            raise OSError(
                errno.EINVAL, f"it is {what}, not a regular file; expected a YAML file{store}"
            )
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


MAX_MEMBERS = 100  # members of a zip read as input; GDELT's exports hold one each
CHUNK = 1 << 20  # bytes handed on at a time by a stream


class Stream(NamedTuple):
    """One input read as a stream: its name in messages (PATH, or PATH:MEMBER) and its bytes."""

    label: str
    chunks: Iterator[bytes]


def check_inputs(paths: Sequence[str]) -> None:
    """Refuse at once an input that cannot be read or is not a regular file (OSError).

    Checked before any is streamed, so that the last of many inputs misspelt fails before
    the first is read, not after.
    """
    for path in paths:
        fd = _open_regular(path)
        os.close(fd)


def _open_regular(path: str) -> int:
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    kind = stat.S_IFMT(os.fstat(fd).st_mode)
    if kind != stat.S_IFREG:
        os.close(fd)
        what = _KINDS.get(kind, "not a regular file")
        raise OSError(errno.EINVAL, f"it is {what}, not a regular file", path)
    return fd


def read_streams(paths: Sequence[str]) -> Iterator[Stream]:
    """Yield each input as a stream of chunks, in order; a zip's members one after another.

    Memory stays at a chunk or so whatever the size. Each input (a zip's members together,
    counted as they are inflated, whatever the zip declares) may give at most the streams'
    size limit of bytes (`max_stream_bytes`): DataError past it, for a zip with more than
    `MAX_MEMBERS` members, an encrypted or damaged one. OSError if a file cannot be read.
    A stream must be read to its end before the next is asked for.
    """
    for path in paths:
        with os.fdopen(_open_regular(path), "rb") as file:
            if file.read(4) in (b"PK\x03\x04", b"PK\x05\x06"):
                file.seek(0)
                yield from _zip_streams(path, file)
            else:
                size, limit = os.fstat(file.fileno()).st_size, max_stream_bytes()
                if size > limit:  # refused before a byte is read, as read_bytes does
                    raise _too_large(path, f"{size:,}", limit, MAX_STREAM_BYTES_ENV)
                file.seek(0)
                yield Stream(path, _counted(path, iter(lambda: file.read(CHUNK), b""), [0]))


def _counted(label: str, chunks: Iterator[bytes], total: list[int]) -> Iterator[bytes]:
    """Pass chunks on, refusing them once `total` (shared by a zip's members) passes the limit."""
    limit = max_stream_bytes()
    for chunk in chunks:
        total[0] += len(chunk)
        if total[0] > limit:
            raise _too_large(label, f"over {limit:,}", limit, MAX_STREAM_BYTES_ENV)
        yield chunk


def bytes_streams(raw: bytes, name: str) -> Iterator[Stream]:
    """Yield an input already in memory as `read_streams` yields a file: a zip's members."""
    if raw[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        yield from _zip_streams(name, io.BytesIO(raw))
    else:
        yield Stream(name, iter([raw]))


def _zip_streams(path: str, file: IO[bytes]) -> Iterator[Stream]:
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise _bad_zip(path, f"it cannot be read as a zip ({err})") from None
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) > MAX_MEMBERS:
            raise _bad_zip(path, f"it holds {len(members):,} files, over {MAX_MEMBERS}")
        declared = sum(m.file_size for m in members)
        if declared > max_stream_bytes():  # refused before a byte is inflated
            raise DataError(
                path,
                [
                    Problem(
                        1,
                        1,
                        f"the zip holds {declared:,} bytes once unzipped, over the limit of "
                        f"{max_stream_bytes():,}; set {MAX_STREAM_BYTES_ENV} to a larger number "
                        "of bytes to read it",
                    )
                ],
            )
        total = [0]
        for member in members:
            if member.flag_bits & 0x1:
                raise _bad_zip(path, f"its file {member.filename!r} is encrypted")
            label = f"{path}:{member.filename}"
            yield Stream(label, _counted(path, _inflated(path, archive, member), total))


def _inflated(path: str, archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> Iterator[bytes]:
    try:
        with archive.open(member) as data:
            while chunk := data.read(CHUNK):
                yield chunk
    except (zipfile.BadZipFile, EOFError, NotImplementedError, ValueError, zlib.error) as err:
        raise _bad_zip(path, f"its file {member.filename!r} is damaged ({err})") from None


def _bad_zip(path: str, why: str) -> DataError:
    return DataError(path, [Problem(1, 1, f"{why}; expected a zip of text files")])


def _too_large(
    path: str | os.PathLike[str], size: str, limit: int, env: str = MAX_BYTES_ENV
) -> DataError:
    return DataError(
        str(path),
        [
            Problem(
                1,
                1,
                f"the file is {size} bytes, over the limit of {limit:,}; set {env} "
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
    read back as expected, or would take more than its data file could give, is ignored
    and written anew; each file keeps its last few.
    """
    path = Path(path)
    raw = read_bytes(path)
    folder = cache_dir()
    prefix = _digest(os.fsencode(path.resolve()), 8)  # a name need not be UTF-8
    target = folder / f"{prefix}-{_digest(raw)}.arrow"
    try:
        return read_entry(target, EntryLimit.for_data(len(raw)))
    except Exception:  # missing, from elsewhere, damaged, too large: parse again, replace it
        pass
    data = parse_events(raw, str(path))
    with contextlib.suppress(OSError):  # a read-only cache folder only costs speed
        _store_entry(folder, prefix, target, data)
    return data


def _store_entry(folder: Path, prefix: str, target: Path, data: Dataset) -> None:
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        taken = not stat.S_ISREG(os.lstat(target).st_mode)
    except FileNotFoundError:
        taken = False
    if taken:  # a link, a folder, a device under an entry's name: never replaced
        return
    with tempfile.NamedTemporaryFile(dir=folder, suffix=".tmp", delete=False) as f:
        try:
            write_entry(data, f)
            f.close()
            os.replace(f.name, target)  # atomic: another process never reads half a file
        except BaseException:
            os.unlink(f.name)  # a full disk leaves no half entry behind
            raise
    entries = []
    for entry in folder.glob(f"{prefix}-*.arrow"):
        st = os.lstat(entry)
        if stat.S_ISREG(st.st_mode):
            entries.append((st.st_mtime_ns, entry))
    for _, old in sorted(entries)[:-KEEP_PER_FILE]:
        old.unlink(missing_ok=True)


def write_entry(data: Dataset, out: IO[bytes]) -> None:
    """Write a Dataset as one Arrow IPC file: the events as a table, the rest as JSON."""
    rest = {
        "title": data.title,
        "description": data.description,
        "people": {k: v.model_dump(exclude_none=True) for k, v in data.people.items()},
        "sources": {k: v.model_dump(exclude_none=True) for k, v in data.sources.items()},
        "periods": [p.model_dump(by_alias=True, exclude_none=True) for p in data.periods],
        "stories": [s.model_dump(exclude_none=True) for s in data.stories],
        "lang": data.lang,
        "translations": [t.model_dump(exclude_none=True) for t in data.translations],
    }
    table = frame_to_table(data.events).replace_schema_metadata(
        {_META: json.dumps(rest, ensure_ascii=False)}
    )
    with pa.ipc.new_file(out, table.schema) as writer:
        writer.write_table(table)


@dataclass(frozen=True)
class EntryLimit:
    """What a cache entry may hold, from the size of the data file it stands for."""

    bytes: int  # the entry's size, and its Arrow buffers' once inflated
    rows: int  # events
    containers: int  # JSON objects and arrays (counted as '{' and '[') of people, sources, periods

    @classmethod
    def for_data(cls, size: int) -> EntryLimit:
        """Return the limit for a data file of `size` bytes: about what parsing it could give.

        An entry measures at most 1.85 times its file and some 6 KB of schema, and an event
        takes at least 64 bytes of YAML; a larger entry (a file with many aliases) is parsed.
        """
        return cls(bytes=4 * size + (1 << 20), rows=size // 32 + 16, containers=size // 2 + 64)


def read_entry(path: Path, limit: EntryLimit | None = None) -> Dataset:
    """Read a Dataset written by write_entry; any error if it is not one or is over `limit`.

    Only a regular file owned by this user is read (never through a link), and with a
    limit its size, rows and inflated size are checked before anything is inflated.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_uid != os.geteuid():
            raise ValueError("not a regular file of this user's")
        if limit is not None and st.st_size > limit.bytes:
            raise ValueError(f"{st.st_size:,} bytes, over {limit.bytes:,}")
        # Mapped, not read: the events' text stays in the page cache, shared by processes.
        buffer = pa.py_buffer(mmap.mmap(fd, 0, access=mmap.ACCESS_READ))
    finally:
        os.close(fd)
    if limit is not None:
        rows, inflated = arrow_extent(memoryview(buffer))
        if rows > limit.rows or inflated > limit.bytes:
            raise ValueError(f"{rows:,} rows of {inflated:,} bytes, over {limit}")
    reader = pa.ipc.open_file(pa.BufferReader(buffer))
    for field in reader.schema:
        _check_type(field.type)
    if limit is not None:
        meta = (reader.schema.metadata or {}).get(_META.encode(), b"")
        if meta.count(b"{") + meta.count(b"[") > limit.containers:
            raise ValueError("more JSON containers than the data file could give")
    table = reader.read_all()
    table.validate(full=True)
    rest = json.loads(table.schema.metadata[_META.encode()])
    return Dataset(
        title=rest["title"],
        description=rest["description"],
        people={k: Person.model_validate(v) for k, v in rest["people"].items()},
        sources={k: Source.model_validate(v) for k, v in rest["sources"].items()},
        events=frame_from_table(table),
        periods=tuple(Period.model_validate(p) for p in rest["periods"]),
        stories=tuple(Story.model_validate(s) for s in rest["stories"]),
        lang=rest.get("lang"),
        translations=tuple(FileTranslation.model_validate(t) for t in rest.get("translations", ())),
    )


_META = "timeline"


def _check_type(kind: pa.DataType) -> None:
    """Refuse the types write_entry never writes, above all those whose values can repeat
    one stored value many times once decoded: dictionaries, views, run-end encoding."""
    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        _check_type(kind.value_type)
    elif pa.types.is_struct(kind):
        for i in range(kind.num_fields):
            _check_type(kind.field(i).type)
    elif not any(
        test(kind)
        for test in (
            pa.types.is_string,
            pa.types.is_large_string,
            pa.types.is_null,
            pa.types.is_boolean,
            pa.types.is_integer,
            pa.types.is_floating,
            pa.types.is_timestamp,
        )
    ):
        raise ValueError(f"a column of type {kind}, which this cache never writes")


def arrow_extent(data: memoryview) -> tuple[int, int]:
    """Return the rows and the inflated bytes of an Arrow IPC file's batches, reading no body.

    Read from the footer and each batch's header as Arrow will read them (flatbuffers): a
    compressed buffer declares its inflated length in its first 8 bytes. ValueError if the
    file is not laid out as the format says.
    """
    if len(data) < 18 or bytes(data[:6]) != b"ARROW1" or bytes(data[-6:]) != b"ARROW1":
        raise ValueError("not an Arrow IPC file")
    size = _int(data, len(data) - 10, 4)
    footer = _Flat(data, len(data) - 10 - size, len(data) - 10)
    rows = inflated = 0
    for field in (2, 3):  # the dictionaries' blocks, then the record batches'
        for block in footer.structs(field, 24):
            offset, meta_size, body_size = (
                _int(data, block, 8),
                _int(data, block + 8, 4),
                _int(data, block + 16, 8),
            )
            start = offset + 8 if _int(data, offset, 4) == 0xFFFFFFFF else offset + 4
            length = _int(data, start - 4, 4)
            message = _Flat(data, start, start + length)
            body = offset + meta_size
            if not 0 <= body <= body + body_size <= len(data):
                raise ValueError("a batch's body lies outside the file")
            kind, header = message.byte(1), message.table(2)
            batch = header.table(1) if kind == 2 else header if kind == 3 else None
            if batch is None:
                raise ValueError(f"a block holds a message of type {kind}")
            rows += batch.integer(0, 8)
            compressed = batch.has(3)
            for buf in batch.structs(2, 16):
                at, n = body + _int(data, buf, 8), _int(data, buf + 8, 8)
                if not 0 <= at <= at + n <= body + body_size:
                    raise ValueError("a buffer lies outside its batch")
                declared = _int(data, at, 8, signed=True) if compressed and n >= 8 else -1
                inflated += n if declared < 0 else declared
    return rows, inflated


def _int(data: memoryview, at: int, size: int, *, signed: bool = False) -> int:
    if not 0 <= at <= len(data) - size:
        raise ValueError("a field lies outside the file")
    return int.from_bytes(data[at : at + size], "little", signed=signed or size == 8)


class _Flat:
    """A flatbuffer table read in place, every position checked against its buffer."""

    def __init__(self, data: memoryview, start: int, end: int, table: int | None = None):
        if not 0 <= start <= end <= len(data):
            raise ValueError("a header lies outside the file")
        self.data, self.start, self.end = data, start, end
        self.pos = start + self.u32(start) if table is None else table
        self.vtable = self.pos - self.i32(self.pos)
        self.vsize = self.u16(self.vtable)

    def _read(self, at: int, size: int, signed: bool) -> int:
        if not self.start <= at <= self.end - size:
            raise ValueError("a header field lies outside its header")
        return int.from_bytes(self.data[at : at + size], "little", signed=signed)

    def u16(self, at: int) -> int:
        return self._read(at, 2, False)

    def u32(self, at: int) -> int:
        return self._read(at, 4, False)

    def i32(self, at: int) -> int:
        return self._read(at, 4, True)

    def field(self, index: int) -> int | None:
        slot = 4 + 2 * index
        if slot + 2 > self.vsize:
            return None
        offset = self.u16(self.vtable + slot)
        return self.pos + offset if offset else None

    def has(self, index: int) -> bool:
        return self.field(index) is not None

    def byte(self, index: int) -> int:
        at = self.field(index)
        return 0 if at is None else self._read(at, 1, False)

    def integer(self, index: int, size: int) -> int:
        at = self.field(index)
        return 0 if at is None else self._read(at, size, True)

    def table(self, index: int) -> _Flat:
        at = self.field(index)
        if at is None:
            raise ValueError("a header lacks a table")
        return _Flat(self.data, self.start, self.end, at + self.u32(at))

    def structs(self, index: int, size: int) -> list[int]:
        """Return the positions of a vector's structs of `size` bytes, each inside the header."""
        at = self.field(index)
        if at is None:
            return []
        vector = at + self.u32(at)
        count = self.u32(vector)
        if count * size > self.end - vector - 4:
            raise ValueError("a vector runs past its header")
        return [vector + 4 + i * size for i in range(count)]


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

    The reason goes to `errors` as one line: FILE: cannot write the file: why.
    """
    if not output:
        return write_stdout(text, errors)
    try:
        write_text(output, text)
    except OSError as err:
        print(f"{output}: cannot write the file: {err.strerror or err}", file=errors)
        return False
    return True


def write_stdout(text: str, errors: IO[str]) -> bool:
    """Write text to standard output and flush it; False, with one line to `errors`, if it cannot.

    A closed standard output (`>&-`, sys.stdout is None) or a full one (`> /dev/full`) is
    reported, never raised; a reader that stopped reading (BrokenPipeError) is raised, for
    the caller to exit as `yes | head` does.
    """
    stream = sys.stdout
    try:
        if stream is None:
            raise OSError(errno.EBADF, "it is closed")
        try:
            fd = stream.fileno()
        except (OSError, ValueError):  # a stream of Python's own (a test's, a notebook's)
            fd = None
        if fd is None:
            stream.write(text)
            stream.flush()
        else:
            # Straight to the descriptor: a failed write must not stay in Python's buffer,
            # to fail once more at exit with a traceback.
            stream.flush()
            _write_all(fd, text.encode(stream.encoding or "utf-8", stream.errors or "strict"))
    except BrokenPipeError:
        raise
    except (OSError, ValueError) as err:  # ValueError: a stream closed inside Python
        why = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
        print(f"standard output: cannot write: {why}", file=errors)
        return False
    return True


def write_chunks(output: str | None, chunks: Iterator[str], errors: IO[str]) -> int | None:
    """Write a streamed output (an export of millions of rows) a chunk at a time; return the
    bytes written, or None with one line to `errors`. A file is written beside its place
    and renamed over it once whole, as write_bytes does; standard output as it comes."""
    size = 0
    if not output:
        for chunk in chunks:
            if not write_stdout(chunk, errors):
                return None
            size += len(chunk.encode("utf-8", "surrogatepass"))
        return size
    target = Path(output)
    temp = None
    try:
        if target.is_char_device():  # /dev/null, a terminal: written as `>` would
            with open(target, "wb") as device:
                for chunk in chunks:
                    data = chunk.encode("utf-8", "surrogatepass")
                    device.write(data)
                    size += len(data)
            return size
        if target.exists() and not target.is_file():
            raise OSError(
                errno.EINVAL,
                "a streamed export goes to a regular file, a character device or standard "
                "output (not a folder, a FIFO or a socket)",
            )
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        with os.fdopen(fd, "wb") as f:
            for chunk in chunks:
                data = chunk.encode("utf-8", "surrogatepass")
                f.write(data)
                size += len(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, target)
    except BaseException as err:  # a failed chunk too: no half-written file left beside it
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)
        if not isinstance(err, OSError):
            raise
        print(f"{output}: cannot write the file: {err.strerror or err}", file=errors)
        return None
    return size


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write text to OUTPUT as the shell's `>` would, except that a regular file is replaced whole.

    See write_bytes for what each kind of OUTPUT gets.
    """
    write_bytes(path, text.encode("utf-8"))


_WRITE_FLAGS = os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0)


def write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write data to a path without ever replacing what is there by something else; OSError if not.

    - a regular file (also through a symbolic link) gets a new file beside it, with its
      mode and owner, renamed over it once written and synced: a failed write leaves the
      old file whole, and a link stays a link to the file that changed;
    - a character device (/dev/null, /dev/full, a terminal) or a pipe with a reader is
      written as it is, as `>` would: /dev/full fails with "No space left on device";
    - a missing file is created (mode 0666 less the umask); a link to nothing, a
      directory, a block device, a socket and a FIFO nobody reads are refused, untouched.
    """
    try:
        # Opening follows links under the kernel's rules (protected_symlinks) and neither
        # creates nor truncates; O_NONBLOCK: a FIFO without a reader fails at once (ENXIO).
        fd = os.open(path, _WRITE_FLAGS)
    except FileNotFoundError:
        if os.path.islink(path):
            raise OSError(
                errno.ENOENT, "it is a link to a file that does not exist; nothing written"
            ) from None
        _replace(Path(path), data, None)
        return
    except OSError as err:
        if err.errno == errno.ENXIO:  # a FIFO nobody reads, or a socket
            raise OSError(
                errno.ENXIO,
                "nothing reads from it (a FIFO without a reader, a socket, a missing device)",
            ) from None
        raise
    try:
        st = os.fstat(fd)
        kind = stat.S_IFMT(st.st_mode)
        if kind in (stat.S_IFCHR, stat.S_IFIFO):
            os.set_blocking(fd, True)
            _write_all(fd, data)
            return
        if kind != stat.S_IFREG:
            what = _KINDS.get(kind, "not a regular file")
            raise OSError(
                errno.EINVAL,
                f"it is {what}; expected a regular file, a character device such as "
                "/dev/null, or a pipe",
            )
    finally:
        os.close(fd)
    _replace(_file_behind(path, st), data, st)


def _file_behind(path: str | os.PathLike[str], st: os.stat_result) -> Path:
    """Return the path of the regular file open as `st`, through any links to it."""
    if not os.path.islink(path):
        return Path(path)
    real = Path(os.path.realpath(path))
    try:
        now = os.stat(real, follow_symlinks=False)
    except OSError:
        now = None
    if now is None or (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino):
        # The link was changed between opening and now: write nothing rather than guess.
        raise OSError(errno.EAGAIN, "the link changed while it was written; nothing written")
    return real


def _replace(target: Path, data: bytes, st: os.stat_result | None) -> None:
    """Write data into a new file beside target, with st's owner and mode, and rename it over."""
    # A name of up to 255 bytes must still leave room for the temporary one's suffix.
    stem = os.fsdecode(os.fsencode(target.name)[:200])
    temp = target.with_name(f".{stem}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    # O_EXCL | O_NOFOLLOW: never writes through a link planted under the temporary name.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(temp, flags, 0o600 if st is not None else 0o666)
    except PermissionError:
        if st is None:
            raise
        raise OSError(
            errno.EACCES,
            "its folder is not writable, and a file is replaced whole through a new file "
            "beside it; nothing written",
        ) from None
    try:
        try:
            if st is not None:
                _keep_owner_and_mode(fd, st)
            _write_all(fd, data)
            os.fsync(fd)  # the rename must never make an empty file of a good one after a crash
        finally:
            os.close(fd)
        if st is None:
            _publish_new(temp, target)
        else:
            os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _publish_new(temp: Path, target: Path) -> None:
    """Give temp the name target, which was free: fail, never replace, if it was taken since."""
    try:
        os.link(temp, target, follow_symlinks=False)
    except FileExistsError:
        raise OSError(
            errno.EEXIST, "something took its name while it was written; nothing written"
        ) from None
    except OSError:  # a file system without hard links
        os.replace(temp, target)
        return
    temp.unlink()


def _keep_owner_and_mode(fd: int, st: os.stat_result) -> None:
    new = os.fstat(fd)
    if (new.st_uid, new.st_gid) != (st.st_uid, st.st_gid):
        try:
            os.fchown(fd, st.st_uid, st.st_gid)
        except PermissionError:
            raise OSError(
                errno.EPERM,
                f"it belongs to user {st.st_uid} and group {st.st_gid}, which a new file "
                "cannot be given here; nothing written",
            ) from None
    os.fchmod(fd, stat.S_IMODE(st.st_mode))  # after chown, which clears set-id bits


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view[: 1 << 24]) :]
