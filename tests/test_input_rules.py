"""Numbers and text are read exactly or refused; the data folder is a boundary.

Each case is a file a user could really deliver: a decimal point in a Danish CSV, one line
pasted from another program, a workbook written by a program and never calculated, a month
stored as a time stamp, a header without rows, a broken metadata.yaml, a link out of the
folder, an old .xls. Each gives one clear message naming file, column or cell, rows and rule
— never a silent reinterpretation and never a traceback.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from toolkit.core.errors import DataStructureError
from toolkit.data.readers import discover, read_table
from toolkit.data.schemas import TABLES
from toolkit.data.sources import FolderSource
from toolkit.data.validation import WRONG_DECIMAL_RULE, validate_frame

KEYS = {"units": {"D1"}, "activities": {"AMB"}}
HEADER = "period;unit_id;employee_id;activity_id;time_category;hours"


def _hours_csv(folder: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "hours.csv"
    path.write_bytes(("\r\n".join([HEADER, *lines]) + "\r\n").encode(encoding))
    return path


def _validate_hours(folder: Path):
    raw = read_table(discover(folder)["hours"])
    return validate_frame("hours", TABLES["hours"], raw, KEYS)


def test_a_decimal_point_in_a_danish_csv_is_refused_not_read_as_thousands(tmp_path: Path) -> None:
    _hours_csv(
        tmp_path,
        [
            "2026-01;D1;E1;AMB;productive;1148.5",
            "2026-01;D1;E2;AMB;productive;1.148,5",
            "2026-01;D1;E3;AMB;productive;7,25",
            "2026-01;D1;E4;AMB;productive;2.5",
        ],
    )
    result = _validate_hours(tmp_path)
    assert len(result.problems) == 1
    problem = result.problems[0]
    assert (problem.file, problem.column, problem.rows) == ("hours.csv", "hours", (2, 5))
    assert problem.rule == WRONG_DECIMAL_RULE
    assert "1148.5" in str(problem) and "'2.5'" in str(problem)
    good = result.frame.set_index("employee_id")["hours"]
    assert good["E2"] == pytest.approx(1148.5) and good["E3"] == pytest.approx(7.25)
    assert "E1" not in good.index  # never 11485


def test_a_decimal_point_in_a_comma_separated_csv_is_a_decimal_point(tmp_path: Path) -> None:
    path = tmp_path / "hours.csv"
    path.write_text(HEADER.replace(";", ",") + "\n2026-01,D1,E1,AMB,productive,1148.5\n", encoding="utf-8")
    result = _validate_hours(tmp_path)
    assert result.problems == []
    assert result.frame["hours"].tolist() == [1148.5]


def test_one_windows_1252_line_in_a_utf8_file_is_refused_naming_the_lines(tmp_path: Path) -> None:
    path = _hours_csv(tmp_path, ["2026-01;D1;E1;AMB;productive;7,5"])
    utf8 = "2026-01;D1;Søren;AMB;productive;7,5\r\n".encode()
    cp1252 = "2026-01;D1;Bjørn;AMB;productive;7,5\r\n".encode("cp1252")
    path.write_bytes(path.read_bytes() + utf8 + cp1252)
    with pytest.raises(DataStructureError) as err:
        read_table(discover(tmp_path)["hours"])
    message = str(err.value)
    assert "hours.csv" in message and "mixes text encodings" in message
    assert "line 3 UTF-8" in message and "line 4 another encoding" in message


def test_a_whole_windows_1252_file_is_still_read_as_written(tmp_path: Path) -> None:
    _hours_csv(tmp_path, ["2026-01;D1;Ærø;AMB;productive;7,5"], encoding="cp1252")
    frame = read_table(discover(tmp_path)["hours"])
    assert frame["employee_id"].tolist() == ["Ærø"]


def test_a_formula_without_a_saved_result_is_refused_naming_sheet_and_cell(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "goals"
    ws.append(["period", "unit_id", "value"])
    ws.append(["2026-01", "D1", 5])
    ws.append(["2026-02", "D1", "=C2*2"])  # openpyxl saves formulas without a cached result
    wb.save(tmp_path / "goals.xlsx")
    with pytest.raises(DataStructureError) as err:
        read_table(discover(tmp_path)["goals"])
    message = str(err.value)
    assert "goals.xlsx, sheet 'goals', cell C3" in message
    assert "formula without a saved result" in message


def test_a_month_stored_as_a_time_stamp_is_refused_for_every_row(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "period": pd.to_datetime(["2026-01-01", "2026-02-01"]),
            "unit_id": ["D1", "D1"],
            "employee_id": ["E1", "E1"],
            "activity_id": ["AMB", "AMB"],
            "time_category": ["productive", "productive"],
            "hours": [7.5, 7.5],
        }
    )
    frame.to_parquet(tmp_path / "hours.parquet", index=False)
    result = _validate_hours(tmp_path)
    assert [p.column for p in result.problems] == ["period"]
    assert result.problems[0].n_rows == 2
    assert (
        "must be a month written as text YYYY-MM; the file stores date/time values" in result.problems[0].rule
    )


def test_a_required_table_with_only_a_header_is_a_validation_error(data_copy: Path) -> None:
    volume = data_copy / "volume.csv"
    volume.write_text(volume.read_text(encoding="utf-8-sig").splitlines()[0] + "\n", encoding="utf-8")
    report = FolderSource(data_copy).validate_all()
    messages = [str(p) for p in report.global_problems]
    assert [
        m
        for m in messages
        if m.startswith("volume.csv: has a header but no rows; a required table needs its rows")
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("as_of: [2026\n", "metadata.yaml: is not valid YAML (line 2)"),
        ("- 2026-11-05\n", "metadata.yaml: must hold keys and values (as_of: YYYY-MM-DD)"),
        ("as_of: 5. november\n", "metadata.yaml: 'as_of' must be a date YYYY-MM-DD (found '5. november')"),
    ],
)
def test_a_bad_metadata_file_is_a_structure_problem(data_copy: Path, content: str, expected: str) -> None:
    (data_copy / "metadata.yaml").write_text(content, encoding="utf-8")
    source = FolderSource(data_copy)
    assert expected in [str(p) for p in source.check_structure()]
    with pytest.raises(DataStructureError) as err:
        source.as_of()
    assert expected in str(err.value)


def test_validate_names_a_bad_metadata_file_without_a_traceback(data_copy: Path) -> None:
    (data_copy / "metadata.yaml").write_text("as_of: [2026\n", encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "toolkit.run.cli", "validate", "--data", str(data_copy)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode != 0
    assert "metadata.yaml: is not valid YAML (line 2)" in out.stdout + out.stderr
    assert "Traceback" not in out.stdout + out.stderr


def test_a_link_out_of_the_data_folder_is_refused_and_its_target_never_shown(tmp_path: Path) -> None:
    secret = tmp_path / "outside" / "passwords.csv"
    secret.parent.mkdir()
    secret.write_text("unit_id;name\nroot;x:0:0:SECRET\n", encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    (data / "units.csv").symlink_to(secret)
    with pytest.raises(DataStructureError) as err:
        discover(data)
    message = str(err.value)
    assert "units.csv: is a link to a file outside the data folder" in message
    assert "SECRET" not in message and "passwords" not in message


def test_a_linked_folder_out_of_the_data_folder_is_refused(tmp_path: Path) -> None:
    months = tmp_path / "elsewhere"
    _hours_csv(months, ["2026-01;D1;E1;AMB;productive;7,5"])
    data = tmp_path / "data"
    data.mkdir()
    (data / "hours").symlink_to(months, target_is_directory=True)
    with pytest.raises(DataStructureError, match=r"hours/hours\.csv: is a link to a file outside"):
        discover(data)


def test_a_link_inside_the_data_folder_is_read(tmp_path: Path) -> None:
    original = _hours_csv(tmp_path / "extracts", ["2026-01;D1;E1;AMB;productive;7,5"])
    (tmp_path / "hours.csv").symlink_to(original)
    assert len(read_table(discover(tmp_path)["hours"])) == 1


def test_an_old_excel_workbook_named_after_a_table_says_save_as_xlsx(tmp_path: Path) -> None:
    (tmp_path / "volume.xls").write_bytes(b"\xd0\xcf\x11\xe0 not really a workbook")
    (tmp_path / "notes.xls").write_bytes(b"an unrelated file")
    with pytest.raises(DataStructureError) as err:
        discover(tmp_path, known=set(TABLES))
    assert "volume.xls: is an old Excel workbook (.xls)" in str(err.value)
    assert "save it as .xlsx" in str(err.value)
    assert "notes.xls" not in str(err.value)


ALIAS_BOMB = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
)


def test_a_yaml_alias_bomb_in_a_unit_s_parameters_is_one_short_line(tmp_path: Path) -> None:
    from toolkit.core import config
    from toolkit.core.errors import ParameterError
    from toolkit.data.params import load_params

    params = tmp_path / "params"
    (params / "units").mkdir(parents=True)
    (params / "defaults.yaml").write_text((config.PARAMS_DIR / "defaults.yaml").read_text(encoding="utf-8"))
    (params / "units" / "FS-LUN.yaml").write_text(ALIAS_BOMB, encoding="utf-8")
    with pytest.raises(ParameterError) as err:
        load_params(params, "FS-LUN")
    message = str(err.value)
    assert "FS-LUN.yaml, line 2: not valid YAML (YAML aliases (*a) are not allowed)" in message
    assert len(message) < 300


def test_an_oversized_parameter_file_is_refused_unread(tmp_path: Path) -> None:
    from toolkit.core.errors import ParameterError
    from toolkit.data.params import MAX_YAML_BYTES, load_params

    (tmp_path / "defaults.yaml").write_text("# x\n" * (MAX_YAML_BYTES // 4 + 1), encoding="utf-8")
    with pytest.raises(ParameterError, match="a parameter file may hold at most"):
        load_params(tmp_path)


def test_an_alias_in_metadata_is_a_structure_problem(data_copy: Path) -> None:
    (data_copy / "metadata.yaml").write_text(ALIAS_BOMB, encoding="utf-8")
    problems = [str(p) for p in FolderSource(data_copy).check_structure()]
    assert "metadata.yaml: holds a YAML alias (*name), which is not allowed (line 2)" in problems


def test_a_unit_id_too_long_for_a_path_is_a_validation_error_not_a_crash(data_copy: Path) -> None:
    units = data_copy / "units.csv"
    long_id = "X" * 300
    units.write_text(
        units.read_text(encoding="utf-8-sig") + f"{long_id};Lang afdeling;department;FS-MC\r\n",
        encoding="utf-8",
    )
    report = FolderSource(data_copy).validate_all()
    messages = [str(p) for p in report.global_problems]
    expected = (
        "units.csv, column 'unit_id', row 17: must be a key of letters, digits, '-' and '_', at most 64 "
        f"characters (found '{'X' * 39}…')"
    )
    assert expected in messages, messages


def test_messages_never_quote_a_person_key_or_a_cpr_number(tmp_path: Path) -> None:
    from toolkit.data.validation import make_problem

    _hours_csv(
        tmp_path, ["2026-01;D1;E1;AMB;productive;010190-1234", "2026-01;D1;E2;AMB;productive;0101901234x"]
    )
    result = _validate_hours(tmp_path)
    text = "\n".join(str(p) for p in result.problems)
    assert "column 'hours', rows 2, 3: must be a number (found '<cpr>', '<cpr>x')" in text
    assert "010190" not in text
    raw = read_table(discover(tmp_path)["hours"])
    problem = make_problem("hours", raw, raw.index == 0, "employee_id", "a rule", raw["employee_id"], {})
    assert problem.values == () and "E1" not in str(problem)  # a person key is never quoted


@pytest.mark.parametrize("form", ["need-assessment", "shift-assessment"])
def test_forms_handed_to_raters_are_inert(data_copy: Path, tmp_path: Path, form: str) -> None:
    """An activity named like a formula is text in the form a rater opens, never a formula."""
    from openpyxl import load_workbook

    evil = "=cmd|' /C calc'!A0"
    activities = data_copy / "activities.csv"
    lines = activities.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(";")
    lines = [lines[0]] + [
        ";".join(evil if i == header.index("name") else v for i, v in enumerate(line.split(";")))
        for line in lines[1:]
    ]
    activities.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    out = tmp_path / "form.xlsx"
    unit = "FS-ORT" if form == "need-assessment" else "FS-AKU"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "toolkit.run.cli",
            "template",
            form,
            "--unit",
            unit,
            "--out",
            str(out),
            "--data",
            str(data_copy),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    cells = [
        c for ws in load_workbook(out).worksheets for row in ws.iter_rows() for c in row if c.value == evil
    ]
    if form == "need-assessment":
        assert cells, "the activities are in the form"
    for cell in cells:
        assert (cell.data_type, cell.quotePrefix) == ("s", True), cell.coordinate
    assert not [
        c
        for ws in load_workbook(out).worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f" and "cmd" in str(c.value)
    ]
