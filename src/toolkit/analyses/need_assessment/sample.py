"""Sample inputs of the need assessment for the fictional hospital.

* the optional table ``activity_budget``: each department's activity-based budget, made the
  way many units make one from their own history: the salary budget split by each activity's
  share of the work hours in the first 12 months, plus planned volume × the activity's direct
  cost per case in those months. It is derived from the core tables and changes none of them;
* filled-in workshop forms for every department (two or three raters each) in
  ``forms/need-assessment/<unit_id>/``, with scores that follow each activity's profile, the
  raters' own leanings and some disagreement, and the tools each rater sees in use.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.analyses.need_assessment.forms import (
    FORMS_DIR,
    RATER_CELL,
    SCORES_FIRST_ROW,
    SHEET_SCORES,
    SHEET_TOOLS,
    TOOLS_FIRST_ROW,
    build_form,
    save_form,
)
from toolkit.analyses.need_assessment.inputs import NeedInput, months_for, unit_activities
from toolkit.analyses.need_assessment.params import NeedAssessmentParams
from toolkit.data.samples import SampleContext, register, register_files
from toolkit.data.schemas.core import WORK_CATEGORIES

BASE_MONTHS = 12
RATER_FILE = "bedoemmer-{n}.xlsx"

#: Typical scores per activity: strategic, complexity, risk, controllability, data availability.
PROFILES = {
    "AMB": (4, 2, 2, 4, 4),
    "SENG": (3, 3, 3, 3, 3),
    "OP": (5, 5, 5, 3, 4),
    "AKUT": (5, 4, 5, 2, 3),
    "SCAN": (3, 3, 3, 4, 5),
    "LAB": (2, 2, 3, 5, 5),
    "ANAE": (3, 4, 5, 3, 3),
    "TLF": (4, 1, 1, 4, 3),
    "ADM": (2, 2, 1, 4, 2),
    "UDD": (2, 2, 1, 3, 2),
    "KVA": (3, 3, 2, 3, 2),
}
#: Chance that a tool is in use for an activity (core, internal).
TOOL_USE = {
    "periodised_budget": (0.25, 0.05),
    "variance_explanation": (0.15, 0.05),
    "unit_cost": (0.2, 0.0),
    "productivity": (0.35, 0.0),
    "time_registration": (0.7, 0.5),
    "goals_kpis": (0.5, 0.1),
    "risk_control": (0.35, 0.05),
    "board_management": (0.3, 0.05),
    "annual_review": (0.2, 0.6),
}
RATER_NAMES = (
    "Mette Lund",
    "Søren Kragh",
    "Anne Bech",
    "Jonas Friis",
    "Hanne Dahl",
    "Peter Holm",
    "Lise Mørk",
    "Karim Aziz",
    "Birgitte Vang",
    "Niels Skov",
)
COMMENTS = {
    ("ORT", "OP"): "Implantatpriserne stiger; budgettet følger ikke med.",
    ("AKU", "AKUT"): "Flere ansatte, men samme antal kontakter.",
    ("LUN", "SENG"): "Højt sygefravær presser bemandingen.",
}


@register("activity_budget")
def activity_budget(ctx: SampleContext) -> dict[str, pd.DataFrame]:
    """Each department's activity budget for every month of the sample (see the module docstring)."""
    hours, finance, volume = ctx.tables["hours"], ctx.tables["finance"], ctx.tables["volume"]
    base = ctx.months[:BASE_MONTHS]
    work = hours[hours["time_category"].isin(WORK_CATEGORIES) & hours["period"].isin(base)]
    h = work.groupby(["unit_id", "activity_id"])["hours"].sum()
    share = (h / h.groupby(level="unit_id").transform("sum")).rename("share").reset_index()
    salary = finance[
        (finance["account_group"] == "salary")
        & finance["activity_id"].isna()
        & finance["period"].isin(ctx.months)
    ][["period", "unit_id", "budget"]]
    salary_part = salary.merge(share, on="unit_id")
    salary_part = salary_part.assign(budget=salary_part["budget"] * salary_part["share"])
    booked = finance[finance["activity_id"].notna() & finance["period"].isin(base)]
    direct = booked.groupby(["unit_id", "activity_id"])["actual"].sum()
    vol = volume[volume["period"].isin(base)].groupby(["unit_id", "activity_id"])["actual"].sum()
    per_case = (direct / vol.reindex(direct.index)).rename("per_case").dropna().reset_index()
    planned = volume[volume["period"].isin(ctx.months)][["period", "unit_id", "activity_id", "planned"]]
    direct_part = planned.merge(per_case, on=["unit_id", "activity_id"])
    direct_part = direct_part.assign(budget=direct_part["planned"] * direct_part["per_case"])
    key = ["period", "unit_id", "activity_id"]
    both = pd.concat([salary_part[[*key, "budget"]], direct_part[[*key, "budget"]]], ignore_index=True)
    out = both.groupby(key, as_index=False)["budget"].sum()
    out["budget"] = out["budget"].round(0)
    return {"activity_budget": out.sort_values(key, kind="stable").reset_index(drop=True)}


