"""Roster and patient-flow tables: shifts, patients by hour, time-off-in-lieu balances.

Used by the shift-planning assessment (``notebooks/shift-assessment.ipynb``). All three are
optional: a data folder without them still serves the other reports, and the shift-planning
report says which table is missing.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from toolkit.analyses.shift_assessment.rest_time import (
    ON_CALL_KINDS,
    effective_times,
    is_working,
    overlapping_rows,
)
from toolkit.data.schemas import TableModel, register
from toolkit.data.schemas.core import _id, _period

SHIFT_TYPES = ("day", "evening", "night", "long_day", "on_call", "other")


def _month_of(stamps: pd.Series) -> pd.Series:
    return stamps.dt.strftime("%Y-%m")


@register
class Shifts(TableModel):
    """Shifts of the roster (vagtplan): planned and actual times, one row per shift.

    ``period`` is the month of the planned start. Actual times are empty until the shift is
    worked (the planned times are used then). ``changed_at`` is when the shift was last
    changed (empty: unchanged since the roster was published). On-call rows: ``on_site``
    (rådighedsvagt på arbejdsstedet) is working time; ``at_home`` (rådighedsvagt hjemme) is
    rest unless called in, and a call-in is its own row with ``called_in`` and the time worked.
    ``employee_id`` is a pseudonymous key (agency staff have their own keys); it never reaches
    a report.
    """

    period: Series[str] = _period()
    unit_id: Series[str] = _id("Unit key.", references="units")
    employee_id: Series[str] = pa.Field(
        description="Pseudonymous employee key (never reported).", metadata={"person_key": True}
    )
    staff_group: Series[str] = pa.Field(description="Staff group (læger, sygeplejersker, ...).")
    shift_type: Series[str] = pa.Field(isin=SHIFT_TYPES, description="Kind of shift.")
    planned_start: Series[pd.Timestamp] = pa.Field(description="Planned start (YYYY-MM-DD HH:MM).")
    planned_end: Series[pd.Timestamp] = pa.Field(description="Planned end.")
    actual_start: Series[pd.Timestamp] = pa.Field(
        nullable=True,
        description="Actual start (empty: not registered; the planned start is used). Optional column.",
        metadata={"default": ""},
    )
    actual_end: Series[pd.Timestamp] = pa.Field(
        nullable=True, description="Actual end. Optional column.", metadata={"default": ""}
    )
    changed_at: Series[pd.Timestamp] = pa.Field(
        nullable=True,
        description="When the shift was last changed (empty: never changed). Optional column.",
        metadata={"default": ""},
    )
    agency: Series[pd.BooleanDtype] = pa.Field(
        description="Worked by agency staff (vikarbureau). Optional column (default false).",
        metadata={"default": "false"},
    )
    on_call: Series[str] = pa.Field(
        isin=ON_CALL_KINDS,
        description="On-call kind: none, on_site, at_home or called_in. Optional column (default none).",
        metadata={"default": "none"},
    )
    cost_kr: Series[float] = pa.Field(
        ge=0,
        nullable=True,
        description="Cost of the shift in kr. (salary or invoice; may be empty). Optional column.",
        metadata={"default": ""},
    )

    @pa.dataframe_check(name="the planned end is after the planned start")
    def _planned_order(cls, df: pd.DataFrame) -> Series[bool]:
        return df["planned_end"] > df["planned_start"]

    @pa.dataframe_check(name="the actual end is after the actual start")
    def _actual_order(cls, df: pd.DataFrame) -> Series[bool]:
        both = df["actual_start"].notna() & df["actual_end"].notna()
        return ~both | (df["actual_end"] > df["actual_start"])

    @pa.dataframe_check(name="actual start and actual end are both given or both empty")
    def _actual_pair(cls, df: pd.DataFrame) -> Series[bool]:
        return df["actual_start"].isna() == df["actual_end"].isna()

    @pa.dataframe_check(name="period is the month of the planned start")
    def _period_matches(cls, df: pd.DataFrame) -> Series[bool]:
        return _month_of(df["planned_start"]) == df["period"]

    # Check names must not contain parentheses: the validation layer strips "(...)" from pandera's names.
    @pa.dataframe_check(name="an employee's working shifts do not overlap; on call at home is rest")
    def _no_overlap(cls, df: pd.DataFrame) -> Series[bool]:
        ok = pd.Series(True, index=df.index)
        start, end = effective_times(df)
        work = is_working(df["on_call"]) & start.notna() & end.notna() & (end > start)
        if work.sum() < 2:
            return ok
        sub = df.index[work.to_numpy()]
        person = pd.factorize(df.loc[sub, "employee_id"].astype(str) + "\x1f" + df.loc[sub, "unit_id"])[0]
        rows = overlapping_rows(person, start[sub].to_numpy(), end[sub].to_numpy())
        ok.loc[sub[rows]] = False
        return ok

    class Config:
        unique = ["unit_id", "employee_id", "planned_start", "on_call"]
        metadata = {"table": "shifts", "required": False, "group": "roster"}


@register
class PatientFlow(TableModel):
    """Patients by hour: arrivals (new patients in the hour) and census (patients present).

    One row per unit and hour; ``hour`` is the start of the hour and ``period`` its month.
    Give arrivals, census or both; the report uses census where the unit has it (parameter
    ``shift_assessment.demand_measure``). Hours without a row are left out of the averages.
    """

    period: Series[str] = _period()
    unit_id: Series[str] = _id("Unit key.", references="units")
    hour: Series[pd.Timestamp] = pa.Field(description="Start of the hour (YYYY-MM-DD HH:00).")
    arrivals: Series[float] = pa.Field(ge=0, nullable=True, description="Patients arriving in the hour.")
    census: Series[float] = pa.Field(
        ge=0, nullable=True, description="Patients present (belægning), average or at the start of the hour."
    )

    @pa.dataframe_check(name="hour is the start of an hour, minutes 00")
    def _on_the_hour(cls, df: pd.DataFrame) -> Series[bool]:
        return df["hour"] == df["hour"].dt.floor("h")

    @pa.dataframe_check(name="period is the month of the hour")
    def _period_matches(cls, df: pd.DataFrame) -> Series[bool]:
        return _month_of(df["hour"]) == df["period"]

    @pa.dataframe_check(name="arrivals or census is given")
    def _some_value(cls, df: pd.DataFrame) -> Series[bool]:
        return df["arrivals"].notna() | df["census"].notna()

    class Config:
        unique = ["unit_id", "hour"]
        metadata = {"table": "patient_flow", "required": False, "group": "roster"}


@register
class ToilBalances(TableModel):
    """Time-off-in-lieu (afspadsering) balance per employee at the end of each month, in hours.

    A positive balance is time the unit owes the employee. Staff group and FTE come from the
    ``hr`` table (the employee must have an ``hr`` row for the unit and month).
    """

    period: Series[str] = _period()
    unit_id: Series[str] = _id("Unit key.", references="units")
    employee_id: Series[str] = pa.Field(
        description="Pseudonymous employee key (never reported).", metadata={"person_key": True}
    )
    balance_hours: Series[float] = pa.Field(
        description="Hours of time off in lieu owed at the end of the month (negative: owed by the employee)."
    )

    class Config:
        unique = ["period", "unit_id", "employee_id"]
        metadata = {"table": "toil_balances", "required": False, "group": "roster"}
