"""Interactive explorers for JupyterLab (ipywidgets).

They reuse the report's functions, so what the analyst sees while exploring is what the
report shows. They appear only when a Jupyter front end is attached: under papermill (even
with ``interactive = True``) they do nothing, so a scheduled or command-line run never
waits on widget messages.
"""

from __future__ import annotations

import os
from typing import Any

import ipywidgets as w

from toolkit.core.i18n import register, t
from toolkit.data.hierarchy import units_at_level
from toolkit.report.context import ReportContext

register(
    {
        "w.unit": ("Enhed", "Unit"),
        "w.period": ("Måned", "Month"),
        "w.activity": ("Aktivitet", "Activity"),
    }
)


def frontend_available() -> bool:
    """True when the kernel was started by a Jupyter server (JupyterLab, Notebook) or VS Code.

    A Jupyter server passes ``JPY_SESSION_NAME`` to the kernels it starts; papermill and
    nbclient do not. ``TOOLKIT_WIDGETS=1`` forces widgets on (tests), ``0`` off.
    """
    forced = os.environ.get("TOOLKIT_WIDGETS")
    if forced is not None:
        return forced == "1"
    return bool(os.environ.get("JPY_SESSION_NAME") or os.environ.get("VSCODE_PID"))


def unit_and_month_dropdowns(ctx: ReportContext) -> tuple[Any, Any]:
    """The explorers' drop-downs for a department and a month, set to the report's own."""
    lang = ctx.lang
    units = ctx.source.units()
    names = dict(zip(units["unit_id"], units["name"], strict=True))
    unit_dd = w.Dropdown(
        options=[(f"{names[u]} ({u})", u) for u in units_at_level(units, "department")],
        value=ctx.unit.unit_id,
        description=t("w.unit", lang),
    )
    period_dd = w.Dropdown(
        options=list(reversed(ctx.source.periods())), value=ctx.period, description=t("w.period", lang)
    )
    return unit_dd, period_dd
