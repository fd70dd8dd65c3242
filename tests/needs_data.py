"""A small unit for hand-computed need-assessment tests, and helpers to fill in forms.

Unit T1, three months (2026-01 … 2026-03, report month 2026-03), three activities:

* A (core): 60 work hours a month, volume 100 a month, goal g1 (higher, target 100; actual
  80, 100, 90), activity budget 5.000 kr. a month;
* B (core): 30 work hours a month, volume 10, 20, 30, direct costs 1.000, 4.000, 1.000 kr.,
  goal g2 (lower, target 10; actual 20 in March only), activity budget 6.000 kr. a month;
* I (internal): 10 work hours a month.

Salary without activity is 10.000 kr. a month (allocated 60/30/10 by hours); premises
500 kr. a month stay unallocated. So the attributed cost is A 18.000, B 15.000, I 3.000 kr.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from toolkit.analyses.need_assessment import inputs as needs
from toolkit.analyses.need_assessment.forms import (
    RATER_CELL,
    SCORES_FIRST_ROW,
    SHEET_SCORES,
    SHEET_TOOLS,
    TOOLS_FIRST_ROW,
    build_form,
)
from toolkit.analyses.need_assessment.params import NeedAssessmentParams

UNIT = "T1"
MONTHS = ("2026-01", "2026-02", "2026-03")
PERIOD = "2026-03"
ACTIVITIES = pd.DataFrame(
    {
        "activity_id": ["A", "B", "I", "Z"],
        "name": ["Alfa", "Beta", "Intern", "Zeta"],
        "kind": ["core", "core", "internal", "core"],
        "volume_unit": ["besøg", "operationer", None, "besøg"],
    }
)
UNIT_ACTIVITIES = ACTIVITIES[ACTIVITIES["activity_id"].isin(["A", "B", "I"])].reset_index(drop=True)


def tables() -> dict[str, pd.DataFrame]:
    """The unit's tables (see the module docstring)."""
    hours = []
    for m in MONTHS:
        hours += [
            (m, UNIT, "e1", "A", "productive", 60.0),
            (m, UNIT, "e1", "B", "productive", 30.0),
            (m, UNIT, "e1", "I", "productive", 10.0),
            (m, UNIT, "e1", None, "holiday", 20.0),  # absence: not work on an activity
        ]
    finance = []
    for m, direct in zip(MONTHS, (1000.0, 4000.0, 1000.0), strict=True):
        finance += [
            (m, UNIT, "salary", None, 9000.0, 10000.0),
            (m, UNIT, "goods_services", "B", 0.0, direct),
            (m, UNIT, "premises", None, 500.0, 500.0),
        ]
    volume = []
    for m, b in zip(MONTHS, (10.0, 20.0, 30.0), strict=True):
        volume += [(m, UNIT, "A", 100.0, 100.0), (m, UNIT, "B", b, 20.0)]
    goals = []
    for m, a, b in zip(MONTHS, (80.0, 100.0, 90.0), (None, None, 20.0), strict=True):
        goals += [
            (m, UNIT, "g1", "Mål A", "A", "%", "higher", 100.0, a),
            (m, UNIT, "g2", "Mål B", "B", "dage", "lower", 10.0, b),
            (m, UNIT, "g3", "Mål for enheden", None, "%", "higher", 90.0, 10.0),
        ]
    budget = [(m, UNIT, a, v) for m in MONTHS for a, v in (("A", 5000.0), ("B", 6000.0))]
    return {
        "hours": pd.DataFrame(
            hours, columns=["period", "unit_id", "employee_id", "activity_id", "time_category", "hours"]
        ),
        "finance": pd.DataFrame(
            finance, columns=["period", "unit_id", "account_group", "activity_id", "budget", "actual"]
        ),
        "volume": pd.DataFrame(volume, columns=["period", "unit_id", "activity_id", "actual", "planned"]),
        "goals": pd.DataFrame(
            goals,
            columns=[
                "period",
                "unit_id",
                "goal_id",
                "name",
                "activity_id",
                "measure_unit",
                "direction",
                "target",
                "actual",
            ],
        ),
        "activity_budget": pd.DataFrame(budget, columns=["period", "unit_id", "activity_id", "budget"]),
    }


def need_input(*, with_budget: bool = True, months: int = 3) -> needs.NeedInput:
    """The unit's :class:`~toolkit.analyses.need_assessment.inputs.NeedInput` for the report month 2026-03."""
    t = tables()
    window, ytd = needs.months_for(PERIOD, months)
    return needs.NeedInput(
        unit_id=UNIT,
        period=PERIOD,
        window=window,
        ytd=ytd,
        activities=ACTIVITIES,
        volume=t["volume"],
        hours=t["hours"],
        finance=t["finance"],
        goals=t["goals"],
        activity_budget=t["activity_budget"] if with_budget else None,
    )


#: The two raters' scores: activity → criterion → score (None: left empty).
RATER_1 = {
    "A": {"strategic": 5, "complexity": 4, "risk": 4, "controllability": 3, "data_availability": 4},
    "B": {"strategic": 2, "complexity": 2, "risk": 3, "controllability": 4, "data_availability": 3},
    "I": {"strategic": 1, "complexity": 1, "risk": 1, "controllability": 2, "data_availability": None},
}
RATER_2 = {
    "A": {"strategic": 3, "complexity": 4, "risk": 2, "controllability": 3, "data_availability": 4},
    "B": {"strategic": 4, "complexity": 2, "risk": 3, "controllability": 4, "data_availability": 5},
    "I": {"strategic": 1, "complexity": 2, "risk": 1, "controllability": 2, "data_availability": 2},
}
#: Tools each rater marks as in use: activity → {tool: cell value}.
MARKS_1 = {"A": {"periodised_budget": "ja", "goals_kpis": "ja"}, "B": {"goals_kpis": "ja"}}
MARKS_2 = {"A": {"periodised_budget": "ja"}, "B": {"time_registration": "x"}}


def fill_form(
    path: Path,
    *,
    rater: str,
    scores: Mapping[str, Mapping[str, object]],
    marks: Mapping[str, Mapping[str, object]] | None = None,
    unit: str = UNIT,
    activities: pd.DataFrame = UNIT_ACTIVITIES,
    params: NeedAssessmentParams | None = None,
) -> Path:
    """Write a filled-in form as a rater would (the template, with scores and tool marks)."""
    params = params or NeedAssessmentParams()
    wb = build_form(unit, "Testafdeling", activities, params, "da")
    ws, wt = wb[SHEET_SCORES], wb[SHEET_TOOLS]
    ws.cell(*RATER_CELL, value=rater)
    criteria, tools = list(params.criteria), list(params.tools)
    rows = {aid: i for i, aid in enumerate(activities["activity_id"])}
    for aid, by_criterion in scores.items():
        for key, value in by_criterion.items():
            if value is not None:
                ws.cell(row=SCORES_FIRST_ROW + rows[aid], column=3 + criteria.index(key), value=value)
    for aid, by_tool in (marks or {}).items():
        for key, value in by_tool.items():
            wt.cell(row=TOOLS_FIRST_ROW + rows[aid], column=3 + tools.index(key), value=value)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def write_forms(root: Path) -> Path:
    """The two raters' forms in ``root/forms/need-assessment/T1/``; returns the unit folder."""
    folder = root / "forms" / "need-assessment" / UNIT
    fill_form(folder / "rater-1.xlsx", rater="Rater One", scores=RATER_1, marks=MARKS_1)
    fill_form(folder / "rater-2.xlsx", rater="Rater Two", scores=RATER_2, marks=MARKS_2)
    return folder
