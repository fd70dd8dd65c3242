"""Core tables: the organisation, the activity catalogue and the monthly management data.

The activity (``activity_id``) is the common key across volume, hours, finance and goals;
the unit (``unit_id``) and the month (``period``) are on every monthly table.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from toolkit.data.schemas import ID_PATTERN, PERIOD_PATTERN, TableModel, register

UNIT_LEVELS = ("hospital", "centre", "department")
ACTIVITY_KINDS = ("core", "internal")

#: Time categories of registered hours. The first three are time worked on an activity.
WORK_CATEGORIES = ("productive", "overtime", "extra_hours")
ABSENCE_CATEGORIES = (
    "holiday",
    "sick_own",
    "sick_child",
    "work_injury",
    "parental_leave",
    "other_absence",
)
TIME_CATEGORIES = WORK_CATEGORIES + ABSENCE_CATEGORIES

ACCOUNT_GROUPS = ("salary", "medicine", "goods_services", "equipment", "premises", "other")
GOAL_DIRECTIONS = ("higher", "lower")


def _id(description: str, references: str | None = None, **kw: Any) -> Any:
    meta = {"references": references} if references else None
    return pa.Field(str_matches=ID_PATTERN, description=description, metadata=meta, **kw)


def _period() -> Any:
    return pa.Field(str_matches=PERIOD_PATTERN, description="Month, YYYY-MM.")


@register
class Units(TableModel):
    """Organisational units and their hierarchy: hospital → centre → department.

    One row per unit. Reports are made per department; a centre's departments are siblings
    that are compared with each other.
    """

    unit_id: Series[str] = _id("Unit key (letters, digits, - and _).", unique=True)
    name: Series[str] = pa.Field(description="Name shown in reports.")
    level: Series[str] = pa.Field(isin=UNIT_LEVELS, description="hospital, centre or department.")
    parent_id: Series[str] = _id("The unit above (empty for a hospital).", references="units", nullable=True)

    @pa.dataframe_check(element_wise=False, name="a department's parent is a centre, a centre's a hospital")
    def _hierarchy(cls, df: pd.DataFrame) -> Series[bool]:
        level_of = dict(zip(df["unit_id"], df["level"], strict=False))
        expected = {"hospital": None, "centre": "hospital", "department": "centre"}
        parent_level = df["parent_id"].map(level_of)
        want = df["level"].map(expected)
        ok_root = want.isna() & df["parent_id"].isna()
        unknown_parent = df["parent_id"].notna() & parent_level.isna()  # reported as a key problem
        return ok_root | unknown_parent | (parent_level == want)

    class Config:
        metadata = {
            "table": "units",
            "catalogue": True,
            "required": True,
            "unit_column": None,
            "period_column": None,
        }


@register
class Activities(TableModel):
    """The activity catalogue: the common key of volume, hours, finance and goals.

    ``core`` activities produce volume (visits, operations, bed-days); ``internal`` ones
    (meetings, training, administration) take time but produce no cases.
    """

    activity_id: Series[str] = _id("Activity key.", unique=True)
    name: Series[str] = pa.Field(description="Name shown in reports.")
    kind: Series[str] = pa.Field(isin=ACTIVITY_KINDS, description="core or internal.")
    volume_unit: Series[str] = pa.Field(
        nullable=True, description="What one unit of volume is (besøg, operationer, ...)."
    )

    class Config:
        metadata = {
            "table": "activities",
            "catalogue": True,
            "required": True,
            "unit_column": None,
            "period_column": None,
        }


@register
class Volume(TableModel):
    """Activity volume per unit, activity and month: actual and planned."""

    period: Series[str] = _period()
    unit_id: Series[str] = _id("Unit key.", references="units")
    activity_id: Series[str] = _id("Activity key.", references="activities")
    actual: Series[float] = pa.Field(ge=0, description="Volume produced (cases, visits, ...).")
    planned: Series[float] = pa.Field(ge=0, nullable=True, description="Volume in the plan.")

    class Config:
        unique = ["period", "unit_id", "activity_id"]
        metadata = {"table": "volume", "required": True}


@register
class Hours(TableModel):
    """Registered hours per employee, month, activity and time category.

    Work categories (``productive``, ``overtime``, ``extra_hours``) name the activity the time
    was spent on; absence categories (``holiday``, ``sick_own``, ``sick_child``,
    ``work_injury``, ``parental_leave``, ``other_absence``) leave ``activity_id`` empty.
    ``employee_id`` is a pseudonymous key; it never reaches a report.
    """

    period: Series[str] = _period()
    unit_id: Series[str] = _id("Unit key.", references="units")
    employee_id: Series[str] = pa.Field(
        description="Pseudonymous employee key (never reported).", metadata={"person_key": True}
    )
    activity_id: Series[str] = _id(
        "Activity key (work categories only).", references="activities", nullable=True
    )
    time_category: Series[str] = pa.Field(isin=TIME_CATEGORIES, description="Time category.")
    hours: Series[float] = pa.Field(ge=0, description="Hours.")

    @pa.dataframe_check(name="work time names an activity; absence does not")
    def _activity_matches_category(cls, df: pd.DataFrame) -> Series[bool]:
        is_work = df["time_category"].isin(WORK_CATEGORIES)
        return is_work == df["activity_id"].notna()

    class Config:
        unique = ["period", "unit_id", "employee_id", "activity_id", "time_category"]
        metadata = {"table": "hours", "required": True}


@register
class HR(TableModel):
    """Employment per employee and month: staff group, FTE and contracted hours."""

    period: Series[str] = _period()
    unit_id: Series[str] = _id("Unit key.", references="units")
    employee_id: Series[str] = pa.Field(
        description="Pseudonymous employee key (never reported).", metadata={"person_key": True}
    )
    staff_group: Series[str] = pa.Field(description="Staff group (læger, sygeplejersker, ...).")
    fte: Series[float] = pa.Field(ge=0, le=2, description="Full-time equivalents (årsværk) in the month.")
    contracted_hours: Series[float] = pa.Field(ge=0, description="Agreed working hours in the month.")

    class Config:
        unique = ["period", "unit_id", "employee_id"]
        metadata = {"table": "hr", "required": True}


@register
class Finance(TableModel):
    """Budget and actual (forbrug) per unit, month and account group, in kr.

    The monthly budget rows are the periodised budget (a seasonal profile, not 1/12 a month).
    A row with an ``activity_id`` is a cost booked directly on that activity.
    """

    period: Series[str] = _period()
    unit_id: Series[str] = _id("Unit key.", references="units")
    account_group: Series[str] = pa.Field(isin=ACCOUNT_GROUPS, description="Account group.")
    activity_id: Series[str] = _id(
        "Activity the cost is booked on (empty: the unit as a whole).",
        references="activities",
        nullable=True,
    )
    budget: Series[float] = pa.Field(description="Periodised budget for the month, kr.")
    actual: Series[float] = pa.Field(
        nullable=True, description="Actual spending (forbrug) in the month, kr. (empty: not yet booked)."
    )

    class Config:
        unique = ["period", "unit_id", "account_group", "activity_id"]
        metadata = {"table": "finance", "required": True}


@register
class Goals(TableModel):
    """Goals (mål) per unit and month: target and actual of a KPI, linked to an activity where it has one."""

    period: Series[str] = _period()
    unit_id: Series[str] = _id("Unit key.", references="units")
    goal_id: Series[str] = _id("Goal key.")
    name: Series[str] = pa.Field(description="Goal as shown in reports.")
    activity_id: Series[str] = _id(
        "The activity the goal is about (empty: the unit as a whole).", references="activities", nullable=True
    )
    measure_unit: Series[str] = pa.Field(nullable=True, description="Unit of the KPI (%, dage, ...).")
    direction: Series[str] = pa.Field(isin=GOAL_DIRECTIONS, description="higher or lower is better.")
    target: Series[float] = pa.Field(description="Target value.")
    actual: Series[float] = pa.Field(nullable=True, description="Actual value (empty: not measured).")

    class Config:
        unique = ["period", "unit_id", "goal_id"]
        metadata = {"table": "goals", "required": True}


@register
class BudgetExplanations(TableModel):
    """Explanations of budget deviations (afvigelsesforklaringer), per unit, month and account group.

    Optional. A deviation above the materiality limits needs one; the report shows the text
    of the latest explanation up to the report's month next to the deviation.
    """

    period: Series[str] = _period()
    unit_id: Series[str] = _id("Unit key.", references="units")
    account_group: Series[str] = pa.Field(isin=ACCOUNT_GROUPS, description="Account group.")
    explanation: Series[str] = pa.Field(
        description="The explanation, as written by the unit.", metadata={"free_text": True}
    )

    class Config:
        unique = ["period", "unit_id", "account_group"]
        metadata = {"table": "budget_explanations", "required": False}
