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


def test_the_default_month_reads_the_monthly_rows_without_validating_them(
    data_copy: Path, monkeypatch
) -> None:
    """The runner picks the month before it stages: the rows are validated once, at staging."""
    import toolkit.data.tablesource as tablesource

    validated: list[str] = []
    real = tablesource.validate_frame

    def counting(table: str, *args, **kwargs):
        validated.append(table)
        return real(table, *args, **kwargs)

    monkeypatch.setattr(tablesource, "validate_frame", counting)
    assert default_period(FolderSource(data_copy), ["FS-LUN"]) == "2026-10"
    assert not set(validated) & {"volume", "hours", "hr", "finance"}, validated


def test_the_months_of_a_unit_s_rows_as_delivered(data_copy: Path) -> None:
    """A row with a bad value counts for its month, one whose month does not parse does not, and
    a finance row counts only with an actual amount (budget rows run to the year's end)."""
    path = data_copy / "volume.csv"
    frame = pd.read_csv(path, sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    lun = frame.index[frame["unit_id"] == "FS-LUN"]
    frame.loc[lun[0], "actual"] = "mange"
    frame.loc[lun[1], "period"] = "oktober"
    frame.to_csv(path, sep=";", index=False, encoding="utf-8-sig")
    source = FolderSource(data_copy)
    months = source.unit_months("volume", ["FS-LUN"])
    assert set(months["unit_id"]) == {"FS-LUN"}
    assert "oktober" not in set(months["period"])
    expected = set(frame.loc[lun, "period"]) - {"oktober"}
    assert set(months["period"]) == expected
    finance = source.unit_months("finance", ["FS-LUN"], present="actual")
    validated = source.read("finance", units=["FS-LUN"])
    assert set(finance["period"]) == set(validated.loc[validated["actual"].notna(), "period"].astype(str))
    assert set(finance["period"]) < set(validated["period"].astype(str))  # the budget runs on
