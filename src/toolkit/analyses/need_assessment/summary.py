"""The top of the department report: the headline sentences, the cards and the KPIs in the JSON file."""

from __future__ import annotations

import pandas as pd

from toolkit.analyses.need_assessment.assessment import CONCENTRATION_PCT, NeedResults, disagreements
from toolkit.analyses.need_assessment.labels import decap, key_label, tool_names
from toolkit.analyses.need_assessment.texts import TEXTS
from toolkit.core.formatting import Language, fmt_number, fmt_pct, join_words
from toolkit.report.blocks import Card, Report
from toolkit.report.context import ReportContext
from toolkit.report.narrative import in_order

#: Two and three activities in words, with the plural noun, for the cost concentration.
NUMBER_WORDS = {
    "da": {2: ("To", "aktiviteter"), 3: ("Tre", "aktiviteter")},
    "en": {2: ("Two", "activities"), 3: ("Three", "activities")},
}


def headline(res: NeedResults, ctx: ReportContext) -> list[str]:
    """3–5 plain sentences generated from the numbers, in a fixed reading order.

    Cost concentration; highest need (after it, when there are no forms, that the score rests
    on data only); the missing tools of the high-need activities (or of the top activity when
    none is high); their registration; the raters' widest disagreement.
    """
    return in_order(_sentences(res, ctx.lang))


def _sentences(res: NeedResults, lang: Language) -> list[str]:
    p = res.params
    names = res.names
    out = []
    conc = res.concentration
    if len(conc):
        count = len(conc)
        pct = fmt_pct(float(conc["cumulative_pct"].iloc[-1]), 0, lang)
        listed = join_words([names[a] for a in conc["activity_id"]], lang)
        if float(conc["cumulative_pct"].iloc[-1]) >= CONCENTRATION_PCT - 1e-9:
            if count == 1:
                out.append(TEXTS("hl.concentration_one", lang, pct=pct, names=listed))
            else:
                word, noun = NUMBER_WORDS[lang][count]
                out.append(TEXTS("hl.concentration", lang, count=word, noun=noun, pct=pct, names=listed))
        else:
            out.append(TEXTS("hl.concentration_spread", lang, count=count, pct=pct, names=listed))
    ranked = res.ranked.dropna(subset=["score"])
    if len(ranked):
        top = ranked.head(2)
        listed = join_words([f"{r.name} ({fmt_number(r.score, 1, lang)})" for r in top.itertuples()], lang)
        n_high = len(res.high)
        limit = fmt_number(p.high_need, 1, lang)
        key = "hl.top" if n_high > 1 else ("hl.top_one" if n_high else "hl.top_none")
        out.append(TEXTS(key, lang, names=listed, n=n_high, total=len(ranked), limit=limit))
    # The high-need activities, or (if none) the activity with the highest score.
    focus = res.high or list(ranked["activity_id"].head(1))
    if focus:
        out += _gap_sentence(res, focus, lang)
        out += _registration_sentence(res, focus, is_high=bool(res.high), lang=lang)
    if not res.forms.n_raters:
        out.insert(1, TEXTS("hl.no_forms", lang))
    else:
        widest = disagreements(res)
        if len(widest):
            top = widest.iloc[0]
            out.append(
                TEXTS(
                    "hl.disagree",
                    lang,
                    criterion=decap(key_label(top["key"], p, lang)),
                    name=names[top["activity_id"]],
                    low=fmt_number(top["low"], 0, lang),
                    high=fmt_number(top["high"], 0, lang),
                )
            )
    return out


def _gap_sentence(res: NeedResults, focus: list[str], lang: Language) -> list[str]:
    """The recommended tools the focus activities lack today."""
    p = res.params
    gap = res.plan.gap.loc[focus]
    n_gap = int(gap.to_numpy().sum())
    if len(focus) == 1:
        name = res.names[focus[0]]
        if not n_gap:
            return [TEXTS("hl.gap_activity_none", lang, name=name)]
        missing_tools = [
            decap(n) for n in tool_names(list(gap.columns[gap.iloc[0].to_numpy(dtype=bool)]), p, lang)
        ]
        count = TEXTS("hl.tools_one", lang) if n_gap == 1 else TEXTS("hl.tools_n", lang, n=n_gap)
        return [TEXTS("hl.gap_activity", lang, name=name, count=count, tools=join_words(missing_tools, lang))]
    if n_gap:
        most = gap.sum().sort_values(ascending=False, kind="stable").index[0]
        key = "hl.gap_one" if n_gap == 1 else "hl.gap"
        return [TEXTS(key, lang, n=n_gap, tool=decap(tool_names([most], p, lang)[0]))]
    return [TEXTS("hl.gap_none", lang)]


