"""The default month (no ``--period``, ``period = None``): the latest month the unit's inputs cover
completely, in a notebook's context and in a run (issue 14.3)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from toolkit.core import config
from toolkit.data.sources import FolderSource
from toolkit.measures.inputs import default_period
from toolkit.report.context import open_context


def _drop_volume(folder: Path, unit: str, period: str) -> None:
    path = folder / "volume.csv"
    frame = pd.read_csv(path, sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    frame = frame[~((frame["unit_id"] == unit) & (frame["period"] == period))]
    frame.to_csv(path, sep=";", index=False, encoding="utf-8-sig")


def test_a_unit_whose_last_month_lacks_an_input_gets_the_month_before(data_copy: Path) -> None:
    _drop_volume(data_copy, "FS-LUN", "2026-10")
    source = FolderSource(data_copy)
    assert source.latest_period() == "2026-10"  # every core table still has October rows
    assert default_period(source, ["FS-LUN"]) == "2026-09"
    assert default_period(source, ["FS-KAR"]) == "2026-10"
    # A centre (and a run) covers its departments: the medical centre waits for FS-LUN.
    assert default_period(source, ["FS-MC"]) == "2026-09"
    assert default_period(source, ["FS-KAR", "FS-GER"]) == "2026-10"
    ctx = open_context("kpi", unit="FS-LUN", period=None, data_dir=data_copy, params_dir=config.PARAMS_DIR)
    assert ctx.period == "2026-09"
    # A month asked for is taken as asked (the data hold it).
    ctx = open_context(
        "kpi", unit="FS-LUN", period="2026-10", data_dir=data_copy, params_dir=config.PARAMS_DIR
    )
    assert ctx.period == "2026-10"


def test_bad_rows_do_not_stop_the_choice_of_the_month(data_copy: Path) -> None:
    path = data_copy / "volume.csv"
    frame = pd.read_csv(path, sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    frame.loc[frame.index[frame["unit_id"] == "FS-LUN"][0], "actual"] = "mange"
    frame.to_csv(path, sep=";", index=False, encoding="utf-8-sig")
    assert default_period(FolderSource(data_copy), ["FS-LUN", "FS-KAR"]) == "2026-10"
