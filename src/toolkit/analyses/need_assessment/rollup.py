"""The centre roll-up's data: each department's agreed aggregate, and the centre's rows of them.

A department shares only the agreed aggregate ``need_assessment`` (:func:`aggregate_rows`: its
ranked activities with scores, levels, gaps and registration), never its raw data, forms or
raters. A staged run computes the aggregates once (:func:`need_aggregate`, registered with
:func:`toolkit.data.aggregates.register_aggregate`); a data folder computes them when the
centre report loads (:func:`load`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from toolkit.analyses.need_assessment.assessment import NeedResults, assess
from toolkit.analyses.need_assessment.labels import row_items, split_items
from toolkit.analyses.need_assessment.params import settings
from toolkit.core.definitions import Definition, define
from toolkit.core.errors import DataValidationError
from toolkit.data.aggregates import register_aggregate
from toolkit.data.hierarchy import ancestors, descendants
from toolkit.data.params import Params, load_params
from toolkit.data.sources import DataSource
from toolkit.report.context import ReportContext

#: The name of the agreed aggregate.
AGGREGATE = "need_assessment"
#: Its columns: what a department shares with its centre.
AGGREGATE_COLUMNS = (
    "unit_id",
    "period",
    "activity_id",
    "rank",
    "score",
    "judged_score",
    "data_score",
    "spread",
    "n_raters",
    "unit_raters",
    "cost_share_pct",
    "level",
    "in_hours",
    "in_finance",
    "recommended",
    "gap",
)

ROLLUP = Definition(
    "need_rollup",
    "Centrets styringsbehov",
    "The centre's management needs",
    "For hver afdeling i centret deles kun det aftalte aggregat: afdelingens aktiviteter med "
    "samlet score, rang, behovsniveau, spredning, antal bedømmere, andel af omkostninger, "
    "manglende værktøjer og om aktiviteten findes i tids- og økonomidata. Hver afdeling er "
    "scoret med sine egne parametre. Skemaer og bedømmere deles aldrig.",
    "For each department in the centre only the agreed aggregate is shared: the department's "
    "activities with total score, rank, need level, spread, number of raters, share of cost, "
    "missing tools and whether the activity exists in time and finance data. Each department "
    "is scored with its own parameters. Forms and raters are never shared.",
)


@define(ROLLUP)
def aggregate_rows(res: NeedResults, period: str) -> pd.DataFrame:
    """One department's agreed aggregate: its ranked activities (no forms, no raters)."""
    df = res.ranked.copy()
    gap = row_items(res.plan.gap)
    rec = row_items(res.plan.recommended)
    df["gap"] = df["activity_id"].map(lambda a: ";".join(gap.get(a, ())))
    df["recommended"] = df["activity_id"].map(lambda a: ";".join(rec.get(a, ())))
    df["unit_id"] = res.unit_id
    df["period"] = period
    df["unit_raters"] = res.forms.n_raters
    return df[list(AGGREGATE_COLUMNS)]


def _empty_aggregate() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in AGGREGATE_COLUMNS})


def _centre_departments(units: pd.DataFrame, ids: list[str]) -> list[str]:
    centres = set(units.loc[units["level"] == "centre", "unit_id"])
    out: set[str] = set()
    for uid in ids:
        if uid in centres:
            out |= set(descendants(units, uid))
    return sorted(out)


@register_aggregate(AGGREGATE, notebooks=("need-assessment-centre",))
def need_aggregate(
    source: DataSource, period: str, units: list[str], params_for: Callable[[str], Params]
) -> pd.DataFrame:
    """The need assessments of the departments of every centre in ``units`` (staged once per run).

    Computed only for centres in the run (their roll-up reads it); departments whose data
    failed validation are left out.
    """
    catalogue = source.units()
    failed = set(source.failed_units())
    rows = []
    for uid in _centre_departments(catalogue, list(units)):
        if uid in failed:
            continue
        res = assess(source, uid, period, settings(params_for(uid)))
        rows.append(aggregate_rows(res, period))
    return pd.concat(rows, ignore_index=True) if rows else _empty_aggregate()


@dataclass(frozen=True)
class CentreData:
    """The agreed aggregates of a centre's departments, as loaded (see :func:`load`)."""

    rows: pd.DataFrame  # the aggregate rows of the centre's departments
    departments: list[str]
    failed: list[str]


@dataclass(frozen=True)
class CentreNeeds:
    """The centre's departments and their agreed aggregates."""

    rows: pd.DataFrame  # the aggregate rows of the centre's departments, with names, by score
    departments: list[str]
    failed: list[str]


def load(ctx: ReportContext) -> CentreData:
    """The agreed aggregates of ``ctx.unit``'s departments for ``ctx.period``.

    A staged source has them precomputed; a data folder computes them from each department's
    data and forms (with the department's own parameters). A department whose data or forms
    fail validation is left out (and named in ``failed``).
    """
    units = ctx.source.units()
    depts = descendants(units, ctx.unit.unit_id)
    pre = ctx.source.aggregate(AGGREGATE)
    failed: list[str] = []
    if pre is not None:
        rows = pre[pre["unit_id"].isin(depts) & (pre["period"] == ctx.period)].copy()
        failed = sorted(set(ctx.source.failed_units()) & set(depts))
    else:
        parts = []
        for uid in depts:
            params = load_params(ctx.params_dir, uid, ancestors=ancestors(units, uid))
            try:
                res = assess(ctx.source, uid, ctx.period, settings(params))
            except DataValidationError:
                failed.append(uid)
                continue
            parts.append(aggregate_rows(res, ctx.period))
        rows = pd.concat(parts, ignore_index=True) if parts else _empty_aggregate()
    return CentreData(rows, depts, failed)


def compute(inputs: CentreData, ctx: ReportContext) -> CentreNeeds:
    """The aggregate rows with department and activity names, highest score first."""
    units = ctx.source.units()
    rows = inputs.rows.copy()
    names = dict(zip(units["unit_id"], units["name"], strict=True))
    acts = ctx.source.activities().set_index("activity_id")["name"]
    rows["department"] = rows["unit_id"].map(names)
    rows["name"] = rows["activity_id"].map(acts)
    for col in ("score", "judged_score", "data_score", "spread", "cost_share_pct"):
        rows[col] = pd.to_numeric(rows[col], errors="coerce")
    rows = rows.sort_values(["score", "department", "name"], ascending=[False, True, True], kind="stable")
    return CentreNeeds(rows.reset_index(drop=True), inputs.departments, inputs.failed)


def centre_gaps(cn: CentreNeeds) -> pd.DataFrame:
    """How many high-need activities lack each tool (``tool``, ``count``), most common first."""
    high = cn.rows[cn.rows["level"] == "high"]
    tools = [tool for g in high["gap"] for tool in split_items(g)]
    counts = pd.Series(tools, dtype="object").value_counts()
    return pd.DataFrame({"tool": counts.index, "count": counts.to_numpy()})


def high_missing_registration(cn: CentreNeeds) -> pd.DataFrame:
    """The high-need rows whose activity is missing from the time or the finance data."""
    rows = cn.rows.dropna(subset=["score"])
    high = rows[rows["level"] == "high"]
    return high[~(high["in_hours"].astype(bool) & high["in_finance"].astype(bool))]
