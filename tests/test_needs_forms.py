"""The workshop form: the template, reading it back, and a clear message for every mistake."""

from __future__ import annotations

from pathlib import Path

import pytest
from needs_data import UNIT, UNIT_ACTIVITIES, fill_form, write_forms
from openpyxl import load_workbook

from toolkit.analyses.need_assessment import forms as needs_forms
from toolkit.analyses.need_assessment.inputs import load, unit_activities
from toolkit.analyses.need_assessment.params import NeedAssessmentParams, NeedCriterion
from toolkit.core.errors import DataValidationError
from toolkit.data.sources import FolderSource
from toolkit.report import forms
from toolkit.run.cli import main

CATALOGUE = {"A", "B", "I", "Z"}
FOLDER = f"forms/need-assessment/{UNIT}"


def read(root: Path) -> needs_forms.NeedForms:
    return needs_forms.read_unit_forms(root, UNIT, CATALOGUE)


def problems_of(root: Path) -> list[str]:
    with pytest.raises(DataValidationError) as info:
        read(root)
    return [str(p) for p in info.value.problems]


def edit(path: Path, sheet: str, cell: str, value: object) -> None:
    wb = load_workbook(path)
    wb[sheet][cell] = value
    wb.save(path)


# --------------------------------------------------------------------------- template


def test_template_command_prefills_the_units_activities(tmp_path, sample_dir, capsys):
    out = tmp_path / "form.xlsx"
    code = main(
        ["template", "need-assessment", "--unit", "FS-ORT", "--out", str(out), "--data", str(sample_dir)]
    )
    assert code == 0, capsys.readouterr().err
    wb = load_workbook(out)
    assert wb.sheetnames == ["Vejledning", "Vurdering", "Værktøjer"]
    ws = wb["Vurdering"]
    assert ws["B2"].value == "FS-ORT"
    assert ws.row_dimensions[5].hidden
    keys = [c.value for c in ws[5]][:8]
    assert keys == ["activity_id", "name", *NeedAssessmentParams().criteria, "comment"]
    ids = [ws.cell(row=r, column=1).value for r in range(7, 13)]
    source = FolderSource(sample_dir)
    inp = load(source, "FS-ORT", source.latest_period(), 12)
    assert ids == list(unit_activities(inp)["activity_id"])  # AMB, OP, SENG, ADM, KVA, UDD
    assert all(ws.cell(row=r, column=3).value is None for r in range(7, 13))  # scores left empty
    dv = ws.data_validations.dataValidation
    assert len(dv) == 1 and dv[0].type == "list" and dv[0].formula1 == '"1,2,3,4,5"'
    assert "C7:G22" in str(dv[0].sqref)
    tools = wb["Værktøjer"]
    assert [c.value for c in tools[3]][2:] == list(NeedAssessmentParams().tools)
    assert tools.data_validations.dataValidation[0].formula1 == '"ja,nej"'
    guide = "\n".join(str(c.value) for c in wb["Vejledning"]["A"] if c.value)
    assert "forms/need-assessment/FS-ORT/" in guide and "Navnet vises aldrig i rapporten" in guide


def test_template_for_a_centre_is_a_usage_error(tmp_path, sample_dir, capsys):
    out = tmp_path / "form.xlsx"
    code = main(
        ["template", "need-assessment", "--unit", "FS-KC", "--out", str(out), "--data", str(sample_dir)]
    )
    assert code == 2
    assert "made for a department; FS-KC is a centre" in capsys.readouterr().err
    assert not out.exists()


