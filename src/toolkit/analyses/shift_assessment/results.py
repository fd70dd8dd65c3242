"""The shift-planning assessment's inputs and results: what the report reads and computes, once.

:func:`load` reads a unit's roster data and self-assessment; :func:`compute` turns them into
:class:`ShiftResults`, every figure the report shows (no person-level rows), with person-based
figures suppressed where the unit or month has too few persons.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel

from toolkit.analyses.shift_assessment import assessment as shift_assessment
from toolkit.analyses.shift_assessment import demand, roster
from toolkit.analyses.shift_assessment.assessment import Assessment, Bank
from toolkit.analyses.shift_assessment.params import ShiftAssessmentParams, settings
from toolkit.core.periods import parse_period
from toolkit.data.params import Params
from toolkit.measures.common import TOTAL
from toolkit.measures.hr import staff_group_kpis, suppress_small_groups
from toolkit.measures.suppression import hidden_groups, tree_pattern
from toolkit.report.context import ReportContext

FACT_LIMIT_PARAMS = {
    "agency_pct": "agency_alert_pct",
    "agency_night_pct": "agency_alert_pct",
    "short_notice_pct": "short_notice_alert_pct",
    "rest_breach_pct": "rest_breach_alert_pct",
    "overtime_pct": "overtime_alert_pct",
    "toil_per_fte": "toil_alert_hours_per_fte",
    "registration_pct": "registration_alert_pct",
    "mismatch_index": "mismatch_alert",
}


@dataclass(frozen=True)
class ShiftResults:
    """Everything the shift-planning report shows, computed once (no person-level rows)."""

    months: list[str]
    monthly: pd.DataFrame
    groups: pd.DataFrame
    rest: pd.DataFrame
    staffing: demand.StaffingVsDemand
    toil_month: float
    sick_12m: float
    persons: int
    suppressed: bool
    assessment: Assessment
    themes: pd.DataFrame
    statements: pd.DataFrame
    facts: pd.DataFrame
    values: dict[str, float]

    @property
    def month(self) -> pd.Series:
        """The report month's row of :attr:`monthly`."""
        return self.monthly.iloc[-1]

    @property
    def rest_month(self) -> pd.Series:
        """The report month's row of :attr:`rest`."""
        return self.rest.iloc[-1]


@dataclass(frozen=True)
class ShiftInputs:
    """What the shift-planning report reads for one unit: its roster data and self-assessment."""

    roster: roster.RosterInput
    assessment: Assessment


def bank_file(ctx: ReportContext) -> Path:
    """The unit's statement bank (parameter ``shift_assessment.statements_file``)."""
    return shift_assessment.bank_path(ctx.params_dir, ctx.params)


def load_bank(ctx: ReportContext) -> Bank:
    """Load and check the unit's statement bank."""
    return shift_assessment.load_bank(bank_file(ctx))


def load_roster(ctx: ReportContext) -> roster.RosterInput:
    """Read the unit's roster data for the report (see :func:`.roster.load`)."""
    sp = settings(ctx.params)
    return roster.load(
        ctx.source,
        ctx.unit.unit_id,
        ctx.period,
        trend_months=sp.trend_months,
        heatmap_months=sp.heatmap_months,
    )


def load(ctx: ReportContext) -> ShiftInputs:
    """Read the unit's roster data and its filled self-assessment forms (against its statement bank)."""
    data = load_roster(ctx)
    return ShiftInputs(data, shift_assessment.read_assessment(ctx.source, ctx.unit.unit_id, load_bank(ctx)))


