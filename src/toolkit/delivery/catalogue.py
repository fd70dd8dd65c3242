"""The report notebooks (name, title and unit levels) as the delivery step needs them.

Read from the notebooks' own metadata (``toolkit: {title, levels}``), the same source the
runner's ``list_notebooks`` reads, so a new notebook is known without a change here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from toolkit.core import config
from toolkit.core.formatting import Language


@dataclass(frozen=True)
class ReportKind:
    """A report notebook: its name, title per language and the unit levels it is made for."""

    name: str
    title: tuple[tuple[str, str], ...]
    levels: tuple[str, ...]

    def title_in(self, lang: Language) -> str:
        """The report's title in ``lang`` (the name if the notebook gives none)."""
        return dict(self.title).get(lang, self.name)


@cache
def _read(folder: Path, stamp: tuple[tuple[str, float], ...]) -> dict[str, ReportKind]:
    found: dict[str, ReportKind] = {}
    for name, _ in stamp:
        try:
            meta = json.loads((folder / f"{name}.ipynb").read_text(encoding="utf-8")).get("metadata", {})
        except (OSError, ValueError):
            continue
        info = meta.get("toolkit")
        if not info:
            continue
        title = tuple(sorted((str(k), str(v)) for k, v in dict(info.get("title", {})).items()))
        levels = tuple(info.get("levels", ("department",)))
        found[name] = ReportKind(name, title, levels)
    return found


def report_kinds(folder: Path | None = None) -> dict[str, ReportKind]:
    """The report notebooks in ``folder`` (default: the project's ``notebooks/``), by name.

    Cached until a notebook file changes.
    """
    root = Path(folder or config.NOTEBOOKS_DIR)
    stamp = tuple(sorted((p.stem, p.stat().st_mtime) for p in root.glob("*.ipynb")))
    return dict(_read(root, stamp))
