"""YAML text to plain Python data, with the position of every node kept for messages."""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from .errors import DataError, Problem

try:  # The C parser is several times faster; PyYAML may be built without it.
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

Path = tuple[str | int, ...]

_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + t
    for t in ("str", "int", "float", "bool", "null", "timestamp", "value", "map", "seq")
}
# Aliases may be used, but each expansion costs; this bounds "billion laughs" files.
MAX_ALIAS_EXPANSIONS = 100_000


@dataclass
class Positions:
    """Where each value and each mapping key of a document stands (1-based line, column)."""

    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def of(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """Return the position of the node at path, or of its nearest recorded parent."""
        if key and path in self.keys:
            return self.keys[path]
        while path:
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), (1, 1))


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Builder:
    def __init__(self) -> None:
        self.positions = Positions()
        self.problems: list[Problem] = []
        self._seen: set[int] = set()
        self._expansions = 0

    def build(self, node: yaml.Node, path: Path) -> object:
        if id(node) in self._seen:
            self._expansions += 1
            if self._expansions > MAX_ALIAS_EXPANSIONS:
                line, col = _mark(node)
                raise DataError(
                    "",
                    [
                        Problem(
                            line,
                            col,
                            f"aliases expand to more than {MAX_ALIAS_EXPANSIONS:,} nodes; "
                            "expected a file without alias bombs",
                        )
                    ],
                )
        else:
            self._seen.add(id(node))
        self.positions.values.setdefault(path, _mark(node))
        if node.tag not in _STANDARD_TAGS:
            # Nothing is ever constructed from a tag: it is reported, never run.
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            self.problems.append(
                Problem(
                    *_mark(node),
                    f"{_dotted(path)}: tag {tag!r} is not allowed; "
                    "expected plain text, lists and mappings",
                )
            )
            return None
        if isinstance(node, yaml.ScalarNode):
            if node.tag == "tag:yaml.org,2002:null":
                return None
            # Every other scalar stays the text as written: the schema holds only text,
            # so `no`, `on`, `2022-07-19` and `1.10` mean what the editor typed.
            return node.value
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            out: dict[object, object] = {}
            first: dict[object, tuple[int, int]] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    line, col = _mark(key_node)
                    self.problems.append(
                        Problem(
                            line,
                            col,
                            f"{_dotted(path)}: merge keys ('<<') are not "
                            "supported; expected the fields written out",
                        )
                    )
                    continue
                if not isinstance(key_node, yaml.ScalarNode):
                    line, col = _mark(key_node)
                    self.problems.append(
                        Problem(line, col, f"{_dotted(path)}: a key must be plain text")
                    )
                    continue
                key = key_node.value
                where = _mark(key_node)
                if key in first:
                    self.problems.append(
                        Problem(
                            *where,
                            f"{_dotted((*path, key))}: duplicate key {key!r} "
                            f"(first at line {first[key][0]}); "
                            "expected each key once in a mapping",
                        )
                    )
                first[key] = where
                self.positions.keys[(*path, key)] = where
                self.positions.values[(*path, key)] = _mark(value_node)
                out[key] = self.build(value_node, (*path, key))
            return out
        raise AssertionError(f"unexpected YAML node {node!r}")  # pragma: no cover


def _dotted(path: Path) -> str:
    """Return a path as people read it: events[3].quotes[0].by."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


dotted = _dotted


def parse_yaml(text: str, name: str) -> tuple[object, Positions, list[Problem]]:
    """Parse YAML text safely into plain data, node positions and structural problems."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(x for x in (err.context, err.problem) if x)
        if err.context_mark and mark is not err.context_mark:
            what += f" (the construct began at line {err.context_mark.line + 1})"
        raise DataError(name, [Problem(line, col, f"YAML syntax error: {what}")]) from None
    except yaml.YAMLError as err:
        raise DataError(name, [Problem(1, 1, f"YAML error: {err}")]) from None
    if node is None:
        raise DataError(
            name,
            [
                Problem(
                    1,
                    1,
                    "the file is empty; expected a mapping with title, people, sources and events",
                )
            ],
        )
    builder = _Builder()
    try:
        data = builder.build(node, ())
    except DataError as err:
        raise DataError(name, err.problems) from None
    except RecursionError:
        raise DataError(name, [Problem(*_mark(node), "the file nests too deeply")]) from None
    return data, builder.positions, builder.problems
