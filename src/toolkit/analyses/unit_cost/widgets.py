"""Interactive unit costs for JupyterLab: move the practical-capacity share, change the method.

The explorer reuses the report's own computations (:func:`.scenarios.evaluate`) on the report's
inputs, so what the analyst sees while exploring is what the report would show with those
parameters. Under papermill the notebook does not call it (``interactive = False``).
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w
from IPython.display import display

from toolkit.analyses.unit_cost.charts import capacity_chart
from toolkit.analyses.unit_cost.params import settings
from toolkit.analyses.unit_cost.results import costing_only, costing_settings, load
from toolkit.analyses.unit_cost.tables import unit_cost_table
from toolkit.analyses.unit_cost.texts import TEXTS, method_label
from toolkit.measures.costing.allocation import METHODS
from toolkit.measures.costing.inputs import CostingInput
from toolkit.measures.costing.scenarios import evaluate
from toolkit.report.blocks import figure_bundle, table_html
from toolkit.report.context import ReportContext
from toolkit.report.widgets import frontend_available


def explorer(ctx: ReportContext, inputs: CostingInput | None = None) -> Any:
    """A slider for the practical-capacity share and a method drop-down; the unit costs follow.

    ``inputs`` are the report's inputs if already loaded (else they are loaded from ``ctx``).
    Returns the widget box, or ``None`` where no widget front end is available.
    """
    if not frontend_available():  # under papermill: no widgets (see toolkit.report.widgets)
        return None
    lang = ctx.lang
    inp = inputs if inputs is not None else load(ctx)
    chosen = costing_settings(settings(ctx.params))
    share = w.FloatSlider(
        value=float(chosen.practical_share.get("staff", 0.8)),
        min=0.5,
        max=1.0,
        step=0.05,
        readout_format=".2f",
        description=TEXTS("widget.share", lang),
        continuous_update=False,
    )
    method = w.Dropdown(
        options=[(method_label(m, lang), m) for m in METHODS],
        value=chosen.method,
        description=TEXTS("widget.method", lang),
    )
    out = w.Output()

    def refresh(*_: Any) -> None:
        result = evaluate(inp, chosen, method=method.value, share=float(share.value))
        view = costing_only(inp, chosen, result)
        with out:
            out.clear_output(wait=True)
            display({"text/html": table_html(unit_cost_table(view, lang), lang)}, raw=True)
            display(figure_bundle(capacity_chart(view, lang), "w-uc-capacity"), raw=True)

    share.observe(refresh, names="value")
    method.observe(refresh, names="value")
    refresh()
    box = w.VBox([w.HTML(TEXTS("widget.note", lang)), w.HBox([method, share]), out])
    display(box)
    return box
