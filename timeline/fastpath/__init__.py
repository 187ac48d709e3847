"""The fast way in for large files: rapidyaml, JSON and Arrow, with column-wise checks.

It only ever says "this file is valid, here is its Dataset" or why it is not sure; then
the caller takes the careful path (PyYAML), which is the reference and locates every
problem. The fast path is a checked translation: rapidyaml is trusted for the shape of
the tree and the text of each scalar, nothing more. Typing is done here, as the careful
path does it (every scalar is the text typed); values that the two readers could read
otherwise are looked for in the output; and forms where their grammars part ways are
looked for in the bytes before parsing (`_lexical_doubt`). The field checks are read
from the JSON Schema of the same pydantic models the careful path validates with.

The package, by concern, in the order a file meets them:

- guard.py    the bytes before parsing: forms rapidyaml and PyYAML read apart, a node bound
- tree.py     rapidyaml: the tree, its top-level members, each written as JSON
- scalars.py  every scalar as the text typed: which JSON values PyYAML reads otherwise
- columns.py  the events' JSON to one Arrow array (bare values quoted as typed)
- checks.py   the schema's rules on the columns, and the rules across fields that the
              careful path applies too (timeline/crosscheck.py)
- reader.py   read_fast, the steps in order
"""

from .guard import MAX_NODES
from .reader import read_fast
from .tree import ryml

__all__ = ["MAX_NODES", "read_fast", "ryml"]
