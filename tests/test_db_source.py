"""The database source against a real PostgreSQL (a throwaway cluster, see tests/postgres.py)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from postgres import cluster, postgres_bin

from toolkit.core.errors import DataValidationError, ParameterError
from toolkit.data.db import DatabaseSource, database_url, hide_password, load_folder, shown_url
from toolkit.data.sources import FolderSource, open_source, open_tables
from toolkit.run.runner import RunRequest

pytestmark = pytest.mark.skipif(
    postgres_bin() is None, reason="PostgreSQL is not installed (initdb/pg_ctl; .ci/run installs it)"
)

UNIT = "FS-LUN"


@pytest.fixture(scope="module")
def db_url(sample_dir: Path):
    """The sample data loaded into a fresh PostgreSQL cluster (once for the module)."""
    with cluster() as url:
        load_folder(sample_dir, url)
        yield url


@pytest.fixture(scope="module")
def folder(sample_dir: Path) -> FolderSource:
    return FolderSource(sample_dir)


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(list(frame.columns), ignore_index=True)


@pytest.mark.parametrize("table", ["units", "hours", "volume", "hr", "goals", "shifts", "contacts"])
def test_one_unit_from_the_database_equals_the_folder(db_url, folder, table):
    db = open_source(db_url)
    assert isinstance(db, DatabaseSource)
    units = None if table == "units" else [UNIT]
    a = folder.read(table, units=units, start="2026-05", end="2026-10")
    b = db.read(table, units=units, start="2026-05", end="2026-10")
    assert len(a) > 0
    pd.testing.assert_frame_equal(_sorted(a), _sorted(b[list(a.columns)]))


def test_periods_and_as_of_as_in_the_folder(db_url, folder):
    db = DatabaseSource(db_url)
    assert db.periods() == folder.periods()
    assert db.as_of() == folder.as_of()


def test_unit_and_month_filters_are_sql_where_with_bound_parameters(db_url):
    db = DatabaseSource(db_url)
    db.catalogue_keys()  # the catalogues are read whole once
    seen: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", record)
    frame = db.read("hours", units=[UNIT], start="2026-10", end="2026-10")
    sa.event.remove(db.engine, "before_cursor_execute", record)
    statements = [s for s, _ in seen if "FROM hours" in s]
    assert len(statements) == 1
    sql = statements[0]
    assert "WHERE" in sql and "unit_id IN" in sql and "period >=" in sql
    assert UNIT not in sql and "2026-10" not in sql  # values are bound parameters, not SQL text
    params = next(p for s, p in seen if s == sql)
    assert UNIT in json.dumps(params, default=str)
    assert set(frame["unit_id"]) == {UNIT} and set(frame["period"]) == {"2026-10"}
    assert "hours" not in db._raw  # the whole table was never read


def test_a_bad_row_names_table_column_and_key_and_fails_only_its_unit(db_url):
    engine = sa.create_engine(database_url(db_url))
    with engine.begin() as conn:
        row = conn.execute(
            sa.text(
                "SELECT ctid, activity_id, time_category, hours FROM hours "
                "WHERE unit_id = :u AND period = '2026-10' ORDER BY activity_id LIMIT 1"
            ),
            {"u": UNIT},
        ).one()
        conn.execute(sa.text("UPDATE hours SET hours = -7.5 WHERE ctid = :c"), {"c": row.ctid})
    try:
        db = DatabaseSource(db_url)
        with pytest.raises(DataValidationError) as info:
            db.read("hours", units=[UNIT], start="2026-10", end="2026-10")
        text = str(info.value)
        assert "database table 'hours', column 'hours', key period=2026-10, unit_id=FS-LUN, " in text
        assert f"activity_id={row.activity_id}, time_category={row.time_category}" in text
        assert text.endswith(": must be ≥ 0 (found '-7.5')")
        assert "employee_id" not in text  # a person key is never part of the key shown
        other = db.read("hours", units=["FS-ORT"], start="2026-10", end="2026-10")
        assert len(other) > 0
        report = DatabaseSource(db_url).validate_all()
        assert report.failed_units == {UNIT} and not report.global_problems
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text("UPDATE hours SET hours = :h WHERE hours = -7.5"), {"h": row.hours})
        engine.dispose()


def test_urls_are_shown_with_the_password_masked():
    url = "postgresql://anna:s3cret@db.example:5432/mi"
    assert shown_url(url) == "postgresql://anna:***@db.example:5432/mi"
    masked = hide_password(url)
    assert masked == "postgresql://anna:***@db.example:5432/mi"
    assert database_url(masked).password == "s3cret"  # given back only when connecting
    assert database_url(masked).drivername == "postgresql+psycopg"
    assert shown_url("postgresql://anna@db/mi") == "postgresql://anna@db/mi"


def test_an_unreachable_database_is_one_line_without_the_password(db_url):
    port = int(database_url(db_url).port or 0)
    url = f"postgresql://toolkit:hemmelig@127.0.0.1:{port + 1 if port < 65535 else 1}/postgres"
    with pytest.raises(ParameterError) as info:
        DatabaseSource(url)
    text = str(info.value)
    assert text.startswith("cannot connect to the database postgresql://toolkit:***@127.0.0.1:")
    assert "hemmelig" not in text and "\n" not in text


def test_load_db_refuses_tables_that_exist_unless_replace(db_url, sample_dir):
    with pytest.raises(ParameterError, match=r"already holds .*--replace"):
        load_folder(sample_dir, db_url)


@pytest.mark.slow
def test_kpi_report_from_the_database_equals_the_folder(db_url, sample_dir, tmp_path):
    from toolkit.run.cli import main

    masked = db_url.replace("toolkit@", "toolkit:pw-never-shown@")
    code_db = main(
        ["run", "kpi", "--unit", UNIT, "--data", masked, "--out", str(tmp_path / "db"), "--no-progress"]
    )
    code_f = main(
        [
            "run",
            "kpi",
            "--unit",
            UNIT,
            "--data",
            str(sample_dir),
            "--out",
            str(tmp_path / "f"),
            "--no-progress",
        ]
    )
    assert (code_db, code_f) == (0, 0)
    period = FolderSource(sample_dir).latest_period()
    from_db = json.loads((tmp_path / "db" / period / UNIT / "kpi.json").read_text())
    from_folder = json.loads((tmp_path / "f" / period / UNIT / "kpi.json").read_text())
    # Equal, up to the last bit of a float: the rows arrive in another order, so sums round differently.
    texts_db, values_db = _split(from_db)
    texts_f, values_f = _split(from_folder)
    assert texts_db == texts_f
    assert values_db == pytest.approx(values_f, rel=1e-12, nan_ok=True)
    manifest = (tmp_path / "db" / period / "manifest.json").read_text()
    assert "pw-never-shown" not in manifest and "toolkit:***@" in manifest


def _split(doc: dict) -> tuple[dict, dict]:
    """The KPI file's texts, and each KPI's value by its key."""
    texts = {k: v for k, v in doc.items() if k != "kpis"}
    texts["kpis"] = [(k["key"], k["label"], k["unit"]) for k in doc["kpis"]]
    values = {k["key"]: (float("nan") if k["value"] is None else k["value"]) for k in doc["kpis"]}
    return texts, values


def test_list_and_template_take_the_database_as_the_folder(db_url, sample_dir, tmp_path, capsys):
    from openpyxl import load_workbook

    from toolkit.run.cli import main

    masked = db_url.replace("toolkit@", "toolkit:pw-never-shown@")
    assert main(["list", "--data", masked]) == 0
    from_db = capsys.readouterr()
    assert main(["list", "--data", str(sample_dir)]) == 0
    # The same lines; a database gives the units in key order, a folder in its file's order.
    assert sorted(from_db.out.splitlines()) == sorted(capsys.readouterr().out.splitlines())
    assert f"unit {UNIT}:" in from_db.out
    assert "pw-never-shown" not in from_db.out + from_db.err
    for data, name in ((masked, "db.xlsx"), (str(sample_dir), "folder.xlsx")):
        args = [
            "template",
            "need-assessment",
            "--unit",
            "FS-ORT",
            "--data",
            data,
            "--out",
            str(tmp_path / name),
        ]
        assert main(args) == 0

    def cells(path: Path) -> dict[str, list[tuple[object, ...]]]:
        wb = load_workbook(path)
        return {ws.title: [tuple(c.value for c in row) for row in ws.iter_rows()] for ws in wb.worksheets}

    assert cells(tmp_path / "db.xlsx") == cells(tmp_path / "folder.xlsx")


def test_a_database_has_forms_only_from_the_forms_folder_given(db_url, sample_dir, tmp_path, capsys):
    from toolkit import analyses
    from toolkit.analyses.need_assessment import forms as needs_forms
    from toolkit.run.cli import main

    analyses.load_all()
    catalogue = set(FolderSource(sample_dir).activities()["activity_id"])
    assert DatabaseSource(db_url).forms_folder is None
    nothing = needs_forms.read_unit_forms(DatabaseSource(db_url).original_folder, "FS-ORT", catalogue)
    assert nothing.files == ()
    db = open_tables(db_url, forms=sample_dir / "forms")
    from_db = needs_forms.read_unit_forms(db.original_folder, "FS-ORT", catalogue)
    from_folder = needs_forms.read_unit_forms(sample_dir, "FS-ORT", catalogue)
    assert from_db.files == from_folder.files and len(from_folder.files) >= 2
    pd.testing.assert_frame_equal(from_db.scores, from_folder.scores)
    pd.testing.assert_frame_equal(from_db.marks, from_folder.marks)
    # validate --forms: a bad form in the folder given is named as in a data folder; exit 1.
    forms = tmp_path / "workshops"
    shutil.copytree(sample_dir / "forms", forms)
    (forms / "need-assessment" / "FS-ORT" / "notes.xls").write_bytes(b"x")
    assert main(["validate", "--data", db_url]) == 0
    assert main(["validate", "--data", db_url, "--forms", str(forms)]) == 1
    assert "forms/need-assessment/FS-ORT/notes.xls" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.skipif(
    "forms" not in RunRequest.__dataclass_fields__,
    reason="the runner does not take --forms yet (RunRequest.forms)",
)
def test_need_assessment_from_the_database_with_forms_equals_the_folder(db_url, sample_dir, tmp_path):
    from toolkit.run.cli import main

    unit = "FS-ORT"
    common = ["run", "need-assessment", "--unit", unit, "--no-progress"]
    code_db = main(
        [*common, "--data", db_url, "--forms", str(sample_dir / "forms"), "--out", str(tmp_path / "db")]
    )
    code_f = main([*common, "--data", str(sample_dir), "--out", str(tmp_path / "f")])
    assert (code_db, code_f) == (0, 0)
    period = FolderSource(sample_dir).latest_period()
    from_db = json.loads((tmp_path / "db" / period / unit / "need-assessment.json").read_text())
    from_folder = json.loads((tmp_path / "f" / period / unit / "need-assessment.json").read_text())
    texts_db, values_db = _split(from_db)
    texts_f, values_f = _split(from_folder)
    assert texts_db == texts_f
    assert values_db == pytest.approx(values_f, rel=1e-12, nan_ok=True)
    assert values_f["raters"] >= 2  # the forms were read
    # Without --forms the database's report says the forms are missing (no raters), as a folder without them.
    code_none = main([*common, "--data", db_url, "--out", str(tmp_path / "none")])
    assert code_none == 0
    without = json.loads((tmp_path / "none" / period / unit / "need-assessment.json").read_text())
    assert _split(without)[1]["raters"] == 0
