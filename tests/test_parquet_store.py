"""The month-partitioned Parquet store: same rows as the folder, and a month's read opens that month."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from toolkit.core.errors import DataStructureError, DataValidationError
from toolkit.data.sources import FolderSource, open_source
from toolkit.data.store import ParquetStore
from toolkit.run.cli import main

UNIT = "FS-LUN"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path) -> Path:
    out = tmp_path_factory.mktemp("store") / "store"
    assert main(["load-db", "--data", str(sample_dir), "--to", str(out)]) == 0
    return out


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(list(frame.columns), ignore_index=True)


def test_the_store_is_hive_partitioned_by_month(store):
    assert (store / "hours" / "period=2026-10" / "part-0.parquet").is_file()
    assert (store / "units" / "part-0.parquet").is_file()
    assert isinstance(open_source(store), ParquetStore)


@pytest.mark.parametrize("table", ["units", "hours", "hr", "goals", "shifts"])
def test_one_unit_from_the_store_equals_the_folder(store, sample_dir, table):
    units = None if table == "units" else [UNIT]
    a = FolderSource(sample_dir).read(table, units=units, start="2026-05", end="2026-10")
    b = ParquetStore(store).read(table, units=units, start="2026-05", end="2026-10")
    assert len(a) > 0
    pd.testing.assert_frame_equal(_sorted(a), _sorted(b[list(a.columns)]))


def test_periods_and_as_of_as_in_the_folder(store, sample_dir):
    folder = FolderSource(sample_dir)
    assert ParquetStore(store).periods() == folder.periods()
    assert ParquetStore(store).as_of() == folder.as_of()


def test_a_month_read_opens_only_that_months_partition(store, tmp_path):
    import shutil

    copy = tmp_path / "store"
    shutil.copytree(store, copy)
    (copy / "hours" / "period=2026-09" / "part-0.parquet").write_bytes(b"not parquet at all")
    source = ParquetStore(copy)
    frame = source.read("hours", units=[UNIT], start="2026-10", end="2026-10")
    assert set(frame["period"]) == {"2026-10"} and set(frame["unit_id"]) == {UNIT}
    fragments = list(source.dataset("hours").get_fragments(filter=None))
    assert len(fragments) > 2  # there are other months; the read above never opened 2026-09
    with pytest.raises(
        DataStructureError, match=r"hours/period=2026-09/part-0\.parquet: not a readable Parquet"
    ):
        source.read("hours", units=[UNIT], start="2026-09", end="2026-09")


def test_a_bad_row_names_the_partition_file_and_its_row(store, tmp_path):
    import shutil

    import pyarrow as pa
    import pyarrow.parquet as pq

    copy = tmp_path / "store"
    shutil.copytree(store, copy)
    path = copy / "hours" / "period=2026-10" / "part-0.parquet"
    frame = pq.read_table(path).to_pandas()
    row = frame.index[frame["unit_id"] == UNIT][2]
    frame.loc[row, "hours"] = -3.5
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path)
    with pytest.raises(DataValidationError) as info:
        ParquetStore(copy).read("hours", units=[UNIT], start="2026-10", end="2026-10")
    assert str(info.value).endswith(
        f"hours/period=2026-10/part-0.parquet, column 'hours', row {row + 1}: must be ≥ 0 (found '-3.5')"
    )


def _cells(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every sheet's cell values of a workbook."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    return {ws.title: [tuple(c.value for c in row) for row in ws.iter_rows()] for ws in wb.worksheets}


def test_list_and_template_take_the_store_as_the_folder(store, sample_dir, tmp_path, capsys):
    assert main(["list", "--data", str(store)]) == 0
    from_store = capsys.readouterr().out
    assert main(["list", "--data", str(sample_dir)]) == 0
    from_folder = capsys.readouterr().out
    assert from_store == from_folder and f"unit {UNIT}:" in from_store
    for data, name in ((store, "store.xlsx"), (sample_dir, "folder.xlsx")):
        code = main(
            [
                "template",
                "need-assessment",
                "--unit",
                "FS-ORT",
                "--data",
                str(data),
                "--out",
                str(tmp_path / name),
            ]
        )
        assert code == 0
    made = _cells(tmp_path / "store.xlsx")
    assert made == _cells(tmp_path / "folder.xlsx")
    assert any("FS-ORT" in str(v) for rows in made.values() for row in rows for v in row)


def test_the_stores_forms_are_its_forms_subfolder_or_the_folder_given(store, tmp_path):
    assert ParquetStore(store).forms_folder == store / "forms"
    assert (store / "forms" / "need-assessment").is_dir()  # load-db copied them
    other = tmp_path / "forms"
    other.mkdir()
    given = open_source(store, forms=other)
    assert isinstance(given, ParquetStore) and given.forms_folder == other.resolve()
    assert given.fingerprint() == ParquetStore(store).fingerprint()  # an empty folder adds no forms
    (other / "need-assessment").mkdir()
    (other / "need-assessment" / "x.txt").write_text("x")
    assert open_source(store, forms=other).fingerprint() != ParquetStore(store).fingerprint()
