"""The tables of the management-information KPI report (shown and added to the workbook).

Each function turns a part of :class:`~toolkit.analyses.kpi.results.KPIResults` into a
:class:`~toolkit.report.blocks.TableView`: the columns, their labels and number formats. The
table names (the workbook's sheet names) stay as they are, in the report's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import numpy as np
import pandas as pd

from toolkit.analyses.kpi.results import KPIResults, cost_gaps, has_input
from toolkit.analyses.kpi.texts import TEXTS
from toolkit.core.definitions import DEFINITIONS
from toolkit.core.formatting import Language, is_missing
from toolkit.core.i18n import t
from toolkit.measures.common import TOTAL
from toolkit.measures.ratios import KEY_RATIO_COLUMNS
from toolkit.report.blocks import (
    SUPPRESSED_MARK,
    Block,
    Column,
    ScreenOnly,
    TableView,
    WorkbookOnly,
    format_value,
)
from toolkit.report.context import ReportContext

#: Per column of a table: which rows' missing values are missing for want of data (a boolean
#: per row, or one for every row).
NoData = Mapping[str, pd.Series | bool]


def no_data_view(view: TableView, no_data: NoData, lang: Language) -> TableView:
    """``view`` with "ingen data" in the cells of ``no_data`` whose value is missing for want of data.

    Such a column is shown as text: its values formatted as before, a missing value flagged by
    ``no_data`` reads "ingen data" (no colour), another missing value keeps its dash, and a
    suppressed row keeps the suppression mark. For the screen only; the workbook gets the raw
    values (:func:`shown_with_no_data`).
    """
    frame = view.frame.reset_index(drop=True)
    hidden = (
        frame[view.suppressed].fillna(False).astype(bool)
        if view.suppressed
        else pd.Series(False, index=frame.index)
    )
    text = TEXTS("card.no_data", lang)
    columns = []
    shown = {}
    for c in view.columns:
        flag = no_data.get(c.key)
        if flag is None:
            columns.append(c)
            continue
        flags = pd.Series(flag, index=frame.index) if isinstance(flag, bool) else flag.reset_index(drop=True)
        key = f"{c.key}__shown"
        shown[key] = [
            (SUPPRESSED_MARK if h else text if f else format_value(v, c, lang))
            if is_missing(v)
            else format_value(v, c, lang)
            for v, f, h in zip(frame[c.key], flags.fillna(False).astype(bool), hidden, strict=True)
        ]
        columns.append(Column(key, c.label))
    return replace(view, frame=frame.assign(**shown), columns=columns)


def shown_with_no_data(view: TableView, no_data: NoData, lang: Language) -> list[Block]:
    """The blocks of ``view`` with :func:`no_data_view` on screen and the raw values in the workbook.

    Just ``[view]`` when no cell of ``no_data`` is missing for want of data.
    """
    frame = view.frame.reset_index(drop=True)
    any_gap = False
    keys = {c.key for c in view.columns}
    for key, flag in no_data.items():
        if key not in keys:
            continue
        flags = pd.Series(flag, index=frame.index) if isinstance(flag, bool) else flag.reset_index(drop=True)
        any_gap |= bool((frame[key].isna() & flags.fillna(False).astype(bool)).any())
    if not any_gap:
        return [view]
    return [ScreenOnly(no_data_view(view, no_data, lang)), WorkbookOnly(view)]


#: The hours columns of the productivity table and the activity sheet (missing without hours rows).
HOURS_COLUMNS = (
    "ytd_hours",
    "ytd_productivity",
    "ly_ytd_productivity",
    "change_pct",
    "ytd_hours_per_case",
    "hours",
    "productivity",
    "ytd_hours_change_pct",
)


def hours_no_data(res: KPIResults) -> dict[str, bool]:
    """The hours columns are no data when the unit has no hours rows for the month."""
    missing = not has_input(res, "hours")
    return dict.fromkeys(HOURS_COLUMNS, missing)


def cost_no_data(res: KPIResults, period: str, frame: pd.DataFrame) -> dict[str, pd.Series]:
    """Which cost columns' missing values in ``frame`` (rows by ``activity_id``) are no data.

    See :func:`~toolkit.analyses.kpi.results.cost_gaps`.
    """
    by_activity = cost_gaps(res, period).set_index("activity_id")
    gaps = {
        k: frame["activity_id"].map(by_activity[k]).fillna(True).astype(bool).reset_index(drop=True)
        for k in ("month", "ytd", "ly")
    }
    return {
        "cost": gaps["month"],
        "cost_per_case": gaps["month"],
        "ytd_cost_per_case": gaps["ytd"],
        "ly_ytd_cost_per_case": gaps["ly"],
        "ytd_change_pct": gaps["ytd"] | gaps["ly"],
        "ytd_cost_per_case_change_pct": gaps["ytd"] | gaps["ly"],
    }


def volume_table(res: KPIResults, lang: Language) -> TableView:
    """Volume per activity against plan and last year."""
    return TableView(
        "Aktivitet" if lang == "da" else "Activity",
        res.volume,
        [
            Column("name", TEXTS("col.activity", lang)),
            Column("volume_unit", TEXTS("col.volume_unit", lang)),
            Column("actual", TEXTS("col.actual", lang), "int"),
            Column("planned", TEXTS("col.planned", lang), "int"),
            Column("vs_plan_pct", TEXTS("col.vs_plan", lang), "pct", signed=True),
            Column("last_year", TEXTS("col.last_year", lang), "int"),
            Column("vs_last_year_pct", TEXTS("col.vs_last_year", lang), "pct", signed=True),
            Column("ytd_actual", TEXTS("col.ytd_actual", lang), "int"),
            Column("ytd_vs_plan_pct", TEXTS("col.ytd_vs_plan", lang), "pct", signed=True),
            Column("ytd_vs_last_year_pct", TEXTS("col.ytd_vs_last_year", lang), "pct", signed=True),
        ],
    )


def staircase_table(res: KPIResults, lang: Language) -> TableView:
    """The time staircase as a table."""
    df = res.staircase.copy()
    contracted = float(df.loc[df["step"] == "contracted", "hours"].iloc[0])
    df["label"] = df["step"].map(lambda s: TEXTS(f"step.{s}", lang))
    df["share"] = df["hours"] / contracted * 100 if contracted else np.nan
    return TableView(
        "Tidstrappe" if lang == "da" else "Time staircase",
        df,
        [
            Column("label", TEXTS("col.step", lang)),
            Column("hours", TEXTS("col.hours", lang), "int"),
            Column("share", TEXTS("col.share_contracted", lang), "pct"),
        ],
    )


def productivity_table(res: KPIResults, lang: Language) -> TableView:
    """Productivity year to date against last year."""
    return TableView(
        "Produktivitet" if lang == "da" else "Productivity",
        res.productivity_summary,
        [
            Column("name", TEXTS("col.activity", lang)),
            Column("ytd_volume", TEXTS("col.ytd_volume", lang), "int"),
            Column("ytd_hours", TEXTS("col.ytd_hours", lang), "int"),
            Column("ytd_productivity", TEXTS("col.ytd_productivity", lang), "number", decimals=3),
            Column("ly_ytd_productivity", TEXTS("col.ly_productivity", lang), "number", decimals=3),
            Column("change_pct", TEXTS("col.change", lang), "pct", signed=True),
            Column("ytd_hours_per_case", TEXTS("col.hours_per_case", lang), "number", decimals=2),
        ],
    )


def cost_table(res: KPIResults, lang: Language) -> TableView:
    """Direct cost per case per activity, with the full cost per case where the costing exists."""
    df = res.cost_summary
    full: list[Column] = []
    if res.full_cost is not None:
        by = res.full_cost.set_index("activity_id")
        df = df.assign(
            full_cost_per_case=df["activity_id"].map(by["unit_cost"]),
            full_cost_hidden=df["activity_id"].map(full_cost_hidden(res)).fillna(False).astype(bool),
        )
        full = [Column("full_cost_per_case", TEXTS("col.full_cpc_ytd", lang), "kr_full")]
    return TableView(
        TEXTS("cost_table.title", lang),
        df,
        [
            Column("name", TEXTS("col.activity", lang)),
            Column("cost", TEXTS("col.cost_month", lang), "kr"),
            Column("volume", TEXTS("col.volume_month", lang), "int"),
            Column("cost_per_case", TEXTS("col.cpc_month", lang), "kr_full"),
            Column("ytd_cost_per_case", TEXTS("col.cpc_ytd", lang), "kr_full"),
            Column("ly_ytd_cost_per_case", TEXTS("col.cpc_ly", lang), "kr_full"),
            Column("ytd_change_pct", TEXTS("col.change", lang), "pct", signed=True),
            *full,
        ],
    )


def full_cost_hidden(res: KPIResults) -> pd.Series:
    """Per ``activity_id``: is its full cost per case hidden (the unit-cost report hides it too)?"""
    if res.full_cost is None or "suppressed" not in res.full_cost:
        return pd.Series(dtype=bool)
    return res.full_cost.set_index("activity_id")["suppressed"].astype(bool)


def mark_hidden_cells(blocks: list[Block], hidden: Mapping[str, str], lang: Language) -> list[Block]:
    """``blocks`` of one table with the suppression mark in single hidden cells on screen.

    ``hidden`` maps a value column to the boolean column of its frame that says which of its
    cells are hidden (a figure hidden by another report's pattern while the rest of the row is
    shown). On screen such a cell reads the suppression mark, not a dash; the workbook keeps it
    empty. Blocks that go to the workbook only are left as they are.
    """
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, WorkbookOnly):
            out.append(block)
            continue
        view = block.view if isinstance(block, ScreenOnly) else block
        assert isinstance(view, TableView)
        frame = view.frame.reset_index(drop=True)
        marks = {k: f for k, f in hidden.items() if f in frame and bool(frame[f].any())}
        if not marks:
            out.append(block)
            continue
        shown: dict[str, list[str]] = {}
        columns = []
        for c in view.columns:
            flag = marks.get(c.key)
            if flag is None:
                columns.append(c)
                continue
            key = f"{c.key}__marked"
            shown[key] = [
                SUPPRESSED_MARK if h else format_value(v, c, lang)
                for v, h in zip(frame[c.key], frame[flag].astype(bool), strict=True)
            ]
            columns.append(Column(key, c.label))
        marked = replace(view, frame=frame.assign(**shown), columns=columns)
        out.append(ScreenOnly(marked))
        if not isinstance(block, ScreenOnly):
            out.append(WorkbookOnly(view))
    return out


def budget_table(res: KPIResults, lang: Language) -> TableView:
    """Budget against actual year to date per account group."""
    df = res.budget.copy()
    df["label"] = df["account_group"].map(lambda g: g if g == TOTAL else TEXTS(f"acct.{g}", lang))
    return TableView(
        "Budget",
        df,
        [
            Column("label", TEXTS("col.account_group", lang)),
            Column("annual_budget", TEXTS("col.annual_budget", lang), "kr"),
            Column("budget_ytd", TEXTS("col.budget_ytd", lang), "kr"),
            Column("actual_ytd", TEXTS("col.actual_ytd", lang), "kr"),
            Column("deviation_kr", TEXTS("col.deviation_kr", lang), "kr", signed=True),
            Column("deviation_pct", TEXTS("col.deviation_pct", lang), "pct", signed=True),
            Column("expected_consumption_pct", TEXTS("col.expected_pct", lang), "pct"),
            Column("consumption_pct", TEXTS("col.consumption_pct", lang), "pct"),
            Column("forecast", TEXTS("col.forecast", lang), "kr"),
            Column("forecast_deviation_kr", TEXTS("col.forecast_dev", lang), "kr", signed=True),
            Column("needs_explanation", TEXTS("col.explain", lang), "bool"),
        ],
    )


def explanations_table(res: KPIResults, lang: Language) -> TableView | None:
    """The deviations above the materiality limits with their explanations (None if there are none)."""
    df = res.budget[res.budget["needs_explanation"] & (res.budget["account_group"] != TOTAL)].copy()
    if df.empty:
        return None
    df["label"] = df["account_group"].map(lambda g: TEXTS(f"acct.{g}", lang))
    df["text"] = df["explanation"].fillna(TEXTS("no_explanation", lang))
    return TableView(
        "Afvigelsesforklaringer" if lang == "da" else "Deviation explanations",
        df,
        [
            Column("label", TEXTS("col.account_group", lang)),
            Column("deviation_kr", TEXTS("col.deviation_kr", lang), "kr", signed=True),
            Column("deviation_pct", TEXTS("col.deviation_pct", lang), "pct", signed=True),
            Column("text", TEXTS("col.explanation", lang)),
        ],
    )


def hr_table(res: KPIResults, ctx: ReportContext) -> TableView:
    """Sick leave and overtime per staff group, suppressed below the privacy limit."""
    lang = ctx.lang
    n = ctx.params.privacy.min_group_size
    return TableView(
        "Sygefravær og overarbejde" if lang == "da" else "Sick leave and overtime",
        res.hr,
        [
            Column("staff_group", TEXTS("col.staff_group", lang)),
            Column("persons", TEXTS("col.persons", lang), "int"),
            Column("fte", TEXTS("col.fte", lang), "number"),
            Column("sick_pct", TEXTS("col.sick_pct_12m", lang), "pct"),
            Column("sick_pct_month", TEXTS("col.sick_pct_month", lang), "pct"),
            Column("sick_days_per_fte", TEXTS("col.sick_days", lang), "number"),
            Column("child_sick_pct", TEXTS("col.child_sick", lang), "pct"),
            Column("overtime_per_fte", TEXTS("col.overtime_fte", lang), "number"),
            Column("overtime_pct", TEXTS("col.overtime_pct", lang), "pct"),
            Column("extra_hours", TEXTS("col.extra_hours", lang), "int"),
        ],
        note=t("report.suppressed_note", lang, n=n, mark=SUPPRESSED_MARK),
        suppressed="suppressed",
    )


def absence_table(res: KPIResults, ctx: ReportContext) -> TableView:
    """The unit's absence as Statistics Denmark counts it, in the month and over 12 months."""
    lang = ctx.lang
    assert res.absence is not None
    df = res.absence.copy()
    unit = df["measure"].map(lambda m: TEXTS("unit.days" if m.endswith("per_fte") else "unit.pct", lang))
    df["label"] = (
        df["measure"].map(lambda m: DEFINITIONS[_ABSENCE_DEFINITION[m]].name(lang)) + " (" + unit + ")"
    )
    # The suppression mark only where persons exist: a unit without staff rows has no data.
    df["suppressed"] = df[["month", "last12"]].isna().all(axis=1) & (res.persons > 0)
    return TableView(
        TEXTS("absence_table.name", lang),
        df,
        [
            Column("label", TEXTS("col.measure", lang)),
            Column("month", TEXTS("col.in_month", lang), "number", decimals=1),
            Column("last12", TEXTS("col.last12", lang), "number", decimals=1),
        ],
        title=TEXTS("absence_table.title", lang),
        note=t("report.suppressed_note", lang, n=ctx.params.privacy.min_group_size, mark=SUPPRESSED_MARK),
        suppressed="suppressed",
    )


