"""Sample unit-cost data for the fictional hospital, consistent with the core sample tables.

* The **ledger** of the departments is the ``finance`` table's actual spending by account group
  (implants booked on operations become their own cost type); hospital-wide service centres
  (administration, IT, buildings, cleaning, kitchen, sterile supplies) and two external centres
  (research, tasks for the municipalities) get their own costs, with a few credit lines.
* **Intermediate centres** pass costs on by keys computed from the sample: FTE from ``hr``, m²,
  meals from bed-days, sterile sets from operations, radiology and laboratory points, anaesthesia
  minutes. Radiology, clinical biochemistry and anaesthesia are service departments.
* **Resources** are each department's staff groups (cost from contracted hours × the hourly
  rate, time = contracted minutes less holidays) plus its rooms and equipment; **standard
  minutes** are last year's registered hours per activity and staff group over its volume.
* **Contacts** of the latest year match the ``volume`` table exactly (one contact per visit,
  operation, emergency contact; bed-days spread over the stays); implants and expensive medicine
  are assigned to contacts. **Tariffs** are set from a costing run so that the comparison has
  something to say: hip replacements cost clearly more than their tariff (the planted implant
  price rise), a few groups are small.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from toolkit.analyses.unit_cost.sample_contacts import patient_contacts, tariffs
from toolkit.data.samples import STAFF_RATES, SampleContext, register
from toolkit.data.schemas import get_table

STAFF_CODES = {
    "Læger": "LAEG",
    "Sygeplejersker": "SPL",
    "SOSU-assistenter": "SOSU",
    "Lægesekretærer": "SEKR",
    "Terapeuter": "TERA",
    "Radiografer": "RADI",
    "Bioanalytikere": "BIOA",
    "Serviceassistenter": "SERV",
}
COST_TYPES = [
    ("LOEN", "Løn", False),
    ("MEDICIN", "Medicin", False),
    ("IMPLANT", "Implantater og særlige varer", False),
    ("VARER", "Varer og tjenesteydelser", False),
    ("APPARATUR", "Apparatur og udstyr", False),
    ("HUSLEJE", "Bygninger og husleje", False),
    ("OEVRIGE", "Øvrige omkostninger", False),
    ("REFUSION", "Refusioner og interne indtægter", True),
]
ACCOUNT_TO_TYPE = {
    "salary": "LOEN",
    "medicine": "MEDICIN",
    "goods_services": "VARER",
    "equipment": "APPARATUR",
    "premises": "HUSLEJE",
    "other": "OEVRIGE",
}
# Hospital-wide centres: code, name, kind, monthly cost (kr.), FTE, m².
HOSPITAL_CENTRES = [
    ("ADM", "Administration og ledelse", "intermediate", 4_200_000, 120, 3_000),
    ("IT", "IT og digitalisering", "intermediate", 2_800_000, 60, 800),
    ("BYG", "Bygninger og teknik", "intermediate", 3_600_000, 40, 1_500),
    ("REN", "Rengøring og service", "intermediate", 1_900_000, 95, 600),
    ("KOST", "Køkken og kost", "intermediate", 1_500_000, 45, 2_200),
    ("STER", "Sterilcentral", "intermediate", 1_000_000, 30, 900),
    ("FORSK", "Forskning", "external", 1_400_000, 35, 1_800),
    ("EKST", "Opgaver for kommunerne", "external", 700_000, 15, 400),
]
KEYS = {
    "ADM": "årsværk",
    "IT": "it-brugere",
    "BYG": "m²",
    "REN": "m² rengjort",
    "KOST": "måltider",
    "STER": "sterilsæt",
    "RAD": "røntgenpoint",
    "KBA": "laboratoriepoint",
    "ANE": "anæstesiminutter",
}
TYPE_MIX = {"LOEN": 0.68, "VARER": 0.14, "APPARATUR": 0.06, "HUSLEJE": 0.07, "OEVRIGE": 0.05}
DEPARTMENT_M2 = {"KAR": 3200, "LUN": 2900, "END": 1500, "GER": 2600, "ORT": 3800, "MAV": 3300, "URO": 2000,
                 "ANE": 2800, "AKU": 3500, "RAD": 2400, "KBA": 1900}  # fmt: skip
RADIOLOGY_USE = {"AKU": 0.28, "ORT": 0.16, "LUN": 0.12, "KAR": 0.10, "MAV": 0.10, "URO": 0.07, "GER": 0.07,
                 "ANE": 0.06, "END": 0.04}  # fmt: skip
LAB_USE = {"AKU": 0.22, "KAR": 0.14, "LUN": 0.12, "ANE": 0.12, "GER": 0.10, "MAV": 0.10, "ORT": 0.08,
           "URO": 0.07, "END": 0.05}  # fmt: skip
OR_MINUTES = {"ORT": 140.0, "MAV": 160.0, "URO": 95.0}
ANAESTHESIA_MINUTES = {"ORT": 110.0, "MAV": 140.0, "URO": 70.0}
# Standard minutes are last year's registered time per case, tightened: registered time also holds
# waiting and interruptions, which the practical-capacity allowance covers.
STANDARD_FACTOR = 0.9
DOCUMENTATION_SHARE = 0.6


@register(
    "unit_cost",
    formats={"contacts": "parquet", "contact_activities": "parquet", "drg_groups": "xlsx"},
)
def generate(ctx: SampleContext) -> dict[str, pd.DataFrame]:
    """The unit-cost tables for every hospital of the sample (see the module docstring)."""
    rng = ctx.rng_for("unit_cost")
    parts: dict[str, list[pd.DataFrame]] = {}
    for hospital in sorted(ctx.departments["hospital_id"].unique()):
        for name, frame in _hospital(ctx, rng, hospital).items():
            parts.setdefault(name, []).append(frame)
    tables = {name: pd.concat(frames, ignore_index=True) for name, frames in parts.items()}
    tables["cost_types"] = pd.DataFrame(
        [(c, n, "ja" if neg else "nej") for c, n, neg in COST_TYPES],
        columns=["cost_type", "name", "allow_negative"],
    )
    tables["drg_groups"] = tariffs(ctx, tables)
    order = ["cost_types", "cost_centres", "ledger", "allocation_drivers", "resources", "standard_minutes",
             "drg_groups", "contacts", "contact_activities"]  # fmt: skip
    return {name: tables[name] for name in order}


def _hospital(ctx: SampleContext, rng: np.random.Generator, h: str) -> dict[str, pd.DataFrame]:
    deps = ctx.departments[ctx.departments["hospital_id"] == h].sort_values("unit_id")
    code_of = dict(zip(deps["unit_id"], deps["code"], strict=True))
    volume = ctx.tables["volume"]
    volume = volume[volume["unit_id"].isin(code_of)]
    hours = ctx.tables["hours"]
    hours = hours[hours["unit_id"].isin(code_of)]
    hr = ctx.tables["hr"]
    hr = hr[hr["unit_id"].isin(code_of)]
    ane = f"{h}-ANE"
    ane_split = _anaesthesia_share(hours, ane)
    centres = _centres(h, deps)
    ledger = _ledger(ctx, rng, h, deps, ane_split)
    drivers = _drivers(ctx, rng, h, deps, centres, volume, hr, ane_split)
    resources, minutes = _resources(ctx, h, deps, volume, hours, hr, ledger, ane_split)
    finals = {code: _centre_of(h, code)[-1][0] for code in deps["code"]}
    contacts, activities = patient_contacts(ctx, rng, h, deps, volume, ledger, finals)
    return {
        "cost_centres": centres,
        "ledger": ledger,
        "allocation_drivers": drivers,
        "resources": resources,
        "standard_minutes": minutes,
        "contacts": contacts,
        "contact_activities": activities,
    }


def _anaesthesia_share(hours: pd.DataFrame, ane: str) -> float:
    """Share of the anaesthesia department's activity time spent on anaesthesia (not intensive care)."""
    h = hours[(hours["unit_id"] == ane) & hours["activity_id"].isin(["ANAE", "SENG"])]
    by = h.groupby("activity_id")["hours"].sum()
    total = float(by.sum())
    return round(float(by.get("ANAE", 0.0)) / total, 2) if total > 0 else 0.5


