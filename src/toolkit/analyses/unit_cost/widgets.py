"""Interactive unit costs for JupyterLab: move the practical-capacity share, change the method.

The explorer reuses the report's own computations (:func:`toolkit.costing.evaluate`) on the data
the notebook already loaded, so what the analyst sees while exploring is what the report would
show with those parameters. Under papermill the notebook does not call it (``interactive = False``).
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w
from IPython.display import display

from toolkit.analyses.unit_cost import costing
from toolkit.analyses.unit_cost import report as unit_cost_report
from toolkit.core.i18n import register, t
from toolkit.report.blocks import figure_bundle, table_html
from toolkit.report.context import ReportContext
from toolkit.report.widgets import frontend_available

register(
    {
        "w.uc.share": ("Praktisk andel", "Practical share"),
        "w.uc.method": ("Metode", "Method"),
        "w.uc.default": ("som i parametrene", "as in the parameters"),
    }
)


def unit_cost_explorer(inp: costing.CostingInput, ctx: ReportContext) -> Any:
    """A slider for the practical-capacity share and a method drop-down; the unit costs follow."""
    if not frontend_available():  # under papermill: no widgets (see toolkit.widgets)
        return None
    lang = ctx.lang
    settings = unit_cost_report.settings_from(ctx)
    share = w.FloatSlider(
        value=float(settings.practical_share.get("staff", 0.8)),
        min=0.5,
        max=1.0,
        step=0.05,
        readout_format=".2f",
        description=t("w.uc.share", lang),
        continuous_update=False,
    )
    method = w.Dropdown(
        options=[(unit_cost_report.method_label(m, lang), m) for m in costing.METHODS],
        value=settings.method,
        description=t("w.uc.method", lang),
    )
    out = w.Output()

    def refresh(*_: Any) -> None:
        result = costing.evaluate(inp, settings, method=method.value, share=float(share.value))
        view = unit_cost_report.costing_only(inp, settings, result)
        with out:
            out.clear_output(wait=True)
            display({"text/html": table_html(unit_cost_report.unit_cost_table(view, lang), lang)}, raw=True)
            display(figure_bundle(unit_cost_report.capacity_chart(view, lang), "w-uc-capacity"), raw=True)

    share.observe(refresh, names="value")
    method.observe(refresh, names="value")
    refresh()
    box = w.VBox([w.HTML(t("uc.widget.note", lang)), w.HBox([method, share]), out])
    display(box)
    return box
