"""Sample patient contacts and DRG/DAGS tariffs of the unit-cost sample (see :mod:`.sample`).

Contacts of the latest year match the ``volume`` table exactly (one contact per visit,
operation, emergency contact; bed-days spread over the stays); implants and expensive medicine
are assigned to contacts. Tariffs are set from a costing run so that the comparison has
something to say.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from toolkit.data.samples import SampleContext
from toolkit.measures.costing.allocation import FINAL
from toolkit.measures.costing.contacts import contact_costs
from toolkit.measures.costing.inputs import CostingInput, Settings, units_below
from toolkit.measures.costing.scenarios import evaluate

# Visits counted in the volume table but never registered on a contact (shown as unmatched activity).
UNREGISTERED_VISITS = 0.005
# Operations that need a stay, with the relative length of the stay (others are day surgery).
STAY_WEIGHT = {"08MP03": 1.0, "08MP04": 1.0, "08MP09": 1.6, "08MP01": 2.0, "06MP05": 0.6, "06MP02": 2.5,
               "06MP01": 4.0}  # fmt: skip
MEDICAL_LOS = {"KAR": 4.2, "LUN": 5.0, "GER": 7.5, "ANE": 3.5}

# DRG/DAGS groups: code, name, kind, tariff factor (mean local cost × factor = tariff).
GROUPS = {
    "BG50A": ("Ambulant besøg, enkelt", "DAGS", 1.03),
    "BG50B": ("Ambulant besøg, sammensat", "DAGS", 0.96),
    "BG50T": ("Telefon- og videokonsultation", "DAGS", 1.05),
    "BG60A": ("Akut ambulant kontakt", "DAGS", 1.02),
    "23MA03": ("Observation for sygdom, akut indlæggelse", "DRG", 0.97),
    "04MA98": ("Akut indlæggelse, øvrige lungesygdomme", "DRG", 1.04),
    "08MP03": ("Primær hoftealloplastik", "DRG", 0.80),
    "08MP04": ("Primær knæalloplastik", "DRG", 0.88),
    "08MP14": ("Artroskopiske operationer i knæ", "DRG", 1.08),
    "08MP09": ("Operation for hoftenær fraktur", "DRG", 0.97),
    "08MP01": ("Revision af hoftealloplastik", "DRG", 0.93),
    "06MP05": ("Laparoskopisk fjernelse af galdeblære", "DRG", 0.93),
    "06MP02": ("Større tarmoperation", "DRG", 1.08),
    "06MP10": ("Brokoperation", "DRG", 0.99),
    "06MP01": ("Kompliceret operation på spiserør", "DRG", 1.00),
    "11MP05": ("Transuretral resektion af prostata", "DRG", 0.98),
    "11MP08": ("Cystoskopiske indgreb", "DRG", 1.04),
    "11MP01": ("Nyreoperation", "DRG", 0.95),
    "05MA08": ("Hjertesvigt", "DRG", 1.01),
    "05MA11": ("Atrieflimren", "DRG", 1.06),
    "05MA01": ("Akut myokardieinfarkt, kompliceret", "DRG", 0.94),
    "04MA13": ("Kronisk obstruktiv lungesygdom (KOL)", "DRG", 0.92),
    "04MA04": ("Lungebetændelse", "DRG", 1.02),
    "04MA01": ("Lungeemboli", "DRG", 1.00),
    "23MA01": ("Geriatrisk udredning og rehabilitering", "DRG", 0.99),
    "23MA02": ("Faldudredning hos ældre", "DRG", 1.03),
    "26MP01": ("Intensiv behandling, kort forløb", "DRG", 1.00),
    "26MP02": ("Intensiv behandling, langt forløb", "DRG", 0.95),
}
OP_GROUPS = {
    "ORT": [("08MP03", 0.30), ("08MP04", 0.25), ("08MP14", 0.245), ("08MP09", 0.195), ("08MP01", 0.01)],
    "MAV": [("06MP05", 0.45), ("06MP02", 0.25), ("06MP10", 0.295), ("06MP01", 0.005)],
    "URO": [("11MP05", 0.50), ("11MP08", 0.45), ("11MP01", 0.05)],
}
STAY_GROUPS = {
    "KAR": [("05MA08", 0.50), ("05MA11", 0.48), ("05MA01", 0.02)],
    "LUN": [("04MA13", 0.55), ("04MA04", 0.435), ("04MA01", 0.015)],
    "GER": [("23MA01", 0.70), ("23MA02", 0.30)],
}
IMPLANT_WEIGHT = {"08MP03": 1.0, "08MP04": 1.1, "08MP14": 0.12, "08MP09": 0.55, "08MP01": 1.6,
                  "06MP05": 0.6, "06MP02": 1.4, "06MP10": 0.8, "06MP01": 2.0,
                  "11MP05": 0.9, "11MP08": 0.5, "11MP01": 1.5}  # fmt: skip


def _pick(rng: np.random.Generator, groups: list[tuple[str, float]], n: int) -> np.ndarray:
    codes = np.array([g for g, _ in groups])
    p = np.array([w for _, w in groups], dtype=float)
    return codes[rng.choice(len(codes), size=n, p=p / p.sum())]


def _stays(rng: np.random.Generator, bed_days: int, n: int, weights: np.ndarray | None = None) -> np.ndarray:
    """Lengths of stay (each at least 1) of ``n`` stays that add up to ``bed_days``.

    ``weights`` make some stays longer than others (a colon resection against a hernia).
    """
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    if bed_days < n:  # more stays than bed-days: the first ones get a day each
        out = np.zeros(n, dtype=np.int64)
        out[:bed_days] = 1
        return out
    w = np.full(n, 1.0) if weights is None else np.asarray(weights, dtype=float)
    return 1 + rng.multinomial(bed_days - n, w / w.sum())


def patient_contacts(
    ctx: SampleContext,
    rng: np.random.Generator,
    h: str,
    deps: pd.DataFrame,
    volume: pd.DataFrame,
    ledger: pd.DataFrame,
    final_centres: Mapping[str, str],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The contacts of the latest year and their activities, matching the volume table.

    ``final_centres`` gives each department code's last cost centre (its medicine budget).
    """
    year = ctx.months[-1][:4]
    months = [m for m in ctx.months if m.startswith(year)]
    vol = volume[volume["period"].isin(months)].set_index(["period", "unit_id", "activity_id"])["actual"]
    implants = ledger[ledger["cost_type"] == "IMPLANT"].groupby(["period", "unit_id"])["amount"].sum()
    medicine = ledger[ledger["cost_type"] == "MEDICIN"].groupby(["period", "cost_centre_id"])["amount"].sum()
    frames = []
    for m in months:
        for d in deps.itertuples(index=False):
            uid, code = d.unit_id, d.code

            def v(act: str, m: str = m, uid: str = uid) -> int:
                return int(vol.get((m, uid, act), 0))

            parts = []
            if v("AMB"):
                parts.append(_frame(m, uid, _pick(rng, [("BG50A", 0.7), ("BG50B", 0.3)], v("AMB")), "AMB"))
            if v("TLF"):
                parts.append(_frame(m, uid, np.full(v("TLF"), "BG50T"), "TLF"))
            if v("AKUT"):
                n, beds = v("AKUT"), v("SENG")
                admitted = min(n, round(beds / 2.2))
                los = np.zeros(n, dtype=np.int64)
                los[:admitted] = _stays(rng, beds, admitted)
                groups = np.where(
                    np.arange(n) < admitted, _pick(rng, [("23MA03", 0.75), ("04MA98", 0.25)], n), "BG60A"
                )
                parts.append(_frame(m, uid, groups, "AKUT", los))
            if v("OP"):
                n = v("OP")
                groups = _pick(rng, OP_GROUPS[code], n)
                los = np.zeros(n, dtype=np.int64)
                stay_weight = pd.Series(groups).map(STAY_WEIGHT).fillna(0.0).to_numpy()
                inpatient = np.flatnonzero(stay_weight > 0)
                if v("SENG") and len(inpatient):
                    los[inpatient] = _stays(rng, v("SENG"), len(inpatient), stay_weight[inpatient])
                frame = _frame(m, uid, groups, "OP", los)
                weight = frame["drg_group"].map(IMPLANT_WEIGHT).fillna(0.0) * rng.lognormal(0, 0.25, n)
                total = 0.95 * float(implants.get((m, uid), 0.0))
                frame["implant_cost"] = np.round(weight / weight.sum() * total, 2) if total > 0 else np.nan
                parts.append(frame)
            if code in STAY_GROUPS and v("SENG"):
                beds = v("SENG")
                los = _stays(rng, beds, round(beds / MEDICAL_LOS[code]))
                parts.append(_frame(m, uid, _pick(rng, STAY_GROUPS[code], len(los)), None, los))
            if code == "ANE" and v("SENG"):
                beds = v("SENG")
                los = _stays(rng, beds, round(beds / MEDICAL_LOS["ANE"]))
                parts.append(_frame(m, uid, np.where(los > 4, "26MP02", "26MP01"), None, los))
            if not parts:
                continue
            month = pd.concat(parts, ignore_index=True)
            lost = (month["activity_id"] == "AMB") & (rng.random(len(month)) < UNREGISTERED_VISITS)
            month = month[~lost].reset_index(drop=True)
            # Expensive medicine: a quarter of the final centre's medicine spending, on a tenth of the contacts.
            centre = final_centres[code]
            budget = 0.25 * float(medicine.get((m, centre), 0.0))
            chosen = rng.random(len(month)) < 0.10
            if budget > 0 and chosen.any():
                w = rng.lognormal(0, 0.6, int(chosen.sum()))
                month.loc[chosen, "medicine_cost"] = np.round(w / w.sum() * budget, 2)
            frames.append(month)
    contacts = pd.concat(frames, ignore_index=True)
    ids = rng.permutation(len(contacts)) + 10_000_000 * (
        1 + sorted(ctx.departments["hospital_id"].unique()).index(h)
    )
    contacts.insert(2, "contact_id", [f"KT{i:010d}" for i in ids])
    activities = contacts.loc[
        contacts["activity_id"].notna(), ["period", "unit_id", "contact_id", "activity_id"]
    ]
    activities = activities.assign(quantity=1.0).reset_index(drop=True)
    contacts = contacts.drop(columns="activity_id")
    cols = ["period", "unit_id", "contact_id", "drg_group", "length_of_stay", "implant_cost", "medicine_cost"]
    return contacts[cols], activities


