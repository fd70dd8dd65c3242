"""The workshop form of the need assessment: a fillable Excel workbook, and reading it back.

``toolkit template need-assessment --unit ID --out FILE.xlsx`` writes the form with the
unit's activities filled in. Each rater fills in one copy and saves it as
``<data folder>/forms/need-assessment/<unit_id>/<any name>.xlsx``.

The workbook has three sheets (their names are part of the format; do not rename them):

``Vejledning``
    how to fill in the form, and the question behind each criterion;
``Vurdering``
    the unit (cell B2), the rater (B3), and one row per activity from row 7 with a score 1–5
    per criterion (drop-downs; empty = don't know). Row 5 (hidden) holds the keys of the
    columns: ``activity_id``, ``name``, the criterion keys, ``comment``;
``Værktøjer``
    the same activities from row 5, one column per management tool, marked ``ja`` when the
    unit uses the tool for the activity today. Row 3 (hidden) holds the keys.

Reading checks every cell and names the file, sheet and cell of each mistake, e.g.
``forms/need-assessment/FS-ORT/rater-2.xlsx: sheet 'Vurdering', cell E9: must be a whole
number 1–5; found 7``. The rater's name is read only to catch the same rater twice; it never
leaves this module (raters are numbered 1, 2, ... in file-name order).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from toolkit.analyses.need_assessment.params import NeedAssessmentParams
from toolkit.core.errors import DataValidationError, ParameterError
from toolkit.core.files import atomic_write
from toolkit.core.i18n import register, t
from toolkit.data.hierarchy import units_at_level
from toolkit.data.schemas import ID_PATTERN
from toolkit.data.sources import FORMS_DIR as DATA_FORMS_DIR
from toolkit.data.sources import FolderSource, register_check
from toolkit.data.validation import Problem
from toolkit.report import forms

FORM = "need-assessment"
FORMS_DIR = Path(DATA_FORMS_DIR) / FORM
TABLE = "need-assessment form"

SHEET_GUIDE = "Vejledning"
SHEET_SCORES = "Vurdering"
SHEET_TOOLS = "Værktøjer"
UNIT_CELL = (2, 2)  # B2
RATER_CELL = (3, 2)  # B3
SCORES_KEY_ROW, SCORES_HEADER_ROW, SCORES_FIRST_ROW = 5, 6, 7
TOOLS_KEY_ROW, TOOLS_HEADER_ROW, TOOLS_FIRST_ROW = 3, 4, 5
ACTIVITY_KEY, NAME_KEY, COMMENT_KEY = "activity_id", "name", "comment"
SCORES = (1, 2, 3, 4, 5)
YES = frozenset({"ja", "x", "yes", "1", "true", "sand"})
NO = frozenset({"nej", "no", "0", "false", "falsk"})
OTHER_SPREADSHEETS = (".xls", ".xlsm", ".xlsb", ".ods", ".csv")
_KEY = re.compile(ID_PATTERN)

register(
    {
        "naf.title": ("Afdækning af styringsbehov — workshopskema", "Need assessment — workshop form"),
        "naf.unit": ("Enhed", "Unit"),
        "naf.rater": ("Bedømmer (navn eller initialer)", "Rater (name or initials)"),
        "naf.scale": (
            "Skala: 1 = meget lav … 5 = meget høj. Tom celle = ved ikke.",
            "Scale: 1 = very low … 5 = very high. Empty cell = don't know.",
        ),
        "naf.activity_id": ("Aktivitet-ID", "Activity ID"),
        "naf.activity": ("Aktivitet", "Activity"),
        "naf.comment": ("Bemærkning", "Comment"),
        "naf.tools_title": ("Styringsværktøjer i brug i dag", "Management tools in use today"),
        "naf.tools_help": (
            "Vælg 'ja' for hvert værktøj, enheden bruger til at styre aktiviteten i dag.",
            "Choose 'yes' for each tool the unit uses to manage the activity today.",
        ),
        "naf.yes_no": ("ja,nej", "yes,no"),
        "naf.score_error": (
            "Vælg en hel score fra 1 til 5 (eller lad cellen stå tom).",
            "Choose a whole score from 1 to 5 (or leave the cell empty).",
        ),
        "naf.guide": (
            "Sådan udfyldes skemaet|"
            "Skemaet bruges på en workshop om enhedens styringsbehov: hvilke aktiviteter fortjener tæt styring, med hvilke værktøjer og data?|"
            "1. Hver bedømmer udfylder sit eget skema. Skriv dit navn eller dine initialer i arket 'Vurdering', celle B3. Navnet vises aldrig i rapporten; det bruges kun til at se, at ingen bedømmer er med to gange.|"
            "2. Giv hver aktivitet en score fra 1 (meget lav) til 5 (meget høj) på hvert kriterium. Lad cellen stå tom, hvis du ikke ved det.|"
            "3. Markér i arket 'Værktøjer' med 'ja' de styringsværktøjer, enheden bruger til hver aktivitet i dag.|"
            "4. Gem skemaet som Excel-projektmappe (.xlsx) i datamappen under forms/need-assessment/{unit}/ med et filnavn pr. bedømmer, fx bedoemmer-1.xlsx.|"
            "Omdøb ikke arkene, og ret ikke i de skjulte nøglerækker. Aktiviteter kan tilføjes med et aktivitet-ID fra aktivitetskataloget.|"
            "Kriterierne",
            "How to fill in the form|"
            "The form is used at a workshop on the unit's management needs: which activities deserve close management, with which tools and data?|"
            "1. Each rater fills in their own form. Write your name or initials in sheet 'Vurdering', cell B3. The name never appears in the report; it is only used to check that no rater takes part twice.|"
            "2. Score each activity from 1 (very low) to 5 (very high) on each criterion. Leave the cell empty if you do not know.|"
            "3. In sheet 'Værktøjer', mark with 'yes' the management tools the unit uses for each activity today.|"
            "4. Save the form as an Excel workbook (.xlsx) in the data folder under forms/need-assessment/{unit}/, one file per rater, e.g. rater-1.xlsx.|"
            "Do not rename the sheets or change the hidden key rows. Activities can be added with an activity ID from the activity catalogue.|"
            "The criteria",
        ),
    }
)

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
INPUT_FILL = PatternFill("solid", fgColor="FFF4CC")
KEY_FONT = Font(color="808080", size=8)
WHITE_BOLD = Font(color="FFFFFF", bold=True)


# --------------------------------------------------------------------------- writing


def build_form(
    unit_id: str,
    unit_name: str,
    activities: pd.DataFrame,
    params: NeedAssessmentParams,
    lang: str = "da",
) -> Workbook:
    """The workshop form for a unit as an openpyxl workbook (not yet saved).

    Parameters
    ----------
    unit_id, unit_name
        The unit.
    activities
        ``activity_id`` and ``name`` of the activities to pre-fill, in order.
    params
        The need-assessment parameters (criteria and tools).
    lang
        Language of the labels (the sheet names are always the Danish ones).
    """
    wb = Workbook()
    guide = wb.active
    guide.title = SHEET_GUIDE
    lines = t("naf.guide", lang).replace("{unit}", unit_id).split("|")  # type: ignore[arg-type]
    guide["A1"] = lines[0]
    guide["A1"].font = Font(bold=True, size=14)
    row = 3
    for line in lines[1:-1]:
        guide.cell(row=row, column=1, value=line).alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
    row += 1
    guide.cell(row=row, column=1, value=lines[-1]).font = Font(bold=True)
    for crit in params.criteria.values():
        row += 1
        guide.cell(
            row=row, column=1, value=f"{crit.name(lang)}: {crit.question(lang)}"
        ).alignment = Alignment(wrap_text=True, vertical="top")
    guide.column_dimensions["A"].width = 110

    ws = wb.create_sheet(SHEET_SCORES)
    ws["A1"] = t("naf.title", lang)  # type: ignore[arg-type]
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = t("naf.unit", lang)  # type: ignore[arg-type]
    ws.cell(*UNIT_CELL, value=unit_id)
    ws["C2"] = unit_name
    ws["A3"] = t("naf.rater", lang)  # type: ignore[arg-type]
    ws.cell(*RATER_CELL).fill = INPUT_FILL
    ws["A4"] = t("naf.scale", lang)  # type: ignore[arg-type]
    score_list = DataValidation(
        type="list",
        formula1='"' + ",".join(str(s) for s in SCORES) + '"',
        allow_blank=True,
        showErrorMessage=True,
        error=t("naf.score_error", lang),  # type: ignore[arg-type]
    )
    _activity_grid(
        ws,
        activities,
        inputs={k: c.name(lang) for k, c in params.criteria.items()},
        key_row=SCORES_KEY_ROW,
        header_row=SCORES_HEADER_ROW,
        first_row=SCORES_FIRST_ROW,
        validation=score_list,
        input_width=18,
        lang=lang,
    )
    comment = 3 + len(params.criteria)
    ws.cell(row=SCORES_KEY_ROW, column=comment, value=COMMENT_KEY).font = KEY_FONT
    _header_cell(ws.cell(row=SCORES_HEADER_ROW, column=comment, value=t("naf.comment", lang)))  # type: ignore[arg-type]
    ws.column_dimensions[get_column_letter(comment)].width = 40

    wt = wb.create_sheet(SHEET_TOOLS)
    wt["A1"] = t("naf.tools_title", lang)  # type: ignore[arg-type]
    wt["A1"].font = Font(bold=True, size=14)
    wt["A2"] = t("naf.tools_help", lang)  # type: ignore[arg-type]
    _activity_grid(
        wt,
        activities,
        inputs={k: tool.name(lang) for k, tool in params.tools.items()},
        key_row=TOOLS_KEY_ROW,
        header_row=TOOLS_HEADER_ROW,
        first_row=TOOLS_FIRST_ROW,
        validation=DataValidation(type="list", formula1=f'"{t("naf.yes_no", lang)}"', allow_blank=True),  # type: ignore[arg-type]
        input_width=16,
        lang=lang,
    )
    wb.active = 1
    return wb


def _header_cell(cell: object) -> None:
    cell.font = WHITE_BOLD  # type: ignore[attr-defined]
    cell.fill = HEADER_FILL  # type: ignore[attr-defined]
    cell.alignment = Alignment(wrap_text=True, vertical="center")  # type: ignore[attr-defined]


def _activity_grid(
    ws: object,
    activities: pd.DataFrame,
    *,
    inputs: Mapping[str, str],
    key_row: int,
    header_row: int,
    first_row: int,
    validation: DataValidation,
    input_width: int,
    lang: str,
) -> None:
    """One row per activity with an input column per key: hidden key row, header, drop-downs.

    Ten empty rows below the activities leave room for activities a rater adds.
    """
    keys = [ACTIVITY_KEY, NAME_KEY, *inputs]
    labels = [t("naf.activity_id", lang), t("naf.activity", lang), *inputs.values()]  # type: ignore[arg-type]
    for c, (key, label) in enumerate(zip(keys, labels, strict=True), start=1):
        ws.cell(row=key_row, column=c, value=key).font = KEY_FONT  # type: ignore[attr-defined]
        _header_cell(ws.cell(row=header_row, column=c, value=label))  # type: ignore[attr-defined]
    ws.row_dimensions[key_row].hidden = True  # type: ignore[attr-defined]
    ws.row_dimensions[header_row].height = 45  # type: ignore[attr-defined]
    for i, (aid, name) in enumerate(zip(activities["activity_id"], activities["name"], strict=True)):
        ws.cell(row=first_row + i, column=1, value=aid)  # type: ignore[attr-defined]
        ws.cell(row=first_row + i, column=2, value=name)  # type: ignore[attr-defined]
    last_row = first_row + max(len(activities), 1) - 1 + 10
    last_col = 2 + len(inputs)
    ws.add_data_validation(validation)  # type: ignore[attr-defined]
    validation.add(f"C{first_row}:{get_column_letter(last_col)}{last_row}")
    for r in range(first_row, last_row + 1):
        for c in range(3, last_col + 1):
            cell = ws.cell(row=r, column=c)  # type: ignore[attr-defined]
            cell.fill = INPUT_FILL
            cell.alignment = Alignment(horizontal="center")
    ws.column_dimensions["A"].width = 14  # type: ignore[attr-defined]
    ws.column_dimensions["B"].width = 34  # type: ignore[attr-defined]
    for c in range(3, last_col + 1):
        ws.column_dimensions[get_column_letter(c)].width = input_width  # type: ignore[attr-defined]
    ws.freeze_panes = ws.cell(row=first_row, column=3)  # type: ignore[attr-defined]


def workbook_values(wb: Workbook) -> dict[str, list[tuple[object, ...]]]:
    """Every sheet's cell values (to tell whether a rewrite would change a file)."""
    return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def save_form(wb: Workbook, path: Path) -> bool:
    """Save ``wb`` to ``path`` unless the file already holds the same values; True if written."""
    path = Path(path)
    if path.is_file():
        try:
            old = load_workbook(path, data_only=True)
            if workbook_values(old) == workbook_values(wb):
                return False
        except Exception:  # an unreadable old file is simply replaced
            pass
    atomic_write(path, lambda p: wb.save(p))
    return True