def _unit_input(ctx: SampleContext, unit_id: str, months: int) -> NeedInput:
    window, ytd = months_for(ctx.months[-1], months)

    def rows(table: str) -> pd.DataFrame:
        frame = ctx.tables[table]
        return frame[frame["unit_id"] == unit_id]

    return NeedInput(
        unit_id=unit_id,
        period=ctx.months[-1],
        window=window,
        ytd=ytd,
        activities=ctx.tables["activities"],
        volume=rows("volume"),
        hours=rows("hours"),
        finance=rows("finance"),
        goals=rows("goals"),
        activity_budget=None,
    )


@register_files("need_assessment_forms")
def write_forms(ctx: SampleContext, root: Path) -> list[Path]:
    """Filled-in workshop forms for every department (rewritten only when their values change)."""
    rng = ctx.rng_for("need_assessment_forms")
    params = NeedAssessmentParams()
    criteria = list(params.criteria)
    tools = list(params.tools)
    written: list[Path] = []
    for dep in ctx.departments.itertuples(index=False):
        acts = unit_activities(_unit_input(ctx, dep.unit_id, params.months))
        kinds = acts["kind"].to_numpy()
        profile = np.array([PROFILES.get(a, (3, 3, 3, 3, 3)) for a in acts["activity_id"]], dtype=float)
        core = (kinds == "core")[:, None]
        use_p = np.array([[TOOL_USE[t][0] for t in tools]] * len(acts))
        use_p = np.where(core, use_p, np.array([[TOOL_USE[t][1] for t in tools]]))
        in_use = rng.random(use_p.shape) < use_p
        # Time is registered on every activity of the unit (the hours show it), and raters know.
        in_use[:, tools.index("time_registration")] = acts["in_hours"].to_numpy()
        n_raters = int(rng.integers(2, 4))
        names = rng.choice(RATER_NAMES, size=n_raters, replace=False)
        folder = root / FORMS_DIR / dep.unit_id
        keep = set()
        for r in range(n_raters):
            lean = rng.normal(0, 0.35, len(criteria))
            scores = profile + lean[None, :] + rng.normal(0, 0.55, profile.shape)
            if dep.code == "AKU" and r == n_raters - 1:
                # One rater sees acute contacts as routine work: the spread the report calls out.
                row = acts.index[acts["activity_id"] == "AKUT"]
                scores[row, 1:3] -= 2.5
            scores = np.clip(np.rint(scores), 1, 5)
            blank = rng.random(scores.shape) < 0.04
            seen = in_use ^ (rng.random(in_use.shape) < 0.08)
            wb = build_form(dep.unit_id, dep.name, acts, params, "da")
            ws, wt = wb[SHEET_SCORES], wb[SHEET_TOOLS]
            ws.cell(*RATER_CELL, value=str(names[r]))
            for i, aid in enumerate(acts["activity_id"]):
                for j in range(len(criteria)):
                    if not blank[i, j]:
                        ws.cell(row=SCORES_FIRST_ROW + i, column=3 + j, value=int(scores[i, j]))
                comment = COMMENTS.get((dep.code, aid))
                if comment and r == 0:
                    ws.cell(row=SCORES_FIRST_ROW + i, column=3 + len(criteria), value=comment)
                for j in range(len(tools)):
                    if seen[i, j]:
                        wt.cell(row=TOOLS_FIRST_ROW + i, column=3 + j, value="ja")
            path = folder / RATER_FILE.format(n=r + 1)
            save_form(wb, path)
            keep.add(path.name)
            written.append(path)
        for stale in folder.glob(RATER_FILE.format(n="*")):
            if stale.name not in keep:
                stale.unlink()
    return written
