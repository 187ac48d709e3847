"""The bytes looked at before parsing: forms where rapidyaml and PyYAML read a file apart.

Each check is a quick scan of the whole file; a doubt costs speed, never correctness: the
file goes to the careful path, and the doubt, with its line, is the reason it gives.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# Where a YAML node can start: after an indicator (`key: `, `- `, `? `, a flow bracket or
# comma) or at the start of a line, with blanks between. A tag, anchor or alias mark there
# is left to PyYAML; the same mark after a word is prose ("The *Kommersant* daily", "Q&A").
_NODE_START_BEFORE = frozenset(b"\n\r:?-[{,\xbf")  # \xbf ends a BOM
# A tab where it separates, indents or ends a line: PyYAML and rapidyaml disagree there
# (`key:<TAB>x` is a mapping to one and text to the other; PyYAML drops a tab that ends a
# line of a plain scalar and rapidyaml keeps it). A tab inside text is read alike.
# The second branch starts only where a run of blanks starts, so that a long run is read
# once, not once for each of its characters.
_SEPARATING_TAB = re.compile(
    rb"(?:^|[\n\r:?,\[{-])[ ]*\t|(?<![ \t]) *+\t[ \t]*+(?:\r?\n|$|[,\]}#:])"
)
# Double-quoted escapes rapidyaml refuses or turns into bytes that are not UTF-8 (\0, \a,
# \v, \e, NUL, surrogates, code points past U+10FFFF), and an escaped line break followed
# by an empty line, which PyYAML keeps as a line break and rapidyaml folds into a space.
_DOUBTFUL_ESCAPE = re.compile(
    rb"\\(?:[0ave]|x00|u(?:0000|[dD][89a-fA-F])|U(?!000[0-9a-fA-F]|0010)|U0000(?:0000|[dD][89a-fA-F]))"
    rb"|\\\r?\n[ \t]*\r?\n"
)


def arrow_text(data: bytes) -> pa.Array | None:
    """Return the bytes as one Arrow string without copying them; None if not UTF-8."""
    offsets = pa.py_buffer(np.array([0, len(data)], np.int64))
    raw = pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, pa.py_buffer(data)])
    try:
        return raw.cast(pa.large_string())  # Arrow's UTF-8 check: several times Python's
    except pa.ArrowInvalid:
        return None


# Characters PyYAML refuses or takes as line breaks where rapidyaml sees text: C0 controls
# other than tab and line ends (rapidyaml writes \b and \f as JSON escapes), DEL, C1
# controls and NEL, U+2028 and U+2029, U+FFFE and U+FFFF; a CR that ends no CRLF; and a
# directive (`%YAML`) at a line start. One pass of RE2 over the whole file.
_DOUBTFUL_CHARACTERS = (
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x{80}-\x{9f}\x{2028}\x{2029}\x{fffe}\x{ffff}]"
    r"|\r[^\n]|\r$|(?:^|\n)%"
)
# rapidyaml reads ` #` inside a flow collection as text, and judges a collection over
# several lines by other rules (a continued line there is not text); PyYAML refuses `...`
# before a document and a key with no value right before a flow indicator (`{a:}`).
_FLOW_DOUBT = r"\[[^\]\n#]*[\n#]|\{[^}\n#]*[\n#]"
_DOCUMENT_END = re.compile(rb"(?:^|\n)\.\.\.(?:[ \t\r\n]|$)")
_EMPTY_FLOW_VALUE = r":[,\]}]"
# All of them in one pass of RE2 over the whole file; which one it was is asked after.
_ONE_PASS = "|".join((_DOUBTFUL_CHARACTERS, _FLOW_DOUBT, _EMPTY_FLOW_VALUE))
_REASONS = [
    (_DOUBTFUL_CHARACTERS, "a character PyYAML refuses or reads as a line break, or a directive"),
    (_FLOW_DOUBT, "a flow collection over several lines, or with a comment inside"),
    (_EMPTY_FLOW_VALUE, "a key with no value right before a flow indicator"),
]


def lexical_doubt(data: bytes) -> str | None:
    """Name the first thing in the bytes that rapidyaml may read otherwise than PyYAML.

    Each check is a quick scan; None means the two parsers read the file alike as far as
    the bytes can tell (the values are checked again after parsing). A doubt costs speed,
    never correctness: the file goes to the careful path.
    """
    if b"\x00" in data:
        return "a NUL byte"
    text = arrow_text(data)
    if text is None:
        return "bytes that are not UTF-8"  # the careful path names the first one
    # Arrow lets go of the GIL: its RE2 pass runs on the other core while the scans below
    # run on this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        arrow_pass = pool.submit(pc.match_substring_regex, text, _ONE_PASS)
        doubt = _scans(data)
        if pc.any(arrow_pass.result()).as_py():
            for pattern, reason in _REASONS:
                at = pc.find_substring_regex(text, pattern)[0].as_py()  # a byte offset
                if at >= 0:
                    return reason + _where(data, at)
    return doubt


def _where(data: bytes, at: int) -> str:
    """Return where a doubt is, as words for the message: the line of the byte at `at`."""
    at += data[at : at + 1] == b"\n"  # a pattern that starts at the line break before
    line = data.count(b"\n", 0, at) + 1
    return f" (line {line:,})"


def _scans(data: bytes) -> str | None:
    """Name the first doubt that the Python scans of lexical_doubt find, and its line."""
    if len(data) > MAX_NODES and most_nodes(data) > MAX_NODES:
        return f"it may hold more than {MAX_NODES:,} YAML nodes"
    if (at := data.find(b" " * 1024)) >= 0:
        return "a run of 1,024 spaces" + _where(data, at)  # as long as a key PyYAML refuses
    if b"\t" in data and (tab := _SEPARATING_TAB.search(data)):
        return "a tab that indents, separates or ends a value" + _where(data, tab.start())
    if b"\\" in data and (escape := _DOUBTFUL_ESCAPE.search(data)):
        return "an escape that rapidyaml reads otherwise" + _where(data, escape.start())
    if not data.endswith((b"\n", b"\r")) and _ends_in_block_scalar(data):
        # PyYAML ends a clipped or kept block scalar at the end of the file without a line
        # break; rapidyaml adds one.
        return "a block scalar in a file with no final line break"
    end = _DOCUMENT_END.search(data) if b"..." in data else None
    after = data[end.end() :].splitlines() if end else []
    if end and any(line.strip() and not line.lstrip().startswith(b"#") for line in after):
        # PyYAML refuses what follows
        return "a document end marker before the end" + _where(data, end.start())
    for mark in b"|>":
        for at in _occurrences(data, bytes([mark])):
            if _at_node_start(data, at) and not _BLOCK_HEADER_REST.match(data, at + 1):
                return "a block scalar header PyYAML refuses" + _where(data, at)
    for mark in b"!&*":  # memchr finds each mark far faster than a regular expression
        for at in _occurrences(data, bytes([mark])):
            if _at_node_start(data, at) and not _inside_text(data, data.rfind(b"\n", 0, at) + 1):
                return "a tag, anchor or alias" + _where(data, at)
    return None


def _at_node_start(data: bytes, at: int) -> bool:
    """Say whether a node may start at `at`: after an indicator or a line start, and blanks."""
    before = at - 1
    while before >= 0 and data[before] in b" \t":
        before -= 1
    return before < 0 or data[before] in _NODE_START_BEFORE


# What may follow `|` or `>` on a block scalar's header line, as PyYAML reads it.
_BLOCK_HEADER_REST = re.compile(rb"(?:[-+][1-9]?|[1-9][-+]?)?[ \t]*(?:#[^\n]*)?\r?(?:\n|\Z)")


# A line's structure: indentation, `- ` and `? ` indicators, then a key and its value.
_LINE = re.compile(
    rb"( *)((?:[-?] +)*)(?:([^\s#'\"\[{][^:#\n]*?|\"[^\"\n]*\"|'[^'\n]*'):(?: +|$))?(.*)"
)
_BLOCK_HEADER = re.compile(rb"[|>][-+1-9]*[ \t]*(?:#.*)?")
_HEADER_TOKEN = re.compile(rb"[|>][-+0-9]*")


def _ends_in_block_header(line: bytes) -> bool:
    """Say whether a line ends in a block scalar's header (`key: |-`, a comment after it)."""
    words = line.split(b" #", 1)[0].split()  # split, not a search: linear on any line
    return bool(words) and _HEADER_TOKEN.fullmatch(words[-1]) is not None


