"""Text that goes inside an HTML <script> element, made unable to end it early."""

from __future__ import annotations

import json
from typing import Any

# In JSON these can only stand inside strings, where \uXXXX means the same character.
_JSON_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                 ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))  # fmt: skip


def safe_json_text(text: str) -> str:
    """Return JSON text with <, > and & (and line separators) as \\u escapes: same data."""
    for char, code in _JSON_ESCAPES:
        text = text.replace(char, code)
    return text


def script_json(value: Any, indent: int | None = None) -> str:
    """Return a value as JSON that is safe inside a <script>: `</script>` in data stays data."""
    return safe_json_text(json.dumps(value, ensure_ascii=False, indent=indent))


def inline_script(code: str) -> str:
    """Return JavaScript that cannot end its <script> element early nor start a comment."""
    return code.replace("</script", "<\\/script").replace("<!--", "<\\!--")