@forms.register(FORM)
def write_template(req: forms.FormRequest) -> Path:
    """``toolkit template need-assessment``: the form with the unit's activities pre-filled."""
    from toolkit.analyses.need_assessment import compute as needs
    from toolkit.data.hierarchy import unit_info

    units = req.source.units()
    info = unit_info(units, req.unit_id)
    if info.level != "department":
        known = ", ".join(units_at_level(units, "department")[:6])
        raise ParameterError(
            f"the need-assessment form is made for a department; {req.unit_id} is a {info.level} "
            f"(departments include {known})"
        )
    if req.out.suffix.lower() != ".xlsx":
        raise ParameterError(f"--out must name an .xlsx file; got {str(req.out)!r}")
    na = req.params.need_assessment
    inp = needs.load(req.source, req.unit_id, req.source.latest_period(), na.months)
    acts = needs.unit_activities(inp)
    wb = build_form(req.unit_id, info.name, acts, na, req.params.language)
    atomic_write(req.out, lambda p: wb.save(p))
    return req.out


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class NeedForms:
    """The filled-in forms of one unit, checked.

    Attributes
    ----------
    files
        The forms read (relative to the data folder), in rater order.
    scores
        ``rater`` (1, 2, ... by file name), ``activity_id``, ``criterion``, ``score`` (1–5),
        ``file`` and ``cell``: one row per filled-in score.
    marks
        ``rater``, ``activity_id``, ``tool``, ``in_use`` (bool), ``file``, ``cell``: one row per
        tool cell of every activity row of the tools sheet.
    criteria, tools
        Each criterion and tool key found, with the file and key cell it was first found in.
    """

    files: tuple[str, ...]
    scores: pd.DataFrame
    marks: pd.DataFrame
    criteria: Mapping[str, tuple[str, str]]
    tools: Mapping[str, tuple[str, str]]

    @property
    def n_raters(self) -> int:
        """Number of forms (one per rater)."""
        return len(self.files)

    @property
    def activity_ids(self) -> list[str]:
        """Activities that appear in any form."""
        return sorted(set(self.scores["activity_id"]) | set(self.marks["activity_id"]))


