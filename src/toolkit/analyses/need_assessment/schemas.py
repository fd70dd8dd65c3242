"""Tables of the need assessment (afdækning af styringsbehov).

``activity_budget`` is optional: an institution that budgets by activity delivers it, and the
need assessment then shows each activity's budget deviation. The workshop scores are not a
table but filled-in Excel forms (see :mod:`toolkit.analyses.need_assessment.forms`).
"""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

from toolkit.data.schemas import ID_PATTERN, PERIOD_PATTERN, TableModel, register


@register
class ActivityBudget(TableModel):
    """Periodised budget per unit, activity and month (optional), in kr.

    The budget of the costs the toolkit attributes to an activity: costs booked directly on
    the activity plus its share of the salary (allocated by registered hours, as in the cost
    per case). Costs without an activity (premises, overhead) are not part of it. Used for
    the need assessment's budget deviation per activity.
    """

    period: Series[str] = pa.Field(str_matches=PERIOD_PATTERN, description="Month, YYYY-MM.")
    unit_id: Series[str] = pa.Field(
        str_matches=ID_PATTERN, description="Unit key.", metadata={"references": "units"}
    )
    activity_id: Series[str] = pa.Field(
        str_matches=ID_PATTERN, description="Activity key.", metadata={"references": "activities"}
    )
    budget: Series[float] = pa.Field(description="Periodised budget of the activity for the month, kr.")

    class Config:
        unique = ["period", "unit_id", "activity_id"]
        metadata = {"table": "activity_budget", "required": False, "group": "need_assessment"}
