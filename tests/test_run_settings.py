"""``--set SECTION.KEY=VALUE``: one toolkit parameter changed for one run, checked like the YAML."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from toolkit.core import config
from toolkit.core.errors import ParameterError
from toolkit.report.context import open_context
from toolkit.run.cli import main
from toolkit.run.runner import EXIT_USAGE


def _open(settings: list[str], unit: str = "FS-LUN"):
    return open_context(
        "unit-cost",
        unit=unit,
        period=None,
        data_dir=config.DATA_SAMPLES_DIR,
        params_dir=config.PARAMS_DIR,
        settings=settings,
    )


def test_a_setting_overrides_the_parameter_files_and_survives_a_switch() -> None:
    assert _open([]).params.unit_cost.method == "step_down"
    ctx = _open(["unit_cost.method=direct", "privacy.min_group_size=7"])
    assert ctx.params.unit_cost.method == "direct"
    assert ctx.params.privacy.min_group_size == 7
    other = ctx.switch(unit="FS-KAR", period=None)
    assert other.params.unit_cost.method == "direct"
    assert other.settings == ("unit_cost.method=direct", "privacy.min_group_size=7")


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("unit_cost.metode=direct", "unknown parameter 'unit_cost.metode'"),
        ("unit_cost.method=fifo", "unit_cost.method"),
        ("privacy.min_group_size=2", "greater than or equal to 5"),
        ("unit_cost.method", "must be SECTION.KEY=VALUE"),
    ],
)
def test_a_bad_setting_is_one_message(setting: str, message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        _open([setting])


def test_a_bad_setting_stops_the_run_before_anything_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code = main(["run", "kpi", "--unit", "FS-LUN", "--out", str(out), "--set", "privacy.min_group=7"])
    assert code == EXIT_USAGE
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        "error: run-time parameters (--set, -p): unknown parameter 'privacy.min_group'"
    ]
    assert not out.exists()


@pytest.mark.slow
def test_the_run_passes_the_setting_to_the_report_and_records_it(tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["run", "unit-cost", "--unit", "FS-LUN", "--out", str(out), "--no-progress"]
    assert main([*args, "--set", "unit_cost.method=direct"]) == 0
    (period_dir,) = out.iterdir()
    manifest = json.loads((period_dir / "manifest.json").read_text())
    assert manifest["parameters"]["settings"] == ["unit_cost.method=direct"]
    html = (period_dir / "FS-LUN" / "unit-cost.html").read_text()
    assert "Rapporten bruger direkte fordeling" in html
    assert "Rapporten bruger trinvis fordeling" not in html
