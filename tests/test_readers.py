from pathlib import Path

import pandas as pd
import pytest

from toolkit.core.errors import DataStructureError
from toolkit.data.readers import DECIMAL_COMMA_COL, ROW_COL, discover, read_columns, read_table


def test_danish_excel_csv_semicolon_decimal_comma_bom(tmp_path: Path):
    path = tmp_path / "volume.csv"
    path.write_bytes("\ufeffperiod;unit_id;actual\r\n2026-01;D1;1.234,5\r\n".encode())
    frame = read_table(discover(tmp_path)["volume"])
    assert list(frame.columns[:3]) == ["period", "unit_id", "actual"]
    assert frame.loc[0, "actual"] == "1.234,5"
    assert bool(frame.loc[0, DECIMAL_COMMA_COL]) is True
    assert frame.loc[0, ROW_COL] == 2  # the header is row 1


def test_windows_1252_csv(tmp_path: Path):
    (tmp_path / "units.csv").write_bytes(
        "unit_id;name\r\nD1;Øre-, næse- og halsafdeling\r\n".encode("cp1252")
    )
    frame = read_table(discover(tmp_path)["units"])
    assert frame.loc[0, "name"] == "Øre-, næse- og halsafdeling"


def test_comma_csv_keeps_decimal_point(tmp_path: Path):
    (tmp_path / "volume.csv").write_text("period,unit_id,actual\n2026-01,D1,12.5\n", encoding="utf-8")
    frame = read_table(discover(tmp_path)["volume"])
    assert bool(frame.loc[0, DECIMAL_COMMA_COL]) is False


def test_xlsx_and_parquet(tmp_path: Path):
    df = pd.DataFrame({"period": ["2026-01"], "unit_id": ["D1"], "actual": [3.0]})
    df.to_excel(tmp_path / "volume.xlsx", index=False)
    df.to_parquet(tmp_path / "hours.parquet", index=False)
    tables = discover(tmp_path)
    assert read_table(tables["volume"]).loc[0, ROW_COL] == 2
    assert read_table(tables["hours"]).loc[0, ROW_COL] == 1
    assert read_columns(tmp_path / "volume.xlsx") == ["period", "unit_id", "actual"]
    assert read_columns(tmp_path / "hours.parquet") == ["period", "unit_id", "actual"]


def test_a_table_can_be_a_folder_of_monthly_files(tmp_path: Path):
    (tmp_path / "volume").mkdir()
    (tmp_path / "volume" / "2026-01.csv").write_text(
        "period;unit_id;actual\n2026-01;D1;1\n", encoding="utf-8"
    )
    (tmp_path / "volume" / "2026-02.csv").write_text(
        "period;unit_id;actual\n2026-02;D1;2\n", encoding="utf-8"
    )
    frame = read_table(discover(tmp_path)["volume"])
    assert list(frame["__file__"]) == ["volume/2026-01.csv", "volume/2026-02.csv"]


def test_a_table_given_twice_is_an_error(tmp_path: Path):
    (tmp_path / "volume.csv").write_text("a\n1\n")
    (tmp_path / "volume.xlsx").write_bytes(b"")
    with pytest.raises(DataStructureError, match="table 'volume' is given more than once"):
        discover(tmp_path)


def test_missing_folder_is_an_error(tmp_path: Path):
    with pytest.raises(DataStructureError, match="does not exist"):
        discover(tmp_path / "nope")


def _workbook(path: Path, rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def test_the_quick_formula_scan_finds_formulas_and_only_formulas(tmp_path: Path) -> None:
    """A workbook of values skips the cell-by-cell check; one with a formula (even a prefixed
    ``<x:f>`` element) gets it."""
    import zipfile

    from toolkit.data.readers import _has_formulas

    values = _workbook(tmp_path / "values.xlsx", [["period", "unit_id", "fill"], ["2026-01", "D1", "<f>"]])
    formulas = _workbook(tmp_path / "formulas.xlsx", [["a", "b"], [1, "=A2*2"]])
    assert not _has_formulas(values)  # a cell's text "<f>" is escaped in the XML: no formula
    assert _has_formulas(formulas)
    prefixed = tmp_path / "prefixed.xlsx"
    with zipfile.ZipFile(formulas) as src, zipfile.ZipFile(prefixed, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.startswith("xl/worksheets/"):
                assert b"<f>" in data
                data = data.replace(b"<f>", b"<x:f>").replace(b"</f>", b"</x:f>")
            dst.writestr(item, data)
    assert _has_formulas(prefixed)
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    assert _has_formulas(tmp_path / "broken.xlsx")  # left to the full check, which names it


def test_a_workbook_read_twice_is_parsed_once_and_read_again_when_it_changes(tmp_path: Path) -> None:
    import os

    from toolkit.data.readers import read_xlsx

    path = _workbook(tmp_path / "volume.xlsx", [["period", "unit_id", "actual"], ["2026-01", "D1", 3]])
    first = read_xlsx(path, "volume.xlsx")
    first.loc[0, "actual"] = 99  # each caller has its own copy
    assert read_xlsx(path, "volume.xlsx").loc[0, "actual"] == 3
    _workbook(path, [["period", "unit_id", "actual"], ["2026-01", "D1", 4], ["2026-02", "D1", 5]])
    os.utime(path, ns=(1, 1))  # a new modification time, whatever the clock's resolution
    assert read_xlsx(path, "volume.xlsx")["actual"].tolist() == [4, 5]
