"""One selection: a file seen through a FilterState, as the page and every export see it.

A `View` is the state with the dataset: the events it keeps, their lanes of the chosen
kind and where each sits, and its filters in words. The page's tabs and the exporters
take the same object (the page's `page.selection.Selection` is a View that also carries
the loaded file's shared parts).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
import pandas as pd
from babel.lists import format_list

from .dates import PartialDate
from .filters import Index, catalog_for, filter_mask
from .frame import Dataset
from .i18n import DEFAULT_LANG, Translator, translator
from .lanes import LANE_WORDS, ORDER_WORDS, LaneLayout, Membership, key_name
from .query import Decoded, parse_query, read_query
from .state import KNOWN_KINDS, Catalog, FilterState
from .viewstate import PARAMS, RANGES, Param, is_filtered, is_set


@dataclass(frozen=True)
class View:
    """The events of a file that a FilterState keeps, with the lanes the dashboard gives them."""

    data: Dataset
    state: FilterState
    index: Index
    mask: np.ndarray
    notices: tuple[str, ...] = ()  # what the link that asked for it had dropped

    @classmethod
    def of(
        cls, data: Dataset, state: FilterState, index: Index | None = None, notices: tuple = ()
    ) -> View:
        """Filter a file by a state, indexing it first unless an index is given."""
        index = index or Index.build(data.events, data.people)
        return cls(data, state, index, filter_mask(data.events, state, index), tuple(notices))

    @cached_property
    def catalog(self) -> Catalog:
        """Return the values a link may name in this file (its kinds fix the colours)."""
        return catalog_for(self.data, self.index)

    @cached_property
    def shown(self) -> pd.DataFrame:
        """Return the events the filters keep, in date order."""
        return self.data.events[self.mask]

    @property
    def membership(self) -> Membership:
        """Return the lanes of the kind the viewer chose."""
        return self.index.of(self.state.lanes)

    @cached_property
    def layout(self) -> LaneLayout:
        """Return the lanes of the kept events, in the state's order, and where each sits."""
        return self.membership.layout(self.mask, self.data.people, self.state.order)

    def groups(self) -> list[str]:
        """Return each kept event's lane: its first, as the file lists its leaders (or states)."""
        lanes = self.layout.lanes
        return [lanes[place[0]].label for place in self.layout.places]

    @property
    def filtered(self) -> bool:
        """Say whether the view leaves events out: any lane, kind, date or search chosen."""
        return is_filtered(self.state)

    @property
    def link_state(self) -> FilterState:
        """Return the state a link to this view opens: the chart's tab, not the publishing one."""
        return replace(self.state, view="timeline") if self.state.view == "publish" else self.state

    @property
    def words(self) -> str:
        """Return the filters as a sentence for readers (filters_in_words)."""
        return filters_in_words(self)


def read_view(
    data: Dataset, query: str, index: Index | None = None, max_fields: int | None = None
) -> tuple[View, list[str]]:
    """Return the view a query string asks for, and a notice for each value it drops."""
    index = index or Index.build(data.events, data.people)
    decoded: Decoded = read_query(parse_query(query, max_fields), catalog_for(data, index))
    return View.of(data, decoded.state, index, tuple(decoded.notices)), decoded.notices


def _names(items: list[str], match: str, t: Translator, *, say_match: bool = True) -> str:
    """Return chosen names as a list in a sentence, 'A, B or C', by CLDR's list patterns."""
    if len(items) == 1:
        return items[0]
    if t.lang == DEFAULT_LANG:  # as the page has always written it, no comma before the last
        joined = ", ".join(items[:-1]) + (" and " if match == "all" else " or ") + items[-1]
    else:
        joined = format_list(items, "standard" if match == "all" else "or", t.locale)
    if not say_match:
        return joined
    if match == "all":
        return t.gettext("{names} (all of them)", names=joined)
    return t.gettext("{names} (any of them)", names=joined)


def _labelled(word: str, n: int, value: str, t: Translator) -> str:
    """Return 'leaders: A or B': the parameter's word, in the form for n values, and them."""
    forms = {
        "leader": lambda: t.ngettext("leader: {value}", "leaders: {value}", n, value=value),
        "state": lambda: t.ngettext("state: {value}", "states: {value}", n, value=value),
        "tag": lambda: t.ngettext("tag: {value}", "tags: {value}", n, value=value),
        "kind": lambda: t.ngettext("kind: {value}", "kinds: {value}", n, value=value),
    }
    if word in forms:
        return forms[word]()
    return f"{word if n == 1 else word + 's'}: {value}"  # a parameter added without its words


def _in_words(p: Param, view: View, t: Translator) -> str:
    """Return one chosen parameter in words: 'leaders: A or B (any of them)', 'search: “x”'."""
    state, value = view.state, getattr(view.state, p.field)
    if p.codec == "text":
        return t.gettext("search: “{value}”", value=t.isolate(value))
    if p.lane is None:  # a kind matches any of those chosen, whatever `match` says
        # The file's own words isolated, so that they keep their order on a right-to-left page.
        kinds = [t.gettext(k) if k in KNOWN_KINDS else t.isolate(k) for k in value]
        return _labelled(p.words, len(value), _names(kinds, "any", t, say_match=False), t)
    names = [t.isolate(key_name(p.lane, view.data.people, key)) for key in value]
    return _labelled(p.words, len(value), _names(names, state.match, t), t)


def _range_words(key: str, state: FilterState, t: Translator) -> str:
    """Return a range in words: 'from 1 July 2022 to 19 July 2022', 'up to 30 June 2022'."""
    start, end = RANGES[key]
    first, last = getattr(state, start.field), getattr(state, end.field)
    if first and last:
        return t.gettext("from {first} to {last}", first=_day(first, t), last=_day(last, t))
    if first:
        return t.gettext("from {first}", first=_day(first, t))
    return t.gettext("up to {last}", last=_day(last, t))


def _day(day: dt.date, t: Translator) -> str:
    return t.date(PartialDate(day, "day"))


def _lower(word: str, t: Translator) -> str:
    """Return a word in lower case as its language writes it (Turkish: I to ı, İ to i)."""
    if t.lang == "tr":
        word = word.replace("I", "ı").replace("İ", "i")
    return word.lower()


def filters_in_words(view: View, t: Translator | None = None) -> str:
    """Return the filters of a view as a sentence for readers ('Leaders: ...; from 1 July 2022').

    In English unless a translator `t` is given (the exports give the view's language's).
    """
    t = t or translator(DEFAULT_LANG)
    state = view.state
    parts = []
    for p in PARAMS:
        if p.rule is None or not is_set(state, p):
            continue
        if p.codec == "day":  # a range in words, once, at its first chosen end
            if p is RANGES[p.widget][0] or not is_set(state, RANGES[p.widget][0]):
                parts.append(_range_words(p.widget, state, t))
        else:
            parts.append(_in_words(p, view, t))
    lanes = t.gettext(
        "Lanes: {lanes}, {order}.",
        lanes=_lower(t.gettext(LANE_WORDS[state.lanes]), t),
        order=_lower(t.gettext(ORDER_WORDS[state.order]), t),
    )
    if not parts:
        return t.gettext("Every event of the file, no filter. {lanes}", lanes=lanes)
    # TRANSLATORS: what separates two filters in the sentence: "; " (Persian and Arabic: "؛ ").
    joined = t.gettext("; ").join(parts)
    # A date may end the filters with its own full stop ("2022 г."): the sentence's is that one.
    return t.gettext("Filters: {filters}. {lanes}", filters=joined.removesuffix("."), lanes=lanes)