def empty_forms() -> NeedForms:
    """No forms (the unit has not held the workshop yet)."""
    return NeedForms(
        (),
        pd.DataFrame({"rater": [], "activity_id": [], "criterion": [], "score": [], "file": [], "cell": []}),
        pd.DataFrame({"rater": [], "activity_id": [], "tool": [], "in_use": [], "file": [], "cell": []}),
        {},
        {},
    )


def _problem(
    file: str, unit: str | None, rule: str, sheet: str | None = None, cell: str | None = None
) -> Problem:
    where = ", ".join(x for x in (f"sheet '{sheet}'" if sheet else "", f"cell {cell}" if cell else "") if x)
    return Problem(
        table=TABLE,
        file=file,
        column=None,
        rule=f"{where}: {rule}" if where else rule,
        units=frozenset({unit}) if unit else None,
    )


def _found(value: object) -> str:
    """A cell's value as the message shows it: numbers as numbers, text quoted."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return f"{value:g}"
    return repr(str(value))


def _ref(row: int, col: int) -> str:
    return f"{get_column_letter(col)}{row}"


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_score(value: object) -> int | None:
    """A score cell: ``None`` when empty; raises ValueError unless a whole number 1–5."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float | np.integer | np.floating):
        number = float(value)
    else:
        try:
            number = float(str(value).strip())
        except ValueError:
            raise ValueError(value) from None
    if not number.is_integer() or int(number) not in SCORES:
        raise ValueError(value)
    return int(number)


