"""NHS England A&E monthly provider files (.xls) → a toolkit data folder for the KPI report.

The public files are statistical publications, not a hospital export: one legacy Excel
workbook per month, the header on row 16 of the sheet ``Provider Level Data``, ``-`` where a
trust does not report. This converter reads them with ``xlrd`` (the ``examples`` extra) and
writes the data model's tables:

- ``units``: NHS England (hospital level) → NHS region (centre) → trust (department, by its
  ODS code).
- ``activities`` and ``volume``: A&E attendances by department type (type 1 major A&E, type 2
  single specialty, type 3 other A&E / minor injury unit), one row per trust, month and type.
- ``goals``: the 4-hour goal (share of attendances admitted, transferred or discharged within
  4 hours of arrival; target 76 %, the 2023/24 planning target) and the 12-hour goal (patients
  waiting more than 12 hours from the decision to admit to admission; target 0). A trust that
  does not report the 4-hour figures gets an empty actual (not measured), never a zero.
- ``hours``, ``hr``, ``finance``: the publication has no staff or finance figures. They are
  written with their header only and declared in ``metadata.yaml`` (``not_collected``), so the
  reports say "ingen data" / "no data" for staff and finance instead of showing zeros.

Usage::

    python examples/nhs_ae/convert.py --raw ../shared/realdata/nhs-ae-monthly-by-provider-2023-24 \\
        --out examples/out/data/nhs_ae [--region "East Of England"]

Source and licence: NHS England, "A&E Attendances and Emergency Admissions" (Open Government
Licence v3.0), see ``examples/README.md``.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pandas as pd
import xlrd

SHEET = "Provider Level Data"
HEADER_ROW = 15  # 0-based: the column names; the England total follows, then a blank row
TOP = "NHSE"
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")  # fmt: skip
MONTHS = {m: i for i, m in enumerate(MONTH_NAMES, 1)}
ATT = "A&E attendances | "
TYPES = {
    "AE1": (ATT + "Type 1 Departments - Major A&E", "A&E type 1 (major A&E)"),
    "AE2": (ATT + "Type 2 Departments - Single Specialty", "A&E type 2 (single specialty)"),
    "AE3": (
        ATT + "Type 3 Departments - Other A&E/Minor Injury Unit",
        "A&E type 3 (other A&E / minor injury unit)",
    ),
}
TOTAL = ATT + "Total attendances"
WITHIN_4H = "A&E attendances less than 4 hours from arrival to admission, transfer or discharge | Total Attendances < 4 hours"
OVER_12H_DTA = (
    "Emergency Admissions | Number of patients spending >12 hours from decision to admit to admission"
)
FOUR_HOUR_TARGET = 76.0


def read_month(path: Path) -> tuple[str, pd.DataFrame]:
    """One workbook: its month (``YYYY-MM``, from the ``Period:`` cell) and the provider rows."""
    book = xlrd.open_workbook(str(path), on_demand=True)
    sheet = book.sheet_by_name(SHEET)
    period = _period(sheet)
    # The same type names recur under each group (attendances, under 4 hours, over 4 hours):
    # the column name is "<group> | <name>", the group carried right from the row above.
    group, header = "", []
    for top, name in zip(sheet.row_values(HEADER_ROW - 1), sheet.row_values(HEADER_ROW), strict=True):
        group = str(top).strip() or group
        header.append(f"{group} | {str(name).strip()}" if group else str(name).strip())
    rows = [sheet.row_values(r) for r in range(HEADER_ROW + 1, sheet.nrows)]
    frame = pd.DataFrame(rows, columns=header)
    frame = frame.rename(columns={c: c.split(" | ")[-1] for c in frame.columns[:4]})
    frame = frame[frame["Code"].astype(str).str.fullmatch(r"[A-Z0-9]{3,5}")]  # trusts, not England
    frame["Region"] = frame["Region"].astype(str).str.strip()
    frame["Name"] = frame["Name"].astype(str).str.strip()
    return period, frame.reset_index(drop=True)


def _period(sheet: xlrd.sheet.Sheet) -> str:
    for r in range(HEADER_ROW):
        values = [str(v).strip() for v in sheet.row_values(r)]
        if "Period:" in values:
            month, year = values[values.index("Period:") + 1].split()
            return f"{int(year):04d}-{MONTHS[month]:02d}"
    raise ValueError("no 'Period:' cell above the header")


def _number(value: object) -> float | None:
    """A cell as a number; ``-`` and empty cells (not reported) are None."""
    if isinstance(value, int | float):
        return float(value)
    return None


def region_id(region: str) -> str:
    """``NHS England East Of England`` → ``EOE`` (initials of the words after NHS England)."""
    words = re.sub(r"^NHS England\s+", "", region).split()
    return "".join(w[0].upper() for w in words if w.lower() != "and") or "REG"


def convert(raw: Path, out: Path, region: str | None = None) -> dict[str, pd.DataFrame]:
    """Convert every ``*.xls`` in ``raw`` and write the tables to ``out`` (CSV); returns them."""
    months = sorted((read_month(p) for p in raw.glob("*.xls")), key=lambda pm: pm[0])
    if not months:
        raise SystemExit(f"no .xls files in {raw}")
    volume, goals, trusts = [], [], {}
    for period, frame in months:
        if region:
            frame = frame[frame["Region"].str.contains(region, case=False, regex=False)]
        for rec in frame.to_dict("records"):
            code = str(rec["Code"])
            trusts[code] = (rec["Name"], rec["Region"])
            for activity, (column, _) in TYPES.items():
                n = _number(rec[column])
                if n is not None:
                    volume.append({"period": period, "unit_id": code, "activity_id": activity, "actual": n})
            total, within = _number(rec[TOTAL]), _number(rec[WITHIN_4H])
            share = 100.0 * within / total if within is not None and total else None
            goals.append(
                _goal(
                    period, code, "AE4H", "Attendances within 4 hours", "%", "higher", FOUR_HOUR_TARGET, share
                )
            )
            goals.append(
                _goal(
                    period,
                    code,
                    "AE12H",
                    "Waits over 12 hours from decision to admit",
                    "patients",
                    "lower",
                    0.0,
                    _number(rec[OVER_12H_DTA]),
                )
            )
    regions = sorted({r for _, r in trusts.values()})
    units = [{"unit_id": TOP, "name": "NHS England (A&E)", "level": "hospital", "parent_id": None}]
    units += [{"unit_id": region_id(r), "name": r, "level": "centre", "parent_id": TOP} for r in regions]
    units += [
        {"unit_id": code, "name": name, "level": "department", "parent_id": region_id(r)}
        for code, (name, r) in sorted(trusts.items())
    ]
    periods = [p for p, _ in months]
    first = periods[0]
    tables = {
        "units": pd.DataFrame(units),
        "activities": pd.DataFrame(
            [
                {"activity_id": a, "name": name, "kind": "core", "volume_unit": "attendances"}
                for a, (_, name) in TYPES.items()
            ]
        ),
        "volume": pd.DataFrame(volume).assign(planned=None),
        "goals": pd.DataFrame(goals),
        # Not in the publication: header only, declared not collected (see the docstring).
        "hours": pd.DataFrame(
            columns=["period", "unit_id", "employee_id", "activity_id", "time_category", "hours"]
        ),
        "hr": pd.DataFrame(
            columns=["period", "unit_id", "employee_id", "staff_group", "fte", "contracted_hours"]
        ),
        "finance": pd.DataFrame(
            columns=["period", "unit_id", "account_group", "activity_id", "budget", "actual"]
        ),
    }
    out.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        frame.to_csv(out / f"{name}.csv", index=False)
    (out / "metadata.yaml").write_text(
        "source: 'NHS England, A&E Attendances and Emergency Admissions, monthly provider files "
        f"{first} to {months[-1][0]} (Open Government Licence v3.0); converted by examples/nhs_ae/convert.py'\n"
        "not_collected: [hours, hr, finance]\n",
        encoding="utf-8",
    )
    return tables


def _goal(
    period: str,
    unit: str,
    goal: str,
    name: str,
    measure: str,
    direction: str,
    target: float,
    actual: float | None,
) -> dict[str, object]:
    return {
        "period": period,
        "unit_id": unit,
        "goal_id": goal,
        "name": name,
        "activity_id": None,
        "measure_unit": measure,
        "direction": direction,
        "target": target,
        "actual": actual,
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--raw", type=Path, required=True, help="folder with the monthly .xls files")
    ap.add_argument("--out", type=Path, required=True, help="data folder to write")
    ap.add_argument("--region", help="keep the trusts of one NHS region (a part of its name)")
    args = ap.parse_args(argv)
    tables = convert(args.raw, args.out, args.region)
    print(f"{args.out}: {len(tables['units']) - 1} units, {len(tables['volume'])} volume rows")


if __name__ == "__main__":
    main()
