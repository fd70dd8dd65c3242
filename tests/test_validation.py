"""Every kind of bad input gives one clear message naming file, column, rows and rule."""

from pathlib import Path

import pandas as pd
import pytest

from toolkit.core.errors import DataStructureError, DataValidationError
from toolkit.data.schemas import TABLES
from toolkit.data.sources import FolderSource
from toolkit.data.validation import Problem, validate_frame

KEYS = {"units": {"D1", "D2"}, "activities": {"AMB", "ADM"}}


def raw(rows: list[dict], decimal_comma: bool = True, file: str = "hours.csv") -> pd.DataFrame:
    df = pd.DataFrame(rows).astype("string")
    df["__row__"] = range(2, len(df) + 2)
    df["__file__"] = file
    df["__decimal_comma__"] = decimal_comma
    return df


def hours_row(**kw: str) -> dict:
    base = {
        "period": "2026-01",
        "unit_id": "D1",
        "employee_id": "E1",
        "activity_id": "AMB",
        "time_category": "productive",
        "hours": "7,5",
    }
    base.update(kw)
    return base


def problems(rows, **kw) -> list[Problem]:
    return validate_frame("hours", TABLES["hours"], raw(rows, **kw), KEYS).problems


def test_clean_rows_parse_danish_numbers():
    result = validate_frame("hours", TABLES["hours"], raw([hours_row(hours="1.234,5")]), KEYS)
    assert result.problems == []
    assert result.frame.loc[0, "hours"] == 1234.5


def test_text_in_a_number_column_names_file_column_row_and_value():
    [p] = problems([hours_row(), hours_row(employee_id="E2", hours="syv")])
    assert str(p) == "hours.csv, column 'hours', row 3: must be a number (found 'syv')"
    assert p.units == frozenset({"D1"})


def test_negative_hours():
    [p] = problems([hours_row(hours="-7,5")])
    assert "column 'hours', row 2: must be ≥ 0 (found '-7,5')" in str(p)


def test_unknown_unit_is_global():
    [p] = problems([hours_row(unit_id="X9")])
    assert "column 'unit_id', row 2: unknown unit key (not in the units table) (found 'X9')" in str(p)
    assert p.is_global


def test_unknown_activity_is_confined_to_its_unit():
    [p] = problems([hours_row(unit_id="D2", activity_id="NOPE")])
    assert "unknown activity key" in str(p)
    assert p.units == frozenset({"D2"})


def test_bad_period_and_bad_category():
    found = problems([hours_row(period="2026-13"), hours_row(employee_id="E2", time_category="vacation")])
    text = "\n".join(map(str, found))
    assert "column 'period', row 2: must be a month written YYYY-MM (found '2026-13')" in text
    assert "column 'time_category', row 3: must be one of: productive" in text


def test_duplicate_keys_name_the_key_and_rows():
    [p] = problems([hours_row(), hours_row()])
    assert "duplicate key: the same (period, unit_id, employee_id, activity_id, time_category)" in str(p)
    assert p.rows == (2, 3)


def test_rule_across_columns():
    [p] = problems([hours_row(time_category="sick_own")])  # absence with an activity
    assert "rule broken: work time names an activity; absence does not" in str(p)


def test_many_rows_are_summarised():
    rows = [hours_row(employee_id=f"E{i}", hours="-1") for i in range(12)]
    [p] = problems(rows)
    assert "rows 2, 3, 4, 5, 6 and 7 more" in str(p)
    assert p.n_rows == 12


def test_missing_value_in_a_required_column():
    [p] = problems([hours_row(employee_id="")])
    assert "column 'employee_id', row 2: must not be empty" in str(p)


def _write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8")


def test_folder_structure_errors_stop_everything(data_copy: Path):
    text = (data_copy / "volume.csv").read_text(encoding="utf-8-sig")
    header, rest = text.split("\n", 1)
    _write(data_copy, "volume.csv", header.replace(";planned", "") + "\n" + rest)
    source = FolderSource(data_copy)
    [p] = source.check_structure()
    assert str(p).startswith("volume.csv, column 'planned': missing column; the file has: period, unit_id")
    with pytest.raises(DataStructureError):
        source.validate_all()


def test_extra_column_is_a_structure_error(data_copy: Path):
    text = (data_copy / "units.csv").read_text(encoding="utf-8-sig").splitlines()
    text = [text[0] + ";note"] + [line + ";x" for line in text[1:]]
    _write(data_copy, "units.csv", "\n".join(text) + "\n")
    [p] = FolderSource(data_copy).check_structure()
    assert "column 'note': unexpected column" in str(p)


def test_missing_required_table(data_copy: Path):
    (data_copy / "hr.csv").unlink()
    with pytest.raises(DataStructureError, match="required table 'hr' is missing"):
        FolderSource(data_copy)


def test_problem_in_one_unit_leaves_other_units_readable(data_copy: Path):
    lines = (data_copy / "volume.csv").read_text(encoding="utf-8-sig").splitlines()
    idx = next(i for i, line in enumerate(lines) if line.startswith("2026-10;FS-LUN;AMB"))
    parts = lines[idx].split(";")
    parts[3] = "-5"
    lines[idx] = ";".join(parts)
    _write(data_copy, "volume.csv", "\n".join(lines) + "\n")
    source = FolderSource(data_copy)
    with pytest.raises(
        DataValidationError, match=rf"volume.csv, column 'actual', row {idx + 1}: must be ≥ 0"
    ):
        source.read("volume", units=["FS-LUN"])
    assert len(source.read("volume", units=["FS-KAR"])) > 0
    report = source.validate_all()
    assert report.failed_units == {"FS-LUN"}
    assert report.global_problems == []


def test_employee_without_hr_row_is_reported(data_copy: Path):
    hr = pd.read_csv(data_copy / "hr.csv", sep=";", decimal=",", encoding="utf-8-sig", dtype=str)
    victim = hr.iloc[0]
    hr = hr.drop(index=0)
    hr.to_csv(data_copy / "hr.csv", sep=";", index=False, encoding="utf-8-sig")
    report = FolderSource(data_copy).validate_all()
    [p] = report.problems
    assert "employee has hours but no hr row" in str(p)
    assert p.units == frozenset({victim["unit_id"]})


def test_a_table_rule_with_parentheses_in_its_name_is_reported_once():
    import pandera.pandas as pa

    from toolkit.data.schemas import TableModel

    class Tiny(TableModel):
        a: pa.typing.Series[float]
        b: pa.typing.Series[float]

        @pa.dataframe_check(name="a is at most b (same row)")
        def _order(cls, df: pd.DataFrame) -> pa.typing.Series[bool]:  # noqa: N805 (pandera check)
            return df["a"] <= df["b"]

    frame = pd.DataFrame({"a": ["1", "5"], "b": ["2", "3"], "__row__": [2, 3], "__file__": "tiny.csv"})
    [p] = validate_frame("tiny", Tiny, frame).problems
    assert str(p) == "tiny.csv, row 3: rule broken: a is at most b (same row)"