#: The definition shown for each absence measure (the table's row label).
_ABSENCE_DEFINITION = {
    "sick_pct": "sick_leave_pct",
    "child_sick_pct": "child_sick_pct",
    "all_absence_pct": "all_absence_pct",
    "sick_days_per_fte": "sick_days_per_fte",
    "absence_days_per_fte": "absence_days_per_fte",
}


def goals_table(res: KPIResults, lang: Language) -> TableView:
    """Goals with their status."""
    df = res.goals.copy()
    df["achievement_pct"] = df["achievement"] * 100
    df["direction_label"] = df["direction"].map(lambda d: TEXTS(f"dir.{d}", lang))
    return TableView(
        "Mål" if lang == "da" else "Goals",
        df,
        [
            Column("name", TEXTS("col.goal", lang)),
            Column("measure_unit", TEXTS("col.volume_unit", lang)),
            Column("direction_label", ""),
            Column("target", TEXTS("col.target", lang), "number"),
            Column("actual", TEXTS("col.actual", lang), "number"),
            Column("achievement_pct", TEXTS("col.achievement", lang), "pct", decimals=1),
            Column("status", TEXTS("col.status", lang), "status"),
        ],
    )


def _ratios_view(df: pd.DataFrame, ctx: ReportContext) -> TableView:
    """Key ratios side by side, one row per unit, this unit highlighted."""
    lang = ctx.lang
    return TableView(
        "Sammenligning" if lang == "da" else "Comparison",
        df,
        [
            Column("name", TEXTS("col.unit", lang)),
            Column("volume_vs_plan_ytd_pct", TEXTS("col.vol_vs_plan_ytd", lang), "pct", signed=True),
            Column("budget_deviation_ytd_pct", TEXTS("col.budget_dev_ytd", lang), "pct", signed=True),
            Column("sick_pct_12m", TEXTS("col.sick_pct_12m", lang), "pct"),
            Column("overtime_per_fte", TEXTS("col.overtime_fte", lang), "number"),
            Column("registration_coverage_pct", TEXTS("col.coverage", lang), "pct"),
            Column("goals_green_pct", TEXTS("col.goals_green", lang), "pct", decimals=0),
        ],
        suppressed="suppressed",
        highlight=ctx.unit.name,
    )


