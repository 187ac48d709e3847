"""The fast path's one way to say "let the careful path decide", with why when it can."""


class Unsure(Exception):
    """A file the fast path cannot vouch for; its text, if any, says why."""
