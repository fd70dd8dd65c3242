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
from IPython.display import display

from toolkit import kpi, kpi_report
from toolkit.context import ReportContext
from toolkit.data import units_at_level
from toolkit.i18n import register, t
from toolkit.report import figure_bundle

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


def kpi_explorer(ctx: ReportContext) -> Any:
    """Drop-downs for unit, month and activity; shows that activity's trends and the budget.

    Returns the widget box, or None (and shows nothing) when no front end is attached.
    """
    if not frontend_available():
        return None
    lang = ctx.lang
    unit_dd, period_dd = unit_and_month_dropdowns(ctx)
    activity_dd = w.Dropdown(description=t("w.activity", lang))
    out = w.Output()
    busy = False

    def refresh(*_: Any) -> None:
        nonlocal busy
        if busy:
            return
        busy = True
        try:
            _refresh()
        finally:
            busy = False

    def _refresh() -> None:
        sub = ctx.switch(unit=unit_dd.value, period=period_dd.value)
        inp = kpi.load(sub.source, sub.unit.unit_id, sub.period, sub.params.history_months)
        res = kpi_report.compute(inp, sub)
        acts = res.productivity_summary[["name", "activity_id"]].itertuples(index=False, name=None)
        options = list(acts)
        if activity_dd.options != tuple(options):
            activity_dd.options = options
        chosen = activity_dd.value
        with out:
            out.clear_output(wait=True)
            prod = res.productivity[res.productivity["activity_id"] == chosen]
            display(
                figure_bundle(
                    kpi_report.figures.trend_lines(
                        prod, value="productivity", series="name", lang=lang, y_title=t("fig.per_hour", lang)
                    ),
                    "w-prod",
                ),
                raw=True,
            )
            cost = res.cost.by_activity[res.cost.by_activity["activity_id"] == chosen]
            display(
                figure_bundle(
                    kpi_report.figures.trend_lines(
                        cost,
                        value="cost_per_case",
                        series="name",
                        lang=lang,
                        y_title=t("fig.kr_per_case", lang),
                    ),
                    "w-cost",
                ),
                raw=True,
            )
            display(figure_bundle(kpi_report.budget_chart(res, lang), "w-budget"), raw=True)

    for dd in (unit_dd, period_dd, activity_dd):
        dd.observe(refresh, names="value")
    refresh()
    box = w.VBox([w.HBox([unit_dd, period_dd, activity_dd]), out])
    display(box)
    return box
