"""The shift-planning self-assessment: statement bank, Excel form, scores, and judgement against data.

A department's management team rates how far it has come in six themes (competences,
organisation, agreements, system support, link to activity, management information): for each
statement of the bank, the **current status** and the **desired potential** on a scale of 1 to 5.
Several raters per unit are allowed, one form each.

The bank
    ``params/shift_assessment/statements.yaml`` (our own; the official statements could not be
    obtained). An institution points ``shift_assessment.statements_file`` to its own file; it
    must keep the six theme ids. :func:`load_bank` validates it.
The form
    ``toolkit template shift-assessment --unit ID --out FILE.xlsx`` writes a workbook with an
    instructions sheet and an assessment sheet: the statements filled in, drop-down cells for
    the scale, the rest of the sheet protected (without a password).
Filled forms
    ``<data>/forms/shift-assessment/<unit_id>/*.xlsx``, one file per rater. They are checked by
    ``toolkit validate`` and by the runner's staging (:func:`check_forms`): a mistake names the
    file, sheet and cell, and fails only that unit's reports.

The rater's name or role is read only to catch the same rater twice; it never leaves this
module (raters are numbered R1, R2, ... in file-name order).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from toolkit.core.definitions import Definition, define
from toolkit.core.errors import DataValidationError, ParameterError
from toolkit.core.formatting import Language
from toolkit.data.hierarchy import unit_info
from toolkit.data.params import Params
from toolkit.data.sources import DataSource, FolderSource, register_check
from toolkit.data.validation import Problem
from toolkit.report import forms

FORM_NAME = "shift-assessment"
#: Where filled forms lie in a data folder: one folder per unit, one workbook per rater.
FORMS_DIR = Path("forms") / FORM_NAME
THEMES = (
    "competences",
    "organisation",
    "agreements",
    "system_support",
    "link_to_activity",
    "management_information",
)
SCALE = (1, 2, 3, 4, 5)

#: Sheet names by language (the reader accepts either language).
INSTRUCTIONS_SHEET = {"da": "Vejledning", "en": "Instructions"}
ASSESSMENT_SHEET = {"da": "Vurdering", "en": "Assessment"}
UNIT_CELL, RATER_CELL, DATE_CELL = "C3", "C4", "C5"
HEADER_ROW, FIRST_ROW = 7, 8
ID_COL, THEME_COL, TEXT_COL, CURRENT_COL, DESIRED_COL, COMMENT_COL = "A", "B", "C", "D", "E", "F"
_MAX_STATEMENTS = 200  # rows read below the header

_ID_RE = re.compile(r"^[A-Za-z0-9_.-]+$")


# --------------------------------------------------------------------------- statement bank


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Model):
    """A text in Danish and English."""

    da: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: Language) -> str:
        """The text in ``lang``."""
        return self.da if lang == "da" else self.en


class Statement(_Model):
    """One statement to rate."""

    id: str
    da: str = Field(min_length=1)
    en: str = Field(min_length=1)

    @field_validator("id")
    @classmethod
    def _id_ok(cls, value: str) -> str:
        if not _ID_RE.match(value):
            raise ValueError(f"statement id must be letters, digits, '.', '-' or '_'; got {value!r}")
        return value

    def text(self, lang: Language) -> str:
        """The statement in ``lang``."""
        return self.da if lang == "da" else self.en


class Theme(_Model):
    """A theme of the assessment with its statements and suggested next steps."""

    id: str
    name: Text
    statements: list[Statement] = Field(min_length=1)
    next_steps: list[Text] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in THEMES:
            raise ValueError(f"theme id must be one of {', '.join(THEMES)}; got {value!r}")
        return value


class Bank(_Model):
    """The statement bank: the six themes, their statements and the scale's labels."""

    version: str
    source: Text
    scale: dict[int, Text]
    themes: list[Theme]

    @model_validator(mode="after")
    def _complete(self) -> Bank:
        if sorted(self.scale) != list(SCALE):
            raise ValueError(f"scale must label exactly 1, 2, 3, 4 and 5; got {sorted(self.scale)}")
        ids = [t.id for t in self.themes]
        missing = [t for t in THEMES if t not in ids]
        if missing or len(ids) != len(THEMES):
            raise ValueError(f"themes must be the six {', '.join(THEMES)} once each; got {', '.join(ids)}")
        seen: set[str] = set()
        for theme in self.themes:
            for st in theme.statements:
                if st.id in seen:
                    raise ValueError(f"statement id {st.id!r} occurs twice")
                seen.add(st.id)
        return self

    def statements(self) -> pd.DataFrame:
        """Every statement in bank order: ``statement_id``, ``theme``, ``order``, ``text_da``, ``text_en``."""
        rows = [
            (st.id, th.id, i, st.da, st.en)
            for i, (th, st) in enumerate((th, st) for th in self.themes for st in th.statements)
        ]
        return pd.DataFrame(rows, columns=["statement_id", "theme", "order", "text_da", "text_en"])

    def theme(self, theme_id: str) -> Theme:
        """The theme ``theme_id``."""
        return next(t for t in self.themes if t.id == theme_id)

    def theme_names(self, lang: Language) -> dict[str, str]:
        """Theme id → name in ``lang``, in bank order."""
        return {t.id: t.name.get(lang) for t in self.themes}


