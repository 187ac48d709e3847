"""Every scalar as the text typed: which of rapidyaml's JSON values PyYAML reads otherwise."""

from __future__ import annotations

import re
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from .doubt import Unsure

# Every scalar is text to the careful path, as typed. rapidyaml's JSON writes most plain
# scalars as strings of exactly that text, but some otherwise, and those are typed here:
# - a plain scalar that reads as a JSON number or boolean is written bare (`2023`, `1.10`,
#   `true`); quote_bare_values makes it the string it was typed as, except where
#   rapidyaml may have rewritten it (`.5` becomes `0.5`, `1.` becomes `1.0`, `+1` stays
#   invalid JSON), which stays bare and so sends the file to the careful path;
# - YAML 1.1 nulls (~, Null, NULL) are nothing to PyYAML and the text "~" to rapidyaml, and
#   `nan` or `inf` come out as ".nan" or ".inf": an output value that one of these words
#   could have produced is ambiguous, and so is `<<`, a merge key to PyYAML;
# - PyYAML refuses a plain scalar that starts with @ or ` (reserved), with ] or } (flow
#   indicators), with % (a directive's mark), or in a flow collection with : or ?, all of
#   which rapidyaml takes as text; an output value starting with one of them is
#   ambiguous (it may have been quoted).
# Ambiguous values send the file to the careful path, which reads them as the text typed.
_AMBIGUOUS_WORDS = ("~", "Null", "NULL", ".nan", ".inf", "-.inf", "+.inf", ".NaN", "<<")
_AMBIGUOUS = pa.array(_AMBIGUOUS_WORDS)
_AMBIGUOUS_START = "^[@`\\]}%:?]"
_MAY_BE_REWRITTEN = re.compile(r"[-+]?0\..*|.*\.0(?:[eE].*)?")
# A JSON number rapidyaml writes exactly as it was typed (no leading `0.`, no `.0` before
# the exponent or the end, both of which it may have added), or a JSON boolean.
BARE = (
    rb"(?:-?(?:[1-9][0-9]*|0(?![.0-9]))(?:\.(?!0(?![0-9]))[0-9]+)?(?:[eE][-+]?[0-9]+)?|true|false)"
)


def as_text(token: str) -> str:
    if _MAY_BE_REWRITTEN.fullmatch(token):
        raise Unsure(f"{token}, a number rapidyaml may have rewritten")
    return token


def typed_as_text(value: Any) -> Any:
    """Return parsed JSON with booleans as the words typed; Unsure on an ambiguous value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        if value in _AMBIGUOUS_WORDS or re.match(_AMBIGUOUS_START, value):
            raise Unsure(f"{value[:20]!r}, a value PyYAML may read otherwise")
        return value
    if isinstance(value, dict):
        return {k: typed_as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [typed_as_text(v) for v in value]
    return value


def any_ambiguous(leaf: pa.Array) -> bool:
    """Say whether any value of a string column may have been read otherwise by PyYAML."""
    short = pc.filter(leaf, pc.less_equal(pc.binary_length(leaf), 6))  # lengths are free
    if len(short) and pc.any(pc.is_in(short, value_set=_AMBIGUOUS)).as_py():
        return True
    first = pc.utf8_slice_codeunits(pc.drop_null(leaf), 0, 1)
    return bool(pc.any(pc.is_in(first, value_set=_FIRST_AMBIGUOUS)).as_py())


_FIRST_AMBIGUOUS = pa.array(["@", "`", "]", "}", "%", ":", "?"])
