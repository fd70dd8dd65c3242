"""The shift-planning self-assessment: scores per theme and statement, and judgement against data.

A department's management team rates how far it has come in six themes (competences,
organisation, agreements, system support, link to activity, management information): for each
statement of the bank, the **current status** and the **desired potential** on a scale of 1 to 5.
Several raters per unit are allowed, one form each.

The bank
    :mod:`.bank`: ``params/shift_assessment/statements.yaml`` (our own; the official statements
    could not be obtained) or the institution's ``shift_assessment.statements_file``.
The form
    :mod:`.forms`: ``toolkit template shift-assessment`` writes it; filled forms lie in
    ``<data>/forms/shift-assessment/<unit_id>/*.xlsx`` and are checked cell by cell.
This module
    combines a unit's forms into one anonymised :class:`Assessment` (raters numbered R1, R2,
    ... in file-name order), scores it per theme and statement, and sets it against the
    unit's roster facts (:func:`judge`).

The bank's and the form's names are importable from here too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.analyses.shift_assessment.bank import (
    SCALE,
    THEMES,
    Bank,
    Statement,
    Text,
    Theme,
    bank_path,
    load_bank,
)
from toolkit.analyses.shift_assessment.forms import (
    ASSESSMENT_SHEET,
    COMMENT_COL,
    CURRENT_COL,
    DATE_CELL,
    DESIRED_COL,
    FIRST_ROW,
    FORM_NAME,
    FORMS_DIR,
    HEADER_ROW,
    ID_COL,
    INSTRUCTIONS_SHEET,
    RATER_CELL,
    TEXT_COL,
    THEME_COL,
    UNIT_CELL,
    FilledAnswers,
    FormAnswers,
    FormProblem,
    check_forms,
    form_files,
    read_form,
    read_unit_forms,
    template,
    write_form,
)
from toolkit.core.definitions import Definition, define
from toolkit.core.errors import DataValidationError
from toolkit.data.sources import DataSource

__all__ = [
    "ASSESSMENT_SHEET",
    "COMMENT_COL",
    "CURRENT_COL",
    "DATE_CELL",
    "DESIRED_COL",
    "FACTS",
    "FIRST_ROW",
    "FORMS_DIR",
    "FORM_NAME",
    "HEADER_ROW",
    "ID_COL",
    "INSTRUCTIONS_SHEET",
    "JUDGEMENT_VS_DATA",
    "RATER_CELL",
    "SCALE",
    "SELF_ASSESSMENT",
    "TEXT_COL",
    "THEMES",
    "THEME_COL",
    "UNIT_CELL",
    "VERDICTS",
    "Assessment",
    "Bank",
    "FactSpec",
    "FilledAnswers",
    "FormAnswers",
    "FormProblem",
    "Statement",
    "Text",
    "Theme",
    "assessment_from_answers",
    "bank_path",
    "check_forms",
    "form_files",
    "judge",
    "load_bank",
    "read_assessment",
    "read_form",
    "read_unit_forms",
    "statement_scores",
    "template",
    "theme_facts",
    "theme_scores",
    "write_form",
]


SELF_ASSESSMENT = Definition(
    "self_assessment",
    "Selvvurdering: nuværende status, ønsket potentiale og gab",
    "Self-assessment: current status, desired potential and gap",
    "Hver bedømmer giver hvert udsagn et tal fra 1 (ikke påbegyndt) til 5 (fuldt systematisk) for "
    "nuværende status og for ønsket potentiale. Et temas værdi er gennemsnittet over bedømmerne af "
    "hver bedømmers gennemsnit over temaets udsagn, så hver bedømmer vejer lige meget. Gab = ønsket "
    "potentiale − nuværende status. Spredningen er laveste og højeste bedømmers temagennemsnit. "
    "Udsagnene er toolkittets egne (de officielle kunne ikke skaffes) og kan erstattes.",
    "Each rater gives every statement a number from 1 (not started) to 5 (fully systematic) for "
    "the current status and for the desired potential. A theme's value is the mean over the "
    "raters of each rater's mean over the theme's statements, so every rater weighs the same. "
    "Gap = desired potential − current status. The spread is the lowest and highest rater's "
    "theme mean. The statements are the toolkit's own (the official ones could not be obtained) "
    "and can be replaced.",
)


@dataclass(frozen=True)
class Assessment:
    """The unit's filled forms, anonymised: scores per rater number and statement."""

    unit_id: str
    bank: Bank
    scores: pd.DataFrame  # rater_no, statement_id, theme, current, desired
    dates: tuple[date, ...] = field(default_factory=tuple)

    @property
    def n_raters(self) -> int:
        """How many raters filled in a form."""
        return int(self.scores["rater_no"].nunique()) if len(self.scores) else 0


