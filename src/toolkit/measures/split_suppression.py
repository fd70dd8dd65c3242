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
cost per case) hides the same ones. A DRG group's cost is Σ quantity × unit cost over its contacts'
activities: :func:`shown_drg` hides the groups' costs (:func:`hidden_drg_groups`) from which a
hidden unit cost would follow, and the spread of cost per contact of every group that used one.
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

#: The row key of a shown sum of activity rows' totals (see ``sums`` of :func:`split_pattern`).
SUM = "\x1fsum"


def split_pattern(
    split: pd.DataFrame,
    hidden: Collection[str],
    *,
    row: Sequence[str] = SPLIT_ROW,
    part: str = "resource_id",
    value: str = "unit_cost",
    columns: bool = True,
    sums: Collection[Collection[tuple[str, ...]]] = (),
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

    ``sums`` are shown sums of activity rows' totals in kr., each given as the row keys it sums:
    the reconciliation's "activities" line of every report's scope (the used cost of its final
    centres). One row hidden alone in such a sum would be the sum minus the shown rows' costs,
    so a second row's total in the sum is hidden too. The sums are never hidden. (They weigh
    each row's unit cost by its volume: since the volumes are shown, a row's unit cost and its
    cost in kr. are determined alike, so a sum counts as a sum of the rows' totals. A row of
    zero volume adds nothing to a sum in kr. and hides nothing in it: leave it out.)
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
    seen: set[frozenset[str]] = set()
    for n, rows_of_sum in enumerate(sums):
        labels = frozenset("\x1f".join(str(v) for v in k) for k in rows_of_sum) & set(keys)
        if not labels or labels in seen:
            continue
        seen.add(labels)
        cell = (SUM, str(n))
        members = tuple((label, TOTAL) for label in sorted(labels))
        values[cell] = sum(values[c] for c in members)
        constraints.append(Constraint(cell, members))
        fixed.add(cell)
    if columns:
        for p, rows in frame.groupby("_part", sort=True):
            parts: tuple[Cell, ...] = tuple((str(label), str(p)) for label in rows["_label"])
            column = (COLUMN, str(p))
            values[column] = sum(values[c] for c in parts)
            constraints.append(Constraint(column, parts))
            (primary if p in wanted else fixed).add(column)
    for label, p in complementary(values, constraints, primary, fixed):
        if label in (COLUMN, SUM):
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


# ------------------------------------------------------------- DRG groups and contacts

#: The columns of a DRG group's row that tell its cost (its n, name and tariff do not).
DRG_COST_COLUMNS = ("total", "mean", "median", "q1", "q3", "p05", "p95", "index", "gap")

#: The columns of a DRG group's row that are single contacts' costs (the spread of cost per contact).
DRG_SPREAD_COLUMNS = ("median", "q1", "q3", "p05", "p95")


def determined_columns(quantities: np.ndarray) -> np.ndarray:
    """Which unknowns the equations ``quantities @ x = known`` fix exactly (one bool per column).

    Row ``g`` is a shown group's cost: the quantities of the hidden activities its contacts
    used, whose unit costs ``x`` are unknown (everything else in the group's cost is known to
    an attacker who knows what the contacts had). Unknown ``j`` is determined when every vector
    of the null space of ``quantities`` is zero at ``j`` (the unit vector ``e_j`` lies in the
    row space), e.g. a row with one non-zero quantity, or two groups mixing two hidden
    activities in different proportions.
    """
    a = np.asarray(quantities, dtype="float64")
    if a.ndim != 2 or a.shape[0] == 0 or a.shape[1] == 0:
        return np.zeros(a.shape[1] if a.ndim == 2 else 0, dtype=bool)
    scale = np.abs(a).max(axis=1, keepdims=True)
    a = a / np.where(scale > 0, scale, 1.0)  # rows of a few and of thousands of contacts alike
    _, s, vt = np.linalg.svd(a)
    rank = int((s > 1e-9 * max(1.0, float(s.max(initial=0.0)))).sum())
    null = vt[rank:]
    if null.shape[0] == 0:
        return np.ones(a.shape[1], dtype=bool)
    return ~(np.abs(null).max(axis=0) > 1e-9)