def test_filled_template_reads_back(tmp_path):
    write_forms(tmp_path)
    forms = read(tmp_path)
    assert forms.files == (f"{FOLDER}/rater-1.xlsx", f"{FOLDER}/rater-2.xlsx")
    assert forms.n_raters == 2
    assert len(forms.scores) == 15 + 14  # rater 1 left one cell empty
    s = forms.scores.set_index(["rater", "activity_id", "criterion"])["score"]
    assert s[("1", "A", "strategic")] == 5 and s[("2", "B", "data_availability")] == 5
    assert forms.scores.loc[0, "cell"] == "C7"
    marked = forms.marks[forms.marks["in_use"]]
    assert set(zip(marked["rater"], marked["activity_id"], marked["tool"], strict=True)) == {
        ("1", "A", "periodised_budget"),
        ("1", "A", "goals_kpis"),
        ("1", "B", "goals_kpis"),
        ("2", "A", "periodised_budget"),
        ("2", "B", "time_registration"),
    }
    # The raters' names never leave the reader.
    assert "Rater One" not in forms.scores.to_string() + forms.marks.to_string() + str(forms.files)


def test_a_rater_may_add_a_catalogue_activity(tmp_path):
    acts = UNIT_ACTIVITIES.copy()
    acts.loc[len(acts)] = ["Z", "Zeta", "core", None]
    fill_form(tmp_path / FOLDER / "r.xlsx", rater="R", scores={"Z": {"risk": 4}}, activities=acts)
    forms = read(tmp_path)
    assert forms.activity_ids == ["A", "B", "I", "Z"]  # every row of the form, the added one too
    assert forms.scores[["activity_id", "criterion", "score"]].values.tolist() == [["Z", "risk", 4]]


def test_no_folder_means_no_forms(tmp_path):
    assert read(tmp_path).n_raters == 0


# --------------------------------------------------------------------------- mistakes


@pytest.fixture
def two_forms(tmp_path: Path) -> Path:
    write_forms(tmp_path)
    return tmp_path


def test_score_outside_1_to_5_names_file_sheet_and_cell(two_forms):
    # Row 9 is the third activity (I), column E the third criterion (risk).
    edit(two_forms / FOLDER / "rater-2.xlsx", "Vurdering", "E9", 7)
    assert problems_of(two_forms) == [
        f"{FOLDER}/rater-2.xlsx: sheet 'Vurdering', cell E9: must be a whole number 1–5; found 7"
    ]
    with pytest.raises(
        DataValidationError, match=r"Input data failed validation: forms/need-assessment/T1/rater-2\.xlsx"
    ):
        read(two_forms)


@pytest.mark.parametrize(("value", "shown"), [(3.5, "3.5"), (0, "0"), ("høj", "'høj'"), (True, "True")])
def test_other_bad_scores(two_forms, value, shown):
    edit(two_forms / FOLDER / "rater-1.xlsx", "Vurdering", "C7", value)
    assert problems_of(two_forms) == [
        f"{FOLDER}/rater-1.xlsx: sheet 'Vurdering', cell C7: must be a whole number 1–5; found {shown}"
    ]


def test_scores_written_as_text_are_read(two_forms):
    edit(two_forms / FOLDER / "rater-1.xlsx", "Vurdering", "C7", " 2 ")
    s = read(two_forms).scores.set_index(["rater", "activity_id", "criterion"])["score"]
    assert s[("1", "A", "strategic")] == 2


def test_activity_not_in_the_catalogue(two_forms):
    edit(two_forms / FOLDER / "rater-1.xlsx", "Vurdering", "A8", "XYZ")
    assert problems_of(two_forms) == [
        f"{FOLDER}/rater-1.xlsx: sheet 'Vurdering', cell A8: activity 'XYZ' is not in the activity catalogue"
    ]


def test_renamed_sheet(two_forms):
    path = two_forms / FOLDER / "rater-1.xlsx"
    wb = load_workbook(path)
    wb["Vurdering"].title = "Ark1"
    wb.save(path)
    assert problems_of(two_forms) == [
        f"{FOLDER}/rater-1.xlsx: sheet 'Vurdering' is missing (the workbook has 'Vejledning', 'Ark1', "
        "'Værktøjer'); keep the form's sheet names"
    ]


def test_activity_listed_twice(two_forms):
    edit(two_forms / FOLDER / "rater-1.xlsx", "Vurdering", "A9", "A")
    assert problems_of(two_forms) == [
        f"{FOLDER}/rater-1.xlsx: sheet 'Vurdering', cell A9: activity 'A' is listed twice (also in row 7)"
    ]


