"""The store's folder on disk: written whole or not at all, read back, appended to.

The one module of the store that touches the filesystem (as timeline/files.py is for data
files). A store folder holds a pointer file, CURRENT, naming the version folder readers
use; a write makes a new version folder beside it, writes every table there, and then
replaces CURRENT in one rename. A reader sees the old version or the new one, never half
of one; a write that fails leaves CURRENT as it was and removes its own folder. The
previous version is kept (a reader may still be in it) and older ones are removed.

In a version folder the small tables (meta, people, sources, periods) and the summaries of
the whole store (write.SUMMARIES) are one Parquet file each; the tables of one row per
event or lane (events, lanes) are folders of parts, `NAME/PART.parquet`, one part per chunk
written, each sorted as write.py sorts a whole table. A new version keeps the old one's
parts by hard links (the same file under two names: no byte copied), so an append writes
its new events and rewrites only the parts that hold replaced ids (store/build.py).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import shown
from ..frame import Dataset
from .write import SUMMARIES, TABLE_NAMES, OnDuplicate, StoreTables, check_version, dataset_of

if TYPE_CHECKING:
    from .build import Appended

CURRENT = "CURRENT"
VERSION_PREFIX = "v-"
# Rows per Parquet row group: each group's min/max let a date range or a few lane keys skip
# the rest (DuckDB's own row group size, so its threads split the work evenly).
ROW_GROUP_ROWS = 122_880
# Tables of a few rows, whole in memory and rewritten with each version: one file each.
SMALL_TABLES = ("meta", "people", "sources", "periods")
PART_SUFFIX = ".parquet"


class StoreError(Exception):
    """A folder that is not a store this code reads: what is wrong and what was expected."""


def is_store(folder: str | os.PathLike[str]) -> bool:
    """Say whether a path is a store folder (it holds a CURRENT pointer)."""
    return (Path(folder) / CURRENT).is_file()


def version_folder(folder: str | os.PathLike[str]) -> Path:
    """Return the version folder a store's CURRENT names; StoreError if there is none."""
    folder = Path(folder)
    try:
        name = (folder / CURRENT).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as err:
        what = (
            "it is a directory, not a regular file, and not an event store (it holds no "
            "CURRENT file)"
            if folder.is_dir()
            else (getattr(err, "strerror", None) or "its CURRENT file is not text")
            + ", not an event store"
        )
        raise StoreError(
            f"{folder}: cannot read the file: {what}; an event store is a folder written by "
            "`python -m timeline import FORMAT INPUT --store DIR` or `store put`"
        ) from None
    if not name.startswith(VERSION_PREFIX) or "/" in name or not (folder / name).is_dir():
        raise StoreError(
            f"{folder}: CURRENT names {shown(name)}, not a version folder of the store "
            f"(expected {VERSION_PREFIX}... beside it)"
        )
    return folder / name


def parted(name: str) -> bool:
    """Say whether a table is stored as parts (one row per event or lane), not as one file:
    not the small tables, nor the summaries of the whole store (write.SUMMARIES)."""
    return name not in SMALL_TABLES and name not in SUMMARIES


def table_paths(folder: str | os.PathLike[str]) -> dict[str, str]:
    """Return each table's Parquet path in the current version: a file, or a glob of parts
    (`.../events/*.parquet`, which DuckDB and Spark both read as one table)."""
    version = version_folder(folder)
    return {
        name: str(version / name / f"*{PART_SUFFIX}") if parted(name)
        else str(version / f"{name}{PART_SUFFIX}")
        for name in TABLE_NAMES
    }  # fmt: skip


def part_names(version: Path) -> list[str]:
    """Return the parts of a version, by name (each parted table has one file per part)."""
    return sorted(p.name for p in (version / "events").glob(f"*{PART_SUFFIX}"))


def read_part(version: Path, name: str, part: str, columns: list[str] | None = None) -> pa.Table:
    """Read one part of one parted table of a version."""
    return pq.read_table(version / name / part, columns=columns)


def _write_table(path: Path, table: pa.Table) -> None:
    pq.write_table(
        table, path, row_group_size=ROW_GROUP_ROWS, compression="zstd", write_statistics=True
    )
    with open(path, "rb") as f:
        os.fsync(f.fileno())


