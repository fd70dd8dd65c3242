"""Filled self-assessment forms for the sample data: 2–4 raters per department.

Registered with :func:`toolkit.data.samples.register_files`, so ``toolkit sample-data`` writes
them under ``forms/shift-assessment/<unit>/`` next to the sample rosters
(:mod:`toolkit.analyses.shift_assessment.sample`). Each department's raters tell its own story
(e.g. the emergency department rates its link to activity high while its staffing is static).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.analyses.shift_assessment.assessment import (
    ASSESSMENT_SHEET,
    FORMS_DIR,
    THEMES,
    Bank,
    FilledAnswers,
    load_bank,
    read_form,
    write_form,
)
from toolkit.core import config
from toolkit.core.formatting import Language
from toolkit.data.samples import SampleContext, register_files

#: The story each department's raters tell: theme → typical current status (desired = current + gap).
RATINGS: dict[str, dict[str, float]] = {
    "AKU": {
        "competences": 3.2,
        "organisation": 3.0,
        "agreements": 2.8,
        "system_support": 3.0,
        "link_to_activity": 4.3,
        "management_information": 3.2,
    },
    "ORT": {
        "competences": 3.4,
        "organisation": 3.2,
        "agreements": 4.2,
        "system_support": 3.3,
        "link_to_activity": 2.8,
        "management_information": 2.6,
    },
    "LUN": {
        "competences": 3.0,
        "organisation": 4.2,
        "agreements": 3.0,
        "system_support": 2.8,
        "link_to_activity": 3.0,
        "management_information": 2.4,
    },
    "GER": {
        "competences": 2.8,
        "organisation": 3.0,
        "agreements": 3.2,
        "system_support": 4.3,
        "link_to_activity": 2.6,
        "management_information": 2.5,
    },
    "KAR": {
        "competences": 3.8,
        "organisation": 3.9,
        "agreements": 3.7,
        "system_support": 3.6,
        "link_to_activity": 4.1,
        "management_information": 3.8,
    },
    "END": {
        "competences": 2.0,
        "organisation": 1.8,
        "agreements": 2.2,
        "system_support": 2.4,
        "link_to_activity": 1.8,
        "management_information": 2.0,
    },
}
RATER_ROLES = [
    "Afdelingssygeplejerske",
    "Ledende overlæge",
    "HR-partner",
    "Vagtplanlægger",
    "Oversygeplejerske",
]
RATER_ROLES_EN = ["Head nurse", "Chief physician", "HR partner", "Roster planner", "Senior nurse"]


def sample_answers(
    rng: np.random.Generator, code: str, statements: pd.DataFrame, n_raters: int, on: date, lang: Language
) -> list[FilledAnswers]:
    """Filled answers for a department's raters (its story plus each rater's own view)."""
    story = RATINGS.get(code) or {t: float(rng.uniform(2.4, 3.6)) for t in THEMES}
    gap = {t: float(rng.uniform(0.8, 1.8)) for t in THEMES}
    roles = RATER_ROLES if lang == "da" else RATER_ROLES_EN
    out = []
    for i in range(n_raters):
        lean = rng.normal(0, 0.35)
        theme_of = statements["theme"].to_numpy()
        base = np.array([story[t] for t in theme_of]) + lean
        current = np.clip(np.round(base + rng.normal(0, 0.55, len(base))), 1, 5).astype(int)
        want = np.array([gap[t] for t in theme_of])
        desired = np.clip(np.round(current + want + rng.normal(0, 0.5, len(base))), current, 5).astype(int)
        ids = statements["statement_id"].tolist()
        out.append(
            FilledAnswers(
                rater=roles[i % len(roles)],
                on=on,
                current=dict(zip(ids, current.tolist(), strict=True)),
                desired=dict(zip(ids, desired.tolist(), strict=True)),
            )
        )
    return out


@register_files("shift-assessment")
def write_forms(ctx: SampleContext, out: Path) -> list[Path]:
    """Filled forms for every department: 2–4 raters each (files left alone when unchanged)."""
    rng = ctx.rng_for("shift-assessment-forms")
    bank = load_bank(config.PARAMS_DIR / "shift_assessment" / "statements.yaml")
    statements = bank.statements()
    on = (pd.Period(ctx.end, freq="M").start_time + pd.Timedelta(days=9)).date()
    written: list[Path] = []
    english = {"KBA"}  # FS-KBA's parameters make its reports English
    for dep in ctx.departments.itertuples(index=False):
        lang: Language = "en" if dep.code in english else "da"
        n_raters = int(rng.integers(2, 5))
        answers = sample_answers(rng, dep.code, statements, n_raters, on, lang)
        folder = out / FORMS_DIR / dep.unit_id
        folder.mkdir(parents=True, exist_ok=True)
        keep = set()
        for i, ans in enumerate(answers, start=1):
            path = folder / f"rater{i}.xlsx"
            keep.add(path.name)
            if not _same_form(path, dep.unit_id, ans, bank):
                write_form(path, bank, unit_id=dep.unit_id, unit_name=dep.name, lang=lang, answers=ans)
            written.append(path)
        for stale in folder.glob("*.xlsx"):
            if stale.name not in keep:
                stale.unlink()
    return written


def _same_form(path: Path, unit_id: str, answers: FilledAnswers, bank: Bank) -> bool:
    """True if ``path`` already holds exactly these answers (so a rerun leaves it alone)."""
    if not path.is_file():
        return False
    form, problems = read_form(path, display=path.name, unit_id=unit_id, bank=bank)
    if problems or form is None or form.sheet not in ASSESSMENT_SHEET.values():
        return False
    ids = form.scores["statement_id"]
    return (
        form.rater == answers.rater
        and form.on == answers.on
        and form.scores["current"].tolist() == [answers.current[i] for i in ids]
        and form.scores["desired"].tolist() == [answers.desired[i] for i in ids]
    )
