"""Relationships over time: which monthly figures of a unit moved together (co-movement, not cause).

Pure functions: data frames in, data frames or numbers out; inputs are never changed. Each
measure's definition is registered with :func:`toolkit.core.definitions.define`, so that the
docstrings and the reports' appendix say the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from toolkit.core.definitions import Definition, define
from toolkit.measures.common import core_activities, ratio
from toolkit.measures.economy import productivity
from toolkit.measures.goals import goal_status
from toolkit.measures.hr import unit_sick_leave_trend
from toolkit.measures.inputs import KPIInput

#: A correlation is stated only on at least this many months with both figures.
MIN_MONTHS = 12
#: The longest window the relationship looks back over, in months.
MAX_MONTHS = 24
#: A relationship is "clear" when the absolute correlation is at least this.
CLEAR_R = 0.5

CO_MOVEMENT = Definition(
    "co_movement",
    "Samvariation over tid",
    "Co-movement over time",
    "Pearsons korrelationskoefficient r mellem to månedlige tal over de seneste 12–24 måneder, "
    "hvor begge tal findes. Samvariationen kaldes klar, når |r| er mindst 0,5: positiv r betyder, "
    "at tallene gik op og ned sammen, negativ r, at det ene gik op, når det andet gik ned. Under "
    "0,5 er der ingen klar sammenhæng. Med færre end 12 måneder siges intet. Samvariation siger "
    "ikke, at det ene tal er årsag til det andet.",
    "Pearson's correlation coefficient r between two monthly figures over the last 12–24 months "
    "in which both exist. The co-movement is called clear when |r| is at least 0.5: a positive r "
    "means the figures rose and fell together, a negative r that one rose when the other fell. "
    "Below 0.5 there is no clear relationship. On fewer than 12 months nothing is stated. "
    "Co-movement does not say that one figure causes the other.",
)
PRODUCTIVITY_INDEX = Definition(
    "productivity_index",
    "Produktivitetsindeks",
    "Productivity index",
    "For hver kerneaktivitet: ydelser pr. arbejdstime i måneden / aktivitetens gennemsnitlige "
    "ydelser pr. arbejdstime over perioden × 100; indekset er gennemsnittet over "
    "kerneaktiviteterne (100 = aktiviteternes eget gennemsnit).",
    "For each core activity: cases per hour worked in the month / the activity's mean cases per "
    "hour worked over the window × 100; the index is the mean over the core activities (100 = "
    "the activities' own average).",
)
OVERTIME_PCT_MONTH = Definition(
    "overtime_pct",
    "Overarbejde i % af normtid",
    "Overtime as % of contracted hours",
    "Overarbejdstimer / normtimer × 100 i måneden for hele enheden (merarbejde indgår ikke). "
    "Vises ikke for måneder med færre personer end diskretionsgrænsen.",
    "Overtime hours / contracted hours × 100 in the month for the whole unit (extra hours not "
    "included). Not shown for months with fewer persons than the suppression limit.",
)
GOALS_GREEN_SHARE = Definition(
    "goals_green_share",
    "Målopfyldelse (andel grønne mål)",
    "Goal achievement (share of green goals)",
    "Antal mål med grøn status / antal mål med et resultat i måneden × 100.",
    "Number of goals with green status / number of goals with a result in the month × 100.",
)

Verdict = Literal["together", "opposite", "none", "too_few"]


@dataclass(frozen=True)
class CoMovement:
    """How two monthly series moved: ``r``, the number of ``months`` behind it and the ``verdict``."""

    months: int
    r: float
    verdict: Verdict


@define(CO_MOVEMENT)
def co_movement(
    x: pd.Series, y: pd.Series, *, min_months: int = MIN_MONTHS, clear: float = CLEAR_R
) -> CoMovement:
    """The co-movement of two monthly series indexed by period (months where both have a value).

    ``verdict`` is ``too_few`` below ``min_months`` months (``r`` is then not given), ``none``
    when ``|r| < clear`` or a series does not vary, else ``together`` (r > 0) or ``opposite``.
    """
    both = pd.concat([x.rename("x"), y.rename("y")], axis=1).dropna()
    n = len(both)
    if n < min_months:
        return CoMovement(n, float("nan"), "too_few")
    if both["x"].std() == 0 or both["y"].std() == 0:
        return CoMovement(n, float("nan"), "none")
    r = float(np.corrcoef(both["x"].to_numpy(float), both["y"].to_numpy(float))[0, 1])
    if abs(r) < clear:
        return CoMovement(n, r, "none")
    return CoMovement(n, r, "together" if r > 0 else "opposite")


@define(OVERTIME_PCT_MONTH, GOALS_GREEN_SHARE, PRODUCTIVITY_INDEX)
def unit_monthly_series(
    inp: KPIInput,
    periods: Sequence[str],
    *,
    min_group_size: int = 5,
    green: float = 1.0,
    amber: float = 0.9,
) -> pd.DataFrame:
    """The unit's monthly overtime %, sick-leave %, share of green goals and productivity index.

    Returns
    -------
    DataFrame
        One row per period: ``period``, ``persons``, ``overtime_pct``, ``sick_pct`` (both
        missing in months with fewer than ``min_group_size`` persons), ``goals_green_pct`` and
        ``productivity_index`` (missing where the month has no data).
    """
    periods = list(periods)
    sick = unit_sick_leave_trend(inp.hours, inp.hr, periods).set_index("period")
    h = inp.hours[inp.hours["period"].isin(periods)]
    overtime = h[h["time_category"] == "overtime"].groupby("period")["hours"].sum()
    contracted = inp.hr[inp.hr["period"].isin(periods)].groupby("period")["contracted_hours"].sum()
    out = pd.DataFrame(index=pd.Index(periods, name="period"))
    out["persons"] = sick["persons"].reindex(out.index).fillna(0).astype(int)
    out["overtime_pct"] = ratio(overtime.reindex(out.index).fillna(0.0), contracted.reindex(out.index)) * 100
    out["sick_pct"] = sick["sick_pct"].reindex(out.index)
    small = out["persons"] < min_group_size
    out.loc[small, ["overtime_pct", "sick_pct"]] = np.nan
    green_pct = []
    for p in periods:
        g = goal_status(inp.goals, p, green=green, amber=amber)
        g = g[g["status"] != "missing"]
        green_pct.append((g["status"] == "green").mean() * 100 if len(g) else np.nan)
    out["goals_green_pct"] = green_pct
    out["productivity_index"] = productivity_index(inp, periods)
    return out.reset_index()


def productivity_index(inp: KPIInput, periods: Sequence[str]) -> pd.Series:
    """The productivity index per period (see its definition), indexed by period."""
    prod = productivity(inp.volume, inp.hours, inp.activities, periods)
    prod = prod[prod["activity_id"].isin(core_activities(inp.activities)["activity_id"])]
    prod = prod[prod["hours"] > 0]
    mean = prod.groupby("activity_id")["productivity"].transform("mean")
    prod = prod.assign(index=ratio(prod["productivity"], mean) * 100)
    return prod.groupby("period")["index"].mean().reindex(list(periods))


__all__ = [
    "CLEAR_R",
    "MAX_MONTHS",
    "MIN_MONTHS",
    "CoMovement",
    "co_movement",
    "productivity_index",
    "unit_monthly_series",
]
