"""The tables of the shift-planning report (shown, and in the workbook beside it)."""

from __future__ import annotations

import pandas as pd

from toolkit.analyses.shift_assessment.results import ShiftResults
from toolkit.analyses.shift_assessment.texts import TEXTS
from toolkit.analyses.shift_assessment.wording import fact_text, score_text, theme_names, verdict_text
from toolkit.core.formatting import Language, fmt_month, is_missing
from toolkit.core.i18n import t
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


def _suppressed_note(ctx: ReportContext) -> str:
    """The note under a table whose small groups are suppressed."""
    n = ctx.params.privacy.min_group_size
    return t("report.suppressed_note", ctx.lang, n=n, mark=SUPPRESSED_MARK)


def themes_table(res: ShiftResults, lang: Language) -> TableView:
    """Current, desired, gap and rater spread per theme."""
    df = res.themes.copy()
    names = theme_names(res, lang)
    df["name"] = df["theme"].map(names)
    df["spread"] = [
        f"{score_text(lo, lang)}–{score_text(hi, lang)}" if not is_missing(lo) else "–"
        for lo, hi in zip(df["current_min"], df["current_max"], strict=True)
    ]
    return TableView(
        "Selvvurdering" if lang == "da" else "Self-assessment",
        df,
        [
            Column("name", TEXTS("col.theme", lang)),
            Column("n_raters", TEXTS("col.raters", lang), "int"),
            Column("current", TEXTS("col.current", lang), "number"),
            Column("desired", TEXTS("col.desired", lang), "number"),
            Column("gap", TEXTS("col.gap", lang), "number", signed=True),
            Column("spread", TEXTS("col.spread", lang)),
            Column("gap_rank", TEXTS("col.rank", lang), "int"),
        ],
    )


def statements_table(res: ShiftResults, lang: Language) -> TableView:
    """Every statement's mean scores (for the workbook)."""
    df = res.statements.copy()
    df["text"] = df["text_da"] if lang == "da" else df["text_en"]
    df["theme_name"] = df["theme"].map(theme_names(res, lang))
    return TableView(
        "Udsagn" if lang == "da" else "Statements",
        df,
        [
            Column("statement_id", TEXTS("col.statement_id", lang)),
            Column("theme_name", TEXTS("col.theme", lang)),
            Column("text", TEXTS("col.statement", lang)),
            Column("n_raters", TEXTS("col.raters", lang), "int"),
            Column("current", TEXTS("col.current", lang), "number"),
            Column("desired", TEXTS("col.desired", lang), "number"),
            Column("gap", TEXTS("col.gap", lang), "number", signed=True),
        ],
    )


def judgement_table(res: ShiftResults, lang: Language) -> TableView:
    """Per theme: the rating, the figures that speak to it, and the verdict in plain words."""
    names = theme_names(res, lang)
    rows = []
    for _, row in res.themes.iterrows():
        theme_facts = res.facts[res.facts["theme"] == row["theme"]]
        facts_text = "; ".join(fact_text(f, lang) for _, f in theme_facts.iterrows())
        rows.append(
            {
                "name": names[row["theme"]],
                "current": row["current"],
                "desired": row["desired"],
                "facts": facts_text,
                "verdict": verdict_text(row, lang),
            }
        )
    return TableView(
        "Vurdering og data" if lang == "da" else "Judgement and data",
        pd.DataFrame(rows),
        [
            Column("name", TEXTS("col.theme", lang)),
            Column("current", TEXTS("col.current", lang), "number"),
            Column("facts", TEXTS("col.facts", lang)),
            Column("verdict", TEXTS("col.verdict", lang)),
        ],
    )


def rest_table(res: ShiftResults, ctx: ReportContext) -> TableView:
    """Rest-time breaches per month: counts only, never persons."""
    lang = ctx.lang
    df = res.rest.assign(month=[fmt_month(p, lang, short=True) for p in res.rest["period"]])
    return TableView(
        "Hviletid" if lang == "da" else "Rest time",
        df.iloc[::-1].reset_index(drop=True),
        [
            Column("month", TEXTS("col.month", lang)),
            Column("stretches", TEXTS("col.stretches", lang), "int"),
            Column("breaches", TEXTS("col.breaches", lang), "int"),
            Column("under_reduced", TEXTS("col.under8", lang), "int"),
            Column("reduced", TEXTS("col.reduced", lang), "int"),
            Column("breach_pct", TEXTS("col.breach_pct", lang), "pct"),
            Column("long_stretches", TEXTS("col.long", lang), "int"),
            Column("persons_over_month_cap", TEXTS("col.over_month", lang), "int"),
            Column("persons_over_year_cap", TEXTS("col.over_year", lang), "int"),
        ],
        note=_suppressed_note(ctx),
        suppressed="suppressed",
    )


