"""The one module that touches the filesystem: read a data file and hand its text on."""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import cache
from pathlib import Path

from .errors import DataError, Problem
from .fastpath import fast_parse
from .frame import Dataset
from .loader import FAST_PATH_MIN_CHARS, parse_carefully

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
MAX_BYTES_ENV = "TIMELINE_MAX_BYTES"
EVENTS_ENV = "TIMELINE_EVENTS"
CACHE_ENV = "TIMELINE_CACHE_DIR"


def max_bytes() -> int:
    """Return the size limit for data files, from TIMELINE_MAX_BYTES or the default."""
    raw = os.environ.get(MAX_BYTES_ENV, "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else DEFAULT_MAX_BYTES


def decode(raw: bytes, name: str) -> str:
    """Decode UTF-8 bytes (a byte-order mark is allowed), naming the offset of a bad byte."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DataError(
            name,
            [Problem(1, 1, "the file is UTF-16 (it starts with a UTF-16 byte-order mark); "
                     "expected UTF-8: save it again as UTF-8")],
        )  # fmt: skip
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


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """Read a data file, refusing one over the size limit before reading it."""
    path = Path(path)
    limit = max_bytes()
    size = path.stat().st_size
    if size > limit:
        raise DataError(
            str(path),
            [
                Problem(
                    1,
                    1,
                    f"the file is {size:,} bytes, over the limit of {limit:,}; "
                    f"set {MAX_BYTES_ENV} to a larger number of bytes to load it",
                )
            ],
        )
    return path.read_bytes()


def load_file(path: str | os.PathLike[str]) -> Dataset:
    """Read, parse and validate one data file; OSError if it cannot be read."""
    raw = read_bytes(path)
    if len(raw) >= FAST_PATH_MIN_CHARS:
        # Large files skip decoding: rapidyaml and Arrow read the bytes themselves.
        fast = fast_parse(raw)
        if fast is not None:
            return fast
    return parse_carefully(decode(raw, str(path)), name=str(path))


def cache_dir() -> Path:
    """Return where parsed files are kept: $TIMELINE_CACHE_DIR, else ~/.cache/timeline."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "timeline"


@cache
def _code_version() -> str:
    # Parsed data depends on the code that parsed it: any change here starts a new cache.
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for name in sorted(p.name for p in here.glob("*.py")):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:16]


def _cache_file(path: Path) -> Path:
    st = path.stat()
    key = f"{path.resolve()}|{st.st_size}|{st.st_mtime_ns}|{_code_version()}"
    return cache_dir() / (hashlib.sha256(key.encode()).hexdigest()[:32] + ".pickle")


def load_cached(path: str | os.PathLike[str]) -> Dataset:
    """Load a data file, through a disk cache keyed on its path, size and modification time.

    A restart with an unchanged file reads the parsed Dataset back instead of parsing
    again. The cache holds pickles written by this program in the user's own cache folder;
    a file that cannot be read back is ignored and parsed again.
    """
    path = Path(path)
    target = _cache_file(path)
    try:
        with open(target, "rb") as f:
            return pickle.load(f)
    except Exception:  # missing, stale or damaged: parse again
        pass
    data = load_file(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as f:
            pickle.dump(data, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(f.name, target)  # atomic: another process never reads half a file
    except OSError:
        pass  # a read-only cache folder only costs speed
    return data


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