def test_form_of_another_unit(two_forms):
    edit(two_forms / FOLDER / "rater-1.xlsx", "Vurdering", "B2", "FS-KAR")
    assert problems_of(two_forms) == [
        f"{FOLDER}/rater-1.xlsx: sheet 'Vurdering', cell B2: the form is for unit 'FS-KAR' but lies in the "
        "folder of T1; move it to forms/need-assessment/FS-KAR/"
    ]


def test_scores_without_activity(two_forms):
    edit(two_forms / FOLDER / "rater-1.xlsx", "Vurdering", "D15", 3)
    assert problems_of(two_forms) == [
        f"{FOLDER}/rater-1.xlsx: sheet 'Vurdering', cell A15: the row has scores but no activity id"
    ]


def test_empty_form(tmp_path):
    fill_form(tmp_path / FOLDER / "blank.xlsx", rater="R", scores={})
    assert problems_of(tmp_path) == [
        f"{FOLDER}/blank.xlsx: sheet 'Vurdering': the form has no scores; give at least one score 1–5 or "
        "remove the file"
    ]


def test_bad_tool_mark(two_forms):
    edit(two_forms / FOLDER / "rater-2.xlsx", "Værktøjer", "D6", "måske")
    assert problems_of(two_forms) == [
        f"{FOLDER}/rater-2.xlsx: sheet 'Værktøjer', cell D6: must be 'ja' (or 'x') or empty; found 'måske'"
    ]


def test_same_rater_twice(two_forms):
    edit(two_forms / FOLDER / "rater-2.xlsx", "Vurdering", "B3", " rater one ")
    assert problems_of(two_forms) == [
        f"{FOLDER}/rater-2.xlsx: sheet 'Vurdering', cell B3: the same rater as in {FOLDER}/rater-1.xlsx; "
        "each rater fills in one form"
    ]


def test_changed_key_row(two_forms):
    edit(two_forms / FOLDER / "rater-1.xlsx", "Vurdering", "A5", "id")
    (msg,) = problems_of(two_forms)
    assert "sheet 'Vurdering', cell A5: the hidden key row 5 has been changed" in msg
    assert "toolkit template need-assessment" in msg


def test_not_a_workbook(two_forms):
    (two_forms / FOLDER / "rater-3.xlsx").write_bytes(b"not a zip file")
    assert problems_of(two_forms) == [f"{FOLDER}/rater-3.xlsx: cannot be opened as an Excel workbook (.xlsx)"]


def test_many_mistakes_are_all_named(two_forms):
    path = two_forms / FOLDER / "rater-1.xlsx"
    wb = load_workbook(path)
    wb["Vurdering"]["C7"] = 9
    wb["Vurdering"]["D8"] = "x"
    wb.save(path)
    assert [p.split(": ", 1)[1] for p in problems_of(two_forms)] == [
        "sheet 'Vurdering', cell C7: must be a whole number 1–5; found 9",
        "sheet 'Vurdering', cell D8: must be a whole number 1–5; found 'x'",
    ]


# --------------------------------------------------------------------------- against the parameters


def test_forms_must_match_the_parameters(two_forms):
    forms = read(two_forms)
    own = NeedAssessmentParams(
        criteria={
            **NeedAssessmentParams().criteria,
            "patients": NeedCriterion(name_da="Patientoplevelse", name_en="Patient experience"),
        }
    )
    with pytest.raises(DataValidationError) as info:
        needs_forms.check_against_params(forms, own, UNIT)
    (msg,) = [str(p) for p in info.value.problems]
    assert msg.startswith(f"{FOLDER}/rater-1.xlsx: sheet 'Vurdering': no column for the criteria patients")
    fewer = NeedAssessmentParams(
        criteria={k: v for k, v in own.criteria.items() if k not in ("patients", "risk")},
        rules={k: v for k, v in own.rules.items() if k != "risk"},
    )
    with pytest.raises(DataValidationError, match="cell E5: criterion 'risk' is not in the parameters"):
        needs_forms.check_against_params(forms, fewer, UNIT)
    needs_forms.check_against_params(forms, NeedAssessmentParams(), UNIT)  # the defaults match


