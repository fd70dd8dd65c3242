"""Complementary suppression of a unit cost split into parts per resource.

An activity's unit cost is the sum of its resources' parts (standard minutes × cost per
minute), and a resource's used cost (in the capacity tables) is the sum of its parts over the
activities. When a resource's costs are hidden (a staff group under the limit, see
:func:`~toolkit.measures.suppression.staff_cost_pattern`) and it is the only hidden part of an
activity whose total and other parts are shown, the hidden part is the total minus the shown
parts; a hidden part alone in its resource's column follows from the resource's used cost
likewise. :func:`split_pattern` hides other parts, or an activity's total, until neither sum
gives a hidden part away (:func:`~toolkit.measures.suppression.complementary` on the rows' and
the columns' sums). :func:`shown_unit_costs` applies the pattern to a table of activity rows, so
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


#: The row key of a resource's column total (its used cost in the capacity tables).
COLUMN = "\x1fcolumn"


def split_pattern(
    split: pd.DataFrame,
    hidden: Collection[str],
    *,
    row: Sequence[str] = SPLIT_ROW,
    part: str = "resource_id",
    value: str = "unit_cost",
    columns: bool = True,
) -> SplitPattern:
    """The parts and totals of ``split`` to hide so that no hidden part follows by subtraction.

    ``split`` has one row per activity row (``row``) and resource (``part``) with its ``value``;
    an activity row's total is the sum of its parts (the unit cost; in kr., the activity's cost
    in the unit-cost table). With ``columns``, a resource's parts over the activity rows sum to
    its column total too: its used cost (and used minutes × rate) in the capacity tables, which
    show every resource that is not hidden. The parts of the resources in ``hidden`` are primary
    where they are non-zero (a zero part tells nothing), and so are their column totals (their
    capacity rows are hidden); then :func:`~toolkit.measures.suppression.complementary` hides
    other parts, or an activity's total, until no hidden part is determined by the rows' and the
    columns' sums. A shown resource's column total is never hidden (its capacity row stays), so
    a room or an item of equipment hidden as a complement in one activity row gets a second
    hidden part in its column, or the row's total goes instead. (Row by row the used cost is the
    unit cost times the row's volume, which is shown: the same cells are determined in either.)
    """
    wanted = {str(h) for h in hidden}
    out_parts: set[tuple[str, ...]] = set()
    out_totals: set[tuple[str, ...]] = set()
    if split.empty or not wanted:
        return SplitPattern()
    frame = split.assign(_key=_keys(split, row), _part=split[part].astype(str))
    frame = frame.assign(_label=["\x1f".join(k) for k in frame["_key"]])
    values: dict[Cell, float] = {}
    constraints: list[Constraint] = []
    primary: set[Cell] = set()
    keys: dict[str, tuple[str, ...]] = {}
    for key, rows in frame.groupby("_key", sort=True):
        label = "\x1f".join(key)
        keys[label] = tuple(key)
        cells = []
        for p, v in zip(rows["_part"], rows[value], strict=True):
            cells.append((label, p))
            values[(label, p)] = float(v)
            if p in wanted and float(v) != 0:
                primary.add((label, p))
        values[(label, TOTAL)] = float(rows[value].sum())
        constraints.append(Constraint((label, TOTAL), tuple(cells)))
    if not primary:
        return SplitPattern()
    fixed: set[Cell] = set()
    if columns:
        for p, rows in frame.groupby("_part", sort=True):
            parts: tuple[Cell, ...] = tuple((str(label), str(p)) for label in rows["_label"])
            column = (COLUMN, str(p))
            values[column] = sum(values[c] for c in parts)
            constraints.append(Constraint(column, parts))
            (primary if p in wanted else fixed).add(column)
    for label, p in complementary(values, constraints, primary, fixed):
        if label == COLUMN:
            continue
        if p == TOTAL:
            out_totals.add(keys[label])
        else:
            out_parts.add((*keys[label], p))
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
