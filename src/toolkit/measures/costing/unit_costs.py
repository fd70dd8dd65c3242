"""The full cost per case (unit cost per activity) of a scope: one figure for every report.

The unit-cost report and the KPI report both show :func:`activity_unit_costs` of the same
costing (:func:`full_cost_per_case` runs it for the KPI report), so the two reports cannot
disagree on it. The KPI report's direct cost per case (:mod:`toolkit.measures.economy`) is a
different concept under a different name.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any, Protocol

import pandas as pd

from toolkit.core.definitions import Definition, define
from toolkit.data.params import Params
from toolkit.data.sources import DataSource
from toolkit.measures.costing import inputs as costing_inputs
from toolkit.measures.costing.allocation import FINAL
from toolkit.measures.costing.inputs import CostingInput, Settings, units_below
from toolkit.measures.costing.money import ORE_PER_KR
from toolkit.measures.costing.scenarios import Costing, evaluate
from toolkit.measures.split_suppression import SPLIT_ROW, SplitPattern, shown_unit_costs, split_pattern
from toolkit.measures.suppression import read_hr, staff_cost_pattern

FULL_COST_PER_CASE = Definition(
    "full_cost_per_case",
    "Fuld omkostning pr. ydelse (enhedsomkostning)",
    "Full cost per case (unit cost)",
    "Enhedsomkostningen fra omkostningsfordelingen år til dato: alle omkostninger, også "
    "fællesomkostninger fordelt fra service- og støttefunktioner, lagt på ressourcerne og "
    "fordelt efter normtid (kapacitetsomkostning pr. minut × normtid for én ydelse). Samme tal "
    "som i rapporten Enhedsomkostninger. Højere end den direkte omkostning pr. ydelse, der kun "
    "rummer afdelingens egne, direkte bogførte omkostninger og løn fordelt efter timer.",
    "The unit cost from the cost allocation year to date: all costs, shared costs from service "
    "and support functions included, loaded onto the resources and spread by standard time "
    "(capacity cost rate per minute × standard minutes for one case). The same figure as in the "
    "Unit costs report. Higher than the direct cost per case, which holds only the unit's own "
    "directly booked costs and salary allocated by hours.",
)


class CostingChoices(Protocol):
    """The costing choices of the ``unit_cost`` parameter section (read by attribute)."""

    @property
    def method(self) -> str: ...
    @property
    def step_order(self) -> tuple[str, ...]: ...
    @property
    def practical_share(self) -> Mapping[Any, float]: ...
    @property
    def bed_day_activity(self) -> str: ...


def costing_settings(choices: CostingChoices | None) -> Settings:
    """The costing :class:`Settings` from the ``unit_cost`` parameters (defaults without them)."""
    if choices is None:
        return Settings()
    return Settings(
        method=choices.method,
        step_order=tuple(choices.step_order),
        practical_share={str(k): float(v) for k, v in choices.practical_share.items()},
        bed_day_activity=choices.bed_day_activity,
    )


@define(FULL_COST_PER_CASE)
def activity_unit_costs(costing: Costing, centres: Sequence[str]) -> pd.DataFrame:
    """Unit cost per activity of the cost centres ``centres`` (final and service centres).

    Returns
    -------
    DataFrame
        ``unit_id``, ``activity_id``, ``centre_kind``, ``unit_cost`` (kr. per case, summed over
        the resources), ``used_cost`` (øre), ``volume`` and ``cost`` (used cost in kr.), the
        largest used cost first.
    """
    td = costing.time_driven
    in_scope = td.resources.loc[td.resources["cost_centre_id"].isin(centres), "resource_id"]
    sp = td.split[td.split["resource_id"].isin(in_scope)]
    acts = sp.groupby(["unit_id", "activity_id", "centre_kind"], as_index=False).agg(
        unit_cost=("unit_cost", "sum"), used_cost=("used_cost", "sum")
    )
    vol = costing.usage.groupby(["unit_id", "activity_id"])["volume"].first()
    acts["volume"] = [
        float(vol.get((u, a), 0.0)) for u, a in zip(acts["unit_id"], acts["activity_id"], strict=True)
    ]
    acts["cost"] = acts["used_cost"] / ORE_PER_KR
    return acts.sort_values("used_cost", ascending=False, kind="stable").reset_index(drop=True)


def hidden_unit_costs(costing: Costing, inp: CostingInput, hidden_resources: Collection[str]) -> SplitPattern:
    """The split parts and activity totals to hide, given the ``hidden_resources``: one pattern a hospital.

    :func:`~toolkit.measures.split_suppression.split_pattern` on the time-driven split of every
    resource of the hospital of ``inp``: per activity row, the complements that keep a hidden
    resource's part from following from the activity's unit cost, and per unit of the hospital
    (department, centre, the hospital) a second hidden row in the used cost of its final centres
    (the unit-cost report's reconciliation line "activities") where one would follow from it.
    The pattern is the same whichever unit's report asks, so what a department's report hides
    its hospital's hides too, and no figure follows from the two reports together.
    """
    td = costing.time_driven
    split = td.split
    final = td.resources[td.resources["centre_kind"] == FINAL]
    costed = split[split["used_cost"] != 0]
    row = list(SPLIT_ROW)
    sums = []
    for unit in inp.units["unit_id"]:
        scope = set(units_below(inp.units, str(unit)))
        centres = inp.centres.loc[inp.centres["unit_id"].isin(scope), "cost_centre_id"]
        finals = final.loc[final["cost_centre_id"].isin(centres), "resource_id"]
        rows = costed.loc[costed["resource_id"].isin(finals), row].drop_duplicates()
        sums.append([tuple(str(v) for v in k) for k in rows.itertuples(index=False)])
    return split_pattern(split, hidden_resources, sums=sums)


def shown_activity_unit_costs(
    costing: Costing, inp: CostingInput, hidden_resources: Collection[str]
) -> pd.DataFrame:
    """:func:`activity_unit_costs` of the scope of ``inp`` as every report shows them: hidden rows masked.

    An activity row whose total :func:`hidden_unit_costs` hides has no ``unit_cost``, ``cost``
    or ``used_cost`` (:func:`~toolkit.measures.split_suppression.shown_unit_costs`);
    ``suppressed`` says which.
    """
    acts = activity_unit_costs(costing, inp.scope_centres)
    return shown_unit_costs(acts, hidden_unit_costs(costing, inp, hidden_resources))


def has_costing_tables(source: DataSource) -> bool:
    """True if ``source`` holds every table the costing needs (the ledger and the costing tables)."""
    return all(source.has(t) for t in costing_inputs.REQUIRED_TABLES)


def pooled_unit_costs(acts: pd.DataFrame, units: Collection[str]) -> pd.DataFrame:
    """The full cost per case of several units together: total full cost / total volume per activity.

    ``acts`` is :func:`activity_unit_costs` of a costing; only the rows of ``units`` with volume
    count. An activity's volume is counted once per unit (a unit that does it in two kinds of
    cost centre). Never an average of the units' unit costs: a unit with many cases weighs in
    with its cases.

    A row of ``acts`` that is ``suppressed`` (:func:`shown_activity_unit_costs`) hides the
    activity's pooled figure too: the pooled cost times the shown volume, minus the other units'
    shown costs, would give the hidden row away. So a pooled figure is shown only when every row
    it pools is shown, and a parent's pooled figure (the hospital's) hides whenever one of its
    children's does, which keeps every shown sum free of hidden rows.

    Returns
    -------
    DataFrame
        ``activity_id``, ``unit_cost`` (kr. per case), ``volume``, ``cost`` (kr.) and
        ``suppressed``, by activity.
    """
    rows = acts[acts["unit_id"].isin(list(units)) & (acts["volume"] > 0)]
    hidden = rows["suppressed"].astype(bool) if "suppressed" in rows else pd.Series(False, index=rows.index)
    cost = rows.groupby("activity_id")["cost"].sum()
    volume = rows.drop_duplicates(["unit_id", "activity_id"]).groupby("activity_id")["volume"].sum()
    out = pd.DataFrame({"volume": volume, "cost": cost}).reset_index()
    out["suppressed"] = out["activity_id"].isin(set(rows.loc[hidden, "activity_id"]))
    out["cost"] = out["cost"].where(~out["suppressed"])
    out["unit_cost"] = out["cost"] / out["volume"]
    return out[["activity_id", "unit_cost", "volume", "cost", "suppressed"]]


def full_cost_per_case(source: DataSource, unit_id: str, period: str, params: Params) -> pd.DataFrame | None:
    """The full cost per case of a unit's activities, year to date (None without costing tables).

    The same costing as the unit-cost report (its chosen method and practical shares, from the
    ``unit_cost`` parameters): ``activity_id``, ``unit_cost`` (kr. per case), ``volume``,
    ``cost`` (kr.) and ``suppressed`` of the activities with volume. A department's unit cost is
    the engine's (:func:`activity_unit_costs`, the unit-cost report's figure); a centre's or the
    hospital's is :func:`pooled_unit_costs` of every department below it. The unit-cost report's
    suppression applies (:func:`shown_activity_unit_costs` with the staff groups
    :func:`~toolkit.measures.suppression.staff_cost_pattern` hides): where that report hides an
    activity's unit cost, so does this figure (no ``unit_cost`` or ``cost``, ``suppressed``).
    """
    if not has_costing_tables(source):
        return None
    inp = costing_inputs.load(source, unit_id, period)
    costing = evaluate(inp, costing_settings(getattr(params, "unit_cost", None)))
    hr = read_hr(source, inp.units, inp.months[0], inp.period)
    hidden = staff_cost_pattern(inp.resources, hr, inp.months, params.privacy.min_group_size)
    acts = shown_activity_unit_costs(costing, inp, hidden.resources)
    level = dict(zip(inp.units["unit_id"], inp.units["level"], strict=True))
    if level.get(unit_id) != "department":
        return pooled_unit_costs(acts, [u for u in inp.scope_units if level.get(u) == "department"])
    acts = acts[(acts["volume"] > 0) & (acts["unit_id"] == unit_id)]
    return acts[["activity_id", "unit_cost", "volume", "cost", "suppressed"]].reset_index(drop=True)