def parse_mark(value: object) -> bool:
    """A tool cell: True for ja/x/yes/1, False for empty/nej/no/0; ValueError otherwise."""
    if value is None or value is False:
        return False
    if value is True:
        return True
    text = _text(value).lower()
    if text in YES:
        return True
    if text in NO or text == "":
        return False
    raise ValueError(value)


def _rows(ws: object, first: int) -> list[tuple[int, tuple[object, ...]]]:
    rows = ws.iter_rows(min_row=first, values_only=True)  # type: ignore[attr-defined]
    return [(first + i, tuple(r)) for i, r in enumerate(rows)]


def _keys(ws: object, key_row: int, file: str, unit: str, sheet: str) -> tuple[list[str], list[Problem]]:
    """The column keys of a sheet's hidden key row (from column C)."""
    row = next(iter(ws.iter_rows(min_row=key_row, max_row=key_row, values_only=True)), ())  # type: ignore[attr-defined]
    row = tuple(row)
    if not row or _text(row[0]) != ACTIVITY_KEY:
        return [], [
            _problem(
                file,
                unit,
                f"the hidden key row {key_row} has been changed (cell A{key_row} should read "
                f"'{ACTIVITY_KEY}'); make a new form with `toolkit template {FORM}`",
                sheet,
                f"A{key_row}",
            )
        ]
    keys, problems = [], []
    for col, value in enumerate(row[2:], start=3):
        key = _text(value)
        if not key or key == COMMENT_KEY:
            break
        if not _KEY.match(key) or key in keys:
            problems.append(
                _problem(
                    file, unit, f"key {key!r} is not a valid, unique column key", sheet, _ref(key_row, col)
                )
            )
        keys.append(key)
    return keys, problems


