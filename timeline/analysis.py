"""Who met whom and the tempo of a relationship, computed from the filtered events."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .schema import Person

UNITS = {"M": ("month", 1), "Q": ("quarter", 3), "Y": ("year", 12)}
_FINENESS = {"day": 0, "month": 1, "year": 2}
_UNIT_FINENESS = {"M": 1, "Q": 1.5, "Y": 2}  # a month fits a quarter; a year fits neither


@dataclass(frozen=True)
class Meetings:
    """How many events each pair of leaders took part in together (the diagonal: alone or not)."""

    leaders: list[str]
    counts: np.ndarray  # counts[i, j]: events with both leaders[i] and leaders[j]
    examples: dict[tuple[str, str], list[str]]  # a few event titles per pair, by date


def meetings(frame: pd.DataFrame, people: Mapping[str, Person], examples: int = 5) -> Meetings:
    """Count the events shared by every pair of leaders among these events."""
    pairs = frame[["title", "leaders"]].explode("leaders").dropna(subset=["leaders"])
    pairs = pairs.rename(columns={"leaders": "a"}).reset_index(names="row")
    joined = pairs.merge(pairs[["row", "a"]].rename(columns={"a": "b"}), on="row")
    present = set(pairs["a"])
    order = [p for p in people if p in present] + sorted(present - set(people))
    at = {p: i for i, p in enumerate(order)}
    counts = np.zeros((len(order), len(order)), dtype=np.int64)
    if len(joined):
        unique = joined.drop_duplicates(["row", "a", "b"])  # a leader named twice counts once
        np.add.at(counts, (unique["a"].map(at).to_numpy(), unique["b"].map(at).to_numpy()), 1)
        firsts = unique.sort_values("row").groupby(["a", "b"], sort=False).head(examples)
        found = firsts.groupby(["a", "b"], sort=False)["title"].agg(list).to_dict()
    else:
        found = {}
    return Meetings(order, counts, {(a, b): list(t) for (a, b), t in found.items()})


def tempo_unit(frame: pd.DataFrame) -> str:
    """Choose months, quarters or years so that a date range gives at most about 150 bars."""
    if frame.empty:
        return "M"
    years = (frame["last"].max() - frame["start"].min()).days / 365.25
    return "M" if years <= 12 else "Q" if years <= 36 else "Y"


@dataclass(frozen=True)
class Tempo:
    """Events per period and kind, and the events too vague for the chosen period."""

    unit: str
    counts: pd.DataFrame  # period (first day), kind, events
    vague: pd.DataFrame  # start, last, precision, events: known only to a longer period


def tempo(frame: pd.DataFrame, unit: str | None = None) -> Tempo:
    """Count events per month, quarter or year; a year-only date never lands in a month."""
    unit = unit or tempo_unit(frame)
    step = UNITS[unit][1]
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
