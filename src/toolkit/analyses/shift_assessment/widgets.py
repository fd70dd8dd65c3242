"""An interactive explorer of the shift-planning figures for JupyterLab (ipywidgets).

It reuses the report's functions, so what the analyst sees while exploring is what the report
shows. Under papermill the notebook does not call it (``interactive = False``).
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w
import pandas as pd
from IPython.display import display

from toolkit.analyses.shift_assessment import charts, results, roster, tables
from toolkit.analyses.shift_assessment.params import settings
from toolkit.analyses.shift_assessment.texts import TEXTS
from toolkit.core.errors import ToolkitError
from toolkit.report.blocks import figure_bundle, table_html
from toolkit.report.context import ReportContext
from toolkit.report.widgets import frontend_available, unit_and_month_dropdowns


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


def explorer(ctx: ReportContext) -> w.HBox | None:
    """Drop-downs for unit, month and staff group; shows heat maps and monthly trends for the choice."""
    if not frontend_available():  # under papermill: no widgets (see toolkit.widgets)
        return None
    lang = ctx.lang
    unit_dd, period_dd = unit_and_month_dropdowns(ctx)
    group_dd = w.Dropdown(
        options=[(TEXTS("explorer.all", lang), "")], value="", description=TEXTS("explorer.group", lang)
    )
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
        sp = settings(sub.params)
        data = results.load_roster(sub)
        options = [(TEXTS("explorer.all", lang), ""), *[(g, g) for g in group_choices(data.shifts)]]
        if list(group_dd.options) != options:
            chosen = group_dd.value if group_dd.value in {v for _, v in options} else ""
            group_dd.options = options
            group_dd.value = chosen
        group = group_dd.value
        facts = roster.shift_facts(data.shifts, notice_days=sp.short_notice_days, time_zone=sp.time_zone)
        if group:
            facts = facts[facts["staff_group"] == group]
        monthly = roster.monthly_kpis(facts, results.months_to(sub.period, sp.trend_months))
        n = sub.params.privacy.min_group_size
        if int(monthly["persons"].iloc[-1]) < n:
            too_small = TEXTS("explorer.too_small", lang, group=group or sub.unit.name, n=n)
            slots.show("message", {"text/plain": too_small})
            return
        monthly = results.suppress_small_months(monthly, n)
        staffing = results.week_staffing(
            facts, data.patient_flow, sub.period, sp, groups=[group] if group else None
        )
        for name, fig in (
            ("staff", charts.staff_heatmap(staffing, lang)),
            ("ratio", charts.ratio_heatmap(staffing, lang)),
        ):
            if fig is not None:
                slots.show(name, figure_bundle(fig, f"sw-{name}"))
        slots.show("trend", figure_bundle(charts.trends_chart(monthly, lang=lang), "sw-trend"))
        slots.show("table", {"text/html": table_html(tables.monthly_table(monthly, sub), lang)})

    for dd in (unit_dd, period_dd, group_dd):
        dd.observe(refresh, names="value")
    refresh()
    return box
