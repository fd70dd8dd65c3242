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

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from toolkit.analyses.need_assessment.params import NeedAssessmentParams
from toolkit.core.errors import DataValidationError, ParameterError
from toolkit.core.formatting import Language
from toolkit.core.i18n import Texts
from toolkit.data.hierarchy import units_at_level
from toolkit.data.sources import FolderSource, register_check
from toolkit.data.validation import Problem
from toolkit.report import forms
from toolkit.report.forms import save_form as save_form  # re-exported for the sample forms
from toolkit.report.forms import workbook_values as workbook_values

FORM = "need-assessment"
FORMS_DIR = forms.forms_dir(FORM)
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
YES, NO = forms.YES, forms.NO
OTHER_SPREADSHEETS = (".xls", ".xlsm", ".xlsb", ".ods", ".csv")
T = TypeVar("T")

FORM_TEXTS = Texts("need_assessment")
FORM_TEXTS.register(
    {
        "form.title": ("Afdækning af styringsbehov — workshopskema", "Need assessment — workshop form"),
        "form.unit": ("Enhed", "Unit"),
        "form.rater": ("Bedømmer (navn eller initialer)", "Rater (name or initials)"),
        "form.scale": (
            "Skala: 1 = meget lav … 5 = meget høj. Tom celle = ved ikke.",
            "Scale: 1 = very low … 5 = very high. Empty cell = don't know.",
        ),
        "form.activity_id": ("Aktivitet-ID", "Activity ID"),
        "form.activity": ("Aktivitet", "Activity"),
        "form.comment": ("Bemærkning", "Comment"),
        "form.tools_title": ("Styringsværktøjer i brug i dag", "Management tools in use today"),
        "form.tools_help": (
            "Vælg 'ja' for hvert værktøj, enheden bruger til at styre aktiviteten i dag.",
            "Choose 'yes' for each tool the unit uses to manage the activity today.",
        ),
        "form.yes_no": ("ja,nej", "yes,no"),
        "form.score_error": (
            "Vælg en hel score fra 1 til 5 (eller lad cellen stå tom).",
            "Choose a whole score from 1 to 5 (or leave the cell empty).",
        ),
        "form.guide": (
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

#: The fill of the cells to fill in.
INPUT_FILL = forms.solid("FFF4CC")
_INPUT = forms.CellStyle(fill=INPUT_FILL, alignment=Alignment(horizontal="center"))


def _where(file: str, unit: str | None) -> forms.FormFile:
    """The problems of one file (the message names the file, then sheet and cell)."""
    return forms.FormFile(TABLE, file, unit, after_file=": ")


# --------------------------------------------------------------------------- writing


def build_form(
    unit_id: str,
    unit_name: str,
    activities: pd.DataFrame,
    params: NeedAssessmentParams,
    lang: Language = "da",
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

    def tx(key: str, **values: str) -> str:
        return FORM_TEXTS(f"form.{key}", lang, **values)

    wb = Workbook()
    guide = wb.active
    assert guide is not None
    guide.title = SHEET_GUIDE
    lines = tx("guide", unit=unit_id).split("|")
    forms.put(guide, "A1", lines[0], forms.TITLE)
    row = forms.write_lines(guide, 3, lines[1:-1], forms.WRAP_TOP)
    forms.put(guide, (row + 1, 1), lines[-1], forms.BOLD)
    forms.write_lines(
        guide,
        row + 2,
        [f"{crit.name(lang)}: {crit.question(lang)}" for crit in params.criteria.values()],
        forms.WRAP_TOP,
    )
    guide.column_dimensions["A"].width = 110

    ws = wb.create_sheet(SHEET_SCORES)
    forms.put(ws, "A1", tx("title"), forms.TITLE)
    forms.put(ws, "A2", tx("unit"))
    forms.put(ws, UNIT_CELL, unit_id)
    forms.put(ws, "C2", unit_name)
    forms.put(ws, "A3", tx("rater"))
    ws.cell(*RATER_CELL).fill = INPUT_FILL
    forms.put(ws, "A4", tx("scale"))
    scores = forms.choice_list(SCORES, error=tx("score_error"))
    _activity_grid(
        ws,
        activities,
        [forms.GridColumn(c.name(lang), k, 18, _INPUT, scores) for k, c in params.criteria.items()]
        + [forms.GridColumn(tx("comment"), COMMENT_KEY, 40)],
        key_row=SCORES_KEY_ROW,
        header_row=SCORES_HEADER_ROW,
        first_row=SCORES_FIRST_ROW,
        lang=lang,
    )

    wt = wb.create_sheet(SHEET_TOOLS)
    forms.put(wt, "A1", tx("tools_title"), forms.TITLE)
    forms.put(wt, "A2", tx("tools_help"))
    marks = forms.choice_list(tx("yes_no").split(","))
    _activity_grid(
        wt,
        activities,
        [forms.GridColumn(tool.name(lang), k, 16, _INPUT, marks) for k, tool in params.tools.items()],
        key_row=TOOLS_KEY_ROW,
        header_row=TOOLS_HEADER_ROW,
        first_row=TOOLS_FIRST_ROW,
        lang=lang,
    )
    wb.active = 1
    return wb


def _activity_grid(
    ws: Worksheet,
    activities: pd.DataFrame,
    inputs: list[forms.GridColumn],
    *,
    key_row: int,
    header_row: int,
    first_row: int,
    lang: Language,
) -> None:
    """One row per activity with the ``inputs`` columns: hidden key row, header, drop-downs.

    Ten empty rows below the activities leave room for activities a rater adds.
    """
    columns = [
        forms.GridColumn(FORM_TEXTS("form.activity_id", lang), ACTIVITY_KEY, 14),
        forms.GridColumn(FORM_TEXTS("form.activity", lang), NAME_KEY, 34),
        *inputs,
    ]
    forms.write_grid(
        ws,
        columns,
        list(zip(activities["activity_id"], activities["name"], strict=True)),
        key_row=key_row,
        header_row=header_row,
        first_row=first_row,
        header_height=45,
        spare_rows=10,
        freeze_column=3,
    )


@forms.register(FORM)
def write_template(req: forms.FormRequest) -> Path:
    """``toolkit template need-assessment``: the form with the unit's activities pre-filled."""
    from toolkit.analyses.need_assessment.inputs import load, unit_activities
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
    na = req.params.section("need_assessment", NeedAssessmentParams)
    acts = unit_activities(load(req.source, req.unit_id, req.source.latest_period(), na.months))
    return forms.write_workbook(build_form(req.unit_id, info.name, acts, na, req.params.language), req.out)


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


@dataclass(frozen=True)
class FormContent:
    """What one filled-in form says (the rater's name stays in this module).

    ``scores`` rows are (activity_id, criterion, score, cell), ``marks`` rows (activity_id,
    tool, in_use, cell); ``criteria`` and ``tools`` map each key to its key cell.
    """

    rater_name: str
    scores: list[tuple[str, str, int, str]]
    marks: list[tuple[str, str, bool, str]]
    criteria: dict[str, str]
    tools: dict[str, str]


def parse_score(value: object) -> int | None:
    """A score cell: ``None`` when empty; raises ValueError unless a whole number 1–5."""
    return forms.parse_score(value, SCORES)


def parse_mark(value: object) -> bool:
    """A tool cell: True for ja/x/yes/1, False for empty/nej/no/0; ValueError otherwise."""
    return forms.parse_mark(value, YES, NO)


def read_form(
    path: Path, file: str, unit_id: str, catalogue: set[str]
) -> tuple[FormContent | None, list[Problem]]:
    """Read and check one filled-in form.

    Returns the form's content and the problems; the content is None when the form cannot be
    used.
    """
    where = _where(file, unit_id)
    wb = forms.open_workbook(path, read_only=True, errors=forms.OPEN_ERRORS)
    if wb is None:
        return None, [where.problem("cannot be opened as an Excel workbook (.xlsx)")]
    try:
        sheets = wb.sheetnames
        missing = [s for s in (SHEET_SCORES, SHEET_TOOLS) if s not in sheets]
        if missing:
            have = forms.quoted(sheets)
            return None, [
                where.problem(
                    f"sheet '{s}' is missing (the workbook has {have}); keep the form's sheet names"
                )
                for s in missing
            ]
        problems: list[Problem] = []
        ws = wb[SHEET_SCORES]
        head = list(ws.iter_rows(min_row=1, max_row=RATER_CELL[0], values_only=True))
        form_unit = (
            forms.cell_text(head[UNIT_CELL[0] - 1][UNIT_CELL[1] - 1]) if len(head) >= UNIT_CELL[0] else ""
        )
        if form_unit != unit_id:
            problems.append(
                where.problem(
                    f"the form is for unit {form_unit!r} but lies in the folder of {unit_id}; "
                    f"move it to forms/{FORM}/{form_unit or '<unit>'}/",
                    sheet=SHEET_SCORES,
                    cells=forms.cell_ref(*UNIT_CELL),
                )
            )
        rater_row = head[RATER_CELL[0] - 1] if len(head) >= RATER_CELL[0] else ()
        rater = forms.cell_text(rater_row[RATER_CELL[1] - 1]) if len(rater_row) >= RATER_CELL[1] else ""
        scoring = _Grid(SHEET_SCORES, "scores", "must be a whole number 1–5", where, catalogue, problems)
        criteria, scores = scoring.read(ws, SCORES_KEY_ROW, SCORES_FIRST_ROW, parse_score)
        if criteria and not scores and not problems:
            problems.append(
                where.problem(
                    "the form has no scores; give at least one score 1–5 or remove the file",
                    sheet=SHEET_SCORES,
                )
            )
        marking = _Grid(SHEET_TOOLS, "marks", "must be 'ja' (or 'x') or empty", where, catalogue, problems)
        tools, marks = marking.read(wb[SHEET_TOOLS], TOOLS_KEY_ROW, TOOLS_FIRST_ROW, parse_mark)
        content = FormContent(
            rater,
            scores,
            marks,
            {k: forms.cell_ref(SCORES_KEY_ROW, 3 + i) for i, k in enumerate(criteria)},
            {k: forms.cell_ref(TOOLS_KEY_ROW, 3 + i) for i, k in enumerate(tools)},
        )
        return (None if problems else content), problems
    finally:
        wb.close()


@dataclass(frozen=True)
class _Grid:
    """Reads a sheet's grid: the hidden key row, then one row per activity with an input column per key.

    Every mistake is added to ``problems``.
    """

    sheet: str
    what: str  # "scores" or "marks"
    rule: str
    where: forms.FormFile
    catalogue: set[str]
    problems: list[Problem]

    def read(
        self, ws: Worksheet, key_row: int, first_row: int, parse: Callable[[object], T | None]
    ) -> tuple[list[str], list[tuple[str, str, T, str]]]:
        """The column keys, and (activity_id, key, value, cell) of every input cell ``parse`` accepts."""
        keys, key_problems = forms.read_keys(
            ws, key_row, self.where, self.sheet, anchor=ACTIVITY_KEY, stop={COMMENT_KEY}, form=FORM
        )
        self.problems.extend(key_problems)
        found: list[tuple[str, str, T, str]] = []
        if not keys:
            return keys, found
        seen: dict[str, int] = {}
        for r, row in forms.sheet_rows(ws, first_row):
            cells = list(row[2 : 2 + len(keys)])
            cells += [None] * (len(keys) - len(cells))
            aid = forms.cell_text(row[0]) if row else ""
            if not aid:
                if any(forms.cell_text(v) for v in cells):
                    self._add(f"the row has {self.what} but no activity id", f"A{r}")
                continue
            if not self._activity_ok(aid, r, seen):
                continue
            for c, (key, value) in enumerate(zip(keys, cells, strict=True), start=3):
                try:
                    parsed = parse(value)
                except ValueError:
                    self._add(f"{self.rule}; found {forms.shown(value, compact=True)}", forms.cell_ref(r, c))
                    continue
                if parsed is not None:
                    found.append((aid, key, parsed, forms.cell_ref(r, c)))
        return keys, found

    def _add(self, rule: str, cell: str) -> None:
        self.problems.append(self.where.problem(rule, sheet=self.sheet, cells=cell))

    def _activity_ok(self, aid: str, row: int, seen: dict[str, int]) -> bool:
        if aid not in self.catalogue:
            self._add(f"activity {aid!r} is not in the activity catalogue", f"A{row}")
            return False
        if aid in seen:
            self._add(f"activity {aid!r} is listed twice (also in row {seen[aid]})", f"A{row}")
            return False
        seen[aid] = row
        return True


def form_files(root: Path, units: set[str]) -> tuple[dict[str, list[Path]], list[Problem]]:
    """The form files per unit under ``root/forms/need-assessment``, and misplaced files."""
    found: dict[str, list[Path]] = {}
    problems: list[Problem] = []
    for entry in forms.folder_entries(Path(root) / FORMS_DIR):
        where = _where(entry.relative_to(root).as_posix(), None)
        if entry.is_file():
            if entry.suffix.lower() in (".xlsx", *OTHER_SPREADSHEETS):
                problems.append(
                    where.problem(
                        f"put each form in the folder of its unit: {FORMS_DIR.as_posix()}/<unit_id>/"
                    )
                )
            continue
        if entry.name not in units:
            problems.append(where.problem(f"unknown unit {entry.name!r} (not in the units table)"))
            continue
        for path in forms.folder_files(entry):
            if path.suffix.lower() == ".xlsx":
                found.setdefault(entry.name, []).append(path)
            elif path.suffix.lower() in OTHER_SPREADSHEETS:
                problems.append(
                    _where(path.relative_to(root).as_posix(), entry.name).problem(
                        "only Excel workbooks (.xlsx) are read; save the form as .xlsx"
                    )
                )
    return found, problems


def _read_files(
    root: Path, unit_id: str, paths: Iterable[Path], catalogue: set[str]
) -> tuple[NeedForms, list[Problem]]:
    problems: list[Problem] = []
    score_rows: list[tuple[str, str, str, int, str, str]] = []
    mark_rows: list[tuple[str, str, str, bool, str, str]] = []
    files: list[str] = []
    criteria: dict[str, tuple[str, str]] = {}
    tools: dict[str, tuple[str, str]] = {}
    raters: dict[str, str] = {}
    for path in paths:
        rel = Path(path).relative_to(root).as_posix()
        content, found = read_form(Path(path), rel, unit_id, catalogue)
        problems += found
        if content is None:
            continue
        if content.rater_name and (earlier := forms.same_rater(raters, content.rater_name, rel)):
            problems.append(
                _where(rel, unit_id).problem(
                    f"the same rater as in {earlier}; each rater fills in one form",
                    sheet=SHEET_SCORES,
                    cells=forms.cell_ref(*RATER_CELL),
                )
            )
            continue
        files.append(rel)
        rater = str(len(files))
        score_rows += [(rater, a, k, s, rel, c) for a, k, s, c in content.scores]
        mark_rows += [(rater, a, k, m, rel, c) for a, k, m, c in content.marks]
        for k, cell in content.criteria.items():
            criteria.setdefault(k, (rel, cell))
        for k, cell in content.tools.items():
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
    paths = [p for p in forms.folder_files(root / FORMS_DIR / unit_id) if p.suffix.lower() == ".xlsx"]
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
                _where(file, unit_id).problem(
                    f"criterion {key!r} is not in the parameters (need_assessment.criteria: "
                    f"{', '.join(params.criteria)})",
                    sheet=SHEET_SCORES,
                    cells=cell,
                )
            )
    for key, (file, cell) in forms_.tools.items():
        if key not in params.tools:
            problems.append(
                _where(file, unit_id).problem(
                    f"tool {key!r} is not in the parameters (need_assessment.tools: {', '.join(params.tools)})",
                    sheet=SHEET_TOOLS,
                    cells=cell,
                )
            )
    first = _where(forms_.files[0], unit_id)
    for what, keys, found, sheet in (
        ("criteria", params.criteria, forms_.criteria, SHEET_SCORES),
        ("tools", params.tools, forms_.tools, SHEET_TOOLS),
    ):
        lacking = [k for k in keys if k not in found]
        if lacking:
            problems.append(
                first.problem(
                    f"no column for the {what} {', '.join(lacking)}; the form was made with other "
                    f"parameters: make a new one with `toolkit template {FORM}`",
                    sheet=sheet,
                )
            )
    if problems:
        raise DataValidationError(problems)


@register_check
def check_forms(source: FolderSource) -> list[Problem]:
    """``toolkit validate`` and the runner's staging: every need-assessment form in the folder
    (in a run for some units: those units' forms, :attr:`~toolkit.data.sources.TableSource.scope`)."""
    root = source.original_folder
    keys = source.catalogue_keys()
    files, problems = form_files(root, keys.get("units", set()))
    catalogue = keys.get("activities", set())
    scope = source.scope  # a run for some units reads only their forms (None: every unit's)
    for unit_id, paths in files.items():
        if scope is not None and unit_id not in scope:
            continue
        _, found = _read_files(root, unit_id, paths, catalogue)
        problems += found
    return problems
