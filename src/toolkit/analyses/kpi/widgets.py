"""The KPI explorer for JupyterLab: unit, month and activity drop-downs over the report's charts."""

from __future__ import annotations

from typing import Any

import ipywidgets as w
from IPython.display import display

from toolkit.analyses.kpi.charts import budget_chart
from toolkit.analyses.kpi.results import compute, load
from toolkit.core.i18n import t
from toolkit.report import figures
from toolkit.report.blocks import figure_bundle
from toolkit.report.context import ReportContext
from toolkit.report.widgets import frontend_available, unit_and_month_dropdowns


def explorer(ctx: ReportContext) -> w.VBox | None:
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
        res = compute(load(sub), sub)
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
                    figures.trend_lines(
                        prod, value="productivity", series="name", lang=lang, y_title=t("fig.per_hour", lang)
                    ),
                    "w-prod",
                ),
                raw=True,
            )
            cost = res.cost.by_activity[res.cost.by_activity["activity_id"] == chosen]
            display(
                figure_bundle(
                    figures.trend_lines(
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
            display(figure_bundle(budget_chart(res, lang), "w-budget"), raw=True)

    for dd in (unit_dd, period_dd, activity_dd):
        dd.observe(refresh, names="value")
    refresh()
    box = w.VBox([w.HBox([unit_dd, period_dd, activity_dd]), out])
    display(box)
    return box
