"""Time-driven activity-based costing: capacity, cost per minute and unit cost per activity.

A centre's cost (less the costs assigned directly to contacts) is loaded onto its resources;
each resource gets a capacity cost rate (kr. per minute of practical capacity); an activity
costs Σ rate × standard minutes; what the activities do not use is unused capacity (Kaplan &
Anderson 2004). Amounts stay in integer øre and add up exactly (:mod:`.money`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from toolkit.core.definitions import Definition, define
from toolkit.core.errors import DataValidationError
from toolkit.measures.costing.allocation import FINAL, INTERMEDIATE
from toolkit.measures.costing.money import ORE_PER_KR, round_to_total

OVERHEAD_LOADING = Definition(
    "uc_overhead_loading",
    "Omkostning pr. ressource",
    "Cost per resource",
    "Et steds omkostninger (egne plus modtagne, minus det, der er henført direkte til kontakter) "
    "lægges på stedets ressourcer i forhold til ressourcernes egne omkostninger (løn, husleje, "
    "afskrivning).",
    "A centre's costs (own plus received, less what is assigned directly to contacts) are loaded "
    "onto its resources in proportion to the resources' own costs (salaries, rent, depreciation).",
)
PRACTICAL_CAPACITY = Definition(
    "uc_practical_capacity",
    "Praktisk kapacitet",
    "Practical capacity",
    "Den del af den betalte tid, der realistisk kan bruges på patienter: teoretiske minutter × "
    "praktisk andel (typisk 80 % for personale og 85 % for udstyr og lokaler; parameter).",
    "The share of paid time that can realistically be used for patients: theoretical minutes × "
    "practical share (typically 80% for staff, 85% for equipment and rooms; a parameter).",
)
CAPACITY_RATE = Definition(
    "uc_capacity_rate",
    "Kapacitetsomkostning pr. minut",
    "Capacity cost rate",
    "Ressourcens omkostning / praktisk kapacitet i minutter.",
    "The resource's cost / its practical capacity in minutes.",
)
UNIT_COST = Definition(
    "uc_unit_cost",
    "Enhedsomkostning pr. aktivitet",
    "Unit cost per activity",
    "Σ over ressourcer af kapacitetsomkostning pr. minut × normtid i minutter for én enhed af "
    "aktiviteten (et besøg, en operation, en sengedag).",
    "Σ over resources of capacity cost rate × standard minutes for one unit of the activity "
    "(a visit, an operation, a bed-day).",
)
USED_UNUSED = Definition(
    "uc_used_unused",
    "Brugt og ubrugt kapacitet",
    "Used and unused capacity",
    "Brugt kapacitet = Σ aktivitet × normtid (minutter) og × kapacitetsomkostning pr. minut (kr.). "
    "Ubrugt kapacitet = praktisk kapacitet − brugt, i minutter og kr. Negativ ubrugt kapacitet "
    "betyder, at ressourcen er brugt ud over sin praktiske kapacitet.",
    "Used capacity = Σ volume × standard minutes (minutes) and × capacity cost rate (kr.). Unused "
    "capacity = practical capacity − used, in minutes and kr. Negative unused capacity means the "
    "resource was used beyond its practical capacity.",
)


@define(PRACTICAL_CAPACITY)
def resource_capacity(
    resources: pd.DataFrame,
    *,
    default_share: Mapping[str, float],
    override: float | None = None,
    override_units: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Cost weight and practical capacity per resource over the period's months.

    Parameters
    ----------
    resources
        Rows of the ``resources`` table for the period.
    default_share
        Practical share by resource kind (used where the row has none).
    override
        A practical share that replaces every other for the resources of ``override_units``
        (all when None): the sensitivity analysis and the interactive slider.

    Returns
    -------
    pandas.DataFrame
        One row per resource: ``resource_id``, ``unit_id``, ``cost_centre_id``, ``name``,
        ``kind``, ``cost`` (kr.), ``theoretical_minutes``, ``practical_minutes`` and the
        effective ``practical_share``.
    """
    r = resources.copy()
    share = r["practical_share"].astype("float64")
    share = share.fillna(r["kind"].map(dict(default_share)).astype("float64"))
    if override is not None:
        hit = (
            r["unit_id"].isin(override_units)
            if override_units is not None
            else pd.Series(True, index=r.index)
        )
        share = share.where(~hit, float(override))
    r["practical"] = r["theoretical_minutes"] * share
    last = r.sort_values("period", kind="stable").groupby("resource_id", sort=False).last()
    out = r.groupby("resource_id", sort=False).agg(
        cost=("cost", "sum"),
        theoretical_minutes=("theoretical_minutes", "sum"),
        practical_minutes=("practical", "sum"),
    )
    out = last[["unit_id", "cost_centre_id", "name", "kind"]].join(out).reset_index()
    out["practical_share"] = np.divide(
        out["practical_minutes"],
        out["theoretical_minutes"],
        out=np.full(len(out), np.nan),
        where=out["theoretical_minutes"].to_numpy() > 0,
    )
    return out


