"""The import recipes of ``examples/`` on the real public data: figures counted by hand from the raw files.

The raw files are in ``../shared/realdata/`` (override with ``REALDATA``); without them, or without
``xlrd`` (the ``examples`` extra), the tests are skipped. Each test converts a small subset.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from toolkit.analyses.shift_assessment import roster
from toolkit.core import config
from toolkit.core.errors import DataValidationError
from toolkit.data.sources import FolderSource

EXAMPLES = config.PROJECT_ROOT / "examples"
REALDATA = Path(os.environ.get("REALDATA", config.PROJECT_ROOT.parent / "shared" / "realdata"))
INRC = REALDATA / "nurse-rostering-inrc2"
UIHC = REALDATA / "ed-hourly-arrivals-uihc" / "uihc_ed_arrivals.csv"
NHS = REALDATA / "nhs-ae-monthly-by-provider-2023-24"
SOLUTION = INRC / "n005w4" / "Solution_H_0-WD_1-2-3-3"

pytestmark = pytest.mark.skipif(not REALDATA.is_dir(), reason=f"no public data in {REALDATA}")
sys.path.insert(0, str(EXAMPLES))

from inrc2_uihc import convert as inrc2_uihc  # noqa: E402


def validator_grid() -> dict[str, str]:
    """The official INRC-II validator's nurse × day grid (E/L/N/-) for the 4 weeks, per nurse."""
    rows = {}
    for line in (SOLUTION / "validator.txt").read_text(encoding="utf-8").splitlines():
        name, sep, cells = line.partition("|")
        if sep and name.strip() and not name.startswith(" "):
            rows[name.strip()] = cells.replace("|", "").replace(" ", "")
    return rows


def read_roster(folder: Path) -> pd.DataFrame:
    """The converted folder's shifts as the shift assessment reads them (validated, typed)."""
    return FolderSource(folder).read("shifts", units=[inrc2_uihc.UNIT])


def test_inrc2_shifts_in_the_month(tmp_path: Path) -> None:
    inrc2_uihc.convert(INRC, UIHC, tmp_path / "data")
    shifts = read_roster(tmp_path / "data")
    grid = validator_grid()
    # By hand from validator.txt's grid: Patrick 23, Andrea 21, Stefaan 18, Sara 17, Nguyen 24
    # cells that are not "-" = 103 shifts (= the ASSIGNMENTS lines 25 + 26 + 26 + 26 of the Sol files),
    # of which N: 9 + 10 + 8 + 5 + 7 = 39 nights. The 4 weeks from Monday 2017-10-02 are all October.
    assert sum(len(c) - c.count("-") for c in grid.values()) == 103
    assert len(shifts) == 103
    assert (shifts["period"] == "2017-10").all()
    assert (shifts["shift_type"] == "night").sum() == 39 == sum(c.count("N") for c in grid.values())
    # Per nurse (the keys are pseudonyms by now, so compared as sorted counts).
    per_nurse = sorted(shifts.groupby("employee_id").size())
    assert per_nurse == sorted(len(c) - c.count("-") for c in grid.values()) == [17, 18, 21, 23, 24]
    # Monday's nights (Patrick and Stefaan): 23:00 to Tuesday 07:00 (Night = 23–07 in shift_codes.csv).
    monday = shifts[shifts["planned_start"] == pd.Timestamp("2017-10-02 23:00")]
    assert monday["planned_end"].tolist() == [pd.Timestamp("2017-10-03 07:00")] * 2
    flow = FolderSource(tmp_path / "data").read("patient_flow", units=[inrc2_uihc.UNIT])
    assert len(flow) == 28 * 24  # the UIHC arrivals for the roster's 4 weeks, hour by hour


def test_inrc2_rest_breach_night_then_early(tmp_path: Path) -> None:
    """The validated roster has no illegal succession; Night then Early the next day is a breach."""
    params = {"notice_days": 4, "time_zone": "America/Chicago"}
    inrc2_uihc.convert(INRC, UIHC, tmp_path / "valid")
    valid = roster.rest_summary(
        roster.rest_stretches(roster.shift_facts(read_roster(tmp_path / "valid"), **params)), ["2017-10"]
    ).iloc[0]
    assert valid["breaches"] == 0  # validator.txt: "Illegal shift type succession constraints: 0"

    # Patrick works Mon Night in week 0 (Sol-n005w4-1-0.txt); give him Tue Early too (forbidden
    # by "Night 2 Early Late"): 23:00–07:00 then 07:00–15:00 is one 16-hour stretch, and the 24
    # hours before 15:00 hold only the 8 hours Mon 15:00–23:00 of rest: a reduced-rest breach.
    broken = tmp_path / "solution"
    shutil.copytree(SOLUTION, broken)
    week0 = broken / "Sol-n005w4-1-0.txt"
    week0.write_text(week0.read_text(encoding="utf-8") + "Patrick Tue Early Nurse\n", encoding="utf-8")
    inrc2_uihc.convert(INRC, UIHC, tmp_path / "broken", solution=broken)
    stretches = roster.rest_stretches(roster.shift_facts(read_roster(tmp_path / "broken"), **params))
    s = roster.rest_summary(stretches, ["2017-10"]).iloc[0]
    assert (s["stretches"], s["breaches"], s["reduced"], s["under_reduced"]) == (103, 1, 1, 0)
    breach = stretches[stretches["category"] != "ok"].iloc[0]
    assert (breach["start"], breach["hours"], breach["longest_rest_h"]) == (
        pd.Timestamp("2017-10-02 23:00"),
        16.0,
        8.0,
    )


