"""Reports on a Dask cluster (``toolkit run --scheduler``): the same reports, manifest and index as a
local run, a failing report fails alone, an unreachable scheduler is one message."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from toolkit.core import config
from toolkit.run import dask_executor
from toolkit.run.cli import main
from toolkit.run.runner import EXIT_FAILED, EXIT_USAGE, RunRequest, run

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1"
    ) as c:
        yield c


def test_a_run_on_the_cluster_makes_the_same_reports_and_a_failure_stays_alone(
    cluster, tmp_path: Path, sample_dir: Path, sample_run
) -> None:
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nb = nbformat.read(config.NOTEBOOKS_DIR / "kpi.ipynb", as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell("if unit == 'FS-KAR':\n    raise RuntimeError('boom')"))
    nbformat.write(nb, notebooks / "kpi.ipynb")
    out = tmp_path / "out"
    messages: list[str] = []
    summary = run(
        RunRequest(
            units=["FS-LUN", "FS-KAR", "FS-GER"],
            data_dir=sample_dir,
            out_dir=out,
            notebooks_dir=notebooks,
            progress=False,
            scheduler=cluster.scheduler_address,
        ),
        echo=messages.append,
    )
    assert summary.exit_code == EXIT_FAILED
    status = {r.unit: (r.status, r.error) for r in summary.results}
    assert status == {
        "FS-LUN": ("ok", None),
        "FS-GER": ("ok", None),
        "FS-KAR": ("failed", "RuntimeError: boom"),
    }
    assert "in 2 worker(s)" in "\n".join(messages)
    period_dir = out / summary.period
    manifest = json.loads((period_dir / "manifest.json").read_text())
    assert sorted((r["unit"], r["status"]) for r in manifest["runs"]) == [
        ("FS-GER", "ok"),
        ("FS-KAR", "failed"),
        ("FS-LUN", "ok"),
    ]
    assert (period_dir / "index.html").is_file()
    assert not (period_dir / "FS-KAR" / "kpi.html").exists()
    # The same figures as the local run of the same notebook.
    local_summary, local_out = sample_run
    for unit in ("FS-LUN", "FS-GER"):
        here = json.loads((period_dir / unit / "kpi.json").read_text())["kpis"]
        there = json.loads((local_out / local_summary.period / unit / "kpi.json").read_text())["kpis"]
        assert here == there, unit


def test_an_unreachable_scheduler_is_one_message_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(dask_executor, "CONNECT_TIMEOUT", 2)
    code = main(
        ["run", "kpi", "--unit", "FS-LUN", "--out", str(tmp_path / "o"), "--scheduler", "tcp://127.0.0.1:9"]
    )
    assert code == EXIT_USAGE
    err = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error:")]
    assert len(err) == 1 and "cannot reach the Dask scheduler" in err[0] and "tcp://127.0.0.1:9" in err[0]
    assert not list((tmp_path / "o").rglob("*.html"))