def bank_path(params_dir: str | Path, params: Params) -> Path:
    """Where the unit's statement bank is (``shift_assessment.statements_file``)."""
    path = Path(params.shift_assessment.statements_file)
    return path if path.is_absolute() else Path(params_dir) / path


def load_bank(path: str | Path) -> Bank:
    """Read and validate a statement bank.

    Raises
    ------
    ParameterError
        If the file is missing, not YAML, or breaks the bank's rules (the message names the
        file and the key).
    """
    path = Path(path)
    if not path.is_file():
        raise ParameterError(f"statement bank {path} is missing (parameter shift_assessment.statements_file)")
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ParameterError(f"{path}: not valid YAML ({exc})") from None
    try:
        return Bank.model_validate(content)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            loc = ".".join(str(x) for x in err["loc"]) or "(top level)"
            msg = err["msg"].removeprefix("Value error, ")
            lines.append(f"{path}: '{loc}' {msg}")
        raise ParameterError("\n".join(lines)) from None


# --------------------------------------------------------------------------- form texts

_FORM_TEXT: dict[str, dict[str, str]] = {
    "title": {"da": "Selvvurdering af vagtplanlægning", "en": "Self-assessment of shift planning"},
    "unit": {"da": "Enhed", "en": "Unit"},
    "rater": {"da": "Bedømmer (initialer eller rolle)", "en": "Rater (initials or role)"},
    "date": {"da": "Dato (dd-mm-åååå)", "en": "Date (yyyy-mm-dd)"},
    "no": {"da": "Nr.", "en": "No."},
    "theme": {"da": "Tema", "en": "Theme"},
    "statement": {"da": "Udsagn", "en": "Statement"},
    "current": {"da": "Nuværende status (1–5)", "en": "Current status (1–5)"},
    "desired": {"da": "Ønsket potentiale (1–5)", "en": "Desired potential (1–5)"},
    "comment": {"da": "Bemærkning", "en": "Comment"},
    "pick": {"da": "Vælg 1–5", "en": "Pick 1–5"},
    "pick_error": {"da": "Vælg et helt tal fra 1 til 5.", "en": "Pick a whole number from 1 to 5."},
    "scale": {"da": "Skala", "en": "Scale"},
    "bank": {"da": "Udsagnsbank", "en": "Statement bank"},
}
_INSTRUCTIONS = {
    "da": [
        "Sådan udfylder du skemaet",
        "1. Gå til arket '{sheet}'. Skriv dine initialer eller din rolle i celle {rater} og datoen i celle {date}.",
        "2. Vælg for hvert udsagn et tal fra 1 til 5 i kolonnen 'Nuværende status': hvor langt er I i dag?",
        "3. Vælg også et tal i kolonnen 'Ønsket potentiale': hvor langt bør I nå inden for et til to år?",
        "4. Alle udsagn skal have begge tal. Skriv gerne en bemærkning i kolonne F.",
        "5. Gem filen som .xlsx og aflever den, så den lægges i datamappen under forms/shift-assessment/{unit}/ (én fil pr. bedømmer).",
        "Omdøb ikke arkene, og flyt ikke rækker eller kolonner: rapporten læser cellerne på deres pladser.",
        "Rapporten viser aldrig, hvem der har svaret hvad: kun gennemsnit og spredning mellem bedømmerne.",
    ],
    "en": [
        "How to fill in the form",
        "1. Go to the sheet '{sheet}'. Write your initials or your role in cell {rater} and the date in cell {date}.",
        "2. For every statement pick a number from 1 to 5 in the column 'Current status': how far have you come today?",
        "3. Also pick a number in the column 'Desired potential': how far should you get within one to two years?",
        "4. Every statement needs both numbers. Add a comment in column F if you like.",
        "5. Save the file as .xlsx and hand it in, to be placed in the data folder under forms/shift-assessment/{unit}/ (one file per rater).",
        "Do not rename the sheets or move rows or columns: the report reads the cells where they are.",
        "The report never shows who answered what: only averages and the spread between raters.",
    ],
}


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
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    from toolkit.core.files import atomic_write

    def tx(key: str) -> str:
        return _FORM_TEXT[key][lang]

    wb = Workbook()
    guide = wb.active
    guide.title = INSTRUCTIONS_SHEET[lang]
    sheet = wb.create_sheet(ASSESSMENT_SHEET[lang])
    bold = Font(bold=True)
    guide["A1"] = tx("title")
    guide["A1"].font = Font(bold=True, size=14)
    guide["A2"] = f"{unit_name} ({unit_id})"
    row = 4
    for i, line in enumerate(_INSTRUCTIONS[lang]):
        cell = guide.cell(
            row=row,
            column=1,
            value=line.format(sheet=sheet.title, rater=RATER_CELL, date=DATE_CELL, unit=unit_id),
        )
        if i == 0:
            cell.font = bold
        row += 1
    row += 1
    guide.cell(row=row, column=1, value=tx("scale")).font = bold
    for value in SCALE:
        row += 1
        guide.cell(row=row, column=1, value=f"{value} = {bank.scale[value].get(lang)}")
    row += 2
    guide.cell(row=row, column=1, value=f"{tx('bank')}: {bank.version}. {bank.source.get(lang)}")
    guide.column_dimensions["A"].width = 120
    guide.protection.sheet = True

    fill = PatternFill("solid", start_color="FFF4E5", end_color="FFF4E5")
    unlocked = Protection(locked=False)
    sheet["A1"] = f"{tx('title')} — {unit_name}"
    sheet["A1"].font = Font(bold=True, size=14)
    for label_cell, key in (("B3", "unit"), ("B4", "rater"), ("B5", "date")):
        sheet[label_cell] = tx(key)
        sheet[label_cell].font = bold
    sheet[UNIT_CELL] = unit_id
    for ref in (RATER_CELL, DATE_CELL):
        sheet[ref].fill = fill
        sheet[ref].protection = unlocked
    sheet[DATE_CELL].number_format = "dd-mm-yyyy" if lang == "da" else "yyyy-mm-dd"
    headers = {
        ID_COL: tx("no"),
        THEME_COL: tx("theme"),
        TEXT_COL: tx("statement"),
        CURRENT_COL: tx("current"),
        DESIRED_COL: tx("desired"),
        COMMENT_COL: tx("comment"),
    }
    for col, text in headers.items():
        cell = sheet[f"{col}{HEADER_ROW}"]
        cell.value = text
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    scale_list = DataValidation(
        type="list",
        formula1='"' + ",".join(str(v) for v in SCALE) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=tx("pick"),
        error=tx("pick_error"),
        promptTitle=tx("pick"),
        prompt=" / ".join(f"{v} = {bank.scale[v].get(lang)}" for v in SCALE),
        showInputMessage=True,
    )
    sheet.add_data_validation(scale_list)
    date_rule = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True)
    sheet.add_data_validation(date_rule)
    date_rule.add(DATE_CELL)
    r = FIRST_ROW
    names = bank.theme_names(lang)
    for theme in bank.themes:
        for st in theme.statements:
            sheet[f"{ID_COL}{r}"] = st.id
            sheet[f"{THEME_COL}{r}"] = names[theme.id]
            sheet[f"{TEXT_COL}{r}"] = st.text(lang)
            sheet[f"{TEXT_COL}{r}"].alignment = Alignment(wrap_text=True, vertical="top")
            for col in (CURRENT_COL, DESIRED_COL, COMMENT_COL):
                sheet[f"{col}{r}"].protection = unlocked
            for col in (CURRENT_COL, DESIRED_COL):
                sheet[f"{col}{r}"].fill = fill
                sheet[f"{col}{r}"].alignment = Alignment(horizontal="center", vertical="top")
            r += 1
    last = r - 1
    scale_list.add(f"{CURRENT_COL}{FIRST_ROW}:{DESIRED_COL}{last}")
    if answers is not None:
        sheet[RATER_CELL] = answers.rater
        sheet[DATE_CELL] = answers.on
        for rr in range(FIRST_ROW, last + 1):
            sid = sheet[f"{ID_COL}{rr}"].value
            sheet[f"{CURRENT_COL}{rr}"] = answers.current.get(sid)
            sheet[f"{DESIRED_COL}{rr}"] = answers.desired.get(sid)
    for col, width in (
        (ID_COL, 6),
        (THEME_COL, 22),
        (TEXT_COL, 70),
        (CURRENT_COL, 14),
        (DESIRED_COL, 14),
        (COMMENT_COL, 40),
    ):
        sheet.column_dimensions[col].width = width
    sheet.freeze_panes = f"A{FIRST_ROW}"
    sheet.protection.sheet = True
    wb.active = 1
    out = Path(path)
    atomic_write(out, lambda p: wb.save(p))
    return out


