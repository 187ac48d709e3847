"""YAML text to plain Python data, with the position of every node kept for messages."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import yaml

from .errors import DataError, Problem, shown

try:  # The C parser is several times faster; PyYAML may be built without it.
    _Loader: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

Path = tuple[str | int, ...]

_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + t
    for t in ("str", "int", "float", "bool", "null", "timestamp", "value", "map", "seq")
}
# Aliases may be used, but each expansion costs; this bounds "billion laughs" files, by
# the nodes they expand to and by the characters they copy.
MAX_ALIAS_EXPANSIONS = 100_000
MAX_ALIAS_CHARACTERS = 10_000_000
# PyYAML's composer keeps about 600 bytes a node: this keeps the careful path near 600 MB.
MAX_NODES = 1_000_000
# A valid file nests 5 levels deep (events, an event, its quotes, a quote, its text).
MAX_DEPTH = 50
# PyYAML composes recursively in C. With PyYAML 6.0.3 (libyaml 0.2.5, no limit) some
# 14,000 nested levels overflow the stack and kill the process, in the main thread or
# another; 6.0.4 stops at 1,000 flow levels. Up to this depth composing is safe everywhere.
_SAFE_TO_COMPOSE = 1000
_INDENT_CHAR = "[ \t?:\\-\ufeff]"
# Where YAML ends a line, as its marks count lines.
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


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


def _mark(node: yaml.Node | yaml.Event) -> tuple[int, int]:
    mark = node.start_mark
    return (mark.line + 1, mark.column + 1) if mark else (1, 1)


def _too_deep(line: int, col: int) -> Problem:
    return Problem(
        line, col, f"nested more than {MAX_DEPTH} levels deep; expected an events file, "
        "which needs 5 levels (events, an event, its quotes, a quote, its text)"
    )  # fmt: skip


def _may_nest_unsafely(text: str) -> bool:
    """Say, cheaply and never wrongly 'no', whether text may nest too deep to compose safely."""
    # A flow bracket opens at most two levels (`[k: [` adds a one-pair mapping). A block
    # collection starts at the column its line's prefix reaches, and each column holds at
    # most two levels (`k:` with an indentless `- ` below it); the prefix is made of spaces
    # and the - ? : indicators (tabs and BOMs too, to be safe). So the depth is at most
    # 2 * (brackets + longest prefix + 1). Looking for a prefix-like run anywhere, not only
    # after a newline, covers every YAML line break (CR, NEL, U+2028, U+2029).
    run_budget = _SAFE_TO_COMPOSE // 2 - text.count("[") - text.count("{") - 1
    # The lookbehind starts a try only where a run starts, so each run is read once.
    run = f"(?<!{_INDENT_CHAR}){_INDENT_CHAR}{{{run_budget}}}"
    return run_budget <= 0 or re.search(run, text) is not None


def _first_too_deep(events: Iterable[yaml.Event]) -> tuple[int, int] | None:
    depth = 0
    for event in events:
        if isinstance(event, yaml.NodeEvent) and depth > MAX_DEPTH:
            return _mark(event)
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


def _check_depth(text: str, name: str) -> None:
    """Raise DataError at the first node nested deeper than MAX_DEPTH, found without recursion."""
    try:
        where = _first_too_deep(yaml.parse(text, Loader=_Loader))
    except yaml.YAMLError as err:
        # libyaml reads ahead: it may stop at its own limit (0.2.6: 1,000 levels) or at a
        # bad character before it yields our node too deep. Look again before that error.
        if isinstance(err, yaml.reader.ReaderError):
            head = text[: _character_index(text, err)]
        else:
            mark = getattr(err, "problem_mark", None)
            head = text[: mark.index] if mark else ""
        try:
            where = _first_too_deep(yaml.parse(head, Loader=_Loader))
        except yaml.YAMLError:
            where = None  # a syntax error comes first in the text: composing reports it
    if where is not None:
        raise DataError(name, [_too_deep(*where)])


def _character_index(text: str, err: yaml.reader.ReaderError) -> int:
    """Return where a reader error stands in text; libyaml counts UTF-8 bytes, not characters."""
    if _Loader is not yaml.CSafeLoader or text.isascii():
        return err.position
    return len(text.encode()[: err.position].decode("utf-8", "ignore"))


def _bad_character(text: str, err: yaml.reader.ReaderError) -> Problem:
    index = _character_index(text, err)
    breaks = list(_LINE_BREAK.finditer(text, 0, index))
    line, column = len(breaks) + 1, index - (breaks[-1].end() if breaks else 0) + 1
    code = err.character if isinstance(err.character, int) else ord(err.character)
    return Problem(
        line, column, f"character U+{code:04X} is not allowed in YAML ({err.reason}); "
        "expected printable text: remove it or write it as an escape in double quotes"
    )  # fmt: skip


class _Builder:
    def __init__(self) -> None:
        self.positions = Positions()
        self.problems: list[Problem] = []
        self._seen: set[int] = set()
        self._expansions = 0
        self._copied = 0
        self._sizes: dict[int, int] = {}

    def _characters(self, node: yaml.Node) -> int:
        """Return the characters of text a node holds, its children's included (memoized)."""
        size = self._sizes.get(id(node))
        if size is None:
            if isinstance(node, yaml.ScalarNode):
                size = len(node.value) + 1
            elif isinstance(node, yaml.SequenceNode):
                size = 1 + sum(self._characters(n) for n in node.value)
            else:
                size = 1 + sum(self._characters(k) + self._characters(v) for k, v in node.value)
            self._sizes[id(node)] = size
        return size

    def build(self, node: yaml.Node, path: Path) -> object:
        """Return a node as plain data, recording positions and problems on the way."""
        if len(path) > MAX_DEPTH:
            raise DataError("", [_too_deep(*_mark(node))])
        self._count_expansion(node)
        self.positions.values.setdefault(path, _mark(node))
        if node.tag not in _STANDARD_TAGS:
            # Nothing is ever constructed from a tag: it is reported, never run.
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            self.problems.append(
                Problem(
                    *_mark(node),
                    f"{_dotted(path)}: tag {shown(tag)} is not allowed; "
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
            return self._mapping(node, path)
        raise AssertionError(f"unexpected YAML node {node!r}")  # pragma: no cover

    def _count_expansion(self, node: yaml.Node) -> None:
        """Count a node met again (an alias's expansion); DataError past the bounds."""
        if id(node) not in self._seen:
            self._seen.add(id(node))
            return
        self._expansions += 1
        self._copied += self._characters(node)
        if self._copied > MAX_ALIAS_CHARACTERS:
            raise DataError(
                "",
                [
                    Problem(
                        *_mark(node),
                        f"aliases expand to more than {MAX_ALIAS_CHARACTERS:,} characters; "
                        "expected a file without alias bombs: write the text once",
                    )
                ],
            )
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

    def _key_problem(self, key_node: yaml.Node, path: Path) -> Problem | None:
        """Return why a mapping key cannot be used (a merge key, a collection), or None."""
        if key_node.tag == "tag:yaml.org,2002:merge":
            line, col = _mark(key_node)
            return Problem(
                line,
                col,
                f"{_dotted(path)}: merge keys ('<<') are not "
                "supported; expected the fields written out",
            )
        if not isinstance(key_node, yaml.ScalarNode):
            line, col = _mark(key_node)
            return Problem(line, col, f"{_dotted(path)}: a key must be plain text")
        return None

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict[object, object]:
        """Return a mapping as a dict, reporting duplicate and unusable keys."""
        out: dict[object, object] = {}
        first: dict[object, tuple[int, int]] = {}
        if node.value and len(path) == MAX_DEPTH:  # its keys are one level too deep
            raise DataError("", [_too_deep(*_mark(node.value[0][0]))])
        for key_node, value_node in node.value:
            if problem := self._key_problem(key_node, path):
                self.problems.append(problem)
                continue
            key = key_node.value
            where = _mark(key_node)
            if key in first:
                self.problems.append(
                    Problem(
                        *where,
                        f"{_dotted((*path, key))}: duplicate key {shown(key)} "
                        f"(first at line {first[key][0]}); "
                        "expected each key once in a mapping",
                    )
                )
            first[key] = where
            self.positions.keys[(*path, key)] = where
            self.positions.values[(*path, key)] = _mark(value_node)
            out[key] = self.build(value_node, (*path, key))
        return out


def _dotted(path: Path) -> str:
    """Return a path as people read it: events[3].quotes[0].by."""
    out = ""
    for part in path:
        if isinstance(part, str) and len(part) > 60:
            part = part[:57] + "..."  # a key can be as long as a file
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


dotted = _dotted


def _count_nodes(text: str) -> int:
    """Return how many YAML events (nodes, aliases, collection ends) the text holds."""
    if _Loader is yaml.CSafeLoader:
        return yaml._yaml.CParser(text).raw_parse()  # libyaml's parser, no Python objects
    return sum(1 for _ in yaml.parse(text, Loader=_Loader))  # pragma: no cover


def _too_many_nodes(nodes: int, why: str) -> Problem:
    because = f" (it could not be read the fast way: {why})" if why else ""
    return Problem(
        1, 1, f"the file holds {nodes:,} YAML nodes, more than the {MAX_NODES:,} the careful "
        f"reader takes{because}; expected at most about 25,000 events read this way. Larger "
        "files are read the fast way when they avoid the forms the README lists for it "
        "(anchors, aliases, tags, flow collections over several lines): change the one named"
    )  # fmt: skip


def parse_yaml(text: str, name: str, why: str = "") -> tuple[object, Positions, list[Problem]]:
    """Parse YAML text safely into plain data, node positions and structural problems.

    `why` says why the fast reader declined the file, for the message when it is too large.
    """
    if _may_nest_unsafely(text):
        _check_depth(text, name)
    try:
        nodes = _count_nodes(text)  # in C, in constant memory: composing costs ~600 B a node
        if nodes > MAX_NODES:
            raise DataError(name, [_too_many_nodes(nodes, why)])
        node = yaml.compose(text, Loader=_Loader)
    except RecursionError:  # PyYAML built without libyaml recurses in Python: ~300 levels
        _check_depth(text, name)
        raise DataError(name, [_too_deep(1, 1)]) from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(x for x in (err.context, err.problem) if x)
        if err.context_mark and mark is not err.context_mark:
            what += f" (the construct began at line {err.context_mark.line + 1})"
        raise DataError(name, [Problem(line, col, f"YAML syntax error: {what}")]) from None
    except yaml.reader.ReaderError as err:
        raise DataError(name, [_bad_character(text, err)]) from None
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
    return data, builder.positions, builder.problems