def _point(folder: Path, version: str) -> None:
    """Replace CURRENT with one naming `version`, in one rename."""
    fd, temp = tempfile.mkstemp(prefix=".CURRENT-", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(version + "\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, folder / CURRENT)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _tidy(folder: Path, keep: set[str]) -> None:
    """Remove version folders other than those kept (and any a failed write left)."""
    for entry in folder.iterdir():
        if entry.name.startswith((VERSION_PREFIX, ".v-")) and entry.name not in keep:
            shutil.rmtree(entry, ignore_errors=True)


class Staged:
    """A new version being written under a hidden name: parts added or kept, then committed.

    Nothing a reader sees changes until `commit` renames it and swaps CURRENT; `abort` (or
    leaving the `with` block by an exception) removes it and leaves the store as it was.
    """

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)
        if self.folder.exists() and not self.folder.is_dir():
            raise StoreError(f"{folder}: a file, not a folder for an event store")
        self.folder.mkdir(parents=True, exist_ok=True)
        self.previous = version_folder(self.folder) if is_store(self.folder) else None
        if self.previous is None and any(self.folder.iterdir()):  # never litter a folder in use
            raise StoreError(
                f"{folder}: a folder that holds other files and is not an event store (no "
                "CURRENT file); give a new or empty folder, or an event store"
            )
        self.temp = Path(tempfile.mkdtemp(prefix=".v-", dir=self.folder))
        self.token = self.temp.name.removeprefix(".v-")
        self.parts = 0

    def __enter__(self) -> Staged:
        return self

    def __exit__(self, kind: object, *rest: object) -> None:
        if kind is not None:
            self.abort()

    def add_part(self, tables: Mapping[str, pa.Table]) -> str:
        """Write one part of every parted table (as write.py made them); return its name."""
        part = f"{self.token}-{self.parts:06d}{PART_SUFFIX}"
        self.parts += 1
        for name, table in tables.items():
            (self.temp / name).mkdir(exist_ok=True)
            _write_table(self.temp / name / part, table)
        return part

    def keep_part(self, part: str) -> None:
        """Take one part of the previous version as it is: a hard link (a copy where the
        filesystem has none), every parted table's file of it."""
        assert self.previous is not None
        for table in self.previous.iterdir():
            if table.is_dir() and (table / part).is_file():
                (self.temp / table.name).mkdir(exist_ok=True)
                try:
                    os.link(table / part, self.temp / table.name / part)
                except OSError:
                    shutil.copy2(table / part, self.temp / table.name / part)

    def part_glob(self, name: str) -> str:
        """Return the glob of a parted table's parts written so far (for DuckDB's reader)."""
        return str(self.temp / name / f"*{PART_SUFFIX}")

    def commit(self, small: Mapping[str, pa.Table]) -> Path:
        """Write the tables of one file each, then make this the store's version in one rename."""
        for name, table in small.items():
            _write_table(self.temp / f"{name}{PART_SUFFIX}", table)
        for name in TABLE_NAMES:  # a table no part was written to: none of its rows yet
            if parted(name):
                (self.temp / name).mkdir(exist_ok=True)
        version = VERSION_PREFIX + self.token
        os.rename(self.temp, self.folder / version)
        try:
            _point(self.folder, version)
        except BaseException:
            shutil.rmtree(self.folder / version, ignore_errors=True)
            raise
        previous = {self.previous.name} if self.previous else set()
        _tidy(self.folder, {version, *previous})
        return self.folder / version

    def abort(self) -> None:
        """Remove the version being written; the store stays as it was."""
        shutil.rmtree(self.temp, ignore_errors=True)


def write_store(folder: str | os.PathLike[str], tables: StoreTables) -> Path:
    """Write a store's tables as its new version, whole or not at all; return its folder."""
    from .build import write_tables  # build.py writes through this module: no cycle at import

    return write_tables(folder, tables)


def _read_parted(version: Path, name: str) -> pa.Table:
    parts = sorted((version / name).glob(f"*{PART_SUFFIX}"))
    if not parts:  # a store of no events: the table's columns from no file at all
        return pa.table({})
    return pa.concat_tables([pq.read_table(p) for p in parts], promote_options="default")


def check_version_of(meta: pa.Table, folder: str | os.PathLike[str]) -> None:
    """Raise StoreError unless a store's meta table is of this code's store version."""
    try:
        check_version(meta)
    except ValueError as err:
        raise StoreError(f"{folder}: {err}") from None


def read_tables(folder: str | os.PathLike[str]) -> StoreTables:
    """Read every table of a store's current version into memory."""
    version = version_folder(folder)
    try:
        tables = {
            n: _read_parted(version, n) if parted(n) else pq.read_table(version / f"{n}.parquet")
            for n in TABLE_NAMES
        }
    except (OSError, pa.ArrowInvalid) as err:
        raise StoreError(f"{folder}: a table cannot be read: {err}") from None
    check_version_of(tables["meta"], folder)
    return StoreTables(**tables)


def read_store(folder: str | os.PathLike[str]) -> Dataset:
    """Read a store back as the dataset it holds (every event in memory: for small stores)."""
    return dataset_of(read_tables(folder))


def iter_parts(version: Path, columns: list[str] | None = None) -> Iterator[tuple[str, pa.Table]]:
    """Yield each part's name and its events (the columns asked for), one part at a time."""
    for part in part_names(version):
        yield part, read_part(version, "events", part, columns)


def append_store(
    folder: str | os.PathLike[str], data: Dataset, on_duplicate: OnDuplicate = "keep"
) -> Appended:
    """Add a dataset's events to a store (made if missing); ids already there are reported,
    and their events kept or replaced as asked. Old parts are kept, not rewritten."""
    # build.py writes through this module: imported here, not at the top, to avoid a cycle.
    from .build import append_dataset

    return append_dataset(folder, data, on_duplicate)