MAX_WALK = 200  # lines _opening_line looks up


def _opening_line(data: bytes, start: int) -> tuple[bytes, int] | None:
    """Return the nearest earlier line indented less than the line at `start` (the one a
    scalar spanning that line would start on), and the indentation of the line after it."""
    this = data[start : data.find(b"\n", start) % (len(data) + 1)]
    indent = len(this) - len(this.lstrip(b" "))
    first = indent
    end = start - 1
    # Every mark on a long block scalar's lines walks up to its header: a bound keeps that
    # linear; past it the answer is None, a doubt, and PyYAML reads the file.
    for _ in range(MAX_WALK):
        if end <= 0:
            break
        begin = data.rfind(b"\n", 0, end) + 1
        line = data[begin:end].rstrip(b"\r")
        end = begin - 1
        body = line.lstrip(b" ")
        if body and len(line) - len(body) < indent:
            return line, first
        if body:
            first = len(line) - len(body)  # a line of the same scalar or block
    return None


def _inside_text(data: bytes, start: int) -> bool:
    """Say whether the line at `start` is surely inside a scalar begun on an earlier line.

    Such a line (a block scalar's content, the continuation of plain or quoted text) holds
    text only, so a `*`, `&` or `!` on it is prose. Anything else, or any doubt, says no.
    """
    this = data[start : data.find(b"\n", start) % (len(data) + 1)].rstrip(b"\r")
    indent = len(this) - len(this.lstrip(b" "))
    opening = _opening_line(data, start)
    parts = _LINE.fullmatch(opening[0]) if opening else None
    if opening is None or parts is None or opening[0].lstrip(b" ").startswith(b"#"):
        return False
    lead, dashes, _key, rest = parts.groups()
    column = len(lead) + len(dashes)  # where the key, or the entry's node, starts
    if indent <= column or not rest:
        return False  # a sibling or a child node starts on the opening line, not text
    if _BLOCK_HEADER.fullmatch(rest):
        # Content lines sit at the indentation of the first; an explicit one is PyYAML's.
        return indent >= opening[1] and not any(c in b"123456789" for c in rest[:3])
    quote = rest[:1]
    if quote == b'"':
        opened = rest.replace(b"\\\\", b"").replace(b'\\"', b"").count(b'"') % 2 == 1
        return opened and b'"' not in this.replace(b'\\"', b"")
    if quote == b"'":
        return rest.count(b"'") % 2 == 1 and b"'" not in this  # '' inside stays even
    if quote in b"[{!&*#|>":
        return False  # a flow collection, a node property, a comment
    return not any(b" #" in s or b": " in s or s.endswith(b":") for s in (rest, this))


