"""The package's shape: layers that import downwards only, independent analyses, small modules.

`make test` runs import-linter over the real tree; these tests check that the contracts do
catch a wrong import (on a scratch copy of the package), and the rules import-linter does not
express: module size and one name per analysis.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from toolkit import analyses
from toolkit.core import config
from toolkit.core.i18n import TEXTS
from toolkit.data.params import SECTIONS

SRC = config.PROJECT_ROOT / "src" / "toolkit"
MAX_LINES = 600
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    shutil.copy(config.PROJECT_ROOT / "pyproject.toml", tree / "pyproject.toml")
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(tree / "pyproject.toml")],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    shutil.copytree(SRC, tmp_path / "src" / "toolkit", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def test_the_real_tree_keeps_both_contracts(scratch: Path) -> None:
    result = _lint(scratch)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


def test_a_lower_layer_importing_a_higher_one_fails_with_the_line(scratch: Path) -> None:
    target = scratch / "src" / "toolkit" / "data" / "hierarchy.py"
    target.write_text(target.read_text() + "\nfrom toolkit.report import blocks  # noqa\n")
    result = _lint(scratch)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout
    assert "toolkit.data.hierarchy -> toolkit.report.blocks" in result.stdout


def test_an_analysis_importing_another_fails_with_the_line(scratch: Path) -> None:
    target = scratch / "src" / "toolkit" / "analyses" / "kpi" / "params.py"
    target.write_text(target.read_text() + "\nfrom toolkit.analyses.unit_cost import params as uc  # noqa\n")
    result = _lint(scratch)
    assert result.returncode != 0
    assert "Analyses are independent of each other BROKEN" in result.stdout
    assert "toolkit.analyses.kpi.params -> toolkit.analyses.unit_cost.params" in result.stdout


def test_no_module_is_over_600_lines() -> None:
    sizes = {p.relative_to(SRC): len(p.read_text(encoding="utf-8").splitlines()) for p in SRC.rglob("*.py")}
    large = {str(p): n for p, n in sizes.items() if n > MAX_LINES}
    assert not large, f"split these modules by what they hold: {large}"


@pytest.mark.parametrize("name", analyses.ANALYSES)
def test_one_name_per_analysis(name: str) -> None:
    """Folder, parameter section, text namespace and notebook(s) all go by the analysis's name."""
    assert (SRC / "analyses" / name / "__init__.py").is_file()
    assert name in SECTIONS, f"no parameter section {name!r}"
    assert any(key.startswith(f"{name}.") for key in TEXTS), f"no texts in namespace {name!r}"
    notebook = name.replace("_", "-")
    assert (config.NOTEBOOKS_DIR / f"{notebook}.ipynb").is_file(), f"no notebook {notebook}.ipynb"
    assert (config.NOTEBOOKS_DIR / f"{notebook}.py").is_file(), f"no paired script {notebook}.py"