def resource_usage(volume: pd.DataFrame, standard_minutes: pd.DataFrame) -> pd.DataFrame:
    """Minutes used per resource and activity: volume × standard minutes.

    Returns one row per (``unit_id``, ``activity_id``, ``resource_id``) with the period's
    ``volume``, the standard ``minutes`` and ``used_minutes``. Activities with standard minutes
    but no volume use nothing.
    """
    vol = volume.groupby(["unit_id", "activity_id"], as_index=False)["actual"].sum()
    vol = vol.rename(columns={"actual": "volume"})
    use = standard_minutes.merge(vol, on=["unit_id", "activity_id"], how="left")
    use["volume"] = use["volume"].fillna(0.0)
    use["used_minutes"] = use["volume"] * use["minutes"]
    return use[["unit_id", "activity_id", "resource_id", "volume", "minutes", "used_minutes"]]


def pass_on_shares(capacity: pd.DataFrame, usage: pd.DataFrame, centres: pd.DataFrame) -> dict[str, float]:
    """Per intermediate centre with resources: the share of its pool it passes on.

    The pool is spread over the resources by their cost; each resource passes on used /
    practical minutes of its share. So the share = Σ cost weight × used / practical.
    """
    kinds = dict(zip(centres["cost_centre_id"], centres["kind"], strict=True))
    used = usage.groupby("resource_id")["used_minutes"].sum()
    cap = capacity[capacity["cost_centre_id"].map(kinds) == INTERMEDIATE].copy()
    if cap.empty:
        return {}
    cap["used"] = cap["resource_id"].map(used).fillna(0.0)
    bad = cap[(cap["practical_minutes"] <= 0) & (cap["used"] > 0)]
    if len(bad):
        raise DataValidationError(
            [f"resources: {r} has activity but no practical capacity (0 minutes)" for r in bad["resource_id"]]
        )
    ratio = np.divide(
        cap["used"], cap["practical_minutes"], out=np.zeros(len(cap)), where=cap["practical_minutes"] > 0
    )
    cap["weighted"] = cap["cost"] * ratio
    g = cap.groupby("cost_centre_id")[["weighted", "cost"]].sum()
    return {str(c): float(row["weighted"] / row["cost"]) for c, row in g.iterrows() if row["cost"] > 0}


@dataclass(frozen=True)
class TimeDriven:
    """Time-driven ABC of the cost centres in scope (amounts int64 øre, unit costs in kr.).

    Attributes
    ----------
    resources
        Per resource: capacity ``capacity_cost``, ``practical_minutes``, ``used_minutes``,
        ``unused_minutes``, ``rate`` (kr. per minute), ``used_cost``, ``unused_cost``,
        ``utilisation`` (used / practical).
    activities
        Per (``unit_id``, ``activity_id``, ``centre_kind``): ``volume``, ``unit_cost`` (kr.),
        ``used_cost``.
    split
        Per (``unit_id``, ``activity_id``, ``resource_id``): ``minutes`` per unit, ``unit_cost``
        (kr.) and ``used_cost``.
    """

    resources: pd.DataFrame
    activities: pd.DataFrame
    split: pd.DataFrame


