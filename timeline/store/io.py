"""The store's folder on disk: written whole or not at all, read back, appended to.

The one module of the store that touches the filesystem (as timeline/files.py is for data
files). A store folder holds a pointer file, CURRENT, naming the version folder readers
use; a write makes a new version folder beside it, writes every table there, and then
replaces CURRENT in one rename. A reader sees the old version or the new one, never half
of one; a write that fails leaves CURRENT as it was and removes its own folder. The
previous version is kept (a reader may still be in it) and older ones are removed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

from ..frame import Dataset
from .write import (
    TABLE_NAMES,
    OnDuplicate,
    StoreTables,
    check_version,
    dataset_of,
    merge,
    tables_of,
)

CURRENT = "CURRENT"
VERSION_PREFIX = "v-"
# Rows per Parquet row group: each group's min/max let a date range or a few lane keys skip
# the rest (DuckDB's own row group size, so its threads split the work evenly).
ROW_GROUP_ROWS = 122_880


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
    except OSError as err:
        raise StoreError(
            f"{folder} is not an event store ({err.strerror}); expected a folder written by "
            "the store's writer, holding a CURRENT file"
        ) from None
    if not name.startswith(VERSION_PREFIX) or "/" in name or not (folder / name).is_dir():
        raise StoreError(f"{folder}: CURRENT names {name!r}, not a version folder of the store")
    return folder / name


def table_paths(folder: str | os.PathLike[str]) -> dict[str, str]:
    """Return the Parquet file of each of a store's tables, in its current version."""
    version = version_folder(folder)
    return {name: str(version / f"{name}.parquet") for name in TABLE_NAMES}


def _write_tables(target: Path, tables: StoreTables) -> None:
    for name, table in tables.named().items():
        path = target / f"{name}.parquet"
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


def write_store(folder: str | os.PathLike[str], tables: StoreTables) -> Path:
    """Write a store's tables as its new version, whole or not at all; return its folder."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    previous = version_folder(folder).name if is_store(folder) else None
    # Written under a hidden name, renamed once complete: a version folder is always whole.
    temp = Path(tempfile.mkdtemp(prefix=".v-", dir=folder))
    try:
        _write_tables(temp, tables)
        version = VERSION_PREFIX + temp.name.removeprefix(".v-")
        os.rename(temp, folder / version)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    try:
        _point(folder, version)
    except BaseException:
        shutil.rmtree(folder / version, ignore_errors=True)
        raise
    _tidy(folder, {version, *([previous] if previous else [])})
    return folder / version


def read_tables(folder: str | os.PathLike[str]) -> StoreTables:
    """Read every table of a store's current version into memory."""
    paths = table_paths(folder)
    tables = StoreTables(**{name: pq.read_table(path) for name, path in paths.items()})
    try:
        check_version(tables.meta)
    except ValueError as err:
        raise StoreError(f"{folder}: {err}") from None
    return tables


def read_store(folder: str | os.PathLike[str]) -> Dataset:
    """Read a store back as the dataset it holds (every event in memory)."""
    return dataset_of(read_tables(folder))


@dataclass(frozen=True)
class Appended:
    """What an append did: the events now in the store, the ids found already there."""

    events: int
    duplicates: tuple[str, ...]
    on_duplicate: OnDuplicate


def append_store(
    folder: str | os.PathLike[str], data: Dataset, on_duplicate: OnDuplicate = "keep"
) -> Appended:
    """Add a dataset's events to a store (made if missing); ids already there are reported,
    and their events kept or replaced as asked. The whole store is written anew."""
    if is_store(folder):
        merged = merge(read_store(folder), data, on_duplicate)
        data, duplicates = merged.data, merged.duplicates
    else:
        duplicates = ()
    write_store(folder, tables_of(data))
    return Appended(len(data.events), duplicates, on_duplicate)