def _ends_in_block_scalar(data: bytes, most_lines: int = 10_000) -> bool:
    """Say whether the file's last line may belong to a block scalar (`key: |`)."""
    text = data.rstrip()
    end = len(text)
    least = None  # the least indentation from the last line up to here
    for _ in range(most_lines):
        begin = text.rfind(b"\n", 0, end) + 1
        line = text[begin:end].rstrip(b"\r")
        body = line.lstrip(b" ")
        indent = len(line) - len(body)
        if body and (least is None or indent < least):
            # Every line below this one is indented more: if it opens a block scalar, the
            # last line is part of it.
            if _ends_in_block_header(line):
                return True
            least = indent
            if indent == 0:
                return False
        if begin == 0:
            return False
        end = begin - 1
    return True  # too far to tell: say maybe


def _occurrences(data: bytes, word: bytes) -> Iterator[int]:
    at = data.find(word)
    while at != -1:
        yield at
        at = data.find(word, at + 1)


# rapidyaml's tree takes about 150 bytes a node: this keeps a load under about 1.4 GB. A
# hand-written file needs one node for every 30 bytes or so (100,000 events: 1.7 million).
MAX_NODES = 7_000_000
_ENDS_A_SCALAR = b",]}:\n"


def most_nodes(data: bytes) -> int:
    """Return an upper bound of the YAML nodes in the bytes, without parsing them.

    A scalar ends before a comma, a closing bracket, a colon or a line end (or at the end
    of the file), and every collection holds a scalar or is a flow collection, which ends
    with a bracket: so there are at most twice as many nodes as those bytes, plus two.
    Any node takes at least a byte, so only files larger than the limit need counting.
    """
    # `- - - x` and `? ? x` open a collection at each indicator, with one line end for all.
    nested = data.count(b"- ") + data.count(b"? ")
    return 2 * (len(data) - len(data.translate(None, _ENDS_A_SCALAR))) + nested + 2