@define(OVERHEAD_LOADING, CAPACITY_RATE, UNIT_COST, USED_UNUSED)
def time_driven(
    capacity: pd.DataFrame,
    usage: pd.DataFrame,
    centre_cost: Mapping[str, int],
    unused_target: Mapping[str, int],
) -> TimeDriven:
    """Capacity cost rates, unit costs per activity and used/unused capacity.

    Parameters
    ----------
    capacity
        :func:`resource_capacity` rows of the centres to cost.
    usage
        :func:`resource_usage` rows.
    centre_cost
        Per centre: the cost to load onto its resources (øre): for a final centre its total less
        the directly assigned costs, for an intermediate one its pool.
    unused_target
        Per intermediate centre: the unused capacity it retained in the allocation (øre), so
        that the capacity view and the allocation agree to the øre.

    Raises
    ------
    DataValidationError
        For a centre with costs but resources without cost to load them by, or a resource with
        activity but no practical capacity.
    """
    cap = capacity[capacity["cost_centre_id"].isin(list(centre_cost))].reset_index(drop=True).copy()
    problems = []
    centre_codes, centre_index = pd.factorize(cap["cost_centre_id"])
    weights = cap.groupby("cost_centre_id", sort=False)["cost"].sum()
    for c, total in centre_cost.items():
        if total != 0 and (c not in weights.index or weights[c] <= 0):
            problems.append(
                f"resources: cost centre {c} has costs ({total / ORE_PER_KR:,.2f} kr.) but no resources with "
                "a cost to load them onto"
            )
    used = usage.groupby("resource_id")["used_minutes"].sum()
    cap["used_minutes"] = cap["resource_id"].map(used).fillna(0.0)
    no_capacity = cap[(cap["practical_minutes"] <= 0) & (cap["used_minutes"] > 0)]
    problems += [
        f"resources: {r} has activity but no practical capacity (0 minutes)"
        for r in no_capacity["resource_id"]
    ]
    if problems:
        raise DataValidationError(problems)
    totals = np.array([int(centre_cost[c]) for c in centre_index], dtype=np.int64)
    w_sum = cap.groupby(centre_codes)["cost"].transform("sum").to_numpy()
    exact = totals[centre_codes] * np.divide(
        cap["cost"].to_numpy(), w_sum, out=np.zeros(len(cap)), where=w_sum > 0
    )
    cap["capacity_cost"] = round_to_total(exact, totals, centre_codes)
    capacity_cost = cap["capacity_cost"].to_numpy(dtype=np.int64)
    prac = cap["practical_minutes"].to_numpy()
    minutes = cap["used_minutes"].to_numpy()
    rate_ore = np.divide(capacity_cost, prac, out=np.zeros(len(cap)), where=prac > 0)
    unused_exact = capacity_cost - rate_ore * minutes
    # A resource no activity uses keeps its whole cost as unused capacity; the others share the
    # centre's unused total (the allocation's retained amount for a service centre).
    idle = minutes == 0
    targets = np.zeros(len(centre_index), dtype=np.int64)
    for k, c in enumerate(centre_index):
        in_c = centre_codes == k
        fixed = int(capacity_cost[in_c & idle].sum())
        total_unused = (
            int(unused_target[c]) if c in unused_target else fixed + round(unused_exact[in_c & ~idle].sum())
        )
        targets[k] = total_unused - fixed
    unused = capacity_cost.copy()
    busy = np.flatnonzero(~idle)
    unused[busy] = round_to_total(unused_exact[busy], targets, centre_codes[busy])
    cap["unused_cost"] = unused
    cap["used_cost"] = capacity_cost - unused
    cap["rate"] = rate_ore / ORE_PER_KR
    cap["unused_minutes"] = prac - minutes
    cap["utilisation"] = np.divide(minutes, prac, out=np.full(len(cap), np.nan), where=prac > 0)
    # Used cost per activity: each resource's used cost split by its minutes per activity.
    cols = ["resource_id", "cost_centre_id", "rate", "used_cost"] + (
        ["centre_kind"] if "centre_kind" in cap else []
    )
    sp = usage[usage["resource_id"].isin(cap["resource_id"]) & (usage["used_minutes"] > 0)].merge(
        cap[cols], on="resource_id"
    )
    if "centre_kind" not in sp:
        sp["centre_kind"] = FINAL
    res_codes, res_index = pd.factorize(sp["resource_id"])
    res_used = cap.set_index("resource_id").loc[res_index, "used_cost"].to_numpy(dtype=np.int64)
    sp["used_cost"] = round_to_total(sp["rate"] * ORE_PER_KR * sp["used_minutes"], res_used, res_codes)
    sp["unit_cost"] = sp["rate"] * sp["minutes"]
    acts = sp.groupby(["unit_id", "activity_id", "centre_kind"], as_index=False).agg(
        volume=("volume", "first"), unit_cost=("unit_cost", "sum"), used_cost=("used_cost", "sum")
    )
    split = sp[
        [
            "unit_id",
            "activity_id",
            "resource_id",
            "cost_centre_id",
            "centre_kind",
            "minutes",
            "unit_cost",
            "used_cost",
        ]
    ]
    return TimeDriven(cap, acts, split.reset_index(drop=True))
