"""INRC-II nurse rosters + UIHC emergency-department arrivals → a data folder for the shift assessment.

The INRC-II benchmark (Second International Nurse Rostering Competition) is not a hospital
export: its rosters say ``Nurse Day Shift Skill`` for 4 numbered weeks, without dates or clock
times. This converter puts the 4 weeks on the calendar from a Monday (``--start``) and writes the
data model's tables; the shift names get their clock times from the mapping file
``shift_codes.csv`` (the data model's ``shift_codes``: Early 07–15, Late 15–23, Night 23–07 as
INRC-II's SOURCE.md suggests), copied into the data folder and applied when the toolkit reads it:

- ``shifts``: one row per assignment as a rostering system exports it, ``date`` and
  ``shift_code`` (no actual times: the benchmark has none),
  ``employee_id`` the nurse's name (a pseudonymous key: the names are fictitious);
- ``patient_flow``: the UIHC ED arrivals, hour by hour, for the same 4 weeks;
- ``hr`` and ``hours``: each nurse's contract (FTE = the contract's maximum assignments / the
  largest maximum, so FullTime 1.0 and PartTime 0.5; contracted hours = maximum assignments ×
  8 hours) and the hours of the roster (productive time on the activity ``ED``);
- ``units``, ``activities``, ``volume`` (the month's ED arrivals), ``goals`` (illegal shift
  successions as the official INRC-II validator counted them, target 0);
- ``finance``: no public figures: written with its header only and declared in ``metadata.yaml``
  (``not_collected``), so the reports say "no data" for finance instead of showing zeros.

Usage::

    python examples/inrc2_uihc/convert.py --inrc ../shared/realdata/nurse-rostering-inrc2 \\
        --arrivals ../shared/realdata/ed-hourly-arrivals-uihc/uihc_ed_arrivals.csv \\
        --out examples/out/data/inrc2_uihc [--start 2017-10-02]

Sources and licences: see ``examples/README.md``.
"""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

import pandas as pd

HERE = Path(__file__).parent
INSTANCE = "n005w4"
SOLUTION = "Solution_H_0-WD_1-2-3-3"
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
UNIT, CENTRE, HOSPITAL = "EX-ED", "EX-AC", "EX"
STAFF_GROUP = "Nurses"
SHIFT_HOURS = 8.0


def scenario(path: Path) -> tuple[dict[str, str], dict[str, int]]:
    """The nurses' contracts and each contract's maximum total assignments, from ``Sc-*.txt``."""
    text = path.read_text(encoding="utf-8")
    contracts = {
        m[1]: int(m[3]) for m in re.finditer(r"^(\w+) \((\d+),(\d+)\)", _section(text, "CONTRACTS"), re.M)
    }
    nurses = {m[1]: m[2] for m in re.finditer(r"^(\w+) (\w+) \d+", _section(text, "NURSES"), re.M)}
    return nurses, contracts


def _section(text: str, name: str) -> str:
    return text.split(name, 1)[1].split("\n\n", 1)[0]


def assignments(folder: Path) -> pd.DataFrame:
    """Every ``Nurse Day Shift Skill`` line of the weekly solutions, with the week (0, 1, …)."""
    rows = []
    for path in sorted(folder.glob("Sol-*.txt"), key=lambda p: int(p.stem.rsplit("-", 1)[1])):
        week = int(path.stem.rsplit("-", 1)[1])
        for line in path.read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if len(parts) == 4 and parts[1] in DAYS:
                rows.append({"week": week, "nurse": parts[0], "day": parts[1], "shift_code": parts[2]})
    return pd.DataFrame(rows)


def illegal_successions(validator: Path) -> float:
    """The validator's count of illegal shift successions (a hard constraint)."""
    m = re.search(r"Illegal shift type succession constraints: (\d+)", validator.read_text(encoding="utf-8"))
    if not m:
        raise ValueError(f"{validator}: no count of illegal successions")
    return float(m[1])


def shifts(plan: pd.DataFrame, start: pd.Timestamp) -> pd.DataFrame:
    """The assignments as a rostering export: the date from the week and day, and the shift code.

    The toolkit turns ``date`` + ``shift_code`` into the shift type and the planned times
    with the mapping table ``shift_codes`` when it reads the folder (an unknown code is an
    error naming the file, the code and its rows). A rostering export has no actual times,
    agency, on-call or cost columns here: the data model reads them as their defaults (not
    registered, own staff, no on-call, no cost).
    """
    day = start + pd.to_timedelta(plan["week"] * 7 + plan["day"].map(DAYS.index), unit="D")
    return pd.DataFrame(
        {
            "unit_id": UNIT,
            "employee_id": plan["nurse"],
            "staff_group": STAFF_GROUP,
            "date": day.dt.strftime("%Y-%m-%d"),
            "shift_code": plan["shift_code"],
        }
    ).sort_values(["employee_id", "date"], ignore_index=True)