def _registration_sentence(res: NeedResults, focus: list[str], *, is_high: bool, lang: Language) -> list[str]:
    """Whether the focus activities exist in both the time and the finance data."""
    names = res.names
    pres = res.activities.set_index("activity_id").loc[focus]
    no_fin = [a for a in focus if not pres.loc[a, "in_finance"]]
    no_hours = [a for a in focus if not pres.loc[a, "in_hours"]]
    missing = [a for a in focus if a in no_fin or a in no_hours]
    if missing:
        where = (
            "hl.where_both" if no_fin and no_hours else ("hl.where_finance" if no_fin else "hl.where_hours")
        )
        if where == "hl.where_finance" and not res.activities["in_finance"].any():
            where = "hl.where_finance_none"  # no finance rows at all: no data, not salary by hours
        key = "hl.registration" if is_high else "hl.registration_top"
        return [
            TEXTS(key, lang, names=join_words([names[a] for a in missing], lang), where=TEXTS(where, lang))
        ]
    if is_high:
        return [TEXTS("hl.registration_ok", lang)]
    return [TEXTS("hl.registration_ok_top", lang, names=names[focus[0]])]


def cards(res: NeedResults, ctx: ReportContext) -> list[Card]:
    """The boxes under the headline."""
    lang = ctx.lang
    p = res.params
    ranked = res.ranked.dropna(subset=["score"])
    high = res.high
    gap = res.high_gap
    missing = res.high_missing_registration
    top = ranked.iloc[0] if len(ranked) else None
    return [
        Card(TEXTS("card.activities", lang), fmt_number(len(res.activities), 0, lang)),
        Card(
            TEXTS("card.high", lang),
            fmt_number(len(high), 0, lang),
            TEXTS("card.high_detail", lang, limit=fmt_number(p.high_need, 1, lang)),
            "amber" if high else "green",
        ),
        Card(
            TEXTS("card.top", lang),
            fmt_number(top["score"], 1, lang) if top is not None else "–",
            str(top["name"]) if top is not None else None,
        ),
        Card(
            TEXTS("card.raters", lang),
            fmt_number(res.forms.n_raters, 0, lang),
            TEXTS("card.raters_detail" if res.forms.n_raters else "card.raters_none", lang),
            "neutral" if res.forms.n_raters else "amber",
        ),
        Card(
            TEXTS("card.gap", lang),
            fmt_number(gap, 0, lang),
            TEXTS("card.gap_detail", lang),
            "red" if gap >= 3 else ("amber" if gap else "green"),
        ),
        Card(
            TEXTS("card.registration", lang),
            fmt_number(missing, 0, lang),
            TEXTS("card.registration_detail", lang),
            "red" if missing else "green",
        ),
    ]


def record_kpis(report: Report, res: NeedResults, ctx: ReportContext) -> None:
    """The headline values for the JSON file beside the report."""
    lang = ctx.lang
    ranked = res.ranked.dropna(subset=["score"])
    report.kpi("activities", TEXTS("card.activities", lang), float(len(res.activities)), "count")
    report.kpi("high_need_activities", TEXTS("card.high", lang), float(len(res.high)), "count")
    report.kpi(
        "top_score",
        TEXTS("card.top", lang),
        float(ranked["score"].iloc[0]) if len(ranked) else None,
        "score 1-5",
    )
    report.kpi("raters", TEXTS("card.raters", lang), float(res.forms.n_raters), "count")
    report.kpi("missing_tools_high_need", TEXTS("card.gap", lang), float(res.high_gap), "count")
    report.kpi(
        "high_need_missing_registration",
        TEXTS("card.registration", lang),
        float(res.high_missing_registration),
        "count",
    )
    report.kpi(
        "top3_cost_share_pct",
        TEXTS("kpi.top3", lang),
        _top3_share(res.indicators["cost_share_pct"]),
        "%",
    )


def _top3_share(shares: pd.Series) -> float | None:
    """The three largest cost shares' sum, in %; None (no data) when no activity has a cost share
    (no finance or no hours rows), never 0."""
    known = shares.dropna()
    return float(known.nlargest(3).sum()) if len(known) else None
