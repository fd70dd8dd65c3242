"""The unit-cost report's results: every costing it shows, computed once, and the views' lookups.

The numbers come from the costing chain (:mod:`.allocation`, :mod:`.tdabc`, :mod:`.contacts`,
:mod:`.scenarios`); :func:`compute` runs it for the report's scope under every method, costs
the scope's contacts and runs the sensitivity analysis. A department's report shows its own
cost centres (and, for a service department, where its costs go); a hospital's report shows
every centre. Amounts are kept in øre until they are shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from toolkit.analyses.unit_cost.params import UnitCostParams, settings
from toolkit.measures.costing import inputs as costing_inputs
from toolkit.measures.costing.allocation import FINAL, INTERMEDIATE, METHODS
from toolkit.measures.costing.contacts import ContactCosts, contact_costs, drg_summary
from toolkit.measures.costing.inputs import CostingInput, Settings
from toolkit.measures.costing.scenarios import Costing, evaluate, reconcile, sensitivity
from toolkit.measures.costing.unit_costs import activity_unit_costs, hidden_unit_costs
from toolkit.measures.costing.unit_costs import costing_settings as shared_costing_settings
from toolkit.measures.split_suppression import SplitPattern, mask_where, shown_drg, shown_unit_costs
from toolkit.measures.suppression import (
    NO_COST_PATTERN,
    RESOURCE_COST_COLUMNS,
    CostPattern,
    mask_rows,
    read_hr,
    staff_cost_pattern,
)
from toolkit.report.context import ReportContext


@dataclass(frozen=True)
class UnitCostResults:
    """Everything the unit-cost report shows, computed once."""

    inp: CostingInput
    settings: Settings
    base: Costing
    by_method: dict[str, Costing]
    contacts: ContactCosts | None
    drg: pd.DataFrame
    reconciliation: pd.DataFrame
    sensitivity: pd.DataFrame
    scope: str  # "department" or "hospital"
    hidden: CostPattern = NO_COST_PATTERN  # staff groups under the privacy limit (and complements)
    #: :attr:`split_hidden` where :func:`compute` has it already (it hides the DRG table's rows).
    split: SplitPattern | None = field(default=None, repr=False, compare=False)

    @cached_property
    def split_hidden(self) -> SplitPattern:
        """The unit costs that follow from the :attr:`hidden` staff groups' costs (:func:`hidden_split`)."""
        if self.split is not None:
            return self.split
        return hidden_unit_costs(self.base, self.inp, self.hidden.resources)

    @property
    def has_contacts(self) -> bool:
        """True if the scope has patient contacts with tariffs."""
        return self.contacts is not None and len(self.drg) > 0

    @property
    def scope_centres(self) -> pd.DataFrame:
        """The allocation's rows of the scope's cost centres."""
        c = self.base.allocation.centres
        return c[c["cost_centre_id"].isin(self.inp.scope_centres)]


def costing_settings(p: UnitCostParams) -> Settings:
    """The costing choices from the ``unit_cost`` parameters."""
    return shared_costing_settings(p)


def load(ctx: ReportContext) -> CostingInput:
    """The report's inputs: the hospital's costing tables and the scope's contacts, January to the month."""
    return costing_inputs.load(ctx.source, ctx.unit.unit_id, ctx.period)


def _scope(inp: CostingInput) -> str:
    return "hospital" if inp.unit_id == inp.hospital_id else "department"


def compute(inp: CostingInput, ctx: ReportContext) -> UnitCostResults:
    """Cost the report's scope under every method, cost its contacts and run the sensitivity."""
    params = settings(ctx.params)
    chosen = costing_settings(params)
    base = evaluate(inp, chosen)
    by_method = {m: base if m == base.method else evaluate(inp, chosen, method=m) for m in METHODS}
    hr = read_hr(ctx.source, inp.units, inp.months[0], inp.period)
    hidden = staff_cost_pattern(inp.resources, hr, inp.months, ctx.params.privacy.min_group_size)
    costs = None
    drg = pd.DataFrame()
    split_hidden = None
    if len(inp.contacts):
        acts = base.time_driven.activities
        costs = contact_costs(
            inp.contacts,
            inp.contact_activities,
            acts[acts["centre_kind"] == FINAL],
            bed_day_activity=chosen.bed_day_activity,
            intermediate_activities=acts[acts["centre_kind"] == INTERMEDIATE],
        )
        drg = drg_summary(
            costs.contacts,
            inp.drg_groups,
            small_group=params.small_group_contacts,
            min_distribution=ctx.params.privacy.min_group_size,
        )
        # A group's cost and its contacts' spread that would give a hidden unit cost back are hidden.
        split_hidden = hidden_unit_costs(base, inp, hidden.resources)
        drg = shown_drg(drg, costs.components, {(u, a) for u, a, *_ in split_hidden.totals})
    lines = {
        m: reconcile(inp, c, costs if m == base.method else None).set_index("line")["amount"]
        for m, c in by_method.items()
    }
    reconciliation = pd.DataFrame(lines)
    sens = sensitivity(inp, chosen, base, shares=params.sensitivity_shares, known=by_method)
    return UnitCostResults(
        inp, chosen, base, by_method, costs, drg, reconciliation, sens, _scope(inp), hidden, split_hidden
    )


def costing_only(inp: CostingInput, chosen: Settings, result: Costing) -> UnitCostResults:
    """Results holding one costing and nothing else (the interactive explorer shows its unit costs)."""
    empty = pd.DataFrame()
    return UnitCostResults(
        inp, chosen, result, {result.method: result}, None, empty, empty, empty, _scope(inp)
    )


