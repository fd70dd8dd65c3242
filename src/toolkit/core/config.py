"""Where things are: the project folders every command and notebook uses.

The project root is ``$TOOLKIT_HOME`` if set, else the source checkout this package was
installed from (an editable install), else the current folder.
"""

from __future__ import annotations

import os
from pathlib import Path


def _find_root() -> Path:
    env = os.environ.get("TOOLKIT_HOME")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve().parents[3]
    if (here / "notebooks").is_dir() and (here / "params").is_dir():
        return here
    return Path.cwd().resolve()


PROJECT_ROOT = _find_root()
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
PARAMS_DIR = PROJECT_ROOT / "params"
DATA_SAMPLES_DIR = PROJECT_ROOT / "data_samples"
REPORTS_DIR = PROJECT_ROOT / "reports"
