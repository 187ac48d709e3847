"""rapidyaml: the bytes to a tree, its top-level keys, and each member written as JSON."""

from __future__ import annotations

import json
import mmap
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .doubt import Unsure
from .scalars import as_text, typed_as_text

try:  # An optional speed-up: without it every file takes the careful path.
    import ryml
except ImportError:  # pragma: no cover - depends on the environment
    ryml = None


class _QuietStderr:
    """Silence rapidyaml's C++ error printing: a bad file is the careful path's to report.

    rapidyaml prints from C++ before it raises, with no way to turn that off from Python,
    so file descriptor 2 points at /dev/null while it works. The server loads files on
    several threads: the first to enter saves the real stderr and the last to leave puts
    it back, under a lock, so overlapping loads can never leave it silenced.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._depth = 0
        self._saved: int | None = None

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self._lock:
            if self._depth == 0:
                sys.stderr.flush()
                self._saved = os.dup(2)
                null = os.open(os.devnull, os.O_WRONLY)
                os.dup2(null, 2)
                os.close(null)
            self._depth += 1
        try:
            yield
        finally:
            with self._lock:
                self._depth -= 1
                if self._depth == 0 and self._saved is not None:
                    os.dup2(self._saved, 2)
                    os.close(self._saved)
                    self._saved = None


quiet_stderr = _QuietStderr()


def parse(data: bytes) -> Any:
    """Return rapidyaml's tree of the bytes (its arena is as large as the file)."""
    with quiet_stderr():
        return ryml.parse_in_arena(data)


def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise Unsure  # ryml keeps duplicate keys that PyYAML would report
    return out


def top_level(tree: Any) -> dict[str, int]:
    """Return the node of each top-level key; Unsure on a duplicate or anything odd."""
    root = tree.root_id()
    if tree.is_stream(root):  # a file that starts with `---`: one document, no more
        if tree.num_children(root) != 1:
            raise Unsure
        root = tree.first_child(root)
    if not tree.is_map(root):
        raise Unsure
    nodes: dict[str, int] = {}
    child = tree.first_child(root)
    for _ in range(tree.num_children(root)):
        key = bytes(tree.key(child)).decode("utf-8")
        if key in nodes:
            raise Unsure
        nodes[key] = child
        child = tree.next_sibling(child)
    return nodes


def member_json(tree: Any, node: int) -> str:
    # ryml writes a member as `"key": value`; braces make it a document of its own.
    with quiet_stderr():  # a node nested too deep is refused with a printed error
        return "{" + ryml.emit_json_malloc(tree, node) + "}"


def events_json(tree: Any, node: int) -> mmap.mmap:
    """Write a member as a JSON document straight into memory, with no Python str between.

    The JSON is rarely more than twice the YAML, so it is written into an anonymous map of
    that size (pages that are never written cost nothing), sparing rapidyaml a first pass
    that only measures it; when it does not fit, the exact size is asked for.
    """
    size = 2 * tree.arena_size() + 4096
    for _ in range(2):
        out = mmap.mmap(-1, size + 2)
        with quiet_stderr():
            failed, needed = ryml.emit_json_to_substr(tree, node, memoryview(out)[1 : size + 1])
        if not failed:
            out[0], out[needed + 1] = ord("{"), ord("}")
            out.resize(needed + 2)
            return out
        out.close()
        if needed > 4 * tree.arena_size() + (1 << 20):
            # Deep nesting makes JSON's indentation grow with the square of the depth.
            raise Unsure("its JSON would be more than four times the file")
        size = needed
    raise Unsure  # pragma: no cover - the second size is the exact one


def load_json(document: str) -> Any:
    """Read a small JSON document with every number kept as the text written."""
    pairs = json.loads(
        document, object_pairs_hook=no_duplicates, parse_int=as_text, parse_float=as_text
    )
    return typed_as_text(pairs)


def small_members(tree: Any, nodes: dict[str, int]) -> dict[str, Any]:
    """Return every top-level member but the events as Python data, each scalar as typed."""
    small: dict[str, Any] = {}
    for name, node in nodes.items():
        if name != "events":
            small.update(load_json(member_json(tree, node)))
    return small