# --------------------------------------------------------------------------- lookups of the views


def catalogue_names(res: UnitCostResults) -> dict[str, dict[str, str]]:
    """Catalogue names by id: ``activity``, ``volume_unit``, ``centre``, ``unit`` and ``cost_type``."""
    inp = res.inp
    return {
        "activity": dict(zip(inp.activities["activity_id"], inp.activities["name"], strict=True)),
        "volume_unit": dict(
            zip(inp.activities["activity_id"], inp.activities["volume_unit"].fillna(""), strict=True)
        ),
        "centre": dict(zip(inp.centres["cost_centre_id"], inp.centres["name"], strict=True)),
        "unit": dict(zip(inp.units["unit_id"], inp.units["name"], strict=True)),
        "cost_type": dict(zip(inp.cost_types["cost_type"], inp.cost_types["name"], strict=True)),
    }


def totals(res: UnitCostResults) -> dict[str, int]:
    """The reconciliation lines of the chosen method (øre)."""
    return {str(k): int(v) for k, v in res.reconciliation[res.base.method].items()}


def worst_difference(res: UnitCostResults) -> int:
    """The largest reconciliation difference over every method, scope and hospital (øre; 0 when all agree)."""
    return max(
        abs(int(res.reconciliation.loc[line].abs().max())) for line in ("difference", "hospital_difference")
    )


def unused_share_pct(res: UnitCostResults) -> float:
    """Unused capacity as a % of the scope's resources' capacity cost (NaN without capacity)."""
    capacity = float(scope_resources(res)["capacity_cost"].sum())
    return totals(res)["unused"] / capacity * 100 if capacity else float("nan")


def scope_activities(res: UnitCostResults) -> pd.DataFrame:
    """Unit cost per activity of the scope's centres (final and service), with cost in kr.

    The one definition both the unit-cost and the KPI report show
    (:func:`toolkit.measures.costing.unit_costs.activity_unit_costs`).
    """
    return activity_unit_costs(res.base, res.inp.scope_centres)


def scope_resources(res: UnitCostResults) -> pd.DataFrame:
    """The time-driven rows of the scope's resources."""
    r = res.base.time_driven.resources
    return r[r["cost_centre_id"].isin(res.inp.scope_centres)].reset_index(drop=True)


def shown_resources(res: UnitCostResults) -> pd.DataFrame:
    """:func:`scope_resources` as shown: the costs of hidden staff groups masked (``suppressed``)."""
    return mask_rows(
        scope_resources(res), res.hidden.resources, key="resource_id", columns=RESOURCE_COST_COLUMNS
    )


def scope_split(res: UnitCostResults) -> pd.DataFrame:
    """The time-driven split (one row per activity row and resource) of the scope's resources."""
    split = res.base.time_driven.split
    return split[split["resource_id"].isin(scope_resources(res)["resource_id"])]


def hidden_split(res: UnitCostResults) -> SplitPattern:
    """The split's parts and activity totals to hide (:func:`~toolkit.measures.split_suppression.split_pattern`).

    The parts of the hidden resources, per activity row the complements that keep them from
    following by subtraction from the activity's unit cost, and the second rows that keep one
    from following from the reconciliation's line "activities" of any unit of the hospital
    (:func:`~toolkit.measures.costing.unit_costs.hidden_unit_costs`, computed once per
    results: the rule the KPI report's full cost per case follows too).
    """
    return res.split_hidden


def shown_activities(res: UnitCostResults) -> pd.DataFrame:
    """:func:`scope_activities` as shown: the unit costs :func:`hidden_split` hides masked (``suppressed``).

    What every table, sentence, chart and JSON figure of the report shows per activity, and what
    the KPI report's full cost per case shows
    (:func:`~toolkit.measures.costing.unit_costs.full_cost_per_case`).
    """
    return shown_unit_costs(scope_activities(res), hidden_split(res))


def hidden_activities(res: UnitCostResults) -> set[tuple[str, str]]:
    """The (unit, activity) pairs whose unit cost the report hides (:func:`hidden_split`'s totals).

    Every other table that shows an activity's cost or unit cost per unit (the sensitivity
    analysis, the match against the contacts) hides these rows too: any of those figures and the
    shown volume give the hidden unit cost back.
    """
    return {(u, a) for u, a, *_ in hidden_split(res).totals}


def mask_activities(df: pd.DataFrame, res: UnitCostResults, columns: list[str]) -> pd.DataFrame:
    """A copy of ``df`` (``unit_id``, ``activity_id``) whose :func:`hidden_activities` rows lose ``columns``."""
    hidden = hidden_activities(res)
    keys = zip(df["unit_id"].astype(str), df["activity_id"].astype(str), strict=True)
    return mask_where(df, pd.Series([k in hidden for k in keys], index=df.index, dtype=bool), columns)


def resource_label(res: UnitCostResults, frame: pd.DataFrame) -> pd.Series:
    """A resource's name, with its cost centre (a department with several) or its unit (the hospital)."""
    if res.scope == "department":
        many_centres = frame["cost_centre_id"].nunique() > 1
        if not many_centres:
            return frame["name"]
        centre = catalogue_names(res)["centre"]
        return frame["name"] + " · " + frame["cost_centre_id"].map(centre)
    return frame["name"] + " · " + frame["unit_id"]