@forms.register(FORM_NAME)
def template(req: forms.FormRequest) -> Path:
    """``toolkit template shift-assessment``: the unit's empty form, in the unit's language."""
    bank = load_bank(bank_path(req.params_dir, req.params))
    info = unit_info(req.source.units(), req.unit_id)
    if req.out.suffix.lower() != ".xlsx":
        raise ParameterError(f"the form must be written as .xlsx; got {req.out.name}")
    return write_form(req.out, bank, unit_id=req.unit_id, unit_name=info.name, lang=req.params.language)


# --------------------------------------------------------------------------- reading forms


@dataclass(frozen=True)
class FormProblem(Problem):
    """A mistake in a filled form, named by file, sheet and cell."""

    sheet: str | None = None
    cells: tuple[str, ...] = ()

    def __str__(self) -> str:
        parts = [self.file or self.table]
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
        if self.cells:
            shown = ", ".join(self.cells[:5])
            more = len(self.cells) - 5
            word = "cell" if len(self.cells) == 1 else "cells"
            parts.append(f"{word} {shown}" + (f" and {more} more" if more > 0 else ""))
        text = ", ".join(parts) + f": {self.rule}"
        if self.values:
            text += "; found " + ", ".join(self.values[:5])
        return text


@dataclass(frozen=True)
class FormAnswers:
    """What one filled form says (the rater's name stays here; reports get only ``rater_no``)."""

    file: str
    sheet: str
    rater: str
    on: date
    scores: pd.DataFrame  # statement_id, current, desired (in form order)


