"""Key ratios of a unit, one row per unit, for comparison between the departments of a centre.

Pure functions: data frames in, data frames or numbers out; inputs are never changed. Each
measure's definition is registered with :func:`toolkit.core.definitions.define`, so that the
docstrings and the reports' appendix say the same thing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from toolkit.core.definitions import Definition, define
from toolkit.core.periods import parse_period
from toolkit.measures.activity import registration_coverage, volume_comparison
from toolkit.measures.common import TOTAL, ratio
from toolkit.measures.economy import budget_status
from toolkit.measures.goals import goal_status
from toolkit.measures.hr import staff_group_kpis
from toolkit.measures.inputs import KPIInput

KEY_RATIOS = Definition(
    "key_ratios",
    "Nøgletal til sammenligning",
    "Key ratios for comparison",
    "For hver afdeling i centret: aktivitet i forhold til plan år til dato (gennemsnit af "
    "kerneaktiviteternes forhold), budgetafvigelse år til dato i %, sygefravær de seneste 12 "
    "måneder, overarbejde pr. årsværk i måneden, registreringsgrad og andel grønne mål. Kun "
    "disse aggregerede tal deles mellem afdelinger; HR-tal for afdelinger under grænsen skjules.",
    "For each department in the centre: volume against plan year to date (mean of the core "
    "activities' ratios), budget deviation year to date in %, sick leave over the last 12 "
    "months, overtime per FTE in the month, registration coverage and share of green goals. "
    "Only these aggregates are shared between departments; HR figures of departments below "
    "the limit are suppressed.",
)

KEY_RATIO_COLUMNS = (
    "volume_vs_plan_ytd_pct",
    "budget_deviation_ytd_pct",
    "sick_pct_12m",
    "overtime_per_fte",
    "registration_coverage_pct",
    "goals_green_pct",
)


@define(KEY_RATIOS)
def unit_key_ratios(
    inp: KPIInput,
    *,
    min_group_size: int = 5,
    green: float = 1.0,
    amber: float = 0.9,
    hidden: bool = False,
) -> dict[str, object]:
    """The agreed aggregates of one unit for comparison with its siblings (one row as a dict).

    The person-based ratios (sick leave, overtime) are hidden when the unit has fewer than
    ``min_group_size`` persons in the month, or when ``hidden`` (the unit tree's suppression
    pattern hides the unit's total, so that it does not follow from its parent and siblings).
    """
    p = parse_period(inp.period)
    last12 = [str(x) for x in pd.period_range(end=p, periods=12, freq="M")]
    vol = volume_comparison(inp.volume, inp.activities, inp.period)
    ratios = ratio(vol["ytd_actual"], vol["ytd_planned"])
    budget = budget_status(inp.finance, inp.period)
    total = budget[budget["account_group"] == TOTAL].iloc[0]
    hr12 = staff_group_kpis(inp.hours, inp.hr, last12)
    hr_m = staff_group_kpis(inp.hours, inp.hr, [inp.period])
    tot12 = hr12[hr12["staff_group"] == TOTAL].iloc[0]
    tot_m = hr_m[hr_m["staff_group"] == TOTAL].iloc[0]
    goals = goal_status(inp.goals, inp.period, green=green, amber=amber)
    measured = goals[goals["status"] != "missing"]
    small = int(tot_m["persons"]) < min_group_size or hidden
    return {
        "unit_id": inp.unit_id,
        "period": inp.period,
        "volume_vs_plan_ytd_pct": (float(ratios.mean()) - 1) * 100 if ratios.notna().any() else np.nan,
        "budget_deviation_ytd_pct": float(total["deviation_pct"]),
        "sick_pct_12m": np.nan if small else float(tot12["sick_pct"]),
        "overtime_per_fte": np.nan if small else float(tot_m["overtime_per_fte"]),
        "registration_coverage_pct": registration_coverage(inp.hours, inp.hr, [inp.period]),
        "goals_green_pct": (measured["status"] == "green").mean() * 100 if len(measured) else np.nan,
        # Suppressed only where persons exist: a unit without HR rows has no data, not hidden data.
        "suppressed": small and int(tot_m["persons"]) > 0,
    }
