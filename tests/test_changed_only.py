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


def _staged(root: Path, ratios: pd.DataFrame) -> Path:
    """A minimal staged dataset: two hospitals' rows, catalogues and one comparison aggregate."""
    for unit in ("A1", "A2", "B1"):
        (root / "tables" / "hours").mkdir(parents=True, exist_ok=True)
        pd.DataFrame({"unit_id": [unit], "hours": [7.5]}).to_parquet(
            root / "tables" / "hours" / f"{unit}.parquet"
        )
    (root / "tables" / "units").mkdir(parents=True, exist_ok=True)
    pd.DataFrame({"unit_id": ["A", "A1", "A2", "B", "B1"]}).to_parquet(
        root / "tables" / "units" / "all.parquet"
    )
    (root / "aggregates").mkdir(exist_ok=True)
    ratios.to_parquet(root / "aggregates" / "unit_key_ratios.parquet", index=False)
    (root / "staged.json").write_text(json.dumps({"as_of": "2026-11-05", "periods": ["2026-10"]}))
    return root


def test_a_change_in_another_hospitals_aggregate_rows_leaves_this_hospitals_inputs_alone(
    tmp_path: Path,
) -> None:
    """The comparison aggregates hold every hospital's rows; a report's inputs count only those
    about its own hospital's units (found by the region benchmark: one department's hours
    remade every hospital's reports)."""
    from toolkit.run.changes import staged_inputs

    ratios = pd.DataFrame({"unit_id": ["A1", "A2", "B1"], "sick_pct": [4.0, 5.0, 6.0]})
    root = _staged(tmp_path / "s", ratios)
    hospital_a, hospital_b = ["A", "A1", "A2"], ["B", "B1"]
    before = staged_inputs(root, None, hospital_a), staged_inputs(root, None, hospital_b)
    ratios.loc[ratios["unit_id"] == "B1", "sick_pct"] = 6.5  # B1's hours changed
    ratios.to_parquet(root / "aggregates" / "unit_key_ratios.parquet", index=False)
    after = staged_inputs(root, None, hospital_a), staged_inputs(root, None, hospital_b)
    assert after[0] == before[0]  # hospital A's reports are kept
    assert after[1] != before[1]  # hospital B's are remade
    ratios.loc[ratios["unit_id"] == "A2", "sick_pct"] = 5.5
    ratios.to_parquet(root / "aggregates" / "unit_key_ratios.parquet", index=False)
    assert staged_inputs(root, None, hospital_a) != after[0]