def _centre_of(h: str, code: str) -> list[tuple[str, str, str]]:
    """The cost centres (id, name suffix, kind) of a department."""
    uid = f"{h}-{code}"
    if code in ("RAD", "KBA"):
        return [(f"{uid}-S", "", "intermediate")]
    if code == "ANE":
        return [(f"{uid}-AN", "Anæstesi", "intermediate"), (f"{uid}-ITA", "Intensiv", "final")]
    return [(f"{uid}-K", "", "final")]


def _centres(h: str, deps: pd.DataFrame) -> pd.DataFrame:
    rows = [(f"{h}-{code}", name, kind, h) for code, name, kind, *_ in HOSPITAL_CENTRES]
    for d in deps.itertuples(index=False):
        for cid, suffix, kind in _centre_of(h, d.code):
            rows.append((cid, f"{d.name}, {suffix.lower()}" if suffix else d.name, kind, d.unit_id))
    return pd.DataFrame(rows, columns=["cost_centre_id", "name", "kind", "unit_id"])


def _ledger(
    ctx: SampleContext, rng: np.random.Generator, h: str, deps: pd.DataFrame, ane_split: float
) -> pd.DataFrame:
    fin = ctx.tables["finance"]
    fin = fin[
        fin["unit_id"].isin(set(deps["unit_id"])) & fin["actual"].notna() & fin["period"].isin(ctx.months)
    ]
    cost_type = fin["account_group"].map(ACCOUNT_TO_TYPE)
    cost_type = cost_type.where(
        ~((fin["account_group"] == "goods_services") & (fin["activity_id"] == "OP")), "IMPLANT"
    )
    lines = pd.DataFrame(
        {"period": fin["period"], "unit_id": fin["unit_id"], "cost_type": cost_type, "amount": fin["actual"]}
    )
    lines = lines.groupby(["period", "unit_id", "cost_type"], as_index=False, sort=True)["amount"].sum()
    code = lines["unit_id"].str.split("-").str[-1]
    centre = lines["unit_id"] + np.where(code.isin(["RAD", "KBA"]), "-S", "-K")
    lines["cost_centre_id"] = centre
    ane = lines["unit_id"] == f"{h}-ANE"
    an = lines[ane].assign(cost_centre_id=f"{h}-ANE-AN", amount=lambda d: (d["amount"] * ane_split).round(0))
    ita = lines[ane].assign(cost_centre_id=f"{h}-ANE-ITA", amount=lines.loc[ane, "amount"] - an["amount"])
    frames = [lines[~ane], an, ita]
    rows = []
    for m in ctx.months:
        for code_, _name, _kind, monthly, *_ in HOSPITAL_CENTRES:
            base = monthly * rng.normal(1.0, 0.04)
            for ctype, share in TYPE_MIX.items():
                rows.append((m, h, f"{h}-{code_}", ctype, round(base * share * rng.normal(1.0, 0.05), 2)))
        rows.append(
            (m, h, f"{h}-KOST", "REFUSION", -round(160_000 * rng.normal(1.0, 0.08), 2))
        )  # canteen sales
        if rng.random() < 0.3:  # a medicine refund now and then
            dep = str(deps["unit_id"].iloc[int(rng.integers(len(deps)))])
            centre_id = _centre_of(h, dep.split("-")[-1])[-1][0]
            rows.append((m, dep, centre_id, "REFUSION", -round(float(rng.uniform(20_000, 90_000)), 2)))
    frames.append(pd.DataFrame(rows, columns=["period", "unit_id", "cost_centre_id", "cost_type", "amount"]))
    out = pd.concat(frames, ignore_index=True)[["period", "unit_id", "cost_centre_id", "cost_type", "amount"]]
    return out.sort_values(["period", "cost_centre_id", "cost_type"], kind="stable").reset_index(drop=True)