def read_assessment(source: DataSource, unit_id: str, bank: Bank) -> Assessment:
    """The unit's self-assessment from its filled forms (none filled in: an empty assessment).

    Raises
    ------
    DataValidationError
        If a form is incomplete, mis-typed or does not follow ``bank``; every message names
        the file, the sheet and the cell.
    """
    try:
        root = source.original_folder
    except NotImplementedError:  # a source without a folder holds no forms
        return Assessment(unit_id, bank, _empty_scores())
    answers, problems = read_unit_forms(Path(root), unit_id, bank)
    if problems:
        raise DataValidationError(problems)
    return assessment_from_answers(unit_id, bank, answers)


def _empty_scores() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "rater_no": pd.Series(dtype="str"),
            "statement_id": pd.Series(dtype="str"),
            "theme": pd.Series(dtype="str"),
            "current": pd.Series(dtype="int64"),
            "desired": pd.Series(dtype="int64"),
        }
    )


def assessment_from_answers(unit_id: str, bank: Bank, answers: Sequence[FormAnswers]) -> Assessment:
    """Combine forms into one anonymised assessment (raters numbered R1, R2, ... in file order)."""
    if not answers:
        return Assessment(unit_id, bank, _empty_scores())
    theme_of = bank.statements().set_index("statement_id")["theme"]
    parts = []
    for i, form in enumerate(sorted(answers, key=lambda f: f.file), start=1):
        part = form.scores.assign(rater_no=f"R{i}")
        parts.append(part)
    scores = pd.concat(parts, ignore_index=True)
    scores["theme"] = scores["statement_id"].map(theme_of)
    scores = scores[["rater_no", "statement_id", "theme", "current", "desired"]]
    return Assessment(unit_id, bank, scores, tuple(sorted(f.on for f in answers)))


@define(SELF_ASSESSMENT)
def theme_scores(scores: pd.DataFrame, bank: Bank) -> pd.DataFrame:
    """Current status, desired potential, gap and rater spread per theme.

    Parameters
    ----------
    scores
        ``rater_no``, ``theme``, ``current``, ``desired`` (one row per rater and statement).
    bank
        The statement bank (gives the themes and their order).

    Returns
    -------
    DataFrame
        One row per theme in bank order: ``theme``, ``n_raters``, ``current``, ``desired``,
        ``gap``, ``current_min``, ``current_max``, ``desired_min``, ``desired_max``,
        ``gap_rank`` (1 = largest gap). Values are missing for a theme nobody rated.
    """
    themes = [t.id for t in bank.themes]
    per_rater = scores.groupby(["theme", "rater_no"], sort=False)[["current", "desired"]].mean()
    agg = per_rater.groupby(level="theme").agg(
        n_raters=("current", "size"),
        current=("current", "mean"),
        desired=("desired", "mean"),
        current_min=("current", "min"),
        current_max=("current", "max"),
        desired_min=("desired", "min"),
        desired_max=("desired", "max"),
    )
    out = agg.reindex(themes)
    out["n_raters"] = out["n_raters"].fillna(0).astype(int)
    out["gap"] = out["desired"] - out["current"]
    out["gap_rank"] = out["gap"].rank(ascending=False, method="min").astype("Int64")
    cols = [
        "n_raters",
        "current",
        "desired",
        "gap",
        "current_min",
        "current_max",
        "desired_min",
        "desired_max",
        "gap_rank",
    ]
    return out[cols].reset_index(names="theme")


@define(SELF_ASSESSMENT)
def statement_scores(scores: pd.DataFrame, bank: Bank) -> pd.DataFrame:
    """Mean current status, desired potential and gap per statement, with the rater spread.

    Returns
    -------
    DataFrame
        One row per statement in bank order: ``statement_id``, ``theme``, ``text_da``,
        ``text_en``, ``n_raters``, ``current``, ``desired``, ``gap``, ``current_min``,
        ``current_max``.
    """
    bank_rows = bank.statements()
    agg = scores.groupby("statement_id").agg(
        n_raters=("current", "size"),
        current=("current", "mean"),
        desired=("desired", "mean"),
        current_min=("current", "min"),
        current_max=("current", "max"),
    )
    out = bank_rows.merge(agg, left_on="statement_id", right_index=True, how="left")
    out["n_raters"] = out["n_raters"].fillna(0).astype(int)
    out["gap"] = out["desired"] - out["current"]
    cols = [
        "statement_id",
        "theme",
        "text_da",
        "text_en",
        "n_raters",
        "current",
        "desired",
        "gap",
        "current_min",
        "current_max",
    ]
    return out.sort_values("order", kind="stable")[cols].reset_index(drop=True)


# --------------------------------------------------------------------------- judgement against data


@dataclass(frozen=True)
class FactSpec:
    """A roster fact and the theme it speaks to.

    ``higher_is_worse``: a value above the limit is a problem (else: below the limit).
    """

    key: str
    theme: str
    kind: str  # pct, index, hours, count
    higher_is_worse: bool = True