def window(period: str, months: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Start (inclusive) and end (exclusive) of the ``months`` months that end with ``period``."""
    p = parse_period(period)
    return (p - (months - 1)).start_time, (p + 1).start_time


def months_to(period: str, months: int) -> list[str]:
    """The ``months`` months that end with ``period``, oldest first (``YYYY-MM``)."""
    return [str(x) for x in pd.period_range(end=parse_period(period), periods=months, freq="M")]


def suppress_small_months(monthly: pd.DataFrame, min_n: int) -> pd.DataFrame:
    """``monthly`` (:func:`.roster.monthly_kpis`) with person-based figures hidden in months of fewer
    than ``min_n`` persons, and a ``suppressed`` column that says where (changes ``monthly``)."""
    small = monthly["persons"] < min_n
    person_cols = [c for c in roster.MONTHLY_COLUMNS if c not in ("persons", "shifts")]
    monthly.loc[small, person_cols] = np.nan
    monthly["suppressed"] = small
    return monthly


def week_staffing(
    facts: pd.DataFrame,
    flow: pd.DataFrame | None,
    period: str,
    sp: ShiftAssessmentParams,
    groups: Sequence[str] | None = None,
) -> demand.StaffingVsDemand:
    """Staffing against patient demand over the heat-map months that end with ``period``.

    ``groups`` are the staff groups counted; None: the parameter ``demand_staff_groups``.
    """
    start, end = window(period, sp.heatmap_months)
    return demand.staffing_vs_demand(
        facts,
        flow,
        start=start,
        end=end,
        measure=sp.demand_measure,
        groups=demand.parse_groups(sp.demand_staff_groups) if groups is None else groups,
    )


def compute(inputs: ShiftInputs, ctx: ReportContext) -> ShiftResults:
    """Compute every figure of the report for ``ctx.unit`` and ``ctx.period``."""
    inp, assessment = inputs.roster, inputs.assessment
    sp = settings(ctx.params)
    min_n = ctx.params.privacy.min_group_size
    trend = months_to(ctx.period, sp.trend_months)
    last12 = months_to(ctx.period, 12)
    rule = roster.rest_rule(sp)
    facts = roster.shift_facts(inp.shifts, notice_days=sp.short_notice_days, time_zone=sp.time_zone)
    monthly = suppress_small_months(roster.monthly_kpis(facts, trend), min_n)
    small_months = monthly["suppressed"]
    persons = int(monthly["persons"].iloc[-1])
    suppressed = persons < min_n
    stretches = roster.rest_stretches(facts, rule, sp.time_zone)
    months_needed = roster.months_needed(
        ctx.period, trend_months=sp.trend_months, heatmap_months=sp.heatmap_months
    )
    rest = roster.rest_summary(stretches, months_needed, rule)
    rest = rest[rest["period"].isin(trend)].reset_index(drop=True)
    rest[list(roster.REST_SUMMARY_COLUMNS)] = rest[list(roster.REST_SUMMARY_COLUMNS)].astype("float64")
    rest.loc[small_months.to_numpy(), list(roster.REST_SUMMARY_COLUMNS)] = np.nan
    rest["suppressed"] = small_months.to_numpy()
    st = week_staffing(facts, inp.patient_flow, ctx.period, sp)
    if suppressed:  # a heat map of a few persons' hours shows who works when
        st = demand.StaffingVsDemand(None, float("nan"), None, st.measure, st.groups, float("nan"))
    forced = hidden_groups(
        tree_pattern(ctx.source, ctx.source.units(), ctx.period, min_n, unit=ctx.unit.unit_id),
        ctx.unit.unit_id,
    )
    groups = _group_table(facts, inp, ctx.period, last12, min_n, forced)
    toil_month = float("nan")
    if inp.toil is not None:
        toil_month = float(roster.toil_per_fte(inp.toil, inp.hr, [ctx.period])["per_fte"].iloc[0])
    hr12 = staff_group_kpis(inp.hours, inp.hr, last12)
    total12 = hr12[hr12["staff_group"] == TOTAL]
    sick_persons = int(total12["persons"].iloc[0]) if len(total12) else 0
    # Hidden as the KPI report hides it: under the limit, or where the tree's pattern hides the
    # unit's total (e.g. a month under the limit within the 12 months, window_primary).
    shown_12m = bool(len(total12)) and sick_persons >= min_n and TOTAL not in forced
    sick_12m = float(total12["sick_pct"].iloc[0]) if shown_12m else float("nan")
    rm = rest.iloc[-1]
    month = monthly.iloc[-1]
    values = {
        "agency_pct": float(month["agency_pct"]),
        "agency_night_pct": float(month["agency_night_pct"]),
        "short_notice_pct": float(month["short_notice_pct"]),
        "sick_pct_12m": sick_12m,
        "rest_breach_pct": float("nan") if suppressed else float(rm["breach_pct"]),
        "persons_over_cap": float("nan")
        if suppressed
        else float(max(rm["persons_over_month_cap"], rm["persons_over_year_cap"])),
        "overtime_pct": float(month["overtime_pct"]),
        "toil_per_fte": float("nan") if suppressed else toil_month,
        "registration_pct": float(month["registered_pct"]),
        "mismatch_index": st.mismatch,
    }
    limits = {k: float(getattr(sp, v)) for k, v in FACT_LIMIT_PARAMS.items()}
    limits["sick_pct_12m"] = _sick_leave_alert_pct(ctx.params)
    limits["persons_over_cap"] = 0.0
    fact_table = shift_assessment.theme_facts(values, limits)
    bank = assessment.bank
    themes = shift_assessment.judge(
        shift_assessment.theme_scores(assessment.scores, bank),
        fact_table,
        high=sp.high_rating,
        low=sp.low_rating,
    )
    return ShiftResults(
        months=trend,
        monthly=monthly,
        groups=groups,
        rest=rest,
        staffing=st,
        toil_month=toil_month,
        sick_12m=sick_12m,
        persons=persons,
        suppressed=suppressed,
        assessment=assessment,
        themes=themes,
        statements=shift_assessment.statement_scores(assessment.scores, bank),
        facts=fact_table,
        values=values,
    )


def _sick_leave_alert_pct(params: Params) -> float:
    """The sick-leave alert level, a parameter of the KPI report (``kpi.sick_leave_alert_pct``).

    The analyses do not import each other, so the section is read by name, without its model.
    """
    kpi: Any = params.section("kpi", BaseModel)
    return float(kpi.sick_leave_alert_pct)


GROUP_VALUES = (
    "overtime_pct",
    "agency_pct",
    "short_notice_pct",
    "registered_pct",
    "toil_per_fte",
    "sick_pct",
    "planned_h",
    "shifts",
)


def _group_table(
    facts: pd.DataFrame,
    inp: roster.RosterInput,
    period: str,
    last12: Sequence[str],
    min_n: int,
    forced: Collection[str] = (),
) -> pd.DataFrame:
    """Roster figures, time off in lieu and sick leave per staff group; small groups suppressed.

    ``forced`` are the groups the unit tree's pattern hides (the KPI reports hide them too).
    """
    g = roster.group_kpis(facts, [period])
    if inp.toil is not None:
        toil = roster.toil_per_fte(inp.toil, inp.hr, [period], by_group=True).set_index("staff_group")
        g["toil_per_fte"] = g["staff_group"].map(toil["per_fte"])
    else:
        g["toil_per_fte"] = np.nan
    sick = staff_group_kpis(inp.hours, inp.hr, last12).set_index("staff_group")
    g["sick_pct"] = g["staff_group"].map(sick["sick_pct"])
    return suppress_small_groups(g, min_group_size=min_n, value_columns=GROUP_VALUES, forced=forced)
