"""Where a source's filled-in forms lie: a folder's forms/, or a forms folder given (``--forms DIR``)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from toolkit import analyses
from toolkit.core.errors import ParameterError
from toolkit.data.forms_folder import NO_FORMS, forms_base, forms_fingerprint, given_forms_folder
from toolkit.data.sources import STAGED_MARKER, StagedSource, open_tables
from toolkit.run.cli import build_parser, main

analyses.load_all()


def _bad_form(forms: Path) -> str:
    """Put a workbook of the wrong kind into FS-ORT's need-assessment forms; the path a message names."""
    (forms / "need-assessment" / "FS-ORT" / "notes.xls").write_bytes(b"not read")
    return "need-assessment/FS-ORT/notes.xls"


def test_a_folders_forms_are_its_forms_subfolder(sample_dir: Path) -> None:
    source = open_tables(sample_dir)
    assert source.forms_folder == sample_dir / "forms"
    assert source.original_folder == sample_dir


def test_a_forms_folder_named_forms_is_read_through_its_parent(sample_dir: Path, tmp_path: Path) -> None:
    forms = tmp_path / "x" / "forms"
    shutil.copytree(sample_dir / "forms", forms)
    source = open_tables(sample_dir, forms=forms)
    assert source.forms_folder == forms.resolve()
    assert source.original_folder == forms.resolve().parent


def test_a_forms_folder_of_another_name_is_read_where_it_lies(sample_dir: Path, tmp_path: Path) -> None:
    forms = tmp_path / "workshops-2026"
    shutil.copytree(sample_dir / "forms", forms)
    base = forms_base(forms)
    assert (base / "forms").resolve() == forms.resolve()  # a link, nothing copied
    assert (base / "forms").is_symlink()
    assert sorted(p.name for p in (base / "forms" / "need-assessment").iterdir()) == sorted(
        p.name for p in (sample_dir / "forms" / "need-assessment").iterdir()
    )
    assert forms_base(forms) == base  # made once, reused
    assert forms_base(None) == NO_FORMS and not NO_FORMS.exists()


def test_the_checks_read_the_forms_folder_given_and_name_the_form_as_in_a_folder(
    data_copy: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "workshops"
    shutil.move(data_copy / "forms", elsewhere)
    shown = _bad_form(elsewhere)
    without = open_tables(data_copy).validate_all()  # the data folder has no forms/ any more
    assert not [p for p in without.problems if "notes.xls" in str(p)]
    report = open_tables(data_copy, forms=elsewhere).validate_all()
    found = [str(p) for p in report.problems if "notes.xls" in str(p)]
    assert len(found) == 1 and f"forms/{shown}" in found[0] and ".xlsx" in found[0]
    assert report.failed_units == {"FS-ORT"}


def test_a_changed_form_changes_the_fingerprint(data_copy: Path, tmp_path: Path) -> None:
    forms = tmp_path / "forms"
    shutil.copytree(data_copy / "forms", forms)
    before = open_tables(data_copy, forms=forms).fingerprint()
    assert forms_fingerprint(forms) != ""
    _bad_form(forms)
    assert open_tables(data_copy, forms=forms).fingerprint() != before
    assert open_tables(data_copy).fingerprint() != before  # the folder's own forms/ is another input
    assert forms_fingerprint(None) == "" and forms_fingerprint(tmp_path / "none") == ""


def test_a_forms_folder_that_is_not_a_folder_is_one_message(tmp_path: Path, sample_dir: Path) -> None:
    with pytest.raises(ParameterError, match=r"^--forms .*/missing: the forms folder does not exist"):
        open_tables(sample_dir, forms=tmp_path / "missing")
    (tmp_path / "file").write_text("x")
    with pytest.raises(ParameterError, match=r"the forms folder is a file, not a folder"):
        given_forms_folder(tmp_path / "file")


def test_validate_with_forms_exit_1_naming_the_form_and_2_for_a_missing_folder(
    data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    forms = tmp_path / "forms"
    shutil.copytree(data_copy / "forms", forms)
    shown = _bad_form(forms)
    assert main(["validate", "--data", str(data_copy)]) == 0
    assert main(["validate", "--data", str(data_copy), "--forms", str(forms)]) == 1
    assert f"forms/{shown}" in capsys.readouterr().err
    assert main(["validate", "--data", str(data_copy), "--forms", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: --forms ")


def test_run_takes_forms(tmp_path: Path) -> None:
    args = build_parser().parse_args(["run", "kpi", "--unit", "FS-LUN", "--forms", str(tmp_path)])
    assert args.forms == tmp_path
    assert build_parser().parse_args(["run", "kpi", "--unit", "FS-LUN"]).forms is None


def test_a_staged_dataset_names_the_forms_folder_it_was_staged_with(tmp_path: Path) -> None:
    forms = tmp_path / "workshops"
    forms.mkdir()
    meta = {"source": "postgresql://anna@db/mi", "source_dir": str(NO_FORMS), "forms_dir": str(forms)}
    (tmp_path / STAGED_MARKER).write_text(json.dumps(meta))
    staged = StagedSource(tmp_path)
    assert staged.forms_folder == forms
    assert (staged.original_folder / "forms").resolve() == forms.resolve()
    (tmp_path / STAGED_MARKER).write_text(json.dumps({**meta, "forms_dir": None}))
    assert StagedSource(tmp_path).forms_folder is None
    assert StagedSource(tmp_path).original_folder == NO_FORMS
    legacy = {"source": str(tmp_path / "data"), "source_dir": str(tmp_path / "data")}
    (tmp_path / STAGED_MARKER).write_text(json.dumps(legacy))  # staged before forms_dir was noted
    assert StagedSource(tmp_path).forms_folder == tmp_path / "data" / "forms"