def _uses(components: pd.DataFrame, pairs: Collection[tuple[str, str]]) -> np.ndarray:
    """True for the rows of ``components`` with a quantity of one of the (unit, activity) ``pairs``."""
    keys = zip(components["unit_id"].astype(str), components["activity_id"].astype(str), strict=True)
    hit = np.array([k in pairs for k in keys], dtype=bool)
    return hit & (components["quantity"].to_numpy(dtype="float64") > 0)


def hidden_drg_groups(
    components: pd.DataFrame,
    hidden: Collection[tuple[str, str]],
    *,
    group: str = "drg_group",
) -> frozenset[str]:
    """The DRG groups whose cost to hide so that no hidden unit cost follows from the shown ones.

    ``components`` has one row per group, ``unit_id`` and ``activity_id`` with the ``quantity``
    the group's contacts used (:class:`~toolkit.measures.costing.contacts.ContactCosts`
    ``components``); ``hidden`` are the (unit, activity) pairs whose unit cost the report hides
    (:func:`split_pattern`'s totals). A group's cost is Σ quantity × unit cost over its
    activities plus its direct costs; to someone who knows what the group's contacts had, a
    shown group's cost minus the shown unit costs times their quantities is Σ quantity × hidden
    unit cost: with one hidden activity in the group (a telephone group whose contacts had only
    telephone consultations) that is the hidden unit cost times a known quantity, and two
    groups with the same two hidden activities in different proportions give both. Groups are
    hidden, each time the one after which the fewest hidden unit costs stay determined (ties:
    the group that sorts first), until :func:`determined_columns` finds none; then a hidden
    group is shown again where that determines nothing. A group with no hidden activity is
    never hidden.
    """
    wanted = {(str(u), str(a)) for u, a in hidden}
    if components.empty or not wanted:
        return frozenset()
    part = components[_uses(components, wanted)]
    if part.empty:
        return frozenset()
    part = part.assign(
        _group=part[group].astype(str),
        _pair=[f"{u}\x1f{a}" for u, a in zip(part["unit_id"], part["activity_id"], strict=True)],
    )
    q = part.pivot_table(index="_group", columns="_pair", values="quantity", aggfunc="sum", fill_value=0.0)
    q = q.sort_index()

    def exposed(shown: Collection[str]) -> np.ndarray:
        return determined_columns(q.loc[sorted(shown)].to_numpy()) if shown else np.zeros(q.shape[1], bool)

    shown = set(q.index)
    out: list[str] = []
    while (det := exposed(shown)).any():
        cols = q.columns[det]
        candidates = sorted(g for g in shown if (q.loc[g, cols] > 0).any())
        pick = min(candidates, key=lambda g: (int(exposed(shown - {g}).sum()), g))
        shown.discard(pick)
        out.append(pick)
    for g in reversed(list(out)):
        if not exposed(shown | {g}).any():
            shown.add(g)
            out.remove(g)
    return frozenset(out)


def shown_drg(
    summary: pd.DataFrame,
    components: pd.DataFrame,
    hidden: Collection[tuple[str, str]],
    *,
    group: str = "drg_group",
) -> pd.DataFrame:
    """A copy of ``summary`` (one row per DRG group) with what would give a hidden unit cost masked.

    The groups of :func:`hidden_drg_groups` lose every cost figure (:data:`DRG_COST_COLUMNS`:
    total, mean, spread, index, gap against the tariff); a shown group whose contacts used a
    hidden activity loses its spread (:data:`DRG_SPREAD_COLUMNS`: each is one contact's cost,
    whose own activities may be one hidden activity alone). Its n, name and tariff stay;
    ``suppressed`` says which rows lost something, ``cost_hidden`` which lost their cost.
    """
    wanted = {(str(u), str(a)) for u, a in hidden}
    groups = hidden_drg_groups(components, wanted, group=group)
    used = components[_uses(components, wanted)]
    touched = set(used[group].astype(str))
    names = summary[group].astype(str)
    out = mask_where(summary, names.isin(touched), DRG_SPREAD_COLUMNS)
    out = mask_where(out, names.isin(groups), DRG_COST_COLUMNS)
    out["cost_hidden"] = names.isin(groups).to_numpy()
    return out