def _problem(
    display: str,
    unit: str | None,
    rule: str,
    *,
    sheet: str | None = None,
    cells: Sequence[str] = (),
    values: Sequence[str] = (),
) -> FormProblem:
    return FormProblem(
        table=FORM_NAME,
        file=display,
        column=None,
        rule=rule,
        n_rows=len(cells),
        values=tuple(values),
        units=frozenset({unit}) if unit else None,
        sheet=sheet,
        cells=tuple(cells),
    )


def _score(value: object) -> int | None:
    """A cell value as a whole number 1–5, or None if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | np.integer) or (
        isinstance(value, float | np.floating) and float(value).is_integer()
    ):
        number = int(value)
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    else:
        return None
    return number if number in SCALE else None


def _date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y"):
            try:
                return datetime.strptime(text, fmt).date()
            except ValueError:
                continue
    return None


def _shown(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, str) else str(value)


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
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, data_only=True)
    except Exception:  # openpyxl raises many types for a broken or foreign file
        return None, [
            _problem(display, unit_id, "not a readable Excel workbook: open it in Excel and save it as .xlsx")
        ]
    names = [ws.title for ws in wb.worksheets]
    wanted = [n for n in ASSESSMENT_SHEET.values() if n in names]
    if not wanted:
        expected = " or ".join(f"'{n}'" for n in ASSESSMENT_SHEET.values())
        found = ", ".join(f"'{n}'" for n in names)
        return None, [
            _problem(
                display,
                unit_id,
                f"sheet {expected} is missing; the workbook has {found} (keep the sheet names of the form)",
            )
        ]
    sheet_name = wanted[0]
    ws = wb[sheet_name]
    problems: list[Problem] = []

    def add(rule: str, cells: Sequence[str], values: Sequence[str] = ()) -> None:
        problems.append(_problem(display, unit_id, rule, sheet=sheet_name, cells=cells, values=values))

    unit_cell = ws[UNIT_CELL].value
    if str(unit_cell or "").strip() != unit_id:
        add(
            f"the form is for unit {unit_id} (it lies in that unit's folder) but names another unit",
            [UNIT_CELL],
            [_shown(unit_cell)],
        )
    rater = str(ws[RATER_CELL].value or "").strip()
    if not rater:
        add("the rater is missing: write initials or a role", [RATER_CELL])
    on = _date(ws[DATE_CELL].value)
    if on is None:
        if ws[DATE_CELL].value in (None, ""):
            add("the date is missing", [DATE_CELL])
        else:
            add("must be a date (dd-mm-yyyy)", [DATE_CELL], [_shown(ws[DATE_CELL].value)])
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
    bad_cells: list[str] = []
    bad_values: list[str] = []
    current: list[int | None] = []
    desired: list[int | None] = []
    for r in id_rows:
        for col, target in ((CURRENT_COL, current), (DESIRED_COL, desired)):
            value = ws[f"{col}{r}"].value
            score = _score(value)
            target.append(score)
            if score is None:
                if value is None or (isinstance(value, str) and not value.strip()):
                    missing.append(f"{col}{r}")
                else:
                    bad_cells.append(f"{col}{r}")
                    bad_values.append(_shown(value))
    for cell, value in zip(bad_cells, bad_values, strict=True):
        add("must be a whole number 1–5", [cell], [value])
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
    base = root / FORMS_DIR
    if not base.is_dir():
        return {}
    out: dict[str, list[Path]] = {}
    for folder in sorted(p for p in base.iterdir() if p.is_dir() and not p.name.startswith(".")):
        out[folder.name] = sorted(
            p for p in folder.iterdir() if p.is_file() and not p.name.startswith((".", "~$"))
        )
    return out


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
                _problem(display, unit_id, "only .xlsx workbooks are read: save the form as .xlsx")
            )
            continue
        form, found = read_form(path, display=display, unit_id=unit_id, bank=bank)
        problems += found
        if form is not None:
            answers.append(form)
    seen: dict[str, str] = {}
    for form in answers:
        key = form.rater.casefold()
        if key in seen:
            problems.append(
                _problem(
                    form.file,
                    unit_id,
                    f"the same rater as in {seen[key]} (one form per rater; give each rater their own initials or role)",
                    sheet=form.sheet,
                    cells=[RATER_CELL],
                )
            )
        else:
            seen[key] = form.file
    if bank is None and len(answers) > 1:
        first = list(answers[0].scores["statement_id"])
        for form in answers[1:]:
            if list(form.scores["statement_id"]) != first:
                problems.append(
                    _problem(
                        form.file,
                        unit_id,
                        f"the statements differ from those in {answers[0].file} (all raters of a unit use the same form)",
                        sheet=form.sheet,
                        cells=[f"{ID_COL}{FIRST_ROW}"],
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
                FormProblem(
                    table=FORM_NAME,
                    file=(FORMS_DIR / unit_id).as_posix(),
                    column=None,
                    rule="the folder is not named after a department in the units table",
                )
            )
            continue
        problems += read_unit_forms(source.root, unit_id)[1]
    return problems


# --------------------------------------------------------------------------- the assessment


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
