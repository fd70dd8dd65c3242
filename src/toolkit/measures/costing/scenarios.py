"""One costing of the scope, its reconciliation to the ledger, and the sensitivity analysis.

:func:`evaluate` runs the chain for one method and practical share: allocation
(:mod:`.allocation`), directly assigned costs, time-driven costing (:mod:`.tdabc`).
:func:`reconcile` checks it against the ledger to the øre; :func:`sensitivity` runs it again
under the other methods, step-down orders and practical shares.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from toolkit.core.definitions import Definition, define
from toolkit.core.errors import DataValidationError
from toolkit.measures.costing.allocation import (
    EXTERNAL,
    FINAL,
    INTERMEDIATE,
    Allocation,
    allocate,
    build_cost_system,
    step_down_order,
)
from toolkit.measures.costing.contacts import ContactCosts, direct_costs
from toolkit.measures.costing.inputs import CostingInput, Settings
from toolkit.measures.costing.money import ORE_PER_KR, split_total, to_ore
from toolkit.measures.costing.tdabc import (
    TimeDriven,
    pass_on_shares,
    resource_capacity,
    resource_usage,
    time_driven,
)

RECONCILIATION = Definition(
    "uc_reconciliation",
    "Afstemning til regnskabet",
    "Reconciliation to the ledger",
    "For hele sygehuset: bogførte omkostninger = aktiviteter (brugt kapacitet) + direkte henført "
    "til kontakter + ubrugt kapacitet + eksterne steder, på øret, i hver metode. For en afdeling: "
    "egne omkostninger + modtaget fra mellemliggende steder = aktiviteter + direkte henført + "
    "ubrugt kapacitet + videregivet til andre steder.",
    "For the whole hospital: ledger total = activities (used capacity) + assigned directly to "
    "contacts + unused capacity + external centres, to the øre, in every method. For a department: "
    "own costs + received from intermediate centres = activities + directly assigned + unused "
    "capacity + passed on to other centres.",
)
SENSITIVITY = Definition(
    "uc_sensitivity",
    "Følsomhed",
    "Sensitivity",
    "Enhedsomkostningerne regnet igen med de andre fordelingsmetoder (og omvendt rækkefølge i den "
    "trinvise fordeling) og med andre praktiske kapacitetsandele for periodens ressourcer; "
    "ændringen i procent af den valgte beregning.",
    "Unit costs computed again with the other allocation methods (and the reversed step-down "
    "order) and with other practical-capacity shares for the period's resources; the change in per "
    "cent of the chosen computation.",
)


@dataclass(frozen=True)
class Costing:
    """One costing variant: the allocation and the time-driven ABC of the scope."""

    method: str
    allocation: Allocation
    time_driven: TimeDriven
    direct: dict[str, int]  # directly assigned costs per final centre in scope (øre)
    capacity: pd.DataFrame
    usage: pd.DataFrame


def centre_direct_costs(inp: CostingInput, allocation: Allocation) -> dict[str, int]:
    """Directly assigned contact costs per final centre of the scope (øre).

    A unit's contacts' direct costs come out of its final centres in proportion to their cost.
    """
    if inp.contacts.empty:
        return {}
    per_unit = (
        pd.Series(direct_costs(inp.contacts), index=inp.contacts.index).groupby(inp.contacts["unit_id"]).sum()
    )
    table = allocation.centres
    out: dict[str, int] = {}
    problems = []
    for unit, amount in per_unit.items():
        if amount == 0:
            continue
        finals = table[(table["unit_id"] == unit) & (table["kind"] == FINAL)]
        if finals.empty or finals["total"].sum() <= 0:
            problems.append(
                f"contacts: unit {unit} has directly assigned costs but no final cost centre with costs"
            )
            continue
        parts = split_total(int(amount), finals["total"].to_numpy(dtype="float64"))
        for c, part, total in zip(finals["cost_centre_id"], parts, finals["total"], strict=True):
            if part > total:
                problems.append(
                    f"contacts: the directly assigned costs of unit {unit} ({amount / ORE_PER_KR:,.2f} kr.) exceed "
                    f"the costs of its cost centre {c}"
                )
            out[str(c)] = int(part)
    if problems:
        raise DataValidationError(problems)
    return out


def evaluate(
    inp: CostingInput,
    settings: Settings,
    *,
    method: str | None = None,
    order: Sequence[str] | None = None,
    share: float | None = None,
) -> Costing:
    """Allocate and cost the scope's activities under one method and practical share.

    ``share`` (sensitivity, slider) replaces the practical share of the scope's resources.
    """
    method = method or settings.method
    order = tuple(settings.step_order) if order is None else tuple(order)
    capacity = resource_capacity(
        inp.resources,
        default_share=settings.practical_share,
        override=share,
        override_units=list(inp.scope_units) if share is not None else None,
    )
    kinds = dict(zip(inp.centres["cost_centre_id"], inp.centres["kind"], strict=True))
    capacity["centre_kind"] = capacity["cost_centre_id"].map(kinds)
    usage = resource_usage(inp.volume, inp.standard_minutes)
    system = build_cost_system(inp.centres, inp.ledger, inp.drivers)
    shares = pass_on_shares(capacity, usage, inp.centres)
    allocation = allocate(system, method, order=order, pass_on=shares)
    direct = centre_direct_costs(inp, allocation)
    table = allocation.centres.set_index("cost_centre_id")
    scope = set(inp.scope_centres)
    with_resources = set(capacity["cost_centre_id"])
    centre_cost: dict[str, int] = {}
    unused_target: dict[str, int] = {}
    for c, row in table.iterrows():
        if row["kind"] == EXTERNAL:
            continue
        if row["kind"] == INTERMEDIATE:
            if c in with_resources and c in scope:
                centre_cost[str(c)] = int(row["total"])
                unused_target[str(c)] = int(row["retained"])
            continue
        if c in scope:
            rest = int(row["total"]) - direct.get(str(c), 0)
            if c not in with_resources and rest != 0:
                raise DataValidationError(
                    [
                        f"resources: final cost centre {c} has costs ({rest / ORE_PER_KR:,.2f} kr.) but no resources, "
                        "so they cannot reach activities; add its resources or make it an external centre"
                    ]
                )
            if c in with_resources:
                centre_cost[str(c)] = rest
    td = time_driven(capacity, usage, centre_cost, unused_target)
    return Costing(method, allocation, td, direct, capacity, usage)


@define(RECONCILIATION)
def reconcile(inp: CostingInput, costing: Costing, contacts: ContactCosts | None = None) -> pd.DataFrame:
    """The reconciliation of the report's scope to the ledger (øre); ``difference`` must be 0.

    Lines (``line``, ``amount``): ``own`` (ledger costs of the scope's centres), ``received``
    (from intermediate centres), ``total`` (own + received), ``passed_on`` (to other centres),
    ``external``, ``unused`` (capacity), ``direct`` (assigned to contacts), ``activities``
    (used capacity of final centres; of which ``matched`` to contacts and ``unmatched``) and
    ``difference`` = total − passed on − external − unused − direct − activities. For the whole
    hospital: ``ledger`` (all lines), ``hospital_allocated`` (final and external centres' costs
    + capacity retained by intermediate centres) and ``hospital_difference``.
    """
    alloc = costing.allocation.centres
    scope = alloc[alloc["cost_centre_id"].isin(inp.scope_centres)]
    td = costing.time_driven
    in_scope_res = td.resources["cost_centre_id"].isin(inp.scope_centres)
    own = int(scope["own"].sum())
    received = int(scope["received"].sum())
    passed = int(scope["passed_on"].sum())
    external = int(scope.loc[scope["kind"] == EXTERNAL, "total"].sum())
    unused_res = int(td.resources.loc[in_scope_res, "unused_cost"].sum())
    intermediate_retained = scope[(scope["kind"] == INTERMEDIATE)]
    no_res = ~intermediate_retained["cost_centre_id"].isin(td.resources["cost_centre_id"])
    unused = unused_res + int(intermediate_retained.loc[no_res, "retained"].sum())
    direct = sum(v for c, v in costing.direct.items() if c in set(inp.scope_centres))
    final_res = in_scope_res & (td.resources["centre_kind"] == FINAL)
    activities = int(td.resources.loc[final_res, "used_cost"].sum())
    matched = unmatched = 0
    if contacts is not None:
        finals = set(td.resources.loc[final_res, "resource_id"])
        fin_pairs = td.split[td.split["resource_id"].isin(finals)][
            ["unit_id", "activity_id"]
        ].drop_duplicates()
        m = contacts.matched.merge(fin_pairs, on=["unit_id", "activity_id"])
        matched = int(m["matched_cost"].sum())
        unmatched = activities - matched
    total = own + received
    ledger_total = int(to_ore(inp.ledger["amount"]).sum())
    hosp = costing.allocation.centres
    allocated = int(hosp.loc[hosp["kind"] != INTERMEDIATE, "total"].sum() + hosp["retained"].sum())
    lines = {
        "own": own,
        "received": received,
        "total": total,
        "passed_on": passed,
        "external": external,
        "unused": unused,
        "direct": direct,
        "activities": activities,
        "matched": matched,
        "unmatched": unmatched,
        "difference": total - passed - external - unused - direct - activities,
        "ledger": ledger_total,
        "hospital_allocated": allocated,
        "hospital_difference": ledger_total - allocated,
    }
    return pd.DataFrame({"line": list(lines), "amount": np.array(list(lines.values()), dtype=np.int64)})


def variants(settings: Settings, system_order: Sequence[str]) -> list[tuple[str, str, tuple[str, ...]]]:
    """The allocation variants of the sensitivity analysis: (key, method, step order)."""
    chosen = tuple(system_order)
    out = [("direct", "direct", ()), ("step_down", "step_down", chosen)]
    if len(chosen) > 1:
        out.append(("step_down_reversed", "step_down", tuple(reversed(chosen))))
    out.append(("reciprocal", "reciprocal", ()))
    return out


@define(SENSITIVITY)
def sensitivity(
    inp: CostingInput,
    settings: Settings,
    base: Costing,
    *,
    shares: Sequence[float],
    known: Mapping[str, Costing] | None = None,
) -> pd.DataFrame:
    """Unit costs of the scope's activities under other methods and practical shares.

    Returns
    -------
    pandas.DataFrame
        One row per (``variant``, ``unit_id``, ``activity_id``): ``kind`` (``method`` or
        ``share``), ``label`` value (method key or share), ``unit_cost`` (kr.), ``unused_cost``
        of the scope (øre) and ``change_pct`` against the base costing. Costings already made
        (``known``: method → costing with the settings' order) are reused.
    """
    order = (
        base.allocation.order
        if base.method == "step_down"
        else tuple(
            step_down_order(build_cost_system(inp.centres, inp.ledger, inp.drivers), settings.step_order)
        )
    )
    rows = []
    base_costs = _scope_unit_costs(inp, base)
    known = dict(known or {})
    known.setdefault(base.method, base)
    for key, method, o in variants(settings, order):
        same_order = method != "step_down" or tuple(o) == known.get("step_down", base).allocation.order
        c = (
            known[method]
            if (method in known and same_order)
            else evaluate(inp, settings, method=method, order=o)
        )
        rows.append(_scope_unit_costs(inp, c).assign(kind="method", variant=key))
    for s in shares:
        c = evaluate(inp, settings, share=float(s))
        rows.append(_scope_unit_costs(inp, c).assign(kind="share", variant=f"{float(s):.2f}"))
    out = pd.concat(rows, ignore_index=True)
    ref = base_costs.set_index(["unit_id", "activity_id"])["unit_cost"]
    key = pd.MultiIndex.from_frame(out[["unit_id", "activity_id"]])
    out["base_unit_cost"] = ref.reindex(key).to_numpy()
    out["change_pct"] = (out["unit_cost"] / out["base_unit_cost"] - 1) * 100
    return out


def _scope_unit_costs(inp: CostingInput, costing: Costing) -> pd.DataFrame:
    td = costing.time_driven
    in_scope = td.resources.loc[td.resources["cost_centre_id"].isin(inp.scope_centres), ["resource_id"]]
    sp = td.split.merge(in_scope, on="resource_id")
    acts = sp.groupby(["unit_id", "activity_id"], as_index=False).agg(unit_cost=("unit_cost", "sum"))
    unused = int(
        td.resources.loc[td.resources["cost_centre_id"].isin(inp.scope_centres), "unused_cost"].sum()
    )
    return acts.assign(unused_cost=unused)
