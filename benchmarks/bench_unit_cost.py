"""Benchmark: cost a large hospital year, from the ledger to five million patient contacts.

A hospital has millions of contacts a year. This script generates one synthetic year of a large
hospital (40 departments, 10 shared service centres, 600 DRG/DAGS groups) with at least 5 million
contacts and their activities, the volume table that matches them, the ledger, the allocation
keys and the resources, and then runs the same functions the report runs:

1. ``evaluate``        allocation (step-down) and time-driven ABC of every cost centre;
2. ``contact_costs``   cost of every contact (activities at unit cost, bed-days, direct costs);
3. ``drg_summary``     mean, quartiles and percentiles per group against the tariff;
4. ``reconcile``       the reconciliation to the ledger (it must be exactly 0).

It prints the time of each step and the peak memory: the process's peak resident set size and,
from a second pass under ``tracemalloc``, the peak of the memory the costing itself allocates.

    .venv/bin/python benchmarks/bench_unit_cost.py              # 5,000,000 contacts
    .venv/bin/python benchmarks/bench_unit_cost.py --contacts 1000000
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc

import numpy as np
import pandas as pd

from toolkit.data.schemas import get_table
from toolkit.measures.costing import contacts as uc_contacts
from toolkit.measures.costing import inputs, scenarios

MONTHS = [f"2026-{m:02d}" for m in range(1, 13)]
STAFF = {"LAEG": 620.0, "SPL": 360.0, "SOSU": 290.0, "SEKR": 300.0, "TERA": 340.0}
SERVICE = ["ADM", "IT", "BYG", "REN", "KOST", "STER", "HR", "OEK", "LAB", "RAD"]


def generate(n_contacts: int, n_units: int = 40, n_groups: int = 600, seed: int = 1) -> inputs.CostingInput:
    """A synthetic hospital year with ``n_contacts`` contacts (vectorised; a few seconds)."""
    rng = np.random.default_rng(seed)
    units = [f"H-D{i:02d}" for i in range(n_units)]
    unit = rng.integers(0, n_units, n_contacts)
    kind = rng.choice(4, size=n_contacts, p=[0.70, 0.15, 0.08, 0.07])  # visit, phone, operation, medical stay
    los = np.where(
        kind == 2, rng.integers(0, 6, n_contacts), np.where(kind == 3, rng.integers(1, 15, n_contacts), 0)
    )
    group = (kind * (n_groups // 4) + rng.integers(0, n_groups // 4, n_contacts)).astype(np.int64)
    period = rng.integers(0, 12, n_contacts)
    ids = pd.Series(np.arange(n_contacts)).astype("str")
    implant = np.where(
        (kind == 2) & (rng.random(n_contacts) < 0.5), np.round(rng.lognormal(9.5, 0.4, n_contacts), 2), np.nan
    )
    contacts = pd.DataFrame(
        {
            "period": pd.Categorical.from_codes(period, MONTHS),
            "unit_id": pd.Categorical.from_codes(unit, units),
            "contact_id": "C" + ids,
            "drg_group": pd.Categorical.from_codes(group, [f"G{g:04d}" for g in range(n_groups)]),
            "length_of_stay": los,
            "implant_cost": implant,
            "medicine_cost": np.nan,
        }
    )
    has_act = kind < 3
    act_code = np.array(["AMB", "TLF", "OP"])[kind[has_act]]
    activities = pd.DataFrame(
        {
            "period": contacts["period"].to_numpy()[has_act],
            "unit_id": contacts["unit_id"].to_numpy()[has_act],
            "contact_id": contacts["contact_id"].to_numpy()[has_act],
            "activity_id": act_code,
            "quantity": 1.0,
        }
    )
    # The volume table counts exactly what the contacts record (bed-days from the stays).
    vol_act = activities.groupby(["period", "unit_id", "activity_id"], observed=True).size().rename("actual")
    vol_bed = contacts.groupby(["period", "unit_id"], observed=True)["length_of_stay"].sum().rename("actual")
    vol_bed = vol_bed.to_frame().assign(activity_id="SENG").set_index("activity_id", append=True)["actual"]
    volume = pd.concat([vol_act, vol_bed]).reset_index()
    volume = volume.astype({"period": str, "unit_id": str, "activity_id": str, "actual": float})
    volume["planned"] = np.nan
    # Cost centres: one final centre per department, shared service centres, one external centre.
    finals = [f"{u}-K" for u in units]
    shared = [f"H-{s}" for s in SERVICE]
    centres = pd.DataFrame(
        {
            "cost_centre_id": [*shared, *finals, "H-FORSK"],
            "name": [*SERVICE, *units, "Forskning"],
            "kind": ["intermediate"] * len(shared) + ["final"] * len(finals) + ["external"],
            "unit_id": ["H"] * len(shared) + units + ["H"],
        }
    )
    per_unit_volume = volume.groupby(["unit_id", "activity_id"])["actual"].sum().unstack(fill_value=0.0)
    direct = contacts.groupby("unit_id", observed=True)["implant_cost"].sum()
    ledger_rows = []
    for c in [*shared, "H-FORSK"]:
        for m in MONTHS:
            ledger_rows.append((m, "H", c, "LOEN", round(float(rng.uniform(3e6, 8e6)), 2)))
    for u, c in zip(units, finals, strict=True):
        v = per_unit_volume.loc[u]
        base = (
            v.get("AMB", 0) * 900 + v.get("TLF", 0) * 250 + v.get("OP", 0) * 18_000 + v.get("SENG", 0) * 4_500
        ) / 12
        for m in MONTHS:
            ledger_rows.append((m, u, c, "LOEN", round(base * 0.75, 2)))
            ledger_rows.append((m, u, c, "VARER", round(base * 0.25 + float(direct.get(u, 0.0)) / 12, 2)))
    ledger = pd.DataFrame(ledger_rows, columns=["period", "unit_id", "cost_centre_id", "cost_type", "amount"])
    driver_rows = []
    targets = [*shared, *finals, "H-FORSK"]
    for s in shared:
        for tgt in targets:
            if tgt != s:
                driver_rows.append((2026, "H", s, tgt, "key", float(rng.integers(1, 500))))
    drivers = pd.DataFrame(
        driver_rows, columns=["year", "unit_id", "from_centre", "to_centre", "driver", "quantity"]
    )
    res_rows, std_rows = [], []
    minutes_per = {"AMB": 35.0, "TLF": 12.0, "OP": 240.0, "SENG": 420.0}
    for u, c in zip(units, finals, strict=True):
        v = per_unit_volume.loc[u]
        need = sum(v.get(a, 0.0) * m for a, m in minutes_per.items())
        for code, rate in STAFF.items():
            share = 1 / len(STAFF)
            for m in MONTHS:
                minutes = need * share / 12 / 0.8 * 1.1
                res_rows.append((m, u, f"{c}-{code}", c, code, "staff", minutes / 60 * rate, minutes, None))
            for a, mins in minutes_per.items():
                std_rows.append((u, a, f"{c}-{code}", mins * share))
    resources = pd.DataFrame(
        res_rows,
        columns=list(get_table("resources").to_schema().columns),
    )
    standard = pd.DataFrame(std_rows, columns=["unit_id", "activity_id", "resource_id", "minutes"])
    groups = pd.DataFrame(
        {
            "drg_group": [f"G{g:04d}" for g in range(n_groups)],
            "name": [f"Gruppe {g}" for g in range(n_groups)],
            "kind": ["DAGS" if g < n_groups // 2 else "DRG" for g in range(n_groups)],
            "tariff": rng.uniform(1_000, 80_000, n_groups).round(),
        }
    )
    unit_table = pd.DataFrame(
        {
            "unit_id": ["H", *units],
            "name": ["Hospital", *units],
            "level": ["hospital"] + ["department"] * n_units,
            "parent_id": [None] + ["H"] * n_units,
        }
    )
    return inputs.CostingInput(
        hospital_id="H",
        unit_id="H",
        period="2026-12",
        months=tuple(MONTHS),
        units=unit_table,
        scope_units=("H", *units),
        activities=pd.DataFrame(
            {"activity_id": ["AMB", "TLF", "OP", "SENG"], "name": ["AMB", "TLF", "OP", "SENG"]}
        ),
        cost_types=pd.DataFrame({"cost_type": ["LOEN", "VARER"], "name": ["Løn", "Varer"]}),
        centres=centres,
        ledger=ledger,
        drivers=drivers,
        resources=resources,
        standard_minutes=standard,
        volume=volume,
        drg_groups=groups,
        contacts=contacts,
        contact_activities=activities,
    )


def cost(inp: inputs.CostingInput) -> dict[str, float]:
    """Run the report's costing chain; return the seconds of each step."""
    times: dict[str, float] = {}
    t = time.perf_counter()
    result = scenarios.evaluate(inp, inputs.Settings())
    times["evaluate (allocation + time-driven ABC)"] = time.perf_counter() - t
    t = time.perf_counter()
    acts = result.time_driven.activities
    contacts = uc_contacts.contact_costs(
        inp.contacts, inp.contact_activities, acts[acts["centre_kind"] == "final"], bed_day_activity="SENG"
    )
    times["contact_costs"] = time.perf_counter() - t
    t = time.perf_counter()
    summary = uc_contacts.drg_summary(contacts.contacts, inp.drg_groups, small_group=30, min_distribution=5)
    times["drg_summary"] = time.perf_counter() - t
    t = time.perf_counter()
    lines = scenarios.reconcile(inp, result, contacts).set_index("line")["amount"]
    times["reconcile"] = time.perf_counter() - t
    assert lines["difference"] == 0 and lines["hospital_difference"] == 0, lines
    assert lines["unmatched"] == 0 and len(summary) > 0
    return times


def main(argv: list[str] | None = None) -> int:
    """Generate, cost, print the results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--contacts", type=int, default=5_000_000)
    args = parser.parse_args(argv)
    t = time.perf_counter()
    inp = generate(args.contacts)
    gen = time.perf_counter() - t
    n_rows = len(inp.contact_activities)
    print(f"generated {len(inp.contacts):,} contacts and {n_rows:,} contact activities in {gen:.1f} s")
    times = cost(inp)
    total = sum(times.values())
    for step, sec in times.items():
        print(f"  {step:42s} {sec:6.2f} s")
    print(
        f"  {'total':42s} {total:6.2f} s  ({len(inp.contacts) / total / 1e6:.2f} million contacts per second)"
    )
    tracemalloc.start()
    cost(inp)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    print(f"peak memory allocated by the costing: {peak / 2**20:,.0f} MiB (tracemalloc)")
    print(f"peak resident memory of the process:  {rss:,.0f} MiB (data generation included)")
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}, pandas {pd.__version__}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
