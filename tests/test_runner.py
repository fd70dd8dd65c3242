"""The runner end to end: outputs, manifest, failures confined to units, usage errors."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from toolkit.core import config
from toolkit.run.runner import EXIT_FAILED, EXIT_OK, EXIT_USAGE, RunRequest, list_notebooks, run

pytestmark = pytest.mark.slow
QUIET = {"progress": False}


def _run(**kw) -> tuple:
    messages: list[str] = []
    summary = run(RunRequest(**{**QUIET, **kw}), echo=messages.append)
    return summary, "\n".join(messages)


def test_sample_run_makes_every_report(sample_run, sample_dir):
    summary, out = sample_run
    assert summary.exit_code == EXIT_OK, [r.error for r in summary.results if r.status != "ok"]
    period_dir = out / summary.period
    manifest = json.loads((period_dir / "manifest.json").read_text())
    units = pd.read_csv(sample_dir / "units.csv", sep=";", encoding="utf-8-sig")
    notebooks = list_notebooks(config.NOTEBOOKS_DIR)
    expected = {
        (nb.name, u)
        for nb in notebooks.values()
        for u in units.loc[units["level"].isin(nb.levels), "unit_id"]
    }
    assert {(r["notebook"], r["unit"]) for r in manifest["runs"]} == expected
    for r in manifest["runs"]:
        assert r["status"] == "ok" and r["error"] is None and r["seconds"] > 0
        for key in ("html", "xlsx", "json"):
            assert (period_dir / r[key]).is_file()
        assert r["parameters"]["language"] in ("da", "en")
    assert manifest["toolkit_version"] and len(manifest["data"]["sha256"]) == 64
    assert manifest["period"] == summary.period
    index = (period_dir / "index.html").read_text()
    for r in manifest["runs"]:
        assert f'href="{r["html"]}"' in index


def test_kpi_json_has_named_values_with_units(sample_run):
    summary, out = sample_run
    doc = json.loads((out / summary.period / "FS-ORT" / "kpi.json").read_text())
    keys = {k["key"]: k for k in doc["kpis"]}
    assert keys["budget_deviation_ytd_kr"]["unit"] == "kr"
    assert keys["budget_deviation_ytd_pct"]["value"] > 5  # the planted overrun
    assert all(k["label"] for k in doc["kpis"])


def test_kpi_workbook_has_the_key_tables(sample_run):
    from openpyxl import load_workbook

    summary, out = sample_run
    wb = load_workbook(out / summary.period / "FS-KAR" / "kpi.xlsx")
    for sheet in ("Aktivitet", "Tidstrappe", "Budget", "Sygefravær og overarbejde", "Mål", "Sammenligning"):
        assert sheet in wb.sheetnames


def test_small_staff_groups_are_suppressed_in_html_and_xlsx(sample_run):
    """FS-KAR has 3 therapists: their figures are hidden (..) in the report and empty in the workbook."""
    from openpyxl import load_workbook

    summary, out = sample_run
    html = (out / summary.period / "FS-KAR" / "kpi.html").read_text()
    row = re.search(r"<tr[^>]*><td class=\"txt\">Terapeuter</td>(.*?)</tr>", html)
    assert row is not None
    assert re.findall(r'<td class="num">([^<]*)</td>', row.group(1)) == [".."] * 9
    ws = load_workbook(out / summary.period / "FS-KAR" / "kpi.xlsx")["Sygefravær og overarbejde"]
    therapists = next(r for r in ws.iter_rows(values_only=True) if r[0] == "Terapeuter")
    assert all(v is None for v in therapists[1:])


def test_english_report_by_parameter(sample_run):
    summary, out = sample_run
    html = (out / summary.period / "FS-KBA" / "kpi.html").read_text()
    assert '<html lang="en">' in html
    assert "Management information" in html and "Key messages" in html
    assert "Ledelsesinformation" not in html
    assert "one activity" in html and "of 1 activities" not in html  # FS-KBA has one core activity


def _edit_csv(path: Path, edit) -> None:
    df = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    edit(df)
    df.to_csv(path, sep=";", index=False, encoding="utf-8-sig")


def test_problems_in_one_unit_fail_only_that_unit(data_copy: Path, tmp_path: Path):
    hours = pd.read_parquet(data_copy / "hours.parquet")
    lun = hours.index[hours["unit_id"] == "FS-LUN"][3]
    hours.loc[lun, "hours"] = -4.0
    hours.to_parquet(data_copy / "hours.parquet", index=False)

    def text_in_number(df: pd.DataFrame) -> None:
        df.loc[(df["unit_id"] == "FS-END").idxmax(), "actual"] = "mange"

    _edit_csv(data_copy / "volume.csv", text_in_number)
    out = tmp_path / "reports"
    stale = out / "2026-10" / "FS-LUN" / "kpi.html"
    stale.parent.mkdir(parents=True)
    stale.write_text("old report")
    summary, log = _run(
        notebooks=["kpi"], units=["FS-LUN", "FS-END", "FS-GER"], data_dir=data_copy, out_dir=out
    )
    assert summary.exit_code == EXIT_FAILED
    status = {r.unit: r for r in summary.results}
    assert status["FS-GER"].status == "ok"
    assert status["FS-LUN"].status == "failed" and status["FS-END"].status == "failed"
    assert f"hours.parquet, column 'hours', row {lun + 1}: must be ≥ 0" in status["FS-LUN"].error
    assert (
        "volume.csv, column 'actual'" in status["FS-END"].error
        and "must be a number" in status["FS-END"].error
    )
    assert not stale.exists()  # a failed unit has no HTML, not even an old one
    assert (out / "2026-10" / "FS-GER" / "kpi.html").is_file()
    manifest = json.loads((out / "2026-10" / "manifest.json").read_text())
    failed = {r["unit"]: r["error"] for r in manifest["runs"] if r["status"] == "failed"}
    assert set(failed) == {"FS-LUN", "FS-END"}
    assert "FAILED kpi FS-LUN" in log
    # The index: one row per unit; the failed ones say why and link no report.
    index = (out / "2026-10" / "index.html").read_text()
    assert "1 af 3 rapporter er dannet, 2 fejlede" in index
    rows = {
        u: re.search(rf"<tr class='[^']*'><td class='txt unit'>[^<]*<code>{u}</code>.*?</tr>", index).group(0)
        for u in status
    }
    assert 'href="FS-GER/kpi.html"' in rows["FS-GER"] and "ikke dannet" not in rows["FS-GER"]
    for unit in ("FS-LUN", "FS-END"):
        assert "ikke dannet" in rows[unit] and "href" not in rows[unit]
    assert "must be ≥ 0" in rows["FS-LUN"]


@pytest.mark.parametrize("breakage", ["missing_column", "unknown_unit"])
def test_whole_run_problems_stop_before_anything_is_written(data_copy: Path, tmp_path: Path, breakage: str):
    if breakage == "missing_column":
        _edit_csv(data_copy / "finance.csv", lambda df: df.pop("budget"))
        expected = "finance.csv, column 'budget': missing column"
    else:

        def unknown(df: pd.DataFrame) -> None:
            df.loc[5, "unit_id"] = "FS-XXX"

        _edit_csv(data_copy / "volume.csv", unknown)
        expected = "volume.csv, column 'unit_id', row 7: unknown unit key"
    out = tmp_path / "reports"
    summary, log = _run(all_units=True, data_dir=data_copy, out_dir=out)
    assert summary.exit_code == EXIT_FAILED
    assert expected in log and "Nothing was written" in log
    assert not out.exists()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"units": ["../x"]}, "unit id must consist of letters, digits"),
        ({"units": ["FS-NOPE"]}, "unknown unit 'FS-NOPE'"),
        (
            {"units": ["FS-MC"], "notebooks": ["shift-assessment"]},
            "notebook 'shift-assessment' runs for department units; FS-MC is a centre",
        ),
        ({"units": ["FS-KAR"], "notebooks": ["nope"]}, "unknown notebook 'nope'"),
        (
            {"units": ["FS-KAR"], "notebooks": ["kpi"], "extra": {"colour": "red"}},
            "has no parameter 'colour'",
        ),
        ({"units": ["FS-KAR"], "period": "2031-01"}, "`period` 2031-01 is not in the data"),
        ({"units": ["FS-KAR"], "period": "2026/10"}, "`period` must be YYYY-MM"),
        ({}, "name the units with --unit"),
    ],
)
def test_usage_errors_exit_2_and_write_nothing(tmp_path: Path, sample_dir: Path, kwargs, message):
    out = tmp_path / "reports"
    summary, log = _run(data_dir=sample_dir, out_dir=out, **kwargs)
    assert summary.exit_code == EXIT_USAGE
    assert message in log
    assert not out.exists()


def test_bad_parameter_file_is_a_usage_error(tmp_path: Path, sample_dir: Path):
    params = tmp_path / "params"
    shutil.copytree(config.PARAMS_DIR, params)
    (params / "units" / "FS-KAR.yaml").write_text("kpi:\n  materialty_pct: 3\n")
    summary, log = _run(units=["FS-KAR"], data_dir=sample_dir, out_dir=tmp_path / "r", params_dir=params)
    assert summary.exit_code == EXIT_USAGE
    assert "FS-KAR.yaml: unknown parameter 'kpi.materialty_pct'" in log


def test_a_failing_notebook_keeps_its_executed_copy(tmp_path: Path, sample_dir: Path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nb = nbformat.read(config.NOTEBOOKS_DIR / "kpi.ipynb", as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell("raise RuntimeError('boom')"))
    nbformat.write(nb, notebooks / "kpi.ipynb")
    summary, _ = _run(units=["FS-KAR"], data_dir=sample_dir, out_dir=tmp_path / "r", notebooks_dir=notebooks)
    assert summary.exit_code == EXIT_FAILED
    [result] = summary.results
    assert result.error == "RuntimeError: boom"
    period_dir = tmp_path / "r" / "2026-10"
    # Outside the unit's reports, in the private _failed/ folder the manifest names.
    kept = period_dir / "_failed" / "FS-KAR" / "kpi.ipynb"
    assert result.failed_notebook == "_failed/FS-KAR/kpi.ipynb" and kept.is_file()
    assert (period_dir / "_failed").stat().st_mode & 0o777 == 0o700
    executed = nbformat.read(kept, as_version=4)
    assert (
        "this report failed" in executed.cells[0].source and "RuntimeError: boom" in executed.cells[0].source
    )
    manifest = json.loads((period_dir / "manifest.json").read_text())
    assert manifest["runs"][0]["failed_notebook"] == "_failed/FS-KAR/kpi.ipynb"
    assert not (period_dir / "FS-KAR").exists() or list((period_dir / "FS-KAR").iterdir()) == []


def test_cli_exit_codes_and_messages_without_traceback(tmp_path: Path, data_copy: Path):
    _edit_csv(
        data_copy / "volume.csv", lambda df: df.__setitem__("actual", df["actual"].where(df.index != 3, "x"))
    )
    exe = [sys.executable, "-m", "toolkit.run.cli"]
    bad = subprocess.run([*exe, "validate", "--data", str(data_copy)], capture_output=True, text=True)
    assert bad.returncode == 1
    assert "volume.csv, column 'actual', row 5: must be a number (found 'x')" in bad.stderr
    assert "Traceback" not in bad.stderr + bad.stdout
    usage = subprocess.run(
        [*exe, "run", "kpi", "--unit", "../x", "--out", str(tmp_path / "r")], capture_output=True, text=True
    )
    assert (
        usage.returncode == 2 and "unit id must consist" in usage.stderr and "Traceback" not in usage.stderr
    )
    both = subprocess.run([*exe, "run", "--unit", "FS-KAR", "--all-units"], capture_output=True, text=True)
    assert both.returncode == 2


def test_a_scheduled_run_logs_only_the_toolkits_own_lines(tmp_path: Path, sample_dir: Path):
    """A cron mail holds progress and results, not kernel warnings; the kernel's sockets are cleaned up."""
    scratch = Path(tempfile.mkdtemp(prefix="tk-"))  # short: kernel sockets live below it
    env = {**os.environ, "TMPDIR": str(scratch)}
    args = [
        "run",
        "kpi",
        "--unit",
        "FS-KAR",
        "--data",
        str(sample_dir),
        "--out",
        str(tmp_path / "r"),
        "--jobs",
        "1",
    ]
    done = subprocess.run(
        [sys.executable, "-m", "toolkit.run.cli", *args],
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == EXIT_OK, done.stderr
    assert "WARNING" not in done.stderr and "IPKernelApp" not in done.stderr, done.stderr
    assert "1 of 1 reports ok" in done.stderr
    assert list(scratch.iterdir()) == []
    scratch.rmdir()


def test_a_deep_temporary_folder_falls_back_to_tcp(tmp_path: Path, monkeypatch):
    """Unix socket paths are limited to about 100 bytes; a deep TMPDIR must not break a run."""
    from toolkit.run.worker import Worker

    deep = tmp_path / ("d" * 60) / ("e" * 60)
    deep.mkdir(parents=True)
    monkeypatch.setattr(tempfile, "tempdir", str(deep))
    worker = Worker("python3", str(tmp_path), timeout=60)
    try:
        assert worker.km.transport == "tcp" and worker._run_sync(worker.km.is_alive)()
    finally:
        worker.close()
    assert list(deep.iterdir()) == []


def test_without_notebook_names_a_unit_gets_the_reports_made_for_its_level(tmp_path: Path, sample_dir: Path):
    from toolkit.run.runner import _resolve_notebooks

    notebooks = _resolve_notebooks(RunRequest(units=["FS-MC"], data_dir=sample_dir))
    centre_level = [nb.name for nb in notebooks if "centre" in nb.levels]
    if not centre_level:
        pytest.skip("no centre-level notebook")
    summary, log = _run(units=["FS-MC"], data_dir=sample_dir, out_dir=tmp_path / "r")
    assert summary.exit_code == EXIT_OK, log
    assert {r.notebook for r in summary.results} == set(centre_level)


def test_privacy_guard_refuses_a_report_that_shows_an_employee_key(tmp_path: Path, sample_dir: Path):
    """Defence in depth: even a notebook bug that prints an employee key writes no report."""
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nb = nbformat.read(config.NOTEBOOKS_DIR / "kpi.ipynb", as_version=4)
    finish = next(i for i, c in enumerate(nb.cells) if "r.finish()" in c.source)
    leak = 'r.text(str(ctx.source.read("hours", units=[ctx.unit.unit_id])["employee_id"].iloc[0]))'
    nb.cells.insert(finish, nbformat.v4.new_code_cell(leak))
    nbformat.write(nb, notebooks / "kpi.ipynb")
    summary, _ = _run(units=["FS-KAR"], data_dir=sample_dir, out_dir=tmp_path / "r", notebooks_dir=notebooks)
    [result] = summary.results
    assert result.status == "failed"
    assert "privacy check failed" in result.error and "1 pseudonym in the HTML" in result.error
    assert "P-" not in result.error
    # A refused report keeps no notebook anywhere in the reports tree.
    period_dir = tmp_path / "r" / "2026-10"
    assert result.failed_notebook is None
    left = sorted(str(p.relative_to(period_dir)) for p in period_dir.rglob("*") if p.is_file())
    assert left == [".toolkit-run.lock", "index.html", "manifest.json"]


def test_a_notebook_error_is_recognised_by_its_class():
    """A user's mistake (any ToolkitError subclass, even a new one) is shown as its message alone."""
    from toolkit.core.errors import DataStructureError, ToolkitError
    from toolkit.run.worker import notebook_error, toolkit_error_names

    class FreshlyAddedError(ToolkitError):
        pass

    names = toolkit_error_names()
    assert {"ToolkitError", "ParameterError", "DataValidationError", "ReportError"} <= names
    assert DataStructureError.__name__ in names and FreshlyAddedError.__name__ in names
    assert (
        notebook_error("FreshlyAddedError", "\x1b[31mthe month is missing\x1b[0m") == "the month is missing"
    )
    assert notebook_error("KeyError", "'x'") == "KeyError: 'x'"


def test_an_executor_isolates_a_failing_job(tmp_path: Path):
    """A job whose function raises becomes a failed result; the executor keeps going."""
    from concurrent.futures import Executor, ThreadPoolExecutor

    from toolkit.run.executor import JobExecutor
    from toolkit.run.jobs import Job

    class Threads(JobExecutor):  # no worker started in these threads: every job raises
        workers = 2

        def pool(self) -> Executor:
            return ThreadPoolExecutor(self.workers)

    jobs = [Job("kpi", "kpi.ipynb", u, {}, str(tmp_path / u), ()) for u in ("A", "B")]
    results = list(Threads().run(jobs))
    assert sorted(r.unit for r in results) == ["A", "B"]
    assert all(r.status == "failed" and r.error == "the worker was not started" for r in results)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("x=!!python/object/apply:os.system ['touch /tmp/pwned']", "YAML tags (!!...) are not allowed"),
        ("x=[&a [1], *a]", "YAML aliases (*a) are not allowed"),
        ("nokey", "parameters are given as KEY=VALUE"),
    ],
)
def test_a_parameter_value_is_plain_data_or_one_line_exit_2(tmp_path: Path, value: str, message: str):
    """``-p`` values are parsed without YAML tags or aliases: one message line, exit 2, nothing written."""
    exe = [sys.executable, "-m", "toolkit.run.cli"]
    done = subprocess.run(
        [*exe, "run", "kpi", "--unit", "FS-KAR", "--out", str(tmp_path / "r"), "-p", value],
        capture_output=True,
        text=True,
    )
    assert done.returncode == EXIT_USAGE
    assert message in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert not (tmp_path / "r").exists()
