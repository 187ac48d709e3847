"""read_fast: the four steps in order, each a module of this package, and why it declined."""

from __future__ import annotations

import mmap
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import pyarrow as pa
from pydantic import ValidationError

from ..frame import Dataset, build_frame
from .checks import Head, check_dates, check_events, check_head, check_stories, schema
from .columns import read_events
from .doubt import Unsure
from .guard import lexical_doubt
from .tree import events_json, parse, ryml, small_members, top_level

# What a file the fast path cannot vouch for may raise on the way; its reason is the message.
_DECLINED = (ValidationError, ValueError, TypeError, KeyError, OverflowError, pa.ArrowException)


def _read_head(data: bytes) -> tuple[Head, mmap.mmap]:
    """Parse the bytes; return the checked head and the events written as JSON."""
    tree = parse(data)
    spec = schema()
    nodes = top_level(tree)
    if not set(nodes) <= set(spec["properties"]) or not set(spec["required"]) <= set(nodes):
        raise Unsure
    head = check_head(small_members(tree, nodes), spec)
    return head, events_json(tree, nodes["events"])  # the tree, as large as the file, goes


def _read_events(document: mmap.mmap, head: Head) -> pd.DataFrame:
    """Return the frame of the events' JSON, checked as the careful path would check them."""
    array = read_events(document)
    known = {"people": list(head.people), "sources": list(head.sources)}
    # The checks run in Arrow, which lets go of the GIL: on the other core, while this
    # one builds the frame.
    with ThreadPoolExecutor(max_workers=1) as pool:
        checked = pool.submit(check_events, array, schema(), known, head.lang)
        try:
            frame = build_frame(array)  # an impossible date fails here
        finally:
            # The checks' reason comes first: a frame of events that lack fields fails
            # with whatever numpy says about the holes.
            checked.result()
    check_dates(frame)
    check_stories(head, array)
    return frame


def read_fast(text: str | bytes) -> Dataset | str:
    """Return the Dataset of a valid file, or why the careful path must decide instead.

    rapidyaml parses in C++ and writes the events as JSON, which Arrow reads in C++ into
    typed columns: no Python object is made per event. Every scalar is typed as the text
    written, as the careful path reads it. Arrow's reader refuses a value it cannot take as
    text, an unknown key and a duplicate key, so each of those, like any error or doubt,
    sends the file to the careful path.
    """
    data = (text.encode("utf-8") if isinstance(text, str) else text).removeprefix(b"\xef\xbb\xbf")
    if ryml is None:
        return "rapidyaml is not installed"
    doubt = lexical_doubt(data)
    if doubt is not None:
        return doubt
    try:
        head, document = _read_head(data)
        frame = _read_events(document, head)
    except Unsure as err:
        return str(err) or "a value or shape the fast checks do not take"
    except _DECLINED as err:
        return f"{type(err).__name__}: {str(err)[:200]}"
    except Exception as err:  # rapidyaml's own parse errors
        if type(err).__module__.startswith("ryml"):
            return f"rapidyaml: {str(err)[:200]}"
        raise
    return Dataset(
        title=head.title,
        description=head.description,
        people=head.people,
        sources=head.sources,
        events=frame,
        periods=head.periods,
        stories=head.stories,
        lang=head.lang,
        translations=head.translations,
    )
