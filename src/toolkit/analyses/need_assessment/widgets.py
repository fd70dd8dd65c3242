"""The weight explorer of the need assessment in JupyterLab (ipywidgets).

One slider per criterion and indicator; moving one re-ranks the activities at once with
:func:`toolkit.analyses.need_assessment.assessment.rerank` (the scores are recomputed from the
already computed criterion scores, nothing is read again) and redraws the ranking and the
action plan with the report's own tables. Under papermill the notebook does not call this
(``interactive = False``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ipywidgets as w
from IPython.display import display

from toolkit.analyses.need_assessment.assessment import NeedResults, rerank
from toolkit.analyses.need_assessment.labels import key_label
from toolkit.analyses.need_assessment.tables import action_table, ranking_table
from toolkit.analyses.need_assessment.texts import TEXTS
from toolkit.core.formatting import Language
from toolkit.report.blocks import table_html
from toolkit.report.context import ReportContext
from toolkit.report.widgets import frontend_available


@dataclass(frozen=True)
class Explorer:
    """The explorer's widgets: the box shown, its sliders by key, the live ranking and plan."""

    box: w.VBox
    sliders: dict[str, w.FloatSlider]
    ranking: w.HTML
    plan: w.HTML


def build(res: NeedResults, lang: Language) -> Explorer:
    """The sliders for every weight above a live ranking and action plan (not shown)."""
    params = res.params
    sliders = {
        key: w.FloatSlider(
            value=weight,
            min=0.0,
            max=5.0,
            step=0.5,
            description=key_label(key, params, lang),
            style={"description_width": "260px"},
            layout=w.Layout(width="480px"),
            continuous_update=False,
        )
        for key, weight in params.weights().items()
    }
    ranking = w.HTML()
    plan = w.HTML()

    def refresh(*_: Any) -> None:
        current = rerank(res, {k: s.value for k, s in sliders.items()})
        ranking.value = table_html(ranking_table(current, lang), lang)
        plan.value = table_html(action_table(current, lang), lang)

    for slider in sliders.values():
        slider.observe(refresh, names="value")
    refresh()
    box = w.VBox([w.HTML(f"<p>{TEXTS('sliders.help', lang)}</p>"), *sliders.values(), ranking, plan])
    return Explorer(box, sliders, ranking, plan)


def explorer(ctx: ReportContext, res: NeedResults) -> Explorer | None:
    """Show sliders for every weight above a live ranking and action plan; returns the widgets.

    Nothing is shown (and None returned) where there is no widget front end (under papermill).
    """
    if not frontend_available():  # under papermill: no widgets (see toolkit.report.widgets)
        return None
    ex = build(res, ctx.lang)
    display(ex.box)
    return ex