def read_form(
    path: Path, file: str, unit_id: str, catalogue: set[str]
) -> tuple[dict[str, object] | None, list[Problem]]:
    """Read and check one filled-in form.

    Returns the form's content (``rater_name``, ``scores`` rows, ``marks`` rows, criterion and
    tool key cells) and the problems; the content is None when the form cannot be used.
    """
    try:
        wb = load_workbook(path, data_only=True, read_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        return None, [_problem(file, unit_id, "cannot be opened as an Excel workbook (.xlsx)")]
    try:
        sheets = wb.sheetnames
        missing = [s for s in (SHEET_SCORES, SHEET_TOOLS) if s not in sheets]
        if missing:
            have = ", ".join(f"'{s}'" for s in sheets)
            return None, [
                _problem(
                    file,
                    unit_id,
                    f"sheet '{s}' is missing (the workbook has {have}); keep the form's sheet names",
                )
                for s in missing
            ]
        problems: list[Problem] = []
        ws = wb[SHEET_SCORES]
        head = list(ws.iter_rows(min_row=1, max_row=RATER_CELL[0], values_only=True))
        form_unit = _text(head[UNIT_CELL[0] - 1][UNIT_CELL[1] - 1]) if len(head) >= UNIT_CELL[0] else ""
        if form_unit != unit_id:
            problems.append(
                _problem(
                    file,
                    unit_id,
                    f"the form is for unit {form_unit!r} but lies in the folder of {unit_id}; "
                    f"move it to forms/{FORM}/{form_unit or '<unit>'}/",
                    SHEET_SCORES,
                    _ref(*UNIT_CELL),
                )
            )
        rater_row = head[RATER_CELL[0] - 1] if len(head) >= RATER_CELL[0] else ()
        rater = _text(rater_row[RATER_CELL[1] - 1]) if len(rater_row) >= RATER_CELL[1] else ""
        criteria, key_problems = _keys(ws, SCORES_KEY_ROW, file, unit_id, SHEET_SCORES)
        problems += key_problems
        scores: list[tuple[str, str, int, str]] = []
        seen: dict[str, int] = {}
        if criteria:
            for r, row in _rows(ws, SCORES_FIRST_ROW):
                cells = list(row[2 : 2 + len(criteria)]) + [None] * (
                    len(criteria) - len(row[2 : 2 + len(criteria)])
                )
                aid = _text(row[0]) if row else ""
                filled = [v for v in cells if _text(v) != ""]
                if not aid:
                    if filled:
                        problems.append(
                            _problem(
                                file, unit_id, "the row has scores but no activity id", SHEET_SCORES, f"A{r}"
                            )
                        )
                    continue
                if not _activity_ok(aid, r, seen, catalogue, file, unit_id, SHEET_SCORES, problems):
                    continue
                for c, (key, value) in enumerate(zip(criteria, cells, strict=True), start=3):
                    try:
                        score = parse_score(value)
                    except ValueError:
                        problems.append(
                            _problem(
                                file,
                                unit_id,
                                f"must be a whole number 1–5; found {_found(value)}",
                                SHEET_SCORES,
                                _ref(r, c),
                            )
                        )
                        continue
                    if score is not None:
                        scores.append((aid, key, score, _ref(r, c)))
            if not scores and not problems:
                problems.append(
                    _problem(
                        file,
                        unit_id,
                        "the form has no scores; give at least one score 1–5 or remove the file",
                        SHEET_SCORES,
                    )
                )
        wt = wb[SHEET_TOOLS]
        tools, tool_key_problems = _keys(wt, TOOLS_KEY_ROW, file, unit_id, SHEET_TOOLS)
        problems += tool_key_problems
        marks: list[tuple[str, str, bool, str]] = []
        seen_t: dict[str, int] = {}
        if tools:
            for r, row in _rows(wt, TOOLS_FIRST_ROW):
                cells = list(row[2 : 2 + len(tools)]) + [None] * (len(tools) - len(row[2 : 2 + len(tools)]))
                aid = _text(row[0]) if row else ""
                if not aid:
                    if any(_text(v) for v in cells):
                        problems.append(
                            _problem(
                                file, unit_id, "the row has marks but no activity id", SHEET_TOOLS, f"A{r}"
                            )
                        )
                    continue
                if not _activity_ok(aid, r, seen_t, catalogue, file, unit_id, SHEET_TOOLS, problems):
                    continue
                for c, (key, value) in enumerate(zip(tools, cells, strict=True), start=3):
                    try:
                        marks.append((aid, key, parse_mark(value), _ref(r, c)))
                    except ValueError:
                        problems.append(
                            _problem(
                                file,
                                unit_id,
                                f"must be 'ja' (or 'x') or empty; found {_found(value)}",
                                SHEET_TOOLS,
                                _ref(r, c),
                            )
                        )
        content = {
            "rater_name": rater,
            "scores": scores,
            "marks": marks,
            "criteria": {k: _ref(SCORES_KEY_ROW, 3 + i) for i, k in enumerate(criteria)},
            "tools": {k: _ref(TOOLS_KEY_ROW, 3 + i) for i, k in enumerate(tools)},
        }
        return (None if problems else content), problems
    finally:
        wb.close()


def _activity_ok(
    aid: str,
    row: int,
    seen: dict[str, int],
    catalogue: set[str],
    file: str,
    unit_id: str,
    sheet: str,
    problems: list[Problem],
) -> bool:
    if aid not in catalogue:
        problems.append(
            _problem(file, unit_id, f"activity {aid!r} is not in the activity catalogue", sheet, f"A{row}")
        )
        return False
    if aid in seen:
        problems.append(
            _problem(
                file, unit_id, f"activity {aid!r} is listed twice (also in row {seen[aid]})", sheet, f"A{row}"
            )
        )
        return False
    seen[aid] = row
    return True


def form_files(root: Path, units: set[str]) -> tuple[dict[str, list[Path]], list[Problem]]:
    """The form files per unit under ``root/forms/need-assessment``, and misplaced files."""
    base = Path(root) / FORMS_DIR
    found: dict[str, list[Path]] = {}
    problems: list[Problem] = []
    if not base.is_dir():
        return found, problems
    for entry in sorted(base.iterdir()):
        rel = entry.relative_to(root).as_posix()
        if entry.name.startswith((".", "~$")):
            continue
        if entry.is_file():
            if entry.suffix.lower() in (".xlsx", *OTHER_SPREADSHEETS):
                problems.append(
                    _problem(
                        rel,
                        None,
                        f"put each form in the folder of its unit: {FORMS_DIR.as_posix()}/<unit_id>/",
                    )
                )
            continue
        if entry.name not in units:
            problems.append(_problem(rel, None, f"unknown unit {entry.name!r} (not in the units table)"))
            continue
        for path in sorted(entry.iterdir()):
            if path.name.startswith((".", "~$")) or not path.is_file():
                continue
            if path.suffix.lower() == ".xlsx":
                found.setdefault(entry.name, []).append(path)
            elif path.suffix.lower() in OTHER_SPREADSHEETS:
                problems.append(
                    _problem(
                        path.relative_to(root).as_posix(),
                        entry.name,
                        "only Excel workbooks (.xlsx) are read; save the form as .xlsx",
                    )
                )
    return found, problems


def _read_files(
    root: Path, unit_id: str, paths: Iterable[Path], catalogue: set[str]
) -> tuple[NeedForms, list[Problem]]:
    problems: list[Problem] = []
    score_rows, mark_rows, files = [], [], []
    criteria: dict[str, tuple[str, str]] = {}
    tools: dict[str, tuple[str, str]] = {}
    raters: dict[str, str] = {}
    for path in paths:
        rel = Path(path).relative_to(root).as_posix()
        content, found = read_form(Path(path), rel, unit_id, catalogue)
        problems += found
        if content is None:
            continue
        name = str(content["rater_name"]).casefold()
        if name and name in raters:
            problems.append(
                _problem(
                    rel,
                    unit_id,
                    f"the same rater as in {raters[name]}; each rater fills in one form",
                    SHEET_SCORES,
                    _ref(*RATER_CELL),
                )
            )
            continue
        if name:
            raters[name] = rel
        files.append(rel)
        rater = str(len(files))
        score_rows += [(rater, a, k, s, rel, c) for a, k, s, c in content["scores"]]  # type: ignore[attr-defined]
        mark_rows += [(rater, a, k, m, rel, c) for a, k, m, c in content["marks"]]  # type: ignore[attr-defined]
        for k, cell in content["criteria"].items():  # type: ignore[attr-defined]
            criteria.setdefault(k, (rel, cell))
        for k, cell in content["tools"].items():  # type: ignore[attr-defined]
            tools.setdefault(k, (rel, cell))
    if not files:
        return empty_forms(), problems
    scores = pd.DataFrame(score_rows, columns=["rater", "activity_id", "criterion", "score", "file", "cell"])
    marks = pd.DataFrame(mark_rows, columns=["rater", "activity_id", "tool", "in_use", "file", "cell"])
    marks["in_use"] = marks["in_use"].astype(bool)
    return NeedForms(tuple(files), scores, marks, criteria, tools), problems


def read_unit_forms(root: str | Path, unit_id: str, catalogue: set[str]) -> NeedForms:
    """Read and check every form of ``unit_id`` in data folder ``root``.

    Raises
    ------
    DataValidationError
        Naming the file, sheet and cell of every mistake.
    """
    root = Path(root)
    folder = root / FORMS_DIR / unit_id
    paths = (
        sorted(
            p for p in folder.iterdir() if p.suffix.lower() == ".xlsx" and not p.name.startswith((".", "~$"))
        )
        if folder.is_dir()
        else []
    )
    result, problems = _read_files(root, unit_id, paths, catalogue)
    if problems:
        raise DataValidationError(problems)
    return result


def check_against_params(forms_: NeedForms, params: NeedAssessmentParams, unit_id: str) -> None:
    """The forms must score exactly the criteria, and mark exactly the tools, of the parameters.

    Raises
    ------
    DataValidationError
        Naming the file and key cell of a criterion or tool the parameters do not know, or the
        criteria and tools the forms lack (the forms were made with other parameters).
    """
    if not forms_.files:
        return
    problems = []
    for key, (file, cell) in forms_.criteria.items():
        if key not in params.criteria:
            problems.append(
                _problem(
                    file,
                    unit_id,
                    f"criterion {key!r} is not in the parameters (need_assessment.criteria: "
                    f"{', '.join(params.criteria)})",
                    SHEET_SCORES,
                    cell,
                )
            )
    for key, (file, cell) in forms_.tools.items():
        if key not in params.tools:
            problems.append(
                _problem(
                    file,
                    unit_id,
                    f"tool {key!r} is not in the parameters (need_assessment.tools: {', '.join(params.tools)})",
                    SHEET_TOOLS,
                    cell,
                )
            )
    first = forms_.files[0]
    lacking = [k for k in params.criteria if k not in forms_.criteria]
    if lacking:
        problems.append(
            _problem(
                first,
                unit_id,
                f"no column for the criteria {', '.join(lacking)}; the form was made with other "
                f"parameters: make a new one with `toolkit template {FORM}`",
                SHEET_SCORES,
            )
        )
    lacking_t = [k for k in params.tools if k not in forms_.tools]
    if lacking_t:
        problems.append(
            _problem(
                first,
                unit_id,
                f"no column for the tools {', '.join(lacking_t)}; the form was made with other "
                f"parameters: make a new one with `toolkit template {FORM}`",
                SHEET_TOOLS,
            )
        )
    if problems:
        raise DataValidationError(problems)


@register_check
def check_forms(source: FolderSource) -> list[Problem]:
    """``toolkit validate`` and the runner's staging: every need-assessment form in the folder."""
    root = source.original_folder
    keys = source.catalogue_keys()
    files, problems = form_files(root, keys.get("units", set()))
    catalogue = keys.get("activities", set())
    for unit_id, paths in files.items():
        _, found = _read_files(root, unit_id, paths, catalogue)
        problems += found
    return problems
