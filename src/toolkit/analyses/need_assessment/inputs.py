"""One unit's tables for the need assessment, and where each activity is registered.

:func:`load` reads the tables for the window of months; :func:`unit_activities` lists the
unit's activities and the data sources each is found in (the common-key check).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from toolkit.analyses.need_assessment.params import (
    DATA_SOURCES,
)
from toolkit.core.definitions import Definition, define
from toolkit.core.periods import parse_period, year_to_date
from toolkit.data.schemas.core import WORK_CATEGORIES
from toolkit.data.sources import DataSource

#: Presence columns of :func:`unit_activities`, one per data source.
PRESENCE = {source: f"in_{source}" for source in DATA_SOURCES}


# --------------------------------------------------------------------------- input


@dataclass(frozen=True)
class NeedInput:
    """One unit's tables for the need assessment (see :func:`load`).

    ``window`` holds the months behind the indicators (the last ``months`` months up to the
    report month), ``ytd`` the budget year to date; the tables cover both.
    """

    unit_id: str
    period: str
    window: tuple[str, ...]
    ytd: tuple[str, ...]
    activities: pd.DataFrame
    volume: pd.DataFrame
    hours: pd.DataFrame
    finance: pd.DataFrame
    goals: pd.DataFrame
    activity_budget: pd.DataFrame | None


def months_for(period: str, months: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The indicator window (``months`` months ending with ``period``) and the year to date."""
    p = parse_period(period)
    window = tuple(str(x) for x in pd.period_range(end=p, periods=months, freq="M"))
    ytd = tuple(str(x) for x in year_to_date(p))
    return window, ytd


def load(source: DataSource, unit_id: str, period: str, months: int) -> NeedInput:
    """Read one unit's tables for the need assessment from a data source.

    ``activity_budget`` is optional: without it the budget deviation per activity is missing.
    """
    window, ytd = months_for(period, months)
    start, end = min(window[0], ytd[0]), period
    units = [unit_id]

    def read(table: str) -> pd.DataFrame:
        return source.read(table, units=units, start=start, end=end)

    return NeedInput(
        unit_id=unit_id,
        period=period,
        window=window,
        ytd=ytd,
        activities=source.activities(),
        volume=read("volume"),
        hours=read("hours"),
        finance=read("finance"),
        goals=read("goals"),
        activity_budget=read("activity_budget") if source.has("activity_budget") else None,
    )


# --------------------------------------------------------------------------- registration


REGISTRATION = Definition(
    "need_registration",
    "Registrering på aktiviteten (fælles nøgle)",
    "Registration on the activity (common key)",
    "For hver aktivitet vises, om den findes i tidsregistreringen (timer arbejdet på aktiviteten), "
    "i økonomidata (omkostninger eller budget konteret på aktiviteten), i aktivitetsdata, i målene "
    "og i aktivitetsbudgettet i analyseperioden. Enhedens aktiviteter er alle aktiviteter, der "
    "findes i mindst én af kilderne eller i et workshopskema; ingen udelades. En aktivitet med "
    "højt styringsbehov bør findes i både økonomi- og tidsdata; timer uden omkostninger på "
    "aktiviteten og omkostninger uden timer vises som ikke matchet.",
    "For each activity the report shows whether it exists in the time registration (hours worked "
    "on the activity), in the finance data (costs or budget booked on the activity), in the "
    "volume data, in the goals and in the activity budget during the analysis period. The "
    "unit's activities are all activities found in at least one of the sources or in a workshop "
    "form; none is dropped. An activity with a high need should exist in both finance and time "
    "data; hours without costs on the activity and costs without hours are shown as unmatched.",
)


@define(REGISTRATION)
def unit_activities(inp: NeedInput, extra: Iterable[str] = ()) -> pd.DataFrame:
    """The unit's activities and where each is registered in the window.

    Parameters
    ----------
    inp
        The unit's tables.
    extra
        Further activity ids (e.g. from the workshop forms) to include.

    Returns
    -------
    DataFrame
        ``activity_id``, ``name``, ``kind``, ``volume_unit`` and one boolean per data source
        (``in_hours``, ``in_finance``, ``in_volume``, ``in_goals``, ``in_activity_budget``),
        ordered core activities first, then by name.
    """
    window = list(inp.window)
    work = inp.hours[
        inp.hours["period"].isin(window)
        & inp.hours["time_category"].isin(WORK_CATEGORIES)
        & (inp.hours["hours"] > 0)
    ]
    fin = inp.finance[inp.finance["period"].isin(window) & inp.finance["activity_id"].notna()]
    fin = fin[(fin["budget"].fillna(0) != 0) | (fin["actual"].fillna(0) != 0)]
    ids = {
        "hours": set(work["activity_id"]),
        "finance": set(fin["activity_id"]),
        "volume": set(inp.volume.loc[inp.volume["period"].isin(window), "activity_id"]),
        "goals": set(inp.goals.loc[inp.goals["period"].isin(window), "activity_id"].dropna()),
        "activity_budget": set()
        if inp.activity_budget is None
        else set(inp.activity_budget.loc[inp.activity_budget["period"].isin(window), "activity_id"]),
    }
    every = set().union(*ids.values(), set(extra))
    cat = inp.activities[inp.activities["activity_id"].isin(every)]
    unknown = every - set(cat["activity_id"])
    if unknown:
        raise ValueError(f"activities not in the catalogue: {sorted(unknown)}")
    out = cat[["activity_id", "name", "kind", "volume_unit"]].copy()
    for source, column in PRESENCE.items():
        out[column] = out["activity_id"].isin(ids[source])
    order = out["kind"].map({"core": 0, "internal": 1})
    return (
        out.assign(_order=order)
        .sort_values(["_order", "name"], kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )
