"""Sample rosters, patient flow and time-off-in-lieu balances.

Registered with :mod:`toolkit.data.samples`, so ``toolkit sample-data`` writes them next to the
core tables of *Fjordby Sygehus*: the last 12 months of shifts for the employees in the ``hr``
table (plus agency staff), patients by hour and monthly balances. The filled self-assessment
forms are made by :mod:`toolkit.analyses.shift_assessment.sample_forms`.

The rosters come from a day-by-day process per employee: rotating staff move between day
(07–15), evening (15–23) and night (23–07) shifts with night series, doctors work days with
on-call duty at home and call-ins, day staff work weekdays. Departments differ where the
report should find something:

* Akutafdelingen (``FS-AKU``): staffing spread evenly over the clock and the week against a
  strongly varying inflow (static staffing), agency staff on nights;
* Ortopædkirurgisk Afdeling (``FS-ORT``): much overtime and growing time-off-in-lieu balances;
* Lungemedicinsk Afdeling (``FS-LUN``): many short-notice changes and agency cover (its sick
  leave rises in the core data);
* Geriatrisk Afdeling (``FS-GER``): actual times often not registered;
* Kardiologisk Afdeling (``FS-KAR``): staffing that follows the week's pattern;
* quick returns (evening followed by day) and double shifts everywhere, so some rest-time
  breaches occur, a few under 8 hours.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from toolkit.data.samples import STAFF_RATES, SampleContext, register

ROSTER_MONTHS = 12
OFF, DAY, EVENING, NIGHT, DOUBLE, DAY_ON_SITE = 0, 1, 2, 3, 4, 5

#: (start hour, length in hours) of each shift kind for rotating staff.
ROTATING_TIMES = {DAY: (7.0, 8.0), EVENING: (15.0, 8.0), NIGHT: (23.0, 8.0)}
DOCTOR_DAY = (8.0, 8.0)
OFFICE_DAY = (8.0, 7.5)
ROTATING_GROUPS = ("Sygeplejersker", "SOSU-assistenter", "Radiografer", "Bioanalytikere")
#: The staff group agency staff are booked for (default: nurses).
AGENCY_GROUP = {"RAD": "Radiografer", "KBA": "Bioanalytikere"}


@dataclass(frozen=True)
class RosterProfile:
    """How a department plans and works (drives the generated rosters)."""

    kind: str  # ward, ed, outpatient, diagnostic, intensive
    mix: tuple[float, float, float]  # day, evening, night shares of rotating shifts
    adaptive: bool = False  # staffing follows the week's pattern
    doctors_rotate: bool = False  # doctors work day/evening/night instead of days + on call at home
    overtime_rate: float = 0.12  # share of shifts that run over
    overtime_mean_h: float = 0.7
    agency_per_day: float = 0.3  # agency shifts a day
    short_notice: float = 0.05  # share of rostered shifts changed within the notice
    missing_actual: float = 0.01  # share of shifts without registered actual times
    quick_return: float = 0.08  # chance that an evening is followed by a day shift
    double_rate: float = 0.006  # chance that a day shift runs on as an evening shift
    toil_share: float = 0.35  # share of overtime taken as time off in lieu
    demand_level: float = 20.0  # census or arrivals per hour, on average


PROFILES: dict[str, RosterProfile] = {
    "KAR": RosterProfile("ward", (0.68, 0.24, 0.08), adaptive=True, quick_return=0.04, demand_level=24),
    "LUN": RosterProfile(
        "ward", (0.68, 0.24, 0.08), short_notice=0.16, agency_per_day=1.3, quick_return=0.12, demand_level=20
    ),
    "END": RosterProfile("outpatient", (1.0, 0.0, 0.0), adaptive=True, demand_level=9),
    "GER": RosterProfile("ward", (0.68, 0.24, 0.08), missing_actual=0.11, demand_level=22),
    "ORT": RosterProfile(
        "ward",
        (0.68, 0.24, 0.08),
        overtime_rate=0.42,
        overtime_mean_h=1.15,
        toil_share=0.55,
        quick_return=0.25,
        double_rate=0.02,
        demand_level=26,
    ),
    "MAV": RosterProfile("ward", (0.68, 0.24, 0.08), overtime_rate=0.2, quick_return=0.06, demand_level=22),
    "URO": RosterProfile("outpatient", (0.8, 0.2, 0.0), adaptive=True, demand_level=10),
    "ANE": RosterProfile(
        "intensive", (0.66, 0.24, 0.1), doctors_rotate=True, overtime_rate=0.18, demand_level=12
    ),
    "AKU": RosterProfile(
        "ed",
        (0.56, 0.29, 0.15),
        doctors_rotate=True,
        overtime_rate=0.3,
        agency_per_day=2.8,
        short_notice=0.09,
        quick_return=0.12,
        demand_level=7,
    ),
    "RAD": RosterProfile("diagnostic", (0.72, 0.22, 0.06), adaptive=True, demand_level=14),
    "KBA": RosterProfile("diagnostic", (0.7, 0.23, 0.07), adaptive=True, demand_level=120),
}


# --------------------------------------------------------------------------- shifts


def _roster_months(ctx: SampleContext) -> list[str]:
    return ctx.months[-ROSTER_MONTHS:]


def _hours(day: np.ndarray, hour: float) -> np.ndarray:
    return day + np.timedelta64(round(hour * 60), "m")


@register("roster", formats={"shifts": "parquet", "patient_flow": "parquet", "toil_balances": "parquet"})
def generate_roster(ctx: SampleContext) -> dict[str, pd.DataFrame]:
    """Shifts, patients by hour and time-off-in-lieu balances for every department."""
    rng = ctx.rng_for("roster")
    months = _roster_months(ctx)
    first = pd.Period(months[0], freq="M").start_time
    last = pd.Period(months[-1], freq="M").end_time.normalize()
    days = pd.date_range(first, last, freq="D")
    hr = ctx.tables["hr"]
    hr = hr[hr["period"].isin(months)]
    shift_parts, flow_parts, toil_parts = [], [], []
    for dep in ctx.departments.itertuples(index=False):
        profile = PROFILES.get(dep.code)
        if profile is None:
            continue
        staff = hr[hr["unit_id"] == dep.unit_id]
        shifts = _department_shifts(rng, dep.unit_id, dep.code, profile, staff, days)
        shift_parts.append(shifts)
        flow_parts.append(_patient_flow(rng, dep.unit_id, profile, days))
        toil_parts.append(_toil(rng, dep.unit_id, profile, staff, shifts, months))
    shifts = pd.concat(shift_parts, ignore_index=True)
    shifts = shifts.sort_values(["unit_id", "planned_start", "employee_id", "on_call"], kind="stable")
    return {
        "shifts": shifts.reset_index(drop=True),
        "patient_flow": pd.concat(flow_parts, ignore_index=True),
        "toil_balances": pd.concat(toil_parts, ignore_index=True),
    }


def _weekday_factor(profile: RosterProfile, weekday: int) -> float:
    if profile.kind == "outpatient":
        return 1.4 if weekday < 5 else 0.0
    if not profile.adaptive:
        return 1.0
    return 1.12 if weekday < 5 else 0.7


def _department_shifts(
    rng: np.random.Generator,
    unit_id: str,
    code: str,
    profile: RosterProfile,
    staff: pd.DataFrame,
    days: pd.DatetimeIndex,
) -> pd.DataFrame:
    employees = staff.drop_duplicates("employee_id")[["employee_id", "staff_group", "fte"]].reset_index(
        drop=True
    )
    active = (
        pd.crosstab(staff["employee_id"], staff["period"]).reindex(employees["employee_id"]).fillna(0) > 0
    )
    month_of_day = days.strftime("%Y-%m")
    active_days = active.reindex(columns=month_of_day, fill_value=False).to_numpy()
    n, n_days = len(employees), len(days)
    groups = employees["staff_group"].to_numpy()
    fte = employees["fte"].to_numpy()
    is_doctor = groups == "Læger"
    rotating = np.isin(groups, ROTATING_GROUPS) & (profile.kind != "outpatient")
    if profile.doctors_rotate:
        rotating |= is_doctor
    state = np.zeros((n, n_days), dtype=np.int8)
    on_call = np.zeros((n, n_days), dtype=bool)
    prev = np.zeros(n, dtype=np.int8)
    off_after_call = np.zeros(n, dtype=bool)
    mix = np.array(profile.mix) / sum(profile.mix)
    n_doctors = int(is_doctor.sum())
    call_per_day = 0 if profile.doctors_rotate or n_doctors == 0 else (1 if n_doctors < 12 else 2)
    for d in range(n_days):
        wd = days[d].day_of_week
        factor = _weekday_factor(profile, wd)
        p_work = np.clip(0.62 * fte * factor, 0, 0.97)
        u = rng.random(n)
        work = (u < p_work) & active_days[:, d]
        kind = rng.choice([DAY, EVENING, NIGHT], size=n, p=mix).astype(np.int8)
        # Nights come in series; after a night only another night or a day off.
        after_night = prev == NIGHT
        kind = np.where(after_night, NIGHT, kind)
        work = np.where(after_night, active_days[:, d] & (rng.random(n) < 0.6), work)
        # A day shift right after an evening is a quick return (8 hours' rest): kept only sometimes.
        quick = (prev == EVENING) & (kind == DAY)
        kind = np.where(quick & (rng.random(n) >= profile.quick_return), EVENING, kind)
        # Staff outside the rotation (doctors with on-call duty, office staff) work weekday days.
        day_only = ~rotating
        kind = np.where(day_only, DAY, kind)
        weekday_work = active_days[:, d] & (wd < 5) & (rng.random(n) < 0.92 * fte)
        work = np.where(day_only, weekday_work, work)
        work &= ~off_after_call
        double = work & rotating & (kind == DAY) & (rng.random(n) < profile.double_rate)
        today = np.where(work, np.where(double, DOUBLE, kind), OFF).astype(np.int8)
        if profile.kind == "intensive":
            # Intensive-care doctors sometimes stay on call on site after the day shift.
            on_site = is_doctor & (today == DAY) & (rng.random(n) < 0.06)
            today = np.where(on_site, DAY_ON_SITE, today).astype(np.int8)
        state[:, d] = today
        off_after_call[:] = False
        if call_per_day:
            candidates = np.flatnonzero(is_doctor & active_days[:, d] & ((today == DAY) | (today == OFF)))
            if len(candidates):
                chosen = rng.choice(candidates, size=min(call_per_day, len(candidates)), replace=False)
                on_call[chosen, d] = True
                off_after_call[chosen] = rng.random(len(chosen)) < 0.94
        prev = np.where(today == DOUBLE, EVENING, np.where(today == DAY_ON_SITE, DAY, today))
    return _materialise(rng, unit_id, code, profile, employees, days, state, on_call, is_doctor, rotating)


def _materialise(
    rng: np.random.Generator,
    unit_id: str,
    code: str,
    profile: RosterProfile,
    employees: pd.DataFrame,
    days: pd.DatetimeIndex,
    state: np.ndarray,
    on_call: np.ndarray,
    is_doctor: np.ndarray,
    rotating: np.ndarray,
) -> pd.DataFrame:
    day0 = days.to_numpy().astype("datetime64[m]")
    emp_idx, day_idx = np.nonzero(state)
    kinds = state[emp_idx, day_idx]
    # A shift followed directly by more work keeps its planned end (no overtime), and the
    # shift that follows keeps its planned start, so working time never overlaps.
    before_call = on_call[emp_idx, day_idx]
    rows: list[pd.DataFrame] = []

    def block(
        emp: np.ndarray,
        d: np.ndarray,
        shift_type: str,
        times: tuple[float, float] | np.ndarray,
        *,
        on_call_kind: str = "none",
        fixed_end: np.ndarray | bool = False,
        fixed_start: bool = False,
    ) -> pd.DataFrame:
        base = day0[d]
        if isinstance(times, tuple):
            start = _hours(base, times[0])
            length = np.full(len(d), times[1])
        else:
            start = base + (times[:, 0] * 60).astype("timedelta64[m]")
            length = times[:, 1]
        end = start + (length * 60).astype(np.int64).astype("timedelta64[m]")
        return pd.DataFrame(
            {
                "employee_id": employees["employee_id"].to_numpy()[emp],
                "staff_group": employees["staff_group"].to_numpy()[emp],
                "shift_type": shift_type,
                "planned_start": start,
                "planned_end": end,
                "on_call": on_call_kind,
                "agency": False,
                "_fixed_end": fixed_end,
                "_fixed_start": fixed_start,
            }
        )

    doc = is_doctor[emp_idx] & ~rotating[emp_idx]
    office = ~rotating[emp_idx] & ~is_doctor[emp_idx]
    for k, name in ((DAY, "day"), (EVENING, "evening"), (NIGHT, "night")):
        sel = (kinds == k) & rotating[emp_idx]
        rows.append(block(emp_idx[sel], day_idx[sel], name, ROTATING_TIMES[k]))
    sel = (kinds == DAY) & doc
    rows.append(block(emp_idx[sel], day_idx[sel], "day", DOCTOR_DAY, fixed_end=before_call[sel]))
    sel = (kinds == DAY) & office
    rows.append(block(emp_idx[sel], day_idx[sel], "day", OFFICE_DAY))
    sel = kinds == DOUBLE
    rows.append(block(emp_idx[sel], day_idx[sel], "day", ROTATING_TIMES[DAY], fixed_end=True))
    rows.append(block(emp_idx[sel], day_idx[sel], "evening", ROTATING_TIMES[EVENING], fixed_start=True))
    # On-site on-call after a day shift (intensive-care doctors): one long stretch of work.
    sel = kinds == DAY_ON_SITE
    rows.append(block(emp_idx[sel], day_idx[sel], "day", ROTATING_TIMES[DAY], fixed_end=True))
    rows.append(
        block(emp_idx[sel], day_idx[sel], "on_call", (15.0, 6.0), on_call_kind="on_site", fixed_start=True)
    )
    # On-call duty at home: 16–08 on weekdays after the day shift, 08–08 at weekends.
    ce, cd = np.nonzero(on_call)
    weekend = days.day_of_week.to_numpy()[cd] >= 5
    times = np.column_stack([np.where(weekend, 8.0, 16.0), np.where(weekend, 24.0, 16.0)])
    rows.append(block(ce, cd, "on_call", times, on_call_kind="at_home"))
    # Call-ins: about a third of the duties, 1–4 hours, starting between 17:30 and 01:00.
    called = rng.random(len(ce)) < 0.38
    start_h = rng.uniform(17.5, 25.0, called.sum())
    length = np.round(rng.uniform(1.0, 4.0, called.sum()) * 4) / 4
    rows.append(
        block(
            ce[called],
            cd[called],
            "on_call",
            np.column_stack([start_h, length]),
            on_call_kind="called_in",
            fixed_end=True,
            fixed_start=True,
        )
    )
    own = pd.concat(rows, ignore_index=True)
    agency = _agency(rng, code, profile, days)
    shifts = pd.concat([own, agency], ignore_index=True)
    shifts["unit_id"] = unit_id
    return _actuals(rng, profile, shifts)


def _agency(
    rng: np.random.Generator, code: str, profile: RosterProfile, days: pd.DatetimeIndex
) -> pd.DataFrame:
    """Agency shifts: a pool of agency nurses, each with one fixed kind of shift (mostly nights)."""
    if profile.agency_per_day <= 0 or profile.kind == "outpatient":
        return pd.DataFrame()
    pool = 8
    kinds = np.array([NIGHT, NIGHT, NIGHT, EVENING, EVENING, DAY, NIGHT, EVENING])
    ids = np.array([f"V{code}{i:02d}{int(x)}" for i, x in enumerate(rng.integers(1000, 9999, pool))])
    day0 = days.to_numpy().astype("datetime64[m]")
    frames = []
    for d in range(len(days)):
        n = min(rng.poisson(profile.agency_per_day), pool)
        if n == 0:
            continue
        who = rng.choice(pool, size=n, replace=False)
        for w in who:
            start_h, length = ROTATING_TIMES[int(kinds[w])]
            start = _hours(day0[d : d + 1], start_h)
            frames.append(
                (
                    ids[w],
                    {DAY: "day", EVENING: "evening", NIGHT: "night"}[int(kinds[w])],
                    start[0],
                    start[0] + np.timedelta64(int(length * 60), "m"),
                )
            )
    out = pd.DataFrame(frames, columns=["employee_id", "shift_type", "planned_start", "planned_end"])
    out["staff_group"] = AGENCY_GROUP.get(code, "Sygeplejersker")
    out["on_call"] = "none"
    out["agency"] = True
    return out


def _actuals(rng: np.random.Generator, profile: RosterProfile, shifts: pd.DataFrame) -> pd.DataFrame:
    """Actual times (overtime, small deviations), last change, cost."""
    n = len(shifts)
    start = shifts["planned_start"].to_numpy().astype("datetime64[m]")
    end = shifts["planned_end"].to_numpy().astype("datetime64[m]")
    kind = shifts["on_call"].to_numpy()
    regular = kind == "none"
    fixed_end = shifts["_fixed_end"].fillna(False).to_numpy().astype(bool)
    fixed_start = shifts["_fixed_start"].fillna(False).to_numpy().astype(bool)
    is_agency = shifts["agency"].to_numpy().astype(bool)
    # Overtime: the shift runs over (not when more work follows at once, not agency staff).
    runs_over = regular & ~fixed_end & ~is_agency & (rng.random(n) < profile.overtime_rate)
    extra = np.round(rng.gamma(2.0, profile.overtime_mean_h / 2.0, n) * 12) / 12  # 5-minute steps
    extra_min = np.where(runs_over, np.maximum(extra, 1 / 12) * 60, 0).astype(np.int64)
    early = regular & ~fixed_start & (rng.random(n) < 0.15)
    early_min = np.where(early, rng.integers(5, 15, n), 0)
    actual_start = start - early_min.astype("timedelta64[m]")
    actual_end = end + extra_min.astype("timedelta64[m]")
    missing = (kind != "at_home") & (rng.random(n) < profile.missing_actual)
    no_actual = missing | (kind == "at_home")
    out = shifts.drop(columns=["_fixed_end", "_fixed_start"]).copy()
    out["actual_start"] = pd.Series(actual_start.astype("datetime64[ns]")).where(~no_actual)
    out["actual_end"] = pd.Series(actual_end.astype("datetime64[ns]")).where(~no_actual)
    # Last change: most shifts are never changed after publication; some within the notice.
    u = rng.random(n)
    short = np.where(is_agency, 0.7, profile.short_notice)
    lead_h = np.where(u < short, rng.uniform(2, 95, n), rng.uniform(4 * 24 + 1, 40 * 24, n))
    changed = (u < short) | (u > 0.8)
    changed &= kind != "called_in"
    changed_at = start - (lead_h * 60).astype(np.int64).astype("timedelta64[m]")
    out["changed_at"] = pd.Series(changed_at.astype("datetime64[ns]")).where(changed)
    hours = (
        np.where(no_actual, end, actual_end) - np.where(no_actual, start, actual_start)
    ) / np.timedelta64(1, "h")
    rate = out["staff_group"].map(STAFF_RATES).fillna(320.0).to_numpy()
    supplement = np.select(
        [out["shift_type"].to_numpy() == "night", out["shift_type"].to_numpy() == "evening"], [1.5, 1.25], 1.0
    )
    factor = np.select([kind == "at_home", kind == "called_in"], [0.25, 1.5], supplement)
    factor = np.where(is_agency, factor * 1.7, factor)
    out["cost_kr"] = np.round(hours * rate * factor, 0)
    out["planned_start"] = out["planned_start"].astype("datetime64[ns]")
    out["planned_end"] = out["planned_end"].astype("datetime64[ns]")
    out["period"] = out["planned_start"].dt.strftime("%Y-%m")
    columns = [
        "period",
        "unit_id",
        "employee_id",
        "staff_group",
        "shift_type",
        "planned_start",
        "planned_end",
        "actual_start",
        "actual_end",
        "changed_at",
        "agency",
        "on_call",
        "cost_kr",
    ]
    return out[columns]


# --------------------------------------------------------------------------- patient flow


def _hour_profile(kind: str) -> tuple[np.ndarray, np.ndarray]:
    """Relative arrivals by hour of day, and by weekday (Monday first)."""
    h = np.arange(24)
    if kind == "ed":
        by_hour = 0.2 + 2.0 * np.exp(-0.5 * ((h - 15.0) / 4.0) ** 2)
        by_day = np.array([1.18, 1.05, 1.0, 1.0, 1.05, 0.88, 0.84])
    elif kind in ("outpatient",):
        by_hour = np.where((h >= 8) & (h < 15), 1.0, 0.0)
        by_day = np.array([1.0, 1.0, 1.0, 1.0, 0.9, 0.0, 0.0])
    elif kind == "diagnostic":
        by_hour = 0.3 + 1.0 * np.exp(-0.5 * ((h - 10.5) / 3.0) ** 2) + 0.35 * ((h >= 15) & (h < 23))
        by_day = np.array([1.1, 1.05, 1.05, 1.0, 1.0, 0.45, 0.4])
    else:  # wards and intensive care: admissions in the daytime
        by_hour = 0.1 + np.exp(-0.5 * ((h - 14.0) / 3.5) ** 2)
        by_day = np.array([1.15, 1.1, 1.05, 1.05, 1.0, 0.8, 0.75])
    return by_hour / by_hour.mean(), by_day / by_day.mean()


def _patient_flow(
    rng: np.random.Generator, unit_id: str, profile: RosterProfile, days: pd.DatetimeIndex
) -> pd.DataFrame:
    hours = pd.date_range(days[0], days[-1] + pd.Timedelta(hours=23), freq="h")
    by_hour, by_day = _hour_profile(profile.kind)
    shape = by_hour[hours.hour] * by_day[hours.day_of_week]
    census = None
    if profile.kind in ("ward", "intensive"):
        # Patients present: nearly flat over the day, lower at weekends where surgery is elective.
        admissions = rng.poisson(profile.demand_level / 6.0 * shape).astype(float)
        weekday = np.where(hours.day_of_week >= 5, 0.93 if profile.adaptive else 0.97, 1.0)
        dip = 1 - 0.05 * np.exp(-0.5 * ((hours.hour - 13.0) / 2.5) ** 2)
        drift = np.cumsum(rng.normal(0, 0.01, len(hours)))
        drift = drift - pd.Series(drift).rolling(24 * 14, min_periods=1).mean().to_numpy()
        census = np.round(profile.demand_level * weekday * dip * (1 + drift), 0)
        arrivals = admissions
    else:
        arrivals = rng.poisson(profile.demand_level * shape).astype(float)
        if profile.kind == "ed":
            # Patients present in the department: arrivals staying about three hours.
            kernel = np.exp(-np.arange(10) / 3.0)
            census = np.round(np.convolve(arrivals, kernel / kernel.sum() * 3.0)[: len(arrivals)], 0)
    return pd.DataFrame(
        {
            "period": hours.strftime("%Y-%m"),
            "unit_id": unit_id,
            "hour": hours,
            "arrivals": arrivals,
            "census": census if census is not None else np.nan,
        }
    )


# --------------------------------------------------------------------------- time off in lieu


def _toil(
    rng: np.random.Generator,
    unit_id: str,
    profile: RosterProfile,
    staff: pd.DataFrame,
    shifts: pd.DataFrame,
    months: list[str],
) -> pd.DataFrame:
    """Month-end balances: part of each month's overtime is saved, part of the balance taken."""
    own = shifts[~shifts["agency"].astype(bool) & shifts["actual_end"].notna()]
    over = (own["actual_end"] - own["planned_end"]).clip(lower=pd.Timedelta(0)) / pd.Timedelta(hours=1)
    earned = (
        pd.DataFrame({"employee_id": own["employee_id"], "period": own["period"], "h": over})
        .groupby(["employee_id", "period"])["h"]
        .sum()
    )
    active = staff.pivot_table(index="employee_id", columns="period", values="fte", aggfunc="size").reindex(
        columns=months
    )
    ids = active.index.to_numpy()
    grid = (
        earned.reindex(pd.MultiIndex.from_product([ids, months]))
        .fillna(0.0)
        .to_numpy()
        .reshape(len(ids), len(months))
    )
    balance = rng.gamma(1.5, 6.0, len(ids)) * (1.6 if profile.toil_share > 0.5 else 1.0)
    out = np.zeros_like(grid)
    for k in range(len(months)):
        taken = balance * rng.uniform(0.05, 0.3 if profile.toil_share < 0.5 else 0.12, len(ids))
        balance = np.maximum(balance + grid[:, k] * profile.toil_share - taken, 0.0)
        out[:, k] = balance
    present = active.notna().to_numpy()
    e, m = np.nonzero(present)
    return pd.DataFrame(
        {
            "period": np.array(months)[m],
            "unit_id": unit_id,
            "employee_id": ids[e],
            "balance_hours": np.round(out[e, m], 1),
        }
    )
