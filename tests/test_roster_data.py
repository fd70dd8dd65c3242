"""The roster tables in the data model: parsing, row rules (overlaps, reversed shifts) and attribution."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from toolkit.analyses.shift_assessment import demand, roster
from toolkit.core.errors import DataValidationError
from toolkit.data.schemas import get_table
from toolkit.data.sources import FolderSource, open_source
from toolkit.data.validation import Problem, validate_frame

HEADER = "period;unit_id;employee_id;staff_group;shift_type;planned_start;planned_end;actual_start;actual_end;changed_at;agency;on_call;cost_kr"
ROWS = [
    "2026-10;FS-AKU;E900001;Sygeplejersker;day;2026-10-05 07:00;2026-10-05 15:00;2026-10-05 07:00;2026-10-05 15:30;;nej;none;2.640,5",
    "2026-10;FS-AKU;E900001;Sygeplejersker;evening;05-10-2026 15:30;05-10-2026 23:00;;;01-10-2026 12:00;nej;none;",
    "2026-10;FS-KAR;E900002;Sygeplejersker;night;2026-10-05 23:00;2026-10-06 07:00;;;;ja;none;4.000",
]


def write_shifts(folder: Path, rows: list[str]) -> None:
    for stale in folder.glob("shifts*"):
        stale.unlink()
    (folder / "shifts.csv").write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8-sig")


def table_problems(folder: Path, table: str) -> list[Problem]:
    """Validate one table of a folder (faster than validating every table)."""
    src = FolderSource(folder)
    return validate_frame(table, get_table(table), src.raw(table), src.catalogue_keys()).problems


def test_danish_csv_shifts_parse(data_copy: Path) -> None:
    write_shifts(data_copy, ROWS)
    src = FolderSource(data_copy)
    shifts = src.read("shifts", units=["FS-AKU"])
    assert shifts["planned_start"].tolist() == [
        pd.Timestamp("2026-10-05 07:00"),
        pd.Timestamp("2026-10-05 15:30"),
    ]
    assert shifts["cost_kr"].iloc[0] == 2640.5
    assert shifts["agency"].tolist() == [False, False]
    assert pd.isna(shifts["actual_start"].iloc[1])


def test_overlapping_shifts_fail_only_their_unit(data_copy: Path) -> None:
    rows = [
        *ROWS[:2],
        ROWS[1].replace("05-10-2026 15:30", "05-10-2026 15:00").replace("evening", "long_day"),
        ROWS[2],
    ]
    write_shifts(data_copy, rows)
    problems = table_problems(data_copy, "shifts")
    overlap = [p for p in problems if "overlap" in p.rule]
    assert len(overlap) == len(problems) == 1
    # Rows 2–4 (spreadsheet numbering): the day shift ran to 15:30 and both evening rows start before.
    assert str(overlap[0]) == (
        "shifts.csv, rows 2, 3, 4: rule broken: an employee's working shifts do not overlap; on call at home is rest"
    )
    assert overlap[0].units == frozenset({"FS-AKU"})
    with pytest.raises(DataValidationError, match="do not overlap"):
        FolderSource(data_copy).read("shifts", units=["FS-AKU"])
    assert len(FolderSource(data_copy).read("shifts", units=["FS-KAR"])) == 1


def test_on_call_at_home_may_overlap_work(data_copy: Path) -> None:
    at_home = (
        "2026-10;FS-AKU;E900001;Sygeplejersker;on_call;2026-10-05 16:00;2026-10-06 08:00;;;;nej;at_home;"
    )
    write_shifts(data_copy, [ROWS[0], at_home])
    assert table_problems(data_copy, "shifts") == []


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            ROWS[0].replace("2026-10-05 15:00", "2026-10-05 06:00", 1),
            "rule broken: the planned end is after the planned start",
        ),
        (
            ROWS[0].replace("2026-10-05 15:30", "2026-10-05 06:30"),
            "rule broken: the actual end is after the actual start",
        ),
        (
            ROWS[0].replace(";2026-10-05 15:30;", ";;"),
            "rule broken: actual start and actual end are both given or both empty",
        ),
        (ROWS[0].replace("2026-10;", "2026-09;", 1), "rule broken: period is the month of the planned start"),
        (
            ROWS[0].replace(";none;", ";standby;"),
            "column 'on_call', row 2: must be one of: none, on_site, at_home, called_in",
        ),
        (
            ROWS[0].replace("2026-10-05 07:00;2026-10-05 15:00", "i morgen;2026-10-05 15:00"),
            "column 'planned_start', row 2: must be a date and time",
        ),
    ],
)
def test_shift_rules_name_file_row_and_rule(data_copy: Path, row: str, message: str) -> None:
    write_shifts(data_copy, [row])
    problems = [str(p) for p in table_problems(data_copy, "shifts")]
    assert any(message in p for p in problems), problems
    assert all(p.startswith("shifts.csv") for p in problems)


def test_empty_datetimes_in_parquet_are_missing_values(data_copy: Path) -> None:
    """Regression: a Parquet timestamp column with empty cells (NaT) used to crash validation."""
    shifts = pd.read_parquet(data_copy / "shifts.parquet")
    assert shifts["actual_start"].isna().any() and shifts["changed_at"].isna().any()
    assert table_problems(data_copy, "shifts") == []


def test_patient_flow_rules(data_copy: Path) -> None:
    flow = pd.read_parquet(data_copy / "patient_flow.parquet")
    flow.loc[3, "hour"] = flow.loc[3, "hour"] + pd.Timedelta(minutes=30)
    flow.loc[5, ["arrivals", "census"]] = None
    flow.to_parquet(data_copy / "patient_flow.parquet", index=False)
    problems = [str(p) for p in table_problems(data_copy, "patient_flow")]
    assert "patient_flow.parquet, row 4: rule broken: hour is the start of an hour, minutes 00" in problems
    assert "patient_flow.parquet, row 6: rule broken: arrivals or census is given" in problems


@pytest.mark.slow
def test_the_sample_roster_is_valid_and_covers_every_department(sample_dir: Path) -> None:
    src = FolderSource(sample_dir)
    report = src.validate_all()
    assert report.ok, [str(p) for p in report.problems]
    shifts = src.validated("shifts")
    units = src.units()
    departments = set(units.loc[units["level"] == "department", "unit_id"])
    assert set(shifts["unit_id"]) == departments
    assert set(src.validated("patient_flow")["unit_id"]) == departments
    assert shifts["period"].nunique() == 12
    assert set(shifts["on_call"]) == {"none", "on_site", "at_home", "called_in"}
    assert shifts["agency"].any() and shifts["actual_start"].isna().any()
    # Rosters use the staff of the hr table (plus agency staff with their own keys).
    hr_keys = set(src.validated("hr")["employee_id"])
    own = shifts.loc[~shifts["agency"].astype(bool), "employee_id"]
    assert set(own) <= hr_keys
    assert not set(shifts.loc[shifts["agency"].astype(bool), "employee_id"]) & hr_keys


@pytest.mark.slow
def test_sample_stories(sample_dir: Path) -> None:
    """The sample departments have something to say: static staffing, quick returns, overtime."""
    src = open_source(sample_dir)

    def facts(unit: str) -> tuple[roster.RosterInput, pd.DataFrame]:
        inp = roster.load(src, unit, "2026-10", trend_months=3, heatmap_months=3)
        return inp, roster.shift_facts(inp.shifts, notice_days=4)

    aku, aku_f = facts("FS-AKU")
    start, end = pd.Timestamp("2026-08-01"), pd.Timestamp("2026-11-01")
    groups = ["Sygeplejersker", "SOSU-assistenter"]
    static = demand.staffing_vs_demand(aku_f, aku.patient_flow, start=start, end=end, groups=groups)
    kar, kar_f = facts("FS-KAR")
    adaptive = demand.staffing_vs_demand(kar_f, kar.patient_flow, start=start, end=end, groups=groups)
    assert static.mismatch > 0.2 > adaptive.mismatch
    _, ort_f = facts("FS-ORT")
    assert roster.monthly_kpis(ort_f, ["2026-10"])["overtime_pct"].iloc[0] > 5
    rest = roster.rest_summary(roster.rest_stretches(ort_f), ["2026-10"]).iloc[0]
    assert rest["under_reduced"] > 0 and rest["reduced"] > 0


def test_load_needs_shifts_in_the_period(sample_dir: Path) -> None:
    src = open_source(sample_dir)
    with pytest.raises(DataValidationError, match="no shifts for unit FS-AKU in 2025-06"):
        roster.load(src, "FS-AKU", "2025-06", trend_months=12, heatmap_months=3)


def test_24_00_is_the_end_of_the_day(data_copy: Path) -> None:
    rows = [
        "2026-10;FS-AKU;E900001;Sygeplejersker;evening;2026-10-05 16:00;2026-10-05 24:00;;;;nej;none;",
        "2026-10;FS-AKU;E900001;Sygeplejersker;evening;06-10-2026 16:00;06-10-2026 24:00;;;;nej;none;",
    ]
    write_shifts(data_copy, rows)
    assert table_problems(data_copy, "shifts") == []
    shifts = FolderSource(data_copy).read("shifts", units=["FS-AKU"])
    assert shifts["planned_end"].tolist() == [
        pd.Timestamp("2026-10-06 00:00"),
        pd.Timestamp("2026-10-07 00:00"),
    ]
    assert roster.shift_facts(shifts, notice_days=4)["planned_h"].tolist() == [8.0, 8.0]


def test_the_time_zone_is_a_parameter_and_must_exist() -> None:
    from pydantic import ValidationError

    from toolkit.analyses.shift_assessment.params import ShiftAssessmentParams

    assert ShiftAssessmentParams().time_zone == "Europe/Copenhagen"
    assert ShiftAssessmentParams(time_zone="Europe/London").time_zone == "Europe/London"
    with pytest.raises(ValidationError, match="unknown time zone 'Europe/Kobenhavn'"):
        ShiftAssessmentParams(time_zone="Europe/Kobenhavn")
