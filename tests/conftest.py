"""Shared fixtures: the sample data, a scratch copy of it, and one runner run for all tests."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

import toolkit.analyses  # noqa: F401  (every analysis registers its tables and parameters, as in a run)
from toolkit.core import config
from toolkit.delivery import recipients as _recipients  # noqa: F401  (the recipients table's checks)
from toolkit.delivery import texts as _delivery_texts  # noqa: F401  (the delivery texts)

ROOT = config.PROJECT_ROOT
_CACHE: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    """The tests' staged-data cache is their own (a fresh folder, removed after), never ~/.cache."""
    if "TOOLKIT_STAGE_CACHE" not in os.environ:
        _CACHE.append(tempfile.mkdtemp(prefix="toolkit-test-cache-"))
        os.environ["TOOLKIT_STAGE_CACHE"] = _CACHE[0]


def pytest_unconfigure(config: pytest.Config) -> None:
    for path in _CACHE:
        shutil.rmtree(path, ignore_errors=True)
        os.environ.pop("TOOLKIT_STAGE_CACHE", None)


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    """The committed sample data folder (read only!)."""
    return ROOT / "data_samples"


@pytest.fixture
def data_copy(tmp_path: Path, sample_dir: Path) -> Path:
    """A scratch copy of the sample data that a test may break."""
    dst = tmp_path / "data"
    shutil.copytree(sample_dir, dst)
    return dst


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path):
    """One ``toolkit run --all-units`` over the sample data (every notebook), shared by tests."""
    from toolkit.run.runner import RunRequest, run

    out = tmp_path_factory.mktemp("reports")
    summary = run(
        RunRequest(all_units=True, data_dir=sample_dir, out_dir=out, progress=False), echo=lambda s: None
    )
    return summary, out