def test_inrc2_unknown_shift_code_is_named(tmp_path: Path) -> None:
    broken = tmp_path / "solution"
    shutil.copytree(SOLUTION, broken)
    week0 = broken / "Sol-n005w4-1-0.txt"
    week0.write_text(week0.read_text(encoding="utf-8") + "Sara Mon Day Nurse\n", encoding="utf-8")
    inrc2_uihc.convert(INRC, UIHC, tmp_path / "data", solution=broken)
    with pytest.raises(DataValidationError, match=r"Day") as exc:
        read_roster(tmp_path / "data")
    assert "shift_code" in str(exc.value)


def nhs_march_2024(tmp_path: Path) -> Path:
    """The NHS recipe on one month (March 2024), East of England only."""
    pytest.importorskip("xlrd")
    from nhs_ae import convert as nhs_ae

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "march.xls").symlink_to(next(NHS.glob("March-2024-*.xls")))
    nhs_ae.convert(raw, tmp_path / "data", region="East Of England")
    return tmp_path / "data"


def test_nhs_attendance_total_and_goals(tmp_path: Path) -> None:
    xlrd = pytest.importorskip("xlrd")
    # Counted by hand: March-2024-AE-revised-130624-by-provider-Pieag.xls, sheet "Provider Level
    # Data", row 21 (B21 = "RWH", East And North Hertfordshire NHS Trust): E21 type 1 = 9658,
    # F21 type 2 = 0, G21 type 3 = 7695, H21 total = 17353; L21 under 4 hours = 12699
    # (12699 / 17353 = 73.18 %); AB21 over 12 hours from decision to admit = 37.
    # A tiny independent read of those cells:
    sheet = xlrd.open_workbook(str(next(NHS.glob("March-2024-*.xls")))).sheet_by_name("Provider Level Data")
    assert sheet.cell_value(20, 1) == "RWH"
    assert [sheet.cell_value(20, c) for c in (4, 5, 6, 7, 11, 27)] == [9658, 0, 7695, 17353, 12699, 37]

    data = nhs_march_2024(tmp_path)
    src = FolderSource(data)
    volume = src.read("volume", units=["RWH"])
    assert volume["period"].unique().tolist() == ["2024-03"]
    assert volume.set_index("activity_id")["actual"].to_dict() == {"AE1": 9658, "AE2": 0, "AE3": 7695}
    assert volume["actual"].sum() == 17353
    goals = src.read("goals", units=["RWH"]).set_index("goal_id")
    assert goals.loc["AE4H", "actual"] == pytest.approx(100 * 12699 / 17353)
    assert goals.loc["AE12H", "actual"] == 37
    # Cells a trust does not report ("-") give no actual, never a zero.
    from nhs_ae import convert as nhs_ae

    assert nhs_ae._number("-") is None
    assert nhs_ae._number("") is None


@pytest.mark.slow
def test_nhs_kpi_report_shows_the_hand_counted_figures(tmp_path: Path) -> None:
    data = nhs_march_2024(tmp_path)
    exe = Path(sys.executable).with_name("toolkit")
    subprocess.run(
        [str(exe), "run", "kpi", "--unit", "RWH", "--data", str(data), "--out", str(tmp_path / "out"),
         "--language", "en", "--no-progress"],
        check=True,
        capture_output=True,
    )  # fmt: skip
    book = openpyxl.load_workbook(tmp_path / "out" / "2024-03" / "RWH" / "kpi.xlsx", read_only=True)
    sheets = {
        ws.title: [r for r in ws.iter_rows(values_only=True) if any(v is not None for v in r)] for ws in book
    }
    activity = next(rows for title, rows in sheets.items() if rows and rows[0][:2] == ("Activity", "Unit"))
    assert {r[0]: r[2] for r in activity[1:]} == {
        "A&E type 1 (major A&E)": 9658,
        "A&E type 2 (single specialty)": 0,
        "A&E type 3 (other A&E / minor injury unit)": 7695,
    }
    goals = next(rows for title, rows in sheets.items() if title == "Goals")
    actual = {r[0]: r[4] for r in goals[1:]}
    assert actual["Waits over 12 hours from decision to admit"] == 37
    assert actual["Attendances within 4 hours"] == pytest.approx(100 * 12699 / 17353)
    # No staff or finance figures in the publication (not_collected): no data, never a zero.
    kpis = json.loads((tmp_path / "out" / "2024-03" / "RWH" / "kpi.json").read_text())["kpis"]
    money = [k for k in kpis if k["unit"] in ("kr", "kr/case") or "sick" in k["key"]]
    assert money and all(k["value"] is None for k in money), money
    html = (tmp_path / "out" / "2024-03" / "RWH" / "kpi.html").read_text()
    assert "no data" in html and "0 kr" not in html
