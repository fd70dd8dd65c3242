"""The core tables of a centre or the hospital: its departments' tables put together.

A centre's figures are computed from the rows of the departments below it, never from the
departments' ratios: sums are summed and every ratio is recomputed from its summed parts
(so a centre's sick-leave % is its departments' sick hours over their possible hours, not the
mean of their percentages). The one measure that is not additive row by row is the salary
allocation of the direct cost per case (each department spreads its own salary by its own
hours): :func:`cost_per_case_by_unit` allocates per department and adds up.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace

import pandas as pd

from toolkit.data.hierarchy import descendants
from toolkit.data.sources import DataSource
from toolkit.measures import inputs
from toolkit.measures.common import ratio
from toolkit.measures.economy import CostAllocation, cost_per_case
from toolkit.measures.inputs import KPIInput
from toolkit.measures.ratios import unit_key_ratios

#: The tables of :class:`KPIInput` that hold one unit's rows (``unit_id`` column).
UNIT_TABLES = ("volume", "hours", "hr", "finance", "goals", "explanations")


def load_units(
    source: DataSource, unit_id: str, departments: Sequence[str], period: str, history_months: int
) -> KPIInput:
    """The tables of ``departments`` read one by one and combined as the tables of ``unit_id``."""
    parts = [inputs.load(source, d, period, history_months) for d in departments]
    return combine(parts, unit_id)


def combine(parts: Sequence[KPIInput], unit_id: str) -> KPIInput:
    """Several units' tables as one: rows stacked, ``employee_id`` made unique per unit.

    An employee registered in two departments is two persons of the centre (each department
    counts them); the key becomes ``<unit_id>:<employee_id>`` so that the person-based
    measures see distinct employees per department.
    """
    if not parts:
        raise ValueError(f"{unit_id} has no departments with data")
    tables: dict[str, pd.DataFrame | None] = {}
    for name in UNIT_TABLES:
        frames = [getattr(p, name) for p in parts if getattr(p, name) is not None]
        if not frames:
            tables[name] = None
            continue
        df = pd.concat(frames, ignore_index=True)
        if "employee_id" in df:
            df = df.assign(employee_id=df["unit_id"].astype(str) + ":" + df["employee_id"].astype(str))
        tables[name] = df
    first = parts[0]
    return KPIInput(
        unit_id=unit_id,
        period=first.period,
        activities=first.activities,
        volume=_table(tables, "volume"),
        hours=_table(tables, "hours"),
        hr=_table(tables, "hr"),
        finance=_table(tables, "finance"),
        goals=_table(tables, "goals"),
        explanations=tables["explanations"],
    )


def _table(tables: dict[str, pd.DataFrame | None], name: str) -> pd.DataFrame:
    df = tables[name]
    assert df is not None, name  # every department has these tables (possibly empty)
    return df


def subset(inp: KPIInput, units: Sequence[str], unit_id: str) -> KPIInput:
    """The rows of ``units`` only, as the tables of ``unit_id`` (a centre within the hospital)."""
    keep = set(units)

    def rows(df: pd.DataFrame) -> pd.DataFrame:
        return df[df["unit_id"].isin(keep)].reset_index(drop=True)

    return replace(
        inp,
        unit_id=unit_id,
        volume=rows(inp.volume),
        hours=rows(inp.hours),
        hr=rows(inp.hr),
        finance=rows(inp.finance),
        goals=rows(inp.goals),
        explanations=None if inp.explanations is None else rows(inp.explanations),
    )


def cost_per_case_by_unit(inp: KPIInput, periods: Sequence[str]) -> CostAllocation:
    """:func:`~toolkit.measures.economy.cost_per_case` per unit, added up over the units.

    With one unit this is that unit's allocation unchanged. With several, the direct costs,
    salaries, costs, hours and volumes are summed per activity and month, and the cost per
    case is recomputed as summed cost / summed volume; the unallocated amounts are summed
    per month and reason. The totals equal the sum of the units' totals.
    """
    units = sorted(set(inp.finance["unit_id"]) | set(inp.hours["unit_id"]) | set(inp.volume["unit_id"]))
    if len(units) <= 1:
        return cost_per_case(inp.finance, inp.hours, inp.volume, inp.activities, periods)
    allocs = [
        cost_per_case(
            inp.finance[inp.finance["unit_id"] == u],
            inp.hours[inp.hours["unit_id"] == u],
            inp.volume[inp.volume["unit_id"] == u],
            inp.activities,
            periods,
        )
        for u in units
    ]
    rows = pd.concat([a.by_activity for a in allocs], ignore_index=True)
    keys = ["period", "activity_id", "name", "kind"]
    summed = rows.groupby(keys, as_index=False, dropna=False)[
        ["direct", "salary", "cost", "hours", "volume"]
    ].sum(min_count=1)
    summed[["direct", "salary", "cost", "hours"]] = summed[["direct", "salary", "cost", "hours"]].fillna(0.0)
    core = summed["kind"] == "core"
    summed["cost_per_case"] = ratio(summed["cost"], summed["volume"].fillna(0.0)).where(core)
    by_activity = summed.sort_values(["activity_id", "period"]).reset_index(drop=True)
    loose = pd.concat([a.unallocated for a in allocs], ignore_index=True)
    unallocated = loose.groupby(["period", "reason"], as_index=False)["amount"].sum()
    return CostAllocation(by_activity, unallocated.sort_values("period").reset_index(drop=True))


def shown_key_ratios(
    inp: KPIInput,
    *,
    min_group_size: int = 5,
    green: float = 1.0,
    amber: float = 0.9,
    hidden_totals: Collection[str] = (),
) -> dict[str, object]:
    """The key ratios of ``inp.unit_id`` as every comparison table shows them (one rule for all).

    :func:`~toolkit.measures.ratios.unit_key_ratios` with its person-based ratios (sick leave,
    overtime) hidden when the unit is in ``hidden_totals``: the units whose total the unit
    tree's suppression pattern hides (:func:`toolkit.measures.suppression.hidden_totals`), so
    that a unit's figure does not follow from its parent's and its siblings'. A parent's table
    of the units below (:func:`key_ratios_below`) and a department's comparison with its
    siblings both call this, so a sibling never shows what its parent's report hides.
    """
    return unit_key_ratios(
        inp, min_group_size=min_group_size, green=green, amber=amber, hidden=inp.unit_id in hidden_totals
    )


def key_ratios_below(
    inp: KPIInput,
    units: pd.DataFrame,
    *,
    min_group_size: int = 5,
    green: float = 1.0,
    amber: float = 0.9,
    hidden_totals: Collection[str] = (),
) -> pd.DataFrame:
    """The key ratios of each unit directly below ``inp.unit_id`` and of the unit itself (last row).

    Each child's figures come from its own departments' rows in ``inp`` (a centre below the
    hospital is its departments together); ``own`` marks the unit's own row. The same
    suppression applies to every row (:func:`shown_key_ratios`); a unit in ``hidden_totals``
    (whose total the unit tree's suppression pattern hides,
    :func:`toolkit.measures.suppression.group_pattern`) has its person-based ratios hidden too,
    as in its own report and in its siblings' comparison.
    """
    children = sorted(units.loc[units["parent_id"] == inp.unit_id, "unit_id"])
    names = dict(zip(units["unit_id"], units["name"], strict=True))
    rows = []
    for child in children:
        below = descendants(units, child)
        part = subset(inp, below, child)
        if part.volume.empty and part.hr.empty and part.finance.empty:
            continue
        ratios = shown_key_ratios(
            part, min_group_size=min_group_size, green=green, amber=amber, hidden_totals=hidden_totals
        )
        rows.append({**ratios, "own": False})
    own = shown_key_ratios(
        inp, min_group_size=min_group_size, green=green, amber=amber, hidden_totals=hidden_totals
    )
    rows.append({**own, "own": True})
    out = pd.DataFrame(rows)
    out["name"] = out["unit_id"].map(names)
    return out
