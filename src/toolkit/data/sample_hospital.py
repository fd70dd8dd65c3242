"""The sample hospital's core tables: organisation, volume, hours, HR, finance, goals.

The fictional *Fjordby Sygehus* (see :mod:`toolkit.data.samples` for its departments and the
registry through which the analyses add their own tables). :func:`core_tables` fills a
:class:`~toolkit.data.samples.SampleContext` with every core table, seeded, so that the same
seed always gives the same data.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from toolkit.data.samples import (
    ACT,
    CENTRES,
    DEPARTMENTS,
    HOLIDAY_PROFILE,
    STAFF_RATES,
    VOLUME_SEASON,
    DepartmentSpec,
    SampleContext,
)


def _workdays(period: str) -> int:
    p = pd.Period(period, freq="M")
    days = pd.date_range(p.start_time, p.end_time, freq="D")
    return int((days.day_of_week < 5).sum())


def organisation(scale: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    names = ["Fjordby Sygehus", "Åby Sygehus", "Skovlund Sygehus", "Havnestad Sygehus", "Bakkedal Sygehus"]
    units: list[tuple[str, str, str, str | None]] = []
    depts: list[tuple[str, str, str, str, str]] = []
    for k in range(scale):
        code = "FS" if k == 0 else f"S{k + 1:02d}"
        hname = names[k] if k < len(names) else f"Sygehus {k + 1}"
        units.append((code, hname, "hospital", None))
        for c, cname in CENTRES.items():
            units.append((f"{code}-{c}", cname, "centre", code))
        for d in DEPARTMENTS:
            uid = f"{code}-{d.code}"
            units.append((uid, d.name, "department", f"{code}-{d.centre}"))
            depts.append((uid, d.name, f"{code}-{d.centre}", d.code, code))
    return (
        pd.DataFrame(units, columns=["unit_id", "name", "level", "parent_id"]),
        pd.DataFrame(depts, columns=["unit_id", "name", "centre_id", "code", "hospital_id"]),
    )


def core_tables(ctx: SampleContext) -> None:
    rng, months = ctx.rng, ctx.months
    n_m = len(months)
    month_no = np.array([int(m[5:]) for m in months])
    workdays = np.array([_workdays(m) for m in months], dtype=float)
    t = np.linspace(0.0, 1.0, n_m)
    spec_by_code = {d.code: d for d in DEPARTMENTS}
    hours_parts, hr_parts, vol_rows, fin_rows, goal_rows = [], [], [], [], []
    used_ids: set[int] = set()
    employee_rows = []
    for dep in ctx.departments.itertuples(index=False):
        spec = spec_by_code[dep.code]
        groups = np.concatenate([[g] * n for g, n in spec.groups.items()])
        n = len(groups)
        ids = _employee_ids(rng, n, used_ids)
        fte = rng.choice([1.0, 0.8, 0.6], size=n, p=[0.74, 0.2, 0.06])
        start = np.where(rng.random(n) < 0.1, rng.integers(1, n_m, n), 0)
        stop = np.where(rng.random(n) < 0.1, rng.integers(1, n_m, n), n_m)
        stop = np.maximum(stop, start + 1)
        idx = np.arange(n_m)
        active = (idx[None, :] >= start[:, None]) & (idx[None, :] < stop[:, None])
        if spec.problem == "productivity":
            # Extra staff joins over the period; the volume does not follow.
            extra = rng.random(n) < 0.22
            join = rng.integers(n_m // 3, n_m, n)
            active = np.where(extra[:, None], idx[None, :] >= join[:, None], active)
        contracted = fte[:, None] * workdays[None, :] * 7.4 * active
        hol = contracted * HOLIDAY_PROFILE[month_no - 1][None, :] * rng.lognormal(0, 0.35, (n, n_m))
        hol = np.minimum(hol, 0.8 * contracted)
        possible = contracted - hol
        base = 0.042 * rng.gamma(0.7, 1 / 0.7, n)[:, None]
        season = 1 + 0.3 * np.cos(2 * np.pi * (month_no - 1) / 12)[None, :]
        trend = 1 + (0.9 * t[None, :] if spec.problem == "sick_leave" else 0.0)
        sick = possible * np.clip(base * season * trend * rng.lognormal(0, 0.5, (n, n_m)), 0, 1)
        # Long-term sickness comes in episodes of 1-4 whole months; in the problem department
        # episodes become more frequent over the period.
        start_p = 0.004 * (1 + 4 * t[None, :] if spec.problem == "sick_leave" else 1.0)
        starts = rng.random((n, n_m)) < start_p
        length = rng.integers(1, 5, (n, n_m))
        ends = np.where(starts, idx[None, :] + length, -1)
        ongoing = np.maximum.accumulate(ends, axis=1) > idx[None, :]
        sick = np.where(ongoing, possible, sick)
        child = possible * 0.004 * (rng.random(n) < 0.35)[:, None] * rng.lognormal(0, 0.6, (n, n_m))
        injury = possible * 0.25 * (rng.random((n, n_m)) < 0.003)
        parental = np.zeros((n, n_m))
        on_leave = rng.random(n) < 0.04
        leave_start = rng.integers(0, n_m, n)
        leave_mask = (
            on_leave[:, None]
            & (idx[None, :] >= leave_start[:, None])
            & (idx[None, :] < leave_start[:, None] + 8)
        )
        parental = np.where(leave_mask, possible, parental)
        other = possible * 0.011 * rng.lognormal(0, 0.5, (n, n_m))
        absence = sick + child + injury + parental + other
        scale_down = np.where(absence > possible, possible / np.maximum(absence, 1e-9), 1.0)
        sick, child, injury, parental, other = (
            x * scale_down for x in (sick, child, injury, parental, other)
        )
        present = np.maximum(possible - (sick + child + injury + parental + other), 0)
        ot_rate = np.select([groups == "Læger", groups == "Sygeplejersker"], [0.05, 0.03], 0.012)
        dept_ot = {"AKU": 1.6, "ORT": 1.3, "ANE": 1.2}.get(dep.code, 1.0)
        ot_trend = 1 + (1.5 * t[None, :] if spec.problem == "budget" else 0.0)
        overtime = present * ot_rate[:, None] * dept_ot * ot_trend * rng.lognormal(0, 0.5, (n, n_m))
        extra_h = (
            np.where(groups == "Læger", 1.0, 0.0)[:, None] * present * 0.03 * rng.lognormal(0, 0.5, (n, n_m))
        )
        worked = present + overtime + extra_h
        unreg = rng.uniform(0.02, 0.07, n)[:, None]
        registered = worked * (1 - unreg)
        internal_share = {
            "ADM": np.where(groups == "Lægesekretærer", 0.55, np.where(groups == "Læger", 0.07, 0.04)),
            "UDD": np.where(groups == "Læger", 0.08, 0.035),
            "KVA": np.where(groups == "Læger", 0.03, 0.02),
        }
        core_share = 1 - sum(internal_share.values())
        weights = rng.dirichlet(np.ones(len(spec.activities)) * 4, n)
        per_activity: dict[str, np.ndarray] = {}
        for a, share in internal_share.items():
            per_activity[a] = registered * share[:, None]
        for j, a in enumerate(spec.activities):
            per_activity[a] = registered * (core_share * weights[:, j])[:, None]
        # Overtime and extra hours are registered on the first core activity of each employee.
        main = np.array(spec.activities)[weights.argmax(axis=1)]
        ids_grid = np.repeat(ids[:, None], n_m, axis=1)
        per_grid = np.repeat(np.array(months)[None, :], n, axis=0)

        def emit(
            category: str,
            activity: object,
            values: np.ndarray,
            mask: np.ndarray,
            unit_id: str = dep.unit_id,
            per_grid: np.ndarray = per_grid,
            ids_grid: np.ndarray = ids_grid,
        ) -> None:
            m = mask & (values > 0.005)
            if not m.any():
                return
            act = activity[m] if isinstance(activity, np.ndarray) else activity
            hours_parts.append(
                pd.DataFrame(
                    {
                        "period": per_grid[m],
                        "unit_id": unit_id,
                        "employee_id": ids_grid[m],
                        "activity_id": act,
                        "time_category": category,
                        "hours": np.round(values[m], 2),
                    }
                )
            )

        # Work hours on an activity: productive = registered minus overtime/extra on the main activity.
        main_grid = np.repeat(main[:, None], n_m, axis=1)
        for a, values in per_activity.items():
            if a in spec.activities:
                is_main = main_grid == a
                reg_ot = np.where(is_main, (overtime + extra_h) * (1 - unreg), 0)
                emit("productive", a, np.maximum(values - reg_ot, 0), active)
            else:
                emit("productive", a, values, active)
        emit("overtime", main_grid, overtime * (1 - unreg), active)
        emit("extra_hours", main_grid, extra_h * (1 - unreg), active)
        for cat, values in (
            ("holiday", hol),
            ("sick_own", sick),
            ("sick_child", child),
            ("work_injury", injury),
            ("parental_leave", parental),
            ("other_absence", other),
        ):
            emit(cat, None, values, active)
        am = active
        hr_parts.append(
            pd.DataFrame(
                {
                    "period": per_grid[am],
                    "unit_id": dep.unit_id,
                    "employee_id": ids_grid[am],
                    "staff_group": np.repeat(groups[:, None], n_m, axis=1)[am],
                    "fte": np.repeat(fte[:, None], n_m, axis=1)[am],
                    "contracted_hours": np.round(contracted[am], 2),
                }
            )
        )
        employee_rows.append(
            pd.DataFrame({"unit_id": dep.unit_id, "employee_id": ids, "staff_group": groups, "fte": fte})
        )
        # Volume: core hours × productivity × season, with noise. The plan is what the unit
        # expects: the same calendar month's average over the years, without noise.
        for a in spec.activities:
            rate = ACT[a][4]
            actual_hours = per_activity[a].sum(axis=0)
            noise = rng.normal(1, 0.03, n_m)
            expected = actual_hours * rate * VOLUME_SEASON[month_no - 1] / VOLUME_SEASON.mean()
            if spec.problem == "productivity":
                expected = expected / (actual_hours / actual_hours[: n_m // 3].mean()) ** 0.85
            act_vol = expected * noise
            plan = pd.Series(expected).groupby(month_no).transform("mean").to_numpy() * 1.01
            decimals = 0
            for i, m in enumerate(months):
                vol_rows.append(
                    (m, dep.unit_id, a, round(float(act_vol[i]), decimals), round(float(plan[i]), decimals))
                )
        # Finance.
        rates = np.array([STAFF_RATES[g] for g in groups])
        salary = (
            contracted * rates[:, None] + overtime * rates[:, None] * 1.5 + extra_h * rates[:, None]
        ).sum(axis=0)
        base_staff = (fte * rates)[:, None] * workdays[None, :] * 7.4 * (start == 0)[:, None] * 1.0
        salary_budget = base_staff.sum(axis=0) * 1.035
        fin_rows += _finance(ctx, dep, spec, months, month_no, salary, salary_budget, vol_rows, t)
        goal_rows += _goals(ctx, dep, spec, months, t)
    ctx.tables["hours"] = pd.concat(hours_parts, ignore_index=True)
    ctx.tables["hr"] = pd.concat(hr_parts, ignore_index=True)
    ctx.tables["volume"] = pd.DataFrame(
        vol_rows, columns=["period", "unit_id", "activity_id", "actual", "planned"]
    )
    ctx.tables["finance"] = pd.DataFrame(
        fin_rows, columns=["period", "unit_id", "account_group", "activity_id", "budget", "actual"]
    )
    ctx.tables["goals"] = pd.DataFrame(
        goal_rows,
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
    )
    ctx.employees = pd.concat(employee_rows, ignore_index=True)
    ctx.tables["recipients"] = recipients(ctx.units)
    ctx.tables["budget_explanations"] = _explanations(ctx)


def _employee_ids(rng: np.random.Generator, n: int, used: set[int]) -> np.ndarray:
    out: list[str] = []
    while len(out) < n:
        for v in rng.integers(100_000, 1_000_000, n * 2):
            if int(v) not in used:
                used.add(int(v))
                out.append(f"E{int(v)}")
                if len(out) == n:
                    break
    return np.array(out)


def _finance(
    ctx: SampleContext,
    dep: Any,
    spec: DepartmentSpec,
    months: list[str],
    month_no: np.ndarray,
    salary: np.ndarray,
    salary_budget: np.ndarray,
    vol_rows: list[tuple[Any, ...]],
    t: np.ndarray,
) -> list[tuple[Any, ...]]:
    rng = ctx.rng
    rows: list[tuple[Any, ...]] = []
    vol = pd.DataFrame(
        [r for r in vol_rows if r[1] == dep.unit_id], columns=["period", "unit_id", "a", "actual", "planned"]
    )
    year_end = f"{months[-1][:4]}-12"
    all_months = [str(p) for p in pd.period_range(months[0], year_end, freq="M")]
    premises = rng.uniform(150_000, 420_000)
    for i, m in enumerate(all_months):
        has_actual = m <= months[-1]
        wd = _workdays(m)
        mn = int(m[5:])
        k = min(i, len(months) - 1)
        vm = vol[vol["period"] == m] if has_actual else vol[vol["period"] == months[k]]
        planned = dict(zip(vm["a"], vm["planned"], strict=False))
        actual_v = dict(zip(vm["a"], vm["actual"], strict=False))
        sal_b = (
            float(salary_budget[k])
            if has_actual
            else float(salary_budget[-1]) * wd / max(_workdays(months[-1]), 1)
        )
        rows.append(
            (
                m,
                dep.unit_id,
                "salary",
                None,
                round(sal_b, 0),
                round(float(salary[i]), 0) if has_actual else None,
            )
        )
        med_rate = {"SENG": 420.0, "AKUT": 160.0, "AMB": 90.0, "OP": 1_300.0, "ANAE": 900.0}
        med_b = sum(planned.get(a, 0) * med_rate.get(a, 0) for a in spec.activities) + 25_000
        med_a = (
            sum(actual_v.get(a, 0) * med_rate.get(a, 0) for a in spec.activities) * rng.normal(1.0, 0.05)
            + 25_000
        )
        rows.append(
            (m, dep.unit_id, "medicine", None, round(med_b, 0), round(med_a, 0) if has_actual else None)
        )
        direct_b = 0.0
        for a in spec.activities:
            unit_cost = ACT[a][5]
            if dep.code == "ORT" and a == "OP":
                unit_cost = 14_000.0
            if unit_cost <= 0:
                continue
            direct_b += planned.get(a, 0) * unit_cost
            price = unit_cost * (1 + (0.5 * t[k] if spec.problem == "budget" else 0.0)) * rng.normal(1, 0.04)
            if has_actual:
                rows.append((m, dep.unit_id, "goods_services", a, 0.0, round(actual_v.get(a, 0) * price, 0)))
        gs_base = 0.03 * sal_b
        rows.append(
            (
                m,
                dep.unit_id,
                "goods_services",
                None,
                round(gs_base + direct_b, 0),
                round(gs_base * rng.normal(1, 0.08), 0) if has_actual else None,
            )
        )
        eq_b = 40_000.0
        eq_a = eq_b * rng.lognormal(-0.3, 0.4) + (rng.random() < 0.08) * rng.uniform(150_000, 600_000)
        rows.append(
            (
                m,
                dep.unit_id,
                "equipment",
                None,
                eq_b + (mn == 12) * 60_000,
                round(eq_a, 0) if has_actual else None,
            )
        )
        rows.append(
            (
                m,
                dep.unit_id,
                "premises",
                None,
                round(premises, 0),
                round(premises * rng.normal(1, 0.01), 0) if has_actual else None,
            )
        )
        rows.append(
            (
                m,
                dep.unit_id,
                "other",
                None,
                20_000.0,
                round(20_000 * rng.lognormal(0, 0.3), 0) if has_actual else None,
            )
        )
    return rows


EXPLANATIONS = {  # department code → (month offset from the end, account group, text)
    "ORT": [
        (
            1,
            "goods_services",
            "Implantatpriserne er steget efter nyt udbud; genforhandling med leverandøren pågår.",
        ),
        (
            1,
            "salary",
            "Overarbejde pga. to ubesatte overlægestillinger; stillingerne er besat pr. 1. december.",
        ),
    ],
    "AKU": [(2, "salary", "Ekstra sygeplejersker i det nye akutflow; finansieringen afklares med centret.")],
}


def _explanations(ctx: SampleContext) -> pd.DataFrame:
    rows = []
    for dep in ctx.departments.itertuples(index=False):
        for offset, group, text in EXPLANATIONS.get(dep.code, []):
            rows.append((ctx.months[-1 - offset], dep.unit_id, group, text))
    return pd.DataFrame(rows, columns=["period", "unit_id", "account_group", "explanation"])


GOAL_POOL = {  # name, measure unit, direction, target, activity (None: the unit as a whole)
    "VENT": ("Ventetid til første ambulante besøg", "dage", "lower", 30.0, "AMB"),
    "UDRED": ("Patienter udredt inden for 30 dage", "%", "higher", 90.0, "AMB"),
    "SYG": ("Sygefravær", "%", "lower", 5.0, None),
    "TILFR": ("Meget tilfredse patienter", "%", "higher", 85.0, None),
    "GENIND": ("Genindlæggelser inden for 30 dage", "%", "lower", 8.0, "SENG"),
    "LAEGE1T": ("Set af læge inden for 1 time", "%", "higher", 80.0, "AKUT"),
    "SVAR": ("Svar inden for aftalt svartid", "%", "higher", 95.0, None),
    "AFLYS": ("Aflyste operationer", "%", "lower", 3.0, "OP"),
}


def _goals(
    ctx: SampleContext, dep: Any, spec: DepartmentSpec, months: list[str], t: np.ndarray
) -> list[tuple[Any, ...]]:
    rng = ctx.rng
    keys = ["SYG", "TILFR"]
    if "AMB" in spec.activities:
        keys += ["VENT", "UDRED"]
    if "SENG" in spec.activities:
        keys.append("GENIND")
    if "AKUT" in spec.activities:
        keys.append("LAEGE1T")
    if spec.activities in (("SCAN",), ("LAB",)):
        keys.append("SVAR")
    if "OP" in spec.activities:
        keys.append("AFLYS")
    rows = []
    skill = rng.normal(1.0, 0.06)
    for key in keys:
        name, unit, direction, target, activity = GOAL_POOL[key]
        if key == "SVAR":
            activity = spec.activities[0]
        drift = rng.normal(0, 0.08)
        for i, m in enumerate(months):
            quality = skill + drift * t[i] + rng.normal(0, 0.05)
            if key == "SYG" and spec.problem == "sick_leave":
                quality -= 0.6 * t[i]
            actual = target * quality if direction == "higher" else target / max(quality, 0.3)
            if unit == "%":
                actual = min(actual, 100.0)
            value = None if rng.random() < 0.03 else round(float(actual), 1)
            rows.append((m, dep.unit_id, key, name, activity, unit, direction, target, value))
    return rows


#: Fictional managers of the sample hospital's units (first names and surnames are combined by
#: position, so every unit has its own person).
_FIRST = [
    "Anne",
    "Bo",
    "Camilla",
    "Dorthe",
    "Erik",
    "Frida",
    "Gustav",
    "Hanne",
    "Ib",
    "Jette",
    "Karsten",
    "Lene",
    "Mads",
    "Nina",
    "Ole",
]
_LAST = [
    "Andersen",
    "Bech",
    "Christensen",
    "Dam",
    "Eriksen",
    "Frandsen",
    "Gade",
    "Holm",
    "Iversen",
    "Juhl",
    "Kjær",
    "Lund",
    "Møller",
    "Nygaard",
    "Overgaard",
]


def _address(name: str, hospital: str) -> str:
    local = name.lower().replace(" ", ".")
    for a, b in (("æ", "ae"), ("ø", "oe"), ("å", "aa")):
        local = local.replace(a, b)
    suffix = "" if hospital == "FS" else f".{hospital.lower()}"
    return f"{local}{suffix}@example.org"


def recipients(units: pd.DataFrame) -> pd.DataFrame:
    """The sample recipients: every department manager, each centre manager with their
    departments (the KPI reports and the centre's need assessment), and the hospital's
    controller (the hospital's unit costs). Fixed, not random: the other tables do not change.
    """
    rows = []
    for i, unit in enumerate(units.itertuples(index=False)):
        name = f"{_FIRST[i % len(_FIRST)]} {_LAST[(i * 7 + i // len(_LAST)) % len(_LAST)]}"
        hospital = str(unit.unit_id).split("-")[0]
        if unit.level == "department":
            rows.append(
                (unit.unit_id, _address(name, hospital), name, "department_manager", "da", "all", False)
            )
        elif unit.level == "centre":
            language = "en" if str(unit.unit_id).endswith("-AC") else "da"
            reports = "kpi, need-assessment-centre"
            rows.append(
                (unit.unit_id, _address(name, hospital), name, "centre_manager", language, reports, True)
            )
        else:
            controller = f"Controller {unit.name}"
            rows.append(
                (
                    unit.unit_id,
                    _address("controller", hospital),
                    controller,
                    "controller",
                    "da",
                    "unit-cost",
                    False,
                )
            )
    return pd.DataFrame(
        rows, columns=["unit_id", "email", "name", "role", "language", "reports", "include_below"]
    )