def _year_volume(volume: pd.DataFrame, year: str) -> pd.DataFrame:
    return volume[volume["period"].str.startswith(year)].groupby(["unit_id", "activity_id"])["actual"].sum()


def _drivers(
    ctx: SampleContext,
    rng: np.random.Generator,
    h: str,
    deps: pd.DataFrame,
    centres: pd.DataFrame,
    volume: pd.DataFrame,
    hr: pd.DataFrame,
    ane_split: float,
) -> pd.DataFrame:
    rows = []
    hosp = {code: (fte, m2) for code, _n, _k, _m, fte, m2 in HOSPITAL_CENTRES}
    for year in sorted({m[:4] for m in ctx.months}):
        months = [m for m in ctx.months if m.startswith(year)]
        fte_unit = hr[hr["period"].isin(months)].groupby("unit_id")["fte"].sum() / len(months)
        vol = _year_volume(volume, year)
        fte: dict[str, float] = {f"{h}-{c}": float(v[0]) for c, v in hosp.items()}
        m2: dict[str, float] = {f"{h}-{c}": float(v[1]) for c, v in hosp.items()}
        beds: dict[str, float] = {}
        for d in deps.itertuples(index=False):
            cs = [c for c, *_ in _centre_of(h, d.code)]
            shares = [ane_split, 1 - ane_split] if len(cs) == 2 else [1.0]
            for c, s in zip(cs, shares, strict=True):
                fte[c] = round(float(fte_unit.get(d.unit_id, 0.0)) * s, 1)
                m2[c] = round(DEPARTMENT_M2[d.code] * s)
            bed_centre = cs[-1]
            beds[bed_centre] = float(vol.get((d.unit_id, "SENG"), 0.0))
        ids = list(centres["cost_centre_id"])
        kinds = dict(zip(centres["cost_centre_id"], centres["kind"], strict=True))

        def add(src: str, key: str, quantities: Mapping[str, float], year: str = year) -> None:
            for to, q in quantities.items():
                if to != src and q > 0:
                    rows.append((int(year), _unit_of(centres, src), src, to, key, float(q)))

        add(f"{h}-ADM", KEYS["ADM"], fte)
        add(f"{h}-IT", KEYS["IT"], {c: round(v * rng.uniform(0.8, 1.3)) for c, v in fte.items()})
        add(f"{h}-BYG", KEYS["BYG"], m2)
        add(
            f"{h}-REN",
            KEYS["REN"],
            {c: round(v * (2.5 if beds.get(c, 0) > 0 else 1.0)) for c, v in m2.items()},
        )
        add(f"{h}-KOST", KEYS["KOST"], {c: round(v * 3) for c, v in beds.items()})
        sterile = {}
        for code, per_op in (("ORT", 6), ("MAV", 5), ("URO", 3)):
            sterile[f"{h}-{code}-K"] = round(float(vol.get((f"{h}-{code}", "OP"), 0.0)) * per_op)
        sterile[f"{h}-ANE-AN"] = round(float(vol.get((f"{h}-ANE", "ANAE"), 0.0)) * 0.5)
        sterile[f"{h}-ORT-K"] += round(float(vol.get((f"{h}-ORT", "AMB"), 0.0)) * 0.2)
        add(f"{h}-STER", KEYS["STER"], sterile)
        scans = float(vol.get((f"{h}-RAD", "SCAN"), 0.0))
        add(
            f"{h}-RAD-S",
            KEYS["RAD"],
            {
                _clinical(h, c): round(scans * 10 * w * rng.uniform(0.9, 1.1))
                for c, w in RADIOLOGY_USE.items()
            },
        )
        labs = float(vol.get((f"{h}-KBA", "LAB"), 0.0))
        add(
            f"{h}-KBA-S",
            KEYS["KBA"],
            {_clinical(h, c): round(labs * 2 * w * rng.uniform(0.9, 1.1)) for c, w in LAB_USE.items()},
        )
        anaesthesia = {
            f"{h}-{c}-K": round(float(vol.get((f"{h}-{c}", "OP"), 0.0)) * mins)
            for c, mins in ANAESTHESIA_MINUTES.items()
        }
        anaesthesia[f"{h}-AKU-K"] = round(float(vol.get((f"{h}-AKU", "AKUT"), 0.0)) * 2.5)
        add(f"{h}-ANE-AN", KEYS["ANE"], anaesthesia)
        assert all(kinds[c] == "intermediate" for _y, _u, c, *_ in rows)
        assert set(ids) >= {r[3] for r in rows}
    return pd.DataFrame(rows, columns=["year", "unit_id", "from_centre", "to_centre", "driver", "quantity"])


