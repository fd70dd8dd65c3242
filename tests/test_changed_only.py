"""``toolkit run --changed-only``: a rerun remakes only the reports whose inputs or parameters
changed since the last run of the month; the manifest records what each report read."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from toolkit.core import config
from toolkit.run.runner import EXIT_OK, RunRequest, run

pytestmark = pytest.mark.slow
UNITS = ["FS-LUN", "FS-KAR"]


def _run(data: Path, out: Path, params: Path, *, changed_only: bool) -> dict[str, dict]:
    summary = run(
        RunRequest(
            notebooks=["kpi"],
            units=UNITS,
            data_dir=data,
            out_dir=out,
            params_dir=params,
            progress=False,
            changed_only=changed_only,
        ),
        echo=lambda _: None,
    )
    assert summary.exit_code == EXIT_OK, [r.error for r in summary.results]
    manifest = json.loads((out / "2026-10" / "manifest.json").read_text())
    return {r["unit"]: r for r in manifest["runs"]}


def test_a_rerun_remakes_only_what_changed(tmp_path: Path, data_copy: Path) -> None:
    out, params = tmp_path / "out", tmp_path / "params"
    shutil.copytree(config.PARAMS_DIR, params)
    first = _run(data_copy, out, params, changed_only=False)
    assert all(len(r["inputs"]) == 64 and not r["unchanged"] for r in first.values())
    html = {u: out / "2026-10" / u / "kpi.html" for u in UNITS}
    made = {u: html[u].stat().st_mtime_ns for u in UNITS}

    # Nothing changed: nothing is made, the reports stay as they were, the manifest lists them.
    second = _run(data_copy, out, params, changed_only=True)
    assert {u: r["unchanged"] for u, r in second.items()} == {"FS-LUN": True, "FS-KAR": True}
    assert all(second[u]["inputs"] == first[u]["inputs"] for u in UNITS)
    assert {u: html[u].stat().st_mtime_ns for u in UNITS} == made
    assert all(second[u]["html"] == first[u]["html"] for u in UNITS)

    # One unit's parameters changed: only its report is made again.
    (params / "units").mkdir(exist_ok=True)
    (params / "units" / "FS-LUN.yaml").write_text("kpi:\n  materiality_pct: 3.0\n", encoding="utf-8")
    third = _run(data_copy, out, params, changed_only=True)
    assert {u: r["unchanged"] for u, r in third.items()} == {"FS-LUN": False, "FS-KAR": True}
    assert third["FS-LUN"]["inputs"] != first["FS-LUN"]["inputs"]

    # A report whose file is gone is made again, however unchanged its inputs.
    html["FS-KAR"].unlink()
    fourth = _run(data_copy, out, params, changed_only=True)
    assert {u: r["unchanged"] for u, r in fourth.items()} == {"FS-LUN": True, "FS-KAR": False}
    assert html["FS-KAR"].is_file()

    # A department's hours changed: the reports of its hospital are made again (both here).
    hours = pd.read_parquet(data_copy / "hours.parquet")
    row = hours.index[(hours["unit_id"] == "FS-LUN") & (hours["period"] == "2026-10")][0]
    hours.loc[row, "hours"] = hours.loc[row, "hours"] + 7.5
    hours.to_parquet(data_copy / "hours.parquet", index=False)
    fifth = _run(data_copy, out, params, changed_only=True)
    assert {u: r["unchanged"] for u, r in fifth.items()} == {"FS-LUN": False, "FS-KAR": False}
