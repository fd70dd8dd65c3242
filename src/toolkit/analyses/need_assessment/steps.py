"""Need assessment (afdækning af styringsbehov): where management effort pays off, activity by activity.

Økonomistyrelsen's "Kender du dine styringsbehov?" starts from the unit's activities. The
computation combines what the unit's own data show about each activity (objective indicators)
with the workshop's judgement (criteria scored 1–5 by several raters), weighs them into one
score on the 1–5 scale, ranks the activities, and maps the scores to management tools by
configurable rules (``need_assessment`` in the parameters; see
:mod:`toolkit.analyses.need_assessment.params`).

Pure functions: data frames in, data frames out; inputs are never changed. The definitions
registered with :func:`toolkit.core.definitions.define` are the text of the report's appendix.
This module gathers the steps, which live in four modules, in the order the report uses them:

1. :func:`load` reads one unit's tables for the window of months (:mod:`.inputs`);
2. :func:`unit_activities` lists the unit's activities and where each is registered (the
   common-key check; :mod:`.inputs`);
3. :func:`activity_indicators` computes the objective indicators per activity (:mod:`.indicators`);
4. :func:`normalise_indicators` puts them on the 1–5 scale; :func:`judged_scores` applies the
   criteria's direction to the raters' scores (:mod:`.scoring`);
5. :func:`score_activities` combines both by the weights and ranks, with the raters' spread
   (:mod:`.scoring`);
6. :func:`tools_in_use`, :func:`recommend_tools` and :func:`action_plan` turn scores into a plan
   (:mod:`.planning`).

The assessment of one department from these steps is :mod:`.assessment`.
"""

from __future__ import annotations

from toolkit.analyses.need_assessment.indicators import (
    INDICATOR_COLUMNS,
    activity_indicators,
    cost_concentration,
    goal_shortfall,
    monthly_cv,
    unmatched,
)
from toolkit.analyses.need_assessment.inputs import PRESENCE, NeedInput, load, months_for, unit_activities
from toolkit.analyses.need_assessment.planning import (
    ACTION_KINDS,
    ToolPlan,
    action_plan,
    recommend_tools,
    tools_in_use,
)
from toolkit.analyses.need_assessment.scoring import (
    LEVELS,
    NeedScores,
    judged_scores,
    need_level,
    normalise_indicators,
    score_activities,
)

__all__ = [
    "ACTION_KINDS",
    "INDICATOR_COLUMNS",
    "LEVELS",
    "PRESENCE",
    "NeedInput",
    "NeedScores",
    "ToolPlan",
    "action_plan",
    "activity_indicators",
    "cost_concentration",
    "goal_shortfall",
    "judged_scores",
    "load",
    "monthly_cv",
    "months_for",
    "need_level",
    "normalise_indicators",
    "recommend_tools",
    "score_activities",
    "tools_in_use",
    "unit_activities",
    "unmatched",
]
