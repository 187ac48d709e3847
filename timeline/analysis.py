"""Who met whom and the tempo of a relationship, computed from the filtered events."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .lanes import Lane, Membership
from .schema import Person
from .state import MONTHS_IN, UNITS, LaneOrder, Unit, check_choice

_FINENESS = {"day": 0, "month": 1, "year": 2}
_UNIT_FINENESS: dict[Unit, float] = {"M": 1, "Q": 1.5, "Y": 2}  # a month fits a quarter


@dataclass(frozen=True)
class Meetings:
    """How many events each pair of lanes shares (the diagonal: each lane's own events)."""

    lanes: list[Lane]
    counts: np.ndarray  # counts[i, j]: events on both lanes[i] and lanes[j]
    examples: dict[tuple[int, int], list[str]]  # a few event titles per pair, by date

    @property
    def keys(self) -> list[str | None]:
        """Return the lanes' keys, in the matrix's order."""
        return [lane.key for lane in self.lanes]


def meetings(
    frame: pd.DataFrame,
    membership: Membership,
    mask: np.ndarray,
    people: Mapping[str, Person],
    order: LaneOrder = "first",
    examples: int = 5,
) -> Meetings:
    """Count the events the mask keeps that every pair of lanes shares."""
    lanes = [lane for lane in membership.lanes(mask, people, order) if lane.key is not None]
    at = {lane.key: i for i, lane in enumerate(lanes)}
    rows, codes = membership.pairs(mask)
    pairs = pd.DataFrame({"row": rows, "a": [at[membership.keys[c]] for c in codes.tolist()]})
    joined = pairs.merge(pairs.rename(columns={"a": "b"}), on="row")
    counts = np.zeros((len(lanes), len(lanes)), dtype=np.int64)
    found: dict[tuple[int, int], list[str]] = {}
    if len(joined):
        np.add.at(counts, (joined["a"].to_numpy(), joined["b"].to_numpy()), 1)
        firsts = joined.sort_values("row", kind="stable").groupby(["a", "b"]).head(examples)
        titles = frame["title"].to_numpy()
        for a, b, row in zip(firsts["a"], firsts["b"], firsts["row"], strict=True):
            found.setdefault((int(a), int(b)), []).append(str(titles[row]))
    return Meetings(lanes, counts, found)


def choose_unit(first: pd.Timestamp, last: pd.Timestamp) -> Unit:
    """Choose months, quarters or years so that a date range gives at most about 150 bins."""
    years = (last - first).days / 365.25
    return "M" if years <= 12 else "Q" if years <= 36 else "Y"


@dataclass(frozen=True)
class Tempo:
    """Events per period and kind, and the events too vague for the chosen period."""

    unit: Unit
    counts: pd.DataFrame  # period (first day), kind, events
    vague: pd.DataFrame  # start, last, precision, events: known only to a longer period


def tempo(frame: pd.DataFrame, unit: Unit | None = None) -> Tempo:
    """Count events per month, quarter or year; a year-only date never lands in a month."""
    if unit is None:
        unit = "M" if frame.empty else choose_unit(frame["start"].min(), frame["last"].max())
    check_choice("unit", unit, UNITS)
    step = MONTHS_IN[unit]
    fine = frame["precision"].map(_FINENESS).astype(float).to_numpy() <= _UNIT_FINENESS[unit]
    kept = frame[fine]
    months = kept["start"].to_numpy().astype("datetime64[M]").astype(np.int64)
    first = (months - months % step).astype("datetime64[M]").astype("datetime64[s]")
    counts = (
        pd.DataFrame({"period": first, "kind": kept["kind"].to_numpy()})
        .groupby(["period", "kind"], sort=True)
        .size()
        .rename("events")
        .reset_index()
    )
    vague = (
        frame[~fine]
        .groupby(["start", "last", "precision"], observed=True)
        .size()
        .rename("events")
        .reset_index()
    )
    return Tempo(unit, counts, vague)
