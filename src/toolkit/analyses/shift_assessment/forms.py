"""The Excel form of the shift-planning self-assessment: writing it, and reading filled forms back.

The form
    ``toolkit template shift-assessment --unit ID --out FILE.xlsx`` writes a workbook with an
    instructions sheet and an assessment sheet: the statements filled in, drop-down cells for
    the scale, the rest of the sheet protected (without a password).
Filled forms
    ``<data>/forms/shift-assessment/<unit_id>/*.xlsx``, one file per rater. They are checked by
    ``toolkit validate`` and by the runner's staging (:func:`check_forms`): a mistake names the
    file, sheet and cell, and fails only that unit's reports.

The rater's name or role is read only to catch the same rater twice; it never leaves this
module and :mod:`.assessment` (raters are numbered R1, R2, ... in file-name order).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment

from toolkit.analyses.shift_assessment.bank import SCALE, Bank, bank_path, load_bank
from toolkit.core.errors import ParameterError
from toolkit.core.formatting import Language
from toolkit.core.i18n import Texts
from toolkit.data.hierarchy import unit_info
from toolkit.data.sources import FolderSource, register_check
from toolkit.data.validation import Problem
from toolkit.report import forms
from toolkit.report.forms import FormProblem as FormProblem  # re-exported: the problems of a form

FORM_NAME = "shift-assessment"
#: Where filled forms lie in a data folder: one folder per unit, one workbook per rater.
FORMS_DIR = forms.forms_dir(FORM_NAME)

#: Sheet names by language (the reader accepts either language).
INSTRUCTIONS_SHEET = {"da": "Vejledning", "en": "Instructions"}
ASSESSMENT_SHEET = {"da": "Vurdering", "en": "Assessment"}
UNIT_CELL, RATER_CELL, DATE_CELL = "C3", "C4", "C5"
HEADER_ROW, FIRST_ROW = 7, 8
ID_COL, THEME_COL, TEXT_COL, CURRENT_COL, DESIRED_COL, COMMENT_COL = "A", "B", "C", "D", "E", "F"
_MAX_STATEMENTS = 200  # rows read below the header

FORM_TEXTS = Texts("shift_assessment")
FORM_TEXTS.register(
    {
        "form.title": ("Selvvurdering af vagtplanlægning", "Self-assessment of shift planning"),
        "form.unit": ("Enhed", "Unit"),
        "form.rater": ("Bedømmer (initialer eller rolle)", "Rater (initials or role)"),
        "form.date": ("Dato (dd-mm-åååå)", "Date (yyyy-mm-dd)"),
        "form.no": ("Nr.", "No."),
        "form.theme": ("Tema", "Theme"),
        "form.statement": ("Udsagn", "Statement"),
        "form.current": ("Nuværende status (1–5)", "Current status (1–5)"),
        "form.desired": ("Ønsket potentiale (1–5)", "Desired potential (1–5)"),
        "form.comment": ("Bemærkning", "Comment"),
        "form.pick": ("Vælg 1–5", "Pick 1–5"),
        "form.pick_error": ("Vælg et helt tal fra 1 til 5.", "Pick a whole number from 1 to 5."),
        "form.scale": ("Skala", "Scale"),
        "form.bank": ("Udsagnsbank", "Statement bank"),
        "form.guide": (
            "Sådan udfylder du skemaet|1. Gå til arket '{sheet}'. Skriv dine initialer eller din rolle i celle {rater} og datoen i celle {date}.|2. Vælg for hvert udsagn et tal fra 1 til 5 i kolonnen 'Nuværende status': hvor langt er I i dag?|3. Vælg også et tal i kolonnen 'Ønsket potentiale': hvor langt bør I nå inden for et til to år?|4. Alle udsagn skal have begge tal. Skriv gerne en bemærkning i kolonne F.|5. Gem filen som .xlsx og aflever den, så den lægges i datamappen under forms/shift-assessment/{unit}/ (én fil pr. bedømmer).|Omdøb ikke arkene, og flyt ikke rækker eller kolonner: rapporten læser cellerne på deres pladser.|Rapporten viser aldrig, hvem der har svaret hvad: kun gennemsnit og spredning mellem bedømmerne.",
            "How to fill in the form|1. Go to the sheet '{sheet}'. Write your initials or your role in cell {rater} and the date in cell {date}.|2. For every statement pick a number from 1 to 5 in the column 'Current status': how far have you come today?|3. Also pick a number in the column 'Desired potential': how far should you get within one to two years?|4. Every statement needs both numbers. Add a comment in column F if you like.|5. Save the file as .xlsx and hand it in, to be placed in the data folder under forms/shift-assessment/{unit}/ (one file per rater).|Do not rename the sheets or move rows or columns: the report reads the cells where they are.|The report never shows who answered what: only averages and the spread between raters.",
        ),
    }
)

#: The fill of the cells to fill in.
_FILL = forms.solid("FFF4E5", background="FFF4E5")
_OPEN = forms.CellStyle(fill=_FILL, protection=forms.UNLOCKED)
_SCORE = forms.CellStyle(
    fill=_FILL, alignment=Alignment(horizontal="center", vertical="top"), protection=forms.UNLOCKED
)


# --------------------------------------------------------------------------- writing


@dataclass(frozen=True)
class FilledAnswers:
    """Answers to put into a form (used for sample data and tests)."""

    rater: str
    on: date
    current: Mapping[str, object]
    desired: Mapping[str, object]


def write_form(
    path: str | Path,
    bank: Bank,
    *,
    unit_id: str,
    unit_name: str,
    lang: Language = "da",
    answers: FilledAnswers | None = None,
) -> Path:
    """Write the fillable assessment workbook for one unit (optionally already filled in).

    The assessment sheet has the statements pre-filled, drop-down cells (1–5) for the current
    status and the desired potential, and is protected except for the cells to fill in.
    """

    def tx(key: str) -> str:
        return FORM_TEXTS(f"form.{key}", lang)

    wb = Workbook()
    guide = wb.active
    assert guide is not None
    guide.title = INSTRUCTIONS_SHEET[lang]
    sheet = wb.create_sheet(ASSESSMENT_SHEET[lang])
    forms.put(guide, "A1", tx("title"), forms.TITLE)
    forms.put(guide, "A2", f"{unit_name} ({unit_id})")
    lines = FORM_TEXTS(
        "form.guide", lang, sheet=sheet.title, rater=RATER_CELL, date=DATE_CELL, unit=unit_id
    ).split("|")
    forms.put(guide, (4, 1), lines[0], forms.BOLD)
    row = forms.write_lines(guide, 5, lines[1:])
    forms.put(guide, (row + 1, 1), tx("scale"), forms.BOLD)
    row = forms.write_lines(guide, row + 2, [f"{v} = {bank.scale[v].get(lang)}" for v in SCALE])
    forms.put(guide, (row + 1, 1), f"{tx('bank')}: {bank.version}. {bank.source.get(lang)}")
    guide.column_dimensions["A"].width = 120
    forms.protect(guide)

    forms.put(sheet, "A1", f"{tx('title')} — {unit_name}", forms.TITLE)
    for label_cell, key in (("B3", "unit"), ("B4", "rater"), ("B5", "date")):
        forms.put(sheet, label_cell, tx(key), forms.BOLD)
    forms.put(sheet, UNIT_CELL, unit_id)
    for ref in (RATER_CELL, DATE_CELL):
        forms.put(sheet, ref, style=_OPEN)
    sheet[DATE_CELL].number_format = "dd-mm-yyyy" if lang == "da" else "yyyy-mm-dd"
    scale_list = forms.choice_list(
        SCALE,
        error=tx("pick_error"),
        error_title=tx("pick"),
        prompt=" / ".join(f"{v} = {bank.scale[v].get(lang)}" for v in SCALE),
        prompt_title=tx("pick"),
    )
    names = bank.theme_names(lang)
    last = forms.write_grid(
        sheet,
        [
            forms.GridColumn(tx("no"), width=6),
            forms.GridColumn(tx("theme"), width=22),
            forms.GridColumn(tx("statement"), width=70, style=forms.WRAP_TOP),
            forms.GridColumn(tx("current"), width=14, style=_SCORE, validation=scale_list),
            forms.GridColumn(tx("desired"), width=14, style=_SCORE, validation=scale_list),
            forms.GridColumn(tx("comment"), width=40, style=forms.CellStyle(protection=forms.UNLOCKED)),
        ],
        [(st.id, names[theme.id], st.text(lang)) for theme in bank.themes for st in theme.statements],
        header_row=HEADER_ROW,
        first_row=FIRST_ROW,
        header=forms.PLAIN_HEADER,
    )
    date_rule = forms.date_after(date(2000, 1, 1))
    sheet.add_data_validation(date_rule)
    date_rule.add(DATE_CELL)
    if answers is not None:
        sheet[RATER_CELL] = answers.rater
        sheet[DATE_CELL] = answers.on
        for rr in range(FIRST_ROW, last + 1):
            sid = sheet[f"{ID_COL}{rr}"].value
            sheet[f"{CURRENT_COL}{rr}"] = answers.current.get(sid)
            sheet[f"{DESIRED_COL}{rr}"] = answers.desired.get(sid)
    forms.protect(sheet)
    wb.active = 1
    return forms.write_workbook(wb, path)


@forms.register(FORM_NAME)
def template(req: forms.FormRequest) -> Path:
    """``toolkit template shift-assessment``: the unit's empty form, in the unit's language."""
    bank = load_bank(bank_path(req.params_dir, req.params))
    info = unit_info(req.source.units(), req.unit_id)
    if req.out.suffix.lower() != ".xlsx":
        raise ParameterError(f"the form must be written as .xlsx; got {req.out.name}")
    return write_form(req.out, bank, unit_id=req.unit_id, unit_name=info.name, lang=req.params.language)


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class FormAnswers:
    """What one filled form says (the rater's name stays here; reports get only ``rater_no``)."""

    file: str
    sheet: str
    rater: str
    on: date
    scores: pd.DataFrame  # statement_id, current, desired (in form order)


def _where(display: str, unit: str | None) -> forms.FormFile:
    return forms.FormFile(FORM_NAME, display, unit)


def read_form(
    path: Path, *, display: str, unit_id: str, bank: Bank | None = None
) -> tuple[FormAnswers | None, list[Problem]]:
    """Read one filled form and check every cell that matters.

    Parameters
    ----------
    path
        The workbook.
    display
        The file as named in messages (relative to the data folder).
    unit_id
        The unit whose folder holds the form (the form's unit cell must say the same).
    bank
        The statement bank the form must follow; ``None`` checks the form on its own (the
        statements are then taken as they stand in column A).

    Returns
    -------
    (FormAnswers or None, list of Problem)
        The answers when the form is complete and correct, else None and the problems.
    """
    where = _where(display, unit_id)
    wb = forms.open_workbook(path)  # openpyxl raises many types for a broken or foreign file
    if wb is None:
        return None, [where.problem("not a readable Excel workbook: open it in Excel and save it as .xlsx")]
    names = [ws.title for ws in wb.worksheets]
    wanted = [n for n in ASSESSMENT_SHEET.values() if n in names]
    if not wanted:
        expected = forms.quoted(list(ASSESSMENT_SHEET.values()), " or ")
        return None, [
            where.problem(
                f"sheet {expected} is missing; the workbook has {forms.quoted(names)} "
                "(keep the sheet names of the form)"
            )
        ]
    sheet_name = wanted[0]
    ws = wb[sheet_name]
    problems: list[Problem] = []

    def add(rule: str, cells: Sequence[str], values: Sequence[str] = ()) -> None:
        problems.append(where.problem(rule, sheet=sheet_name, cells=cells, values=values))

    unit_cell = ws[UNIT_CELL].value
    if str(unit_cell or "").strip() != unit_id:
        add(
            f"the form is for unit {unit_id} (it lies in that unit's folder) but names another unit",
            [UNIT_CELL],
            [forms.shown(unit_cell)],
        )
    rater = str(ws[RATER_CELL].value or "").strip()
    if not rater:
        add("the rater is missing: write initials or a role", [RATER_CELL])
    try:
        on = forms.parse_date(ws[DATE_CELL].value)
        if on is None:
            add("the date is missing", [DATE_CELL])
    except ValueError:
        on = None
        add("must be a date (dd-mm-yyyy)", [DATE_CELL], [forms.shown(ws[DATE_CELL].value)])
    ids: list[str] = []
    id_rows: list[int] = []
    for r in range(FIRST_ROW, FIRST_ROW + _MAX_STATEMENTS):
        value = ws[f"{ID_COL}{r}"].value
        if value is None or str(value).strip() == "":
            break
        ids.append(str(value).strip())
        id_rows.append(r)
    if not ids:
        add("no statements below the header: the rows of the form were removed", [f"{ID_COL}{FIRST_ROW}"])
        return None, problems
    if bank is not None:
        expected_ids = list(bank.statements()["statement_id"])
        if ids != expected_ids:
            first = next((i for i, (a, b) in enumerate(zip(ids, expected_ids, strict=False)) if a != b), None)
            if first is None:
                first = min(len(ids), len(expected_ids))
            cell = f"{ID_COL}{FIRST_ROW + first}"
            want = expected_ids[first] if first < len(expected_ids) else "(no more statements)"
            got = ids[first] if first < len(ids) else "(empty)"
            add(
                f"the statements do not follow the statement bank {bank.version}: expected {want!r} here "
                "(make a new form with `toolkit template shift-assessment`)",
                [cell],
                [repr(got)],
            )
            return None, problems
    else:
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            cells = [f"{ID_COL}{r}" for r, i in zip(id_rows, ids, strict=True) if i in dup]
            add("a statement number occurs twice", cells, [repr(d) for d in dup])
    missing: list[str] = []
    current: list[int | None] = []
    desired: list[int | None] = []
    for r in id_rows:
        for col, target in ((CURRENT_COL, current), (DESIRED_COL, desired)):
            value = ws[f"{col}{r}"].value
            try:
                score = forms.parse_score(value, SCALE, text="digits")
            except ValueError:
                score = None
                add("must be a whole number 1–5", [f"{col}{r}"], [forms.shown(value)])
            else:
                if score is None:
                    missing.append(f"{col}{r}")
            target.append(score)
    if missing:
        add("missing: every statement needs a current status and a desired potential (1–5)", missing)
    if problems:
        return None, problems
    assert on is not None
    scores = pd.DataFrame({"statement_id": ids, "current": current, "desired": desired}).astype(
        {"current": "int64", "desired": "int64"}
    )
    return FormAnswers(display, sheet_name, rater, on, scores), []


def form_files(root: Path) -> dict[str, list[Path]]:
    """The form files under ``root/forms/shift-assessment``, by unit folder (sorted)."""
    return forms.forms_by_unit(root, FORM_NAME)


def read_unit_forms(
    root: Path, unit_id: str, bank: Bank | None = None
) -> tuple[list[FormAnswers], list[Problem]]:
    """Read every form of ``unit_id`` in data folder ``root``; problems name file, sheet and cell."""
    files = form_files(root).get(unit_id, [])
    answers: list[FormAnswers] = []
    problems: list[Problem] = []
    for path in files:
        display = path.relative_to(root).as_posix()
        if path.suffix.lower() != ".xlsx":
            problems.append(
                _where(display, unit_id).problem("only .xlsx workbooks are read: save the form as .xlsx")
            )
            continue
        form, found = read_form(path, display=display, unit_id=unit_id, bank=bank)
        problems += found
        if form is not None:
            answers.append(form)
    seen: dict[str, str] = {}
    for form in answers:
        earlier = forms.same_rater(seen, form.rater, form.file)
        if earlier is not None:
            problems.append(
                _where(form.file, unit_id).problem(
                    f"the same rater as in {earlier} (one form per rater; give each rater their own initials or role)",
                    sheet=form.sheet,
                    cells=RATER_CELL,
                )
            )
    if bank is None and len(answers) > 1:
        first = list(answers[0].scores["statement_id"])
        for form in answers[1:]:
            if list(form.scores["statement_id"]) != first:
                problems.append(
                    _where(form.file, unit_id).problem(
                        f"the statements differ from those in {answers[0].file} (all raters of a unit use the same form)",
                        sheet=form.sheet,
                        cells=f"{ID_COL}{FIRST_ROW}",
                    )
                )
    return answers, problems


@register_check
def check_forms(source: FolderSource) -> list[Problem]:
    """Check every filled shift-assessment form in the data folder (for ``validate_all``).

    A problem is attributed to the unit whose folder holds the form, so only that unit fails;
    a folder named after no department concerns every unit.
    """
    by_unit = form_files(source.root)
    if not by_unit:
        return []
    units = source.units()
    departments = set(units.loc[units["level"] == "department", "unit_id"])
    problems: list[Problem] = []
    for unit_id in by_unit:
        if unit_id not in departments:
            problems.append(
                _where((FORMS_DIR / unit_id).as_posix(), None).problem(
                    "the folder is not named after a department in the units table"
                )
            )
            continue
        if source.scope is not None and unit_id not in source.scope:
            continue  # a run for some units reads only their forms
        problems += read_unit_forms(source.root, unit_id)[1]
    return problems