# --------------------------------------------------------------------------- the registered check


def test_validate_attributes_a_form_problem_to_its_unit(data_copy):
    folder = data_copy / "forms" / "need-assessment" / "FS-ORT"
    path = sorted(folder.glob("*.xlsx"))[0]
    edit(path, "Vurdering", "E9", 7)
    report = FolderSource(data_copy).validate_all()
    form_problems = [p for p in report.problems if p.table == needs_forms.TABLE]
    assert [str(p) for p in form_problems] == [
        f"forms/need-assessment/FS-ORT/{path.name}: sheet 'Vurdering', cell E9: must be a whole number 1–5; found 7"
    ]
    assert report.failed_units == {"FS-ORT"} and not report.global_problems


def test_validate_command_names_the_cell(data_copy, capsys):
    path = sorted((data_copy / "forms" / "need-assessment" / "FS-KAR").glob("*.xlsx"))[1]
    edit(path, "Vurdering", "A8", "XYZ")
    assert main(["validate", "--data", str(data_copy)]) == 1
    err = capsys.readouterr().err
    assert (
        f"[FS-KAR] forms/need-assessment/FS-KAR/{path.name}: sheet 'Vurdering', cell A8: activity 'XYZ'"
        in err
    )


def test_misplaced_files(data_copy):
    base = data_copy / "forms" / "need-assessment"
    src = sorted((base / "FS-ORT").glob("*.xlsx"))[0]
    (base / "loose.xlsx").write_bytes(src.read_bytes())
    (base / "FS-XXX").mkdir()
    (base / "FS-ORT" / "old.xls").write_bytes(b"")
    (base / "FS-ORT" / "~$bedoemmer-1.xlsx").write_bytes(b"lock file: ignored")
    problems = needs_forms.check_forms(FolderSource(data_copy))
    got = {(str(p), p.units) for p in problems}
    assert got == {
        (
            "forms/need-assessment/loose.xlsx: put each form in the folder of its unit: forms/need-assessment/<unit_id>/",
            None,
        ),
        ("forms/need-assessment/FS-XXX: unknown unit 'FS-XXX' (not in the units table)", None),
        (
            "forms/need-assessment/FS-ORT/old.xls: only Excel workbooks (.xlsx) are read; save the form as .xlsx",
            frozenset({"FS-ORT"}),
        ),
    }


def test_sample_forms_are_valid(sample_dir):
    assert needs_forms.check_forms(FolderSource(sample_dir)) == []


# --------------------------------------------------------------------------- the form kit (both forms use it)


def test_save_form_writes_only_when_the_values_change(tmp_path):
    path = tmp_path / "form.xlsx"
    wb = needs_forms.build_form(UNIT, "Testafdeling", UNIT_ACTIVITIES, NeedAssessmentParams())
    assert forms.save_form(wb, path)
    assert not forms.save_form(wb, path)  # same values: the file is left alone
    wb[needs_forms.SHEET_SCORES].cell(*needs_forms.RATER_CELL, value="Rater One")
    assert forms.save_form(wb, path)
    path.write_bytes(b"not a workbook")
    assert forms.save_form(wb, path)  # an unreadable old file is replaced
    assert load_workbook(path)[needs_forms.SHEET_SCORES]["B3"].value == "Rater One"


def test_form_problem_names_file_sheet_and_cells():
    where = forms.FormFile("a form", "forms/x/U1/r.xlsx", "U1")
    cells = [f"D{r}" for r in range(8, 15)]
    assert str(where.problem("missing", sheet="S", cells=cells)) == (
        "forms/x/U1/r.xlsx, sheet 'S', cells D8, D9, D10, D11, D12 and 2 more: missing"
    )
    assert str(where.problem("must be 1–5", sheet="S", cells="D8", values=["7"])) == (
        "forms/x/U1/r.xlsx, sheet 'S', cell D8: must be 1–5; found 7"
    )
    colon = forms.FormFile("a form", "r.xlsx", None, after_file=": ")
    assert str(colon.problem("wrong", sheet="S", cells="E9")) == "r.xlsx: sheet 'S', cell E9: wrong"
    assert str(colon.problem("wrong")) == "r.xlsx: wrong"
    assert where.problem("x").units == frozenset({"U1"}) and colon.problem("x").is_global


