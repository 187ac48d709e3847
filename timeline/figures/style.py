"""What every figure shares: kind colours and symbols, the hover box, lane labels."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..lanes import Lane
from ..state import KNOWN_KINDS, ordered_kinds
from ..text import plotly_escape

# Okabe–Ito: told apart by readers with the common colour-vision deficiencies, and legible
# on Streamlit's light and dark backgrounds (its black is replaced by a grey).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#999999"]
SYMBOLS = ["circle", "diamond", "square", "triangle-up", "star", "hexagon", "pentagon", "cross"]
HOVER_WIDTH = 60
# Light text on a dark box reads in both themes; Streamlit's grey on white was 3.7:1.
HOVER_LABEL = {
    "align": "left",
    "bgcolor": "#262730",
    "bordercolor": "#808495",
    "font": {"size": 13, "color": "#FAFAFA"},
}
# A legend click would hide a kind behind the filters' back (the count and the URL would not
# change): the kinds are chosen in the sidebar, and the legend only explains.
LEGEND = {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "title": None,
          "itemclick": False, "itemdoubleclick": False}  # fmt: skip
# No toolbar: it covered the legend on a phone and put a dozen tab stops before the events.
CONFIG = {"displaylogo": False, "displayModeBar": False}


@dataclass(frozen=True)
class KindStyle:
    """How one kind of event is drawn."""

    colour: str
    symbol: str


def kind_styles(kinds: Iterable[str]) -> dict[str, KindStyle]:
    """Give each kind a colour and a marker symbol; the usual kinds always get the same."""
    styles: dict[str, KindStyle] = {}
    for kind in ordered_kinds(kinds):
        i = KNOWN_KINDS.index(kind) if kind in KNOWN_KINDS else len(styles)
        styles[kind] = KindStyle(PALETTE[i % len(PALETTE)], SYMBOLS[i % len(SYMBOLS)])
    return styles


def lane_tick(lane: Lane) -> str:
    """Return the escaped label of a lane: the name, and its detail (a country) below it."""
    # Two lines keep the label column narrow, which matters on a phone.
    name = plotly_escape(lane.name)
    return f"{name}<br>({plotly_escape(lane.detail)})" if lane.detail else name
