"""An interactive explorer of the shift-planning figures for JupyterLab (ipywidgets).

It reuses the report's functions, so what the analyst sees while exploring is what the report
shows. Under papermill the notebook does not call it (``interactive = False``).
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w
import pandas as pd
from IPython.display import display

from toolkit import roster
from toolkit import shift_report as view
from toolkit.context import ReportContext, open_context
from toolkit.data import units_at_level
from toolkit.errors import ToolkitError
from toolkit.i18n import register, t
from toolkit.report import figure_bundle, table_html

register(
    {
        "sw.unit": ("Enhed", "Unit"),
        "sw.period": ("Måned", "Month"),
        "sw.group": ("Personalegruppe", "Staff group"),
        "sw.all": ("Alle (som i rapporten)", "All (as in the report)"),
        "sw.too_small": (
            "{group} har færre end {n} personer i måneden: tallene vises ikke.",
            "{group} has fewer than {n} persons in the month: the figures are not shown.",
        ),
    }
)


def group_choices(shifts: pd.DataFrame) -> list[str]:
    """The staff groups with shifts in a unit's roster, sorted."""
    return sorted(shifts["staff_group"].dropna().unique())


def shift_explorer(ctx: ReportContext) -> Any:
    """Drop-downs for unit, month and staff group; shows heat maps and monthly trends for the choice."""
    lang = ctx.lang
    units = ctx.source.units()
    names = dict(zip(units["unit_id"], units["name"], strict=True))
    unit_dd = w.Dropdown(
        options=[(f"{names[u]} ({u})", u) for u in units_at_level(units, "department")],
        value=ctx.unit.unit_id,
        description=t("sw.unit", lang),
    )
    period_dd = w.Dropdown(
        options=list(reversed(ctx.source.periods())), value=ctx.period, description=t("sw.period", lang)
    )
    group_dd = w.Dropdown(options=[(t("sw.all", lang), "")], value="", description=t("sw.group", lang))
    out = w.Output()
    busy = False

    def refresh(*_: Any) -> None:
        nonlocal busy
        if busy:
            return
        busy = True
        try:
            with out:
                out.clear_output(wait=True)
                try:
                    _refresh()
                except ToolkitError as exc:  # e.g. no shifts in the chosen month
                    display({"text/plain": str(exc)}, raw=True)
        finally:
            busy = False

    def _refresh() -> None:
        sub = open_context(
            ctx.notebook,
            unit=unit_dd.value,
            period=period_dd.value,
            data_dir="",
            params_dir=ctx.params_dir,
            language=lang,
            source=ctx.source,
        )
        sp = sub.params.shift_assessment
        data = view.load(sub)
        options = [(t("sw.all", lang), ""), *[(g, g) for g in group_choices(data.shifts)]]
        if list(group_dd.options) != options:
            chosen = group_dd.value if group_dd.value in {v for _, v in options} else ""
            group_dd.options = options
            group_dd.value = chosen
        group = group_dd.value
        facts = roster.shift_facts(data.shifts, notice_days=sp.short_notice_days)
        if group:
            facts = facts[facts["staff_group"] == group]
        trend = [str(x) for x in pd.period_range(end=sub.period, periods=sp.trend_months, freq="M")]
        monthly = roster.monthly_kpis(facts, trend)
        n = sub.params.privacy.min_group_size
        if int(monthly["persons"].iloc[-1]) < n:
            display({"text/plain": t("sw.too_small", lang, group=group or sub.unit.name, n=n)}, raw=True)
            return
        monthly.loc[monthly["persons"] < n, list(roster.MONTHLY_COLUMNS)[2:]] = float("nan")
        start, end = view.window(sub.period, sp.heatmap_months)
        groups = [group] if group else roster.parse_groups(sp.demand_staff_groups)
        staffing = roster.staffing_vs_demand(
            facts, data.patient_flow, start=start, end=end, measure=sp.demand_measure, groups=groups
        )
        heat = [view.staff_heatmap(staffing, lang), view.ratio_heatmap(staffing, lang)]
        for i, fig in enumerate(f for f in heat if f is not None):
            display(figure_bundle(fig, f"sw-heat-{i}"), raw=True)
        display(figure_bundle(view.trends_chart(monthly, lang=lang), "sw-trend"), raw=True)
        shown = monthly.assign(suppressed=monthly["persons"] < n)
        display({"text/html": table_html(view.monthly_table(shown, sub), lang)}, raw=True)

    for dd in (unit_dd, period_dd, group_dd):
        dd.observe(refresh, names="value")
    refresh()
    box = w.VBox([w.HBox([unit_dd, period_dd, group_dd]), out])
    display(box)
    return box