def monthly_table(monthly: pd.DataFrame, ctx: ReportContext) -> TableView:
    """Overtime, agency, short notice and registration month by month (newest first).

    ``monthly`` is :attr:`ShiftResults.monthly` (with its ``suppressed`` column).
    """
    lang = ctx.lang
    return TableView(
        "Udvikling" if lang == "da" else "Trends",
        monthly.assign(month=[fmt_month(p, lang, short=True) for p in monthly["period"]])
        .iloc[::-1]
        .reset_index(drop=True),
        [
            Column("month", TEXTS("col.month", lang)),
            Column("shifts", TEXTS("col.shifts", lang), "int"),
            Column("overtime_pct", TEXTS("col.overtime_pct", lang), "pct"),
            Column("agency_pct", TEXTS("col.agency_pct", lang), "pct"),
            Column("agency_cost_pct", TEXTS("col.agency_cost_pct", lang), "pct"),
            Column("agency_night_pct", TEXTS("col.agency_night_pct", lang), "pct"),
            Column("short_notice_pct", TEXTS("col.short_notice_pct", lang), "pct"),
            Column("registered_pct", TEXTS("col.registered_pct", lang), "pct"),
        ],
        note=_suppressed_note(ctx),
        suppressed="suppressed",
    )


def group_table(res: ShiftResults, ctx: ReportContext) -> TableView:
    """Figures per staff group for the month, groups under the privacy limit suppressed."""
    lang = ctx.lang
    return TableView(
        "Personalegrupper" if lang == "da" else "Staff groups",
        res.groups,
        [
            Column("staff_group", TEXTS("col.staff_group", lang)),
            Column("persons", TEXTS("col.persons", lang), "int"),
            Column("shifts", TEXTS("col.shifts", lang), "int"),
            Column("overtime_pct", TEXTS("col.overtime_pct", lang), "pct"),
            Column("agency_pct", TEXTS("col.agency_pct", lang), "pct"),
            Column("short_notice_pct", TEXTS("col.short_notice_pct", lang), "pct"),
            Column("registered_pct", TEXTS("col.registered_pct", lang), "pct"),
            Column("toil_per_fte", TEXTS("col.toil_per_fte", lang), "number"),
            Column("sick_pct", TEXTS("col.sick_pct", lang), "pct"),
        ],
        note=_suppressed_note(ctx),
        suppressed="suppressed",
    )


#: The group table's columns read from the HR and time-off tables (missing without their rows).
HR_GROUP_COLUMNS = ("toil_per_fte", "sick_pct")


def group_blocks(res: ShiftResults, ctx: ReportContext) -> list[Block]:
    """:func:`group_table` as shown: "ingen data" where a staff group's HR figures have no rows.

    Time off in lieu per FTE and sick leave need the HR table (and the time-off balances); a
    group that is not suppressed and has no such rows shows "ingen data" (no data, not a dash);
    a suppressed group keeps the suppression mark. The workbook gets the raw values.
    """
    view = group_table(res, ctx)
    frame = view.frame.reset_index(drop=True)
    hidden = frame["suppressed"].fillna(False).astype(bool)
    gaps = frame[list(HR_GROUP_COLUMNS)].isna().any(axis=1) & ~hidden
    if not gaps.any():
        return [view]
    text = TEXTS("card.no_data", ctx.lang)
    columns, shown = [], {}
    for c in view.columns:
        if c.key not in HR_GROUP_COLUMNS:
            columns.append(c)
            continue
        shown[f"{c.key}__shown"] = [
            SUPPRESSED_MARK if h else (text if is_missing(v) else format_value(v, c, ctx.lang))
            for v, h in zip(frame[c.key], hidden, strict=True)
        ]
        columns.append(Column(f"{c.key}__shown", c.label))
    screen = TableView(view.name, frame.assign(**shown), columns, note=view.note, suppressed="suppressed")
    return [ScreenOnly(screen), WorkbookOnly(view)]


def profile_table(res: ShiftResults, lang: Language) -> TableView | None:
    """The 168 hours of the week: staff, patients and ratio (for the workbook)."""
    prof = res.staffing.profile
    if prof is None:
        return None
    df = prof.copy()
    df["day"] = df["weekday"].map(lambda d: TEXTS(f"day.{d}", lang))
    return TableView(
        "Ugens timer" if lang == "da" else "Hours of the week",
        df,
        [
            Column("day", TEXTS("col.weekday", lang)),
            Column("hour", TEXTS("col.hour", lang), "int"),
            Column("staff", TEXTS("col.staff", lang), "number", decimals=2),
            Column("demand", TEXTS("col.demand", lang), "number", decimals=2),
            Column("ratio", TEXTS("col.ratio", lang), "number", decimals=3),
        ],
    )


def steps_table(steps: pd.DataFrame, lang: Language) -> TableView:
    """The suggested next steps as a table."""
    df = steps.copy()
    # Show the theme and the reason once per theme.
    repeat = df["theme"].eq(df["theme"].shift())
    df["name_shown"] = df["name"].where(~repeat, "")
    df["why_shown"] = df["why"].where(~repeat, "")
    return TableView(
        "Næste skridt" if lang == "da" else "Next steps",
        df,
        [
            Column("name_shown", TEXTS("col.theme", lang)),
            Column("why_shown", TEXTS("col.why", lang)),
            Column("step", TEXTS("col.step", lang)),
        ],
    )
