"""Fillable Excel forms (workshop and self-assessment instruments).

An analysis registers a form writer with :func:`register`; ``toolkit template NAME --unit ID
--out FILE.xlsx`` calls it. Reading filled forms back is the analysis's own business (it must
name the sheet and cell of every mistake).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from toolkit.core.errors import ParameterError
from toolkit.data.params import Params
from toolkit.data.sources import DataSource


@dataclass(frozen=True)
class FormRequest:
    """What a form writer gets: the unit, the data (catalogues), the unit's parameters, the file."""

    unit_id: str
    source: DataSource
    params: Params
    params_dir: Path
    out: Path


FormWriter = Callable[[FormRequest], Path]
FORMS: dict[str, FormWriter] = {}


def register(name: str) -> Callable[[FormWriter], FormWriter]:
    """Register a form writer under ``name`` (decorator)."""

    def deco(func: FormWriter) -> FormWriter:
        FORMS[name] = func
        return func

    return deco


def get(name: str) -> FormWriter:
    """The writer of form ``name``; a ParameterError names the known forms."""
    try:
        return FORMS[name]
    except KeyError:
        known = ", ".join(sorted(FORMS)) or "none yet"
        raise ParameterError(f"unknown form {name!r}; forms: {known}") from None
