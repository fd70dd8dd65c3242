"""Goals: achievement and status against the targets.

Pure functions: data frames in, data frames or numbers out; inputs are never changed. Each
measure's definition is registered with :func:`toolkit.core.definitions.define`, so that the
docstrings and the reports' appendix say the same thing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from toolkit.core.definitions import Definition, define

GOAL_ACHIEVEMENT = Definition(
    "goal_achievement",
    "Målopfyldelse",
    "Goal achievement",
    "Faktisk / mål, når højere er bedre; mål / faktisk, når lavere er bedre. Status er grøn ved "
    "målopfyldelse på mindst den grønne grænse, gul ved mindst den gule og ellers rød (grænserne "
    "er parametre). Et mål på 0 er opfyldt, når det faktiske tal ikke er værre end 0.",
    "Actual / target when higher is better; target / actual when lower is better. The status "
    "is green at an achievement of at least the green limit, amber at least the amber limit "
    "and red otherwise (the limits are parameters). A target of 0 is met when the actual is "
    "no worse than 0.",
)


@define(GOAL_ACHIEVEMENT)
def goal_status(goals: pd.DataFrame, period: str, *, green: float = 1.0, amber: float = 0.9) -> pd.DataFrame:
    """Target against actual with a red/amber/green status for each goal in ``period``.

    Returns
    -------
    DataFrame
        ``goal_id``, ``name``, ``measure_unit``, ``direction``, ``target``, ``actual``,
        ``achievement`` (1.0 = met exactly) and ``status`` (green, amber, red or missing).
    """
    g = goals[goals["period"] == period].copy()
    higher = g["direction"] == "higher"
    target, actual = g["target"].astype(float), g["actual"].astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ach = np.where(higher, actual / target, target / actual)
    zero_target = target == 0
    met_at_zero = np.where(higher, actual >= 0, actual <= 0)
    ach = np.where(zero_target, np.where(met_at_zero, 1.0, 0.0), ach)
    ach = np.where(~higher & (actual == 0) & ~zero_target, np.inf, ach)  # lower is better, actual 0
    ach = np.where(actual.isna(), np.nan, ach)
    g["achievement"] = ach
    g["status"] = np.select(
        [g["achievement"].isna(), g["achievement"] >= green, g["achievement"] >= amber],
        ["missing", "green", "amber"],
        default="red",
    )
    cols = ["goal_id", "name", "measure_unit", "direction", "target", "actual", "achievement", "status"]
    order = {"red": 0, "amber": 1, "missing": 2, "green": 3}
    return (
        g[cols]
        .sort_values(["status", "name"], key=lambda s: s.map(order) if s.name == "status" else s)
        .reset_index(drop=True)
    )