def _clinical(h: str, code: str) -> str:
    return f"{h}-ANE-ITA" if code == "ANE" else f"{h}-{code}-K"


def _unit_of(centres: pd.DataFrame, centre: str) -> str:
    return str(centres.loc[centres["cost_centre_id"] == centre, "unit_id"].iloc[0])


def _resources(
    ctx: SampleContext,
    h: str,
    deps: pd.DataFrame,
    volume: pd.DataFrame,
    hours: pd.DataFrame,
    hr: pd.DataFrame,
    ledger: pd.DataFrame,
    ane_split: float,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    rate = hr["staff_group"].map(STAFF_RATES)
    pay = hr.assign(cost=hr["contracted_hours"] * rate)
    group_of = dict(zip(hr["employee_id"], hr["staff_group"], strict=False))
    holiday = hours[hours["time_category"] == "holiday"].assign(
        staff_group=lambda d: d["employee_id"].map(group_of)
    )
    hol = holiday.groupby(["period", "unit_id", "staff_group"])["hours"].sum()
    staff = pay.groupby(["period", "unit_id", "staff_group"])[["cost", "contracted_hours"]].sum()
    staff["minutes"] = (staff["contracted_hours"] - hol.reindex(staff.index).fillna(0.0)) * 60
    staff = staff.reset_index()
    premises = ledger[ledger["cost_type"].isin(["HUSLEJE", "APPARATUR"])].pivot_table(
        index=["period", "cost_centre_id"],
        columns="cost_type",
        values="amount",
        aggfunc="sum",
        fill_value=0.0,
    )
    rows: list[tuple[object, ...]] = []
    std_rows = []
    last_year = str(int(ctx.months[-1][:4]) - 1)
    base_months = [m for m in ctx.months if m.startswith(last_year)] or list(ctx.months)
    work = hours[
        hours["time_category"].isin(["productive", "overtime", "extra_hours"])
        & hours["period"].isin(base_months)
    ]
    work = work.assign(staff_group=work["employee_id"].map(group_of))
    base_hours = work.groupby(["unit_id", "activity_id", "staff_group"])["hours"].sum()
    # Medical secretaries' documentation and booking are registered as administration: count
    # most of it on the patient activities, in proportion to their time on them.
    core = base_hours[~base_hours.index.get_level_values("activity_id").isin(["ADM", "UDD", "KVA"])]
    sec_core = core.xs("Lægesekretærer", level="staff_group", drop_level=False)
    adm = base_hours.xs(("ADM", "Lægesekretærer"), level=("activity_id", "staff_group"))
    share = sec_core / sec_core.groupby(level="unit_id").transform("sum")
    extra = share * adm.reindex(share.index.get_level_values("unit_id")).to_numpy() * DOCUMENTATION_SHARE
    base_hours = base_hours.add(extra, fill_value=0.0)
    base_volume = (
        volume[volume["period"].isin(base_months)].groupby(["unit_id", "activity_id"])["actual"].sum()
    )
    days = {m: pd.Period(m, freq="M").days_in_month for m in ctx.months}
    workdays = {m: _workdays(m) for m in ctx.months}
    for d in deps.itertuples(index=False):
        uid, code = d.unit_id, d.code
        cs = _centre_of(h, code)
        acts = sorted(volume.loc[volume["unit_id"] == uid, "activity_id"].unique())
        year_vol = volume[volume["unit_id"] == uid].groupby(["period", "activity_id"])["actual"].sum()
        # Staff: one resource per staff group and centre (anaesthesia is split between its two centres).
        split = {cs[0][0]: ane_split, cs[1][0]: 1 - ane_split} if len(cs) == 2 else {cs[0][0]: 1.0}
        centre_acts = {cs[0][0]: ["ANAE"], cs[1][0]: ["SENG"]} if len(cs) == 2 else {cs[0][0]: acts}
        s = staff[staff["unit_id"] == uid]
        for cid, share in split.items():
            for row in s.itertuples(index=False):
                rid = f"{cid}-{STAFF_CODES[row.staff_group]}"
                rows.append((row.period, uid, rid, cid, row.staff_group, "staff", round(row.cost * share, 2),
                             round(row.minutes * share), None))  # fmt: skip
            for group in sorted(s["staff_group"].unique()):
                rid = f"{cid}-{STAFF_CODES[group]}"
                for a in centre_acts[cid]:
                    h_ = float(base_hours.get((uid, a, group), 0.0))
                    v = float(base_volume.get((uid, a), 0.0))
                    if h_ > 0 and v > 0:
                        std_rows.append((uid, a, rid, round(STANDARD_FACTOR * h_ * 60 / v * 2) / 2))
        # Rooms and equipment: (activity, name, kind, minutes per unit, hours open a day, 24/7?, cost share).
        rooms: list[tuple[str, str, str, float, float, bool, dict[str, float], float | None]] = []
        if "OP" in acts:
            rooms.append(
                (
                    "OP",
                    "Operationsstuer",
                    "room",
                    OR_MINUTES[code],
                    8.0,
                    False,
                    {"HUSLEJE": 0.3, "APPARATUR": 0.6},
                    0.80,
                )
            )
        if "SENG" in acts:
            rooms.append(("SENG", "Senge", "room", 1440.0, 24.0, True, {"HUSLEJE": 0.35}, None))
        if "AMB" in acts:
            rooms.append(("AMB", "Ambulatorierum", "room", 30.0, 7.5, False, {"HUSLEJE": 0.15}, None))
        if "AKUT" in acts:
            rooms.append(
                ("AKUT", "Behandlingsrum, akutmodtagelse", "room", 75.0, 24.0, True, {"HUSLEJE": 0.2}, None)
            )
        if "SCAN" in acts:
            rooms.append(
                (
                    "SCAN",
                    "CT- og MR-scannere",
                    "equipment",
                    20.0,
                    12.0,
                    True,
                    {"APPARATUR": 0.8, "HUSLEJE": 0.3},
                    None,
                )
            )
        if "LAB" in acts:
            rooms.append(("LAB", "Analyseapparatur", "equipment", 0.5, 16.0, True, {"APPARATUR": 0.8}, None))
        for act, name, kind, per_unit, open_hours, always, shares, practical in rooms:
            cid = cs[-1][0] if act == "SENG" else cs[0][0]
            rid = f"{cid}-{act}"
            per_day = year_vol.xs(act, level="activity_id")
            peak = float(
                (per_day / pd.Series({m: (days[m] if always else workdays[m]) for m in per_day.index})).max()
            )
            count = max(1, math.ceil(peak * per_unit / (open_hours * 60 * 0.82)))
            for m in ctx.months:
                open_days = days[m] if always else workdays[m]
                cost = sum(
                    float(premises.loc[(m, cid), t]) * f
                    for t, f in shares.items()
                    if (m, cid) in premises.index
                )
                rows.append(
                    (
                        m,
                        uid,
                        rid,
                        cid,
                        f"{name}",
                        kind,
                        round(cost, 2),
                        count * open_days * open_hours * 60,
                        practical,
                    )
                )
            std_rows.append((uid, act, rid, per_unit))
    resources = pd.DataFrame(
        rows,
        columns=list(get_table("resources").to_schema().columns),
    )
    resources = resources.sort_values(["period", "unit_id", "resource_id"], kind="stable").reset_index(
        drop=True
    )
    minutes = pd.DataFrame(std_rows, columns=["unit_id", "activity_id", "resource_id", "minutes"])
    return resources, minutes.sort_values(["unit_id", "activity_id", "resource_id"]).reset_index(drop=True)


def _workdays(period: str) -> int:
    p = pd.Period(period, freq="M")
    return int((pd.date_range(p.start_time, p.end_time, freq="D").day_of_week < 5).sum())
