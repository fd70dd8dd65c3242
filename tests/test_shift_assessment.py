"""The self-assessment instrument: statement bank, Excel form, reading it back, scores, judgement."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from openpyxl import load_workbook

from toolkit.analyses.shift_assessment import assessment as shift_assessment
from toolkit.analyses.shift_assessment.assessment import (
    FORMS_DIR,
    FilledAnswers,
    judge,
    load_bank,
    read_form,
    read_unit_forms,
    theme_facts,
    theme_scores,
    write_form,
)
from toolkit.core import config
from toolkit.core.errors import DataValidationError, ParameterError
from toolkit.data.sources import FolderSource
from toolkit.run.cli import main as cli

BANK_FILE = config.PARAMS_DIR / "shift_assessment" / "statements.yaml"


@pytest.fixture(scope="module")
def bank() -> shift_assessment.Bank:
    return load_bank(BANK_FILE)


def answers(
    bank: shift_assessment.Bank, rater: str = "Planlægger", current: int = 3, desired: int = 5
) -> FilledAnswers:
    ids = bank.statements()["statement_id"]
    return FilledAnswers(rater, date(2026, 10, 10), dict.fromkeys(ids, current), dict.fromkeys(ids, desired))


def filled(tmp_path: Path, bank: shift_assessment.Bank, name: str = "rater1.xlsx", **kw) -> Path:  # type: ignore[no-untyped-def]
    return write_form(
        tmp_path / name, bank, unit_id="FS-AKU", unit_name="Akutafdelingen", answers=answers(bank, **kw)
    )


def edit(path: Path, sheet: str, **cells: object) -> None:
    wb = load_workbook(path)
    ws = wb[sheet]
    for ref, value in cells.items():
        ws[ref] = value
    wb.save(path)


def messages(path: Path, bank: shift_assessment.Bank | None) -> list[str]:
    form, problems = read_form(
        path, display=f"forms/shift-assessment/FS-AKU/{path.name}", unit_id="FS-AKU", bank=bank
    )
    assert (form is None) == bool(problems)
    return [str(p) for p in problems]


# --------------------------------------------------------------------------- bank


def test_default_bank_has_the_six_themes(bank: shift_assessment.Bank) -> None:
    assert [t.id for t in bank.themes] == list(shift_assessment.THEMES)
    statements = bank.statements()
    assert statements["statement_id"].is_unique and len(statements) >= 18
    assert all(len(t.next_steps) >= 1 for t in bank.themes)
    assert bank.theme_names("en")["link_to_activity"] == "Link to activity"


def test_a_broken_bank_names_file_and_key(tmp_path: Path) -> None:
    content = yaml.safe_load(BANK_FILE.read_text(encoding="utf-8"))
    content["themes"] = content["themes"][:5]
    path = tmp_path / "bank.yaml"
    path.write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ParameterError, match=r"bank\.yaml: '\(top level\)' themes must be the six"):
        load_bank(path)
    content = yaml.safe_load(BANK_FILE.read_text(encoding="utf-8"))
    content["themes"][1]["statements"][0]["id"] = "K1"
    path.write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ParameterError, match="statement id 'K1' occurs twice"):
        load_bank(path)
    content = yaml.safe_load(BANK_FILE.read_text(encoding="utf-8"))
    del content["scale"][5]
    path.write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ParameterError, match="scale must label exactly 1, 2, 3, 4 and 5"):
        load_bank(path)
    with pytest.raises(ParameterError, match=r"statement bank .* is missing"):
        load_bank(tmp_path / "nope.yaml")


def test_an_institution_can_use_its_own_bank(tmp_path: Path, sample_dir: Path) -> None:
    content = yaml.safe_load(BANK_FILE.read_text(encoding="utf-8"))
    content["version"] = "region-2027"
    content["themes"][0]["statements"] = [
        {"id": "R1", "da": "Vores eget udsagn.", "en": "Our own statement."}
    ]
    params = tmp_path / "params"
    (params / "units").mkdir(parents=True)
    (params / "defaults.yaml").write_text(
        (config.PARAMS_DIR / "defaults.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (params / "region.yaml").write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
    (params / "units" / "FS-AKU.yaml").write_text(
        "shift_assessment:\n  statements_file: region.yaml\n", encoding="utf-8"
    )
    out = tmp_path / "form.xlsx"
    assert (
        cli(
            [
                "template",
                "shift-assessment",
                "--unit",
                "FS-AKU",
                "--out",
                str(out),
                "--data",
                str(sample_dir),
                "--params",
                str(params),
            ]
        )
        == 0
    )
    ws = load_workbook(out)["Vurdering"]
    assert ws["A8"].value == "R1" and ws["C8"].value == "Vores eget udsagn."


# --------------------------------------------------------------------------- the form


def test_template_command_writes_a_fillable_form(
    tmp_path: Path, sample_dir: Path, bank: shift_assessment.Bank
) -> None:
    out = tmp_path / "form.xlsx"
    assert (
        cli(
            ["template", "shift-assessment", "--unit", "FS-AKU", "--out", str(out), "--data", str(sample_dir)]
        )
        == 0
    )
    wb = load_workbook(out)
    assert wb.sheetnames == ["Vejledning", "Vurdering"]
    ws = wb["Vurdering"]
    assert ws["C3"].value == "FS-AKU"
    n = len(bank.statements())
    assert [ws[f"A{r}"].value for r in range(8, 8 + n)] == list(bank.statements()["statement_id"])
    assert ws["C8"].value == bank.themes[0].statements[0].da
    drop_downs = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert drop_downs and drop_downs[0].formula1 == '"1,2,3,4,5"'
    assert str(drop_downs[0].sqref) == f"D8:E{7 + n}"
    assert ws.protection.sheet and not ws["D8"].protection.locked and ws["C8"].protection.locked
    assert "forms/shift-assessment/FS-AKU/" in "\n".join(
        str(c.value) for c in wb["Vejledning"]["A"] if c.value
    )
    # The empty form is not a valid answer: the rater, the date and every score are missing.
    text = "\n".join(messages(out, bank))
    assert "cell C4: the rater is missing" in text and "cell C5: the date is missing" in text
    assert f"cells D8, E8, D9, E9, D10 and {2 * n - 5} more: missing" in text


def test_english_form_for_an_english_unit(tmp_path: Path, sample_dir: Path) -> None:
    out = tmp_path / "form.xlsx"
    assert (
        cli(
            ["template", "shift-assessment", "--unit", "FS-KBA", "--out", str(out), "--data", str(sample_dir)]
        )
        == 0
    )
    wb = load_workbook(out)
    assert wb.sheetnames == ["Instructions", "Assessment"]
    assert wb["Assessment"]["D7"].value == "Current status (1–5)"


def test_template_rejects_unknown_unit_and_wrong_suffix(tmp_path: Path, sample_dir: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert (
        cli(
            [
                "template",
                "shift-assessment",
                "--unit",
                "FS-XXX",
                "--out",
                str(tmp_path / "f.xlsx"),
                "--data",
                str(sample_dir),
            ]
        )
        == 2
    )
    assert "unknown unit 'FS-XXX'" in capsys.readouterr().err
    assert (
        cli(
            [
                "template",
                "shift-assessment",
                "--unit",
                "FS-AKU",
                "--out",
                str(tmp_path / "f.csv"),
                "--data",
                str(sample_dir),
            ]
        )
        == 2
    )


def test_a_filled_form_reads_back(tmp_path: Path, bank: shift_assessment.Bank) -> None:
    path = filled(tmp_path, bank, current=2, desired=4)
    form, problems = read_form(path, display="x.xlsx", unit_id="FS-AKU", bank=bank)
    assert problems == [] and form is not None
    assert form.rater == "Planlægger" and form.on == date(2026, 10, 10) and form.sheet == "Vurdering"
    assert form.scores["current"].eq(2).all() and form.scores["desired"].eq(4).all()
    assert list(form.scores["statement_id"]) == list(bank.statements()["statement_id"])


def test_value_outside_the_scale_names_sheet_and_cell(tmp_path: Path, bank: shift_assessment.Bank) -> None:
    path = filled(tmp_path, bank, name="rater2.xlsx")
    edit(path, "Vurdering", D9=7, E12="tre", D13=2.5)
    assert messages(path, bank) == [
        "forms/shift-assessment/FS-AKU/rater2.xlsx, sheet 'Vurdering', cell D9: must be a whole number 1–5; found 7",
        "forms/shift-assessment/FS-AKU/rater2.xlsx, sheet 'Vurdering', cell E12: must be a whole number 1–5; found 'tre'",
        "forms/shift-assessment/FS-AKU/rater2.xlsx, sheet 'Vurdering', cell D13: must be a whole number 1–5; found 2.5",
    ]


def test_numbers_typed_as_text_are_accepted(tmp_path: Path, bank: shift_assessment.Bank) -> None:
    path = filled(tmp_path, bank)
    edit(path, "Vurdering", D9=" 4 ", E9=5.0)
    form, problems = read_form(path, display="x", unit_id="FS-AKU", bank=bank)
    assert problems == [] and form is not None and form.scores.loc[1, "current"] == 4


def test_missing_rater_names_the_cell(tmp_path: Path, bank: shift_assessment.Bank) -> None:
    path = filled(tmp_path, bank)
    edit(path, "Vurdering", C4=None)
    assert messages(path, bank) == [
        "forms/shift-assessment/FS-AKU/rater1.xlsx, sheet 'Vurdering', cell C4: the rater is missing: write initials or a role"
    ]


def test_renamed_sheet_is_named(tmp_path: Path, bank: shift_assessment.Bank) -> None:
    path = filled(tmp_path, bank)
    wb = load_workbook(path)
    wb["Vurdering"].title = "Ark1"
    wb.save(path)
    assert messages(path, bank) == [
        "forms/shift-assessment/FS-AKU/rater1.xlsx: sheet 'Vurdering' or 'Assessment' is missing; "
        "the workbook has 'Vejledning', 'Ark1' (keep the sheet names of the form)"
    ]


def test_half_filled_form_lists_the_empty_cells(tmp_path: Path, bank: shift_assessment.Bank) -> None:
    path = filled(tmp_path, bank)
    edit(path, "Vurdering", D20=None, E20=None, E21="  ")
    assert messages(path, bank) == [
        "forms/shift-assessment/FS-AKU/rater1.xlsx, sheet 'Vurdering', cells D20, E20, E21: missing: every "
        "statement needs a current status and a desired potential (1–5)"
    ]


def test_form_of_another_unit_and_bad_date(tmp_path: Path, bank: shift_assessment.Bank) -> None:
    path = filled(tmp_path, bank)
    edit(path, "Vurdering", C3="FS-KAR", C5="sidste tirsdag")
    got = messages(path, bank)
    assert (
        "cell C3: the form is for unit FS-AKU (it lies in that unit's folder) but names another unit; found 'FS-KAR'"
        in got[0]
    )
    assert "cell C5: must be a date (dd-mm-yyyy); found 'sidste tirsdag'" in got[1]


def test_danish_date_text_is_accepted(tmp_path: Path, bank: shift_assessment.Bank) -> None:
    path = filled(tmp_path, bank)
    edit(path, "Vurdering", C5="03-11-2026")
    form, _ = read_form(path, display="x", unit_id="FS-AKU", bank=bank)
    assert form is not None and form.on == date(2026, 11, 3)


def test_statements_must_follow_the_bank(tmp_path: Path, bank: shift_assessment.Bank) -> None:
    path = filled(tmp_path, bank)
    edit(path, "Vurdering", A10="K9")
    got = messages(path, bank)
    assert got == [
        "forms/shift-assessment/FS-AKU/rater1.xlsx, sheet 'Vurdering', cell A10: the statements do not follow the "
        "statement bank toolkit-2026.1: expected 'K3' here (make a new form with `toolkit template "
        "shift-assessment`); found 'K9'"
    ]
    # Without a bank (the validation check), the form is checked on its own terms.
    assert messages(path, None) == []


def test_one_form_per_rater_and_only_xlsx(tmp_path: Path, bank: shift_assessment.Bank) -> None:
    folder = tmp_path / FORMS_DIR / "FS-AKU"
    folder.mkdir(parents=True)
    filled(folder, bank, name="a.xlsx", rater="Planlægger")
    filled(folder, bank, name="b.xlsx", rater="planlægger ")
    (folder / "c.xls").write_bytes(b"old excel")
    (folder / "~$a.xlsx").write_bytes(b"lock file")  # Excel's lock file is ignored
    answers_, problems = read_unit_forms(tmp_path, "FS-AKU", bank)
    text = [str(p) for p in problems]
    assert len(answers_) == 2
    assert text == [
        "forms/shift-assessment/FS-AKU/c.xls: only .xlsx workbooks are read: save the form as .xlsx",
        "forms/shift-assessment/FS-AKU/b.xlsx, sheet 'Vurdering', cell C4: the same rater as in "
        "forms/shift-assessment/FS-AKU/a.xlsx (one form per rater; give each rater their own initials or role)",
    ]
    assert all(p.units == frozenset({"FS-AKU"}) for p in problems)


def test_a_broken_file_is_reported_not_raised(tmp_path: Path, bank: shift_assessment.Bank) -> None:
    path = tmp_path / "rater1.xlsx"
    path.write_bytes(b"not a workbook")
    assert messages(path, bank) == [
        "forms/shift-assessment/FS-AKU/rater1.xlsx: not a readable Excel workbook: open it in Excel and save it as .xlsx"
    ]


# --------------------------------------------------------------------------- the validation check


def test_check_fails_only_the_unit_of_the_bad_form(data_copy: Path) -> None:
    path = data_copy / FORMS_DIR / "FS-AKU" / "rater2.xlsx"
    edit(path, "Vurdering", D8=7)
    (data_copy / FORMS_DIR / "FS-XYZ").mkdir()
    (data_copy / FORMS_DIR / "FS-XYZ" / "a.xlsx").write_bytes(b"")
    problems = shift_assessment.check_forms(FolderSource(data_copy))
    text = [str(p) for p in problems]
    assert text == [
        "forms/shift-assessment/FS-AKU/rater2.xlsx, sheet 'Vurdering', cell D8: must be a whole number 1–5; found 7",
        "forms/shift-assessment/FS-XYZ: the folder is not named after a department in the units table",
    ]
    assert problems[0].units == frozenset({"FS-AKU"})
    assert problems[1].is_global


def test_sample_forms_are_valid(sample_dir: Path, bank: shift_assessment.Bank) -> None:
    files = shift_assessment.form_files(sample_dir)
    units = FolderSource(sample_dir).units()
    assert sorted(files) == sorted(units.loc[units["level"] == "department", "unit_id"])
    for unit, paths in files.items():
        assert 2 <= len(paths) <= 4
        answers_, problems = read_unit_forms(sample_dir, unit, bank)
        assert problems == [] and len(answers_) == len(paths)


def test_read_assessment_raises_with_every_problem(data_copy: Path, bank: shift_assessment.Bank) -> None:
    edit(data_copy / FORMS_DIR / "FS-AKU" / "rater1.xlsx", "Vurdering", C4=None, E9=0)
    with pytest.raises(DataValidationError) as err:
        shift_assessment.read_assessment(FolderSource(data_copy), "FS-AKU", bank)
    assert "cell E9: must be a whole number 1–5; found 0" in str(err.value)
    assert "cell C4: the rater is missing" in str(err.value)
    empty = shift_assessment.read_assessment(FolderSource(data_copy), "FS-KAR", bank)
    assert empty.n_raters >= 2
    (data_copy / FORMS_DIR / "FS-END").rename(data_copy / "elsewhere")
    none = shift_assessment.read_assessment(FolderSource(data_copy), "FS-END", bank)
    assert none.n_raters == 0 and none.scores.empty


# --------------------------------------------------------------------------- scores


def scores_frame(
    bank: shift_assessment.Bank, per_rater: dict[str, dict[str, tuple[list[int], list[int]]]]
) -> pd.DataFrame:
    """Long scores from {rater: {theme: (current per statement, desired per statement)}}; other themes 3/4."""
    st = bank.statements()
    rows = []
    for rater, themes in per_rater.items():
        for theme, group in st.groupby("theme", sort=False):
            cur, des = themes.get(theme, ([3] * len(group), [4] * len(group)))
            for sid, c, d in zip(group["statement_id"], cur, des, strict=True):
                rows.append((rater, sid, theme, c, d))
    return pd.DataFrame(rows, columns=["rater_no", "statement_id", "theme", "current", "desired"])


def test_theme_scores_hand_computed(bank: shift_assessment.Bank) -> None:
    scores = scores_frame(
        bank,
        {
            "R1": {"competences": ([1, 2, 3, 4], [5, 5, 5, 5])},  # means 2.5 and 5
            "R2": {"competences": ([3, 3, 3, 3], [4, 4, 4, 4])},  # means 3 and 4
        },
    )
    ts = theme_scores(scores, bank).set_index("theme")
    comp = ts.loc["competences"]
    assert comp["n_raters"] == 2
    assert comp["current"] == pytest.approx(2.75)
    assert comp["desired"] == pytest.approx(4.5)
    assert comp["gap"] == pytest.approx(1.75)
    assert (comp["current_min"], comp["current_max"]) == (2.5, 3.0)
    assert (comp["desired_min"], comp["desired_max"]) == (4.0, 5.0)
    assert comp["gap_rank"] == 1
    assert ts.loc["agreements", "gap"] == pytest.approx(1.0)
    assert list(ts.index) == list(shift_assessment.THEMES)


def test_each_rater_weighs_the_same(bank: shift_assessment.Bank) -> None:
    # Theme means per rater are averaged, so a rater is one vote whatever the theme's length.
    scores = scores_frame(bank, {"R1": {"organisation": ([1, 1, 1, 1], [2, 2, 2, 2])}, "R2": {}, "R3": {}})
    ts = theme_scores(scores, bank).set_index("theme")
    assert ts.loc["organisation", "current"] == pytest.approx((1 + 3 + 3) / 3)


def test_no_forms_give_empty_scores(bank: shift_assessment.Bank) -> None:
    empty = shift_assessment.assessment_from_answers("FS-AKU", bank, [])
    ts = theme_scores(empty.scores, bank)
    assert len(ts) == 6 and ts["current"].isna().all() and ts["n_raters"].eq(0).all()
    assert shift_assessment.statement_scores(empty.scores, bank)["n_raters"].eq(0).all()


def test_statement_scores(bank: shift_assessment.Bank) -> None:
    scores = scores_frame(bank, {"R1": {"competences": ([1, 2, 3, 4], [5, 5, 5, 5])}, "R2": {}})
    ss = shift_assessment.statement_scores(scores, bank).set_index("statement_id")
    assert ss.loc["K1", "current"] == 2.0 and ss.loc["K1", "gap"] == pytest.approx(2.5)
    assert (ss.loc["K4", "current_min"], ss.loc["K4", "current_max"]) == (3, 4)


# --------------------------------------------------------------------------- judgement against data


LIMITS = {
    "agency_pct": 5.0,
    "agency_night_pct": 5.0,
    "short_notice_pct": 10.0,
    "sick_pct_12m": 5.5,
    "rest_breach_pct": 3.0,
    "persons_over_cap": 0.0,
    "overtime_pct": 5.0,
    "toil_per_fte": 15.0,
    "registration_pct": 95.0,
    "mismatch_index": 0.2,
}


def test_theme_facts_flags_the_wrong_side_of_the_limit() -> None:
    values = dict.fromkeys(LIMITS, 0.0) | {
        "registration_pct": 99.0,
        "mismatch_index": 0.3,
        "overtime_pct": 5.0,
    }
    facts = theme_facts(values, LIMITS).set_index("key")
    assert facts.loc["mismatch_index", "flagged"]
    assert not facts.loc["overtime_pct", "flagged"]  # at the limit is not above it
    assert not facts.loc["registration_pct", "flagged"]
    low = theme_facts(values | {"registration_pct": 90.0}, LIMITS).set_index("key")
    assert low.loc["registration_pct", "flagged"]  # lower is worse
    assert facts.loc["alerts_elsewhere", "value"] == 1 and not facts.loc["alerts_elsewhere", "flagged"]
    assert low.loc["alerts_elsewhere", "value"] == 2 and low.loc["alerts_elsewhere", "flagged"]
    missing = theme_facts(values | {"mismatch_index": float("nan")}, LIMITS).set_index("key")
    assert np.isnan(missing.loc["mismatch_index", "value"]) and not missing.loc["mismatch_index", "flagged"]


def test_judge_sets_rating_against_data() -> None:
    themes = pd.DataFrame(
        {
            "theme": list(shift_assessment.THEMES),
            "current": [4.5, 1.5, 3.0, 3.0, np.nan, 4.0],
            "desired": [5.0, 4.0, 4.0, 4.0, np.nan, 5.0],
        }
    )
    values = dict.fromkeys(LIMITS, 0.0) | {
        "agency_pct": 9.0,  # competences: a problem
        "rest_breach_pct": 4.0,  # agreements: a problem
        "registration_pct": 99.0,
        "mismatch_index": 0.5,  # link to activity: a problem, but nobody rated it
    }
    facts = theme_facts(values, LIMITS)
    facts.loc[facts["key"] == "registration_pct", "value"] = np.nan  # system support: no data
    out = judge(themes, facts, high=4.0, low=2.0).set_index("theme")
    assert out["verdict"].to_dict() == {
        "competences": "data_worse",  # rated 4.5, agency above the limit
        "organisation": "data_better",  # rated 1.5, no figure above its limit
        "agreements": "agree_problem",
        "system_support": "no_data",
        "link_to_activity": "no_rating",
        "management_information": "data_worse",  # 3 problems elsewhere, rated 4
    }
    assert out.loc["competences", "n_flagged"] == 1 and out.loc["competences", "n_facts"] == 2
    with pytest.raises(ValueError, match="low"):
        judge(themes, facts, high=2.0, low=2.0)


def test_form_texts_are_in_the_analysis_namespace(tmp_path: Path, bank: shift_assessment.Bank) -> None:
    from toolkit.core.i18n import TEXTS

    assert TEXTS["shift_assessment.form.title"] == {
        "da": "Selvvurdering af vagtplanlægning",
        "en": "Self-assessment of shift planning",
    }
    path = write_form(tmp_path / "en.xlsx", bank, unit_id="FS-AKU", unit_name="Emergency", lang="en")
    wb = load_workbook(path)
    assert wb.sheetnames == ["Instructions", "Assessment"]
    assert wb["Instructions"]["A5"].value.startswith("1. Go to the sheet 'Assessment'. Write your initials")
    assert wb["Assessment"]["D7"].value == "Current status (1–5)"
