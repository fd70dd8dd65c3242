"""Complementary suppression of a unit cost split into parts per resource.

An activity's unit cost is the sum of its resources' parts (standard minutes × cost per
minute). When a resource's costs are hidden (a staff group under the limit, see
:func:`~toolkit.measures.suppression.staff_cost_pattern`) and it is the only hidden part of an
activity whose total and other parts are shown, the hidden part is the total minus the shown
parts. :func:`split_pattern` hides, per activity row, the smallest other shown non-zero part
too, or, when there is none, the activity's total (:func:`~toolkit.measures.suppression.complementary`
on one sum per row). :func:`shown_unit_costs` applies the pattern to a table of activity rows, so
that every report that shows an activity's unit cost (the unit-cost report, the KPI report's full
cost per case) hides the same ones.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from toolkit.measures.common import TOTAL
from toolkit.measures.suppression import Cell, Constraint, complementary

#: The columns that make an activity row of a split: a unit's activity in one kind of centre.
SPLIT_ROW = ("unit_id", "activity_id", "centre_kind")

#: The columns of an activity row that tell its unit cost (its volume does not: it is shown anyway).
UNIT_COST_COLUMNS = ("unit_cost", "cost", "used_cost")


@dataclass(frozen=True)
class SplitPattern:
    """What a split table hides: ``parts`` as (row key..., resource id) and the rows' ``totals``."""

    parts: frozenset[tuple[str, ...]] = frozenset()
    totals: frozenset[tuple[str, ...]] = frozenset()

    def part_mask(
        self, split: pd.DataFrame, row: Sequence[str] = SPLIT_ROW, part: str = "resource_id"
    ) -> pd.Series:
        """True for the rows of ``split`` (one per activity row and resource) that are hidden."""
        keys = _keys(split, [*row, part])
        return pd.Series([k in self.parts for k in keys], index=split.index, dtype=bool)

    def total_mask(self, rows: pd.DataFrame, row: Sequence[str] = SPLIT_ROW) -> pd.Series:
        """True for the activity rows of ``rows`` whose total is hidden."""
        keys = _keys(rows, row)
        return pd.Series([k in self.totals for k in keys], index=rows.index, dtype=bool)


def _keys(frame: pd.DataFrame, columns: Sequence[str]) -> list[tuple[str, ...]]:
    """The rows of ``frame`` as tuples of strings of ``columns``."""
    return [tuple(str(v) for v in vals) for vals in zip(*(frame[c] for c in columns), strict=True)]


def split_pattern(
    split: pd.DataFrame,
    hidden: Collection[str],
    *,
    row: Sequence[str] = SPLIT_ROW,
    part: str = "resource_id",
    value: str = "unit_cost",
) -> SplitPattern:
    """The parts and totals of ``split`` to hide so that no hidden part follows by subtraction.

    ``split`` has one row per activity row (``row``) and resource (``part``) with its ``value``;
    an activity row's total is the sum of its parts. The parts of the resources in ``hidden``
    are primary where they are non-zero (a zero part tells nothing); then, per activity row,
    :func:`~toolkit.measures.suppression.complementary` hides the smallest other shown non-zero
    part, or the total when no such part is left, until no hidden part is determined.
    """
    wanted = {str(h) for h in hidden}
    out_parts: set[tuple[str, ...]] = set()
    out_totals: set[tuple[str, ...]] = set()
    if split.empty or not wanted:
        return SplitPattern()
    frame = split.assign(_key=_keys(split, row), _part=split[part].astype(str))
    for key, rows in frame.groupby("_key", sort=True):
        label = "\x1f".join(key)
        values: dict[Cell, float] = {
            (label, p): float(v) for p, v in zip(rows["_part"], rows[value], strict=True)
        }
        primary = {c for c in values if c[1] in wanted and values[c] != 0}
        if not primary:
            continue
        cells = tuple(values)
        values[(label, TOTAL)] = float(rows[value].sum())
        hidden_cells = complementary(values, [Constraint((label, TOTAL), cells)], primary)
        for _, p in hidden_cells:
            if p == TOTAL:
                out_totals.add(tuple(key))
            else:
                out_parts.add((*key, p))
    return SplitPattern(frozenset(out_parts), frozenset(out_totals))


def mask_where(df: pd.DataFrame, hide: pd.Series, columns: Sequence[str]) -> pd.DataFrame:
    """A copy of ``df`` whose rows where ``hide`` is true lose ``columns``; ``suppressed`` says which.

    A ``suppressed`` column already there (from :func:`~toolkit.measures.suppression.mask_rows`)
    keeps its rows: the two masks add up.
    """
    out = df.copy()
    mask = hide.reindex(out.index, fill_value=False).to_numpy(dtype=bool)
    cols = [c for c in columns if c in out]
    out[cols] = out[cols].astype("float64")
    out.loc[mask, cols] = np.nan
    before = out["suppressed"].to_numpy(dtype=bool) if "suppressed" in out else np.zeros(len(out), dtype=bool)
    out["suppressed"] = before | mask
    return out


def shown_unit_costs(
    acts: pd.DataFrame,
    pattern: SplitPattern,
    *,
    row: Sequence[str] = SPLIT_ROW,
    columns: Sequence[str] = UNIT_COST_COLUMNS,
) -> pd.DataFrame:
    """A copy of ``acts`` (one row per activity row) with the unit costs ``pattern`` hides masked.

    The rows whose total :func:`split_pattern` hides (an activity whose only shown figure beside
    a hidden resource part would be its unit cost) lose ``columns`` (unit cost, cost, used cost:
    any of them and the shown volume give the unit cost); ``suppressed`` says which. The one
    function the unit-cost report and the KPI report's full cost per case use.
    """
    return mask_where(acts, pattern.total_mask(acts, row), columns)