def comparison_table(ratios: pd.DataFrame, ctx: ReportContext) -> TableView:
    """The siblings' key ratios with the centre median as the last row."""
    lang = ctx.lang
    cols = list(KEY_RATIO_COLUMNS)
    median = ratios[cols].median(numeric_only=True)
    med_row = {
        "name": t("report.centre_median", lang),
        "unit_id": "",
        **median.to_dict(),
        "suppressed": False,
    }
    df = pd.concat([ratios, pd.DataFrame([med_row])], ignore_index=True)
    return _ratios_view(df, ctx)


def catalogue_table(catalogue: pd.DataFrame, ctx: ReportContext) -> TableView:
    """The catalogue KPIs of the unit with their values (person-based ones suppressed below the limit)."""
    from toolkit.core.definitions import DEFINITIONS
    from toolkit.core.formatting import fmt_kr, fmt_number, fmt_pct

    lang = ctx.lang
    df = catalogue.copy()
    df["label"] = df["key"].map(lambda k: DEFINITIONS[k].name(lang))
    df["area_label"] = df["area"].map(lambda a: TEXTS(f"area.{a}", lang))
    formats = {
        "%": lambda v: fmt_pct(v, 1, lang),
        "kr": lambda v: fmt_kr(v, lang),
        "FTE": lambda v: fmt_number(v, 1, lang),
    }
    no_data = TEXTS("card.no_data", lang)  # a KPI without a value has no input (no data, not 0)
    df["shown"] = [
        SUPPRESSED_MARK if s else (no_data if is_missing(v) else formats[u](v))
        for u, v, s in zip(df["unit"], df["value"], df["suppressed"], strict=True)
    ]
    return TableView(
        TEXTS("catalogue.table", lang),
        df,
        [
            Column("area_label", TEXTS("col.area", lang)),
            Column("label", TEXTS("col.kpi", lang)),
            Column("shown", TEXTS("col.value", lang)),
        ],
        note=t("report.suppressed_note", lang, n=ctx.params.privacy.min_group_size, mark=SUPPRESSED_MARK),
    )


def below_table(below: pd.DataFrame, ctx: ReportContext) -> TableView:
    """The key ratios of the units below and of the unit itself (the last row, highlighted)."""
    return _ratios_view(below, ctx)