def _frame(
    period: str, unit: str, groups: np.ndarray, activity: str | None, los: np.ndarray | None = None
) -> pd.DataFrame:
    n = len(groups)
    return pd.DataFrame(
        {
            "period": period,
            "unit_id": unit,
            "drg_group": groups,
            "activity_id": activity,
            "length_of_stay": np.zeros(n, dtype=np.int64) if los is None else los.astype(np.int64),
            "implant_cost": np.nan,
            "medicine_cost": np.nan,
        }
    )


def tariffs(ctx: SampleContext, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """National tariffs: the first hospital's mean cost per group × the group's factor."""
    hospital = sorted(ctx.departments["hospital_id"].unique())[0]
    period = ctx.months[-1]
    year = int(period[:4])
    units = ctx.units
    inside = units_below(units, hospital)
    months = [m for m in ctx.months if m.startswith(str(year))]

    def part(name: str, *, by_period: bool = True) -> pd.DataFrame:
        f = tables[name]
        f = f[f["unit_id"].isin(inside)] if "unit_id" in f else f
        return f[f["period"].isin(months)] if by_period else f

    contacts = part("contacts")
    inp = CostingInput(
        hospital_id=hospital,
        unit_id=hospital,
        period=period,
        months=tuple(months),
        units=units[units["unit_id"].isin(inside)],
        scope_units=tuple(inside),
        activities=ctx.tables["activities"],
        cost_types=tables["cost_types"],
        centres=part("cost_centres", by_period=False),
        ledger=part("ledger"),
        drivers=part("allocation_drivers", by_period=False).query("year == @year"),
        resources=part("resources"),
        standard_minutes=part("standard_minutes", by_period=False),
        volume=ctx.tables["volume"].pipe(lambda f: f[f["unit_id"].isin(inside) & f["period"].isin(months)]),
        drg_groups=pd.DataFrame(columns=["drg_group", "name", "kind", "tariff"]),
        contacts=contacts,
        contact_activities=part("contact_activities"),
    )
    result = evaluate(inp, Settings())
    acts = result.time_driven.activities
    costs = contact_costs(
        contacts,
        inp.contact_activities,
        acts[acts["centre_kind"] == FINAL],
        bed_day_activity="SENG",
    ).contacts
    mean = (costs.groupby("drg_group")["total"].mean() / 100).to_dict()
    rows = []
    for code, (name, kind, factor) in sorted(GROUPS.items()):
        tariff = round(mean.get(code, 10_000.0) * factor, -1 if kind == "DAGS" else -2)
        for y, adjust in ((year - 1, 1 / 1.025), (year, 1.0)):
            rows.append((code, y, name, kind, float(round(tariff * adjust))))
    return pd.DataFrame(rows, columns=["drg_group", "year", "name", "kind", "tariff"])