#: Which roster facts speak to which theme (in display order).
FACTS: tuple[FactSpec, ...] = (
    FactSpec("agency_pct", "competences", "pct"),
    FactSpec("agency_night_pct", "competences", "pct"),
    FactSpec("short_notice_pct", "organisation", "pct"),
    FactSpec("sick_pct_12m", "organisation", "pct"),
    FactSpec("rest_breach_pct", "agreements", "pct"),
    FactSpec("persons_over_cap", "agreements", "count"),
    FactSpec("overtime_pct", "agreements", "pct"),
    FactSpec("toil_per_fte", "agreements", "hours"),
    FactSpec("registration_pct", "system_support", "pct", higher_is_worse=False),
    FactSpec("mismatch_index", "link_to_activity", "index"),
    FactSpec("alerts_elsewhere", "management_information", "count"),
)

JUDGEMENT_VS_DATA = Definition(
    "judgement_vs_data",
    "Vurdering mod data",
    "Judgement against data",
    "Hvert tema har nøgletal fra vagtplan og patientstrøm, der taler til det (se tabellen). Et "
    "nøgletal er et problem, når det ligger på den forkerte side af sin opmærksomhedsgrænse "
    "(parametre). Ledelsesinformation får som nøgletal antallet af problemer i de andre temaer "
    "(mindst to er et problem: tallene viser noget, som fast opfølgning burde have fanget). "
    "Vurdering og data er uenige, når temaet er vurderet til mindst den høje grænse, men data viser "
    "et problem (vurderingen er højere end data), eller når temaet er vurderet til højst den lave "
    "grænse, men ingen nøgletal viser et problem.",
    "Each theme has figures from the roster and the patient flow that speak to it (see the "
    "table). A figure is a problem when it lies on the wrong side of its alert level "
    "(parameters). Management information gets as its figure the number of problems in the other "
    "themes (two or more is a problem: the figures show something regular follow-up should have "
    "caught). Judgement and data disagree when the theme is rated at least the high limit while "
    "the data show a problem (the rating is higher than the data), or rated at most the low limit "
    "while no figure shows a problem.",
)

VERDICTS = ("no_rating", "no_data", "data_worse", "data_better", "agree_problem", "agree_ok")


def theme_facts(values: Mapping[str, float | None], limits: Mapping[str, float]) -> pd.DataFrame:
    """The roster facts per theme, each with its alert level and whether it is a problem.

    Parameters
    ----------
    values
        Fact key → value (missing or None: not available). ``alerts_elsewhere`` is computed here.
    limits
        Fact key → alert level (``alerts_elsewhere`` defaults to 1: two or more is a problem).

    Returns
    -------
    DataFrame
        ``theme``, ``key``, ``kind``, ``value``, ``limit``, ``higher_is_worse``, ``flagged``
        (False where the value is missing), in :data:`FACTS` order.
    """
    rows = []
    for spec in FACTS:
        if spec.key == "alerts_elsewhere":
            continue
        value = values.get(spec.key)
        value = None if value is None or (isinstance(value, float) and np.isnan(value)) else float(value)
        limit = float(limits[spec.key])
        flagged = value is not None and (value > limit if spec.higher_is_worse else value < limit)
        rows.append((spec.theme, spec.key, spec.kind, value, limit, spec.higher_is_worse, flagged))
    n_flagged = sum(r[-1] for r in rows)
    other_limit = float(limits.get("alerts_elsewhere", 1))
    rows.append(
        (
            "management_information",
            "alerts_elsewhere",
            "count",
            float(n_flagged),
            other_limit,
            True,
            n_flagged > other_limit,
        )
    )
    order = {s.key: i for i, s in enumerate(FACTS)}
    out = pd.DataFrame(rows, columns=["theme", "key", "kind", "value", "limit", "higher_is_worse", "flagged"])
    out["value"] = out["value"].astype("float64")
    return out.sort_values("key", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)


@define(JUDGEMENT_VS_DATA)
def judge(themes: pd.DataFrame, facts: pd.DataFrame, *, high: float, low: float) -> pd.DataFrame:
    """Set the unit's own judgement (theme scores) against its data (theme facts).

    Returns
    -------
    DataFrame
        The rows of ``themes`` with ``n_facts`` (facts available), ``n_flagged`` and
        ``verdict``: ``no_rating`` (nobody rated the theme), ``no_data`` (no fact available),
        ``data_worse`` (rated ≥ ``high`` but a fact is a problem), ``data_better`` (rated
        ≤ ``low`` but no fact is a problem), ``agree_problem`` or ``agree_ok``.
    """
    if low >= high:
        raise ValueError(f"low ({low}) must be below high ({high})")
    avail = facts[facts["value"].notna()]
    n_facts = avail.groupby("theme").size()
    n_flagged = avail.groupby("theme")["flagged"].sum()
    out = themes.copy()
    out["n_facts"] = out["theme"].map(n_facts).fillna(0).astype(int)
    out["n_flagged"] = out["theme"].map(n_flagged).fillna(0).astype(int)
    current = out["current"].astype("float64")
    problem = out["n_flagged"] > 0
    out["verdict"] = np.select(
        [
            current.isna(),
            out["n_facts"] == 0,
            problem & (current >= high),
            ~problem & (current <= low),
            problem,
        ],
        ["no_rating", "no_data", "data_worse", "data_better", "agree_problem"],
        default="agree_ok",
    )
    return out