def arrivals(path: Path, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """UIHC ED arrivals per hour from ``start`` to ``end`` (exclusive), as ``patient_flow``."""
    raw = pd.read_csv(path, usecols=["Date", "Hour", "Arrivals"])
    hour = pd.to_datetime(raw["Date"]) + pd.to_timedelta(raw["Hour"], unit="h")
    keep = (hour >= start) & (hour < end)
    return pd.DataFrame(
        {
            "period": hour[keep].dt.strftime("%Y-%m"),
            "unit_id": UNIT,
            "hour": hour[keep].dt.strftime("%Y-%m-%d %H:%M"),
            "arrivals": raw.loc[keep, "Arrivals"].astype(float),
            "census": None,
        }
    ).reset_index(drop=True)


def convert(
    inrc: Path, arrivals_csv: Path, out: Path, start: str = "2017-10-02", solution: Path | None = None
) -> dict[str, pd.DataFrame]:
    """Write the data folder ``out``; ``solution`` overrides the INRC-II solution folder."""
    first = pd.Timestamp(start)
    if first.day_of_week != 0:
        raise SystemExit(f"--start {start} is not a Monday (INRC-II weeks start on Monday)")
    folder = solution or inrc / INSTANCE / SOLUTION
    nurses, contracts = scenario(inrc / INSTANCE / f"Sc-{INSTANCE}.txt")
    plan = assignments(folder)
    weeks = int(plan["week"].max()) + 1
    roster = shifts(plan, first)
    flow = arrivals(arrivals_csv, first, first + pd.Timedelta(days=7 * weeks))
    periods = sorted(set(pd.to_datetime(roster["date"]).dt.strftime("%Y-%m")) | set(flow["period"]))
    most = max(contracts.values())
    hr = pd.DataFrame(
        [
            {
                "period": p,
                "unit_id": UNIT,
                "employee_id": n,
                "staff_group": STAFF_GROUP,
                "fte": contracts[c] / most,
                "contracted_hours": contracts[c] * SHIFT_HOURS,
            }
            for p in periods
            for n, c in nurses.items()
        ]
    )
    worked = (
        roster.assign(period=roster["date"].str[:7]).groupby(["period", "employee_id"], as_index=False).size()
    )
    hours = worked.assign(
        unit_id=UNIT, activity_id="ED", time_category="productive", hours=worked["size"] * SHIFT_HOURS
    ).drop(columns="size")
    volume = flow.groupby("period", as_index=False)["arrivals"].sum().rename(columns={"arrivals": "actual"})
    validator = folder / "validator.txt"
    tables = {
        "units": pd.DataFrame(
            [
                {
                    "unit_id": HOSPITAL,
                    "name": "INRC-II × UIHC example",
                    "level": "hospital",
                    "parent_id": None,
                },
                {"unit_id": CENTRE, "name": "Acute care", "level": "centre", "parent_id": HOSPITAL},
                {
                    "unit_id": UNIT,
                    "name": "Emergency department (INRC-II n005w4 roster, UIHC arrivals)",
                    "level": "department",
                    "parent_id": CENTRE,
                },
            ]
        ),
        "activities": pd.DataFrame(
            [{"activity_id": "ED", "name": "ED arrivals", "kind": "core", "volume_unit": "arrivals"}]
        ),
        "volume": volume.assign(unit_id=UNIT, activity_id="ED", planned=None),
        "hours": hours,
        "hr": hr,
        "finance": pd.DataFrame(
            columns=["period", "unit_id", "account_group", "activity_id", "budget", "actual"]
        ),
        "goals": pd.DataFrame(
            {
                "period": periods,
                "unit_id": UNIT,
                "goal_id": "SUCC",
                "name": "Illegal shift successions (INRC-II validator)",
                "activity_id": None,
                "measure_unit": "shifts",
                "direction": "lower",
                "target": 0.0,
                "actual": illegal_successions(validator) if validator.is_file() else None,
            }
        ),
        "shifts": roster,
        "patient_flow": flow,
    }
    out.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        frame.to_csv(out / f"{name}.csv", index=False)
    shutil.copy(HERE / "shift_codes.csv", out / "shift_codes.csv")  # the mapping, applied on load
    (out / "metadata.yaml").write_text(
        f"source: 'INRC-II {INSTANCE} ({folder.name}, MIT / INRC-II benchmark) and UIHC ED arrivals "
        "(fastTS, GPL-3); converted by examples/inrc2_uihc/convert.py'\n"
        "not_collected: [finance]\n",
        encoding="utf-8",
    )
    return tables


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--inrc", type=Path, required=True, help="the nurse-rostering-inrc2 folder")
    ap.add_argument("--arrivals", type=Path, required=True, help="uihc_ed_arrivals.csv")
    ap.add_argument("--out", type=Path, required=True, help="data folder to write")
    ap.add_argument("--start", default="2017-10-02", help="the Monday the 4 weeks start (default 2017-10-02)")
    args = ap.parse_args(argv)
    tables = convert(args.inrc, args.arrivals, args.out, args.start)
    print(f"{args.out}: {len(tables['shifts'])} shifts, {len(tables['patient_flow'])} hours of arrivals")


if __name__ == "__main__":
    main()
