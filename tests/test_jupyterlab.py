"""The analyst's path: the KPI notebook in a real JupyterLab, run all cells, use the explorer."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from browser import ARGS, CHROMIUM, chromium_available
from toolkit.core import config

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def lab(tmp_path: Path):
    root = tmp_path / "project"
    (root / "notebooks").mkdir(parents=True)
    shutil.copy(config.NOTEBOOKS_DIR / "kpi.ipynb", root / "notebooks" / "kpi.ipynb")
    (root / "data_samples").symlink_to(config.DATA_SAMPLES_DIR)
    (root / "params").symlink_to(config.PARAMS_DIR)
    port = _free_port()
    jupyter = Path(sys.executable).parent / "jupyter"
    proc = subprocess.Popen(
        [
            str(jupyter),
            "lab",
            "--no-browser",
            f"--port={port}",
            "--ServerApp.ip=127.0.0.1",
            "--IdentityProvider.token=",
            "--ServerApp.password=",
            f"--ServerApp.root_dir={root}",
            "--LabApp.expose_app_in_browser=True",
            "--ServerApp.disable_check_xsrf=True",
            "--allow-root",
        ],
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "lab.log").open("w"),
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"{url}/api/status", timeout=1)
                break
            if proc.poll() is not None:
                pytest.fail("JupyterLab did not start:\n" + (tmp_path / "lab.log").read_text())
            time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not answer:\n" + (tmp_path / "lab.log").read_text())
        yield url
    finally:
        proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=20)


def test_explorer_in_jupyterlab(lab: str):
    if not chromium_available():
        pytest.fail("Chromium is needed for the browser tests (see .ci/run)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.route(
            "**/*",
            lambda r: r.continue_() if r.request.url.startswith((lab, "data:", "blob:")) else r.abort(),
        )
        page.goto(f"{lab}/lab/tree/notebooks/kpi.ipynb")
        page.wait_for_function("window.jupyterapp && document.querySelector('.jp-Notebook')", timeout=90_000)
        page.wait_for_function(
            "document.querySelector('.jp-Toolbar-kernelName')?.innerText.includes('Python')"
            " && document.querySelector(\".jp-Notebook-ExecutionIndicator[data-status='idle']\")",
            timeout=120_000,
        )
        page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        dropdowns = page.locator(".widget-dropdown select")
        dropdowns.first.wait_for(timeout=180_000)
        assert dropdowns.count() == 3
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
        errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        assert errors.count() == 0, errors.first.inner_text()
        # The analyst switches unit: the activity list follows.
        dropdowns.nth(0).select_option(label="Ortopædkirurgisk Afdeling (FS-ORT)")
        page.wait_for_function(
            "[...document.querySelectorAll('.widget-dropdown select')][2].innerText.includes('Operationer')",
            timeout=60_000,
        )
        browser.close()
