"""A folder source prepares only the rows a run needs: a unit's rows are picked from the file
before the codes are translated and the person keys pseudonymised (the costly part on a
region's files), with the same rows, pseudonyms and messages as when the whole file is read."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from toolkit.data import pseudonyms
from toolkit.data.sources import FolderSource


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many values each pseudonymisation got."""
    sizes: list[int] = []
    real = pseudonyms.pseudonymise_series

    def counting(series: pd.Series, key: bytes) -> pd.Series:
        sizes.append(len(series))
        return real(series, key)

    monkeypatch.setattr(pseudonyms, "pseudonymise_series", counting)
    # The work of a read itself, not the staged-data cache's answer from an earlier read.
    monkeypatch.setenv("TOOLKIT_STAGE_CACHE", "off")
    return sizes


def test_one_units_read_pseudonymises_only_its_rows_and_matches_the_whole_read(
    sample_dir: Path, counted: list[int]
) -> None:
    whole_hr = pd.read_csv(sample_dir / "hr.csv", sep=None, engine="python", dtype=str)
    unit_rows = int((whole_hr["unit_id"] == "FS-LUN").sum())
    assert 0 < unit_rows < len(whole_hr) / 5  # the sample has many units' rows in one file

    one = FolderSource(sample_dir).read("hr", units=["FS-LUN"])
    assert sum(counted) == unit_rows  # only FS-LUN's keys were pseudonymised
    counted.clear()
    whole = FolderSource(sample_dir).read("hr")
    assert sum(counted) == len(whole_hr)
    same = whole[whole["unit_id"] == "FS-LUN"].reset_index(drop=True)
    pd.testing.assert_frame_equal(one.reset_index(drop=True), same)


def test_a_unit_given_by_a_cost_centre_code_is_picked_after_the_translation(tmp_path: Path) -> None:
    """A file without a unit column (the mapping turns a cost-centre code into the unit) is
    prepared whole, then filtered: the unit's rows are still found."""
    import shutil

    from toolkit.core.config import PROJECT_ROOT

    data = tmp_path / "data"
    shutil.copytree(PROJECT_ROOT / "data_samples", data)
    volume = pd.read_csv(data / "volume.csv", sep=None, engine="python", dtype=str)
    codes = {u: f"CC{i:03d}" for i, u in enumerate(sorted(volume["unit_id"].unique()))}
    pd.DataFrame({"cost_centre": list(codes.values()), "unit_id": list(codes), "cost_centre_id": ""}).to_csv(
        data / "cost_centre_codes.csv", index=False
    )
    coded = volume.assign(cost_centre=volume["unit_id"].map(codes)).drop(columns=["unit_id"])
    coded.to_csv(data / "volume.csv", index=False, sep=";")
    source = FolderSource(data)
    assert source.read_rows("volume", ["FS-LUN"], None, None) is None  # no unit column to pick by
    rows = source.read("volume", units=["FS-LUN"])
    assert len(rows) == int((volume["unit_id"] == "FS-LUN").sum()) > 0
    assert set(rows["unit_id"]) == {"FS-LUN"}
