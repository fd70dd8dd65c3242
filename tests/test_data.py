"""Data access: filtering at the source, the staged dataset, periods and as-of date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from toolkit.core.errors import DataStructureError, ParameterError
from toolkit.data.hierarchy import descendants, siblings, unit_info
from toolkit.data.params import params_model
from toolkit.data.sources import FolderSource, StagedSource, open_source, window
from toolkit.run.staging import person_keys, stage


def test_folder_reads_are_filtered_by_unit_and_month(sample_dir: Path):
    src = FolderSource(sample_dir)
    vol = src.read("volume", units=["FS-KAR"], start="2026-01", end="2026-03")
    assert set(vol["unit_id"]) == {"FS-KAR"}
    assert sorted(vol["period"].unique()) == ["2026-01", "2026-02", "2026-03"]
    assert vol["actual"].dtype == "float64"


def test_periods_latest_and_as_of(sample_dir: Path):
    src = FolderSource(sample_dir)
    assert src.periods()[0] == "2024-11" and src.latest_period() == "2026-10"
    assert src.as_of() == date(2026, 11, 5)  # metadata.yaml
    assert len(src.fingerprint()) == 64


def test_report_period_is_a_month_in_the_data(sample_dir: Path):
    src = FolderSource(sample_dir)
    assert src.report_period(None) == "2026-10"
    assert src.report_period("2025-03") == "2025-03"
    with pytest.raises(
        ParameterError, match=r"`period` 2031-01 is not in the data; the data cover 2024-11 … 2026-10"
    ):
        src.report_period("2031-01")
    with pytest.raises(ParameterError, match="`period` must be YYYY-MM"):
        src.report_period("2026/10")


def test_as_of_falls_back_to_the_end_of_the_latest_month(data_copy: Path):
    (data_copy / "metadata.yaml").unlink()
    assert FolderSource(data_copy).as_of() == date(2026, 10, 31)


def test_latest_month_is_one_every_core_table_covers(data_copy: Path):
    vol = pd.read_csv(data_copy / "volume.csv", sep=";", dtype=str, encoding="utf-8-sig")
    vol[vol["period"] != "2026-10"].to_csv(
        data_copy / "volume.csv", sep=";", index=False, encoding="utf-8-sig"
    )
    assert FolderSource(data_copy).latest_period() == "2026-09"


def test_hierarchy_helpers(sample_dir: Path):
    units = FolderSource(sample_dir).units()
    info = unit_info(units, "FS-LUN")
    assert (info.parent_id, info.parent_name, info.hospital_name) == (
        "FS-MC",
        "Medicinsk Center",
        "Fjordby Sygehus",
    )
    assert siblings(units, "FS-LUN") == ["FS-END", "FS-GER", "FS-KAR", "FS-LUN"]
    assert len(descendants(units, "FS")) == 11
    with pytest.raises(ParameterError, match="unknown unit 'NOPE'"):
        unit_info(units, "NOPE")
    assert window("2026-03", 3) == ("2026-01", "2026-03")


def test_staged_source_returns_the_same_rows_as_the_folder(sample_dir: Path, tmp_path: Path):
    folder = FolderSource(sample_dir)
    result = stage(
        folder,
        tmp_path / "staged",
        period="2026-10",
        aggregate_units=["FS-KAR", "FS-LUN"],
        params_for=lambda u: params_model()(),
    )
    staged = open_source(tmp_path / "staged")
    assert isinstance(staged, StagedSource)
    assert result.failed == {}
    for table in ("volume", "hours", "finance", "goals", "hr"):
        a = folder.read(table, units=["FS-LUN"], start="2026-01", end="2026-06")
        b = staged.read(table, units=["FS-LUN"], start="2026-01", end="2026-06")
        key = list(a.columns)
        pd.testing.assert_frame_equal(
            a.sort_values(key[:4]).reset_index(drop=True),
            b[key].sort_values(key[:4]).reset_index(drop=True),
            check_dtype=False,
        )
    # A unit's read touches only that unit's file; a run stages its units' hospital (here: all).
    staged_units = sorted(p.stem for p in (tmp_path / "staged" / "tables" / "hours").glob("*.parquet"))
    assert "FS-LUN" in staged_units and "FS-KAR" in staged_units
    ratios = staged.aggregate("unit_key_ratios")
    assert set(ratios["unit_id"]) == {"FS-KAR", "FS-LUN"}
    assert staged.periods() == folder.periods() and staged.as_of() == folder.as_of()
    assert staged.original_folder == sample_dir
    assert len(person_keys(tmp_path / "staged", "FS-LUN")) > 20


def test_missing_optional_table_is_named_when_required(sample_dir: Path):
    src = FolderSource(sample_dir)
    with pytest.raises(DataStructureError, match=r"table 'not_delivered' is missing"):
        src.require("not_delivered")


def test_below_lists_every_level(sample_dir: Path):
    from toolkit.data.hierarchy import below

    units = FolderSource(sample_dir).units()
    assert below(units, "FS-MC") == ["FS-END", "FS-GER", "FS-KAR", "FS-LUN"]
    assert len(below(units, "FS")) == 3 + 11
    assert below(units, "FS-KAR") == []
