"""Mapping tables: raw exports with source-system codes become the data model's tables on load."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from toolkit.core.errors import DataStructureError, DataValidationError
from toolkit.data.sources import FolderSource


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOOLKIT_PSEUDONYM_KEY", "k" * 40)


def _sorted(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    return frame[columns].sort_values(columns, kind="stable").reset_index(drop=True)


def _payroll_export(data: Path) -> dict[str, str]:
    """hours.parquet as payroll exports it: wage codes instead of time categories."""
    hours = pd.read_parquet(data / "hours.parquet")
    codes = {c: f"{1000 + i}" for i, c in enumerate(sorted(hours["time_category"].unique()))}
    hours["wage_code"] = hours.pop("time_category").map(codes)
    hours.to_parquet(data / "hours.parquet")
    return codes


def _write_wage_codes(data: Path, codes: dict[str, str]) -> None:
    rows = [f"{code};{category};Lønart {code}" for category, code in codes.items()]
    (data / "wage_codes.csv").write_text(
        "wage_code;time_category;name\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )


def test_a_payroll_export_with_wage_codes_becomes_the_hours_table(data_copy: Path, sample_dir: Path) -> None:
    codes = _payroll_export(data_copy)
    _write_wage_codes(data_copy, codes)
    want = FolderSource(sample_dir).read("hours", units=["FS-KAR"])
    got = FolderSource(data_copy).read("hours", units=["FS-KAR"])
    columns = list(want.columns)
    pd.testing.assert_frame_equal(_sorted(got, columns), _sorted(want, columns))


def test_two_wage_codes_of_one_category_are_added_up(data_copy: Path) -> None:
    (data_copy / "hours.parquet").unlink()
    (data_copy / "hours.csv").write_text(
        "period;unit_id;employee_id;activity_id;wage_code;hours\n"
        "2026-10;FS-KAR;E1;AMB;0100;7,5\n"
        "2026-10;FS-KAR;E1;AMB;0110;2,5\n"  # both productive: one row of 10 hours
        "2026-10;FS-KAR;E1;;FR01;7,4\n",
        encoding="utf-8",
    )
    (data_copy / "wage_codes.csv").write_text(
        "wage_code;time_category;name\n0100;productive;Normaltid\n0110;productive;Tillæg\nFR01;holiday;Ferie\n",
        encoding="utf-8",
    )
    source = FolderSource(data_copy)
    hours = source.raw("hours")
    assert sorted(zip(hours["time_category"], hours["hours"], strict=True)) == [
        ("holiday", 7.4),
        ("productive", 10.0),
    ]


def test_an_unmapped_code_is_an_error_naming_file_code_and_rows(data_copy: Path) -> None:
    codes = _payroll_export(data_copy)
    hours = pd.read_parquet(data_copy / "hours.parquet")
    missing = codes.pop("sick_child")
    n = int((hours["wage_code"] == missing).sum())
    n_kar = int(((hours["wage_code"] == missing) & (hours["unit_id"] == "FS-KAR")).sum())
    _write_wage_codes(data_copy, codes)
    source = FolderSource(data_copy)
    with pytest.raises(DataValidationError) as err:
        source.read("hours", units=["FS-KAR"])
    text = str(err.value)
    assert "hours.parquet" in text and f"'{missing}'" in text and "wage_codes" in text
    assert f"({n_kar} rows carry it)" in text
    # validate lists the code for every unit, with every row counted (never silently dropped)
    report = FolderSource(data_copy).validate_all()
    unmapped = [p for p in report.problems if p.column == "wage_code"]
    assert sum(p.n_rows for p in unmapped) == n
    assert {p.units for p in unmapped} == {
        frozenset({u}) for u in hours.loc[hours.wage_code == missing, "unit_id"]
    }
    assert all(f"'{missing}'" in str(p) for p in unmapped)


def test_validate_lists_every_unmapped_code(data_copy: Path) -> None:
    codes = _payroll_export(data_copy)
    gone = [codes.pop("sick_child"), codes.pop("work_injury")]
    _write_wage_codes(data_copy, codes)
    report = FolderSource(data_copy).validate_all()
    named = {code for p in report.problems for code in gone if f"'{code}'" in p.rule}
    assert named == set(gone)


def test_a_code_column_without_its_mapping_table_names_the_table_to_add(data_copy: Path) -> None:
    _payroll_export(data_copy)
    with pytest.raises(DataStructureError, match="add the mapping table 'wage_codes'"):
        FolderSource(data_copy).raw("hours")
    problems = FolderSource(data_copy).check_structure()
    assert any("wage_codes" in str(p) for p in problems)


def test_a_mapping_table_is_validated_like_every_table(data_copy: Path) -> None:
    codes = _payroll_export(data_copy)
    codes["overtime"] = "9999"
    _write_wage_codes(data_copy, codes)
    text = (data_copy / "wage_codes.csv").read_text(encoding="utf-8").replace(";overtime;", ";overtim;")
    (data_copy / "wage_codes.csv").write_text(text, encoding="utf-8")
    with pytest.raises(DataValidationError, match=r"wage_codes.csv.*time_category.*must be one of"):
        FolderSource(data_copy).read("hours", units=["FS-KAR"])


def test_a_ledger_by_account_and_cost_centre_becomes_finance(data_copy: Path, sample_dir: Path) -> None:
    finance = pd.read_csv(sample_dir / "finance.csv", sep=";", dtype=str, keep_default_na=False)
    # Two accounts per account group, the amounts split between them; cost centres for units.
    rows = []
    for _, r in finance.iterrows():
        for half, suffix in ((0.25, "1"), (0.75, "2")):
            rows.append(
                {
                    "period": r["period"],
                    "cost_centre": f"CC{r['unit_id']}",
                    "account": f"{r['account_group']}-{suffix}",
                    "activity_id": r["activity_id"],
                    "budget": "" if r["budget"] == "" else str(float(r["budget"].replace(",", ".")) * half),
                    "actual": "" if r["actual"] == "" else str(float(r["actual"].replace(",", ".")) * half),
                }
            )
    pd.DataFrame(rows).to_csv(data_copy / "finance.csv", index=False)
    groups = sorted(finance["account_group"].unique())
    accounts = pd.DataFrame(
        [
            {"account": f"{g}-{s}", "account_group": g, "cost_type": "", "name": ""}
            for g in groups
            for s in "12"
        ]
    )
    accounts.to_csv(data_copy / "account_codes.csv", index=False)
    units = sorted(finance["unit_id"].unique())
    pd.DataFrame({"cost_centre": [f"CC{u}" for u in units], "unit_id": units, "cost_centre_id": ""}).to_csv(
        data_copy / "cost_centre_codes.csv", index=False
    )
    want = FolderSource(sample_dir).read("finance", units=["FS-KAR"])
    got = FolderSource(data_copy).read("finance", units=["FS-KAR"])
    key = ["period", "unit_id", "account_group", "activity_id"]
    a, b = _sorted(got, [*key, "budget", "actual"]), _sorted(want, [*key, "budget", "actual"])
    pd.testing.assert_frame_equal(a[key], b[key])
    assert a["budget"].to_numpy() == pytest.approx(b["budget"].to_numpy())
    assert a["actual"].isna().equals(b["actual"].isna())


def test_an_unknown_cost_centre_fails_the_whole_read(data_copy: Path) -> None:
    volume = pd.read_csv(data_copy / "volume.csv", sep=";", dtype=str)
    volume["cost_centre"] = "CC-" + volume.pop("unit_id")
    volume.loc[0, "cost_centre"] = "CC-NOWHERE"
    volume.to_csv(data_copy / "volume.csv", sep=";", index=False)
    units = sorted(set(volume["cost_centre"]) - {"CC-NOWHERE"})
    pd.DataFrame({"cost_centre": units, "unit_id": [u[3:] for u in units], "cost_centre_id": ""}).to_csv(
        data_copy / "cost_centre_codes.csv", index=False
    )
    source = FolderSource(data_copy)
    with pytest.raises(
        DataValidationError, match=r"volume.csv, column 'cost_centre', row 2: code 'CC-NOWHERE'"
    ):
        source.read("volume", units=["FS-KAR"])  # the row's unit is unknown: it concerns every unit
    assert len(source.raw("volume")) == len(volume) - 1


def test_a_roster_with_shift_codes_becomes_the_shifts_table(data_copy: Path, sample_dir: Path) -> None:
    shifts = pd.read_parquet(sample_dir / "shifts.parquet")
    start = shifts["planned_start"].dt.strftime("%H:%M")
    end = (
        shifts["planned_end"]
        .dt.strftime("%H:%M")
        .where(shifts["planned_end"].dt.strftime("%H:%M") != "00:00", "24:00")
    )
    code = shifts["shift_type"] + "_" + start + "_" + end
    shifts = shifts.assign(date=shifts["planned_start"].dt.strftime("%d-%m-%Y"), shift_code=code)
    shifts = shifts.drop(columns=["shift_type", "planned_start", "planned_end", "period"])
    shifts.to_parquet(data_copy / "shifts.parquet")
    table = pd.DataFrame({"shift_code": code.unique()})
    parts = table["shift_code"].str.split("_", n=1, expand=True)
    table["shift_type"] = [c.rsplit("_", 2)[0] for c in table["shift_code"]]
    table["start"] = [c.rsplit("_", 2)[1] for c in table["shift_code"]]
    table["end"] = [c.rsplit("_", 2)[2] for c in table["shift_code"]]
    table["name"] = parts[0]
    table.to_csv(data_copy / "shift_codes.csv", index=False)
    want = FolderSource(sample_dir).read("shifts", units=["FS-AKU"])
    got = FolderSource(data_copy).read("shifts", units=["FS-AKU"])
    columns = ["period", "employee_id", "shift_type", "planned_start", "planned_end", "on_call"]
    pd.testing.assert_frame_equal(_sorted(got, columns), _sorted(want, columns))


def test_a_night_code_ends_the_next_day_and_24_00_is_midnight(data_copy: Path) -> None:
    (data_copy / "shifts.parquet").unlink()
    (data_copy / "shifts.csv").write_text(
        "unit_id;employee_id;staff_group;date;shift_code;actual_start;actual_end;changed_at;agency;on_call;cost_kr\n"
        "FS-AKU;E1;Sygeplejersker;30-10-2026;N;;;;nej;none;\n"
        "FS-AKU;E1;Sygeplejersker;28-10-2026;A;;;;nej;none;\n",
        encoding="utf-8",
    )
    (data_copy / "shift_codes.csv").write_text(
        "shift_code;shift_type;start;end;name\nN;night;22:00;07:00;Nat\nA;evening;15:00;24:00;Aften\n",
        encoding="utf-8",
    )
    shifts = FolderSource(data_copy).read("shifts", units=["FS-AKU"]).sort_values("planned_start")
    assert shifts["planned_start"].astype(str).tolist() == ["2026-10-28 15:00:00", "2026-10-30 22:00:00"]
    assert shifts["planned_end"].astype(str).tolist() == ["2026-10-29 00:00:00", "2026-10-31 07:00:00"]
    assert shifts["period"].tolist() == ["2026-10", "2026-10"]


def test_procedure_codes_become_activities_and_are_added_up(data_copy: Path) -> None:
    (data_copy / "volume.csv").write_text(
        "period;unit_id;activity_code;actual;planned\n"
        "2026-10;FS-KAR;BFCA0;10;12\n"
        "2026-10;FS-KAR;BFCB0;5;\n"
        "2026-10;FS-KAR;ZZ0149;7;8\n",
        encoding="utf-8",
    )
    activities = pd.read_csv(data_copy / "activities.csv", sep=";", dtype=str)
    first, second = activities["activity_id"].iloc[:2]
    (data_copy / "activity_codes.csv").write_text(
        f"activity_code;activity_id;name\nBFCA0;{first};\nBFCB0;{first};\nZZ0149;{second};\n",
        encoding="utf-8",
    )
    volume = FolderSource(data_copy).read("volume", units=["FS-KAR"]).set_index("activity_id")
    assert volume.loc[first, "actual"] == 15 and volume.loc[first, "planned"] == 12
    assert volume.loc[second, "actual"] == 7


def test_the_sample_data_need_no_mapping_files(sample_dir: Path) -> None:
    source = FolderSource(sample_dir)
    assert not source.tables() & {
        "wage_codes",
        "account_codes",
        "cost_centre_codes",
        "shift_codes",
        "activity_codes",
    }
    assert source.unmapped("hours") == []
