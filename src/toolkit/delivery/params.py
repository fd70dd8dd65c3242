"""The ``delivery`` parameter section, as the delivery code reads it.

The model is :class:`toolkit.data.delivery_params.DeliveryParams` (registered in the data layer,
so that every process that loads ``params/defaults.yaml`` knows the section). The delivery
settings are the institution's, not a unit's: they are read from ``defaults.yaml`` alone, and
only this section (and the language) is read, so the delivery step does not need the analyses
that own the other sections.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from toolkit.core.errors import ParameterError
from toolkit.core.formatting import Language
from toolkit.data.delivery_params import DeliveryParams
from toolkit.data.params import DEFAULTS_FILE, Params

SECTION = "delivery"


def settings(params: Params) -> DeliveryParams:
    """The typed ``delivery`` section of ``params``."""
    return params.section(SECTION, DeliveryParams)


def _defaults(params_dir: str | Path) -> tuple[Path, dict[str, Any]]:
    path = Path(params_dir) / DEFAULTS_FILE
    if not path.is_file():
        raise ParameterError(f"parameter file {path} is missing")
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ParameterError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(content, dict):
        raise ParameterError(f"{path}: must hold a mapping of parameter names to values")
    return path, content


def load_settings(params_dir: str | Path, **overrides: Any) -> DeliveryParams:
    """The ``delivery`` section of ``params_dir/defaults.yaml``, with ``overrides`` applied.

    Raises
    ------
    ParameterError
        On an unknown key or a wrong value (the message names the file and the key).
    """
    path, content = _defaults(params_dir)
    section = content.get(SECTION) or {}
    if not isinstance(section, dict):
        raise ParameterError(f"{path}: '{SECTION}' must be a mapping")
    values = {**section, **{k: v for k, v in overrides.items() if v is not None}}
    try:
        return DeliveryParams.model_validate(values)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            loc = ".".join([SECTION, *(str(x) for x in err["loc"])])
            if err["type"] == "extra_forbidden":
                lines.append(f"{path}: unknown parameter '{loc}'")
            else:
                lines.append(f"{path}: '{loc}' {err['msg'].lower()}; got {err.get('input')!r}")
        raise ParameterError("\n".join(lines)) from None


def load_language(params_dir: str | Path) -> Language:
    """The default report language of ``params_dir/defaults.yaml`` (for the intranet pages)."""
    _, content = _defaults(params_dir)
    return "en" if content.get("language") == "en" else "da"


__all__ = ["DeliveryParams", "load_language", "load_settings", "settings"]
