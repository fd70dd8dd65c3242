"""Weight sliders for the need assessment in JupyterLab (ipywidgets).

One slider per criterion and indicator; moving one re-ranks the activities at once with
:func:`toolkit.needs_report.rerank` (the scores are recomputed from the already computed
criterion scores, nothing is read again) and redraws the ranking and the action plan with the
report's own tables. Under papermill the notebook does not call this (``interactive = False``).
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w
from IPython.display import display

from toolkit.analyses.need_assessment import report as view
from toolkit.core.formatting import Language
from toolkit.core.i18n import register, t
from toolkit.report.blocks import table_html
from toolkit.report.widgets import frontend_available

register(
    {
        "naw.help": (
            "Flyt vægtene: aktiviteterne rangordnes straks igen (0 = kriteriet tæller ikke).",
            "Move the weights: the activities are re-ranked at once (0 = the criterion does not count).",
        ),
    }
)


def weight_sliders(res: view.NeedResults, lang: Language, *, show: bool = True) -> Any:
    """Sliders for every weight above a live ranking and action plan; returns the widget box."""
    if show and not frontend_available():  # under papermill: no widgets (see toolkit.widgets)
        return None
    params = res.params
    sliders = {
        key: w.FloatSlider(
            value=weight,
            min=0.0,
            max=5.0,
            step=0.5,
            description=view.key_label(key, params, lang),
            style={"description_width": "260px"},
            layout=w.Layout(width="480px"),
            continuous_update=False,
        )
        for key, weight in params.weights().items()
    }
    ranking = w.HTML()
    plan = w.HTML()

    def refresh(*_: Any) -> None:
        current = view.rerank(res, {k: s.value for k, s in sliders.items()})
        ranking.value = table_html(view.ranking_table(current, lang), lang)
        plan.value = table_html(view.action_table(current, lang), lang)

    for slider in sliders.values():
        slider.observe(refresh, names="value")
    refresh()
    box = w.VBox([w.HTML(f"<p>{t('naw.help', lang)}</p>"), *sliders.values(), ranking, plan])
    box.sliders = sliders  # type: ignore[attr-defined]
    box.ranking = ranking  # type: ignore[attr-defined]
    if show:
        display(box)
    return box