@pytest.mark.parametrize(
    ("value", "number", "digits"),
    [
        (None, None, None),
        (" ", None, None),
        (3, 3, 3),
        (3.0, 3, 3),
        ("3", 3, 3),
        (" 3 ", 3, 3),
        ("3.0", 3, "bad"),
        (2.5, "bad", "bad"),
        (7, "bad", "bad"),
        (True, "bad", "bad"),
        ("x", "bad", "bad"),
    ],
)
def test_parse_score(value, number, digits):
    for mode, expected in (("number", number), ("digits", digits)):
        if expected == "bad":
            with pytest.raises(ValueError):
                forms.parse_score(value, (1, 2, 3, 4, 5), text=mode)
        else:
            assert forms.parse_score(value, (1, 2, 3, 4, 5), text=mode) == expected


def test_parse_mark_date_text_and_shown():
    from datetime import date, datetime

    assert [forms.parse_mark(v) for v in (None, "", "JA", " x ", 1.0, "nej", True, False)] == [
        False, False, True, True, True, False, True, False,
    ]  # fmt: skip
    with pytest.raises(ValueError):
        forms.parse_mark("maybe")
    assert forms.parse_date(None) is None and forms.parse_date("") is None
    assert forms.parse_date(datetime(2026, 3, 1, 12)) == date(2026, 3, 1)
    assert [forms.parse_date(t) for t in ("2026-03-01", "01-03-2026", "01.03.2026", "01/03/2026")] == [
        date(2026, 3, 1)
    ] * 4
    for bad in ("  ", "1 March", 45000):
        with pytest.raises(ValueError):
            forms.parse_date(bad)
    assert [forms.cell_text(v) for v in (None, 3.0, " a ", 2.5)] == ["", "3", "a", "2.5"]
    assert [forms.shown(v) for v in (7.0, "x", 1234567, 2.125)] == ["7", "'x'", "1234567", "2.125"]
    assert [forms.shown(v, compact=True) for v in (7.0, "x", 1234567, True, date(2026, 3, 1))] == [
        "7", "'x'", "1.23457e+06", "True", "'2026-03-01'",
    ]  # fmt: skip


def test_write_grid_styles_inputs_and_shares_one_drop_down_range():
    from openpyxl import Workbook

    ws = Workbook().active
    scores = forms.choice_list([1, 2, 3], error="1–3")
    style = forms.CellStyle(fill=forms.solid("FFF4CC"))
    columns = [
        forms.GridColumn("Id", "id", 10),
        forms.GridColumn("A", "a", style=style, validation=scores),
        forms.GridColumn("B", "b", style=style, validation=scores),
        forms.GridColumn("Note", "note"),
    ]
    last = forms.write_grid(ws, columns, [("x",), ("y",)], key_row=1, header_row=2, first_row=3, spare_rows=2)
    assert last == 6
    assert [c.value for c in ws[1]] == ["id", "a", "b", "note"] and ws.row_dimensions[1].hidden
    assert [c.value for c in ws[2]] == ["Id", "A", "B", "Note"] and ws["A2"].fill.fgColor.rgb == "001F4E79"
    (dv,) = ws.data_validations.dataValidation
    assert str(dv.sqref) == "B3:C6" and dv.formula1 == '"1,2,3"' and dv.showErrorMessage
    assert ws["C6"].fill.fgColor.rgb == "00FFF4CC" and ws["D6"].fill.fgColor.rgb == "00000000"
    assert ws.column_dimensions["A"].width == 10 and ws.freeze_panes == "A3"
