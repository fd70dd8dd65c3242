"""Optional columns: a roster export without actual times, agency, on-call or cost columns is read
with the model's defaults (``metadata={"default": ...}``), through a mapping file or not."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from toolkit.data.mappings import mapped_columns, with_defaults
from toolkit.data.schemas import column_defaults, get_table
from toolkit.data.sources import FolderSource
from toolkit.data.validation import check_structure

OPTIONAL = ["actual_start", "actual_end", "changed_at", "agency", "on_call", "cost_kr"]


def test_the_roster_declares_its_optional_columns_and_their_defaults() -> None:
    assert column_defaults(get_table("shifts")) == {
        "actual_start": "",
        "actual_end": "",
        "changed_at": "",
        "agency": "false",
        "on_call": "none",
        "cost_kr": "",
    }
    assert column_defaults(get_table("hours")) == {}  # a core table has no optional column


def test_a_file_without_optional_columns_passes_the_structure_check_and_gets_the_defaults() -> None:
    model = get_table("shifts")
    present = [
        "period",
        "unit_id",
        "employee_id",
        "staff_group",
        "shift_type",
        "planned_start",
        "planned_end",
    ]
    assert check_structure("shifts", model, mapped_columns("shifts", model, present), "shifts.csv") == []
    frame = with_defaults(model, pd.DataFrame({c: ["x", "y"] for c in present}))
    assert frame["agency"].tolist() == ["false", "false"]
    assert frame["on_call"].tolist() == ["none", "none"]
    assert frame["actual_start"].isna().all() and frame["cost_kr"].isna().all()
    # A required column is still required.
    problems = check_structure("shifts", model, mapped_columns("shifts", model, present[1:]), "shifts.csv")
    assert len(problems) == 1 and problems[0].column == "period"


def _minimal_roster(data: Path, *, with_codes: bool) -> pd.DataFrame:
    full = pd.read_parquet(data / "shifts.parquet")
    (data / "shifts.parquet").unlink()
    fkr = full[full["unit_id"] == "FS-LUN"].head(40).copy()
    if with_codes:
        start = pd.to_datetime(fkr["planned_start"])
        out = pd.DataFrame(
            {
                "unit_id": fkr["unit_id"],
                "employee_id": fkr["employee_id"],
                "staff_group": fkr["staff_group"],
                "date": start.dt.strftime("%d-%m-%Y"),
                "shift_code": "D1",
            }
        )
        (data / "shift_codes.csv").write_text(
            "shift_code;shift_type;start;end;name\nD1;day;07:00;15:00;Dagvagt\n", encoding="utf-8"
        )
    else:
        out = fkr.drop(columns=OPTIONAL)
    out.to_csv(data / "shifts.csv", sep=";", index=False)
    return fkr


@pytest.mark.parametrize("with_codes", [False, True], ids=["planned times", "shift codes"])
def test_a_roster_export_with_only_the_required_columns_is_read_with_the_defaults(
    data_copy: Path, with_codes: bool
) -> None:
    original = _minimal_roster(data_copy, with_codes=with_codes)
    source = FolderSource(data_copy)
    assert source.check_structure() == []
    shifts = source.read("shifts", units=["FS-LUN"])
    assert len(shifts) == len(original)
    assert shifts["agency"].eq(False).all()
    assert shifts["on_call"].eq("none").all()
    assert shifts["actual_start"].isna().all() and shifts["actual_end"].isna().all()
    assert shifts["changed_at"].isna().all() and shifts["cost_kr"].isna().all()
    if with_codes:
        assert shifts["shift_type"].eq("day").all()
        assert (shifts["planned_end"] - shifts["planned_start"]).eq(pd.Timedelta(hours=8)).all()
    else:
        assert sorted(shifts["planned_start"]) == sorted(pd.to_datetime(original["planned_start"]))
