"""An interactive explorer of the shift-planning figures for JupyterLab (ipywidgets).

It reuses the report's functions, so what the analyst sees while exploring is what the report
shows. Under papermill the notebook does not call it (``interactive = False``).
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w
import pandas as pd
from IPython.display import display

from toolkit.analyses.shift_assessment import report as view
from toolkit.analyses.shift_assessment import roster
from toolkit.core.errors import ToolkitError
from toolkit.core.i18n import register, t
from toolkit.report.blocks import figure_bundle, table_html
from toolkit.report.context import ReportContext
from toolkit.report.widgets import frontend_available, unit_and_month_dropdowns

register(
    {
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


#: The slots the explorer shows under its drop-downs, in order.
SLOTS = ("message", "staff", "ratio", "trend", "table")
EMPTY = {"text/plain": ""}


class Slots:
    """Outputs updated in place through display handles.

    An ``ipywidgets.Output`` would do the same in JupyterLab, but papermill's executor mimics
    Output widgets by sending every output back to the kernel, and a notebook run with the
    explorer switched on then stalls; display handles work the same in JupyterLab and in papermill.
    """

    def __init__(self, names: tuple[str, ...] = SLOTS) -> None:
        self.handles = {name: display(EMPTY, raw=True, display_id=True) for name in names}

    def show(self, name: str, bundle: dict[str, Any]) -> None:
        """Put ``bundle`` in slot ``name``."""
        self.handles[name].update(bundle, raw=True)

    def clear(self) -> None:
        """Empty every slot."""
        for handle in self.handles.values():
            handle.update(EMPTY, raw=True)


def shift_explorer(ctx: ReportContext) -> Any:
    """Drop-downs for unit, month and staff group; shows heat maps and monthly trends for the choice."""
    if not frontend_available():  # under papermill: no widgets (see toolkit.widgets)
        return None
    lang = ctx.lang
    unit_dd, period_dd = unit_and_month_dropdowns(ctx)
    group_dd = w.Dropdown(options=[(t("sw.all", lang), "")], value="", description=t("sw.group", lang))
    box = w.HBox([unit_dd, period_dd, group_dd])
    display(box)
    slots = Slots()
    busy = False

    def refresh(*_: Any) -> None:
        nonlocal busy
        if busy:
            return
        busy = True
        try:
            slots.clear()
            _refresh()
        except ToolkitError as exc:  # e.g. no shifts in the chosen month
            slots.show("message", {"text/plain": str(exc)})
        finally:
            busy = False

    def _refresh() -> None:
        sub = ctx.switch(unit=unit_dd.value, period=period_dd.value)
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
            slots.show("message", {"text/plain": t("sw.too_small", lang, group=group or sub.unit.name, n=n)})
            return
        monthly.loc[monthly["persons"] < n, list(roster.MONTHLY_COLUMNS)[2:]] = float("nan")
        start, end = view.window(sub.period, sp.heatmap_months)
        groups = [group] if group else roster.parse_groups(sp.demand_staff_groups)
        staffing = roster.staffing_vs_demand(
            facts, data.patient_flow, start=start, end=end, measure=sp.demand_measure, groups=groups
        )
        for name, fig in (
            ("staff", view.staff_heatmap(staffing, lang)),
            ("ratio", view.ratio_heatmap(staffing, lang)),
        ):
            if fig is not None:
                slots.show(name, figure_bundle(fig, f"sw-{name}"))
        slots.show("trend", figure_bundle(view.trends_chart(monthly, lang=lang), "sw-trend"))
        shown = monthly.assign(suppressed=monthly["persons"] < n)
        slots.show("table", {"text/html": table_html(view.monthly_table(shown, sub), lang)})

    for dd in (unit_dd, period_dd, group_dd):
        dd.observe(refresh, names="value")
    refresh()
    return box
