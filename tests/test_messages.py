"""Clear messages for the files users actually have: header rows, dates, empty tables, --set."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from toolkit.core import config
from toolkit.core.errors import DataStructureError, DataValidationError, ParameterError
from toolkit.data.params import check_settings, load_params, parse_settings
from toolkit.data.readers import read_xlsx
from toolkit.data.sources import FolderSource
from toolkit.data.validation import DATE_FORMS

PARAMS = config.PROJECT_ROOT / "params"


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOOLKIT_PSEUDONYM_KEY", "k" * 40)


def _workbook(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_a_header_below_a_title_names_the_row_where_it_seems_to_be(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "volume.xlsx",
        [
            ["Aktivitet pr. afsnit, oktober 2026"],
            [],
            ["Udtrukket 3.11.2026", None, None, None, None],
            ["period", "unit_id", "activity_id", "actual", "planned"],
            ["2026-10", "FS-KAR", "AMB", 10, 12],
        ],
    )
    with pytest.raises(DataStructureError) as err:
        read_xlsx(path, "volume.xlsx")
    text = str(err.value)
    assert "volume.xlsx: row 1 is not a header" in text
    assert "the header seems to be on row 4" in text and "Unnamed" not in text


def test_a_header_on_row_1_is_read_as_before(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "volume.xlsx", [["period", "unit_id", None, "actual"], ["2026-10", "FS", 1, 2]]
    )
    assert list(read_xlsx(path, "volume.xlsx").columns)[:4] == ["period", "unit_id", "Unnamed: 2", "actual"]


def test_a_rejected_date_names_every_accepted_form(data_copy: Path) -> None:
    shifts = pd.read_parquet(data_copy / "shifts.parquet")
    shifts = shifts[shifts["unit_id"] == "FS-AKU"].head(3).astype({"planned_start": "string"})
    shifts.loc[shifts.index[0], "planned_start"] = "1. november 2025 kl. 7"
    (data_copy / "shifts.parquet").unlink()
    shifts.to_csv(data_copy / "shifts.csv", sep=";", index=False)
    with pytest.raises(DataValidationError) as err:
        FolderSource(data_copy).read("shifts", units=["FS-AKU"])
    text = str(err.value)
    assert "planned_start" in text and DATE_FORMS in text
    for form in ("YYYY-MM-DD HH:MM", "DD-MM-YYYY", "DD.MM.YYYY", "DD/MM/YYYY"):
        assert form in text


def test_day_first_dates_with_dots_are_read(data_copy: Path) -> None:
    shifts = pd.read_parquet(data_copy / "shifts.parquet")
    shifts = shifts[shifts["unit_id"] == "FS-AKU"].head(2)
    want = shifts["planned_start"].tolist()
    text = shifts.astype({"planned_start": "string"})
    text["planned_start"] = [t.strftime("%d.%m.%Y %H:%M") for t in want]
    (data_copy / "shifts.parquet").unlink()
    text.to_csv(data_copy / "shifts.csv", index=False)
    got = FolderSource(data_copy).read("shifts", units=["FS-AKU"])["planned_start"].tolist()
    assert got == want


def test_no_core_monthly_rows_is_a_message_not_a_traceback(data_copy: Path) -> None:
    for table in ("volume", "hr", "finance"):
        header = (data_copy / f"{table}.csv").read_text(encoding="utf-8-sig").splitlines()[0]
        (data_copy / f"{table}.csv").write_text(header + "\n", encoding="utf-8")
    pd.read_parquet(data_copy / "hours.parquet").iloc[:0].to_parquet(data_copy / "hours.parquet")
    report = FolderSource(data_copy).validate_all()
    texts = [str(p) for p in report.problems]
    assert any("hold no month with rows" in t for t in texts)
    assert any("volume.csv: has a header but no rows" in t for t in texts)


def test_toolkit_validate_with_no_core_rows_exits_1_with_messages(
    data_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from toolkit.run.cli import main

    for table in ("volume", "hr", "finance"):
        header = (data_copy / f"{table}.csv").read_text(encoding="utf-8-sig").splitlines()[0]
        (data_copy / f"{table}.csv").write_text(header + "\n", encoding="utf-8")
    pd.read_parquet(data_copy / "hours.parquet").iloc[:0].to_parquet(data_copy / "hours.parquet")
    assert main(["validate", "--data", str(data_copy)]) == 1
    err = capsys.readouterr().err
    assert "hold no month with rows" in err and "Traceback" not in err


def test_an_empty_optional_table_is_read_as_no_rows(data_copy: Path) -> None:
    header = (data_copy / "budget_explanations.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    (data_copy / "budget_explanations.csv").write_text(header + "\n", encoding="utf-8")
    assert FolderSource(data_copy).read("budget_explanations", units=["FS-KAR"]).empty


# --------------------------------------------------------------------------- --set


def test_set_overrides_one_parameter_with_yaml_values() -> None:
    assert parse_settings(["privacy.min_group_size=7", "language=en", "a.b.c=[x, y]"]) == {
        "privacy": {"min_group_size": 7},
        "language": "en",
        "a": {"b": {"c": ["x", "y"]}},
    }
    params = load_params(PARAMS, overrides=parse_settings(["privacy.min_group_size=7"]))
    assert params.privacy.min_group_size == 7
    assert params.language == load_params(PARAMS).language  # everything else as in the files


def test_set_is_validated_like_the_yaml() -> None:
    with pytest.raises(ParameterError, match=r"unknown parameter 'privacy.min_group'"):
        check_settings(["privacy.min_group=7"], PARAMS)
    with pytest.raises(
        ParameterError, match=r"'privacy.min_group_size' input should be greater than or equal to 5"
    ):
        check_settings(["privacy.min_group_size=2"], PARAMS)
    with pytest.raises(ParameterError, match=r"must be SECTION\.KEY=VALUE"):
        parse_settings(["privacy.min_group_size"])
    with pytest.raises(ParameterError, match="more than once"):
        parse_settings(["language=da", "language=en"])
